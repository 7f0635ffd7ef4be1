#include "cli/json.h"

#include <cmath>
#include <ostream>

#include "locks/owner.h"
#include "monitor/classifier.h"
#include "redis/cluster.h"
#include "util/text.h"

namespace lockscope::cli {
namespace {

using std::chrono::milliseconds;

// The rule of json.h for every string of the document: valid UTF-8 stays as it is (nlohmann
// escapes quotes and control characters) unless a character in it could make it read as other
// text (isSafeJsonText); anything else is shown as displayBytes() shows it.
void makeValidUtf8(Json& j) {
    if (j.is_string()) {
        auto& s = j.get_ref<std::string&>();
        if (!isSafeJsonText(s)) s = displayBytes(s);
    } else if (j.is_structured()) {
        for (auto& element : j) makeValidUtf8(element);
    }
}

std::string dump(Json& j) {
    makeValidUtf8(j);
    return j.dump();  // compact; throws on invalid UTF-8, which makeValidUtf8 has ruled out
}

Json nullIfEmpty(const std::string& s) { return s.empty() ? Json() : Json(s); }

// Keys and holders are what scripts pass back to `lock force-release` and friends, which read
// them as displayBytes() writes them: whatever displayBytes() would change (bytes that are not
// UTF-8, control characters, a backslash, and every character that could make one text read as
// another: bidi overrides, U+2028/U+2029, zero-width characters) is written escaped and flagged
// with `<field>_escaped: true`, so the string can be passed back as it is — or run through
// parseDisplayedBytes() for the exact bytes. The byte 0xFF (`\xff`, flagged) is told from the
// text `\xff` (written `\\xff`, flagged).
void putBytes(Json& j, const std::string& name, const std::string& bytes) {
    const bool plain = isPlainText(bytes);
    j[name] = plain ? bytes : displayBytes(bytes);
    if (!plain) j[name + "_escaped"] = true;
}

void putKey(Json& j, const std::string& key) { putBytes(j, "key", key); }

// Whether the record is the key's last known state rather than a fresh read, and why.
void putStale(Json& j, const monitor::KeyRecord& r) {
    j["stale"] = r.isStale();
    if (r.isStale()) j["stale_reason"] = std::string(monitor::stalenessName(r.stale));
}

}  // namespace

Json measured(double value, int decimals) {
    if (!std::isfinite(value)) return nullptr;
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(value * scale) / scale;
    return std::isfinite(rounded) ? rounded : value;  // (huge values: nothing to round)
}

void printJsonLine(std::ostream& out, Json value) { out << dump(value) << "\n"; }

void printJsonArray(std::ostream& out, Json array) {
    out << "[";
    bool first = true;
    for (auto& element : array) {
        out << (first ? "\n  " : ",\n  ") << dump(element);
        first = false;
    }
    out << (first ? "]\n" : "\n]\n");
}

Json strategiesJson() {
    Json all = Json::array();
    for (const auto& s : locks::lockStrategies()) {
        Json j;
        j["id"] = std::string(s.id);
        j["summary"] = std::string(s.summary);
        j["hazard"] = std::string(s.hazard);
        j["safe"] = s.safe;
        j["multi_node"] = s.multiNode;
        j["kind"] = std::string(locks::lockKindName(s.kind));
        all.push_back(std::move(j));
    }
    return all;
}

Json leaseJson(const std::string& strategy, const locks::Lease& lease,
               std::chrono::steady_clock::time_point now) {
    Json j;
    putKey(j, lease.key);  // flagged when escaped: a script passes it back (fuzz_json found it)
    j["strategy"] = strategy;
    j["token"] = lease.token;
    j["ttl_ms"] = lease.ttl.count();
    // A plain semaphore's permit has no lease (valid while its holder lives): null, not a
    // number of milliseconds that means nothing.
    j["valid_ms"] =
        lease.validUntil == std::chrono::steady_clock::time_point::max()
            ? Json()
            : Json(std::chrono::duration_cast<milliseconds>(lease.validUntil - now).count());
    j["nodes_held"] = lease.nodesHeld;
    j["hold_count"] = lease.holdCount;
    j["fence"] = lease.fence ? Json(*lease.fence) : Json();
    return j;
}

Json lockInfoJson(const std::string& key, const std::string& strategy,
                  const locks::LockInfo& info) {
    Json j;
    putKey(j, key);
    j["strategy"] = strategy;
    j["held"] = info.held;
    j["holder"] = info.held ? Json(info.holder) : Json();
    j["ttl_ms"] = info.ttl.count();
    j["hold_count"] = info.holdCount;
    j["fence"] = info.fence ? Json(*info.fence) : Json();
    j["nodes"] = info.nodesHeld;
    j["nodes_total"] = info.nodesTotal;
    j["detail"] = info.detail;
    if (!info.nodes.empty()) {
        Json perNode = Json::array();
        for (const auto& n : info.nodes) {
            Json node;
            node["node"] = n.node;
            node["reachable"] = n.reachable;
            node["value"] = n.value ? Json(*n.value) : Json();
            node["ttl_ms"] = n.ttl.count();
            perNode.push_back(std::move(node));
        }
        j["per_node"] = std::move(perNode);
    }
    if (info.primitive) j["primitive"] = primitiveStateJson(*info.primitive);
    return j;
}

Json primitiveStateJson(const locks::PrimitiveState& s) {
    auto waiters = [](const std::vector<locks::QueuedWaiter>& list) {
        Json a = Json::array();
        for (const auto& w : list) {
            // The fields of a fair lock's `queue` in `locks --json` (one representation).
            Json e;
            e["waiter"] = w.id;
            e["times_out_at_ms"] = w.deadlineMs;
            e["times_out_in_ms"] = w.leftMs;
            a.push_back(std::move(e));
        }
        return a;
    };
    Json j;
    j["kind"] = std::string(locks::primitiveKindName(s.kind));
    j["server_time_ms"] = s.serverTimeMs;
    switch (s.kind) {
        case locks::PrimitiveKind::None:
            break;
        case locks::PrimitiveKind::FairLock:
            j["queue"] = waiters(s.queue);
            break;
        case locks::PrimitiveKind::ReadWriteLock: {
            j["mode"] = s.mode.empty() ? Json() : Json(s.mode);
            Json readers = Json::array();
            for (const auto& r : s.readers) {
                Json e;
                e["id"] = r.id;
                e["holds"] = r.holds;
                e["lease_left_ms"] = r.leaseLeftMs;
                readers.push_back(std::move(e));
            }
            j["readers"] = std::move(readers);
            j["writer"] = s.writer.empty() ? Json() : Json(s.writer);
            j["writer_holds"] = s.writerHolds;
            j["writers_waiting"] = waiters(s.writersWaiting);
            break;
        }
        case locks::PrimitiveKind::Semaphore:
        case locks::PrimitiveKind::ExpirableSemaphore: {
            j["permits_free"] = s.free ? Json(*s.free) : Json();
            j["permits_size"] = s.size ? Json(*s.size) : Json();
            const auto taken = s.taken();
            j["permits_taken"] = taken ? Json(*taken) : Json();
            if (s.kind == locks::PrimitiveKind::ExpirableSemaphore) {
                Json permits = Json::array();
                for (const auto& p : s.permits) {
                    Json e;
                    e["id"] = p.id;
                    e["lease_left_ms"] = p.expires ? Json(p.leaseLeftMs) : Json();
                    e["lease_ran_out"] = p.expires && p.leaseLeftMs <= 0;
                    permits.push_back(std::move(e));
                }
                j["permits"] = std::move(permits);
            }
            break;
        }
        case locks::PrimitiveKind::Latch:
            j["count"] = s.count.value_or(0);
            j["size"] = s.size ? Json(*s.size) : Json();
            break;
    }
    return j;
}

std::string shownStateName(const monitor::KeyRecord& r) {
    const bool permits = r.format == monitor::Format::Semaphore ||
                         r.format == monitor::Format::ExpirableSemaphore ||
                         r.format == monitor::Format::RedissonExpirableSemaphore;
    if (r.state == monitor::LockState::Held && permits && r.holdCount == 0) return "unused";
    // A latch is not held or freed: it is closed (count left) or open (issue 14, open defect 3).
    if (r.format == monitor::Format::Latch && r.state == monitor::LockState::Held) return "closed";
    if (r.format == monitor::Format::Latch && r.state == monitor::LockState::Free) return "open";
    return std::string(monitor::lockStateName(r.state));
}

Json keyRecordJson(const monitor::KeyRecord& r, long long wallNowMs,
                   monitor::Steady::time_point now, const std::string& node,
                   const monitor::LockRules* rules) {
    Json j;
    putKey(j, r.key);
    j["format"] = std::string(monitor::formatName(r.format));
    if (!node.empty()) j["node"] = node;
    if (r.isCounter()) {
        j["value"] = r.number;
        j["rate_per_s"] = measured(r.ratePerSecond, 2);
        putStale(j, r);
        return j;
    }
    const bool free = r.state == monitor::LockState::Free;
    const std::string state = shownStateName(r);
    if (free || r.holder.empty() || state == "unused")
        j["holder"] = Json();
    else
        putBytes(j, "holder", r.holder);
    if (!free && r.holderCut && !r.holder.empty()) {
        // The holder is the start of a longer value: force-release compares these bytes and
        // the value's whole length.
        j["holder_cut"] = true;
        j["value_length"] = r.number;
    }
    j["ttl_ms"] = free ? -2 : r.ttlNow(now);
    j["state"] = state;
    putStale(j, r);
    j["nodes"] = r.nodesHolding;
    j["nodes_total"] = r.nodesTotal;
    // A free lock has no owner: what its last holder wrote is history, not who holds it.
    if (auto info = free ? std::nullopt : locks::parseToken(r.holder)) {
        Json owner;
        owner["host"] = info->host;
        owner["pid"] = info->pid;
        owner["client"] = info->clientName();
        j["owner"] = std::move(owner);
    } else if (auto parts = free ? std::nullopt : monitor::holderParts(r)) {
        Json owner;
        // Escaped as the holder is (control bytes of a JSON owner: `jq -r` must not emit them).
        auto put = [&owner](const char* field, const std::string& text) {
            const bool control = std::any_of(text.begin(), text.end(), [](char ch) {
                return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
            });
            if (!control) {
                owner[field] = text;  // CORP\svc-deploy stays as written
            } else {
                owner[field] = displayBytes(text);
                owner[std::string(field) + "_escaped"] = true;
            }
        };
        if (!parts->host.empty()) put("host", parts->host);
        if (parts->pid >= 0) owner["pid"] = parts->pid;
        if (!parts->name.empty()) put("name", parts->name);
        if (!parts->since.empty()) put("since", parts->since);
        j["owner"] = std::move(owner);
    }
    // How it was told: a library's exact layout, the evidence (a reasoned guess), or a user rule.
    j["basis"] = monitor::byKnownLayout(r) ? "known-layout" : r.byRule() ? "rule" : "evidence";
    j["why"] = monitor::why(r, rules);
    // A latch's holdCount is its size (printed as `size`): no hold count (adv14b item 8: `locks`
    // said 3 where `lock inspect` said 0).
    // A free lock holds nothing: its last holder's count is history (adv14d item 11).
    if (!free && r.holdCount && r.format != monitor::Format::Latch) j["hold_count"] = r.holdCount;
    // A fair lock listed from its queue, its key missing (issue 14): the live waiters.
    if (r.queueOnly) j["waiting"] = r.queued;
    if (r.format == monitor::Format::Heartbeat || r.format == monitor::Format::HeartbeatCounter) {
        j["beat"] = r.number;
        // A heartbeat counter's period is measured (null until two beats were seen).
        j["period_ms"] =
            r.periodMs > 0 || r.format == monitor::Format::Heartbeat ? Json(r.periodMs) : Json();
    }
    if (r.format == monitor::Format::SetnxGetset || r.format == monitor::Format::ExpiryTimestamp ||
        r.format == monitor::Format::NodeRedisLock)
        j["expires_at_ms"] = r.number;
    // The synchronisers (docs/cli-contract.md): a read-write lock's mode, readers and writer, a
    // semaphore's permits, a latch's count. A fair lock's `queue` is read when printed (locks).
    switch (r.format) {
        case monitor::Format::ReadWrite:
        case monitor::Format::RedissonRwLock: {
            // The holder is every field, sorted and joined by ','; the writer's ends in ":write".
            // Free: no mode, readers or writer (not the last holder's, adv14d item 11).
            Json readers = Json::array();
            Json writer;
            std::string_view all = free ? std::string_view() : std::string_view(r.holder);
            while (!all.empty()) {
                const auto comma = all.find(',');
                const std::string_view f = all.substr(0, comma);
                all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
                if (f.size() > 6 && f.substr(f.size() - 6) == ":write")
                    writer = std::string(f);
                else if (!f.empty())
                    readers.push_back(std::string(f));
            }
            j["mode"] = !writer.is_null() ? Json("write") : readers.empty() ? Json() : Json("read");
            j["readers"] = std::move(readers);
            j["writer"] = std::move(writer);
            j["writers_waiting"] = r.queued;
            break;
        }
        case monitor::Format::SymfonyLock: {
            // Symfony Lock: the holders' tokens joined by ','; `number` 1: one holds it for
            // writing (`__write__` is in the zset), else they are readers sharing it.
            Json readers = Json::array();
            Json writer;
            std::string_view all = r.holder;
            while (!all.empty()) {
                const auto comma = all.find(',');
                const std::string f(all.substr(0, comma));
                all = comma == std::string_view::npos ? std::string_view() : all.substr(comma + 1);
                if (r.number == 1)
                    writer = f;
                else if (!f.empty())
                    readers.push_back(f);
            }
            j["mode"] = r.number == 1 ? Json("write") : Json("read");
            j["readers"] = std::move(readers);
            j["writer"] = std::move(writer);
            break;
        }
        case monitor::Format::Semaphore:
        case monitor::Format::ExpirableSemaphore:
        case monitor::Format::RedissonExpirableSemaphore: {
            Json permits;
            permits["free"] = r.number;
            permits["taken"] = r.holdCount;
            if (r.format != monitor::Format::Semaphore) permits["leases_ran_out"] = r.queued;
            j["permits"] = std::move(permits);
            break;
        }
        case monitor::Format::Latch:
            j["count"] = free ? 0 : r.number;  // a latch gone is open (its last count is history)
            j["size"] = r.holdCount > 0 ? Json(r.holdCount) : Json();
            break;
        default:
            break;
    }
    if ((r.format == monitor::Format::Fenced || r.format == monitor::Format::RedissonFencedLock) &&
        r.number > 0)
        j["fence"] = r.number;
    // Exact only where this monitor saw the value written; otherwise a lower bound (OBJECT
    // IDLETIME, which any read resets, or first sight) — said by age_exact, never passed off as
    // the age.
    j["age_ms"] = r.ageMs(now);
    j["age_exact"] = static_cast<bool>(r.ageExact);
    // Written again with the same value (a `set` event; polled: a reusable value's TTL went up).
    if (r.reset) j["change"] = "re-set";
    j["orphan_checked"] = r.orphanChecked;
    j["detail"] = monitor::describe(r, wallNowMs);
    return j;
}

Json lockStatsJson(const monitor::LockStats* s, const monitor::KeyState& r) {
    const monitor::LockStats none;
    if (!s) s = &none;
    auto orNull = [](long long v) { return v < 0 ? Json() : Json(v); };
    Json j;
    j["acquisitions"] = s->acquisitions;
    j["hold_ms_p50"] = orNull(s->holdPercentileMs(0.50));
    j["hold_ms_p99"] = orNull(s->holdPercentileMs(0.99));
    j["hold_ms_max"] = s->holdsMs.empty() ? Json() : Json(s->holdMaxMs);
    j["holds"] = s->holdsMs.size();
    // Of them, holds whose start was not seen (a write during the first sweep that may have
    // renewed a hold already running): their lengths are lower bounds, no acquisition counted.
    j["holds_start_unknown"] = s->holdsStartUnknown;
    j["expired_while_held"] = s->expiredWhileHeld;
    j["takeovers"] = s->takeovers;
    // The lease granted where it is known (read on the acquisition's notification), else null;
    // what was read is a lower bound (docs/cli-contract.md).
    j["lease_ms"] = orNull(s->leaseMs);
    // Nothing better known (a lock already held when the inventory found it): the TTL read.
    const long long atLeast =
        s->leaseAtLeastMs < 0 && s->leaseMs < 0 && r.kind == monitor::Kind::Lock && r.ttlMs >= 0
            ? r.ttlMs
            : s->leaseAtLeastMs;
    j["lease_ms_at_least"] = orNull(atLeast);
    j["hold_nears_ttl"] = s->holdNearsTtl();
    if (r.format == monitor::Format::Heartbeat || r.format == monitor::Format::HeartbeatCounter) {
        const int period = s->beatPeriodMs > 0 ? s->beatPeriodMs : r.periodMs;
        j["beat_period_ms"] = period > 0 ? Json(period) : Json();
        j["beat_jitter_ms"] = s->beatPeriodMs > 0 ? Json(s->beatJitterMs) : Json();
    }
    return j;
}

Json removedKeyJson(const std::string& key) {
    Json j;
    putKey(j, key);
    j["removed"] = true;
    return j;
}

Json counterDemoJson(const demo::CounterDemoResult& r) {
    const bool capped = r.strategy == "capped";
    Json j;
    j["strategy"] = r.strategy;
    j["variant"] = nullIfEmpty(r.variant);
    j["label"] = r.label;
    j["expected"] = r.expected;
    j["actual"] = r.actual;
    j["lost_updates"] = r.lostUpdates;
    j["retries"] = r.retries;
    j["ops_per_s"] = measured(r.opsPerSecond, 1);
    j["p50_us"] = measured(r.p50Micros, 1);
    j["p99_us"] = measured(r.p99Micros, 1);
    j["exact"] = r.exact;
    j["over_cap"] = r.overCap;
    j["rejected"] = r.rejected;
    j["round_trips"] = r.roundTrips;
    j["ops"] = r.ops;
    j["seconds"] = measured(r.seconds, 3);
    j["cap"] = capped ? Json(r.cap) : Json();
    j["users"] = capped ? Json(r.users) : Json();
    j["max_per_user"] = capped ? Json(r.maxPerUser) : Json();
    j["explanation"] = r.explanation;
    return j;
}

Json lockDemoJson(const demo::LockDemoResult& r) {
    Json j;
    j["strategy"] = r.strategy;
    j["fault"] = r.fault;
    j["acquisitions"] = r.acquisitions;
    j["violations"] = r.violations;
    j["stale_writes_rejected"] = r.staleWritesRejected;
    j["lost_updates"] = r.lostUpdates;
    j["ops_per_s"] = measured(r.opsPerSecond, 1);
    j["writes"] = r.writes;
    j["value"] = r.value;
    j["acquire_timeouts"] = r.acquireTimeouts;
    j["lost_lock_on_release"] = r.lostLockOnRelease;
    j["errors"] = r.errors;
    j["wait_p50_us"] = measured(r.waitP50Micros, 1);
    j["wait_p99_us"] = measured(r.waitP99Micros, 1);
    j["wait_p999_us"] = measured(r.waitP999Micros, 1);
    j["wait_max_us"] = measured(r.waitMaxMicros, 1);
    j["waits_censored"] = r.waitsCensored;
    Json ranges = Json::array();
    for (const auto& [from, n] : r.waitDistribution) {
        Json range;
        range["from_us"] = from;
        range["count"] = n;
        ranges.push_back(std::move(range));
    }
    j["wait_distribution"] = std::move(ranges);
    j["per_worker"] = r.perWorker;
    j["fairness"] = r.fairness < 0 ? Json() : measured(r.fairness, 3);
    if (!r.readShares.empty()) {
        Json rows = Json::array();
        for (const auto& row : r.readShares) {
            Json o;
            o["read_share"] = row.readShare;
            o["writer_preference"] = row.writerPreference;
            o["reads"] = row.reads;
            o["writes"] = row.writes;
            o["ops_per_s"] = measured(row.opsPerSecond, 1);
            o["max_readers_together"] = row.maxReadersTogether;
            o["writer_wait_p99_us"] = measured(row.writerWaitP99Micros, 1);
            o["writer_wait_max_us"] = measured(row.writerWaitMaxMicros, 1);
            rows.push_back(std::move(o));
        }
        j["read_shares"] = std::move(rows);
    }
    j["workers"] = r.workers;
    j["ops_per_worker"] = r.opsPerWorker;
    j["ttl_ms"] = r.ttl.count();
    j["seconds"] = measured(r.seconds, 3);
    j["fault_injected"] = r.faultInjected;
    j["acquisitions_during_fault"] = r.acquisitionsDuringFault;
    j["acquisitions_after_fault"] = r.acquisitionsAfterFault;
    j["stuck"] = r.stuck;
    j["recovery_ms"] = r.recovery ? Json(r.recovery->count()) : Json();
    j["expected_outcome"] = r.expectedOutcome;
    j["as_expected"] = r.asExpected;
    j["mismatch"] = r.mismatch;
    j["explanation"] = r.explanation;
    Json events = Json::array();
    for (const auto& e : r.events) {
        Json event;
        event["t_ms"] = e.at.count();
        event["text"] = e.text;
        events.push_back(std::move(event));
    }
    j["events"] = std::move(events);
    j["run_id"] = r.runId;
    return j;
}

Json topologyJson(const sandbox::TopologySnapshot& s, const std::string& nodesArg) {
    Json j;
    j["topology"] = std::string(sandbox::topologyKindName(s.kind));
    j["url"] = nullIfEmpty(s.url);
    j["nodes_arg"] = nodesArg;
    if (!s.masterName.empty()) {
        j["master_name"] = s.masterName;
        j["master"] = s.sentinelMaster;
    }
    if (s.kind == sandbox::TopologyKind::Cluster) j["cluster_ok"] = s.clusterOk;
    Json nodes = Json::array();
    for (const auto& n : s.nodes) {
        Json node;
        node["index"] = n.index;
        node["address"] = n.address;
        node["pid"] = n.pid;
        node["role"] = std::string(sandbox::nodeRoleName(n.role));
        node["state"] = std::string(sandbox::nodeStateName(n.state));
        if (!n.masterOf.empty()) node["master_of"] = n.masterOf;
        if (!n.ranges.empty()) node["slots"] = redis::slotsText(n.ranges);
        if (n.keys >= 0) node["keys"] = n.keys;
        nodes.push_back(std::move(node));
    }
    j["nodes"] = std::move(nodes);
    return j;
}

}  // namespace lockscope::cli

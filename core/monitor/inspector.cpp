#include "monitor/inspector.h"

#include "redis/cluster.h"
#include "redis/error.h"

namespace lockscope::monitor {

std::vector<std::string> Inspector::takeNotes() { return std::exchange(notes_, {}); }

namespace {

// A command of a batch, preceded by ASKING when the batch asks (each ASKING covers one command).
void add(redis::Pipeline& p, bool asking, std::initializer_list<redis::Arg> cmd) {
    if (asking) p.add({"ASKING"});
    p.add(cmd);
}

// The reply of a command queued with add(): past its ASKING.
const redis::Reply& next(std::vector<redis::Reply>::iterator& at, bool asking) {
    if (asking) ++at;
    return *at++;
}

// An OBJECT IDLETIME refusal that holds for every key of the server: an ACL, a renamed command,
// an LFU policy. A redirect or a server that cannot serve now (CLUSTERDOWN, LOADING, ...) is about
// this key or this moment.
bool refusesIdleTimeForGood(std::string_view msg) {
    if (msg.find("no such key") != std::string_view::npos) return false;
    if (redis::parseRedirect(msg)) return false;
    const auto kind = redis::classifyServerError(msg);
    return kind != redis::ErrorKind::Busy && kind != redis::ErrorKind::Redirect;
}

// A hash's fields from an HSCAN reply's items, up to `max`.
void takeFields(Observation& o, const redis::ReplyView& items, size_t max) {
    for (size_t f = 0; f + 1 < items.size() && o.fields.size() < max; f += 2)
        o.fields.emplace_back(std::string(items[f].str()), std::string(items[f + 1].str()));
}

}  // namespace

Inspector::Batch Inspector::queue(redis::Pipeline& p, std::vector<std::string> keys, bool asking) {
    Batch b;
    b.idle = options_.idleTime && idleTime_;
    b.asking = asking;
    const long long lastByte = static_cast<long long>(options_.previewBytes) - 1;
    for (const auto& k : keys) {
        if (b.idle) add(p, asking, {"OBJECT", "IDLETIME", k});
        add(p, asking, {"PTTL", k});
        add(p, asking, {"GETRANGE", k, 0, lastByte});
    }
    b.keys = std::move(keys);
    b.sentAt = std::chrono::steady_clock::now();
    return b;
}

std::vector<Inspected> Inspector::inspect(redis::Connection& c,
                                          const std::vector<std::string>& keys, bool asking) {
    if (keys.empty()) return {};
    auto p = c.pipeline();
    Batch b = queue(p, keys, asking);
    auto replies = p.exec();
    ++roundTrips_;
    return complete(b, replies.begin(), c);
}

bool Inspector::noneExists(redis::Connection& c,
                           const std::vector<std::pair<size_t, std::string>>& names, bool asking) {
    // One name: its GET is as cheap. ASKING covers one key's slot only.
    if (names.size() < 2 || asking || !oneExists_) return false;
    redis::Command exists{"EXISTS"};
    for (const auto& n : names) exists << n.second;
    const auto r = c.raw(exists);
    ++roundTrips_;
    if (r.isError() && r.errorMessage().rfind("CROSSSLOT", 0) == 0) oneExists_ = false;
    return r.isInteger() && r.integer() == 0;
}

std::vector<Inspected> Inspector::complete(Batch& batch, std::vector<redis::Reply>::iterator first,
                                           redis::Connection& detail) {
    Started s = start(batch, first);
    followUp(s, detail);
    return std::move(s.out);
}

Inspector::Started Inspector::start(Batch& batch, std::vector<redis::Reply>::iterator first) {
    const size_t count = batch.keys.size();
    Started s;
    s.asking = batch.asking;
    s.out.resize(count);
    auto& out = s.out;
    auto& needType = s.needType;
    auto& needLength = s.needLength;
    auto at = first;
    for (size_t i = 0; i < count; ++i) {
        auto& o = out[i].observation;
        o.key = std::move(batch.keys[i]);
        out[i].askedAt = batch.sentAt;
        if (batch.idle) {
            const auto& ir = next(at, batch.asking);
            if (ir.isInteger()) {
                o.idleSeconds = ir.integer();
            } else if (ir.isError() && refusesIdleTimeForGood(ir.errorMessage())) {
                // LFU policy, ACL, renamed OBJECT: stop asking, say it once.
                if (idleTime_)
                    notes_.push_back("OBJECT IDLETIME is not available (" +
                                     std::string(ir.errorMessage().substr(0, 120)) +
                                     "): lock ages count from when LockScope first saw them");
                idleTime_ = false;
            }
        }
        const auto& tr = next(at, batch.asking);
        const auto& vr = next(at, batch.asking);
        if (tr.isError()) {
            // A cluster node that no longer owns the key's slot (resharding, or it turned
            // replica): the caller asks the owner instead.
            if (auto redirect = redis::parseRedirect(tr.errorMessage())) {
                o.type = redirect->ask ? "ask" : "moved";
                o.movedTo = redirect->to.display();
                continue;
            }
            // CLUSTERDOWN, BUSY, LOADING, TRYAGAIN, an ACL that hides the key (NOPERM): not
            // known now, which is not "gone". The caller says it, once per episode.
            o.type = "unreadable";
            o.error = std::string(tr.errorMessage().substr(0, 200));
            continue;
        }
        o.pttlMs = tr.integer();
        if (o.pttlMs == -2) {
            o.type = "none";
        } else if (vr.isError() &&
                   redis::classifyServerError(vr.errorMessage()) != redis::ErrorKind::WrongType) {
            o.type = "unreadable";  // refused between the two reads (BUSY, a failover)
            o.error = std::string(vr.errorMessage().substr(0, 200));
            o.pttlMs = -2;
        } else if (vr.isString()) {
            o.type = "string";
            o.value = std::string(vr.str());
            o.length = static_cast<long long>(o.value.size());
            if (o.value.size() == options_.previewBytes) needLength.push_back(i);
        } else {
            needType.push_back(i);  // WRONGTYPE: not a string
        }
    }
    return s;
}

namespace {

std::vector<std::pair<const Observation*, PrimitiveCompanions*>> syncOf(
    std::vector<Inspected>& out) {
    std::vector<std::pair<const Observation*, PrimitiveCompanions*>> sync;
    sync.reserve(out.size());
    for (auto& in : out) sync.emplace_back(&in.observation, &in.companions.primitive);
    return sync;
}

}  // namespace

size_t Inspector::queueEvidence(redis::Pipeline& p, Started& s) {
    // Only what round 1 told for sure: an integer shorter than the preview is all of its value
    // (a longer string's length is asked in round 2, and its evidence, if any, then).
    std::vector<bool> notYet(s.out.size(), false);
    for (size_t i : s.needLength) notYet[i] = true;
    for (size_t i = 0; i < s.out.size(); ++i)
        if (s.out[i].observation.type != "string") notYet[i] = true;
    const auto sync = syncOf(s.out);
    PrimitiveAsk ask = planPrimitives(sync, oneExists_ && !s.asking, notYet);
    ask.writers.clear();  // hashes' fields come in round 2
    if (ask.evidence.empty() || s.asking) return 0;
    queuePrimitives(p, sync, ask);
    s.evidenceAsked.assign(s.out.size(), false);
    for (size_t i : ask.evidence) s.evidenceAsked[i] = true;
    s.deferred = std::move(ask);
    return s.deferred->replies();
}

void Inspector::takeEvidence(Started& s, std::vector<redis::Reply>::const_iterator first,
                             redis::Connection& detail) {
    if (!s.deferred) return;
    roundTrips_ +=
        static_cast<size_t>(readPrimitives(detail, syncOf(s.out), *s.deferred, first, &oneExists_));
    s.deferred.reset();
}

void Inspector::followUp(Started& s, redis::Connection& detail) {
    const size_t count = s.out.size();
    auto& out = s.out;
    const auto& needType = s.needType;
    const auto& needLength = s.needLength;
    const bool asking = s.asking;

    // Round 2: what the first round could not tell. A key that is not a string is most often a
    // hash (a Redisson lock): HSCAN alone says so, and when it comes back complete (cursor 0, as
    // it does for every small hash) it also says the length. TYPE and HLEN follow only where it
    // cannot tell (another type, a key gone since, a big hash, a refusal): one command for such a
    // key where there were three, and the same observation.
    if (!needType.empty() || !needLength.empty()) {
        auto p2 = detail.pipeline();
        for (size_t i : needLength) add(p2, asking, {"STRLEN", out[i].observation.key});
        for (size_t i : needType)
            add(p2, asking, {"HSCAN", out[i].observation.key, 0, "COUNT", options_.maxHashFields});
        auto r2 = p2.exec();
        ++roundTrips_;
        auto j = r2.begin();
        for (size_t i : needLength) {
            auto& o = out[i].observation;
            const auto& len = next(j, asking);
            if (len.isInteger()) o.length = len.integer();
            o.truncated = o.length > static_cast<long long>(o.value.size());
        }
        std::vector<size_t> needHashLength, stillNeedType, notHash, needMembers;
        for (size_t i : needType) {
            const auto& scan = next(j, asking);
            // Neither a string nor a hash (a set, list, zset, stream): TYPE alone names it.
            if (scan.isError() && scan.errorMessage().substr(0, 9) == "WRONGTYPE") {
                notHash.push_back(i);
                continue;
            }
            // A hash is never empty: no fields means no key (or not a hash), which TYPE tells.
            if (!scan.isArray() || scan.size() != 2 || scan[1].size() < 2) {
                stillNeedType.push_back(i);
                continue;
            }
            auto& o = out[i].observation;
            o.type = "hash";
            takeFields(o, scan[1], options_.maxHashFields);
            if (scan[0].str() == "0") {
                o.length = static_cast<long long>(scan[1].size() / 2);
                o.truncated = o.length > static_cast<long long>(o.fields.size());
            } else {
                needHashLength.push_back(i);
            }
        }
        if (!needHashLength.empty() || !stillNeedType.empty() || !notHash.empty()) {
            auto p3 = detail.pipeline();
            for (size_t i : needHashLength) add(p3, asking, {"HLEN", out[i].observation.key});
            for (size_t i : notHash) add(p3, asking, {"TYPE", out[i].observation.key});
            for (size_t i : stillNeedType) {
                const auto& k = out[i].observation.key;
                add(p3, asking, {"TYPE", k});
                add(p3, asking, {"HLEN", k});
                add(p3, asking, {"HSCAN", k, 0, "COUNT", options_.maxHashFields});
            }
            auto r3 = p3.exec();
            ++roundTrips_;
            auto k = r3.begin();
            for (size_t i : needHashLength) {
                auto& o = out[i].observation;
                const auto& hlen = next(k, asking);
                if (hlen.isInteger()) o.length = hlen.integer();
                o.truncated = o.length > static_cast<long long>(o.fields.size());
            }
            // TYPE's answer; false for a refusal (the key is then unreadable).
            auto takeType = [&](size_t i, const redis::Reply& type) {
                auto& o = out[i].observation;
                if (type.isError()) {
                    o.type = "unreadable";
                    o.error = std::string(type.errorMessage().substr(0, 200));
                    o.pttlMs = -2;
                    return false;
                }
                o.type = std::string(type.str());
                // A zset can be Symfony Lock's (tokens scored by their expiry), whose scripts
                // always set a TTL: only such a zset's members are read (a leaderboard or a
                // queue without a TTL costs nothing more).
                if (o.type == "zset" && o.pttlMs > 0) needMembers.push_back(i);
                return true;
            };
            // A key re-created as a hash between the two rounds is read as one on the next pass.
            for (size_t i : notHash) takeType(i, next(k, asking));
            for (size_t i : stillNeedType) {
                auto& o = out[i].observation;
                const auto& type = next(k, asking);
                const auto& hlen = next(k, asking);
                const auto& scan = next(k, asking);
                if (!takeType(i, type) || o.type != "hash") continue;
                if (hlen.isInteger()) o.length = hlen.integer();
                if (scan.isArray() && scan.size() == 2)
                    takeFields(o, scan[1], options_.maxHashFields);
                o.truncated = o.length > static_cast<long long>(o.fields.size());
            }
        }
        // Round 2c, rare: a zset with a TTL, read as member → score in one ZSCAN (all of a small
        // zset; a cursor back means more than the preview).
        if (!needMembers.empty()) {
            auto p4 = detail.pipeline();
            for (size_t i : needMembers)
                add(p4, asking,
                    {"ZSCAN", out[i].observation.key, 0, "COUNT", options_.maxHashFields});
            auto r4 = p4.exec();
            ++roundTrips_;
            auto z = r4.begin();
            for (size_t i : needMembers) {
                auto& o = out[i].observation;
                const auto& scan = next(z, asking);
                if (!scan.isArray() || scan.size() != 2) continue;
                takeFields(o, scan[1], options_.maxHashFields);
                o.length = static_cast<long long>(scan[1].size() / 2);
                o.truncated =
                    scan[0].str() != "0" || o.length > static_cast<long long>(o.fields.size());
            }
        }
    }

    // Round 3, rare: companions of Redisson and fenced locks. Most such locks have none (a
    // Redisson RLock has no token counter and no queue): one EXISTS over all of the batch's
    // companion names answers that in one command; only when some exist (or a cluster refuses
    // names of several slots) is each one read.
    std::vector<std::pair<size_t, std::string>> asked;
    for (size_t i = 0; i < count; ++i)
        for (auto& name : companionKeys(out[i].observation)) asked.emplace_back(i, std::move(name));
    if (!asked.empty() && !noneExists(detail, asked, asking)) {
        auto p3 = detail.pipeline();
        for (const auto& a : asked) add(p3, asking, {"GET", a.second});
        auto r3 = p3.exec();
        ++roundTrips_;
        auto at3 = r3.begin();
        for (size_t j = 0; j < asked.size(); ++j) {
            auto& comp = out[asked[j].first].companions;
            const auto& name = asked[j].second;
            const auto& r = next(at3, asking);
            const bool exists = !r.isNil();  // WRONGTYPE (a list / zset) also means it exists
            std::optional<long long> number;
            if (r.isString()) {
                try {
                    number = r.asInteger();
                } catch (const redis::Error&) {}
            }
            if (name.rfind("lockscope_fence:", 0) == 0)
                comp.lockscopeFence = number;
            else if (name.rfind("redisson_lock_token:", 0) == 0)
                comp.redissonToken = number;
            else if (name.rfind("redisson_lock_queue:", 0) == 0)
                comp.redissonQueue = exists;
        }
    }
    // Round 4, rare: a fair lock's queue or timeout set — is its lock there, and who waits? (A
    // missing lock with live waiters is listed from these: issue 14.) Only such keys cost it.
    std::vector<size_t> queues;
    for (size_t i = 0; i < count; ++i) {
        const auto& o = out[i].observation;
        if ((o.type == "list" || o.type == "zset" || o.type == "none") &&
            !fairQueueOwners(o.key).empty())
            queues.push_back(i);
    }
    if (!queues.empty()) {
        auto p4 = detail.pipeline();
        constexpr long long kLast = 199;  // as readFairQueue: the first 200 waiters
        for (size_t i : queues) {
            const auto owners = fairQueueOwners(out[i].observation.key);
            redis::Command exists{"EXISTS"};
            for (const auto& name : owners) exists << name;
            if (asking) p4.add({"ASKING"});
            p4.add(exists);
            add(p4, asking,
                {"LRANGE", redissonCompanionKey("redisson_lock_queue", owners[0]), 0, kLast});
            add(p4, asking,
                {"ZRANGE", redissonCompanionKey("redisson_lock_timeout", owners[0]), 0, kLast,
                 "WITHSCORES"});
        }
        auto r4 = p4.exec();
        ++roundTrips_;
        auto at4 = r4.begin();
        for (size_t i : queues) {
            const auto& exists = next(at4, asking);
            const auto& list = next(at4, asking);
            const auto& zset = next(at4, asking);
            // A refusal (an ACL, a slot that moved): nothing said about the lock.
            if (!exists.isInteger()) continue;
            FairQueueSeen q;
            q.lock = fairQueueOwners(out[i].observation.key).front();
            q.lockExists = exists.integer() > 0;
            q.waiters = parseFairQueue(list, zset);
            out[i].fairQueue = std::move(q);
        }
    }
    // The synchronisers' companions: writers waiting, semaphore and latch evidence (what a later
    // pipeline does not already ask: queueEvidence).
    roundTrips_ +=
        static_cast<size_t>(inspectPrimitives(detail, syncOf(out), &oneExists_, s.evidenceAsked));
}

}  // namespace lockscope::monitor

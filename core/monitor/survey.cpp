#include "monitor/survey.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_set>

#include "monitor/classifier.h"
#include "monitor/inspector.h"
#include "monitor/merge.h"
#include "monitor/pacer.h"
#include "monitor/scan.h"
#include "redis/error.h"

namespace lockscope::monitor {
namespace {

InspectOptions withoutIdle(InspectOptions o) {
    o.idleTime = false;
    return o;
}

// A key a cluster node redirected: where to read it, and whether with ASKING.
struct Redirected {
    std::string key;
    std::string to;  // "host:port"
    bool ask = false;
};

struct NodeSurvey {
    std::map<std::string, KeyRecord> records;
    bool reachable = true;
    size_t unreadable = 0;
    std::string unreadableError;
};

// Whether a LockScope tag is connected to another data node of the group (a Sentinel group's
// replicas, the demoted master among them); asked only for a tag missing on the node read.
using SeenOnGroup = std::function<bool(const std::string& tag)>;

struct Classifier {
    const MonitorOptions& options;
    const Clock& clock;
    const std::unordered_map<std::string, std::string>* clients;
    SeenOnGroup seenOnGroup = {};

    ClassifyContext context() const {
        ClassifyContext ctx;
        ctx.wallNowMs = clock.wallMillis();
        ctx.now = clock.steadyNow();
        ctx.expiringSoon = options.expiringSoon;
        ctx.lockscopeClientsByTag = clients;
        ctx.rules = &options.rules;
        // One look cannot see how long a holder has been gone; the key's idle time (OBJECT
        // IDLETIME, reset by each renewal) says how long since it was last renewed — within a
        // renewal period its holder may be reconnecting (a failover, a server `timeout`).
        ctx.holderMayReconnect = [now = ctx.now](const KeyRecord& lock, const std::string&, bool) {
            return now - lock.lastChange < orphanWindow(lock.ttlMs, std::chrono::seconds(2));
        };
        // Just after a failover a live holder is still connected to the old master (now a
        // replica, or about to be) for the moment it takes to follow: one look sees it there,
        // where a monitor would have seen it before the switch (issue 14, F14i). Within the same
        // grace, its fair / read-write lock keeps LockScope's format.
        if (seenOnGroup)
            ctx.lockscopeTagSeenBefore = [this, now = ctx.now](const KeyRecord& lock,
                                                               const std::string& tag) {
                return now - lock.lastChange < orphanWindow(lock.ttlMs, std::chrono::seconds(2)) &&
                       seenOnGroup(tag);
            };
        return ctx;
    }
    // Files what `batch` read on a node: records, redirects to follow, unreadable keys.
    void file(std::vector<Inspected>&& batch, bool asked, NodeSurvey& out,
              std::vector<Redirected>& redirected) const {
        ClassifyContext ctx = context();
        for (auto& in : batch) {
            auto& o = in.observation;
            if (o.type == "moved" || o.type == "ask") {
                // MOVED from a node that listed the key: it may be importing the slot, so it is
                // asked again with ASKING (to = "" means: here); after that, it is elsewhere.
                const bool here = o.type == "moved" && !asked;
                redirected.push_back(
                    {std::move(o.key), here ? "" : o.movedTo, o.type == "ask" || here});
                continue;
            }
            if (o.type == "unreadable") {
                if (out.unreadable++ == 0) out.unreadableError = o.error;
                continue;
            }
            ctx.companions = in.companions;
            KeyRecord r = classify(std::move(o), ctx);
            if (r.isLock() || r.isCounter()) out.records.insert_or_assign(r.key, std::move(r));
            // A fair lock's queue whose lock is missing, with live waiters: listed (issue 14).
            if (in.fairQueue)
                if (auto lock = lockOfFairQueue(*in.fairQueue, ctx)) {
                    if (lock->isLock()) {
                        out.records.insert_or_assign(lock->key, std::move(*lock));
                    } else if (auto seen = out.records.find(lock->key);
                               seen != out.records.end() && seen->second.queueOnly) {
                        out.records.erase(seen);  // its other companion, read later: none live
                    }
                }
        }
    }
};

// A one-shot's sweep on the budget (MonitorOptions::scanBudgetPercent), as the engine paces its
// own: each batch is charged its round trips less the network (the smallest PING), corrected by
// the server's INFO cpu, and the next one waits until the budget allows it.
class BudgetedPace {
public:
    BudgetedPace(redis::Connection& c, const MonitorOptions& options)
        : c_(c), pacer_(options.scanBudgetPercent), stop_(options.cancelled) {
        if (pacer_.unlimited()) return;
        for (int i = 0; i < 3; ++i) {
            const auto t0 = Steady::now();
            if (c_.raw({"PING"}).isError()) break;
            const Pacer::Duration rtt = Steady::now() - t0;
            if (baseline_ == Pacer::Duration::zero() || rtt < baseline_) baseline_ = rtt;
        }
        readCpu();
    }
    bool unlimited() const { return pacer_.unlimited(); }
    bool cancelled = false;  // stopped (Ctrl-C) before the sweep ended

    ScanPace pace() {
        if (pacer_.unlimited()) return {};  // full speed: the pipelined sweep, seconds at most
        return [this](Pacer::Duration wall, int roundTrips) {
            if (!pacer_.unlimited()) {
                const Pacer::Duration estimate = std::min<Pacer::Duration>(
                    serverCost(wall, roundTrips, baseline_), kMaxBatchEstimate);
                calibration_.add(estimate);
                pacer_.charge(calibration_.corrected(estimate), Steady::now());
                if (calibration_.due() && Steady::now() >= nextCpu_) readCpu();
            }
            while (!(cancelled = stop_ && stop_()) && !pacer_.ready(Steady::now()))
                std::this_thread::sleep_until(
                    std::min(pacer_.readyAt(), Steady::now() + std::chrono::milliseconds(100)));
            return !cancelled;
        };
    }

private:
    void readCpu() {
        nextCpu_ = Steady::now() + std::chrono::seconds(1);
        if (!cpuReadable_) return;
        auto info = c_.raw({"INFO", "cpu"});
        const auto cpu = info.isString() ? serverCpuSeconds(info.str()) : std::nullopt;
        if (cpu)
            calibration_.observe(*cpu);
        else
            cpuReadable_ = false;  // refused or renamed: the round trips alone
    }

    redis::Connection& c_;
    Pacer pacer_;
    CostCalibration calibration_;
    Pacer::Duration baseline_{0};
    Steady::time_point nextCpu_{};
    bool cpuReadable_ = true;
    std::function<bool()> stop_;
};

NodeSurvey surveyNode(redis::Connection& c, const MonitorOptions& options, const Clock& clock,
                      Survey& result, std::vector<Redirected>& redirected,
                      const SeenOnGroup& seenOnGroup) {
    NodeSurvey out;
    const std::string where = c.endpoint().display();
    std::unordered_map<std::string, std::string> clients;
    bool clientsKnown = false;
    auto list = c.raw({"CLIENT", "LIST"});
    if (list.isError()) {
        const auto kind = redis::classifyServerError(list.errorMessage());
        const bool refused =
            kind == redis::ErrorKind::NoPermission || kind == redis::ErrorKind::UnknownCommand;
        result.notes.push_back(where +
                               (refused ? ": CLIENT LIST refused (" : ": CLIENT LIST failed (") +
                               std::string(list.errorMessage().substr(0, 80)) +
                               (refused ? "): orphaned locks cannot be detected"
                                        : "): orphaned locks not checked this time"));
    } else {
        clients = lockscopeClientsFromClientList(list.str());
        clientsKnown = true;
    }
    const Classifier classifier{options, clock, clientsKnown ? &clients : nullptr, seenOnGroup};
    Inspector inspector(options.inspect);
    redis::Connection scan(c.endpoint(), c.options());
    std::vector<Redirected> mine;
    BudgetedPace budget(c, options);
    auto refusal = scanAndInspect(
        scan, c, inspector, options.patterns,
        budget.unlimited() ? options.scanCount
                           : std::min(options.batchSize, options.pacedBatchSize),
        [&](std::vector<Inspected>&& batch) {
            classifier.file(std::move(batch), false, out, mine);
            return true;
        },
        budget.pace());
    if (budget.cancelled) result.unread.push_back(where + ": stopped before the end of the sweep");
    // Keys this node answered MOVED for: asked again here with ASKING (an importing node).
    std::vector<std::string> here;
    for (auto& r : mine) {
        if (r.to.empty())
            here.push_back(std::move(r.key));
        else
            redirected.push_back(std::move(r));
    }
    if (!here.empty()) classifier.file(inspector.inspect(c, here, true), true, out, redirected);
    for (auto& note : inspector.takeNotes()) result.notes.push_back(where + ": " + note);
    if (refusal)
        result.unread.push_back(where + ": SCAN answered " + refusal->substr(0, 80) +
                                ": its keys could not be listed");
    return out;
}

Survey surveyNodes(const std::vector<redis::Endpoint>& nodes, bool sharded,
                   const MonitorOptions& options, std::chrono::milliseconds rateWindow,
                   const Clock& clock, std::vector<std::string> notes,
                   const SeenOnGroup& seenOnGroup = {}) {
    if (nodes.empty()) throw redis::Error(redis::ErrorKind::InvalidArgument, "no server given");
    Survey result;
    result.notes = std::move(notes);
    for (const auto& n : nodes) result.nodes.push_back(n.display());
    std::vector<std::optional<redis::Connection>> conns(nodes.size());
    std::vector<NodeSurvey> perNode(nodes.size());
    std::vector<Redirected> redirected;
    redis::ConnectOptions co = options.connect;
    co.clientName = "lockscope-cli";
    std::optional<redis::Error> lastFailure;
    for (size_t i = 0; i < nodes.size(); ++i) {
        try {
            conns[i].emplace(nodes[i], co);
            perNode[i] = surveyNode(*conns[i], options, clock, result, redirected, seenOnGroup);
        } catch (const redis::Error& e) {
            // One server: its error is the command's. A group or a cluster: the same tolerance
            // for every node, whatever stopped it (unreachable, authentication, LOADING...).
            if (nodes.size() == 1) throw;
            result.unread.push_back(nodes[i].display() + ": " + e.what());
            perNode[i] = {};
            perNode[i].reachable = false;
            conns[i].reset();
            lastFailure = e;
        }
    }
    if (lastFailure && std::none_of(perNode.begin(), perNode.end(),
                                    [](const NodeSurvey& n) { return n.reachable; }))
        throw *lastFailure;

    // Redirected keys (slots in migration, a map that moved on): read where the redirect points,
    // filed under that node.
    for (size_t i = 0; i < nodes.size() && !redirected.empty(); ++i) {
        if (!conns[i]) continue;
        const std::string addr = nodes[i].tcp.display();
        for (const bool ask : {true, false}) {
            std::vector<std::string> keys;
            for (auto& r : redirected)
                if (!r.key.empty() && r.to == addr && r.ask == ask)
                    keys.push_back(std::move(r.key));
            if (keys.empty()) continue;
            const Classifier classifier{options, clock, nullptr};
            Inspector inspector(withoutIdle(options.inspect));
            std::vector<Redirected> further;  // a second redirect: the map is moving; left out
            classifier.file(inspector.inspect(*conns[i], keys, ask), true, perNode[i], further);
            for (auto& r : further) redirected.push_back({std::move(r.key), "?", false});
        }
    }
    size_t lost = 0;
    for (const auto& r : redirected) lost += r.key.empty() ? 0 : 1;
    if (lost > 0)
        result.unread.push_back(std::to_string(lost) +
                                " key(s) redirected (MOVED / ASK) to a node that could not be "
                                "read: the slot map is changing");
    for (size_t i = 0; i < nodes.size(); ++i)
        if (perNode[i].unreadable > 0)
            result.unread.push_back(
                nodes[i].display() + ": " + std::to_string(perNode[i].unreadable) +
                " key(s) could not be read (" + perNode[i].unreadableError.substr(0, 100) + ")");

    // Merge: a key is listed once, with how many nodes hold it.
    std::map<std::string, std::vector<const KeyRecord*>> byKey;
    for (size_t i = 0; i < perNode.size(); ++i)
        for (const auto& [k, r] : perNode[i].records) {
            auto& v = byKey[k];
            v.resize(nodes.size(), nullptr);
            v[i] = &r;
        }
    for (auto& [k, views] : byKey) {
        if (nodes.size() == 1 || sharded) {
            // One owner per key; a key seen on two masters (mid-migration) is listed once.
            for (size_t i = 0; i < views.size(); ++i)
                if (views[i]) {
                    result.records.push_back(*views[i]);
                    result.records.back().node = static_cast<std::int16_t>(i);
                    break;
                }
            continue;
        }
        if (auto merged = mergeNodes(views)) result.records.push_back(std::move(*merged));
    }

    if (rateWindow.count() > 0) {
        // Read the counters again after the window, each on its node; rate = change / elapsed.
        std::vector<std::vector<std::string>> keys(nodes.size());
        bool any = false;
        for (const auto& r : result.records)
            if (r.isCounter()) {
                keys[r.node >= 0 ? static_cast<size_t>(r.node) : 0].push_back(r.key);
                any = true;
            }
        if (any) {
            const auto t0 = clock.steadyNow();
            std::this_thread::sleep_for(rateWindow);
            Inspector inspector(options.inspect);
            std::vector<Inspected> again;
            for (size_t i = 0; i < nodes.size(); ++i) {
                if (keys[i].empty() || !conns[i]) continue;
                auto part = inspector.inspect(*conns[i], keys[i]);
                for (auto& in : part) again.push_back(std::move(in));
            }
            const double secs = std::chrono::duration<double>(clock.steadyNow() - t0).count();
            ClassifyContext ctx;
            ctx.wallNowMs = clock.wallMillis();
            ctx.now = clock.steadyNow();
            std::map<std::string, long long> now;
            for (auto& in : again) {
                KeyRecord r = classify(std::move(in.observation), ctx);
                if (r.isCounter()) now[r.key] = r.number;
            }
            for (auto& r : result.records) {
                if (!r.isCounter()) continue;
                auto it = now.find(r.key);
                if (it == now.end()) continue;
                // Measured from the first read of each counter, which happened during the scan:
                // slightly longer than the window for keys scanned early (a conservative rate).
                const double span =
                    std::max(secs, std::chrono::duration<double>(ctx.now - r.observedAt).count());
                r.ratePerSecond =
                    static_cast<float>(static_cast<double>(it->second - r.number) / span);
                r.number = it->second;
            }
        }
    }
    return result;
}

}  // namespace

Survey survey(const std::vector<redis::Endpoint>& nodes, const MonitorOptions& options,
              std::chrono::milliseconds rateWindow, const Clock& clock) {
    return surveyNodes(nodes, false, options, rateWindow, clock, {});
}

Survey survey(const MonitorTarget& target, const MonitorOptions& options,
              std::chrono::milliseconds rateWindow, const Clock& clock) {
    redis::ConnectOptions co = options.connect;
    co.clientName = "lockscope-cli";
    auto resolved = resolve(target, co);
    const bool sharded = target.kind != TargetKind::Group;
    SeenOnGroup seenOnGroup;
    if (target.kind == TargetKind::Sentinel) {
        // The replicas' CLIENT LISTs, read at the first tag missing on the master (1 s timeouts:
        // a dead old master must not hold up the survey).
        auto tags = std::make_shared<std::optional<std::unordered_set<std::string>>>();
        redis::ConnectOptions quick = co;
        quick.connectTimeout = std::min(quick.connectTimeout, std::chrono::milliseconds(1000));
        quick.commandTimeout = std::min(quick.commandTimeout, std::chrono::milliseconds(1000));
        seenOnGroup = [tags, target, quick, master = resolved.nodes](const std::string& tag) {
            if (!*tags) {
                tags->emplace();
                for (const auto& r : groupDataNodes(target, quick)) {
                    if (std::find(master.begin(), master.end(), r) != master.end()) continue;
                    try {
                        redis::Connection c(r, quick);
                        auto list = c.raw({"CLIENT", "LIST"});
                        if (list.isError()) continue;
                        for (auto& [t, name] : lockscopeClientsFromClientList(list.str()))
                            (*tags)->insert(t);
                    } catch (const redis::Error&) {
                        // Down (a killed old master): nothing seen there.
                    }
                }
            }
            return (*tags)->count(tag) > 0;
        };
    }
    return surveyNodes(resolved.nodes, sharded, options, rateWindow, clock,
                       std::move(resolved.notes), seenOnGroup);
}

}  // namespace lockscope::monitor

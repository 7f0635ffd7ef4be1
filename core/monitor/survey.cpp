#include "monitor/survey.h"

#include <algorithm>
#include <map>
#include <optional>
#include <thread>

#include "monitor/classifier.h"
#include "monitor/inspector.h"
#include "monitor/merge.h"
#include "monitor/scan.h"
#include "redis/error.h"

namespace lockscope::monitor {
namespace {

struct NodeSurvey {
    std::map<std::string, KeyRecord> records;
    bool reachable = true;
};

NodeSurvey surveyNode(redis::Connection& c, const MonitorOptions& options, const Clock& clock,
                      std::vector<std::string>& notes) {
    NodeSurvey out;
    const std::string where = c.endpoint().display();
    std::unordered_map<std::string, std::string> clients;
    bool clientsKnown = false;
    auto list = c.raw({"CLIENT", "LIST"});
    if (list.isError()) {
        notes.push_back(where + ": CLIENT LIST refused (" +
                        std::string(list.errorMessage().substr(0, 80)) +
                        "): orphaned locks cannot be detected");
    } else {
        clients = lockscopeClientsFromClientList(list.str());
        clientsKnown = true;
    }
    Inspector inspector(options.inspect);
    redis::Connection scan(c.endpoint(), c.options());
    auto refusal =
        scanAndInspect(scan, c, inspector, options.patterns, options.scanCount,
                       [&](std::vector<Inspected>&& batch) {
                           ClassifyContext ctx;
                           ctx.wallNowMs = clock.wallMillis();
                           ctx.now = clock.steadyNow();
                           ctx.expiringSoon = options.expiringSoon;
                           ctx.lockscopeClientsByTag = clientsKnown ? &clients : nullptr;
                           for (auto& in : batch) {
                               if (in.observation.type == "moved" || in.observation.type == "ask")
                                   continue;  // its owner lists it
                               ctx.companions = in.companions;
                               KeyRecord r = classify(std::move(in.observation), ctx);
                               if (r.isLock() || r.isCounter())
                                   out.records.emplace(r.key, std::move(r));
                           }
                           return true;
                       });
    for (auto& note : inspector.takeNotes()) notes.push_back(where + ": " + note);
    if (refusal)
        notes.push_back(where + ": SCAN refused (" + refusal->substr(0, 80) +
                        "): cannot list keys with this user");
    return out;
}

Survey surveyNodes(const std::vector<redis::Endpoint>& nodes, bool sharded,
                   const MonitorOptions& options, std::chrono::milliseconds rateWindow,
                   const Clock& clock, std::vector<std::string> notes) {
    if (nodes.empty()) throw redis::Error(redis::ErrorKind::InvalidArgument, "no server given");
    Survey result;
    result.notes = std::move(notes);
    for (const auto& n : nodes) result.nodes.push_back(n.display());
    std::vector<std::optional<redis::Connection>> conns(nodes.size());
    std::vector<NodeSurvey> perNode(nodes.size());
    redis::ConnectOptions co = options.connect;
    co.clientName = "lockscope-cli";
    for (size_t i = 0; i < nodes.size(); ++i) {
        try {
            conns[i].emplace(nodes[i], co);
            perNode[i] = surveyNode(*conns[i], options, clock, result.notes);
        } catch (const redis::Error& e) {
            if (nodes.size() == 1 || !e.breaksConnection()) throw;
            if (sharded && i + 1 == nodes.size() &&
                std::none_of(perNode.begin(), perNode.end() - 1,
                             [](const NodeSurvey& n) { return n.reachable; }))
                throw;
            result.notes.push_back(nodes[i].display() + ": unreachable (" + e.what() + ")");
            perNode[i].reachable = false;
            conns[i].reset();
        }
    }

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
    return surveyNodes(resolved.nodes, sharded, options, rateWindow, clock,
                       std::move(resolved.notes));
}

}  // namespace lockscope::monitor

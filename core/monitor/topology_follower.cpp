#include "monitor/topology_follower.h"

#include <algorithm>

#include "monitor/node_worker.h"
#include "redis/error.h"
#include "redis/sentinel.h"
#include "util/thread_name.h"

namespace lockscope::monitor {
namespace {

using std::chrono::milliseconds;

int overlap(const std::vector<redis::SlotRange>& a, const std::vector<redis::SlotRange>& b) {
    int n = 0;
    for (const auto& x : a)
        for (const auto& y : b)
            n += std::max(0, std::min(x.last, y.last) - std::max(x.first, y.first) + 1);
    return n;
}

}  // namespace

void TopologyFollower::start() {
    if (thread_.joinable()) return;
    if (sh_.target.kind == TargetKind::Sentinel)
        thread_ = std::thread([this] {
            setThreadName("ls-mon-topo");
            followSentinels();
        });
    else if (sh_.target.kind == TargetKind::Cluster)
        thread_ = std::thread([this] {
            setThreadName("ls-mon-topo");
            followCluster();
        });
}

void TopologyFollower::join() {
    if (thread_.joinable()) thread_.join();
}

// The follower's connections: a paused or unreachable Sentinel / node must not hold up the
// question for the full command timeout while the others could answer.
redis::ConnectOptions TopologyFollower::watcherOptions(const char* name) const {
    redis::ConnectOptions co = sh_.connectOptions();
    co.clientName = name;
    const milliseconds cap{1000};
    if (co.connectTimeout.count() == 0 || co.connectTimeout > cap) co.connectTimeout = cap;
    if (co.commandTimeout.count() == 0 || co.commandTimeout > cap) co.commandTimeout = cap;
    return co;
}

// Points `n` at `address` (a failover, or the first answer); its threads reconnect there,
// resubscribe and rescan. Returns false when it already was there.
bool TopologyFollower::repoint(Node& n, const redis::HostPort& address) {
    const redis::Endpoint e = sh_.target.dataEndpoint(address);
    if (!n.moveTo(e)) return false;
    sh_.editNode(n.index, [&](NodeStatus& st) {
        // Until its threads have reconnected and resubscribed there, it is neither.
        st.endpoint = e;
        st.role.clear();
        if (st.link == NodeStatus::Link::Connected) st.link = NodeStatus::Link::Reconnecting;
        st.subscribed = false;
        st.latencyUs = -1;
    });
    n.dirtyCv.notify_all();
    return true;
}

void TopologyFollower::followSentinels() {
    const MonitorTarget& target = sh_.target;
    Node& n = *sh_.nodeList().front();
    const redis::ConnectOptions co = watcherOptions("lockscope-monitor-sentinel");
    std::optional<redis::Connection> sub;  // +switch-master, on one Sentinel at a time
    size_t subIndex = 0;
    auto nextAsk = Steady::now();
    auto nextSubscribe = Steady::now();
    std::string lastProblem;
    const std::string name = target.masterName;
    while (!sh_.stopping.load()) {
        if (sh_.refreshRequested.exchange(false) || Steady::now() >= nextAsk) {
            nextAsk = Steady::now() + sh_.options.topologyRefresh;
            try {
                // Every Sentinel is asked and the newest knowledge (config epoch) wins: right
                // after a failover some still name the old master.
                auto answer =
                    redis::askSentinels(target.nodes, name, co, target.user, target.password);
                const std::string before = n.where();
                const bool first = !n.endpoint();
                if (repoint(n, answer.master)) {
                    if (first)
                        sh_.message("master " + name + " is " + answer.master.display() +
                                    " (Sentinel " + answer.sentinel + ", config epoch " +
                                    std::to_string(answer.configEpoch) + "); following it");
                    else
                        sh_.message("master " + name + " moved from " + before + " to " +
                                    answer.master.display() + " (Sentinel " + answer.sentinel +
                                    ", config epoch " + std::to_string(answer.configEpoch) +
                                    "); reconnecting, resubscribing and rescanning");
                }
                lastProblem.clear();
            } catch (const redis::Error& e) {
                const std::string problem = e.what();
                if (problem != lastProblem)
                    sh_.message("cannot ask the Sentinels where master " + name +
                                " is: " + problem);
                lastProblem = problem;
            }
        }
        // The Sentinels announce a completed failover on +switch-master: the fastest sign.
        if (!sub && Steady::now() >= nextSubscribe) {
            const auto& sentinel = target.nodes[subIndex % target.nodes.size()];
            try {
                sub.emplace(redis::connectSentinel(sentinel, co, target.user, target.password));
                sub->send({"SUBSCRIBE", "+switch-master"});
                sub->receive().throwIfError();
            } catch (const redis::Error&) {
                sub.reset();
                ++subIndex;  // try the next Sentinel; the periodic question covers meanwhile
                nextSubscribe = Steady::now() + milliseconds(500);
            }
        }
        if (!sub) {
            sh_.sleepFor(milliseconds(50));
            continue;
        }
        try {
            auto m = sub->receiveFor(milliseconds(50));
            if (!m || !m->isArray() || m->size() != 3 || (*m)[0].str() != "message") continue;
            auto sw = redis::parseSwitchMaster((*m)[2].str());
            if (!sw || sw->name != name) continue;
            const std::string before = n.where();
            if (repoint(n, sw->to))
                sh_.message("master " + name + " moved from " + before + " to " + sw->to.display() +
                            " (+switch-master from Sentinel " +
                            target.nodes[subIndex % target.nodes.size()].tcp.display() +
                            "); reconnecting, resubscribing and rescanning");
        } catch (const redis::Error&) {
            sub.reset();
            ++subIndex;
        }
    }
}

// Matches the followed nodes to the masters of a fresh slot map: a node whose address is still a
// master stays; one that is not (a failover) follows the master that took over most of its slots;
// masters nobody follows get a node of their own; a node left without slots retires.
void TopologyFollower::reconcile(const redis::ClusterMap& map) {
    const auto list = sh_.nodeList();
    std::vector<bool> taken(map.masters.size(), false);
    std::vector<Node*> lost;
    std::string changes;
    for (Node* n : list) {
        if (n->retired.load()) continue;
        auto ep = n->endpoint();
        size_t i = 0;
        for (; i < map.masters.size(); ++i)
            if (!taken[i] && ep && map.masters[i].address == ep->tcp) break;
        if (i == map.masters.size()) {
            lost.push_back(n);
            continue;
        }
        taken[i] = true;
        const auto& ranges = map.masters[i].ranges;
        const auto before = n->ranges();
        if (before != ranges) {
            if (!before.empty()) {
                changes += (changes.empty() ? "" : ", ") + ep->tcp.display() + " now serves " +
                           redis::slotsText(ranges);
                // Resharding: what it gained is found by a scan (a migrated key raises no event
                // where it lands that the node would answer before the slot is its own).
                n->rescanRequested = true;
                n->dirtyCv.notify_all();
            }
            n->setRanges(ranges);
            sh_.editNode(n->index, [&](NodeStatus& st) { st.ranges = ranges; });
        }
    }
    for (Node* n : lost) {
        size_t best = map.masters.size();
        int bestOverlap = 0;
        const auto ranges = n->ranges();
        for (size_t i = 0; i < map.masters.size(); ++i) {
            if (taken[i]) continue;
            const int o = overlap(ranges, map.masters[i].ranges);
            if (o > bestOverlap) {
                best = i;
                bestOverlap = o;
            }
        }
        const std::string before = n->where();
        if (best == map.masters.size()) {
            n->retired = true;
            ++n->generation;
            n->dirtyCv.notify_all();
            sh_.editNode(n->index, [](NodeStatus& st) {
                st.link = NodeStatus::Link::Stopped;
                st.ranges.clear();
                st.subscribed = false;
            });
            sh_.message("cluster: " + before +
                        " no longer serves any slot; its keys are listed where they went");
            sh_.post({InboxItem::What::Retired, n->index, 0, {}});
            continue;
        }
        taken[best] = true;
        const auto& m = map.masters[best];
        repoint(*n, m.address);
        n->setRanges(m.ranges);
        sh_.editNode(n->index, [&](NodeStatus& st) { st.ranges = m.ranges; });
        sh_.message("cluster: slots " + redis::slotsText(m.ranges) + " moved from " + before +
                    " to " + m.address.display() +
                    " (failover); reconnecting, resubscribing and rescanning");
    }
    const bool first = list.empty();
    std::string added;
    for (size_t i = 0; i < map.masters.size(); ++i) {
        if (taken[i]) continue;
        const auto& m = map.masters[i];
        Node* n = sh_.addNode(sh_.target.dataEndpoint(m.address));
        n->setRanges(m.ranges);
        sh_.editNode(n->index, [&](NodeStatus& st) { st.ranges = m.ranges; });
        added += (added.empty() ? "" : ", ") + m.address.display() + " (" +
                 redis::slotsText(m.ranges) + ")";
        if (sh_.running.load() && !sh_.stopping.load()) startNodeThreads(sh_, *n);
    }
    if (first)
        sh_.message("cluster: " + std::to_string(map.masters.size()) + " masters — " + added +
                    "; scanning and subscribing on each");
    else if (!added.empty())
        sh_.message("cluster: new master(s) " + added + "; following them too");
    if (!changes.empty()) sh_.message("cluster: slot map changed: " + changes);
}

void TopologyFollower::followCluster() {
    const redis::ConnectOptions co = watcherOptions("lockscope-monitor-cluster");
    auto next = Steady::now();
    std::string lastProblem;
    while (!sh_.stopping.load()) {
        if (sh_.refreshRequested.exchange(false) || Steady::now() >= next) {
            next = Steady::now() + sh_.options.topologyRefresh;
            // Ask the masters we follow first (they know a failover they took part in), then the
            // seeds of the URL.
            std::vector<redis::Endpoint> ask;
            for (Node* n : sh_.nodeList())
                if (auto ep = n->endpoint(); ep && !n->retired.load()) ask.push_back(*ep);
            ask.insert(ask.end(), sh_.target.nodes.begin(), sh_.target.nodes.end());
            try {
                auto map = redis::discoverCluster(ask, co);
                reconcile(map);
                sh_.discovered = true;
                lastProblem.clear();
            } catch (const redis::Error& e) {
                const std::string problem = e.what();
                if (problem != lastProblem)
                    sh_.message("cannot read the cluster's slot map: " + problem);
                lastProblem = problem;
            }
        }
        sh_.sleepFor(milliseconds(50));
    }
}

}  // namespace lockscope::monitor

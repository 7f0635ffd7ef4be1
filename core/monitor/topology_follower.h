// Thread contract: start() and join() from the thread that starts and stops the monitor; the
// following runs on its own thread ("ls-mon-topo") until the monitor stops.
//
// Following a topology: where a Sentinel group's master is, and which masters a cluster has.
//   - Sentinel: every Sentinel is asked (the newest config epoch wins) every `topologyRefresh`
//     and at once when a node thread asks (a lost connection, a master turned replica), and
//     +switch-master is followed on one Sentinel at a time; the one node is repointed there.
//   - Cluster: the slot map is re-read likewise (and on MOVED / ASK) and reconciled with the
//     nodes followed: a node still a master keeps following it, one whose address is no longer a
//     master follows the master that took over most of its slots (a failover), masters nobody
//     follows get a node of their own (its threads started), a node left without slots retires.
// Repointing a node bumps its generation: its threads reconnect there, resubscribe and rescan.
#pragma once

#include <thread>

#include "monitor/shared_state.h"

namespace lockscope::monitor {

class TopologyFollower {
public:
    explicit TopologyFollower(SharedState& shared) : sh_(shared) {}
    ~TopologyFollower() { join(); }
    TopologyFollower(const TopologyFollower&) = delete;
    TopologyFollower& operator=(const TopologyFollower&) = delete;

    // Starts following when the target is a Sentinel group or a cluster; else does nothing.
    void start();
    // Returns once the thread has seen SharedState::stopping.
    void join();

private:
    void followSentinels();
    void followCluster();
    void reconcile(const redis::ClusterMap& map);
    bool repoint(Node& n, const redis::HostPort& address);
    redis::ConnectOptions watcherOptions(const char* name) const;

    SharedState& sh_;
    std::thread thread_;
};

}  // namespace lockscope::monitor

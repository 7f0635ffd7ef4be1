// Sandbox topologies that LockScope starts and stops itself, for manual failover testing, the
// failover demos and the integration tests — every process a sandbox::RedisServer on a free
// loopback port in its own temp directory, stopped by pid:
//
//   standalone  one redis-server
//   redlock     N independent masters (default 5): a Redlock group
//   sentinel    a master, one replica and 3 Sentinels watching them (quorum 2); short
//               down-after / failover timeouts so failovers take a second, not half a minute
//   cluster     a Redis Cluster of 3 masters and 3 replicas (redis-cli --cluster create), ready
//               when every node reports cluster_state:ok and every replica is in sync
//
// Per-node controls: stop (SIGTERM), kill (SIGKILL: a crash), pause / resume (SIGSTOP / SIGCONT),
// restart (without persistence: it comes back empty, optionally after a delay), and fail over
// (SENTINEL FAILOVER <master>; CLUSTER FAILOVER on a replica). snapshot() reads every node's role
// (ROLE, CLUSTER SLOTS, what the Sentinels say) for a topology view.
//
// Thread contract: one owner thread, which must outlive the topology — its servers die with the
// thread that (re)started them (PR_SET_PDEATHSIG), so call the constructor, restartNode() and
// startNode() from the same long-lived thread (the dashboard: its sandbox thread). snapshot() and
// the other read-only calls do blocking I/O with short timeouts: never on a GUI thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "redis/cluster.h"
#include "redis/url.h"
#include "sandbox/redis_server.h"
#include "util/message.h"

namespace lockscope::sandbox {

using std::chrono::milliseconds;

enum class TopologyKind { Standalone, Redlock, Sentinel, Cluster };
std::string_view topologyKindName(TopologyKind kind);  // "standalone", "redlock", ...
std::optional<TopologyKind> parseTopologyKind(std::string_view name);

struct TopologyOptions {
    TopologyKind kind = TopologyKind::Standalone;
    int redlockNodes = 5;                 // redlock: independent masters (1..16)
    std::string masterName = "mymaster";  // sentinel: the monitored master's name
    int sentinels = 3;                    // sentinel: Sentinels (quorum: a majority of them)
    // sentinel: down-after-milliseconds (Redis' default is 30 s) and failover-timeout (3 min).
    milliseconds downAfter{1000};
    milliseconds failoverTimeout{5000};
    // cluster: cluster-node-timeout (Redis' default 15 s): how soon a dead master is failed over.
    milliseconds clusterNodeTimeout{2000};
    std::string notifyKeyspaceEvents = "KEA";  // on every data node, for the monitor
    std::string password;  // requirepass (+ masterauth, Sentinel auth-pass) on data nodes
    milliseconds readyTimeout{30000};  // formation: replicas in sync, Sentinels agreed, cluster ok
    // Every node (Sentinels too) also listens with TLS, and replication, the cluster bus and the
    // Sentinels' links run over TLS: the nodes announce their TLS ports, so a client that follows
    // the topology must speak TLS (url() is then rediss+…). The plain ports stay open on loopback
    // for the topology's own controls. `replicationAndCluster` is implied.
    std::optional<RedisServerTls> tls;
};

enum class NodeRole { Standalone, Master, Replica, Sentinel };
std::string_view nodeRoleName(NodeRole role);  // "standalone", "master", "replica", "sentinel"

enum class NodeState { Running, Paused, Stopped };
std::string_view nodeStateName(NodeState state);  // "running", "paused", "stopped"

// One process as a topology view shows it.
struct NodeView {
    int index = 0;
    std::string address;                   // "127.0.0.1:port"
    pid_t pid = -1;                        // -1 when stopped
    NodeRole role = NodeRole::Standalone;  // as it reports itself now (as started when unreachable)
    NodeState state = NodeState::Running;
    bool reachable = false;  // answered within the snapshot's timeout
    std::string masterOf;    // replica: the address it replicates from
    std::string linkStatus;  // replica: "connected", "connecting", "sync", ... (ROLE's state)
    long long replicationOffset = -1;
    std::vector<std::string> replicas;     // master: its replicas' addresses, as it lists them
    std::vector<redis::SlotRange> ranges;  // cluster master: the slots it serves
    long long keys = -1;                   // data node: DBSIZE; -1 unknown
    std::string note;  // e.g. "master per the Sentinels", "replica of a stopped master"
    // `note` under its message id (topologyNoteTexts()), for the dashboard's language; an error
    // from the node is plain text (util/message.h).
    Message noteMessage;
};

// Every sentence a NodeView's note can be, for the translations and their check.
std::span<const MessageText* const> topologyNoteTexts();

struct TopologySnapshot {
    TopologyKind kind = TopologyKind::Standalone;
    std::string url;             // how to monitor it (see Topology::url())
    std::string masterName;      // sentinel
    std::string sentinelMaster;  // sentinel: where the Sentinels (newest config epoch) say it is
    bool clusterOk = false;      // cluster: cluster_state:ok on a reachable master
    std::vector<NodeView> nodes;
};

struct FailoverResult {
    std::string from;      // the master before
    std::string to;        // the node promoted
    milliseconds took{0};  // until the new master reported role master (and, for Sentinel, the
                           // Sentinel asked named it)
};

class Topology {
public:
    // Starts everything and waits until it is usable (see TopologyOptions::readyTimeout). Throws
    // std::runtime_error saying what failed (with the tail of the server's log); whatever was
    // started by then is stopped.
    explicit Topology(TopologyOptions options);
    ~Topology();  // every process killed by pid, temp directories removed
    Topology(const Topology&) = delete;
    Topology& operator=(const Topology&) = delete;

    TopologyKind kind() const { return options_.kind; }
    const TopologyOptions& options() const { return options_; }
    size_t size() const { return nodes_.size(); }
    RedisServer& server(size_t i) { return *nodes_.at(i).server; }
    const RedisServer& server(size_t i) const { return *nodes_.at(i).server; }
    // The role a node was started in (sentinel: 0 master, 1 replica, then the Sentinels).
    NodeRole startedAs(size_t i) const { return nodes_.at(i).startedAs; }
    std::string address(
        size_t i) const;  // "127.0.0.1:port", the TLS port with TopologyOptions::tls
    std::optional<size_t> indexOf(const redis::HostPort& address) const;
    std::vector<size_t> dataNodes() const;      // redis-servers, in start order
    std::vector<size_t> sentinelNodes() const;  // Sentinels
    std::vector<redis::Endpoint> dataEndpoints() const;
    std::vector<redis::Endpoint> sentinelEndpoints() const;

    // How LockScope monitors it: redis://h:p (standalone), redis+sentinel://s1,s2,s3/mymaster,
    // redis+cluster://h:p,... (every data node as a seed); "" for redlock — see nodesArg().
    // With TopologyOptions::tls: rediss… at the TLS ports (the CA and any client certificate are
    // the client's options).
    std::string url() const;
    // "h:p,h:p,..." of the data nodes (--nodes for a Redlock group).
    std::string nodesArg() const;

    // Per-node controls. Indexes are those of server(). Stop/kill/pause/resume on a stopped
    // node do nothing.
    void stopNode(size_t i);    // SIGTERM, wait until it is gone
    void killNode(size_t i);    // SIGKILL: a crash
    void pauseNode(size_t i);   // SIGSTOP: unreachable, sockets open
    void resumeNode(size_t i);  // SIGCONT
    void startNode(size_t i);   // start a stopped node again (same port, same directory)
    // Kill and start again without persistence: it comes back empty (a cluster node keeps its
    // nodes.conf, so its identity). `delay`: how long it stays down first — a restart delayed
    // past the longest lock TTL cannot re-grant a lock it had granted.
    void restartNode(size_t i, milliseconds delay = milliseconds(0));

    // Sentinel: SENTINEL FAILOVER <master> on the first Sentinel that accepts it (`node` is
    // ignored). Cluster: CLUSTER FAILOVER on `node` if it is a replica, else on a replica of it
    // (a master). Waits until the promoted node reports role master (and the Sentinels name it).
    // NOGOODSLAVE (no replica the Sentinels find fit yet) is asked again until the timeout.
    // Throws std::runtime_error (a refusal, no replica, timeout) and
    // redis::Error(InvalidArgument) for standalone / redlock.
    FailoverResult failover(std::optional<size_t> node = std::nullopt,
                            milliseconds timeout = milliseconds(15000));

    // Sentinel: the node the Sentinels name as master now (newest config epoch); nullopt when no
    // Sentinel answers.
    std::optional<size_t> sentinelMaster() const;
    // Blocks until the topology is usable again after faults: replicas in sync (sentinel), every
    // node cluster_state:ok with replicas in sync (cluster). False on timeout.
    bool waitUntilSettled(milliseconds timeout) const;

    // Every node's role and state, for a topology view (blocking, ~timeout per unreachable node).
    TopologySnapshot snapshot(milliseconds timeout = milliseconds(300)) const;

private:
    int announcedPort(size_t i) const;  // the port the node announces: TLS port with tls
    struct Node {
        std::unique_ptr<RedisServer> server;
        NodeRole startedAs = NodeRole::Standalone;
    };

    void startStandalone();
    void startRedlock();
    void startSentinel();
    void startCluster();
    RedisServerOptions dataNodeOptions() const;
    std::string waitFor(const std::string& what, milliseconds timeout,
                        const std::function<std::string()>& problem) const;

    TopologyOptions options_;
    std::vector<Node> nodes_;
    std::filesystem::path toolDir_;  // redis-cli's output, for error messages
};

}  // namespace lockscope::sandbox

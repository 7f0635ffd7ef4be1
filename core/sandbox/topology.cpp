#include "sandbox/topology.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "redis/cluster.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "redis/info.h"
#include "redis/sentinel.h"
#include "util/subprocess.h"

namespace lockscope::sandbox {

namespace {

constexpr MessageText kNoteNamesMaster{"note.names-master",
                                       "names %1 as master (config epoch %2, %3)"};
constexpr MessageText kNotePaused{"note.paused", "paused (SIGSTOP): it does not answer"};
constexpr MessageText kNoteSentinelMaster{"note.sentinel-master", "master per the Sentinels"};
constexpr const MessageText* kNoteTexts[] = {&kNoteNamesMaster, &kNotePaused, &kNoteSentinelMaster};

}  // namespace

std::span<const MessageText* const> topologyNoteTexts() { return kNoteTexts; }
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

std::string readFile(const fs::path& file, size_t maxBytes) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > maxBytes ? text.substr(text.size() - maxBytes) : text;
}

// Runs a tool (redis-cli) to completion with its output in `log`; killed by pid after `timeout`.
// Returns its exit code (128 + signal when killed).
int runTool(const std::vector<std::string>& argv, const fs::path& log, milliseconds timeout,
            const std::string& password = {}) {
    SpawnOptions o;
    if (!password.empty()) {
        // REDISCLI_AUTH rather than -a: a command line is readable by every local user.
        std::vector<std::string> env;
        for (char** e = environ; e && *e; ++e)
            if (std::strncmp(*e, "REDISCLI_AUTH=", 14) != 0) env.emplace_back(*e);
        env.push_back("REDISCLI_AUTH=" + password);
        o.environment = std::move(env);
    }
    o.in = Stdio::Null;
    o.out = Stdio::File;
    o.err = Stdio::File;
    o.outputFile = log.string();
    o.newProcessGroup = true;
    Subprocess tool;
    try {
        tool = Subprocess::spawn(argv, o);
    } catch (const SpawnError& e) {
        throw std::runtime_error(std::string(e.what()) +
                                 " — is it installed? Debian: apt-get install redis-tools");
    }
    if (auto code = tool.wait(timeout)) return *code;
    return tool.kill();
}

redis::ConnectOptions quick(milliseconds timeout) {
    redis::ConnectOptions o;
    o.connectTimeout = timeout;
    o.commandTimeout = timeout;
    o.clientName = "lockscope-sandbox";
    return o;
}

struct RoleInfo {
    std::string role;  // "master", "slave", "sentinel"
    std::string masterOf;
    std::string state;  // replica link state
    long long offset = -1;
    std::vector<redis::HostPort> replicas;
};

RoleInfo readRole(redis::Connection& c) {
    RoleInfo info;
    auto r = c.command({"ROLE"});
    if (!r.isArray() || r.size() < 1) return info;
    info.role = std::string(r[0].str());
    if (info.role == "master" && r.size() >= 3) {
        info.offset = r[1].integer();
        auto reps = r[2];
        for (size_t i = 0; i < reps.size(); ++i) {
            auto rep = reps[i];
            if (rep.size() < 2) continue;
            int port = 0;
            const auto portText = rep[1].str();
            std::from_chars(portText.data(), portText.data() + portText.size(), port);
            info.replicas.push_back({std::string(rep[0].str()), port});
        }
    } else if (info.role == "slave" && r.size() >= 5) {
        info.masterOf = std::string(r[1].str()) + ":" + std::to_string(r[2].integer());
        info.state = std::string(r[3].str());
        info.offset = r[4].integer();
    }
    return info;
}

}  // namespace

std::string_view topologyKindName(TopologyKind kind) {
    switch (kind) {
        case TopologyKind::Standalone:
            return "standalone";
        case TopologyKind::Redlock:
            return "redlock";
        case TopologyKind::Sentinel:
            return "sentinel";
        case TopologyKind::Cluster:
            return "cluster";
    }
    return "?";
}

std::optional<TopologyKind> parseTopologyKind(std::string_view name) {
    for (auto k : {TopologyKind::Standalone, TopologyKind::Redlock, TopologyKind::Sentinel,
                   TopologyKind::Cluster})
        if (topologyKindName(k) == name) return k;
    return std::nullopt;
}

std::string_view nodeRoleName(NodeRole role) {
    switch (role) {
        case NodeRole::Standalone:
            return "standalone";
        case NodeRole::Master:
            return "master";
        case NodeRole::Replica:
            return "replica";
        case NodeRole::Sentinel:
            return "sentinel";
    }
    return "?";
}

std::string_view nodeStateName(NodeState state) {
    switch (state) {
        case NodeState::Running:
            return "running";
        case NodeState::Paused:
            return "paused";
        case NodeState::Stopped:
            return "stopped";
    }
    return "?";
}

Topology::Topology(TopologyOptions options) : options_(std::move(options)) {
    try {
        switch (options_.kind) {
            case TopologyKind::Standalone:
                startStandalone();
                break;
            case TopologyKind::Redlock:
                startRedlock();
                break;
            case TopologyKind::Sentinel:
                startSentinel();
                break;
            case TopologyKind::Cluster:
                startCluster();
                break;
        }
    } catch (...) {
        nodes_.clear();  // every server started so far is killed by its destructor
        if (!toolDir_.empty()) {
            std::error_code ec;
            fs::remove_all(toolDir_, ec);
        }
        throw;
    }
}

Topology::~Topology() {
    // Sentinels first: they would otherwise react to the data nodes going away.
    for (size_t i : sentinelNodes()) nodes_[i].server.reset();
    nodes_.clear();
    if (!toolDir_.empty()) {
        std::error_code ec;
        fs::remove_all(toolDir_, ec);
    }
}

RedisServerOptions Topology::dataNodeOptions() const {
    RedisServerOptions o;
    o.notifyKeyspaceEvents = options_.notifyKeyspaceEvents;
    o.password = options_.password;
    // Whoever becomes master must start a replica's sync at once: the default 5 s delay let a
    // failover happen before the replica had synced.
    o.extraArgs = {"--repl-diskless-sync-delay", "0"};
    // masterauth goes with requirepass into the server's private config file (redis_server.h).
    if (options_.tls) {
        o.tls = options_.tls;
        // A replica or cluster peer links with the node's own certificate (tls-cert-file), which
        // must then allow client use too where tls-auth-clients asks for one.
        o.tls->replicationAndCluster = true;
    }
    return o;
}

void Topology::startStandalone() {
    nodes_.push_back({std::make_unique<RedisServer>(dataNodeOptions()), NodeRole::Standalone});
}

void Topology::startRedlock() {
    if (options_.redlockNodes < 1 || options_.redlockNodes > 16)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "a Redlock group needs 1 to 16 nodes");
    for (int i = 0; i < options_.redlockNodes; ++i)
        nodes_.push_back({std::make_unique<RedisServer>(dataNodeOptions()), NodeRole::Master});
}

void Topology::startSentinel() {
    if (options_.sentinels < 1 || options_.sentinels > 9)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "a Sentinel topology needs 1 to 9 Sentinels");
    const std::string& name = options_.masterName;
    nodes_.push_back({std::make_unique<RedisServer>(dataNodeOptions()), NodeRole::Master});
    const int masterPort = announcedPort(0);
    RedisServerOptions replica = dataNodeOptions();
    replica.extraArgs.insert(replica.extraArgs.end(),
                             {"--replicaof", "127.0.0.1", std::to_string(masterPort)});
    nodes_.push_back({std::make_unique<RedisServer>(replica), NodeRole::Replica});

    const int quorum = options_.sentinels / 2 + 1;
    std::ostringstream conf;
    conf << "sentinel monitor " << name << " 127.0.0.1 " << masterPort << " " << quorum << "\n"
         << "sentinel down-after-milliseconds " << name << " " << options_.downAfter.count() << "\n"
         << "sentinel failover-timeout " << name << " " << options_.failoverTimeout.count() << "\n"
         << "sentinel parallel-syncs " << name << " 1\n";
    if (!options_.password.empty())
        conf << "sentinel auth-pass " << name << " " << options_.password << "\n";
    for (int i = 0; i < options_.sentinels; ++i) {
        RedisServerOptions s;
        s.sentinel = true;
        s.sentinelConfig = conf.str();
        s.unixSocket = false;
        s.notifyKeyspaceEvents.clear();
        if (options_.tls) {  // clients and the links to masters, replicas and Sentinels
            s.tls = options_.tls;
            s.tls->replicationAndCluster = true;
        }
        nodes_.push_back({std::make_unique<RedisServer>(s), NodeRole::Sentinel});
    }
    // Usable: the replica is in sync, and every Sentinel knows the replica and the other Sentinels
    // (hello messages every 2 s), so a failover — forced or after a crash — can happen at once.
    waitFor("the Sentinel topology", options_.readyTimeout, [&]() -> std::string {
        if (!waitUntilSettled(0ms)) return "the replica is not in sync yet";
        for (size_t i : sentinelNodes()) {
            try {
                redis::Connection c(server(i).endpoint(), quick(500ms));
                auto reply = c.command({"SENTINEL", "MASTER", name});
                std::string slaves, others;
                for (size_t f = 0; f + 1 < reply.size(); f += 2) {
                    if (reply[f].str() == "num-slaves") slaves = std::string(reply[f + 1].str());
                    if (reply[f].str() == "num-other-sentinels")
                        others = std::string(reply[f + 1].str());
                }
                if (slaves != "1")
                    return "Sentinel " + address(i) + " does not know the replica yet";
                if (others != std::to_string(options_.sentinels - 1))
                    return "Sentinel " + address(i) + " knows " + others +
                           " other Sentinels, not " + std::to_string(options_.sentinels - 1);
            } catch (const redis::Error& e) {
                return "Sentinel " + address(i) + ": " + e.what();
            }
        }
        return "";
    });
}

void Topology::startCluster() {
    RedisServerOptions o = dataNodeOptions();
    o.extraArgs.insert(o.extraArgs.end(), {"--cluster-enabled", "yes", "--cluster-config-file",
                                           "nodes.conf", "--cluster-node-timeout",
                                           std::to_string(options_.clusterNodeTimeout.count())});
    for (int i = 0; i < 6; ++i)
        nodes_.push_back({std::make_unique<RedisServer>(o), NodeRole::Master});

    std::string pattern = (fs::temp_directory_path() / "lockscope-cluster-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a temp directory for redis-cli");
    toolDir_ = pattern;
    std::vector<std::string> argv = {"redis-cli", "--cluster", "create"};
    for (size_t i = 0; i < nodes_.size(); ++i) argv.push_back(address(i));
    if (options_.tls)
        argv.insert(argv.end(), {"--tls", "--cacert", options_.tls->caFile, "--cert",
                                 options_.tls->certFile, "--key", options_.tls->keyFile});
    argv.insert(argv.end(), {"--cluster-replicas", "1", "--cluster-yes"});
    const fs::path log = toolDir_ / "cluster-create.log";
    const int code = runTool(argv, log, options_.readyTimeout, options_.password);
    if (code != 0)
        throw std::runtime_error("redis-cli --cluster create failed (exit " + std::to_string(code) +
                                 "): " + readFile(log, 600));
    // redis-cli said which nodes became replicas; ROLE is the truth.
    for (size_t i = 0; i < nodes_.size(); ++i) {
        redis::Connection c(server(i).endpoint(), quick(1000ms));
        if (readRole(c).role == "slave") nodes_[i].startedAs = NodeRole::Replica;
    }
    waitFor("the cluster", options_.readyTimeout, [&]() -> std::string {
        return waitUntilSettled(0ms)
                   ? ""
                   : "not every node reports cluster_state:ok with its replica in sync";
    });
}

std::string Topology::waitFor(const std::string& what, milliseconds timeout,
                              const std::function<std::string()>& problem) const {
    const auto deadline = Steady::now() + timeout;
    std::string last;
    while (true) {
        last = problem();
        if (last.empty()) return "";
        if (Steady::now() >= deadline)
            throw std::runtime_error(what + " was not ready after " +
                                     std::to_string(timeout.count()) + " ms: " + last);
        std::this_thread::sleep_for(50ms);
    }
}

bool Topology::waitUntilSettled(milliseconds timeout) const {
    const auto deadline = Steady::now() + timeout;
    while (true) {
        bool ok = true;
        try {
            if (options_.kind == TopologyKind::Sentinel) {
                // The current master has every running data node as a replica in sync.
                auto masterIndex = sentinelMaster();
                if (!masterIndex) masterIndex = 0;
                redis::Connection m(server(*masterIndex).endpoint(), quick(500ms));
                const auto role = readRole(m);
                size_t expected = 0;
                for (size_t i : dataNodes())
                    if (i != *masterIndex && server(i).running() && !server(i).paused()) ++expected;
                ok = role.role == "master" && role.replicas.size() >= expected;
                for (size_t i : dataNodes()) {
                    if (!ok || i == *masterIndex || !server(i).running() || server(i).paused())
                        continue;
                    redis::Connection r(server(i).endpoint(), quick(500ms));
                    ok = readRole(r).state == "connected";
                }
            } else if (options_.kind == TopologyKind::Cluster) {
                for (size_t i : dataNodes()) {
                    if (!ok || !server(i).running() || server(i).paused()) continue;
                    redis::Connection c(server(i).endpoint(), quick(500ms));
                    auto info = c.command({"CLUSTER", "INFO"});
                    ok = redis::infoField(info.str(), "cluster_state") == "ok";
                    if (!ok) break;
                    const auto role = readRole(c);
                    if (role.role == "slave") ok = role.state == "connected";
                    // A master votes for a replica's CLUSTER FAILOVER only once gossip told it
                    // whose replica that is.
                    if (role.role == "master") {
                        const std::string nodes(c.command({"CLUSTER", "NODES"}).str());
                        size_t replicasKnown = 0;
                        for (size_t at = nodes.find(",slave "); at != std::string::npos;
                             at = nodes.find(",slave ", at + 1))
                            ++replicasKnown;
                        for (size_t at = nodes.find(" slave "); at != std::string::npos;
                             at = nodes.find(" slave ", at + 1))
                            ++replicasKnown;
                        size_t running = 0;
                        for (size_t j : dataNodes())
                            if (server(j).running() && !server(j).paused()) ++running;
                        ok = replicasKnown * 2 >= running;  // one replica per master
                    }
                    // Every slot served. (Waiting until every node's CLUSTER SLOTS lists every
                    // replica took 10-20 s of gossip here; CLUSTER FAILOVER works long before.)
                    auto map = redis::parseClusterSlots(c.command({"CLUSTER", "SLOTS"}));
                    int served = 0;
                    for (const auto& mm : map.masters) served += mm.slotCount();
                    ok = ok && served == redis::kClusterSlots;
                }
            }
        } catch (const redis::Error&) {
            ok = false;
        }
        if (ok) return true;
        if (Steady::now() >= deadline) return false;
        std::this_thread::sleep_for(50ms);
    }
}

int Topology::announcedPort(size_t i) const {
    const RedisServer& s = *nodes_.at(i).server;
    return options_.tls ? s.tlsPort() : s.port();
}

std::string Topology::address(size_t i) const {
    return "127.0.0.1:" + std::to_string(announcedPort(i));
}

std::optional<size_t> Topology::indexOf(const redis::HostPort& hp) const {
    if (hp.host != "127.0.0.1" && hp.host != "localhost") return std::nullopt;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].server->port() == hp.port ||
            (options_.tls && nodes_[i].server->tlsPort() == hp.port))
            return i;
    return std::nullopt;
}

std::vector<size_t> Topology::dataNodes() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].startedAs != NodeRole::Sentinel) out.push_back(i);
    return out;
}

std::vector<size_t> Topology::sentinelNodes() const {
    std::vector<size_t> out;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].startedAs == NodeRole::Sentinel) out.push_back(i);
    return out;
}

std::vector<redis::Endpoint> Topology::dataEndpoints() const {
    std::vector<redis::Endpoint> out;
    for (size_t i : dataNodes()) out.push_back(server(i).endpoint());
    return out;
}

std::vector<redis::Endpoint> Topology::sentinelEndpoints() const {
    std::vector<redis::Endpoint> out;
    for (size_t i : sentinelNodes()) out.push_back(server(i).endpoint());
    return out;
}

std::string Topology::url() const {
    const std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
    auto list = [&](const std::vector<size_t>& idx) {
        std::string s;
        for (size_t i : idx) s += (s.empty() ? "" : ",") + address(i);
        return s;
    };
    switch (options_.kind) {
        case TopologyKind::Standalone:
            return options_.tls ? "rediss://" + auth + address(0) : server(0).url();
        case TopologyKind::Redlock:
            return "";
        case TopologyKind::Sentinel:
            return (options_.tls ? "rediss+sentinel://" : "redis+sentinel://") + auth +
                   list(sentinelNodes()) + "/" + options_.masterName;
        case TopologyKind::Cluster:
            return (options_.tls ? "rediss+cluster://" : "redis+cluster://") + auth +
                   list(dataNodes());
    }
    return "";
}

std::string Topology::nodesArg() const {
    std::string s;
    for (size_t i : dataNodes()) s += (s.empty() ? "" : ",") + address(i);
    return s;
}

void Topology::stopNode(size_t i) { server(i).stop(); }
void Topology::killNode(size_t i) { server(i).kill(); }
void Topology::pauseNode(size_t i) { server(i).pause(); }
void Topology::resumeNode(size_t i) { server(i).resume(); }

void Topology::startNode(size_t i) {
    RedisServer& s = server(i);
    if (s.running()) return;
    if (options_.kind == TopologyKind::Sentinel && !s.isSentinel()) {
        // Come back as what the Sentinels say it is now, not as it was first started: a promoted
        // replica must not rejoin as the replica of a master that has since been demoted.
        std::vector<std::string> args = dataNodeOptions().extraArgs;
        auto master = sentinelMaster();
        if (master && *master != i)
            args.insert(args.end(),
                        {"--replicaof", "127.0.0.1", std::to_string(announcedPort(*master))});
        s.setExtraArgs(std::move(args));
    }
    s.restart();
}

void Topology::restartNode(size_t i, milliseconds delay) {
    server(i).kill();
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    startNode(i);
}

std::optional<size_t> Topology::sentinelMaster() const {
    if (options_.kind != TopologyKind::Sentinel) return std::nullopt;
    std::vector<redis::Endpoint> sentinels;
    for (size_t i : sentinelNodes())
        if (server(i).running() && !server(i).paused()) sentinels.push_back(server(i).endpoint());
    if (sentinels.empty()) return std::nullopt;
    try {
        auto answer = redis::askSentinels(sentinels, options_.masterName, quick(500ms));
        return indexOf(answer.master);
    } catch (const redis::Error&) {
        return std::nullopt;
    }
}

FailoverResult Topology::failover(std::optional<size_t> node, milliseconds timeout) {
    const auto t0 = Steady::now();
    FailoverResult result;
    if (options_.kind == TopologyKind::Sentinel) {
        auto before = sentinelMaster();
        if (!before) throw std::runtime_error("no Sentinel answered: cannot fail over");
        result.from = address(*before);
        std::string refusals;
        // Asks the Sentinels in turn until one starts a failover; true when one did.
        auto ask = [&] {
            refusals.clear();
            for (size_t i : sentinelNodes()) {
                if (!server(i).running() || server(i).paused()) continue;
                try {
                    redis::Connection c(server(i).endpoint(), quick(1000ms));
                    auto r = c.raw({"SENTINEL", "FAILOVER", options_.masterName});
                    if (r.isError()) {
                        refusals += (refusals.empty() ? "" : "; ") + address(i) + ": " +
                                    std::string(r.errorMessage());
                        continue;
                    }
                    return true;
                } catch (const redis::Error& e) {
                    refusals += (refusals.empty() ? "" : "; ") + address(i) + ": " + e.what();
                }
            }
            return false;
        };
        // NOGOODSLAVE: no replica the Sentinels find fit yet — right after an earlier failover the
        // demoted master's resync and the Sentinels' view of it (INFO every 10 s, every second
        // while a failover runs) lag behind; on a loaded machine for seconds. Asked again until the
        // timeout; any other refusal ends it.
        while (!ask()) {
            const bool notYet = refusals.find("NOGOODSLAVE") != std::string::npos ||
                                refusals.find("INPROG") != std::string::npos;
            if (!notYet || Steady::now() - t0 >= timeout)
                throw std::runtime_error("no Sentinel started a failover (" + refusals + ")");
            std::this_thread::sleep_for(250ms);
        }
        // A forced failover that the Sentinel aborts (its replica did not turn master within
        // failover-timeout, seen on a loaded machine) is never retried by Sentinel itself, the
        // master being up: ask again once that time has passed.
        auto askedAt = Steady::now();
        waitFor("the failover", timeout, [&]() -> std::string {
            auto now = sentinelMaster();
            if ((!now || *now == *before) &&
                Steady::now() - askedAt > options_.failoverTimeout + 1000ms) {
                ask();  // refused with INPROG while one still runs: fine
                askedAt = Steady::now();
            }
            if (!now || *now == *before) return "the Sentinels still name " + result.from;
            try {
                redis::Connection c(server(*now).endpoint(), quick(500ms));
                if (readRole(c).role != "master") return address(*now) + " is not master yet";
            } catch (const redis::Error& e) {
                return e.what();
            }
            result.to = address(*now);
            return "";
        });
    } else if (options_.kind == TopologyKind::Cluster) {
        if (!node)
            throw redis::Error(redis::ErrorKind::InvalidArgument,
                               "name the cluster node to fail over");
        size_t replica = *node;
        {
            redis::Connection c(server(*node).endpoint(), quick(1000ms));
            auto role = readRole(c);
            if (role.role == "master") {
                result.from = address(*node);
                std::optional<size_t> found;
                for (const auto& r : role.replicas)
                    if (auto idx = indexOf(r);
                        idx && server(*idx).running() && !server(*idx).paused())
                        found = idx;
                if (!found)
                    throw std::runtime_error(address(*node) + " has no running replica to promote");
                replica = *found;
            } else {
                result.from = role.masterOf;
            }
        }
        redis::Connection c(server(replica).endpoint(), quick(1000ms));
        auto ask = [&] {
            auto r = c.raw({"CLUSTER", "FAILOVER"});
            if (r.isError())
                throw std::runtime_error("CLUSTER FAILOVER on " + address(replica) +
                                         " refused: " + std::string(r.errorMessage()));
        };
        ask();
        auto askedAt = Steady::now();
        waitFor("the failover", timeout, [&]() -> std::string {
            try {
                redis::Connection rc(server(replica).endpoint(), quick(500ms));
                if (readRole(rc).role == "master") return "";
            } catch (const redis::Error& e) {
                return e.what();
            }
            // A manual failover that did not win its election gives up after 5 s
            // (CLUSTER_MF_TIMEOUT); ask again rather than wait for nothing.
            if (Steady::now() - askedAt > 5500ms) {
                ask();
                askedAt = Steady::now();
            }
            return address(replica) + " is not master yet";
        });
        result.to = address(replica);
    } else {
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "a " + std::string(topologyKindName(options_.kind)) +
                               " topology has no replicas to fail over to");
    }
    result.took = std::chrono::duration_cast<milliseconds>(Steady::now() - t0);
    return result;
}

TopologySnapshot Topology::snapshot(milliseconds timeout) const {
    TopologySnapshot snap;
    snap.kind = options_.kind;
    snap.url = url();
    snap.masterName = options_.kind == TopologyKind::Sentinel ? options_.masterName : "";
    std::optional<redis::ClusterMap> map;
    for (size_t i = 0; i < nodes_.size(); ++i) {
        const RedisServer& s = server(i);
        NodeView v;
        v.index = static_cast<int>(i);
        v.address = address(i);
        v.role = nodes_[i].startedAs;
        v.pid = s.running() ? s.pid() : -1;
        v.state = !s.running() ? NodeState::Stopped
                  : s.paused() ? NodeState::Paused
                               : NodeState::Running;
        if (v.state == NodeState::Running) {
            try {
                redis::Connection c(s.endpoint(), quick(timeout));
                if (s.isSentinel()) {
                    auto view = redis::masterView(c, options_.masterName);
                    if (view) {
                        v.noteMessage = message(kNoteNamesMaster,
                                                {view->master.display(),
                                                 std::to_string(view->configEpoch), view->flags});
                        if (snap.sentinelMaster.empty())
                            snap.sentinelMaster = view->master.display();
                    }
                } else {
                    const auto role = readRole(c);
                    if (role.role == "master")
                        v.role = options_.kind == TopologyKind::Standalone ||
                                         options_.kind == TopologyKind::Redlock
                                     ? nodes_[i].startedAs
                                     : NodeRole::Master;
                    else if (role.role == "slave")
                        v.role = NodeRole::Replica;
                    v.masterOf = role.masterOf;
                    v.linkStatus = role.state;
                    v.replicationOffset = role.offset;
                    for (const auto& r : role.replicas) v.replicas.push_back(r.display());
                    v.keys = c.command({"DBSIZE"}).integer();
                    if (options_.kind == TopologyKind::Cluster && !map) {
                        map = redis::parseClusterSlots(c.command({"CLUSTER", "SLOTS"}));
                        auto info = c.command({"CLUSTER", "INFO"});
                        snap.clusterOk = redis::infoField(info.str(), "cluster_state") == "ok";
                    }
                }
                v.reachable = true;
            } catch (const redis::Error& e) {
                v.noteMessage = plainMessage(e.what());
            }
        } else if (v.state == NodeState::Paused) {
            v.noteMessage = message(kNotePaused);
        }
        v.note = render(v.noteMessage);
        snap.nodes.push_back(std::move(v));
    }
    if (options_.kind == TopologyKind::Sentinel) {
        // The newest configuration, not the first Sentinel's.
        if (auto m = sentinelMaster()) snap.sentinelMaster = address(*m);
        for (auto& v : snap.nodes)
            if (v.address == snap.sentinelMaster && v.role != NodeRole::Sentinel) {
                v.noteMessage = message(kNoteSentinelMaster);
                v.note = render(v.noteMessage);
            }
    }
    if (map)
        for (auto& v : snap.nodes)
            for (const auto& m : map->masters)
                if (m.address.display() == v.address) v.ranges = m.ranges;
    return snap;
}

}  // namespace lockscope::sandbox

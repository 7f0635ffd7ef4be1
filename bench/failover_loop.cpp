// failover_loop: failovers in a row while `lockscope-cli watch --json` follows (issue 18). On a
// sandbox Sentinel group (SENTINEL FAILOVER) and a 3+3 cluster (kill -9 of a master, then the
// killed node started again to rejoin as a replica), half the rounds with keyspace notifications
// on and half with them off. After each round it checks that the watch's view (last line per key)
// equals a fresh `locks --json` (holder, state and node) within a few seconds, and that no held
// lock was ever printed `free`. A lease is held meanwhile by `lockscope-cli lock acquire --hold`
// (the LeaseKeeper the dashboard's leases use too): after each round it is either renewed on the
// current master (the master holds its token) or reported lost by its holder — never believed held
// while the server has it not. Exit 0 when every round held, 1 otherwise.
//
//   failover_loop --cli PATH [--sentinel-rounds N] [--cluster-rounds M] [--locks K]
//
// Thread contract: a plain program; the watch is a child process.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "redis/cluster.h"
#include "redis/connection.h"
#include "redis/info.h"
#include "sandbox/topology.h"
#include "util/subprocess.h"

using namespace lockscope;
using namespace std::chrono_literals;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kHolder = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";  // node-redlock: never orphaned

struct Tally {
    int rounds = 0, equalRounds = 0, freeShown = 0;
    int leaseRenewed = 0, leaseReportedLost = 0, leaseWrong = 0;
    double worstSettleS = 0;
};

const std::string kLeaseKey = "loop:lease";

// `lockscope-cli lock acquire loop:lease --hold`: its token (first stdout line) and its output.
struct LeaseHolder {
    Subprocess process;
    std::string file;
    std::string token;

    static LeaseHolder start(const std::string& cli, const std::string& url,
                             const std::string& file) {
        SpawnOptions so;
        so.out = Stdio::File;
        so.err = Stdio::File;
        so.outputFile = file;
        LeaseHolder h{Subprocess::spawn(
                          {cli, "--url", url, "lock", "acquire", kLeaseKey, "--strategy",
                           "set-nx-px", "--ttl", "3000", "--hold", "86400000", "--wait", "15000"},
                          so),
                      file,
                      {}};
        for (int i = 0; i < 100 && h.token.empty(); ++i) {
            std::this_thread::sleep_for(50ms);
            std::ifstream in(file);
            std::getline(in, h.token);
        }
        return h;
    }
    std::string output() const {
        std::ifstream in(file);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
};

using View = std::map<std::string, std::string>;  // key -> "state holder node"

std::string describe(const Json& j) {
    return j.value("state", std::string("?")) + " " +
           (j["holder"].is_null() ? std::string("-") : j["holder"].get<std::string>()) + " " +
           j.value("node", std::string("-"));
}

// The watch's view, and how many lines showed one of `held` free.
View watched(const std::string& file, const std::vector<std::string>& held, int& freeLines) {
    View v;
    freeLines = 0;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '{') continue;
        auto j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.contains("key")) continue;
        const std::string key = j["key"];
        if (j.value("removed", false)) {
            v.erase(key);
            if (std::find(held.begin(), held.end(), key) != held.end()) ++freeLines;
            continue;
        }
        if (j.value("state", std::string()) == "free" &&
            std::find(held.begin(), held.end(), key) != held.end())
            ++freeLines;
        v[key] = describe(j);
    }
    return v;
}

View listed(const std::string& cli, const std::string& url, const std::string& file) {
    SpawnOptions so;
    so.out = Stdio::File;
    so.err = Stdio::Null;
    so.outputFile = file;
    auto p = Subprocess::spawn({cli, "--url", url, "locks", "--match", "loop:*", "--json"}, so);
    p.wait(std::chrono::milliseconds(30000));
    std::ifstream in(file);
    auto a = Json::parse(in, nullptr, false);
    View v;
    if (a.is_array())
        for (const auto& j : a) v[j["key"]] = describe(j);
    return v;
}

// The node that serves `key` now: the Sentinels' master, or the cluster's slot owner.
redis::Endpoint masterOf(const sandbox::Topology& topo, const std::string& key) {
    if (auto m = topo.sentinelMaster()) return topo.server(*m).endpoint();
    auto map = redis::discoverCluster(topo.dataEndpoints(), {});
    const auto* owner = map.ownerOf(redis::keyHashSlot(key));
    return redis::Endpoint::tcpEndpoint(owner->address.host, owner->address.port);
}

void runPhase(const std::string& cli, sandbox::TopologyKind kind, bool notifications, int rounds,
              int locks, Tally& t, const std::filesystem::path& dir) {
    sandbox::TopologyOptions o;
    o.kind = kind;
    o.notifyKeyspaceEvents = notifications ? "KEA" : "";
    sandbox::Topology topo(o);
    const std::string url = topo.url();
    const bool cluster = kind == sandbox::TopologyKind::Cluster;
    std::vector<std::string> keys;
    for (int i = 0; i < locks; ++i) keys.push_back("loop:lock:" + std::to_string(i));
    // Written where they belong, and replicated before anything is failed over.
    if (cluster) {
        auto map = redis::discoverCluster(topo.dataEndpoints(), {});
        for (const auto& k : keys) {
            const auto* owner = map.ownerOf(redis::keyHashSlot(k));
            redis::Connection c(
                redis::Endpoint::tcpEndpoint(owner->address.host, owner->address.port));
            c.command({"SET", k, kHolder, "PX", 3600000});
            c.command({"WAIT", 1, 2000});
        }
    } else {
        redis::Connection c(topo.server(*topo.sentinelMaster()).endpoint());
        for (const auto& k : keys) c.command({"SET", k, kHolder, "PX", 3600000});
        c.command({"WAIT", 1, 2000});
    }
    const std::string phase =
        std::string(cluster ? "cluster" : "sentinel") + (notifications ? "-notify" : "-poll");
    const std::string watchFile = (dir / (phase + ".jsonl")).string();
    SpawnOptions so;
    so.out = Stdio::File;
    so.err = Stdio::Null;
    so.outputFile = watchFile;
    auto watch = Subprocess::spawn({cli, "--url", url, "watch", "--json", "--match", "loop:*"}, so);
    const std::string leaseFile = (dir / (phase + ".lease.txt")).string();
    // `lock` commands take one server or a Sentinel group, not a cluster URL: no lease there.
    std::optional<LeaseHolder> lease;
    if (!cluster) lease = LeaseHolder::start(cli, url, leaseFile);
    std::this_thread::sleep_for(2000ms);

    for (int r = 0; r < rounds; ++r) {
        auto t0 = Clock::now();
        std::string what;
        if (cluster) {
            // kill -9 a master that holds keys; wait for its replica to take over; start it again.
            auto snap = topo.snapshot();
            size_t victim = 0;
            int seen = 0;
            for (const auto& n : snap.nodes)
                if (n.role == sandbox::NodeRole::Master && n.reachable && seen++ == r % 3)
                    victim = static_cast<size_t>(n.index);
            what = "kill -9 " + topo.address(victim);
            topo.killNode(victim);
            const auto deadline = Clock::now() + 30s;
            while (Clock::now() < deadline) {
                std::this_thread::sleep_for(500ms);
                auto s = topo.snapshot();
                int masters = 0;
                for (const auto& n : s.nodes)
                    masters += n.role == sandbox::NodeRole::Master && n.reachable ? 1 : 0;
                if (s.clusterOk && masters == 3) break;
            }
            topo.startNode(victim);
        } else {
            // As an engineer would: the next failover only once the last demoted master has
            // rejoined as an up-to-date replica (otherwise it is a failover to stale data, and
            // the loss of a lease that follows is real — the loop saw exactly that).
            const auto master = *topo.sentinelMaster();
            const auto synced = Clock::now() + 30s;
            while (Clock::now() < synced) {
                bool up = true;
                for (size_t i = 0; i < topo.size(); ++i) {
                    if (i == master || topo.server(i).isSentinel()) continue;
                    try {
                        redis::Connection node(topo.server(i).endpoint());
                        const std::string info(node.command({"INFO", "replication"}).str());
                        up = up && redis::infoField(info, "master_link_status") == "up";
                    } catch (const std::exception&) {
                        up = false;
                    }
                }
                if (up) break;
                std::this_thread::sleep_for(100ms);
            }
            t0 = Clock::now();  // the settle time counts from the failover, not the wait
            auto f = topo.failover();
            what = "failover " + f.from + " -> " + f.to;
        }
        // Settled: the watch's view equals a fresh listing (every lock still held).
        bool equal = false;
        int freeLines = 0;
        const std::string listFile = (dir / "locks.json").string();
        const auto deadline = Clock::now() + 20s;
        View truth, seen;
        while (!equal && Clock::now() < deadline) {
            std::this_thread::sleep_for(500ms);
            truth = listed(cli, url, listFile);
            seen = watched(watchFile, keys, freeLines);
            truth.erase(kLeaseKey);  // the lease is judged below, by its holder's word
            seen.erase(kLeaseKey);
            equal = truth.size() == keys.size() && truth == seen;
        }
        // The lease: still believed held by its holder only if the master holds its token;
        // otherwise its holder must say it is lost (within one TTL and a renewal).
        std::string leaseVerdict = lease ? "" : "none (cluster)";
        const auto leaseDeadline = Clock::now() + 5s;
        while (leaseVerdict.empty()) {
            lease->process.poll();
            if (!lease->process.running()) {
                const std::string said = lease->output();
                const auto at = said.find("lost lock");
                const bool lost = at != std::string::npos;
                leaseVerdict = lost ? "reported " + said.substr(at, said.find('\n', at) - at)
                                    : "EXITED WITHOUT SAYING LOST: " + said;
                // What the master has now: the lost lease's token would mean a false alarm.
                const auto now =
                    redis::Connection(masterOf(topo, kLeaseKey)).command({"GET", kLeaseKey});
                const bool stillOurs = now.optString() == lease->token;
                leaseVerdict += stillOurs
                                    ? " — BUT THE MASTER STILL HAS ITS TOKEN"
                                    : " — the master has " + now.optString().value_or("no key");
                (lost && !stillOurs ? t.leaseReportedLost : t.leaseWrong)++;
                lease = LeaseHolder::start(cli, url, leaseFile);  // a new one for the next round
                break;
            }
            redis::Connection c(masterOf(topo, kLeaseKey));
            if (c.command({"GET", kLeaseKey}).optString() == lease->token) {
                leaseVerdict = "renewed on the master";
                ++t.leaseRenewed;
                break;
            }
            if (Clock::now() > leaseDeadline) {
                leaseVerdict = "BELIEVED HELD BUT NOT ON THE MASTER";
                ++t.leaseWrong;
                break;
            }
            std::this_thread::sleep_for(200ms);
        }
        const double took = std::chrono::duration<double>(Clock::now() - t0).count();
        ++t.rounds;
        t.equalRounds += equal ? 1 : 0;
        t.freeShown += freeLines;
        t.worstSettleS = std::max(t.worstSettleS, took);
        std::printf(
            "%s round %d: %s; view %s a fresh listing after %.1f s; free lines so far %d; lease "
            "%s\n",
            phase.c_str(), r + 1, what.c_str(), equal ? "equals" : "DIFFERS FROM", took, freeLines,
            leaseVerdict.c_str());
        if (!equal)
            for (const auto& [k, v] : truth)
                if (seen[k] != v)
                    std::printf("  %s: listed %s, watched %s\n", k.c_str(), v.c_str(),
                                seen[k].c_str());
        std::fflush(stdout);
    }
    watch.signal(SIGTERM);
    watch.wait(std::chrono::milliseconds(10000));
    if (lease) {
        lease->process.signal(SIGTERM);
        lease->process.wait(std::chrono::milliseconds(10000));
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string cli;
    int sentinelRounds = 20, clusterRounds = 10, locks = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--cli")
            cli = v;
        else if (a == "--sentinel-rounds")
            sentinelRounds = std::stoi(v);
        else if (a == "--cluster-rounds")
            clusterRounds = std::stoi(v);
        else if (a == "--locks")
            locks = std::stoi(v);
    }
    if (cli.empty()) {
        std::cerr << "usage: failover_loop --cli PATH [--sentinel-rounds N] [--cluster-rounds M] "
                     "[--locks K]\n";
        return 2;
    }
    const auto dir =
        std::filesystem::temp_directory_path() / ("failover_loop." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    Tally t;
    for (const bool notify : {true, false}) {
        const int s = notify ? (sentinelRounds + 1) / 2 : sentinelRounds / 2;
        const int c = notify ? (clusterRounds + 1) / 2 : clusterRounds / 2;
        if (s > 0) runPhase(cli, sandbox::TopologyKind::Sentinel, notify, s, locks, t, dir);
        if (c > 0) runPhase(cli, sandbox::TopologyKind::Cluster, notify, c, locks, t, dir);
    }
    std::printf(
        "rounds: %d, view equal to a fresh listing: %d, held locks printed free: %d, "
        "slowest round %.1f s; lease renewed on the new master: %d, reported lost: %d, wrong: %d\n",
        t.rounds, t.equalRounds, t.freeShown, t.worstSettleS, t.leaseRenewed, t.leaseReportedLost,
        t.leaseWrong);
    std::filesystem::remove_all(dir);
    return t.equalRounds == t.rounds && t.freeShown == 0 && t.leaseWrong == 0 ? 0 : 1;
}

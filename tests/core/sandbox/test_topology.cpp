// The sandbox topologies themselves: each starts what it says, on loopback ports, with the roles a
// topology view shows; a Sentinel failover promotes the replica; per-node controls act on the
// right process; everything is stopped by pid and its directories removed.
#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <thread>

#include "redis/connection.h"
#include "redis/error.h"
#include "redis/sentinel.h"
#include "sandbox/topology.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using sandbox::NodeRole;
using sandbox::NodeState;
using sandbox::Topology;
using sandbox::TopologyKind;

namespace {

sandbox::TopologyOptions kindOf(TopologyKind k) {
    sandbox::TopologyOptions o;
    o.kind = k;
    return o;
}

int countRole(const sandbox::TopologySnapshot& s, NodeRole r) {
    int n = 0;
    for (const auto& v : s.nodes) n += v.role == r ? 1 : 0;
    return n;
}

}  // namespace

class TestTopology : public QObject {
    Q_OBJECT
private slots:
    void standaloneAndRedlockStartAndStopByPid() {
        std::vector<pid_t> pids;
        std::vector<std::filesystem::path> dirs;
        {
            auto o = kindOf(TopologyKind::Redlock);
            o.redlockNodes = 5;
            Topology redlock(o);
            QCOMPARE(redlock.size(), size_t(5));
            QCOMPARE(redlock.url(), std::string());  // a group is --nodes, not a URL
            const std::string nodes = redlock.nodesArg();
            QCOMPARE(std::count(nodes.begin(), nodes.end(), ','), 4L);
            auto snap = redlock.snapshot();
            QCOMPARE(countRole(snap, NodeRole::Master), 5);
            for (size_t i = 0; i < redlock.size(); ++i) {
                pids.push_back(redlock.server(i).pid());
                dirs.push_back(redlock.server(i).dir());
                QVERIFY(snap.nodes[i].reachable);
                QCOMPARE(snap.nodes[i].keys, 0LL);
            }
            Topology single(kindOf(TopologyKind::Standalone));
            QCOMPARE(single.size(), size_t(1));
            QVERIFY(single.url().rfind("redis://127.0.0.1:", 0) == 0);
            pids.push_back(single.server(0).pid());
            // A topology without replicas says so instead of pretending to fail over.
            QVERIFY_THROWS_EXCEPTION(redis::Error, single.failover());
        }
        for (pid_t p : pids) QVERIFY(::kill(p, 0) != 0);
        for (const auto& d : dirs) QVERIFY(!std::filesystem::exists(d));
    }

    void sentinelTopologyFailsOverAndNodesObeyControls() {
        const auto t0 = std::chrono::steady_clock::now();
        Topology t(kindOf(TopologyKind::Sentinel));
        const auto formed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - t0);
        qInfo("sentinel topology ready in %lld ms", static_cast<long long>(formed.count()));
        QCOMPARE(t.size(), size_t(5));
        QCOMPARE(t.sentinelNodes().size(), size_t(3));
        QVERIFY(t.url().rfind("redis+sentinel://127.0.0.1:", 0) == 0);
        QVERIFY(t.url().find("/mymaster") != std::string::npos);

        auto snap = t.snapshot();
        QCOMPARE(countRole(snap, NodeRole::Master), 1);
        QCOMPARE(countRole(snap, NodeRole::Replica), 1);
        QCOMPARE(countRole(snap, NodeRole::Sentinel), 3);
        QCOMPARE(snap.sentinelMaster, t.address(0));
        QCOMPARE(snap.nodes[1].masterOf, t.address(0));
        QCOMPARE(snap.nodes[1].linkStatus, std::string("connected"));

        // A key written on the master and acknowledged by the replica survives the failover.
        redis::Connection m(t.server(0).endpoint());
        m.command({"SET", "t:topology:k", "v"});
        QCOMPARE(m.command({"WAIT", 1, 2000}).integer(), 1LL);

        auto result = t.failover();
        qInfo("SENTINEL FAILOVER: %s -> %s in %lld ms", result.from.c_str(), result.to.c_str(),
              static_cast<long long>(result.took.count()));
        QCOMPARE(result.from, t.address(0));
        QCOMPARE(result.to, t.address(1));
        QCOMPARE(t.sentinelMaster().value_or(99), size_t(1));
        redis::Connection promoted(t.server(1).endpoint());
        QCOMPARE(*promoted.command({"GET", "t:topology:k"}).optString(), std::string("v"));
        QCOMPARE(std::string(promoted.command({"ROLE"})[0].str()), std::string("master"));
        snap = t.snapshot();
        QCOMPARE(snap.sentinelMaster, t.address(1));
        QCOMPARE(snap.nodes[1].role, NodeRole::Master);
        QCOMPARE(snap.nodes[1].note, std::string("master per the Sentinels"));

        // Pause / resume / stop / start act on that one process, and the view shows it.
        t.pauseNode(0);
        QCOMPARE(t.snapshot().nodes[0].state, NodeState::Paused);
        t.resumeNode(0);
        const pid_t old = t.server(0).pid();
        t.stopNode(0);
        QVERIFY(::kill(old, 0) != 0);
        snap = t.snapshot();
        QCOMPARE(snap.nodes[0].state, NodeState::Stopped);
        QCOMPARE(snap.nodes[0].pid, pid_t(-1));
        QVERIFY(t.server(1).running());
        // Started again, the old master comes back as a replica of the new one, without data of
        // its own (no persistence), and syncs.
        t.startNode(0);
        QVERIFY(t.waitUntilSettled(10000ms));
        redis::Connection back(t.server(0).endpoint());
        QCOMPARE(std::string(back.command({"ROLE"})[0].str()), std::string("slave"));
        QCOMPARE(*back.command({"GET", "t:topology:k"}).optString(), std::string("v"));
    }

    // A failover asked while the Sentinels find no replica fit (NOGOODSLAVE: here the replica is
    // paused and flagged down; after an earlier failover, the demoted master still resyncing) is
    // asked again until one is, within the timeout — it used to throw at once (test_lock_writes
    // aborted on it on a loaded machine).
    void failoverWaitsForAReplicaTheSentinelsFindFit() {
        Topology t(kindOf(TopologyKind::Sentinel));
        t.pauseNode(1);
        // Each Sentinel judges the replica on its own: all of them must find it down, or one of
        // them starts a failover that cannot finish.
        auto replicaDownFor = [&](size_t sentinel) {
            redis::Connection c(t.server(sentinel).endpoint());
            auto replicas = c.command({"SENTINEL", "REPLICAS", "mymaster"});
            for (size_t r = 0; r < replicas.size(); ++r)
                for (size_t f = 0; f + 1 < replicas[r].size(); f += 2)
                    if (replicas[r][f].str() == "flags" &&
                        replicas[r][f + 1].str().find("s_down") != std::string_view::npos)
                        return true;
            return false;
        };
        for (size_t sentinel : t.sentinelNodes()) {
            QTRY_VERIFY_WITH_TIMEOUT(replicaDownFor(sentinel), 20000);
            redis::Connection c(t.server(sentinel).endpoint());
            auto refused = c.raw({"SENTINEL", "FAILOVER", "mymaster"});
            QVERIFY(refused.isError());
            QVERIFY2(refused.errorMessage().find("NOGOODSLAVE") != std::string_view::npos,
                     std::string(refused.errorMessage()).c_str());
        }
        std::thread waker([&t] {
            std::this_thread::sleep_for(6000ms);  // well after the first ask
            t.resumeNode(1);
        });
        std::string failure;
        sandbox::FailoverResult result;
        try {
            result = t.failover(std::nullopt, 30000ms);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        waker.join();
        QVERIFY2(failure.empty(), failure.c_str());
        QCOMPARE(result.from, t.address(0));
        QCOMPARE(result.to, t.address(1));
    }

    void restartWithoutPersistenceForgets() {
        Topology t(kindOf(TopologyKind::Standalone));
        redis::ConnectOptions co;
        co.commandTimeout = 500ms;
        redis::Connection c(t.server(0).endpoint(), co);
        c.command({"SET", "t:topology:forgotten", "x"});
        const auto t0 = std::chrono::steady_clock::now();
        t.restartNode(0, 300ms);  // delayed: down for 300 ms first
        QVERIFY(std::chrono::steady_clock::now() - t0 >= 300ms);
        QVERIFY(!c.command({"GET", "t:topology:forgotten"}).optString());
    }

    // `lockscope-cli topology KIND`: prints how to monitor it and the roles, and stops every
    // process it started when it ends.
    void cliTopologyCommandStartsAndStops() {
        auto r = test::runCli({"topology", "sentinel", "--json", "--for", "200"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(r.out.substr(0, r.out.find('\n'))));
        const auto o = doc.object();
        QCOMPARE(o["topology"].toString(), QString("sentinel"));
        QVERIFY(o["url"].toString().startsWith("redis+sentinel://127.0.0.1:"));
        QCOMPARE(o["master_name"].toString(), QString("mymaster"));
        const auto nodes = o["nodes"].toArray();
        QCOMPARE(nodes.size(), 5);
        QStringList roles;
        for (const auto& n : nodes) {
            roles << n.toObject()["role"].toString();
            const auto pid = static_cast<pid_t>(n.toObject()["pid"].toInt());
            QVERIFY(pid > 0);
            QVERIFY(::kill(pid, 0) != 0);  // gone: the command stopped it
        }
        QCOMPARE(roles.join(","), QString("master,replica,sentinel,sentinel,sentinel"));
        QCOMPARE(o["master"].toString(), nodes[0].toObject()["address"].toString());
        auto bad = test::runCli({"topology", "ring"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.find("standalone, redlock, sentinel or cluster") != std::string::npos,
                 bad.err.c_str());
    }

    void badInputSaysWhat() {
        auto o = kindOf(TopologyKind::Redlock);
        o.redlockNodes = 0;
        QVERIFY_THROWS_EXCEPTION(redis::Error, Topology{o});
        QVERIFY(!sandbox::parseTopologyKind("ring"));
        QCOMPARE(sandbox::parseTopologyKind("cluster").value(), TopologyKind::Cluster);
    }
};

QTEST_GUILESS_MAIN(TestTopology)
#include "test_topology.moc"

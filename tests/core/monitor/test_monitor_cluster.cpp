// The monitor over a real Redis Cluster (3 masters + 3 replicas, started by the fixture): it lists
// locks from all three masters, each with its node, receives keyspace notifications from each
// (they are node-local), follows a CLUSTER FAILOVER to the promoted replica, and follows a key
// whose slot is resharded to another master (MOVED) without ever showing it gone. The CLI's
// `locks --json` over a redis+cluster:// URL names each key's node too.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <map>
#include <memory>
#include <set>

#include "monitor/monitor.h"
#include "monitor_collector.h"
#include "redis/cluster.h"
#include "redis/connection.h"
#include "sandbox/topology.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

// node-redlock's value (32 random hex chars): a live lock, with no connection to look for.
const std::string kToken = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";

monitor::MonitorOptions fastOptions() {
    monitor::MonitorOptions o;
    o.publishInterval = 50ms;
    o.freeLinger = 300ms;
    o.pollInterval = 300ms;
    o.topologyRefresh = 500ms;
    o.connect.connectTimeout = 500ms;
    o.connect.commandTimeout = 1000ms;
    return o;
}

// A key named `stem:lock:N` whose slot `master` serves (a lock-like name: the 32-hex token alone
// is no evidence of a lock).
std::string keyOn(const redis::ClusterMap& map, const redis::HostPort& master,
                  const std::string& stem) {
    for (int i = 0;; ++i) {
        std::string k = stem + ":lock:" + std::to_string(i);
        const auto* owner = map.ownerOf(redis::keyHashSlot(k));
        if (owner && owner->address == master) return k;
    }
}

redis::Endpoint at(const redis::HostPort& hp) {
    return redis::Endpoint::tcpEndpoint(hp.host, hp.port);
}

std::string nodeName(const test::MonitorCollector& seen, const monitor::KeyRecord& r) {
    auto st = seen.status();
    if (r.node < 0 || static_cast<size_t>(r.node) >= st.nodes.size()) return "?";
    return st.nodes[static_cast<size_t>(r.node)].display();
}

}  // namespace

class TestMonitorCluster : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::Topology> cluster;
    std::string prefix;

    redis::ClusterMap map() const { return redis::discoverCluster(cluster->dataEndpoints(), {}); }

    void setLock(const redis::HostPort& master, const std::string& key) {
        redis::Connection c(at(master));
        c.command({"SET", key, kToken, "PX", 120000});
    }

private slots:
    void initTestCase() {
        prefix = test::keyPrefix("cluster");
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Cluster;
        const auto t0 = std::chrono::steady_clock::now();
        cluster = std::make_unique<sandbox::Topology>(o);
        qInfo("cluster of 3 masters + 3 replicas ready in %lld ms",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - t0)
                                         .count()));
        auto snap = cluster->snapshot();
        QVERIFY(snap.clusterOk);
        int masters = 0, replicas = 0;
        for (const auto& n : snap.nodes) {
            masters += n.role == sandbox::NodeRole::Master ? 1 : 0;
            replicas += n.role == sandbox::NodeRole::Replica ? 1 : 0;
        }
        QCOMPARE(masters, 3);
        QCOMPARE(replicas, 3);
    }

    void listsLocksFromEveryMasterWithTheirNodeAndEventsFromEach() {
        const auto m = map();
        QCOMPARE(m.masters.size(), size_t(3));
        std::map<std::string, std::string> before, after;  // key -> master
        for (size_t i = 0; i < 3; ++i) {
            const auto& addr = m.masters[i].address;
            const auto k = keyOn(m, addr, prefix + "before" + std::to_string(i));
            setLock(addr, k);
            before[k] = addr.display();
        }
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(cluster->url()), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 10000);
        const auto st = seen.status();
        QCOMPARE(st.kind, monitor::TargetKind::Cluster);
        QCOMPARE(st.nodes.size(), size_t(3));
        std::set<std::string> servedBy;
        for (const auto& n : st.nodes) {
            QVERIFY2(!n.ranges.empty(), n.display().c_str());
            servedBy.insert(n.display());
            // Each node carries its address and slots as the map has them, not as text.
            QVERIFY(n.endpoint);
            const auto* master = m.find(n.endpoint->tcp);
            QVERIFY2(master, n.display().c_str());
            QVERIFY(n.ranges == master->ranges);
        }
        for (const auto& ms : m.masters) QVERIFY(servedBy.count(ms.address.display()));
        QVERIFY2(seen.messageContains("cluster: 3 masters"), seen.messages().c_str());

        // Every master's lock is listed, each with the node that holds it.
        std::set<int> nodesSeen;
        for (const auto& [key, master] : before) {
            QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 5000);
            const auto r = *seen.get(key);
            QVERIFY(r.isLock());
            QCOMPARE(r.format, monitor::Format::NodeRedlock);
            QCOMPARE(r.state, monitor::LockState::Held);
            QCOMPARE(nodeName(seen, r), master);
            nodesSeen.insert(r.node);
        }
        QCOMPARE(nodesSeen.size(), size_t(3));

        // Notifications are node-local: a lock taken on each master arrives from that master.
        for (size_t i = 0; i < 3; ++i) {
            const auto& addr = m.masters[i].address;
            const auto k = keyOn(m, addr, prefix + "after" + std::to_string(i));
            setLock(addr, k);
            after[k] = addr.display();
        }
        for (const auto& [key, master] : after) {
            QTRY_VERIFY_WITH_TIMEOUT(!seen.eventNodes(key, "set").empty(), 5000);
            const int node = seen.eventNodes(key, "set").front();
            QCOMPARE(seen.status().nodes.at(static_cast<size_t>(node)).display(), master);
            QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 3000);
            QCOMPARE(nodeName(seen, *seen.get(key)), master);
        }
        mon.stop();

        // The CLI lists them from a redis+cluster:// URL, with "node".
        auto res =
            test::runCli({"--url", cluster->url(), "locks", "--json", "--match", prefix + "*"});
        QVERIFY2(res.exitCode == 0, res.err.c_str());
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(res.out));
        QVERIFY2(doc.isArray(), res.out.c_str());
        std::map<std::string, std::string> listed;
        for (const auto& v : doc.array())
            listed[v.toObject()["key"].toString().toStdString()] =
                v.toObject()["node"].toString().toStdString();
        QCOMPARE(listed.size(), size_t(6));
        for (const auto* group : {&before, &after})
            for (const auto& [key, master] : *group) QCOMPARE(listed[key], master);
        // A single-server command says what works instead of guessing a node.
        auto refused =
            test::runCli({"--url", cluster->url(), "lock", "release", "k", "--token", "t"});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.find("cluster URL works with locks, counters and watch") !=
                     std::string::npos,
                 refused.err.c_str());
    }

    void followsAClusterFailover() {
        const auto m = map();
        const auto oldMaster = m.masters[0].address;
        const auto key = keyOn(m, oldMaster, prefix + "failover");
        setLock(oldMaster, key);
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(cluster->url()), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 10000);
        const int node = seen.get(key)->node;
        QCOMPARE(nodeName(seen, *seen.get(key)), oldMaster.display());

        sandbox::FailoverResult result;
        try {
            result = cluster->failover(cluster->indexOf(oldMaster).value());
        } catch (const std::exception& e) {
            QFAIL(e.what());  // what went wrong, not just "unhandled exception"
        }
        qInfo("CLUSTER FAILOVER %s -> %s in %lld ms", result.from.c_str(), result.to.c_str(),
              static_cast<long long>(result.took.count()));
        QCOMPARE(result.from, oldMaster.display());
        // The monitor says so, follows the promoted replica, and still lists the lock there.
        QTRY_VERIFY2_WITH_TIMEOUT(
            seen.messageContains("moved from " + oldMaster.display() + " to " + result.to),
            seen.messages().c_str(), 8000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes.at(static_cast<size_t>(node)).display(),
                                  result.to, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes.at(static_cast<size_t>(node)).role,
                                  std::string("master"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().nodes.at(static_cast<size_t>(node)).subscribed,
                                 3000);
        QCOMPARE(seen.get(key)->state, monitor::LockState::Held);
        QCOMPARE(nodeName(seen, *seen.get(key)), result.to);
        QVERIFY(!seen.wasRemoved(key));
        // New locks on the promoted master arrive from it.
        const auto m2 = map();
        const auto promoted =
            redis::HostPort{"127.0.0.1", std::stoi(result.to.substr(result.to.rfind(':') + 1))};
        const auto key2 = keyOn(m2, promoted, prefix + "afterfailover");
        setLock(promoted, key2);
        QTRY_VERIFY_WITH_TIMEOUT(!seen.eventNodes(key2, "set").empty(), 5000);
        QCOMPARE(seen.eventNodes(key2, "set").front(), node);
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key2), 3000);
        mon.stop();
    }

    void followsAKeyResharedToAnotherMaster() {
        const auto m = map();
        const auto from = m.masters[1].address;
        const auto to = m.masters[2].address;
        const auto key = keyOn(m, from, prefix + "reshard");
        setLock(from, key);
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(cluster->url()), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 10000);
        QCOMPARE(nodeName(seen, *seen.get(key)), from.display());

        // Move the key's slot from one master to another, the way redis-cli --cluster reshard
        // does: IMPORTING / MIGRATING, MIGRATE, then SETSLOT NODE everywhere.
        const int slot = redis::keyHashSlot(key);
        redis::Connection src(at(from)), dst(at(to));
        const std::string srcId(src.command({"CLUSTER", "MYID"}).str());
        const std::string dstId(dst.command({"CLUSTER", "MYID"}).str());
        dst.command({"CLUSTER", "SETSLOT", slot, "IMPORTING", srcId});
        src.command({"CLUSTER", "SETSLOT", slot, "MIGRATING", dstId});
        src.command({"MIGRATE", to.host, to.port, "", 0, 5000, "KEYS", key});
        for (const auto& master : m.masters) {
            redis::Connection c(at(master.address));
            c.command({"CLUSTER", "SETSLOT", slot, "NODE", dstId});
        }
        // The old owner answers MOVED now; the monitor files the lock under its new master.
        redis::Connection check(at(from));
        QCOMPARE(check.raw({"PTTL", key}).errorMessage().substr(0, 5), std::string_view("MOVED"));
        QTRY_COMPARE_WITH_TIMEOUT(nodeName(seen, *seen.get(key)), to.display(), 8000);
        const auto r = *seen.get(key);
        QCOMPARE(r.state, monitor::LockState::Held);
        QCOMPARE(QString::fromStdString(r.holder), QString::fromStdString(kToken));
        QVERIFY(!seen.wasRemoved(key));
        QTRY_VERIFY2_WITH_TIMEOUT(seen.messageContains("slot map changed"), seen.messages().c_str(),
                                  5000);
        mon.stop();
    }

    // Issue 18.5: a slot in migration (IMPORTING / MIGRATING, the key MIGRATEd, the slot not
    // assigned yet): the source answers ASK, the target MOVED unless asked with ASKING. The key
    // stays visible, with its node (the target), in `watch` and in `locks` — never free or
    // removed — and a redirect for one key switches nothing off for the node.
    void keyInAMigratingSlotStaysVisible() {
        const auto m = map();
        const auto from = m.masters[0].address;
        const auto to = m.masters[2].address;
        const auto key = keyOn(m, from, prefix + "migrating");
        setLock(from, key);
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(cluster->url()), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 10000);

        const int slot = redis::keyHashSlot(key);
        redis::Connection src(at(from)), dst(at(to));
        const std::string srcId(src.command({"CLUSTER", "MYID"}).str());
        const std::string dstId(dst.command({"CLUSTER", "MYID"}).str());
        dst.command({"CLUSTER", "SETSLOT", slot, "IMPORTING", srcId});
        src.command({"CLUSTER", "SETSLOT", slot, "MIGRATING", dstId});
        src.command({"MIGRATE", to.host, to.port, "", 0, 5000, "KEYS", key});
        QCOMPARE(src.raw({"PTTL", key}).errorMessage().substr(0, 3), std::string_view("ASK"));

        QTRY_COMPARE_WITH_TIMEOUT(nodeName(seen, *seen.get(key)), to.display(), 8000);
        auto locks = test::runCli({"--url", cluster->url(), "locks", "--json", "--match", key});
        QVERIFY2(locks.exitCode == 0, (locks.out + locks.err).c_str());
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(locks.out)).array();
        QCOMPARE(doc.size(), 1);
        QCOMPARE(doc[0].toObject()["node"].toString().toStdString(), to.display());
        QCOMPARE(doc[0].toObject()["state"].toString(), QString("held"));

        for (const auto& master : m.masters) {
            redis::Connection c(at(master.address));
            c.command({"CLUSTER", "SETSLOT", slot, "NODE", dstId});
        }
        QTest::qWait(1000);
        QCOMPARE(nodeName(seen, *seen.get(key)), to.display());
        QCOMPARE(seen.get(key)->state, monitor::LockState::Held);
        QVERIFY(!seen.wasFree(key));
        QVERIFY(!seen.wasRemoved(key));
        QVERIFY2(!seen.messageContains("OBJECT IDLETIME is not available"),
                 seen.messages().c_str());
        mon.stop();
    }

    void cleanupTestCase() { cluster.reset(); }
};

QTEST_GUILESS_MAIN(TestMonitorCluster)
#include "test_monitor_cluster.moc"

// The failover demos, against real processes, with the outcomes the fault table documents:
//   failover-before-replication  (master + replica + 3 Sentinels) a lock granted on the master
//                                and failed over before it replicated is granted twice; WAIT makes
//                                the first client give its unacknowledged grant back
//   node-restart-delayed         (3 redlock nodes) a node that stays down past the TTL before it
//                                restarts empty re-grants nothing
//   node-down with 5 nodes       (lockscope-cli --sandbox --sandbox-nodes 5) 2 down keeps working,
//                                3 down stops until they are back
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <atomic>
#include <memory>
#include <thread>

#include "demo/lock_demo.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "sandbox/topology.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using demo::Fault;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

std::string describe(const demo::LockDemoResult& r) {
    std::string s = r.strategy + " / " + r.fault + ": acquisitions " +
                    std::to_string(r.acquisitions) + ", violations " +
                    std::to_string(r.violations) + ", lost " + std::to_string(r.lostUpdates) +
                    ", after " + std::to_string(r.acquisitionsAfterFault) + ", " +
                    std::to_string(static_cast<int>(r.seconds * 1000)) + " ms; " +
                    (r.asExpected ? "as expected" : "MISMATCH: " + r.mismatch);
    for (const auto& e : r.events) s += "\n    +" + std::to_string(e.at.count()) + " ms " + e.text;
    return s;
}

bool anyEvent(const demo::LockDemoResult& r, const QString& text) {
    for (const auto& e : r.events)
        if (q(e.text).contains(text)) return true;
    return false;
}

long long dbsize(const redis::Endpoint& e) {
    return redis::Connection(e).command({"DBSIZE"}).integer();
}

QJsonObject cliDemo(const std::vector<std::string>& args, int timeoutMs = 60000) {
    auto r = test::runCli(args, timeoutMs);
    if (r.exitCode != 0) qWarning("exit %d: %s", r.exitCode, r.err.c_str());
    auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out));
    return doc.object();
}

}  // namespace

class TestFailoverDemo : public QObject {
    Q_OBJECT

    // The failover demo on a Sentinel topology of its own; the resource on `resource`.
    demo::LockDemoResult failoverRun(const std::string& strategy, int replicaAcks,
                                     sandbox::Topology& sentinels, sandbox::RedisServer& resource) {
        demo::LockDemoOptions o;
        o.strategy = strategy;
        o.fault = Fault::FailoverBeforeReplication;
        o.replicaAcks = replicaAcks;
        o.target.nodes = {resource.endpoint()};
        o.target.controlled = {&resource};
        o.target.topology = &sentinels;
        auto r = demo::runLockDemo(o);
        qInfo("%s", describe(r).c_str());
        return r;
    }

private slots:
    void initTestCase() { QVERIFY(!test::cliPath().empty()); }

    // The CLI contract end to end: --sandbox starts the resource server and the Sentinel group.
    void failoverBeforeReplicationGrantsTheLockTwice() {
        const auto j = cliDemo({"--sandbox", "demo", "lock", "--strategy", "set-nx-px", "--fault",
                                "failover-before-replication", "--json"});
        QVERIFY2(!j.isEmpty(), "no JSON");
        QCOMPARE(j["fault"].toString(), QString("failover-before-replication"));
        QCOMPARE(j["acquisitions"].toInt(), 2);  // A on the old master, B on the new one
        QCOMPARE(j["violations"].toInt(), 1);    // B entered while A was inside
        QCOMPARE(j["lost_updates"].toInt(), 1);  // A's stale write overwrote B's increment
        QVERIFY(j["fault_injected"].toBool());
        QVERIFY2(j["as_expected"].toBool(), qPrintable(j["mismatch"].toString()));
        QStringList events;
        for (const auto& e : j["events"].toArray()) events << e.toObject()["text"].toString();
        QVERIFY2(events.join("\n").contains("granted twice"), qPrintable(events.join("\n")));
        QVERIFY(events.join("\n").contains("SENTINEL FAILOVER"));
    }

    // Fencing tokens do not save it: the fence counter lived on the same master and was lost too,
    // so both holders carry the same token.
    void fencedIsGrantedTwiceToo() {
        sandbox::TopologyOptions to;
        to.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology sentinels(to);
        sandbox::RedisServer resource;
        auto r = failoverRun("fenced", 0, sentinels, resource);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.violations, 1LL);
        QCOMPARE(r.lostUpdates, 1LL);
        QCOMPARE(r.staleWritesRejected, 0LL);
        // Nothing left behind anywhere.
        QCOMPARE(dbsize(resource.endpoint()), 0LL);
        for (const auto& e : sentinels.dataEndpoints()) {
            redis::Connection c(e);
            QCOMPARE(c.command({"KEYS", r.keyPrefix + "*"}).size(), size_t(0));
        }
    }

    void waitGivesTheUnreplicatedGrantBack() {
        sandbox::TopologyOptions to;
        to.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology sentinels(to);
        sandbox::RedisServer resource;
        auto r = failoverRun("set-nx-px", 1, sentinels, resource);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        QCOMPARE(r.acquisitions, 1LL);  // only B, on the new master, once it had a replica again
        QVERIFY(anyEvent(r, "A gave the lock back and did not enter"));
        QVERIFY(anyEvent(r, "WAIT trades availability"));
        QCOMPARE(dbsize(resource.endpoint()), 0LL);
    }

    // Ctrl-C while client B waits for the new master to have a replica again: interrupted, with
    // no verdict and no "no replica came back within 30 s" told after a second and a half.
    void interruptedWhileWaitingForReplicas() {
        sandbox::TopologyOptions to;
        to.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology sentinels(to);
        sandbox::RedisServer resource;
        demo::LockDemoOptions o;
        o.strategy = "set-nx-px";
        o.fault = Fault::FailoverBeforeReplication;
        o.replicaAcks = 1;
        o.target.nodes = {resource.endpoint()};
        o.target.controlled = {&resource};
        o.target.topology = &sentinels;
        std::atomic<bool> cancel{false};
        std::atomic<bool> waiting{false};
        o.cancel = &cancel;
        // The event said just before B starts asking the new master.
        o.progress = [&](const demo::DemoProgress& p) {
            if (p.event && q(p.event->text).contains("master password restored")) waiting = true;
        };
        std::thread ctrlC([&] {
            while (!waiting.load()) std::this_thread::sleep_for(10ms);
            std::this_thread::sleep_for(1500ms);
            cancel = true;
        });
        const auto began = std::chrono::steady_clock::now();
        auto r = demo::runLockDemo(o);
        ctrlC.join();
        qInfo("%s", describe(r).c_str());
        QVERIFY(r.interrupted);
        QVERIFY(!anyEvent(r, "no replica came back"));
        QVERIFY2(r.explanation.empty() && r.mismatch.empty(), r.explanation.c_str());
        QVERIFY(std::chrono::steady_clock::now() - began < 25s);
        QCOMPARE(dbsize(resource.endpoint()), 0LL);
    }

    void failoverFaultSaysWhatItNeeds() {
        sandbox::RedisServer resource;
        demo::LockDemoOptions o;
        o.strategy = "set-nx-px";
        o.fault = Fault::FailoverBeforeReplication;
        o.target.nodes = {resource.endpoint()};
        o.target.controlled = {&resource};
        try {
            demo::runLockDemo(o);
            QFAIL("accepted without a Sentinel topology");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            QVERIFY2(q(e.what()).contains("Sentinel topology"), e.what());
        }
        auto usage = [](std::vector<std::string> args, const char* says) {
            auto r = test::runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.find(says) != std::string::npos, r.err.c_str());
        };
        usage({"--sandbox", "demo", "lock", "--strategy", "redlock", "--fault",
               "failover-before-replication"},
              "single-server strategy");
        usage({"--url", resource.url(), "demo", "lock", "--strategy", "set-nx-px", "--fault",
               "failover-before-replication"},
              "add --sandbox");
        usage({"--sandbox", "demo", "lock", "--strategy", "set-nx-px", "--wait-replicas", "1"},
              "applies to --fault failover-before-replication");
        usage({"--sandbox", "demo", "lock", "--strategy", "fenced", "--fault",
               "failover-before-replication", "--wait-replicas", "1"},
              "implemented by set-nx-px");
        usage({"--url", resource.url(), "--sandbox-nodes", "5", "locks"}, "add --sandbox");
        QCOMPARE(dbsize(resource.endpoint()), 0LL);  // nothing was started against it
    }

    void delayedRestartReGrantsNothing() {
        std::vector<std::unique_ptr<sandbox::RedisServer>> group;
        demo::LockDemoOptions o;
        o.strategy = "redlock";
        o.fault = Fault::NodeRestartDelayed;
        o.workers = 4;
        o.opsPerWorker = 30;
        o.workerExecutable = test::cliPath();
        for (int i = 0; i < 3; ++i) {
            group.push_back(std::make_unique<sandbox::RedisServer>());
            o.target.nodes.push_back(group.back()->endpoint());
            o.target.controlled.push_back(group.back().get());
        }
        auto r = demo::runLockDemo(o);
        qInfo("%s", describe(r).c_str());
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(r.faultInjected);
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        QVERIFY(r.acquisitionsAfterFault > 0);
        QVERIFY2(anyEvent(r, "stays down for TTL + 200 ms"), describe(r).c_str());
        QVERIFY2(anyEvent(r, "nobody else got in"), describe(r).c_str());
        QVERIFY2(anyEvent(r, "forgetting them re-grants nothing"), describe(r).c_str());
        for (auto& s : group) {
            QVERIFY(s->running());  // the engine brought back what it crashed
            QCOMPARE(dbsize(s->endpoint()), 0LL);
        }
    }

    // Redlock over 5 nodes from the demo CLI: a quorum is 3, so 2 nodes down are survivable and
    // 3 are not (unavailable, never unsafe).
    void redlockWithFiveNodesTwoDownWorksThreeDownStops() {
        const auto two = cliDemo({"--sandbox", "--sandbox-nodes", "5", "demo", "lock", "--strategy",
                                  "redlock", "--fault", "node-down", "--down", "2", "--json"});
        QVERIFY2(two["as_expected"].toBool(), qPrintable(QJsonDocument(two).toJson()));
        QVERIFY(two["acquisitions_during_fault"].toInt() > 0);
        QCOMPARE(two["violations"].toInt(), 0);
        QVERIFY(QJsonDocument(two).toJson().contains("stopped 2 of 5 nodes"));
        const auto three =
            cliDemo({"--sandbox", "--sandbox-nodes", "5", "demo", "lock", "--strategy", "redlock",
                     "--fault", "node-down", "--down", "3", "--json"});
        QVERIFY2(three["as_expected"].toBool(), qPrintable(QJsonDocument(three).toJson()));
        QCOMPARE(three["acquisitions_during_fault"].toInt(), 0);
        QVERIFY(three["acquisitions_after_fault"].toInt() > 0);
        QCOMPARE(three["violations"].toInt(), 0);
        QVERIFY(QJsonDocument(three).toJson().contains("stopped 3 of 5 nodes"));
    }
};

QTEST_GUILESS_MAIN(TestFailoverDemo)
#include "test_failover_demo.moc"

// Degradation, feature by feature, never refusing to connect: ACL users without CONFIG, CLIENT,
// KEYS, SCAN or channel rights; renamed commands; OBJECT IDLETIME refused; huge values; a
// connection lost in the middle of a scan; a server that is not up yet.
#include <QtTest>

#include "monitor/monitor.h"
#include "monitor/survey.h"
#include "monitor_collector.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

monitor::MonitorOptions fastOptions() {
    monitor::MonitorOptions o;
    o.publishInterval = 50ms;
    o.pollInterval = 300ms;
    o.connect.connectTimeout = 500ms;
    o.connect.commandTimeout = 2000ms;
    return o;
}

const char* kToken = "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef";

}  // namespace

class TestMonitorDegraded : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;

    redis::Endpoint as(const std::string& user) {
        auto ep = server->endpoint();
        ep.user = user;
        ep.password = "pw";
        return ep;
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        redis::Connection admin(server->endpoint());
        admin.command({"ACL", "SETUSER", "nocfg", "on", ">pw", "~*", "&*", "+@all", "-config",
                       "-client", "-keys"});
        admin.command({"ACL", "SETUSER", "noscan", "on", ">pw", "~*", "&*", "+@all", "-scan"});
        admin.command({"ACL", "SETUSER", "nosub", "on", ">pw", "~*", "resetchannels", "+@all"});
    }

    void userWithoutConfigClientOrKeys() {
        redis::Connection(server->endpoint()).command({"SET", "acl:lock", kToken, "PX", 60000});
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({as("nocfg")}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has("acl:lock"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("cannot read notify-keyspace-events"), 3000);
        QVERIFY2(seen.messageContains("CLIENT LIST refused"), seen.messages().c_str());
        QVERIFY2(seen.messageContains("orphaned locks cannot be detected"),
                 seen.messages().c_str());
        QVERIFY(!seen.get("acl:lock")->orphanChecked);
        QCOMPARE(seen.get("acl:lock")->state, monitor::LockState::Held);  // not wrongly "orphaned"
        // Notifications work for this user, so once an event arrives it says so and follows live.
        redis::Connection(server->endpoint()).command({"SET", "acl:lock2", kToken, "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("notifications are arriving"), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.has("acl:lock2"), 3000);
        m.stop();
    }

    void userWithoutScanLearnsKeysFromNotifications() {
        redis::Connection(server->endpoint()).command({"SET", "noscan:old", kToken, "PX", 60000});
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({as("noscan")}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("SCAN refused"), 3000);
        QVERIFY(seen.messageContains("discovered from keyspace notifications only"));
        redis::Connection(server->endpoint()).command({"SET", "noscan:new", kToken, "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has("noscan:new"), 3000);
        QVERIFY(!seen.has("noscan:old"));  // nothing could list it
        m.stop();
    }

    // Found by the failover tester (issue 18.2): SCAN refused, then granted back and the user's
    // connections killed — with notifications off, polling must resume (new keys were never
    // found again: only the resubscription's one rescan ran).
    void scanGrantedBackResumesPolling() {
        sandbox::RedisServerOptions so;
        so.notifyKeyspaceEvents = "";
        sandbox::RedisServer off(so);
        redis::Connection admin(off.endpoint());
        admin.command({"ACL", "SETUSER", "later", "on", ">pw", "~*", "&*", "+@all", "-scan"});
        auto ep = off.endpoint();
        ep.user = "later";
        ep.password = "pw";
        test::MonitorCollector seen;
        monitor::Monitor m({ep}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("SCAN refused"), 3000);
        admin.command({"ACL", "SETUSER", "later", "+scan"});
        admin.command({"CLIENT", "KILL", "USER", "later"});
        QTest::qWait(1500);
        admin.command({"SET", "later:new", kToken, "PX", 60000});
        QTRY_VERIFY2_WITH_TIMEOUT(seen.has("later:new"), seen.messages().c_str(), 6000);
        m.stop();
    }

    void userWithoutChannelsPolls() {
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({as("nosub")}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("cannot subscribe to keyspace notifications"),
                                 3000);
        QCOMPARE(seen.status().nodes.at(0).notifications,
                 monitor::NodeStatus::Notifications::Unavailable);
        QVERIFY(seen.status().nodes.at(0).polling);
        redis::Connection(server->endpoint()).command({"SET", "nosub:lock", kToken, "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has("nosub:lock"), 3000);  // found by polling
        m.stop();
    }

    void renamedCommandsAndLfuPolicy() {
        sandbox::RedisServerOptions so;
        so.extraArgs = {"--rename-command",   "CONFIG",     "", "--rename-command", "CLIENT", "",
                        "--maxmemory-policy", "allkeys-lfu"};
        sandbox::RedisServer odd(so);
        redis::Connection(odd.endpoint()).command({"SET", "odd:lock", kToken, "PX", 60000});
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({odd.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has("odd:lock"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("OBJECT IDLETIME is not available"), 3000);
        QVERIFY2(seen.messageContains("cannot read notify-keyspace-events"),
                 seen.messages().c_str());
        QVERIFY2(seen.messageContains("CLIENT LIST refused"), seen.messages().c_str());
        QVERIFY(!seen.status().nodes.at(0).canConfigure);
        m.stop();
    }

    void hugeValuesArePreviewedNotFetched() {
        redis::Connection c(server->endpoint());
        c.command({"SET", "huge:blob", std::string(16 << 20, 'z')});
        c.command({"SET", "huge:lock", kToken, "PX", 60000});
        auto sent = [&] {
            auto info = std::string(c.command({"INFO", "stats"}).str());
            auto at = info.find("total_net_output_bytes:");
            return std::stoll(info.substr(at + 23));
        };
        const long long before = sent();
        monitor::MonitorOptions o = fastOptions();
        o.patterns = {"huge:*"};
        auto result = monitor::survey({server->endpoint()}, o);
        const long long cost = sent() - before;
        QVERIFY2(cost < 64 * 1024, qPrintable(QString::number(cost)));  // not 16 MB
        QCOMPARE(result.records.size(), size_t(1));
        QCOMPARE(QString::fromStdString(result.records[0].key), QString("huge:lock"));
    }

    void connectionLostMidScan() {
        sandbox::RedisServer big;
        {
            redis::Connection c(big.endpoint());
            for (int chunk = 0; chunk < 40; ++chunk) {
                auto p = c.pipeline();
                for (int i = 0; i < 1000; ++i)
                    p.add({"SET", "k:" + std::to_string(chunk * 1000 + i), kToken, "PX", 600000});
                p.exec();
            }
        }
        auto o = fastOptions();
        o.batchSize = 200;
        o.scanCount = 200;
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({big.endpoint()}, o);
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.recordCount() > 0, 5000);
        QVERIFY(!seen.status().inventoryComplete);
        redis::Connection admin(big.endpoint());
        QVERIFY(admin.command({"CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal"}).integer() >=
                1);
        // Killed in the middle of a pipeline, the scan starts over on a new connection ("connection
        // lost" … "reconnected"); killed between two round trips, the drop is noticed before the
        // next one is sent and the SCAN cursor simply continues. Either way the inventory is whole.
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.recordCount(), size_t(40000), 10000);
        if (seen.messageContains("connection lost"))
            QVERIFY(seen.messageContains("reconnected after"));
        m.stop();
    }

    void serverNotUpYet() {
        const int port = sandbox::pickFreePort(20000, 45000, false);
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({redis::Endpoint::tcpEndpoint("127.0.0.1", port)}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("cannot connect"), 3000);
        QCOMPARE(seen.status().nodes.at(0).link, monitor::NodeStatus::Link::Connecting);
        sandbox::RedisServerOptions so;
        so.port = port;
        sandbox::RedisServer late(so);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes.at(0).link,
                                  monitor::NodeStatus::Link::Connected, 8000);
        m.stop();
    }
};

QTEST_GUILESS_MAIN(TestMonitorDegraded)
#include "test_monitor_degraded.moc"

// Pure pieces of the multi-server support: the cluster's key → slot hash (the specification's test
// vectors), CLUSTER SLOTS / MOVED / ASK parsing helpers, Sentinel's +switch-master payload, and
// what a URL turns into for the monitor.
#include <QtTest>

#include "monitor/target.h"
#include "redis/cluster.h"
#include "redis/error.h"
#include "redis/sentinel.h"

using namespace lockscope;

class TestClusterUnits : public QObject {
    Q_OBJECT
private slots:
    void keyHashSlot_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("slot");
        // CRC16-XMODEM("123456789") = 0x31C3 (the cluster specification's check value).
        QTest::newRow("check value") << "123456789" << 0x31C3;
        QTest::newRow("foo") << "foo" << 12182;
        QTest::newRow("empty") << "" << 0;
        QTest::newRow("hash tag") << "{user1000}.following" << 3443;
        QTest::newRow("same tag") << "{user1000}.followers" << 3443;
        QTest::newRow("empty tag hashes the whole key") << "foo{}{bar}" << 8363;
        QTest::newRow("first tag only") << "foo{{bar}}zap" << 4015;
        QTest::newRow("unclosed brace") << "foo{bar" << 15278;
    }
    void keyHashSlot() {
        QFETCH(QString, key);
        QFETCH(int, slot);
        QCOMPARE(redis::keyHashSlot(key.toStdString()), slot);
    }

    void redirects() {
        auto moved = redis::parseRedirect("MOVED 3999 127.0.0.1:6381");
        QVERIFY(moved && !moved->ask);
        QCOMPARE(moved->slot, 3999);
        QCOMPARE(moved->to.display(), std::string("127.0.0.1:6381"));
        auto ask = redis::parseRedirect("ASK 12 [::1]:7000");
        QVERIFY(ask && ask->ask);
        QCOMPARE(ask->to.host, std::string("::1"));
        QCOMPARE(ask->to.port, 7000);
        QVERIFY(!redis::parseRedirect("WRONGTYPE Operation against a key"));
        QVERIFY(!redis::parseRedirect("MOVED x 127.0.0.1:1"));
        QVERIFY(!redis::parseRedirect("MOVED 1 nowhere"));
    }

    void slotsText() {
        QCOMPARE(redis::slotsText({{0, 5460}, {10923, 10923}}), std::string("0-5460,10923"));
        redis::ClusterMaster m{{"127.0.0.1", 1}, "id", {{0, 10}, {20, 30}}, {}};
        QVERIFY(m.owns(25) && !m.owns(15));
        QCOMPARE(m.slotCount(), 22);
    }

    void switchMaster() {
        auto s = redis::parseSwitchMaster("mymaster 127.0.0.1 6379 127.0.0.1 6380");
        QVERIFY(s);
        QCOMPARE(s->name, std::string("mymaster"));
        QCOMPARE(s->from.display(), std::string("127.0.0.1:6379"));
        QCOMPARE(s->to.display(), std::string("127.0.0.1:6380"));
        QVERIFY(!redis::parseSwitchMaster("mymaster 127.0.0.1 6379"));
        QVERIFY(!redis::parseSwitchMaster("mymaster a b c d"));
    }

    void targetsFromUrls() {
        using monitor::TargetKind;
        auto single = monitor::MonitorTarget::fromUrl(redis::parseUrl("redis://:pw@h:1/2"));
        QCOMPARE(single.kind, TargetKind::Single);
        QCOMPARE(single.nodes.at(0).password, std::string("pw"));
        auto s = monitor::MonitorTarget::fromUrl(
            redis::parseUrl("redis+sentinel://a:1,b:2/mymaster/3"), "envpw");
        QCOMPARE(s.kind, TargetKind::Sentinel);
        QCOMPARE(s.nodes.size(), size_t(2));
        QVERIFY(s.nodes[0].password.empty());  // Sentinels are asked without AUTH first
        QCOMPARE(s.masterName, std::string("mymaster"));
        const auto data = s.dataEndpoint({"10.0.0.1", 6380});
        QCOMPARE(data.password, std::string("envpw"));  // LOCKSCOPE_PASSWORD for the data nodes
        QCOMPARE(data.db, 3);
        QCOMPARE(s.display(), std::string("redis+sentinel://a:1,b:2/mymaster/3"));
        auto c = monitor::MonitorTarget::fromUrl(redis::parseUrl("redis+cluster://u:p@a:1,b:2"));
        QCOMPARE(c.kind, TargetKind::Cluster);
        QCOMPARE(c.nodes[1].user, std::string("u"));                    // seeds are data nodes
        QCOMPARE(c.display(), std::string("redis+cluster://a:1,b:2"));  // never the password
        QCOMPARE(monitor::MonitorTarget::group({redis::Endpoint::tcpEndpoint("h", 1)}).kind,
                 TargetKind::Single);
    }
};

QTEST_APPLESS_MAIN(TestClusterUnits)
#include "test_cluster_units.moc"

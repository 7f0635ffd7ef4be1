// The operator's commands as scripts use them: `counters --json` rates, `watch` following live
// (one JSON line per change without a terminal), `lock force-release` comparing the holder,
// waking Redisson and python-redis-lock waiters, and writing the audit log.
#include <QtTest>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

class TestMonitorCli : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;
    QTemporaryDir dir;
    std::string auditLog;

    std::string readAudit() {
        std::ifstream in(auditLog);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("mcli");
        auditLog = dir.filePath("audit.log").toStdString();
        ::setenv("LOCKSCOPE_AUDIT_LOG", auditLog.c_str(), 1);  // inherited by the CLI
    }

    void countersJsonMeasuresRates() {
        const std::string key = prefix + "ticks";
        std::atomic<bool> stop{false};
        std::thread ticker([&] {
            redis::Connection c(server->endpoint());
            auto next = std::chrono::steady_clock::now();
            while (!stop.load()) {
                c.command({"INCRBY", key, 2});
                next += 10ms;
                std::this_thread::sleep_until(next);
            }
        });
        QTest::qWait(200);
        auto r = test::runCli({"--url", server->url(), "counters", "--match", prefix + "*",
                               "--window", "2000", "--json"});
        stop = true;
        ticker.join();
        QCOMPARE(r.exitCode, 0);
        auto a = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
        QCOMPARE(a.size(), 1);
        auto o = a[0].toObject();
        QCOMPARE(o["key"].toString(), QString::fromStdString(key));
        QVERIFY(o["value"].toInteger() > 0);
        const double rate = o["rate_per_s"].toDouble();
        QVERIFY2(rate >= 180 && rate <= 220, qPrintable(QString::number(rate)));  // 200/s
    }

    void watchPrintsChangesAsTheyHappen() {
        auto child = test::ChildProcess::spawn(
            {test::cliPath(), "--url", server->url(), "watch", "--match", prefix + "w:*"});
        QTest::qWait(500);
        const std::string key = prefix + "w:lock";
        redis::Connection(server->endpoint())
            .command(
                {"SET", key, "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX", 10000});
        // No client with owner tag 0123abcd is connected. A live holder may be between two
        // renewals (reconnecting): "held", not judged, first; once half the TTL has passed
        // without it (plus a CLIENT LIST refresh), "orphaned" — before the lock expires.
        std::vector<QJsonObject> seen;
        for (int i = 0; i < 60 && (seen.empty() || seen.back()["state"] != "orphaned"); ++i) {
            auto line = child.readLine(200ms);
            if (line && line->find("\"key\":\"" + key + "\"") != std::string::npos)
                seen.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(*line)).object());
        }
        QVERIFY(!seen.empty());
        QCOMPARE(seen.front()["format"].toString(), QString("set-nx-px"));
        QCOMPARE(seen.front()["state"].toString(), QString("held"));
        QCOMPARE(seen.front()["orphan_checked"].toBool(), false);
        QCOMPARE(seen.back()["state"].toString(), QString("orphaned"));
        QVERIFY(seen.back()["ttl_ms"].toInt() > 0);
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
    }

    void forceReleaseComparesTheHolder() {
        const std::string key = prefix + "stuck";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, "lockscope:setnx-expire:gone:1:0123abcd:0123456789abcdef"});
        // The operator saw an older holder: refuse, say so, change nothing.
        auto stale = test::runCli({"--url", server->url(), "lock", "force-release", key, "--holder",
                                   "lockscope:setnx-expire:gone:1:0123abcd:ffffffffffffffff"});
        QCOMPARE(stale.exitCode, 1);
        QVERIFY2(QString::fromStdString(stale.err).contains("holder changed"), stale.err.c_str());
        QVERIFY(c.command({"GET", key}).optString());
        auto ok = test::runCli({"--url", server->url(), "lock", "force-release", key, "--holder",
                                "lockscope:setnx-expire:gone:1:0123abcd:0123456789abcdef"});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(!c.command({"GET", key}).optString());
        // Both attempts are in the audit log.
        auto log = readAudit();
        QVERIFY2(log.find("force-release\t" + key + "\t") != std::string::npos, log.c_str());
        QVERIFY(log.find("holder-changed") != std::string::npos);
        QVERIFY(log.find("\tdone\n") != std::string::npos);
    }

    void forceReleaseWakesRedissonAndPythonRedisLockWaiters() {
        redis::Connection c(server->endpoint());
        const std::string rkey = prefix + "redisson";
        const std::string field = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47";
        c.command({"HSET", rkey, field, 1});
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", "redisson_lock__channel:{" + rkey + "}"});
        sub.receive();
        auto r = test::runCli(
            {"--url", server->url(), "lock", "force-release", rkey, "--holder", field});
        QCOMPARE(r.exitCode, 0);
        auto msg = sub.receiveFor(2000ms);
        QVERIFY(msg);
        QCOMPARE(QString::fromStdString(std::string((*msg)[2].str())),
                 QString("0"));  // UNLOCK_MESSAGE

        const std::string pkey = "lock:" + prefix + "pyjob";
        c.command({"SET", pkey, "Q2hpbGwgb3V0LCBpdCdzIGZp", "EX", 60});
        auto p = test::runCli({"--url", server->url(), "lock", "force-release", pkey, "--holder",
                               "Q2hpbGwgb3V0LCBpdCdzIGZp"});
        QCOMPARE(p.exitCode, 0);
        QCOMPARE(c.command({"LLEN", "lock-signal:" + prefix + "pyjob"}).integer(), 1LL);
    }

    void notALock() {
        redis::Connection c(server->endpoint());
        c.command({"RPUSH", prefix + "queue", "a"});
        auto r = test::runCli(
            {"--url", server->url(), "lock", "force-release", prefix + "queue", "--holder", "a"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(QString::fromStdString(r.err).contains("not a lock"));
        QCOMPARE(c.command({"LLEN", prefix + "queue"}).integer(), 1LL);
    }
};

QTEST_GUILESS_MAIN(TestMonitorCli)
#include "test_monitor_cli.moc"

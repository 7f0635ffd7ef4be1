// setnx-expire's hazard, with a real crash: a process SIGKILLed between SETNX and EXPIRE leaves
// a lock without TTL, held forever; set-nx-px's lock from a crashed holder expires.
#include <signal.h>

#include <QtTest>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;

class TestSetnxExpire : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    // A child process that takes the lock and dies by SIGKILL — between the two commands when
    // `crashBetween`, else right after acquiring.
    int crashingHolder(const std::string& strategy, const std::string& key, bool crashBetween) {
        auto child = test::ChildProcess::forkRun([&] {
            auto ctx = test::contextFor(*server);
            if (crashBetween) ctx.config.afterSetnx = [] { ::raise(SIGKILL); };
            auto lock = locks::makeLockStrategy(strategy, ctx);
            if (!lock->tryAcquire(key, 300ms)) ::_exit(1);
            ::raise(SIGKILL);
        });
        return child.wait(10s).value_or(-1);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("setnxexpire");
    }

    void worksWhenNobodyCrashes() {
        auto a = locks::makeLockStrategy("setnx-expire", test::contextFor(*server));
        auto lease = a->tryAcquire(prefix + "ok", 5000ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        auto pttl = c.command({"PTTL", prefix + "ok"}).integer();
        QVERIFY(pttl > 4000 && pttl <= 5000);
        QVERIFY(!locks::makeLockStrategy("setnx-expire", test::contextFor(*server))
                     ->tryAcquire(prefix + "ok", 5000ms));
        locks::Lease forged = *lease;
        forged.token = "not-mine";
        QCOMPARE(a->release(forged), ReleaseResult::NotOwner);  // WATCH compare
        QCOMPARE(a->release(*lease), ReleaseResult::Released);
    }

    void crashBetweenSetnxAndExpireLeavesNoTtlLock() {
        const std::string key = prefix + "crash";
        QCOMPARE(crashingHolder("setnx-expire", key, true), 128 + SIGKILL);
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"GET", key}).optString());
        QCOMPARE(c.command({"PTTL", key}).integer(), -1LL);  // no TTL
        // Long after the intended 300 ms TTL, nobody can get it.
        QTest::qSleep(600);
        auto waiter = locks::makeLockStrategy("setnx-expire", test::contextFor(*server));
        QVERIFY(!waiter->acquire(key, 300ms, {.timeout = 300ms}));
        auto info = waiter->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(info.ttl, -1ms);
        QVERIFY(QString::fromStdString(info.detail).contains("no TTL"));
    }

    void setNxPxFromACrashedHolderExpires() {
        const std::string key = prefix + "crash-pxpx";
        QCOMPARE(crashingHolder("set-nx-px", key, false), 128 + SIGKILL);
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"PTTL", key}).integer() > 0);
        auto waiter = locks::makeLockStrategy("set-nx-px", test::contextFor(*server));
        auto t0 = std::chrono::steady_clock::now();
        QVERIFY(waiter->acquire(key, 300ms, {.timeout = 2000ms}));
        QVERIFY(std::chrono::steady_clock::now() - t0 < 1000ms);
    }
};

QTEST_APPLESS_MAIN(TestSetnxExpire)
#include "test_setnx_expire.moc"

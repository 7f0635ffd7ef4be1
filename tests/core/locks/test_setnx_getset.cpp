// setnx-getset: works while clocks agree; a client whose clock runs ahead takes over a live
// lock, and the original holder's time-checked release then deletes the new holder's lock.
#include <QtTest>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;

class TestSetnxGetset : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;
    OffsetClock ahead{10000ms};  // 10 s fast

    std::unique_ptr<locks::LockStrategy> make(const Clock* clock = &systemClock()) {
        auto ctx = test::contextFor(*server);
        ctx.clock = clock;
        return locks::makeLockStrategy("setnx-getset", ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("getset");
    }

    void valueIsTheExpiryTimestamp() {
        auto a = make();
        const std::string key = prefix + "ts";
        const long long before = systemClock().wallMillis();
        auto lease = a->tryAcquire(key, 5000ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        long long stored = c.command({"GET", key}).asInteger();
        QVERIFY(stored >= before + 5000 && stored <= systemClock().wallMillis() + 5000);
        QCOMPARE(c.command({"PTTL", key}).integer(), -1LL);  // the recipe sets no Redis TTL
        QVERIFY(!make()->tryAcquire(key, 5000ms));           // live: nobody takes it over
        QCOMPARE(a->release(*lease), ReleaseResult::Released);
    }

    void expiredLockIsTakenOverByExactlyOneWaiter() {
        const std::string key = prefix + "expired";
        auto a = make();
        QVERIFY(a->tryAcquire(key, 100ms));
        QTest::qSleep(200);
        // Two waiters race for the expired lock: GETSET lets exactly one win.
        auto b = make();
        auto c = make();
        auto lb = b->tryAcquire(key, 5000ms);
        auto lc = c->tryAcquire(key, 5000ms);
        QVERIFY(bool(lb) != bool(lc));
        QVERIFY(lb);
    }

    void clientClockSkewBreaksMutualExclusion() {
        const std::string key = prefix + "skew";
        auto holder = make();
        auto lease = holder->tryAcquire(key, 5000ms);
        QVERIFY(lease);
        // Same clock: the lock is live.
        QVERIFY(!make()->tryAcquire(key, 5000ms));
        // A client 10 s ahead sees the expiry in the past and takes the lock over — while the
        // holder's lease still has ~5 s to run by the real clock.
        auto skewed = make(&ahead);
        auto stolen = skewed->tryAcquire(key, 5000ms);
        QVERIFY(stolen);
        QVERIFY(lease->validUntil > std::chrono::steady_clock::now());  // both "hold" it now

        // The holder finishes and releases: its release checks the time, not the owner, and
        // deletes the skewed client's lock.
        QCOMPARE(holder->release(*lease), ReleaseResult::Released);
        redis::Connection c(server->endpoint());
        QVERIFY(!c.command({"GET", key}).optString());
    }

    void nonTimestampValueIsNeverTakenOver() {
        const std::string key = prefix + "foreign";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, "some-other-client-token"});
        QVERIFY(!make(&ahead)->tryAcquire(key, 1000ms));
        QCOMPARE(QString::fromStdString(*c.command({"GET", key}).optString()),
                 QString("some-other-client-token"));
    }
};

QTEST_APPLESS_MAIN(TestSetnxGetset)
#include "test_setnx_getset.moc"

// set-nx-px: acquire, token-compare release/extend (Lua and WATCH), inspect, blocking acquire.
#include <QtTest>

#include "locks/compare.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;

class TestSetNxPx : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::LockStrategy> make(
        locks::LockConfig::CompareVia via = locks::LockConfig::CompareVia::Lua) {
        auto ctx = test::contextFor(*server);
        ctx.config.compareVia = via;
        return locks::makeLockStrategy("set-nx-px", ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("setnxpx");
    }

    void acquireWritesTokenWithTtl() {
        auto a = make();
        auto lease = a->tryAcquire(prefix + "k1", 5000ms);
        QVERIFY(lease);
        QVERIFY(locks::parseToken(lease->token));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(*c.command({"GET", prefix + "k1"}).optString()),
                 QString::fromStdString(lease->token));
        auto pttl = c.command({"PTTL", prefix + "k1"}).integer();
        QVERIFY(pttl > 4500 && pttl <= 5000);
        // Busy for everyone else, including another instance in this process.
        auto b = make();
        QVERIFY(!b->tryAcquire(prefix + "k1", 5000ms));
        QCOMPARE(a->stats().acquisitions, 1u);
        QCOMPARE(b->stats().attempts, 1u);
    }

    void releaseComparesToken_data() {
        QTest::addColumn<int>("via");
        QTest::newRow("lua") << int(locks::LockConfig::CompareVia::Lua);
        QTest::newRow("watch") << int(locks::LockConfig::CompareVia::Watch);
    }
    void releaseComparesToken() {
        QFETCH(int, via);
        auto a = make(locks::LockConfig::CompareVia(via));
        const std::string key = prefix + "rel" + std::to_string(via);
        auto lease = a->tryAcquire(key, 5000ms);
        QVERIFY(lease);
        locks::Lease forged = *lease;
        forged.token = "someone-else";
        QCOMPARE(a->release(forged), ReleaseResult::NotOwner);
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"GET", key}).optString());  // untouched
        QCOMPARE(a->release(*lease), ReleaseResult::Released);
        QVERIFY(!c.command({"GET", key}).optString());
        QCOMPARE(a->release(*lease), ReleaseResult::NotHeld);
    }

    void extendOnlyWhileOwned() {
        auto a = make();
        const std::string key = prefix + "ext";
        auto lease = a->tryAcquire(key, 300ms);
        QVERIFY(lease);
        QVERIFY(a->extend(*lease, 10000ms));
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"PTTL", key}).integer() > 9000);
        c.command({"SET", key, "stolen"});
        QVERIFY(!a->extend(*lease, 10000ms));
        QCOMPARE(QString::fromStdString(*c.command({"GET", key}).optString()), QString("stolen"));
    }

    void inspectShowsHolderAndTtl() {
        auto a = make();
        const std::string key = prefix + "insp";
        auto free = a->inspect(key);
        QVERIFY(!free.held);
        QCOMPARE(free.ttl, -2ms);
        auto lease = a->tryAcquire(key, 8000ms);
        auto info = make()->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(lease->token));
        QVERIFY(info.ttl > 7000ms && info.ttl <= 8000ms);
    }

    void blockingAcquireWaitsForRelease() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "block";
        auto held = a->tryAcquire(key, 10000ms);
        QVERIFY(held);
        std::thread releaser([&] {
            std::this_thread::sleep_for(200ms);
            a->release(*held);
        });
        auto t0 = std::chrono::steady_clock::now();
        auto lease = b->acquire(key, 5000ms, {.timeout = 3000ms});
        auto waited = std::chrono::steady_clock::now() - t0;
        releaser.join();
        QVERIFY(lease);
        // Backoff is capped at 10 ms: the waiter notices the release promptly.
        QVERIFY2(waited >= 190ms && waited < 400ms,
                 qPrintable(QString::number(
                     std::chrono::duration_cast<std::chrono::milliseconds>(waited).count())));
        // And gives up at its timeout when the lock stays busy.
        auto c = make();
        t0 = std::chrono::steady_clock::now();
        QVERIFY(!c->acquire(key, 5000ms, {.timeout = 150ms}));
        waited = std::chrono::steady_clock::now() - t0;
        QVERIFY(waited >= 150ms && waited < 400ms);
        QVERIFY(c->stats().attempts > 3);  // it retried rather than sleeping the whole time
    }

    void cancelStopsWaiting() {
        auto a = make();
        const std::string key = prefix + "cancel";
        QVERIFY(a->tryAcquire(key, 10000ms));
        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancel = true;
        });
        auto t0 = std::chrono::steady_clock::now();
        QVERIFY(!make()->acquire(key, 1000ms, {.timeout = 10000ms, .cancel = &cancel}));
        canceller.join();
        QVERIFY(std::chrono::steady_clock::now() - t0 < 1000ms);
    }

    void unknownStrategyIsAClearError() {
        try {
            locks::makeLockStrategy("set-nx-ex", test::contextFor(*server));
            QFAIL("unknown strategy accepted");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            QVERIFY(QString(e.what()).contains("set-nx-px"));  // lists the known ones
        }
    }
};

QTEST_APPLESS_MAIN(TestSetNxPx)
#include "test_set_nx_px.moc"

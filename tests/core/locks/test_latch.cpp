// latch: Redisson's RCountDownLatch layout (a count string deleted at zero, "0" on
// redisson_countdownlatch__channel__{k}) with LockScope's lockscope_meta:{k} record; every waiter
// is released at zero — none before — by the message; an unset latch is open; not a lock.
#include <QtTest>
#include <atomic>

#include "locks/latch.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

class TestLatch : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("latch");
    }

    void notALockStrategy() {
        const auto* info = locks::findLockStrategy("latch");
        QVERIFY(info);
        QCOMPARE(info->kind, locks::LockKind::Latch);
        try {
            locks::makeLockStrategy("latch", test::contextFor(*server));
            QFAIL("a latch is not a lock");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
        }
    }

    void layoutIsRedissons() {
        locks::CountDownLatch latch(test::contextFor(*server));
        const std::string key = prefix + "layout";
        QCOMPARE(latch.count(key), 0LL);
        QVERIFY(latch.trySetCount(key, 2));
        QVERIFY(!latch.trySetCount(key, 5));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(c.command({"GET", key}).str().data()), QString("2"));
        QCOMPARE(QString::fromStdString(std::string(
                     c.command({"HGET", "lockscope_meta:{" + key + "}", "kind"}).str())),
                 QString("latch"));
        auto info = latch.inspect(key);
        QVERIFY(info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString("count:2/2"));

        const std::string channel = "redisson_countdownlatch__channel__{" + key + "}";
        QCOMPARE(QString::fromStdString(locks::CountDownLatch::channel(key)),
                 QString::fromStdString(channel));
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", channel});
        sub.receive();
        QCOMPARE(latch.countDown(key), 1LL);
        QCOMPARE(QString::fromStdString(latch.inspect(key).holder), QString("count:1/2"));
        QCOMPARE(latch.countDown(key), 0LL);
        auto m = sub.receiveFor(2000ms);
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(std::string(m->at(2).str())), QString("0"));
        QCOMPARE(c.command({"EXISTS", key, "lockscope_meta:{" + key + "}"}).integer(), 0LL);
        // An open latch is gone: a count-down finds nothing to count (-1), and changes nothing.
        QCOMPARE(latch.countDown(key), -1LL);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        QVERIFY(!latch.inspect(key).held);
    }

    // Five waiters, three count-downs: nobody passes before the third, everybody right after.
    void zeroReleasesEveryWaiter() {
        const std::string key = prefix + "waiters";
        locks::CountDownLatch setter(test::contextFor(*server));
        QVERIFY(setter.trySetCount(key, 3));
        std::atomic<int> passed{0};
        std::atomic<long long> lastPassUs{0};
        std::vector<std::thread> waiters;
        for (int i = 0; i < 5; ++i)
            waiters.emplace_back([&] {
                locks::CountDownLatch l(test::contextFor(*server));
                if (l.await(key, {.timeout = 10000ms})) {
                    ++passed;
                    lastPassUs = std::max<long long>(
                        lastPassUs.load(), std::chrono::duration_cast<std::chrono::microseconds>(
                                               Steady::now().time_since_epoch())
                                               .count());
                }
            });
        std::this_thread::sleep_for(300ms);
        setter.countDown(key);
        setter.countDown(key);
        std::this_thread::sleep_for(300ms);
        QCOMPARE(passed.load(), 0);
        const auto openedUs =
            std::chrono::duration_cast<std::chrono::microseconds>(Steady::now().time_since_epoch())
                .count();
        QCOMPARE(setter.countDown(key), 0LL);
        for (auto& w : waiters) w.join();
        QCOMPARE(passed.load(), 5);
        QVERIFY2(lastPassUs.load() - openedUs < 1000000,
                 qPrintable(QString::number(lastPassUs.load() - openedUs)));
    }

    void openLatchAndTimeouts() {
        locks::CountDownLatch latch(test::contextFor(*server));
        const std::string key = prefix + "open";
        QVERIFY(latch.await(key, {.timeout = 0ms}));  // never set: open
        QVERIFY(latch.trySetCount(key, 1));
        const auto t0 = Steady::now();
        QVERIFY(!latch.await(key, {.timeout = 300ms}));
        QVERIFY(Steady::now() - t0 >= 300ms);
        try {
            latch.trySetCount(prefix + "zero", 0);
            QFAIL("count 0 refused");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
        }
    }
};

QTEST_APPLESS_MAIN(TestLatch)
#include "test_latch.moc"

// semaphore and expirable-semaphore: Redisson's layouts (count string, {k}:timeout lease set,
// redisson_sc:{k} messages) plus LockScope's lockscope_meta:{k} record; never more than N holders;
// a release wakes a waiter by message; a plain permit of a SIGKILLed holder is gone for good,
// an expirable one comes back after its lease (woken by the lease's end, nobody releasing).
#include <QtTest>
#include <atomic>
#include <thread>

#include "locks/expirable_semaphore.h"
#include "locks/semaphore.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Steady = std::chrono::steady_clock;

namespace {

long long msSince(Steady::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
}

QString str(redis::Connection& c, std::initializer_list<redis::Arg> cmd) {
    return QString::fromStdString(c.command(cmd).optString().value_or("<nil>"));
}

}  // namespace

class TestSemaphore : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::LockStrategy> make(const std::string& id, int permits) {
        auto ctx = test::contextFor(*server);
        ctx.config.permits = permits;
        return locks::makeLockStrategy(id, ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("sem");
    }

    void plainLayout() {
        auto s = make("semaphore", 3);
        QVERIFY(!s->supportsExtend());
        const std::string key = prefix + "plain";
        auto lease = s->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        QCOMPARE(str(c, {"GET", key}), QString("2"));
        QCOMPARE(c.command({"PTTL", key}).integer(), -1LL);  // a semaphore lives forever
        QCOMPARE(str(c, {"HGET", "lockscope_meta:{" + key + "}", "kind"}), QString("semaphore"));
        QCOMPARE(str(c, {"HGET", "lockscope_meta:{" + key + "}", "size"}), QString("3"));
        auto info = s->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString("taken:1/3"));
        QCOMPARE(QString::fromStdString(info.detail), QString("2 of 3 permits free"));

        const std::string channel = "redisson_sc:{" + key + "}";
        QCOMPARE(QString::fromStdString(locks::semaphoreChannel(key)),
                 QString::fromStdString(channel));
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", channel});
        sub.receive();
        QCOMPARE(s->release(*lease), ReleaseResult::Released);
        auto m = sub.receiveFor(2000ms);
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(std::string(m->at(2).str())), QString("3"));
        // Never more free than its size: a second release of the same permit gives nothing back.
        QCOMPARE(s->release(*lease), ReleaseResult::NotHeld);
        QCOMPARE(str(c, {"GET", key}), QString("3"));
    }

    // adv14c item 1: after permits were given back by count (the operator's force-release of
    // leaked permits: the integer moves, the record keeps its tokens), a holder's own release
    // gives back a permit only while more are taken than the other tokens recorded claim.
    void releaseAfterAGiveBackByCount() {
        auto s = make("semaphore", 2);
        const std::string key = prefix + "gbc";
        auto a = s->tryAcquire(key, 1000ms), b = s->tryAcquire(key, 1000ms);
        QVERIFY(a && b);
        redis::Connection c(server->endpoint());
        c.command({"INCRBY", key, "1"});  // one permit given back by count
        // Counted as the one given back: the hold ends, no permit goes back, and the release
        // says so (adv14d item 2: it answered NotHeld, and `--hold` said "not-held", exit 1).
        QCOMPARE(s->release(*a), ReleaseResult::Released);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        const auto* plain = dynamic_cast<locks::SemaphoreLock*>(s.get());
        QVERIFY(plain);
        QVERIFY2(QString::fromStdString(plain->releaseNote()).contains("no permit goes back"),
                 plain->releaseNote().c_str());
        QCOMPARE(s->release(*b), ReleaseResult::Released);
        QCOMPARE(str(c, {"GET", key}), QString("2"));
    }

    // adv14c item 3: permits whose lease ran out are free (the next acquire takes them back):
    // inspect counts them free, not taken, and names no holder for them.
    void ranOutLeasesAreFree() {
        auto s = make("expirable-semaphore", 2);
        const std::string key = prefix + "ranout";
        QVERIFY(s->tryAcquire(key, 1ms));  // (a second acquire would take it back already)
        locks::LockInfo info;
        for (const auto until = Steady::now() + 10s; Steady::now() < until;) {
            info = s->inspect(key);
            if (info.primitive && info.primitive->expiredPermits() == 1) break;
            std::this_thread::sleep_for(5ms);
        }
        QVERIFY(info.primitive);
        QCOMPARE(info.primitive->expiredPermits(), 1LL);
        QVERIFY(!info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString());
        QCOMPARE(info.primitive->free, std::optional<long long>(2));
        QCOMPARE(info.primitive->taken(), std::optional<long long>(0));
        QVERIFY2(QString::fromStdString(info.detail).startsWith("2 of 2 permits free"),
                 info.detail.c_str());
    }

    // A semaphore a Redisson client made (a bare count) is used as it is when the caller says it
    // is one (LockConfig::adoptBareCount; without it a bare integer is refused, test_kind_check):
    // its size is not ours to record.
    void usesARedissonSemaphoreAsItIs() {
        const std::string key = prefix + "redisson";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, 1});
        auto ctx = test::contextFor(*server);
        ctx.config.permits = 5;
        ctx.config.adoptBareCount = true;
        auto s = locks::makeLockStrategy("semaphore", ctx);
        auto lease = s->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        QVERIFY(!s->tryAcquire(key, 1000ms));
        QCOMPARE(c.command({"EXISTS", "lockscope_meta:{" + key + "}"}).integer(), 0LL);
        QCOMPARE(s->release(*lease), ReleaseResult::Released);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
    }

    void expirableLayout() {
        auto s = make("expirable-semaphore", 2);
        const std::string key = prefix + "exp";
        auto lease = s->tryAcquire(key, 5000ms);
        QVERIFY(lease);
        QVERIFY(QString::fromStdString(lease->token).startsWith("lockscope:expirable-semaphore:"));
        redis::Connection c(server->endpoint());
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        const std::string leases = "{" + key + "}:timeout";
        auto t = c.command({"TIME"});
        const long long now = t.at(0).asInteger() * 1000 + t.at(1).asInteger() / 1000;
        const long long until = c.command({"ZSCORE", leases, lease->token}).asInteger();
        QVERIFY2(until - now > 4000 && until - now <= 5000,
                 qPrintable(QString::number(until - now)));
        QCOMPARE(str(c, {"HGET", "lockscope_meta:{" + key + "}", "kind"}),
                 QString("expirable-semaphore"));
        auto info = s->inspect(key);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(lease->token));
        QCOMPARE(info.primitive->permits.size(), size_t(1));
        QVERIFY(info.primitive->permits[0].leaseLeftMs > 4000);

        QVERIFY(s->extend(*lease, 20000ms));
        QVERIFY(c.command({"ZSCORE", leases, lease->token}).asInteger() - now > 19000);
        QCOMPARE(s->release(*lease), ReleaseResult::Released);
        QCOMPARE(c.command({"EXISTS", leases}).integer(), 0LL);
        QCOMPARE(str(c, {"GET", key}), QString("2"));
        QCOMPARE(s->release(*lease), ReleaseResult::NotHeld);
        QVERIFY(!s->extend(*lease, 1000ms));

        // A lease that ran out: the next acquisition takes the permit back first.
        auto a = s->tryAcquire(key, 200ms);
        auto b = s->tryAcquire(key, 200ms);
        QVERIFY(a && b);
        QVERIFY(!s->tryAcquire(key, 200ms));
        std::this_thread::sleep_for(300ms);
        QVERIFY(!s->extend(*a, 1000ms));
        auto d = s->tryAcquire(key, 5000ms);
        QVERIFY(d);
        QCOMPARE(s->release(*a), ReleaseResult::NotHeld);  // reclaimed by now
        QCOMPARE(s->release(*d), ReleaseResult::Released);
    }

    // 8 threads × 30 sections on a semaphore of 3: never more than 3 inside, and 3 do get in
    // together.
    void permitsNeverExceedN_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("semaphore") << "semaphore";
        QTest::newRow("expirable-semaphore") << "expirable-semaphore";
    }
    void permitsNeverExceedN() {
        QFETCH(QString, strategy);
        const std::string key = prefix + "n-" + strategy.toStdString();
        std::atomic<int> inside{0}, most{0}, timeouts{0}, released{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                auto s = make(strategy.toStdString(), 3);
                for (int i = 0; i < 30; ++i) {
                    auto lease = s->acquire(key, 10000ms, {.timeout = 20000ms});
                    if (!lease) {
                        ++timeouts;
                        continue;
                    }
                    const int now = inside.fetch_add(1) + 1;
                    int seen = most.load();
                    while (now > seen && !most.compare_exchange_weak(seen, now)) {}
                    std::this_thread::sleep_for(1ms);
                    --inside;
                    if (s->release(*lease) == ReleaseResult::Released) ++released;
                }
            });
        for (auto& t : threads) t.join();
        QCOMPARE(timeouts.load(), 0);
        QCOMPARE(released.load(), 240);
        QVERIFY2(most.load() <= 3, qPrintable(QString::number(most.load())));
        QCOMPARE(most.load(), 3);
        redis::Connection c(server->endpoint());
        QCOMPARE(str(c, {"GET", key}), QString("3"));
    }

    // A waiter is woken by the release's message: it does not poll.
    void releaseWakesAWaiter() {
        auto a = make("semaphore", 1);
        auto b = make("semaphore", 1);
        const std::string key = prefix + "wake";
        auto held = a->tryAcquire(key, 1000ms);
        QVERIFY(held);
        std::thread releaser([&] {
            std::this_thread::sleep_for(300ms);
            a->release(*held);
        });
        const auto t0 = Steady::now();
        auto lease = b->acquire(key, 1000ms, {.timeout = 10000ms});
        releaser.join();
        QVERIFY(lease);
        QVERIFY(msSince(t0) >= 290 && msSince(t0) < 1300);
        QVERIFY2(b->stats().attempts <= 3, qPrintable(QString::number(b->stats().attempts)));
        QCOMPARE(b->release(*lease), ReleaseResult::Released);
    }

    // The hazard: a plain permit held by a process that is SIGKILLed never comes back.
    void plainPermitOfAKilledHolderLeaks() {
        const std::string key = prefix + "leak";
        auto holder =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "semaphore", key, "300", "permits=1"});
        auto line = holder.readLine(10s);
        QVERIFY2(line && line->rfind("acquired ", 0) == 0, holder.drainStderr().c_str());
        holder.kill();
        auto s = make("semaphore", 1);
        QVERIFY(!s->acquire(key, 300ms, {.timeout = 1500ms}));  // long past any lease
        auto info = s->inspect(key);
        QCOMPARE(QString::fromStdString(info.holder), QString("taken:1/1"));
        QCOMPARE(info.primitive->taken().value_or(-1), 1LL);
    }

    // The cure: an expirable permit of a SIGKILLed holder comes back when its lease ends; the
    // waiter is woken at that moment (no release message will ever come).
    void expirablePermitOfAKilledHolderReturns() {
        const std::string key = prefix + "return";
        auto holder =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "expirable-semaphore", key, "800", "permits=1"});
        auto line = holder.readLine(10s);
        QVERIFY2(line && line->rfind("acquired ", 0) == 0, holder.drainStderr().c_str());
        const std::string permit = line->substr(9);
        const auto acquiredAt = Steady::now();
        holder.kill();
        auto s = make("expirable-semaphore", 1);
        QVERIFY(!s->tryAcquire(key, 1000ms));
        auto info = s->inspect(key);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(permit));
        auto lease = s->acquire(key, 1000ms, {.timeout = 5000ms});
        QVERIFY(lease);
        QVERIFY2(msSince(acquiredAt) >= 700 && msSince(acquiredAt) < 3000,
                 qPrintable(QString::number(msSince(acquiredAt))));
        QVERIFY2(s->stats().attempts <= 4, qPrintable(QString::number(s->stats().attempts)));
        QCOMPARE(s->release(*lease), ReleaseResult::Released);
    }
};

QTEST_APPLESS_MAIN(TestSemaphore)
#include "test_semaphore.moc"

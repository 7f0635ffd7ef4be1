// fair: Redisson's RFairLock layout (queue list, timeout zset, a message to the head's own
// channel), grants in arrival order, a single try never jumps the queue, a waiter that gives up
// leaves it, a waiter that dies (SIGKILL, in a lock_holder_child process) drops out after its
// waiter timeout, and the next one is handed the lock by message, not by polling.
#include <QtTest>
#include <mutex>
#include <regex>

#include "exclusion.h"
#include "locks/fair.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Steady = std::chrono::steady_clock;

namespace {

long long msSince(Steady::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = Steady::now() + timeout;
    while (!pred()) {
        if (Steady::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

long long serverNowMs(redis::Connection& c) {
    auto t = c.command({"TIME"});
    return t.at(0).asInteger() * 1000 + t.at(1).asInteger() / 1000;
}

std::vector<std::string> queueOf(redis::Connection& c, const std::string& key) {
    std::vector<std::string> out;
    auto r = c.command({"LRANGE", "redisson_lock_queue:{" + key + "}", 0, -1});
    for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.at(i).str());
    return out;
}

}  // namespace

class TestFair : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::FairLock> make(std::chrono::milliseconds waiterTimeout = 5000ms) {
        auto ctx = test::contextFor(*server);
        ctx.config.waiterTimeout = waiterTimeout;
        return std::make_unique<locks::FairLock>(ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("fair");
    }

    void factoryBuildsIt() {
        auto s = locks::makeLockStrategy("fair", test::contextFor(*server));
        QCOMPARE(QString::fromStdString(std::string(s->id())), QString("fair"));
        QVERIFY(s->supportsExtend());
    }

    // The holder is an RLock hash field; a waiter sits in redisson_lock_queue:{k} with its
    // deadline (server time + waiter timeout) in redisson_lock_timeout:{k}; the release tells the
    // head on redisson_lock__channel:{k}:<its field>.
    void layoutIsRedissons() {
        auto a = make();
        auto b = make(4000ms);
        const std::string key = prefix + "layout";
        auto held = a->tryAcquire(key, 10000ms);
        QVERIFY(held);
        QVERIFY(std::regex_match(held->token, std::regex("^[0-9a-f-]{36}:[0-9]+$")));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"TYPE", key}).str())),
                 QString("hash"));
        QCOMPARE(QString::fromStdString(
                     c.command({"HGET", key, held->token}).optString().value_or("<nil>")),
                 QString("1"));

        std::string waiterField;
        std::optional<locks::Lease> got;
        std::thread waiter([&] {
            waiterField = b->fieldForThisThread();
            got = b->acquire(key, 10000ms, {.timeout = 10000ms});
        });
        QVERIFY(eventually([&] { return queueOf(c, key).size() == 1; }, 5000ms));
        QCOMPARE(QString::fromStdString(queueOf(c, key)[0]), QString::fromStdString(waiterField));
        const long long score =
            c.command({"ZSCORE", "redisson_lock_timeout:{" + key + "}", waiterField}).asInteger();
        const long long left = score - serverNowMs(c);
        QVERIFY2(left > 3000 && left <= 4000, qPrintable(QString::number(left)));

        // The release is a message to the head's own channel.
        const std::string channel = "redisson_lock__channel:{" + key + "}:" + waiterField;
        QCOMPARE(QString::fromStdString(locks::FairLock::waiterChannel(key, waiterField)),
                 QString::fromStdString(channel));
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", channel});
        QCOMPARE(QString::fromStdString(std::string(sub.receive().at(0).str())),
                 QString("subscribe"));
        QCOMPARE(a->release(*held), ReleaseResult::Released);
        auto message = sub.receiveFor(2000ms);
        QVERIFY(message);
        QCOMPARE(QString::fromStdString(std::string(message->at(2).str())), QString("0"));
        waiter.join();
        QVERIFY(got);
        QCOMPARE(QString::fromStdString(got->token), QString::fromStdString(waiterField));
        // Granted: out of the queue and the timeout set (both keys gone when empty).
        QCOMPARE(c.command({"EXISTS", "redisson_lock_queue:{" + key + "}",
                            "redisson_lock_timeout:{" + key + "}"})
                     .integer(),
                 0LL);
        QCOMPARE(b->release(*got), ReleaseResult::Released);
    }

    void reentrantAndOwned() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "nested";
        auto outer = a->tryAcquire(key, 10000ms);
        QVERIFY(outer);
        auto inner = a->tryAcquire(key, 10000ms);
        QVERIFY(inner);
        QCOMPARE(inner->holdCount, 2);
        QVERIFY(!b->tryAcquire(key, 10000ms));
        locks::Lease foreign = *outer;
        foreign.token = b->fieldForThisThread();
        QCOMPARE(b->release(foreign), ReleaseResult::NotOwner);
        QCOMPARE(a->release(*inner), ReleaseResult::StillHeld);
        QVERIFY(a->extend(*outer, 20000ms));
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"PTTL", key}).integer() > 19000);
        QCOMPARE(a->release(*outer), ReleaseResult::Released);
        QCOMPARE(a->release(*outer), ReleaseResult::NotHeld);
        QVERIFY(!a->extend(*outer, 1000ms));
    }

    // K workers × M sections of an unprotected GET + SET: nothing lost, nothing skipped.
    void mutualExclusion() {
        auto run = test::runMutualExclusion(
            "fair", [&] { return test::contextFor(*server); }, server->endpoint(), prefix + "excl",
            prefix + "excl-resource", 8, 40, 10s);
        QVERIFY2(run.firstError.empty(), run.firstError.c_str());
        QCOMPARE(run.acquireTimeouts, 0);
        QCOMPARE(run.releaseFailures, 0);
        QCOMPARE(run.actual, run.expected);
    }

    // Six waiters queue one after another behind a holder; the grants come in that order.
    void grantsInArrivalOrder() {
        auto holder = make();
        const std::string key = prefix + "fifo";
        auto held = holder->tryAcquire(key, 30000ms);
        QVERIFY(held);
        redis::Connection c(server->endpoint());
        constexpr int kWaiters = 6;
        std::vector<std::unique_ptr<locks::FairLock>> locks;
        for (int i = 0; i < kWaiters; ++i) locks.push_back(make());
        std::mutex m;
        std::vector<int> order;
        std::vector<std::thread> threads;
        for (int i = 0; i < kWaiters; ++i) {
            threads.emplace_back([&, i] {
                auto lease = locks[size_t(i)]->acquire(key, 30000ms, {.timeout = 20000ms});
                if (!lease) return;
                {
                    std::lock_guard g(m);
                    order.push_back(i);
                }
                std::this_thread::sleep_for(5ms);
                locks[size_t(i)]->release(*lease);
            });
            // The next one starts only once this one is visibly queued.
            QVERIFY(eventually([&] { return queueOf(c, key).size() == size_t(i + 1); }, 5000ms));
        }
        QCOMPARE(holder->release(*held), ReleaseResult::Released);
        for (auto& t : threads) t.join();
        QCOMPARE(order.size(), size_t(kWaiters));
        for (int i = 0; i < kWaiters; ++i) QCOMPARE(order[size_t(i)], i);
    }

    // A waiter killed in the queue blocks it only until its deadline; then the waiter behind it
    // takes the lock (no later than a few ms after that deadline, by the retry the script asked
    // for) and a single try from outside never jumped ahead of the dead waiter.
    void deadWaiterLeavesAfterItsTimeout() {
        const std::string key = prefix + "dead";
        auto holder = make();
        auto held = holder->tryAcquire(key, 30000ms);
        QVERIFY(held);
        redis::Connection c(server->endpoint());
        auto child =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "fair", key, "30000", "waiter-timeout-ms=900"});
        QVERIFY(eventually([&] { return queueOf(c, key).size() == 1; }, 5000ms));
        const std::string deadField = queueOf(c, key)[0];

        auto live = make(5000ms);
        std::optional<locks::Lease> got;
        long long gotAtServerMs = 0;
        std::thread waiter([&] {
            got = live->acquire(key, 30000ms, {.timeout = 10000ms});
            redis::Connection t(server->endpoint());
            gotAtServerMs = serverNowMs(t);
        });
        QVERIFY(eventually([&] { return queueOf(c, key).size() == 2; }, 5000ms));
        child.kill();
        const long long deadline =
            c.command({"ZSCORE", "redisson_lock_timeout:{" + key + "}", deadField}).asInteger();
        QCOMPARE(holder->release(*held), ReleaseResult::Released);
        // The dead head still blocks: a single try from outside does not jump the queue.
        auto outsider = make();
        if (serverNowMs(c) < deadline - 50) QVERIFY(!outsider->tryAcquire(key, 1000ms));

        waiter.join();
        QVERIFY(got);
        QVERIFY2(gotAtServerMs >= deadline,
                 qPrintable(QString("granted at %1, dead waiter's deadline %2")
                                .arg(gotAtServerMs)
                                .arg(deadline)));
        QVERIFY2(gotAtServerMs - deadline < 1000,
                 qPrintable(QString::number(gotAtServerMs - deadline)));
        auto q = queueOf(c, key);
        QVERIFY(std::find(q.begin(), q.end(), deadField) == q.end());
        QCOMPARE(live->release(*got), ReleaseResult::Released);
    }

    // A waiter that gives up (timeout or cancel) takes itself out of the queue.
    void waiterThatGivesUpLeaves() {
        auto a = make();
        const std::string key = prefix + "giveup";
        auto held = a->tryAcquire(key, 30000ms);
        QVERIFY(held);
        auto b = make();
        auto t0 = Steady::now();
        QVERIFY(!b->acquire(key, 1000ms, {.timeout = 300ms}));
        QVERIFY(msSince(t0) >= 300 && msSince(t0) < 2000);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"EXISTS", "redisson_lock_queue:{" + key + "}",
                            "redisson_lock_timeout:{" + key + "}"})
                     .integer(),
                 0LL);
        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancel = true;
        });
        t0 = Steady::now();
        QVERIFY(!b->acquire(key, 1000ms, {.timeout = 10000ms, .cancel = &cancel}));
        canceller.join();
        QVERIFY(msSince(t0) < 1000);
        QCOMPARE(c.command({"EXISTS", "redisson_lock_queue:{" + key + "}"}).integer(), 0LL);
        QCOMPARE(a->release(*held), ReleaseResult::Released);
    }

    // Waiting on a 30 s lease with a 30 s waiter timeout (a renewal every 10 s): the waiter gets
    // the lock right after the release, so it was woken by the message, not by a timer.
    void handOffIsAMessage() {
        auto a = make();
        auto b = make(30000ms);
        const std::string key = prefix + "wake";
        auto held = a->tryAcquire(key, 30000ms);
        QVERIFY(held);
        std::atomic<long long> releasedAtUs{0};
        std::thread releaser([&] {
            std::this_thread::sleep_for(300ms);
            releasedAtUs = std::chrono::duration_cast<std::chrono::microseconds>(
                               Steady::now().time_since_epoch())
                               .count();
            a->release(*held);
        });
        auto lease = b->acquire(key, 30000ms, {.timeout = 10000ms});
        const auto acquiredAtUs =
            std::chrono::duration_cast<std::chrono::microseconds>(Steady::now().time_since_epoch())
                .count();
        releaser.join();
        QVERIFY(lease);
        const auto latencyMs = (acquiredAtUs - releasedAtUs.load()) / 1000;
        QVERIFY2(latencyMs < 1000, qPrintable(QString::number(latencyMs)));
        QVERIFY2(b->stats().attempts <= 3, qPrintable(QString::number(b->stats().attempts)));
        QCOMPARE(b->release(*lease), ReleaseResult::Released);
    }

    // A holder that dies publishes nothing: the head retries when the lease runs out.
    void headRetriesWhenLeaseRunsOut() {
        auto a = make();
        auto b = make(30000ms);
        const std::string key = prefix + "runout";
        QVERIFY(a->tryAcquire(key, 500ms));
        auto t0 = Steady::now();
        auto lease = b->acquire(key, 5000ms, {.timeout = 5000ms});
        QVERIFY(lease);
        QVERIFY2(msSince(t0) >= 400 && msSince(t0) < 3000,
                 qPrintable(QString::number(msSince(t0))));
        QVERIFY2(b->stats().attempts <= 3, qPrintable(QString::number(b->stats().attempts)));
    }

    // Holders that die one after another: the waiter second in line becomes the head when the
    // head is granted the lock by its lease running out, not by a release. It must be told, so it
    // retries when that holder's lease runs out too — not at its next renewal (waiterTimeout / 3,
    // 10 s here), which is how the pause-holder lesson once saw nobody take over a paused holder.
    void newHeadRetriesWhenItsHoldersLeaseRunsOut() {
        auto dead = make();
        auto first = make(30000ms);
        auto second = make(30000ms);
        const std::string key = prefix + "runout2";
        redis::Connection c(server->endpoint());
        QVERIFY(dead->tryAcquire(key, 400ms));
        std::atomic<long long> firstAtMs{-1};
        const auto t0 = Steady::now();
        std::thread head([&] {
            // Takes the lock when the dead holder's lease ends, then dies holding it (400 ms).
            if (first->acquire(key, 400ms, {.timeout = 5000ms})) firstAtMs = msSince(t0);
        });
        QVERIFY(eventually([&] { return queueOf(c, key).size() == 1; }, 5000ms));
        auto lease = second->acquire(key, 5000ms, {.timeout = 8000ms});
        const long long secondAtMs = msSince(t0);
        head.join();
        QVERIFY(lease);
        QVERIFY(firstAtMs >= 0);
        QVERIFY2(secondAtMs - firstAtMs >= 300 && secondAtMs < 2500,
                 qPrintable(QString("first %1 ms, second %2 ms").arg(firstAtMs).arg(secondAtMs)));
        QCOMPARE(second->release(*lease), ReleaseResult::Released);
    }

    // inspect() shows the queue in order, each waiter with its deadline.
    void inspectShowsTheQueue() {
        auto a = make();
        const std::string key = prefix + "inspect";
        auto held = a->tryAcquire(key, 30000ms);
        QVERIFY(held);
        redis::Connection c(server->endpoint());
        std::vector<std::unique_ptr<locks::FairLock>> waiters;
        std::vector<std::thread> threads;
        std::vector<std::string> fields(3);
        for (int i = 0; i < 3; ++i) {
            waiters.push_back(make(6000ms));
            threads.emplace_back([&, i] {
                fields[size_t(i)] = waiters[size_t(i)]->fieldForThisThread();
                waiters[size_t(i)]->acquire(key, 1000ms, {.timeout = 1500ms});
            });
            QVERIFY(eventually([&] { return queueOf(c, key).size() == size_t(i + 1); }, 5000ms));
        }
        auto info = a->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(held->token));
        QVERIFY(info.primitive);
        QCOMPARE(info.primitive->kind, locks::PrimitiveKind::FairLock);
        QCOMPARE(info.primitive->queue.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(QString::fromStdString(info.primitive->queue[i].id),
                     QString::fromStdString(fields[i]));
            QVERIFY(info.primitive->queue[i].leftMs > 3000 &&
                    info.primitive->queue[i].leftMs <= 6000);
        }
        const auto lines = locks::describePrimitiveState(*info.primitive);
        QVERIFY(!lines.empty());
        QCOMPARE(QString::fromStdString(lines[0]), QString("queue (3 waiting, in order):"));
        QVERIFY(QString::fromStdString(lines[1]).startsWith("  1. " +
                                                            QString::fromStdString(fields[0])));
        for (auto& t : threads) t.join();
        QCOMPARE(a->release(*held), ReleaseResult::Released);
    }
};

QTEST_APPLESS_MAIN(TestFair)
#include "test_fair.moc"

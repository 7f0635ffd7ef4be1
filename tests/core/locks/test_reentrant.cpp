// reentrant: Redisson's exact Redis layout, nested holds, per-thread ownership, the watchdog (alive
// holder keeps the lease; a destroyed instance or a SIGKILLed holder process lets it run out), and
// waiters woken by the unlock message rather than by polling. The killed holder runs in a
// lock_holder_child process (spawn: fork+exec), since this process has watchdog threads.
#include <unistd.h>

#include <QtTest>
#include <regex>

#include "locks/reentrant.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Steady = std::chrono::steady_clock;

namespace {

long long msSince(Steady::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
}

std::string hget(redis::Connection& c, const std::string& key, const std::string& field) {
    return c.command({"HGET", key, field}).optString().value_or("<nil>");
}

// Polls `pred` every 10 ms until it holds or `timeout` passes.
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = Steady::now() + timeout;
    while (!pred()) {
        if (Steady::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

}  // namespace

class TestReentrant : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::ReentrantLock> make(std::chrono::milliseconds watchdog = 30000ms) {
        auto ctx = test::contextFor(*server);
        ctx.config.watchdogTimeout = watchdog;
        return std::make_unique<locks::ReentrantLock>(ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("reentrant");
    }

    void factoryBuildsIt() {
        auto s = locks::makeLockStrategy("reentrant", test::contextFor(*server));
        QCOMPARE(QString::fromStdString(std::string(s->id())), QString("reentrant"));
    }

    void layoutIsRedissons() {
        auto ctx = test::contextFor(*server);
        locks::ReentrantLock a(ctx);
        const std::string key = prefix + "layout";
        auto lease = a.tryAcquire(key, 5000ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"TYPE", key}).str())),
                 QString("hash"));
        auto all = c.command({"HGETALL", key});
        QCOMPARE(all.size(), size_t(2));  // exactly one field
        const std::string field(all.at(0).str());
        QCOMPARE(QString::fromStdString(field), QString::fromStdString(lease->token));
        QCOMPARE(QString::fromStdString(std::string(all.at(1).str())), QString("1"));
        QVERIFY2(std::regex_match(field, std::regex("^[0-9a-f-]{36}:[0-9]+$")), field.c_str());
        // A v4 UUID whose first group is the owner tag, and the OS thread id.
        QVERIFY(
            std::regex_match(field.substr(0, 36),
                             std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                        "[0-9a-f]{12}$")));
        QCOMPARE(QString::fromStdString(field.substr(0, 8)), QString::fromStdString(ctx.owner.tag));
        QCOMPARE(QString::fromStdString(field.substr(37)), QString::number(::gettid()));
        const auto pttl = c.command({"PTTL", key}).integer();
        QVERIFY(pttl > 4000 && pttl <= 5000);

        // The unlock message: "0" on redisson_lock__channel:{<key>}.
        const std::string channel = "redisson_lock__channel:{" + key + "}";
        QCOMPARE(QString::fromStdString(locks::ReentrantLock::unlockChannel(key)),
                 QString::fromStdString(channel));
        QCOMPARE(QString::fromStdString(locks::ReentrantLock::unlockChannel("{order}:7")),
                 QString("redisson_lock__channel:{order}:7"));  // Redisson keeps an existing tag
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", channel});
        QCOMPARE(QString::fromStdString(std::string(sub.receive().at(0).str())),
                 QString("subscribe"));
        QCOMPARE(a.release(*lease), ReleaseResult::Released);
        auto message = sub.receiveFor(2000ms);
        QVERIFY(message);
        QVERIFY2(message->isArray() && message->size() == 3, message->describe().c_str());
        QCOMPARE(QString::fromStdString(std::string(message->at(0).str())), QString("message"));
        QCOMPARE(QString::fromStdString(std::string(message->at(1).str())),
                 QString::fromStdString(channel));
        QCOMPARE(QString::fromStdString(std::string(message->at(2).str())), QString("0"));
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
    }

    void nestedHoldsCountUpAndDown() {
        auto a = make();
        const std::string key = prefix + "nested";
        auto outer = a->tryAcquire(key, 10000ms);
        QVERIFY(outer);
        QCOMPARE(outer->holdCount, 1);
        auto inner = a->tryAcquire(key, 10000ms);
        QVERIFY(inner);
        QCOMPARE(inner->holdCount, 2);
        QCOMPARE(QString::fromStdString(inner->token), QString::fromStdString(outer->token));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(hget(c, key, outer->token)), QString("2"));

        c.command({"PEXPIRE", key, 3000});
        QCOMPARE(a->release(*inner), ReleaseResult::StillHeld);
        QCOMPARE(QString::fromStdString(hget(c, key, outer->token)), QString("1"));
        QVERIFY(c.command({"PTTL", key}).integer() >
                9000);  // the lease was reset, as Redisson does
        auto info = a->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(info.holdCount, 1);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(outer->token));

        QCOMPARE(a->release(*outer), ReleaseResult::Released);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(a->release(*outer), ReleaseResult::NotHeld);
        QVERIFY(!a->inspect(key).held);
    }

    void otherThreadsAndInstancesCannotAcquire() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "exclusive";
        auto held = a->tryAcquire(key, 10000ms);
        QVERIFY(held);
        // The same instance on another thread is another holder (field per thread).
        std::optional<locks::Lease> fromOtherThread;
        std::thread([&] { fromOtherThread = a->tryAcquire(key, 10000ms); }).join();
        QVERIFY(!fromOtherThread);
        QVERIFY(!b->tryAcquire(key, 10000ms));
        // A release by a non-holder deletes nothing.
        locks::Lease foreign = *held;
        foreign.token = b->fieldForThisThread();
        QCOMPARE(b->release(foreign), ReleaseResult::NotOwner);
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(hget(c, key, held->token)), QString("1"));
        QCOMPARE(c.command({"HLEN", key}).integer(), 1LL);
        QCOMPARE(a->release(*held), ReleaseResult::Released);
        QVERIFY(b->tryAcquire(key, 10000ms));
    }

    void extendOnlyWhileOwned() {
        auto a = make();
        const std::string key = prefix + "extend";
        auto lease = a->tryAcquire(key, 500ms);
        QVERIFY(lease);
        QVERIFY(a->extend(*lease, 10000ms));
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"PTTL", key}).integer() > 9000);
        c.command({"DEL", key});
        QVERIFY(!a->extend(*lease, 10000ms));
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
    }

    // ttl 0 = watchdog mode: the 600 ms lease is renewed every 200 ms while the holder lives.
    void watchdogKeepsLeaseAlive() {
        auto a = make(600ms);
        const std::string key = prefix + "watchdog";
        auto lease = a->tryAcquire(key, 0ms);
        QVERIFY(lease);
        QCOMPARE(lease->ttl, 600ms);
        redis::Connection c(server->endpoint());
        std::this_thread::sleep_for(2000ms);  // more than 3 leases
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);
        const auto pttl = c.command({"PTTL", key}).integer();
        QVERIFY2(pttl > 0 && pttl <= 600, qPrintable(QString::number(pttl)));
        QVERIFY(!make()->tryAcquire(key, 1000ms));
        QCOMPARE(a->watchdogErrors(), 0u);
        QCOMPARE(a->release(*lease), ReleaseResult::Released);
        QCOMPARE(a->lostLeases(), 0u);

        // A fixed lease is never renewed: it runs out although the instance lives.
        const std::string fixed = prefix + "fixed";
        QVERIFY(a->tryAcquire(fixed, 300ms));
        QVERIFY(eventually([&] { return c.command({"EXISTS", fixed}).integer() == 0; }, 2000ms));
    }

    // The watchdog stops with the instance: the lease then runs out, as when the JVM dies.
    void watchdogStopsWhenInstanceDestroyed() {
        auto a = make(600ms);
        const std::string key = prefix + "destroyed";
        QVERIFY(a->tryAcquire(key, 0ms));
        std::this_thread::sleep_for(700ms);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);  // renewed past its first lease
        a.reset();
        auto t0 = Steady::now();
        QVERIFY(eventually([&] { return c.command({"EXISTS", key}).integer() == 0; }, 3000ms));
        QVERIFY2(msSince(t0) < 1500, qPrintable(QString::number(msSince(t0))));
    }

    // A force-released watched lease is noticed by the watchdog, which stops renewing it.
    void watchdogNoticesLostLease() {
        auto a = make(600ms);
        const std::string key = prefix + "stolen";
        auto lease = a->tryAcquire(key, 0ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        c.command({"DEL", key});
        QVERIFY(eventually([&] { return a->lostLeases() == 1; }, 2000ms));
        QCOMPARE(a->release(*lease), ReleaseResult::NotHeld);
    }

    // A real holder process in watchdog mode keeps its lock alive; SIGKILL it and the lease runs
    // out within about one watchdogTimeout.
    void leaseExpiresWhenHolderProcessKilled() {
        const std::string key = prefix + "killed";
        auto holder =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "reentrant", key, "0", "watchdog-ms=600"});
        auto line = holder.readLine(10s);
        QVERIFY2(line && line->rfind("acquired ", 0) == 0, holder.drainStderr().c_str());
        const std::string field = line->substr(9);
        QVERIFY(std::regex_match(field, std::regex("^[0-9a-f-]{36}:[0-9]+$")));
        redis::Connection c(server->endpoint());
        std::this_thread::sleep_for(1500ms);
        QCOMPARE(QString::fromStdString(hget(c, key, field)), QString("1"));  // alive: renewed

        holder.kill();
        auto t0 = Steady::now();
        QVERIFY(eventually([&] { return c.command({"EXISTS", key}).integer() == 0; }, 3000ms));
        QVERIFY2(msSince(t0) < 1500, qPrintable(QString::number(msSince(t0))));
    }

    // A waiter blocked on a 30 s lease acquires right after the release, woken by the unlock
    // message: a polling waiter would need many attempts in the 300 ms it waited.
    void waitersWakeOnUnlockMessage() {
        auto a = make();
        auto b = make();
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
        auto t0 = Steady::now();
        auto lease = b->acquire(key, 30000ms, {.timeout = 10000ms});
        const auto acquiredAtUs =
            std::chrono::duration_cast<std::chrono::microseconds>(Steady::now().time_since_epoch())
                .count();
        releaser.join();
        QVERIFY(lease);
        QVERIFY(msSince(t0) >= 290);  // it really waited for the release
        const auto latencyMs = (acquiredAtUs - releasedAtUs.load()) / 1000;
        QVERIFY2(latencyMs < 1000, qPrintable(QString::number(latencyMs)));
        QVERIFY2(b->stats().attempts <= 3, qPrintable(QString::number(b->stats().attempts)));
        QCOMPARE(b->release(*lease), ReleaseResult::Released);

        // The subscriber connection is reusable: a second wait works the same way.
        held = a->tryAcquire(key, 30000ms);
        QVERIFY(held);
        std::thread releaser2([&] {
            std::this_thread::sleep_for(200ms);
            a->release(*held);
        });
        const auto before = b->stats().attempts;
        lease = b->acquire(key, 30000ms, {.timeout = 10000ms});
        releaser2.join();
        QVERIFY(lease);
        QVERIFY(b->stats().attempts - before <= 3);
        QCOMPARE(b->release(*lease), ReleaseResult::Released);
    }

    // A holder that never releases publishes nothing: the waiter retries when the lease runs out.
    void waiterRetriesWhenLeaseRunsOut() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "runout";
        QVERIFY(a->tryAcquire(key, 500ms));
        auto t0 = Steady::now();
        auto lease = b->acquire(key, 5000ms, {.timeout = 5000ms});
        QVERIFY(lease);
        QVERIFY2(msSince(t0) >= 400 && msSince(t0) < 3000,
                 qPrintable(QString::number(msSince(t0))));
        QVERIFY2(b->stats().attempts <= 3, qPrintable(QString::number(b->stats().attempts)));
        QCOMPARE(b->release(*lease), ReleaseResult::Released);
    }

    void waitingHonoursTimeoutAndCancel() {
        auto a = make();
        const std::string key = prefix + "busy";
        QVERIFY(a->tryAcquire(key, 30000ms));
        auto b = make();
        auto t0 = Steady::now();
        QVERIFY(!b->acquire(key, 1000ms, {.timeout = 300ms}));
        QVERIFY(msSince(t0) >= 300 && msSince(t0) < 2000);
        QVERIFY(b->stats().attempts <= 2);  // slept on the channel, did not poll

        std::atomic<bool> cancel{false};
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancel = true;
        });
        auto c = make();
        t0 = Steady::now();
        QVERIFY(!c->acquire(key, 1000ms, {.timeout = 10000ms, .cancel = &cancel}));
        canceller.join();
        QVERIFY2(msSince(t0) >= 90 && msSince(t0) < 1000, qPrintable(QString::number(msSince(t0))));
        QCOMPARE(c->stats().attempts, 1u);
    }
};

QTEST_APPLESS_MAIN(TestReentrant)
#include "test_reentrant.moc"

// heartbeat: hash layout without TTL, takeover only after N observed-still beat periods (Lua CAS),
// a holder that learns it lost the lock, the beater thread, and real holder processes that are
// killed (takeover after ~N missed beats) or paused (false takeover; the holder learns it on
// SIGCONT). Holders that must die or pause run in lock_holder_child processes (spawn: fork+exec),
// because this test process has beater threads running when it starts them.
#include <QtTest>

#include "locks/heartbeat.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Steady = std::chrono::steady_clock;

namespace {

long long msSince(Steady::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
}

std::string field(redis::Connection& c, const std::string& key, const char* name) {
    return c.command({"HGET", key, name}).optString().value_or("<nil>");
}

}  // namespace

class TestHeartbeat : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::HeartbeatLock> make(bool autoBeat, const Clock* clock = nullptr) {
        auto ctx = test::contextFor(*server);
        ctx.config.missedBeats = 3;
        ctx.config.autoBeat = autoBeat;
        if (clock) ctx.clock = clock;
        return std::make_unique<locks::HeartbeatLock>(ctx);
    }

    // A holder process with autoBeat: ttl 600 ms, so it beats every 200 ms.
    test::ChildProcess startHolder(const std::string& key, std::string* token) {
        auto child =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "heartbeat", key, "600", "missed-beats=3", "auto-beat=1"});
        auto line = child.readLine(10s);
        if (!line || line->rfind("acquired ", 0) != 0)
            qFatal("holder did not start: %s", child.drainStderr().c_str());
        *token = line->substr(9);
        return child;
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("heartbeat");
    }

    void factoryBuildsIt() {
        auto s = locks::makeLockStrategy("heartbeat", test::contextFor(*server));
        QCOMPARE(QString::fromStdString(std::string(s->id())), QString("heartbeat"));
    }

    void acquireWritesOwnerBeatPeriodWithoutTtl() {
        auto a = make(false);
        const std::string key = prefix + "layout";
        auto lease = a->tryAcquire(key, 3000ms);
        QVERIFY(lease);
        QVERIFY(locks::parseToken(lease->token));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"TYPE", key}).str())),
                 QString("hash"));
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(lease->token));
        QCOMPARE(QString::fromStdString(field(c, key, "beat")), QString("0"));
        QCOMPARE(QString::fromStdString(field(c, key, "period_ms")), QString("1000"));
        QCOMPARE(c.command({"PTTL", key}).integer(), -1LL);  // liveness is the beat, not a TTL

        auto b = make(false);
        QVERIFY(!b->tryAcquire(key, 3000ms));
        auto info = b->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(lease->token));
        QCOMPARE(info.ttl, -1ms);
        QCOMPARE(QString::fromStdString(info.detail), QString("beat 0, period 1000 ms"));

        QVERIFY(a->extend(*lease, 3000ms));
        QCOMPARE(QString::fromStdString(b->inspect(key).detail), QString("beat 1, period 1000 ms"));
        QCOMPARE(QString::fromStdString(field(c, key, "beat")), QString("1"));
    }

    void releaseComparesOwner() {
        auto a = make(false);
        const std::string key = prefix + "release";
        auto lease = a->tryAcquire(key, 3000ms);
        QVERIFY(lease);
        locks::Lease forged = *lease;
        forged.token = locks::Owner::create().newToken("heartbeat");
        QCOMPARE(a->release(forged), ReleaseResult::NotOwner);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);
        QCOMPARE(a->release(*lease), ReleaseResult::Released);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(a->release(*lease), ReleaseResult::NotHeld);
        QVERIFY(!a->extend(*lease, 3000ms));  // nothing to beat
    }

    // Deterministic, with an injected clock for the waiter: no takeover while the beat moves, a
    // takeover exactly when it stood still for 3 periods, and the CAS refuses a holder that beat
    // at the last moment. The old holder learns it lost.
    void takeoverOnlyAfterMissedBeats() {
        ManualClock clock;
        auto a = make(false);
        auto b = make(false, &clock);
        const std::string key = prefix + "takeover";
        auto held = a->tryAcquire(key, 3000ms);  // period 1000 ms: takeover after 3000 ms still
        QVERIFY(held);

        QVERIFY(!b->tryAcquire(key, 3000ms));  // t=0: sees (a, 0)
        clock.advance(2999ms);
        QVERIFY(!b->tryAcquire(key, 3000ms));  // still: 2999 ms < 3 periods
        QVERIFY(a->extend(*held, 3000ms));     // a beats at the last moment (beat 1)
        clock.advance(1ms);
        QVERIFY(!b->tryAcquire(key, 3000ms));  // b offers (a, 0): the CAS sees beat 1, refuses
        clock.advance(2999ms);
        QVERIFY(!b->tryAcquire(key, 3000ms));  // (a, 1) seen for 2999 ms only
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(held->token));
        clock.advance(1ms);
        auto taken = b->tryAcquire(key, 3000ms);  // (a, 1) stood still for 3 periods
        QVERIFY(taken);
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(taken->token));
        QCOMPARE(QString::fromStdString(field(c, key, "beat")), QString("0"));
        QCOMPARE(b->stats().attempts, 5u);
        QCOMPARE(b->stats().acquisitions, 1u);

        // Unlike seed 001's holder, a learns at its next beat, and cannot delete b's lock.
        QVERIFY(!a->isLost(*held));
        QVERIFY(!a->extend(*held, 3000ms));
        QVERIFY(a->isLost(*held));
        QCOMPARE(a->lostLeases(), 1u);
        QCOMPARE(QString::fromStdString(field(c, key, "beat")), QString("0"));  // not beaten by a
        QCOMPARE(a->release(*held), ReleaseResult::NotOwner);
        QCOMPARE(b->release(*taken), ReleaseResult::Released);
    }

    // Seed 001's GETSET lets every waiter "reset" the lock; here exactly one racing waiter wins.
    void racingWaitersOnlyOneTakesOver() {
        ManualClock clock;
        auto a = make(false);
        auto b = make(false, &clock);
        auto c = make(false, &clock);
        const std::string key = prefix + "race";
        QVERIFY(a->tryAcquire(key, 300ms));
        QVERIFY(!b->tryAcquire(key, 300ms));
        QVERIFY(!c->tryAcquire(key, 300ms));
        clock.advance(300ms);  // both saw (a, 0) stand still for 3 periods
        auto winner = b->tryAcquire(key, 300ms);
        QVERIFY(winner);
        QVERIFY(!c->tryAcquire(key, 300ms));  // c offered (a, 0); the owner is b now
        redis::Connection conn(server->endpoint());
        QCOMPARE(QString::fromStdString(field(conn, key, "owner")),
                 QString::fromStdString(winner->token));
        QCOMPARE(b->release(*winner), ReleaseResult::Released);
    }

    void beaterKeepsLockAliveUntilReleased() {
        auto a = make(true);
        const std::string key = prefix + "autobeat";
        auto held = a->tryAcquire(key, 300ms);  // beats every 100 ms
        QVERIFY(held);
        // A waiter trying for > 3 takeover windows (3 × 300 ms) never gets it while a beats.
        auto b = make(false);
        auto t0 = Steady::now();
        QVERIFY(!b->acquire(key, 300ms, {.timeout = 1000ms}));
        QVERIFY(msSince(t0) >= 1000);
        QVERIFY(b->stats().attempts > 5);  // it kept looking
        redis::Connection c(server->endpoint());
        const auto beats = std::stoll(field(c, key, "beat"));
        QVERIFY2(beats >= 3, qPrintable(QString::number(beats)));  // ~10 expected in 1 s
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(held->token));
        QCOMPARE(a->lostLeases(), 0u);
        QCOMPARE(a->beatErrors(), 0u);
        // After release the beater stops: the key stays gone and nothing is reported lost.
        QCOMPARE(a->release(*held), ReleaseResult::Released);
        std::this_thread::sleep_for(300ms);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(a->lostLeases(), 0u);
    }

    // A holder whose instance is destroyed without release (its beater stops with it) is taken
    // over after 3 periods of silence, not before.
    void destroyedHolderIsTakenOver() {
        const std::string key = prefix + "destroyed";
        auto a = make(true);
        auto held = a->tryAcquire(key, 300ms);
        QVERIFY(held);
        std::this_thread::sleep_for(250ms);  // a few beats
        a.reset();
        auto b = make(false);
        auto t0 = Steady::now();
        auto taken = b->acquire(key, 300ms, {.timeout = 5000ms});
        const auto waited = msSince(t0);
        QVERIFY(taken);
        QVERIFY2(waited >= 290 && waited < 3000, qPrintable(QString::number(waited)));
        QCOMPARE(b->release(*taken), ReleaseResult::Released);
    }

    // A real holder process beats; SIGKILL it and a waiter takes over after about 3 missed beats.
    void killedHolderProcessIsTakenOver() {
        const std::string key = prefix + "killed";
        std::string holderToken;
        auto holder = startHolder(key, &holderToken);
        auto b = make(false);
        // Beats continue: 2 s is more than 3 takeover windows of 600 ms.
        QVERIFY(!b->acquire(key, 600ms, {.timeout = 2000ms}));
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(holderToken));
        QVERIFY(std::stoll(field(c, key, "beat")) >= 3);  // ~10 expected

        holder.kill();
        auto t0 = Steady::now();
        auto taken = b->acquire(key, 600ms, {.timeout = 5000ms});
        const auto waited = msSince(t0);
        QVERIFY(taken);
        // b last saw a beat at most ~one period (200 ms) + one backoff before the kill, so the
        // takeover cannot come earlier than ~2 periods after it, and comes about 3 after.
        QVERIFY2(waited >= 300 && waited < 3000, qPrintable(QString::number(waited)));
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(taken->token));
        QCOMPARE(b->release(*taken), ReleaseResult::Released);
    }

    // The hazard: a holder that is only paused is taken over too. After SIGCONT its next beat
    // fails, so it learns it lost the lock — and it does not touch the new holder's beat.
    void pausedHolderIsFalselyTakenOverAndLearnsIt() {
        const std::string key = prefix + "paused";
        std::string holderToken;
        auto holder = startHolder(key, &holderToken);
        redis::Connection c(server->endpoint());
        std::this_thread::sleep_for(450ms);
        QVERIFY(std::stoll(field(c, key, "beat")) >= 1);  // it beats while running

        holder.pause();
        auto b = make(false);
        auto taken = b->acquire(key, 600ms, {.timeout = 5000ms});
        QVERIFY(taken);  // the holder process is alive — this takeover is false
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(taken->token));

        holder.resume();
        auto line = holder.readLine(5s);
        QVERIFY2(line && *line == "lost",
                 qPrintable(QString::fromStdString(line.value_or("<none>"))));
        QCOMPARE(QString::fromStdString(field(c, key, "owner")),
                 QString::fromStdString(taken->token));
        QCOMPARE(QString::fromStdString(field(c, key, "beat")), QString("0"));  // b never beat
        QCOMPARE(b->release(*taken), ReleaseResult::Released);
    }

    void foreignKeysAreNeverTakenOver() {
        ManualClock clock;
        auto b = make(false, &clock);
        redis::Connection c(server->endpoint());
        // Seed 001's own format (a bare counter) is not a heartbeat hash: a clear error.
        const std::string seedKey = prefix + "seed";
        c.command({"SET", seedKey, 7});
        try {
            b->tryAcquire(seedKey, 300ms);
            QFAIL("a string key was treated as a heartbeat lock");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::WrongType);
        }
        // A hash without owner (e.g. a Redisson lock) never moves, yet is never taken over.
        const std::string hashKey = prefix + "redisson";
        c.command({"HSET", hashKey, "0a1b2c3d-0000-4000-8000-000000000000:1", 1});
        QVERIFY(!b->tryAcquire(hashKey, 300ms));
        clock.advance(10s);
        QVERIFY(!b->tryAcquire(hashKey, 300ms));
        QVERIFY(!b->tryAcquire(hashKey, 300ms));
        QCOMPARE(c.command({"HLEN", hashKey}).integer(), 1LL);
    }
};

QTEST_APPLESS_MAIN(TestHeartbeat)
#include "test_heartbeat.moc"

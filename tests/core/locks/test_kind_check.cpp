// Issue 14: the synchronisers' write paths refuse a key of another kind — an application's
// integer, a latch's count, an application hash, an exclusive (fair) lock's hash, a look-alike
// of an expirable semaphore — with a message that names what the key is, and change nothing
// (locks/kind_check.h). Real redis-servers; every case reads the key back afterwards.
#include <QtTest>
#include <cstdio>

#include "locks/expirable_semaphore.h"
#include "locks/fair.h"
#include "locks/holder_ops.h"
#include "locks/kind_check.h"
#include "locks/latch.h"
#include "locks/lease_keeper.h"
#include "locks/read_write.h"
#include "locks/semaphore.h"
#include "redis/error.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::HolderLayout;
using locks::HolderOp;
using HolderOutcome = locks::HolderOpResult::Outcome;

namespace {

QString str(redis::Connection& c, std::initializer_list<redis::Arg> cmd) {
    return QString::fromStdString(c.command(cmd).optString().value_or("<nil>"));
}

// Runs f, which must throw redis::Error(WrongType); returns its message ("" if it did not throw).
template <typename F>
QString refusal(F&& f) {
    try {
        f();
    } catch (const redis::Error& e) {
        if (e.kind() != redis::ErrorKind::WrongType)
            return "WRONG KIND " + QString::fromStdString(e.what());
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestKindCheck : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    locks::LockContext ctx(int permits = 3) {
        auto c = test::contextFor(*server);
        c.config.permits = permits;
        return c;
    }
    std::unique_ptr<locks::LockStrategy> make(const std::string& id, int permits = 3) {
        return locks::makeLockStrategy(id, ctx(permits));
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("kind");
    }

    // W5: a semaphore acquire decremented any integer; now refused, unchanged, no record written.
    void semaphoreRefusesAnApplicationInteger() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "cache:x";
        c.command({"SET", key, "5"});
        for (const char* id : {"semaphore", "expirable-semaphore"}) {
            auto s = make(id);
            const QString m = refusal([&] { s->tryAcquire(key, 1000ms); });
            QVERIFY2(m.contains("`" + QString::fromStdString(key) +
                                "` is a string holding an integer, not a") &&
                         m.contains("nothing changed"),
                     qPrintable(m));
            QCOMPARE(str(c, {"GET", key}), QString("5"));
            QCOMPARE(c.command({"EXISTS", "lockscope_meta:{" + key + "}"}).integer(), 0LL);
            QCOMPARE(c.command({"EXISTS", "{" + key + "}:timeout"}).integer(), 0LL);
        }
        // Only when the caller says it is a bare Redisson semaphore is it used as one.
        auto cfg = ctx();
        cfg.config.adoptBareCount = true;
        auto adopted = locks::makeLockStrategy("semaphore", cfg);
        auto lease = adopted->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        QCOMPARE(str(c, {"GET", key}), QString("4"));
        QCOMPARE(adopted->release(*lease), locks::ReleaseResult::Released);
        QCOMPARE(str(c, {"GET", key}), QString("5"));
    }

    // W5: ... and a latch's count is not a semaphore either (nor the other way round).
    void semaphoreAndLatchRefuseEachOther() {
        redis::Connection c(server->endpoint());
        const std::string latchKey = prefix + "latch";
        locks::CountDownLatch latch(ctx());
        QVERIFY(latch.trySetCount(latchKey, 3));
        auto s = make("semaphore");
        QString m = refusal([&] { s->tryAcquire(latchKey, 1000ms); });
        QVERIFY2(m.contains("is a latch, not a semaphore"), qPrintable(m));
        QCOMPARE(str(c, {"GET", latchKey}), QString("3"));

        const std::string semKey = prefix + "sem";
        auto lease = s->tryAcquire(semKey, 1000ms);
        QVERIFY(lease);
        m = refusal([&] { latch.countDown(semKey); });
        QVERIFY2(m.contains("is a semaphore (LockScope's"), qPrintable(m));
        m = refusal([&] { latch.trySetCount(semKey, 2); });
        QVERIFY2(m.contains("not a latch"), qPrintable(m));
        QCOMPARE(str(c, {"GET", semKey}), QString("2"));
        QCOMPARE(str(c, {"HGET", "lockscope_meta:{" + semKey + "}", "kind"}), QString("semaphore"));
    }

    // W2: count-down decremented any integer (and deleted it at 0); on a missing key it said
    // "open". Now: refused, unchanged; a missing latch is -1 (nothing counted), not "open".
    void latchRefusesAnApplicationInteger() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "jobs:left";
        c.command({"SET", key, "1"});
        locks::CountDownLatch latch(ctx());
        QString m = refusal([&] { latch.countDown(key); });
        QVERIFY2(m.contains("is a string holding an integer, not a latch"), qPrintable(m));
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        m = refusal([&] { latch.await(key, {.timeout = 10ms}); });
        QVERIFY2(m.contains("not a latch"), qPrintable(m));
        QCOMPARE(latch.countDown(prefix + "never-set"), -1LL);
        QCOMPARE(c.command({"EXISTS", prefix + "never-set"}).integer(), 0LL);
        QVERIFY(!latch.countIfSet(prefix + "never-set"));
        // A real latch still counts down and opens.
        const std::string real = prefix + "real-latch";
        QVERIFY(latch.trySetCount(real, 2));
        QCOMPARE(latch.countDown(real), 1LL);
        QCOMPARE(latch.countDown(real), 0LL);
        QCOMPARE(latch.countDown(real), -1LL);  // open and gone
    }

    // W3: a read-write acquire wrote `mode` etc. into an application hash and PEXPIREd it.
    void readWriteRefusesAnApplicationHash() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "settings";
        c.command({"HSET", key, "mode", "read", "theme", "dark"});
        for (auto mode : {locks::LockConfig::RwMode::Read, locks::LockConfig::RwMode::Write}) {
            auto cfg = ctx();
            cfg.config.rwMode = mode;
            auto rw = locks::makeLockStrategy("read-write", cfg);
            const QString m = refusal([&] { rw->tryAcquire(key, 5000ms); });
            QVERIFY2(m.contains("is a hash that is not a lock of LockScope or Redisson, not a "
                                "read-write lock"),
                     qPrintable(m));
        }
        QCOMPARE(c.command({"HLEN", key}).integer(), 2LL);
        QCOMPARE(str(c, {"HGET", key, "mode"}), QString("read"));
        QCOMPARE(c.command({"PTTL", key}).integer(), -1LL);
    }

    // W4: a read lock taken inside a fair lock's hash (an exclusive lock). And a fair acquire on
    // a read-write lock is refused too.
    void readWriteAndFairRefuseEachOther() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "fair";
        auto fair = make("fair");
        auto held = fair->tryAcquire(key, 10000ms);
        QVERIFY(held);
        auto cfg = ctx();
        cfg.config.rwMode = locks::LockConfig::RwMode::Read;
        auto reader = locks::makeLockStrategy("read-write", cfg);
        QString m = refusal([&] { reader->tryAcquire(key, 5000ms); });
        QVERIFY2(m.contains("is an exclusive lock hash"), qPrintable(m));
        QCOMPARE(c.command({"HLEN", key}).integer(), 1LL);
        QCOMPARE(c.command({"HEXISTS", key, "mode"}).integer(), 0LL);
        QCOMPARE(fair->release(*held), locks::ReleaseResult::Released);

        const std::string rwKey = prefix + "rw";
        auto read = reader->tryAcquire(rwKey, 5000ms);
        QVERIFY(read);
        m = refusal([&] { fair->tryAcquire(rwKey, 5000ms); });
        QVERIFY2(m.contains("is a read-write lock (mode read), not a fair"), qPrintable(m));
        QCOMPARE(c.command({"HLEN", rwKey}).integer(), 2LL);
        QCOMPARE(reader->release(*read), locks::ReleaseResult::Released);
    }

    // W6: `SET cache …` plus `ZADD {cache}:timeout …` was read as an expirable semaphore, and its
    // force-release incremented the application's key.
    void lookAlikeExpirableSemaphoreIsNotOne() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "cache";
        const std::string leases = "{" + key + "}:timeout";
        c.command({"SET", key, "7"});
        c.command({"ZADD", leases, "123", "x"});
        redis::Connection a(server->endpoint());
        auto r = locks::applyHolderOp(a, HolderLayout::ExpirableSemaphore, HolderOp::ForceRelease,
                                      key, "x");
        QCOMPARE(r.outcome, HolderOutcome::WrongLayout);
        QVERIFY2(QString::fromStdString(r.seen).contains("not a lease set of permit ids"),
                 r.seen.c_str());
        QCOMPARE(str(c, {"GET", key}), QString("7"));
        QCOMPARE(c.command({"ZCARD", leases}).integer(), 1LL);
        auto s = make("expirable-semaphore");
        const QString m = refusal([&] { s->tryAcquire(key, 1000ms); });
        QVERIFY2(m.contains("not a lease set of permit ids"), qPrintable(m));
        QCOMPARE(str(c, {"GET", key}), QString("7"));
        // What the strategy shows of it: not a semaphore.
        auto state = locks::readPrimitiveState(a, key);
        QCOMPARE(int(state.kind), int(locks::PrimitiveKind::None));
    }

    // adv14b item 10: ls_leases_ok looked at the first 100 members only — 150 permit ids and,
    // last by score, one that is not: read and acted on as an expirable semaphore. Every member
    // is checked now (up to kLeaseIdsChecked).
    void everyLeaseIsChecked() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "many-leases";
        const std::string leases = "{" + key + "}:timeout";
        c.command({"SET", key, "7"});
        for (int i = 0; i < 150; ++i) {
            char id[17];
            std::snprintf(id, sizeof id, "%016x", 0xabc000 + i);
            c.command({"ZADD", leases, 1000 + i, id});
        }
        c.command({"ZADD", leases, 999999, "not-a-permit"});
        auto s = make("expirable-semaphore");
        const QString m = refusal([&] { s->tryAcquire(key, 1000ms); });
        QVERIFY2(m.contains("not a lease set of permit ids"), qPrintable(m));
        QCOMPARE(str(c, {"GET", key}), QString("7"));
        QCOMPARE(c.command({"ZCARD", leases}).integer(), 151LL);
        redis::Connection a(server->endpoint());
        auto r = locks::applyHolderOp(a, HolderLayout::ExpirableSemaphore, HolderOp::ForceRelease,
                                      key, "0000000000abc000");
        QCOMPARE(r.outcome, HolderOutcome::WrongLayout);
        QCOMPARE(c.command({"ZCARD", leases}).integer(), 151LL);
        auto state = locks::readPrimitiveState(a, key);
        QCOMPARE(int(state.kind), int(locks::PrimitiveKind::None));
    }

    // W7: force-release of taken:n/size gave back every taken permit, live holders' included.
    // Now exactly the number chosen (default 1), only while n are still taken.
    void semaphoreForceReleaseReturnsTheNumberChosen() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "pool";
        auto s = make("semaphore", 4);
        for (int i = 0; i < 3; ++i) QVERIFY(s->tryAcquire(key, 1000ms));
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        redis::Connection a(server->endpoint());
        auto r = locks::applyHolderOp(a, HolderLayout::Semaphore, HolderOp::ForceRelease, key,
                                      "taken:3/4");
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("2"));  // one back, not three
        // The count seen is compared: taken:3/4 is stale now.
        r = locks::applyHolderOp(a, HolderLayout::Semaphore, HolderOp::ForceRelease, key,
                                 "taken:3/4", 0ms, 0, 2);
        QCOMPARE(r.outcome, HolderOutcome::HolderChanged);
        QCOMPARE(QString::fromStdString(r.currentHolder), QString("taken:2/4"));
        r = locks::applyHolderOp(a, HolderLayout::Semaphore, HolderOp::ForceRelease, key,
                                 "taken:2/4", 0ms, 0, 2);
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("4"));
        // Never more than taken, even when asked for more.
        QVERIFY(s->tryAcquire(key, 1000ms));
        r = locks::applyHolderOp(a, HolderLayout::Semaphore, HolderOp::ForceRelease, key,
                                 "taken:1/4", 0ms, 0, 5);
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("4"));
    }

    // U3: the token `lock acquire --strategy semaphore` printed releases a permit.
    void semaphoreTokenReleasesOnePermit() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "pool2";
        auto s = make("semaphore", 2);
        auto lease = s->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        QVERIFY(s->tryAcquire(key, 1000ms));
        redis::Connection a(server->endpoint());
        auto r =
            locks::applyHolderOp(a, HolderLayout::Semaphore, HolderOp::Release, key, lease->token);
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
    }

    // Force-release of a latch or a semaphore whose record lies about the key: refused.
    void forceReleaseChecksTheKind() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "counter";
        c.command({"SET", key, "3"});
        redis::Connection a(server->endpoint());
        auto r =
            locks::applyHolderOp(a, HolderLayout::Latch, HolderOp::ForceRelease, key, "count:3");
        QCOMPARE(r.outcome, HolderOutcome::WrongLayout);
        QCOMPARE(str(c, {"GET", key}), QString("3"));
        // A damaged record (size 2 for a count of 3) is not a latch either.
        c.command({"HSET", "lockscope_meta:{" + key + "}", "kind", "latch", "size", "2"});
        r = locks::applyHolderOp(a, HolderLayout::Latch, HolderOp::ForceRelease, key, "count:3/2");
        QCOMPARE(r.outcome, HolderOutcome::WrongLayout);
        QCOMPARE(str(c, {"GET", key}), QString("3"));
    }

    // W1: a plain permit has no lease: the keeper does not try to renew it, and never calls it
    // lost.
    void keeperDoesNotRenewAPlainPermit() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "held-permit";
        auto cfg = ctx(1);
        auto s = locks::makeLockStrategy("semaphore", cfg);
        auto lease = s->tryAcquire(key, 100ms);
        QVERIFY(lease);
        locks::LeaseKeeper keeper(std::move(s), cfg, *lease);
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(60ms);  // past the --ttl given: it means nothing here
            QCOMPARE(int(keeper.renew(100ms).result),
                     int(locks::LeaseKeeper::Renewal::Result::Renewed));
        }
        QCOMPARE(str(c, {"GET", key}), QString("0"));
        QCOMPARE(keeper.release(), locks::ReleaseResult::Released);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
    }

    // E1: the server's raw script error loses its SHA.
    void rawScriptErrorsAreReadable() {
        const std::string raw =
            "ERR Error running script (call to f_3a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c): "
            "@user_script:12: user_script:12: attempt to compare nil with number";
        const QString m = QString::fromStdString(locks::readableScriptError(raw));
        QVERIFY2(!m.contains("f_3a9c") && !m.contains("Error running script"), qPrintable(m));
        QVERIFY2(m.contains("attempt to compare nil with number"), qPrintable(m));
        QCOMPARE(QString::fromStdString(locks::readableScriptError("WRONGTYPE x")),
                 QString("WRONGTYPE x"));
    }

    // adv14b item 3: a missing synchroniser's record is created only where nothing is, or over
    // LockScope's own record; an application's key at lockscope_meta:{k} (any type, or a hash
    // with more than {kind, size}) is refused and left as it was — the old scripts DELeted it.
    void missingKeyKeepsAForeignRecord() {
        redis::Connection c(server->endpoint());
        const std::string nl = prefix + "nl", ne = prefix + "ne2", nh = prefix + "nh";
        const std::string mnl = "lockscope_meta:{" + nl + "}", mne = "lockscope_meta:{" + ne + "}",
                          mnh = "lockscope_meta:{" + nh + "}";
        c.command({"SET", mnl, "foo"});
        c.command({"RPUSH", mne, "x"});
        c.command({"HSET", mnh, "kind", "latch", "size", "3", "owner", "app"});
        locks::CountDownLatch latch(ctx());
        QString m = refusal([&] { latch.trySetCount(nl, 3); });
        QVERIFY2(m.contains("lockscope_meta") && m.contains("nothing changed"), qPrintable(m));
        QCOMPARE(str(c, {"GET", mnl}), QString("foo"));
        QCOMPARE(c.command({"EXISTS", nl}).integer(), 0LL);
        m = refusal([&] { make("expirable-semaphore")->tryAcquire(ne, 1000ms); });
        QVERIFY2(m.contains("lockscope_meta") && m.contains("nothing changed"), qPrintable(m));
        QCOMPARE(c.command({"LLEN", mne}).integer(), 1LL);
        QCOMPARE(c.command({"EXISTS", ne}).integer(), 0LL);
        m = refusal([&] { make("semaphore")->tryAcquire(nh, 1000ms); });
        QVERIFY2(m.contains("lockscope_meta") && m.contains("nothing changed"), qPrintable(m));
        QCOMPARE(str(c, {"HGET", mnh, "owner"}), QString("app"));
        QCOMPARE(c.command({"EXISTS", nh}).integer(), 0LL);
        // LockScope's own record left behind (its key deleted by hand) is replaced.
        const std::string old = prefix + "old", mold = "lockscope_meta:{" + old + "}";
        c.command({"HSET", mold, "kind", "latch", "size", "7"});
        QVERIFY(make("semaphore", 2)->tryAcquire(old, 1000ms));
        QCOMPARE(str(c, {"HGET", mold, "kind"}), QString("semaphore"));
        QCOMPARE(str(c, {"HGET", mold, "size"}), QString("2"));
        QCOMPARE(str(c, {"GET", old}), QString("1"));
    }

    // adv14b item 2: read-write and fair check their companions' types before the first write.
    // The old write acquire set `mode` and the lease, then died on WRONGTYPE at the claims zset,
    // leaving a write lock nobody held.
    void companionsAreCheckedBeforeAnyWrite() {
        redis::Connection c(server->endpoint());
        const std::string rw = prefix + "rwc", claims = "lockscope_rwlock_writers:{" + rw + "}";
        c.command({"SET", claims, "foo"});
        auto w = make("read-write");  // rwMode Write by default
        QString m = refusal([&] { w->tryAcquire(rw, 5000ms); });
        QVERIFY2(m.contains(QString::fromStdString(claims)) && m.contains("nothing changed") &&
                     !m.contains("script:"),
                 qPrintable(m));
        QCOMPARE(c.command({"EXISTS", rw}).integer(), 0LL);
        QCOMPARE(str(c, {"GET", claims}), QString("foo"));
        // A reader with writer preference reads the claims too.
        auto rctx = ctx();
        rctx.config.rwMode = locks::LockConfig::RwMode::Read;
        auto r = locks::makeLockStrategy("read-write", rctx);
        m = refusal([&] { r->tryAcquire(rw, 5000ms); });
        QVERIFY2(m.contains(QString::fromStdString(claims)), qPrintable(m));
        QCOMPARE(c.command({"EXISTS", rw}).integer(), 0LL);

        const std::string fc = prefix + "fc", queue = "redisson_lock_queue:{" + fc + "}";
        c.command({"SET", queue, "foo"});
        m = refusal([&] { make("fair")->tryAcquire(fc, 5000ms); });
        QVERIFY2(m.contains(QString::fromStdString(queue)) && m.contains("nothing changed"),
                 qPrintable(m));
        QCOMPARE(c.command({"EXISTS", fc}).integer(), 0LL);
        QCOMPARE(str(c, {"GET", queue}), QString("foo"));
        const std::string fc2 = prefix + "fc2", timeouts = "redisson_lock_timeout:{" + fc2 + "}";
        c.command({"HSET", timeouts, "a", "1"});
        m = refusal([&] { make("fair")->tryAcquire(fc2, 5000ms); });
        QVERIFY2(m.contains(QString::fromStdString(timeouts)), qPrintable(m));
        QCOMPARE(c.command({"EXISTS", fc2}).integer(), 0LL);
    }

    // adv14b item 1: a plain permit's release gives back one permit, once, and only for a token
    // an acquire issued (LockScope records them in lockscope_meta:{k}). Before, any string
    // starting "lockscope:semaphore:" gave one back, as often as it was sent.
    void plainReleaseNeedsAnIssuedToken() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "ps";
        auto s = make("semaphore", 2);
        auto a = s->tryAcquire(key, 1000ms);
        auto b = s->tryAcquire(key, 1000ms);
        QVERIFY(a && b);
        QCOMPARE(str(c, {"GET", key}), QString("0"));
        redis::Connection op(server->endpoint());
        for (const char* forged :
             {"lockscope:semaphore:forged:1:00000000:0000000000000000", "lockscope:semaphore:x"}) {
            auto r =
                locks::applyHolderOp(op, HolderLayout::Semaphore, HolderOp::Release, key, forged);
            QVERIFY2(r.outcome != HolderOutcome::Done, forged);
            locks::Lease fake = *a;
            fake.token = forged;
            QCOMPARE(s->release(fake), locks::ReleaseResult::NotHeld);
            QCOMPARE(str(c, {"GET", key}), QString("0"));
        }
        // The real token: once by the operator's path, then neither path gives back another.
        auto r =
            locks::applyHolderOp(op, HolderLayout::Semaphore, HolderOp::Release, key, a->token);
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        r = locks::applyHolderOp(op, HolderLayout::Semaphore, HolderOp::Release, key, a->token);
        QVERIFY(r.outcome != HolderOutcome::Done);
        QCOMPARE(s->release(*a), locks::ReleaseResult::NotHeld);
        QCOMPARE(str(c, {"GET", key}), QString("1"));
        // The other holder's own release works once.
        QCOMPARE(s->release(*b), locks::ReleaseResult::Released);
        QCOMPARE(s->release(*b), locks::ReleaseResult::NotHeld);
        QCOMPARE(str(c, {"GET", key}), QString("2"));
        // Force-release names a recorded token: exactly that permit.
        auto d = s->tryAcquire(key, 1000ms);
        QVERIFY(d);
        r = locks::applyHolderOp(op, HolderLayout::Semaphore, HolderOp::ForceRelease, key,
                                 d->token);
        QCOMPARE(r.outcome, HolderOutcome::Done);
        QCOMPARE(str(c, {"GET", key}), QString("2"));
        QCOMPARE(s->release(*d), locks::ReleaseResult::NotHeld);
        QCOMPARE(str(c, {"GET", key}), QString("2"));
    }

    // adv14b item 4: ls_int agrees with Redis (no leading zeros, no -0): "007" is not a
    // semaphore's count — the old check called it one and DECR died with a raw ERR.
    void integersAsRedisReadsThem() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "s007";
        c.command({"SET", key, "007"});
        c.command({"HSET", "lockscope_meta:{" + key + "}", "kind", "semaphore", "size", "3"});
        const QString m = refusal([&] { make("semaphore")->tryAcquire(key, 1000ms); });
        QVERIFY2(m.contains("not an integer") && m.contains("nothing changed"), qPrintable(m));
        QCOMPARE(str(c, {"GET", key}), QString("007"));
        c.command({"SET", key, "-0"});
        QVERIFY(!refusal([&] { make("semaphore")->tryAcquire(key, 1000ms); }).isEmpty());
        QCOMPARE(str(c, {"GET", key}), QString("-0"));
    }

    // adv14b item 4: Redis 7's in-script error ("<error> script: <sha>, on @user_script:N.")
    // loses its SHA; READONLY from a replica says what to do.
    void redis7ScriptErrorsAreReadable() {
        const std::string raw =
            "WRONGTYPE Operation against a key holding the wrong kind of "
            "value script: 6c0719d8aa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d, on "
            "@user_script:82.";
        const QString m = QString::fromStdString(locks::readableScriptError(raw));
        QCOMPARE(m, QString("WRONGTYPE Operation against a key holding the wrong kind of value"));

        sandbox::RedisServerOptions o;
        o.extraArgs = {"--replicaof", "127.0.0.1", std::to_string(server->port())};
        sandbox::RedisServer replica(o);
        auto rc = test::contextFor(replica);
        rc.config.permits = 3;
        const std::string key = prefix + "on-replica";
        for (const char* id : {"semaphore", "expirable-semaphore", "fair", "read-write"}) {
            auto s = locks::makeLockStrategy(id, rc);
            QString e;
            try {
                s->tryAcquire(key, 1000ms);
            } catch (const redis::Error& x) {
                e = QString::fromStdString(x.what());
                QCOMPARE(int(x.kind()), int(redis::ErrorKind::ReadOnly));
            }
            QVERIFY2(e.contains("is a read-only replica; connect to the master") &&
                         !e.contains("script:") && !e.contains("user_script"),
                     qPrintable(id + (": " + e)));
        }
        locks::CountDownLatch latch(rc);
        QString e;
        try {
            latch.trySetCount(key, 2);
        } catch (const redis::Error& x) {
            e = QString::fromStdString(x.what());
        }
        QVERIFY2(
            e.contains("is a read-only replica; connect to the master") && !e.contains("script:"),
            qPrintable(e));
        redis::Connection op(replica.endpoint());
        try {
            locks::applyHolderOp(op, HolderLayout::Latch, HolderOp::ForceRelease, key, "count:1");
        } catch (const redis::Error& x) {
            QVERIFY2(!QString(x.what()).contains("script:"), x.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestKindCheck)
#include "test_kind_check.moc"

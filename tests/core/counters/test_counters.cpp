// Each counter strategy on its own terms, against a real redis-server: specs, arithmetic from a
// missing key, round trips, what each does with a conflict (watch retries, versioned refuses),
// batched merging and flushing (with an injected clock), capped's daily per-user limit, locked
// over every single-server lock strategy, and reset. Contention across many workers is the demo's
// job (tests/core/demo/test_counter_demo).
#include <QtTest>
#include <atomic>
#include <thread>

#include "counters/batched.h"
#include "counters/capped.h"
#include "counters/counter_strategy.h"
#include "counters/locked.h"
#include "counters/versioned.h"
#include "locks/fenced.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using counters::Outcome;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

class TestCounters : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    counters::CounterContext context(const Clock* clock = &systemClock()) {
        counters::CounterContext ctx;
        ctx.nodes = {server->endpoint()};
        ctx.clock = clock;
        return ctx;
    }
    std::unique_ptr<counters::CounterStrategy> make(const std::string& spec, const std::string& key,
                                                    counters::CounterContext ctx) {
        return counters::makeCounterStrategy(spec, prefix + key, std::move(ctx));
    }
    std::unique_ptr<counters::CounterStrategy> make(const std::string& spec,
                                                    const std::string& key) {
        return make(spec, key, context());
    }
    long long keysUnder(const std::string& p) {
        redis::Connection c(server->endpoint());
        auto r = c.command({"SCAN", "0", "MATCH", counters::globEscape(p) + "*", "COUNT", 10000});
        return static_cast<long long>(r[1].size());
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("counters");
    }

    void specsParse_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("variant");
        QTest::newRow("plain") << "naive"
                               << "naive"
                               << "";
        QTest::newRow("locked defaults to set-nx-px") << "locked"
                                                      << "locked"
                                                      << "set-nx-px";
        QTest::newRow("locked over redlock") << "locked:redlock"
                                             << "locked"
                                             << "redlock";
        QTest::newRow("capped defaults to atomic") << "capped"
                                                   << "capped"
                                                   << "atomic";
        QTest::newRow("capped naive") << "capped:naive"
                                      << "capped"
                                      << "naive";
    }
    void specsParse() {
        QFETCH(QString, text);
        QFETCH(QString, id);
        QFETCH(QString, variant);
        auto spec = counters::parseCounterSpec(text.toStdString());
        QCOMPARE(q(spec.id), id);
        QCOMPARE(q(spec.variant), variant);
    }

    void badSpecsAreClearErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown") << "nope"
                                 << "known: naive, incr";
        QTest::newRow("unknown lock") << "locked:nope"
                                      << "known: setnx-expire";
        QTest::newRow("capped variant") << "capped:half"
                                        << "capped:naive or capped:atomic";
        QTest::newRow("variant of plain") << "incr:x"
                                          << "no variants";
        QTest::newRow("empty item") << "incr,,lua"
                                    << "empty strategy";
        QTest::newRow("empty list") << ""
                                    << "empty strategy";
    }
    void badSpecsAreClearErrors() {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        try {
            counters::expandCounterSpecs(text.toStdString());
            QFAIL("accepted");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
        }
    }

    void cappedExpandsToBothVariants() {
        auto specs = counters::expandCounterSpecs("naive,capped,locked:fenced");
        QCOMPARE(specs.size(), size_t(4));
        QCOMPARE(q(specs[1].text()), QString("capped:naive"));
        QCOMPARE(q(specs[2].text()), QString("capped:atomic"));
        QCOMPARE(q(specs[3].text()), QString("locked:fenced"));
        // The registry has one line per id, for --help.
        for (const auto& s : counters::counterStrategies()) QVERIFY(!s.summary.empty());
        QCOMPARE(counters::counterStrategies().size(), size_t(8));
    }

    // One worker alone: every strategy adds exactly, starting from a key nobody has written
    // (seed 000's WATCH loop crashes there: int(None)).
    void countsFromAMissingKey_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("tripsPerOp");  // -1: not a fixed number
        QTest::newRow("naive") << "naive" << 2;
        QTest::newRow("incr") << "incr" << 1;
        QTest::newRow("watch") << "watch" << 3;
        QTest::newRow("lua") << "lua" << 1;
        QTest::newRow("versioned") << "versioned" << 2;
        QTest::newRow("locked") << "locked" << 4;
        QTest::newRow("locked:fenced") << "locked:fenced" << 4;
        QTest::newRow("batched") << "batched" << -1;
        QTest::newRow("capped:atomic") << "capped:atomic" << 1;
        QTest::newRow("capped:naive") << "capped:naive" << 2;
    }
    void countsFromAMissingKey() {
        QFETCH(QString, spec);
        QFETCH(int, tripsPerOp);
        auto ctx = context();
        ctx.config.cap = 1000;
        auto c = make(spec.toStdString(), "seq:" + spec.toStdString(), ctx);
        QCOMPARE(c->read(), 0LL);
        for (int i = 0; i < 10; ++i) {
            auto outcome = c->increment(3, "alice");
            QVERIFY(outcome != Outcome::Rejected);
        }
        c->flush();
        QCOMPARE(c->read(), 30LL);
        QCOMPARE(c->stats().ops, 10u);
        QCOMPARE(c->stats().applied, 10u);
        QCOMPARE(c->stats().retries, 0u);  // nobody else wrote
        if (tripsPerOp > 0)
            QCOMPARE(c->stats().roundTrips, 10u * static_cast<unsigned>(tripsPerOp));
        c->reset();
        QCOMPARE(keysUnder(c->key()), 0LL);
    }

    void watchRetriesWhenSomeoneWritesInBetween() {
        const std::string key = prefix + "watch-conflict";
        auto w = counters::makeCounterStrategy("watch", key, context());
        std::atomic<bool> stop{false};
        long long hammered = 0;
        std::thread hammer([&] {
            redis::Connection c(server->endpoint());
            while (!stop.load()) {
                c.command({"INCR", key});
                ++hammered;
                // Paced: writing flat out would starve the WATCH loop (it never gets an EXEC
                // through), which is the recipe's livelock, not what this test is about.
                std::this_thread::sleep_for(100us);
            }
        });
        for (int i = 0; i < 100; ++i) w->increment(1, {});
        stop = true;
        hammer.join();
        QVERIFY2(w->stats().retries > 0, "an INCR between WATCH and EXEC must abort the EXEC");
        QCOMPARE(w->read(), 100 + hammered);  // and still nothing is lost
    }

    void versionedRefusesAMovedVersion() {
        const std::string key = prefix + "versioned";
        redis::Connection c(server->endpoint());
        c.command({"HSET", key, "value", 10, "version", 5});
        auto v = counters::makeCounterStrategy("versioned", key, context());
        v->increment(1, {});
        QCOMPARE(v->read(), 11LL);
        QCOMPARE(dynamic_cast<counters::VersionedCounter&>(*v).version(), 6LL);
        // Another versioned writer racing it: conflicts are refused and retried, nothing lost.
        auto other = counters::makeCounterStrategy("versioned", key, context());
        std::thread t([&] {
            for (int i = 0; i < 300; ++i) other->increment(1, {});
        });
        for (int i = 0; i < 300; ++i) v->increment(1, {});
        t.join();
        QCOMPARE(v->read(), 611LL);
        QCOMPARE(dynamic_cast<counters::VersionedCounter&>(*v).version(), 606LL);
        QVERIFY2(v->stats().retries + other->stats().retries > 0, "two writers never conflicted");
    }

    void notAnIntegerIsAnError() {
        const std::string key = prefix + "text";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, "not a number"});
        for (const char* spec : {"naive", "watch", "incr", "lua"}) {
            auto s = counters::makeCounterStrategy(spec, key, context());
            QVERIFY_THROWS_EXCEPTION(redis::Error, s->increment(1, {}));
        }
        auto v = counters::makeCounterStrategy("versioned", key, context());
        try {
            v->increment(1, {});
            QFAIL("versioned wrote into a string key");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::WrongType);
        }
        QCOMPARE(q(*c.command({"GET", key}).optString()), QString("not a number"));
    }

    void batchedMergesUntilTheIntervalOrAFlush() {
        ManualClock clock;
        auto ctx = context(&clock);
        ctx.config.batchInterval = 100ms;
        auto b = make("batched", "batched", ctx);
        auto& batched = dynamic_cast<counters::BatchedCounter&>(*b);
        for (int i = 0; i < 5; ++i) QCOMPARE(b->increment(1, {}), Outcome::Queued);
        QCOMPARE(b->read(), 0LL);  // Redis lags until a flush
        QCOMPARE(batched.pending(), 5LL);
        clock.advance(100ms);  // the oldest pending increment is one interval old
        QCOMPARE(b->increment(1, {}), Outcome::Applied);
        QCOMPARE(b->read(), 6LL);
        QCOMPARE(batched.flushes(), 1u);
        QCOMPARE(b->stats().roundTrips, 1u);  // six increments, one INCRBY
        b->increment(2, {});
        b->flush();
        QCOMPARE(b->read(), 8LL);
        b->flush();  // nothing pending: no round trip
        QCOMPARE(b->stats().roundTrips, 2u);
        QCOMPARE(b->stats().applied, 7u);

        // batchMax flushes by count as well.
        auto ctx2 = context(&clock);
        ctx2.config.batchMax = 3;
        auto m = make("batched", "batched-max", ctx2);
        QCOMPARE(m->increment(1, {}), Outcome::Queued);
        QCOMPARE(m->increment(1, {}), Outcome::Queued);
        QCOMPARE(m->increment(1, {}), Outcome::Applied);
        QCOMPARE(m->read(), 3LL);
    }

    void batchedLosesWhatItNeverFlushed() {
        auto b = make("batched", "batched-crash");
        b->increment(1, {});
        b->increment(1, {});
        b.reset();  // a process dying before its flush
        QCOMPARE(make("incr", "batched-crash")->read(), 0LL);
    }

    void cappedLimitsEachUserPerDay_data() {
        QTest::addColumn<QString>("spec");
        QTest::newRow("naive") << "capped:naive";
        QTest::newRow("atomic") << "capped:atomic";
    }
    void cappedLimitsEachUserPerDay() {
        QFETCH(QString, spec);
        ManualClock clock;
        clock.setWall(std::chrono::milliseconds(1'700'000'000'000));  // 2023-11-14 22:13:20 UTC
        auto ctx = context(&clock);
        ctx.config.cap = 3;
        const std::string key = "votes:" + spec.toStdString();
        auto c = make(spec.toStdString(), key, ctx);
        auto& capped = dynamic_cast<counters::CappedCounter&>(*c);
        QCOMPARE(q(capped.userKey("alice")), q(prefix + key + ":user:alice:20231114"));
        int accepted = 0;
        for (int i = 0; i < 5; ++i) accepted += c->increment(1, "alice") == Outcome::Applied;
        QCOMPARE(accepted, 3);  // one client alone: even the naive check holds
        QCOMPARE(c->stats().rejected, 2u);
        QCOMPARE(c->increment(1, "bob"), Outcome::Applied);  // per user
        QCOMPARE(c->read(), 4LL);
        QCOMPARE(capped.votesOf("alice"), 3LL);
        // The day's count expires at the next UTC midnight, 1 h 46 min 40 s later by the client's
        // clock (a relative TTL: the server's own clock does not enter into it).
        redis::Connection conn(server->endpoint());
        const long long pttl = conn.command({"PTTL", capped.userKey("alice")}).integer();
        QVERIFY2(pttl > 6'300'000 && pttl <= 6'400'000, qPrintable(QString::number(pttl)));
        // A new day, a new allowance.
        clock.advance(std::chrono::hours(2));
        QCOMPARE(c->increment(1, "alice"), Outcome::Applied);
        QCOMPARE(capped.votesOf("alice"), 1LL);
        c->reset();
        QCOMPARE(keysUnder(prefix + key), 0LL);
    }

    // `locked` is exact over every single-server lock strategy while nothing goes wrong, and
    // leaves no lock behind.
    void lockedIsExactOverEveryLock_data() {
        QTest::addColumn<QString>("lock");
        for (const auto& l : locks::lockStrategies())
            if (!l.multiNode && l.kind != locks::LockKind::Latch)  // a latch is not a lock
                QTest::newRow(std::string(l.id).c_str())
                    << QString::fromUtf8(l.id.data(), int(l.id.size()));
    }
    void lockedIsExactOverEveryLock() {
        QFETCH(QString, lock);
        const std::string spec = "locked:" + lock.toStdString();
        const std::string key = prefix + "locked:" + lock.toStdString();
        std::vector<std::unique_ptr<counters::CounterStrategy>> workers;
        for (int i = 0; i < 4; ++i)
            workers.push_back(counters::makeCounterStrategy(spec, key, context()));
        std::vector<std::thread> threads;
        for (auto& w : workers)
            threads.emplace_back([&w] {
                for (int i = 0; i < 40; ++i) w->increment(1, {});
            });
        for (auto& t : threads) t.join();
        QCOMPARE(workers[0]->read(), 160LL);
        std::uint64_t rejected = 0;
        for (auto& w : workers) rejected += w->stats().rejected;
        QCOMPARE(rejected, 0u);
        auto& locked = dynamic_cast<counters::LockedCounter&>(*workers[0]);
        QVERIFY(locked.lock().stats().acquisitions >= 40);
        redis::Connection c(server->endpoint());
        bool permits = false;
        for (const auto& l : locks::lockStrategies())
            if (l.id == lock.toStdString()) permits = l.kind == locks::LockKind::Permits;
        if (permits)  // a semaphore's key is its state: it stays, every permit (1) free again
            QCOMPARE(std::string(c.command({"GET", locked.lockKey()}).str()), std::string("1"));
        else
            QCOMPARE(c.command({"EXISTS", locked.lockKey()}).integer(), 0LL);
        workers[0]->reset();
        QCOMPARE(c.command({"EXISTS", key, locks::fenceKey(locked.lockKey())}).integer(), 0LL);
    }

    void lockedGivesUpWhenTheLockStaysBusy() {
        const std::string key = prefix + "locked-busy";
        redis::Connection c(server->endpoint());
        c.command({"SET", key + ":lock", "someone else", "PX", 10000});
        auto ctx = context();
        ctx.config.lockWait = 100ms;
        auto l = counters::makeCounterStrategy("locked", key, ctx);
        const auto t0 = std::chrono::steady_clock::now();
        QCOMPARE(l->increment(1, {}), Outcome::Rejected);
        QVERIFY(std::chrono::steady_clock::now() - t0 < 2s);
        QCOMPARE(l->stats().rejected, 1u);
        QVERIFY(l->stats().retries >= 2);  // it kept trying until lockWait
        QCOMPARE(l->read(), 0LL);
    }

    void unknownStrategyFromTheFactory() {
        try {
            counters::makeCounterStrategy("incrby", prefix + "x", context());
            QFAIL("accepted");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            QVERIFY(QString(e.what()).contains("incr"));
        }
    }

    void deleteByPrefixEscapesGlobs() {
        redis::Connection c(server->endpoint());
        const std::string p = prefix + "glob[*]?:";
        c.command({"SET", p + "a", 1});
        c.command({"SET", p + "b", 1});
        c.command({"SET", prefix + "glob*Z:c", 1});  // the unescaped pattern would match it
        QCOMPARE(counters::deleteByPrefix(c, p), 2LL);
        QCOMPARE(c.command({"EXISTS", prefix + "glob*Z:c"}).integer(), 1LL);
    }
};

QTEST_APPLESS_MAIN(TestCounters)
#include "test_counters.moc"

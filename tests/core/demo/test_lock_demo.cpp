// The lock demo engine against real redis-servers, with real worker processes (lockscope-cli
// worker lock): each fault produces the outcome faults.cpp documents for the strategy — checked
// by the engine's own verdict and, independently, against the numbers here. Without a fault a
// correct lock shows no violation. Every run ends with no worker process and no key left.
#include <dirent.h>

#include <QtTest>
#include <algorithm>
#include <fstream>
#include <map>

#include "demo/lock_demo.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using demo::Fault;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// Processes running `lockscope-cli worker lock` whose command line mentions `marker`.
int workerProcesses(const std::string& marker) {
    int n = 0;
    DIR* d = ::opendir("/proc");
    if (!d) return -1;
    while (auto* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream in(std::string("/proc/") + e->d_name + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (char& c : cmd)
            if (c == '\0') c = ' ';
        if (cmd.find(" worker lock ") != std::string::npos && cmd.find(marker) != std::string::npos)
            ++n;
    }
    ::closedir(d);
    return n;
}

std::string describe(const demo::LockDemoResult& r) {
    std::string s =
        r.strategy + " / " + r.fault + ": acquisitions " + std::to_string(r.acquisitions) +
        ", violations " + std::to_string(r.violations) + ", rejected " +
        std::to_string(r.staleWritesRejected) + ", lost " + std::to_string(r.lostUpdates) +
        ", during " + std::to_string(r.acquisitionsDuringFault) + ", after " +
        std::to_string(r.acquisitionsAfterFault) + (r.stuck ? ", stuck" : "") + ", " +
        std::to_string(static_cast<int>(r.seconds * 1000)) + " ms; " +
        (r.asExpected ? "as expected" : "MISMATCH: " + r.mismatch);
    for (const auto& e : r.events) s += "\n    +" + std::to_string(e.at.count()) + " ms " + e.text;
    return s;
}

// The strategies whose holders exclude each other (read-write: every worker writes); semaphores
// and the latch have runs of their own.
bool exclusive(const locks::LockStrategyInfo& s) {
    return s.kind == locks::LockKind::Exclusive || s.kind == locks::LockKind::ReadWrite;
}

}  // namespace

class TestLockDemo : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> single;
    std::vector<std::unique_ptr<sandbox::RedisServer>> group;  // 3 redlock nodes

    demo::LockDemoOptions options(const std::string& strategy, Fault fault) {
        demo::LockDemoOptions o;
        o.strategy = strategy;
        o.fault = fault;
        o.workers = 4;
        o.opsPerWorker = 30;
        o.workerExecutable = test::cliPath();
        if (strategy == "redlock") {
            for (auto& s : group) {
                o.target.nodes.push_back(s->endpoint());
                o.target.controlled.push_back(s.get());
            }
        } else {
            o.target.nodes = {single->endpoint()};
            o.target.controlled = {single.get()};
        }
        return o;
    }
    demo::LockDemoResult run(const demo::LockDemoOptions& o) {
        auto r = demo::runLockDemo(o);
        qInfo("%s", describe(r).c_str());
        return r;
    }
    // Nothing left behind: no keys on any server, no worker process of this run.
    void checkClean(const demo::LockDemoResult& r) {
        QCOMPARE(redis::Connection(single->endpoint()).command({"DBSIZE"}).integer(), 0LL);
        for (auto& s : group)
            QCOMPARE(redis::Connection(s->endpoint()).command({"DBSIZE"}).integer(), 0LL);
        QCOMPARE(workerProcesses(r.keyPrefix), 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(!test::cliPath().empty());
        single = std::make_unique<sandbox::RedisServer>();
        for (int i = 0; i < 3; ++i) group.push_back(std::make_unique<sandbox::RedisServer>());
    }
    void init() {
        for (auto& s : group)
            if (!s->running()) s->restart();
    }

    void withoutAFaultACorrectLockHolds_data() {
        QTest::addColumn<QString>("strategy");
        for (const char* s : {"set-nx-px", "redlock", "reentrant"}) QTest::newRow(s) << s;
    }
    void withoutAFaultACorrectLockHolds() {
        QFETCH(QString, strategy);
        auto o = options(strategy.toStdString(), Fault::None);
        std::vector<demo::DemoProgress> progress;
        o.progress = [&](const demo::DemoProgress& p) { progress.push_back(p); };
        auto r = run(o);
        QCOMPARE(r.acquisitions, 120LL);
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        QCOMPARE(r.writes, 120LL);
        QCOMPARE(r.value, 120LL);
        QCOMPARE(r.lostLockOnRelease, 0LL);
        QVERIFY(r.asExpected);
        QVERIFY(r.opsPerSecond > 0);
        QVERIFY(r.waitP99Micros >= r.waitP50Micros);
        QVERIFY(!progress.empty());
        QVERIFY(progress.back().finished);
        QCOMPARE(progress.back().done, 120LL);
        checkClean(r);
    }

    // A holder paused past its TTL: every strategy lets a second holder in (the resource sees the
    // overlap); all but fenced then lose the updates made meanwhile to the paused holder's stale
    // write, while fenced rejects that write.
    void pauseHolder_data() {
        QTest::addColumn<QString>("strategy");
        for (const auto& s : locks::lockStrategies())
            if (exclusive(s))
                QTest::newRow(std::string(s.id).c_str())
                    << QString::fromUtf8(s.id.data(), int(s.id.size()));
    }
    void pauseHolder() {
        QFETCH(QString, strategy);
        auto o = options(strategy.toStdString(), Fault::PauseHolder);
        o.ttl = 300ms;
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(r.faultInjected);
        QVERIFY2(q(r.events.front().text).contains("paused worker"), r.events.front().text.c_str());
        QVERIFY(q(r.events.front().text).contains("for 900 ms"));  // 3 x TTL
        QVERIFY(r.violations >= 1);
        if (strategy == "fenced") {
            QVERIFY(r.staleWritesRejected >= 1);
            QCOMPARE(r.lostUpdates, 0LL);
            QCOMPARE(r.value, r.writes);
        } else {
            QVERIFY(r.lostUpdates >= 1);
            QCOMPARE(r.staleWritesRejected, 0LL);
        }
        checkClean(r);
    }

    // A holder killed while holding: the lock runs out and the others carry on — except
    // setnx-expire killed between SETNX and EXPIRE, whose lock has no TTL and is stuck for good.
    void crashHolder_data() {
        QTest::addColumn<QString>("strategy");
        for (const auto& s : locks::lockStrategies())
            if (exclusive(s))
                QTest::newRow(std::string(s.id).c_str())
                    << QString::fromUtf8(s.id.data(), int(s.id.size()));
    }
    void crashHolder() {
        QFETCH(QString, strategy);
        auto o = options(strategy.toStdString(), Fault::CrashHolder);
        // Long enough that a busy CI machine never stalls a live holder (or a heartbeat beater)
        // past it: that would be a violation this test does not expect.
        o.ttl = 600ms;
        const auto t0 = std::chrono::steady_clock::now();
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        if (strategy == "setnx-expire") {
            QVERIFY(r.stuck);
            QCOMPARE(r.acquisitionsAfterFault, 0LL);
            QVERIFY(q(r.events.front().text).contains("between its SETNX and its EXPIRE"));
            QVERIFY(q(r.events.front().text).contains("PTTL is now -1"));
            QVERIFY(r.acquisitions < 120);  // the run was stopped: nobody could go on
            QVERIFY(std::chrono::steady_clock::now() - t0 < 20s);
        } else {
            QVERIFY(!r.stuck);
            QVERIFY(r.recovery);
            // Someone else gets the lock once it times out (heartbeat: after the missed beats),
            // not at once as if the kill had released it. The lease ran from the victim's grant,
            // not from the kill, and on a loaded machine the kill came up to ~330 ms after the
            // grant (recovery 268 ms seen): the bound tells a timeout from a release, no more.
            QVERIFY2(*r.recovery >= 100ms && *r.recovery < 5s,
                     qPrintable(QString::number(r.recovery->count())));
            QVERIFY(r.acquisitionsAfterFault > 0);
        }
        checkClean(r);
    }

    // One client's clock runs 10 s ahead: only setnx-getset, whose lock value is a client-clock
    // timestamp, lets it in over a live holder.
    // Issue 14, the lessons. Contention: the fair lock grants in order, so over the same stretch
    // of time every worker gets about as many acquisitions as the luckiest; set-nx-px is run the
    // same way beside it (not judged on fairness: it may come out even by chance).
    void contentionFairVersusUnfair() {
        std::map<std::string, demo::LockDemoResult> runs;
        for (const char* s : {"set-nx-px", "fair"}) {
            auto o = options(s, Fault::Contention);
            o.workers = 6;
            o.opsPerWorker = 60;
            auto r = run(o);
            QVERIFY2(r.asExpected, describe(r).c_str());
            QCOMPARE(r.violations, 0LL);
            QCOMPARE(r.lostUpdates, 0LL);
            QCOMPARE(r.perWorker.size(), size_t(6));
            // The race stopped when the first was done: nobody did more than its ops.
            const auto most = *std::max_element(r.perWorker.begin(), r.perWorker.end());
            QCOMPARE(most, 60LL);
            // 0 when a worker got nothing: set-nx-px may starve one, which is the lesson.
            QVERIFY2(r.fairness >= 0 && r.fairness <= 1, describe(r).c_str());
            long long waits = 0;
            for (const auto& [from, n] : r.waitDistribution) waits += n;
            // Every wait, finished or not: a starved worker's open wait counts (censored).
            QCOMPARE(waits, r.acquisitions + r.waitsCensored);
            QVERIFY(r.waitP999Micros >= r.waitP99Micros && r.waitMaxMicros >= r.waitP999Micros);
            checkClean(r);
            runs[s] = std::move(r);
        }
        QVERIFY2(runs["fair"].fairness >= 0.8, describe(runs["fair"]).c_str());
        // When the first worker is done the others are in the queue (at most one inside): their
        // open waits are cut off and counted, not dropped — unless the stop reached them only
        // after each had done its sections too (seen at load 8: 6 × 60, nothing left open).
        const auto& fair = runs["fair"];
        const bool allDone = fair.acquisitions == 6 * 60;
        QVERIFY2(fair.waitsCensored >= 1 || allDone, describe(fair).c_str());
        if (allDone) QCOMPARE(fair.waitsCensored, 0LL);
        QVERIFY(q(runs["fair"].expectedOutcome).contains("arrival order"));
    }

    // A one-permit semaphore whose holder is killed: its permit never comes back (the run is
    // stuck and stopped), while an expirable permit returns after its lease.
    void crashedSemaphoreHolder_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("semaphore") << "semaphore";
        QTest::newRow("expirable-semaphore") << "expirable-semaphore";
    }
    void crashedSemaphoreHolder() {
        QFETCH(QString, strategy);
        auto o = options(strategy.toStdString(), Fault::CrashHolder);
        o.ttl = 600ms;
        const auto t0 = std::chrono::steady_clock::now();
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        if (strategy == "semaphore") {
            QVERIFY(r.stuck);
            QCOMPARE(r.acquisitionsAfterFault, 0LL);
            QVERIFY(r.acquisitions < 120);
            QVERIFY(q(r.events.back().text).contains("no permit is free"));
            QVERIFY(std::chrono::steady_clock::now() - t0 < 30s);
        } else {
            QVERIFY(!r.stuck);
            QVERIFY(r.recovery);
            QVERIFY2(*r.recovery >= 300ms && *r.recovery < 5s,
                     qPrintable(QString::number(r.recovery->count())));
            QVERIFY(r.acquisitionsAfterFault > 0);
        }
        checkClean(r);
    }

    // Readers together raise throughput; writers never overlap anyone; without writer preference
    // the writers wait longer at 90 % reads.
    void readersAndWriters() {
        auto o = options("read-write", Fault::ReadersWriters);
        o.workers = 6;
        o.phase = 1200ms;
        std::vector<demo::DemoProgress> progress;
        o.progress = [&](const demo::DemoProgress& p) { progress.push_back(p); };
        auto r = run(o);
        for (const auto& row : r.readShares)
            qInfo(
                "%3d%% reads%s: %lld reads %lld writes %.0f ops/s, %d readers at once, writer "
                "p99 %.0f us max %.0f us",
                int(row.readShare * 100), row.writerPreference ? "" : " (no preference)", row.reads,
                row.writes, row.opsPerSecond, row.maxReadersTogether, row.writerWaitP99Micros,
                row.writerWaitMaxMicros);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.readShares.size(), size_t(4));
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.lostUpdates, 0LL);
        QCOMPARE(r.readShares[0].reads, 0LL);  // 0 % reads
        QVERIFY(r.readShares[0].maxReadersTogether == 0);
        QVERIFY(r.readShares[2].maxReadersTogether >= 2);
        QVERIFY(!r.readShares[3].writerPreference);
        QVERIFY(!progress.empty());
        QCOMPARE(progress.front().strategy, std::string("read-write"));
        // Progress is milliseconds of the phases; `completed` counts the operations (the live
        // throughput chart's count), never going back and never past the result's.
        for (size_t i = 1; i < progress.size(); ++i)
            QVERIFY(progress[i].completed >= progress[i - 1].completed);
        QVERIFY(progress.back().completed > 0);
        QVERIFY(progress.back().completed <= r.acquisitions);
        QCOMPARE(progress.back().total, 4 * 1200LL);
        // The verdict is worded from the figures: grew at every step, or not.
        const std::string said(r.measuredOutcome.id);
        QVERIFY2(
            said == "outcome.readers-writers.grew" || said == "outcome.readers-writers.not-steady",
            said.c_str());
        QCOMPARE(redis::Connection(single->endpoint()).command({"DBSIZE"}).integer(), 0LL);
    }

    void clockSkew_data() {
        QTest::addColumn<QString>("strategy");
        for (const auto& s : locks::lockStrategies())
            if (exclusive(s))
                QTest::newRow(std::string(s.id).c_str())
                    << QString::fromUtf8(s.id.data(), int(s.id.size()));
    }
    void clockSkew() {
        QFETCH(QString, strategy);
        auto o = options(strategy.toStdString(), Fault::ClockSkew);
        o.ttl = 1000ms;
        auto r = run(o);
        // setnx-getset: whether the skewed worker asks while another is inside is up to the
        // scheduler — at load 8, 1 run in 5 had the others done before it got going (violations
        // 0, the demo's verdict a MISMATCH). As clockSkewFollowsItsSign: up to three runs.
        for (int tries = 1; tries < 3 && strategy == "setnx-getset" && r.violations == 0; ++tries) {
            qInfo("no take-over this time (%s); running it again", describe(r).c_str());
            r = run(o);
        }
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(q(r.events.front().text).contains("ahead by 10000 ms"));
        if (strategy == "setnx-getset")
            QVERIFY(r.violations >= 1);
        else
            QCOMPARE(r.violations, 0LL);
        checkClean(r);
    }

    // setnx-getset's lock value is an expiry from the client's clock; which client loses depends
    // on the sign of the skew, and the verdict says so: ahead, the skewed client takes the
    // others' live locks over; behind, the others take its lock over.
    void clockSkewFollowsItsSign_data() {
        QTest::addColumn<int>("skewMs");
        QTest::addColumn<QString>("said");
        QTest::addColumn<QString>("notSaid");
        QTest::newRow("ahead") << 5000 << "is ahead by at least the TTL"
                               << "the others took its lock over";
        QTest::newRow("behind") << -5000 << "the others took its lock over"
                                << "it judged the others' live locks expired";
    }
    void clockSkewFollowsItsSign() {
        QFETCH(int, skewMs);
        QFETCH(QString, said);
        QFETCH(QString, notSaid);
        auto o = options("setnx-getset", Fault::ClockSkew);
        o.ttl = 1000ms;
        o.skew = std::chrono::milliseconds(skewMs);
        o.opsPerWorker = 60;
        // Whether a taker comes while the skewed worker is inside is up to the scheduler: on a
        // loaded machine 1 run in 25 had none (the skewed worker got its turns only after the
        // others were done). Three runs; the verdict's wording is checked on the one that showed
        // it.
        auto r = run(o);
        for (int tries = 1; tries < 3 && r.violations == 0; ++tries) {
            qInfo("no take-over this time (%s); running it again", describe(r).c_str());
            r = run(o);
        }
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(r.violations >= 1);
        QVERIFY2(q(r.explanation).contains(said), r.explanation.c_str());
        QVERIFY2(!q(r.explanation).contains(notSaid), r.explanation.c_str());
        QVERIFY(q(r.events.front().text)
                    .contains(skewMs > 0 ? "ahead by 5000 ms" : "behind by 5000 ms"));
        checkClean(r);
    }

    void nodeDownMinorityKeepsGoing() {
        auto o = options("redlock", Fault::NodeDown);
        o.downFor = 1200ms;
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(r.acquisitionsDuringFault > 0);
        QCOMPARE(r.violations, 0LL);
        QVERIFY(q(r.events.front().text).contains("stopped 1 of 3 nodes"));
        checkClean(r);
    }

    void nodeDownMajorityStallsThenResumes() {
        auto o = options("redlock", Fault::NodeDown);
        o.down = 2;
        o.downFor = 1200ms;
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QCOMPARE(r.acquisitionsDuringFault, 0LL);
        QVERIFY(r.acquisitionsAfterFault > 0);
        QCOMPARE(r.violations, 0LL);
        QCOMPARE(r.acquisitions, 120LL);  // everyone finished after the nodes came back
        checkClean(r);
    }

    void nodeRestartMakesTwoMajorities() {
        auto o = options("redlock", Fault::NodeRestart);
        auto r = run(o);
        QVERIFY2(r.asExpected, describe(r).c_str());
        QVERIFY(r.violations >= 1);
        QVERIFY(r.lostUpdates >= 1);
        bool twoHolders = false;
        for (const auto& e : r.events)
            twoHolders = twoHolders || q(e.text).contains("two holders at once");
        QVERIFY(twoHolders);
        for (auto& s : group) QVERIFY(s->running());  // the engine restarted what it killed
        checkClean(r);
    }

    void nodeFaultsNeedServersTheDemoOwns() {
        auto o = options("redlock", Fault::NodeDown);
        o.target.controlled.clear();
        try {
            demo::runLockDemo(o);
            QFAIL("accepted");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            QVERIFY2(QString(e.what()).contains("--sandbox"), e.what());
        }
        auto oneServer = options("set-nx-px", Fault::NodeRestart);
        QVERIFY_THROWS_EXCEPTION(redis::Error, demo::runLockDemo(oneServer));
        auto lonely = options("set-nx-px", Fault::PauseHolder);
        lonely.workers = 1;
        QVERIFY_THROWS_EXCEPTION(redis::Error, demo::runLockDemo(lonely));
    }

    void cancelWhileAHolderIsPausedLeavesNothing() {
        auto o = options("set-nx-px", Fault::PauseHolder);
        o.ttl = 300ms;
        o.pause = 60000ms;  // the pause would outlast the test
        std::atomic<bool> cancel{false};
        o.cancel = &cancel;
        o.progress = [&](const demo::DemoProgress& p) {
            if (p.event && q(p.event->text).contains("paused worker")) cancel = true;
        };
        const auto t0 = std::chrono::steady_clock::now();
        auto r = run(o);
        QVERIFY(std::chrono::steady_clock::now() - t0 < 15s);
        QVERIFY(r.interrupted);
        QVERIFY(!r.asExpected);
        checkClean(r);
    }

    void unreachableRedisStartsNoWorker() {
        auto o = options("set-nx-px", Fault::None);
        const int closed = sandbox::pickFreePort(20000, 45000, false);
        o.target.nodes = {redis::Endpoint::tcpEndpoint("127.0.0.1", closed)};
        o.target.controlled.clear();
        try {
            demo::runLockDemo(o);
            QFAIL("ran against nothing");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::Connect);
        }
        QCOMPARE(workerProcesses("127.0.0.1:" + std::to_string(closed)), 0);
    }
};

QTEST_APPLESS_MAIN(TestLockDemo)
#include "test_lock_demo.moc"

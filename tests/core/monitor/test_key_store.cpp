// The monitor's key store on a ManualClock: scans (epochs) that no longer see a key, a followed
// lock lingering as `free`, states that time alone changes, a Redlock group's nodes merged, cluster
// keys judged by the node serving their slot, counter rates, and which changes reach a viewer.
// Time is moved by hand; nothing sleeps, no server runs.
#include <QtTest>

#include "monitor/classifier.h"
#include "monitor/key_store.h"

using namespace lockscope;
using namespace lockscope::monitor;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

Q_DECLARE_METATYPE(lockscope::monitor::Format)
Q_DECLARE_METATYPE(lockscope::monitor::LockState)

namespace {

KeyStoreOptions options() {
    KeyStoreOptions o;
    o.expiringSoon = 1000ms;
    o.rateWindow = 3000ms;
    o.historyLength = 10;
    o.freeLinger = 3000ms;
    return o;
}

// A lock as the classifier would deliver it, observed now.
KeyRecord lock(const std::string& key, const ManualClock& clock, long long ttlMs,
               const std::string& holder = "token-a", Format format = Format::SetNxPx) {
    KeyRecord r;
    r.key = key;
    r.kind = Kind::Lock;
    r.format = format;
    r.state = LockState::Held;
    r.holder = holder;
    r.ttlMs = ttlMs;
    r.observedAt = clock.steadyNow();
    r.lastChange = clock.steadyNow();
    return r;
}

KeyRecord counter(const std::string& key, const ManualClock& clock, long long value) {
    KeyRecord r;
    r.key = key;
    r.kind = Kind::Counter;
    r.format = Format::Counter;
    r.number = value;
    r.ttlMs = -1;
    r.observedAt = clock.steadyNow();
    r.lastChange = clock.steadyNow();
    return r;
}

// What an inspection reports for a key that no longer exists.
KeyRecord gone(const std::string& key, const ManualClock& clock) {
    KeyRecord r;
    r.key = key;
    r.kind = Kind::Other;
    r.state = LockState::Free;
    r.ttlMs = -2;
    r.observedAt = clock.steadyNow();
    return r;
}

std::vector<std::string> keysOf(const std::vector<KeyRecord>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(r.key);
    return out;
}

const KeyRecord* findIn(const std::vector<KeyRecord>& records, const std::string& key) {
    for (const auto& r : records)
        if (r.key == key) return &r;
    return nullptr;
}

}  // namespace

class TestKeyStore : public QObject {
    Q_OBJECT
private slots:
    // Lock names that never repeat (lock:order:<id>) must not fill the stats for good: at the
    // bound, the stats of locks nobody holds make room, and a held lock keeps its own.
    void lockStatsMakeRoomAtTheirBound() {
        ManualClock clock;
        KeyStoreOptions o = options();
        o.maxLockStats = 3;
        KeyStore store(KeyStore::Layout::PerNode, 0, o, &clock);
        store.scanDone(0, 1);  // the inventory is over: locks seen from now on are acquisitions
        for (const char* k : {"lock:a", "lock:b", "lock:c"})
            store.apply(0, 1, lock(k, clock, 10000));
        QVERIFY(store.lockStats("lock:a") && store.lockStats("lock:c"));
        store.apply(0, 1, gone("lock:a", clock));
        store.apply(0, 1, gone("lock:b", clock));
        clock.advance(5000ms);  // past the free linger: both are gone
        store.apply(0, 1, lock("lock:d", clock, 10000));
        QVERIFY2(store.lockStats("lock:d"), "a new lock at the bound got no stats");
        QCOMPARE(store.lockStats("lock:d")->acquisitions, 1LL);
        QVERIFY(store.lockStats("lock:c"));  // still held: kept
        QVERIFY(!store.lockStats("lock:a") && !store.lockStats("lock:b"));
    }

    // F14e / adv14c item 4: a read-write lock's readers renewing their shared hold (first reader
    // in, last out: longer than the lease) raised "p99 hold nears the TTL: holders risk outliving
    // their lease" — false, the lease was renewed. A renewed hold is left out of that judgement;
    // a hold that was never renewed still raises it.
    void renewedReaderGroupHoldDoesNotNearTheTtl() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.scanDone(0, 1);
        auto rw = [&](const std::string& readers) {
            store.apply(0, 1, lock("rw", clock, 10000, readers, Format::RedissonRwLock));
        };
        rw("a:1,b:2");
        clock.advance(8000ms);
        rw("a:1,b:2");  // renewed: the TTL back at 10 s
        clock.advance(8000ms);
        rw("b:2");  // a left; b renews
        clock.advance(8000ms);
        auto released = gone("rw", clock);
        released.expiredEvents = 0;
        store.apply(0, 1, std::move(released));
        const LockStats* s = store.lockStats("rw");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 1LL);
        QCOMPARE(s->takeovers, 0LL);
        QCOMPARE(int(s->holdsMs.size()), 1);
        QVERIFY2(s->holdPercentileMs(0.99) >= 24000, "the group's hold is first in to last out");
        QVERIFY2(!s->holdNearsTtl(), "a renewed reader group's hold judged near the TTL");
        QVERIFY(!summarize("rw", *s).nearsTtl);

        // Held 9 s of a 10 s lease, never renewed: the warning stays (the lease granted read on
        // the acquisition's notification: only against that is it judged, round 6 item 5).
        auto plain = lock("plain", clock, 10000);
        plain.readOnNotification = true;
        plain.ageExact = true;
        store.apply(0, 1, std::move(plain));
        clock.advance(9000ms);
        auto freed = gone("plain", clock);
        freed.expiredEvents = 0;
        store.apply(0, 1, std::move(freed));
        QVERIFY(store.lockStats("plain"));
        QVERIFY(store.lockStats("plain")->holdNearsTtl());
        QVERIFY(summarize("plain", *store.lockStats("plain")).nearsTtl);
    }

    // adv14d item 4: the Age restarted (and was marked exact) whenever a semaphore's or latch's
    // count changed or a reader joined a read-write lock: "≥ 23 s" became "1787 ms". A count
    // change is no acquisition: the age runs on from the use's first acquisition, exact only
    // where that was seen. The next use after a semaphore went unused starts its own age.
    void synchroniserAgeRunsOnWhileItsCountChanges_data() {
        QTest::addColumn<bool>("startSeen");  // the use's start was read on its notification
        QTest::newRow("start seen: exact") << true;
        QTest::newRow("found in use: a lower bound") << false;
    }
    void synchroniserAgeRunsOnWhileItsCountChanges() {
        QFETCH(bool, startSeen);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.scanDone(0, 1);
        // Each later look as a notification's read reports it: changed now, exactly.
        auto look = [&](const std::string& key, Format f, const std::string& holder, int holdCount,
                        long long number, bool first = false) {
            KeyRecord r = lock(key, clock, -1, holder, f);
            r.holdCount = holdCount;
            r.number = number;
            r.ageExact = first ? startSeen : true;
            r.readOnNotification = !first || startSeen;
            if (first && !startSeen) r.lastChange = clock.steadyNow() - 20s;  // OBJECT IDLETIME
            store.apply(0, 1, std::move(r));
        };
        const long long before = startSeen ? 0 : 20000;
        look("sem", Format::Semaphore, "taken:1/3", 1, 2, true);
        look("ex", Format::ExpirableSemaphore, "p1", 1, 1, true);
        look("lt", Format::Latch, "count:3/3", 3, 3, true);
        look("rw", Format::ReadWrite, "r1:1", 1, 0, true);
        clock.advance(5000ms);
        look("sem", Format::Semaphore, "taken:2/3", 2, 1);  // a permit taken
        look("ex", Format::ExpirableSemaphore, "p1,p2", 2, 0);
        look("lt", Format::Latch, "count:2/3", 3, 2);      // counted down
        look("rw", Format::ReadWrite, "r1:1,r2:1", 2, 0);  // a reader joins
        clock.advance(5000ms);
        look("sem", Format::Semaphore, "taken:1/3", 1, 2);   // one given back
        look("ex", Format::ExpirableSemaphore, "p2", 1, 1);  // the first holder left
        look("lt", Format::Latch, "count:1/3", 3, 1);
        look("rw", Format::ReadWrite, "r2:1", 1, 0);  // the first reader left
        for (const char* key : {"sem", "ex", "lt", "rw"}) {
            const KeyState* r = store.find(key);
            QVERIFY(r);
            QVERIFY2(r->ageMs(clock.steadyNow()) == 10000 + before,
                     qPrintable(QString("%1: age %2 ms, the use began %3 ms ago")
                                    .arg(key)
                                    .arg(r->ageMs(clock.steadyNow()))
                                    .arg(10000 + before)));
            QVERIFY2(r->ageExact == startSeen,
                     qPrintable(QString("%1: exact only where the use's start was seen").arg(key)));
        }
        // Every permit given back, then one taken again: a new use, its own age.
        clock.advance(1000ms);
        look("sem", Format::Semaphore, "taken:0/3", 0, 3);
        clock.advance(1000ms);
        look("sem", Format::Semaphore, "taken:1/3", 1, 2);
        QCOMPARE(store.find("sem")->ageMs(clock.steadyNow()), 0LL);
        QVERIFY(store.find("sem")->ageExact);
        // A writer after the readers shares nobody: a new hold, its own age.
        look("rw", Format::ReadWrite, "w1:1:write", 1, 0);
        QCOMPARE(store.find("rw")->ageMs(clock.steadyNow()), 0LL);
    }

    // adv14e item 7: right after a failover a LockScope fair / read-write / reentrant lock's
    // holder reads in Redisson's layout until it reconnects (and back): the same holder, the same
    // hold. Its Age restarted at each switch and was shown exact ("25 s" for a 3.5-minute hold).
    void sameHolderInTheOtherLayoutKeepsItsAge_data() {
        QTest::addColumn<Format>("ours");
        QTest::addColumn<Format>("redissons");
        QTest::newRow("fair") << Format::Fair << Format::RedissonFairLock;
        QTest::newRow("read-write") << Format::ReadWrite << Format::RedissonRwLock;
        QTest::newRow("reentrant") << Format::Reentrant << Format::RedissonLock;
    }
    void sameHolderInTheOtherLayoutKeepsItsAge() {
        QFETCH(Format, ours);
        QFETCH(Format, redissons);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.scanDone(0, 1);
        const std::string holder = "5e1c0a2b-1111-4222-8333-944455556666:1";
        // Found by the inventory, held for 200 s already (OBJECT IDLETIME): a lower bound.
        auto first = lock("k", clock, 30000, holder, ours);
        first.holdCount = 1;
        first.lastChange = clock.steadyNow() - 200s;
        first.ageExact = false;
        store.apply(0, 1, std::move(first));
        // A failover: the new master's first read (a notification's, "changed now") sees the
        // holder in Redisson's layout, then LockScope's again once it reconnected.
        for (Format f : {redissons, ours}) {
            clock.advance(1000ms);
            auto r = lock("k", clock, 30000, holder, f);
            r.holdCount = 1;
            r.ageExact = true;
            r.readOnNotification = true;
            store.apply(0, 1, std::move(r));
            const KeyState* now = store.find("k");
            QVERIFY(now);
            QCOMPARE(now->format, f);
            QVERIFY2(now->ageMs(clock.steadyNow()) >= 200000,
                     qPrintable(QString("age %1 ms").arg(now->ageMs(clock.steadyNow()))));
            QVERIFY(!now->ageExact);
        }
        // Another holder in the other layout is another hold, of its own age.
        clock.advance(1000ms);
        auto other = lock("k", clock, 30000, "0badc0de-1111-4222-8333-944455556666:1", redissons);
        other.holdCount = 1;
        other.ageExact = true;
        other.readOnNotification = true;
        store.apply(0, 1, std::move(other));
        QCOMPARE(store.find("k")->ageMs(clock.steadyNow()), 0LL);
        QVERIFY(store.find("k")->ageExact);
    }

    // adv14d item 5: a semaphore's use never recorded a hold (`locks --observe`: acquisitions 1,
    // holds 0; the dashboard's "hold p50 –"): an unused semaphore stays `held` by nobody, so its
    // hold never ended. A semaphore's hold runs from its first permit taken to its last given
    // back, as a latch's from set to open; permits taken and given back in between are neither
    // acquisitions nor takeovers.
    void semaphoreHoldRunsFromFirstPermitToLast_data() {
        QTest::addColumn<Format>("format");
        QTest::newRow("semaphore") << Format::Semaphore;
        QTest::newRow("expirable-semaphore") << Format::ExpirableSemaphore;
        QTest::newRow("redisson-expirable-semaphore") << Format::RedissonExpirableSemaphore;
    }
    void semaphoreHoldRunsFromFirstPermitToLast() {
        QFETCH(Format, format);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.scanDone(0, 1);
        auto taken = [&](int n) {
            KeyRecord r = lock("s", clock, -1, "taken:" + std::to_string(n) + "/2", format);
            if (format != Format::Semaphore && n > 0) r.holder = n == 1 ? "p1" : "p1,p2";
            r.holdCount = n;
            r.number = 2 - n;
            r.ageExact = true;
            r.readOnNotification = true;
            store.apply(0, 1, std::move(r));
        };
        taken(0);  // created with every permit free: nobody holds it
        QVERIFY(!store.lockStats("s") || store.lockStats("s")->acquisitions == 0);
        clock.advance(1000ms);
        taken(1);
        clock.advance(1000ms);
        taken(2);
        clock.advance(1000ms);
        taken(1);
        clock.advance(1000ms);
        taken(0);  // the last permit back: the hold is over
        const LockStats* s = store.lockStats("s");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 1LL);
        QCOMPARE(s->takeovers, 0LL);
        QCOMPARE(int(s->holdsMs.size()), 1);
        QCOMPARE(s->holdsMs.front(), 3000);
        const auto summary = summarize("s", *s);
        QCOMPARE(summary.holdP50Ms, 3000LL);
        QCOMPARE(summary.holdMaxMs, 3000LL);
        clock.advance(5000ms);
        taken(0);  // still unused: nothing happens
        QCOMPARE(int(store.lockStats("s")->holdsMs.size()), 1);
        taken(1);  // the next use
        QCOMPARE(store.lockStats("s")->acquisitions, 2LL);
        clock.advance(2000ms);
        store.apply(0, 1, gone("s", clock));  // deleted in use: that use ends too
        QCOMPARE(int(store.lockStats("s")->holdsMs.size()), 2);
        QCOMPARE(store.lockStats("s")->holdsMs.back(), 2000);
    }

    // ---- epochs: a completed scan that did not see a key -------------------------------------

    void scanThatMissesAKey_data() {
        QTest::addColumn<bool>("isLock");
        QTest::addColumn<bool>("seenAgain");
        QTest::addColumn<QString>("outcome");  // "tracked", "free", "removed"
        QTest::newRow("lock seen again by the next scan") << true << true << "tracked";
        QTest::newRow("counter seen again by the next scan") << false << true << "tracked";
        QTest::newRow("lock missed by the next scan") << true << false << "free";
        QTest::newRow("counter missed by the next scan") << false << false << "removed";
    }
    void scanThatMissesAKey() {
        QFETCH(bool, isLock);
        QFETCH(bool, seenAgain);
        QFETCH(QString, outcome);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        // The same lock (its TTL counting down) or counter value at every look.
        const auto start = clock.steadyNow();
        auto record = [&] {
            const auto elapsed =
                std::chrono::duration_cast<milliseconds>(clock.steadyNow() - start).count();
            return isLock ? lock("k", clock, 60000 - elapsed) : counter("k", clock, 7);
        };
        store.apply(0, 1, record());
        store.scanDone(0, 1);  // the scan that found it
        QCOMPARE(keysOf(store.takeChanged(100)), std::vector<std::string>{"k"});
        QVERIFY(store.find("k"));

        clock.advance(1000ms);
        store.scanDone(1, 7);  // another node's scan knows nothing of it
        QVERIFY(store.find("k"));
        QCOMPARE(store.queuedChanges(), size_t(0));
        if (seenAgain) store.apply(0, 2, record());
        store.scanDone(0, 2);

        const KeyState* s = store.find("k");
        const auto removed = store.takeRemoved();
        const auto changed = store.takeChanged(100);
        if (outcome == "tracked") {
            QVERIFY(s);
            QCOMPARE(s->state, LockState::Held);
            QVERIFY(removed.empty());
            QVERIFY(changed.empty());  // nothing a viewer would notice
        } else if (outcome == "free") {
            QVERIFY(s);
            QCOMPARE(s->state, LockState::Free);
            QCOMPARE(s->ttlMs, -2LL);
            QVERIFY(removed.empty());
            QCOMPARE(keysOf(changed), std::vector<std::string>{"k"});
            QCOMPARE(changed.front().state, LockState::Free);
        } else {
            QVERIFY(!s);
            QCOMPARE(removed, std::vector<std::string>{"k"});
            QVERIFY(changed.empty());
        }
    }

    // ---- linger-to-free ------------------------------------------------------------------------

    void vanishedLockLingersAsFree_data() {
        QTest::addColumn<bool>("byScan");
        QTest::newRow("missed by a scan") << true;
        QTest::newRow("reported gone by an inspection") << false;
    }
    void vanishedLockLingersAsFree() {
        QFETCH(bool, byScan);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("lock", clock, 60000));
        store.apply(0, 1, counter("other", clock, 1));
        store.scanDone(0, 1);
        store.takeChanged(100);
        QCOMPARE(store.refreshTimeStates().locks, size_t(1));

        clock.advance(500ms);
        if (byScan) {
            store.apply(0, 2, counter("other", clock, 1));
            store.scanDone(0, 2);
        } else {
            store.apply(0, 1, gone("lock", clock));
        }
        QCOMPARE(store.find("lock")->state, LockState::Free);
        QCOMPARE(keysOf(store.takeChanged(100)), std::vector<std::string>{"lock"});

        clock.advance(options().freeLinger - 1ms);
        auto counts = store.refreshTimeStates();
        QVERIFY(store.find("lock"));
        QCOMPARE(store.find("lock")->state, LockState::Free);
        QVERIFY(store.takeRemoved().empty());
        QCOMPARE(counts.keys, size_t(2));
        QCOMPARE(counts.locks, size_t(1));

        clock.advance(1ms);  // freeLinger since it was found free
        counts = store.refreshTimeStates();
        QVERIFY(!store.find("lock"));
        QCOMPARE(store.takeRemoved(), std::vector<std::string>{"lock"});
        QCOMPARE(counts.keys, size_t(1));
        QCOMPARE(counts.locks, size_t(0));
        QCOMPARE(counts.counters, size_t(1));
    }

    void lockTakenAgainWhileLingeringStays() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("lock", clock, 60000, "first"));
        store.apply(0, 1, gone("lock", clock));
        clock.advance(1000ms);
        store.apply(0, 1, lock("lock", clock, 60000, "second"));
        store.takeChanged(100);
        clock.advance(options().freeLinger * 2);
        store.refreshTimeStates();
        QVERIFY(store.find("lock"));
        QCOMPARE(store.find("lock")->holder, std::string("second"));
        QCOMPARE(store.find("lock")->state, LockState::Held);
        QVERIFY(store.takeRemoved().empty());
    }

    // ---- states that time alone changes -----------------------------------------------------

    void timeChangesTheState_data() {
        QTest::addColumn<Format>("format");
        QTest::addColumn<LockState>("observed");
        QTest::addColumn<int>("ttlMs");
        QTest::addColumn<int>("expiresInMs");  // setnx-getset: stored expiry minus wall time
        QTest::addColumn<int>("periodMs");     // heartbeat
        QTest::addColumn<int>("beforeMs");     // time moved: the state is still `observed`
        QTest::addColumn<int>("afterMs");      // time moved (in all): the state is `then`
        QTest::addColumn<LockState>("then");
        QTest::newRow("TTL falls below expiringSoon")
            << Format::SetNxPx << LockState::Held << 5000 << 0 << 0 << 3999 << 4001
            << LockState::Expiring;
        QTest::newRow("setnx-getset expiry passes")
            << Format::SetnxGetset << LockState::Held << -1 << 2000 << 0 << 1999 << 2000
            << LockState::ExpiredTimestamp;
        QTest::newRow("heartbeat misses 1.5 periods")
            << Format::Heartbeat << LockState::Held << 30000 << 0 << 1000 << 1500 << 1501
            << LockState::HeartbeatStale;
        QTest::newRow("Redisson lock TTL runs low")
            << Format::RedissonLock << LockState::Held << 30000 << 0 << 0 << 28999 << 29001
            << LockState::Expiring;
        QTest::newRow("a stuck lock stays stuck")
            << Format::SetNxPx << LockState::StuckNoTtl << -1 << 0 << 0 << 1000 << 3600000
            << LockState::StuckNoTtl;
        QTest::newRow("an orphaned lock stays orphaned")
            << Format::SetNxPx << LockState::Orphaned << 5000 << 0 << 0 << 1000 << 4500
            << LockState::Orphaned;
    }
    void timeChangesTheState() {
        QFETCH(Format, format);
        QFETCH(LockState, observed);
        QFETCH(int, ttlMs);
        QFETCH(int, expiresInMs);
        QFETCH(int, periodMs);
        QFETCH(int, beforeMs);
        QFETCH(int, afterMs);
        QFETCH(LockState, then);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        KeyRecord r = lock("lock", clock, ttlMs, "holder", format);
        r.state = observed;
        r.periodMs = periodMs;
        if (format == Format::SetnxGetset) r.number = clock.wallMillis() + expiresInMs;
        store.apply(0, 1, std::move(r));
        store.takeChanged(100);

        clock.advance(milliseconds(beforeMs));
        store.refreshTimeStates();
        QCOMPARE(store.find("lock")->state, observed);
        QCOMPARE(store.queuedChanges(), size_t(0));  // a countdown is no news

        clock.advance(milliseconds(afterMs - beforeMs));
        store.refreshTimeStates();
        QCOMPARE(store.find("lock")->state, then);
        const auto changed = store.takeChanged(100);
        if (then == observed) {
            QVERIFY(changed.empty());
        } else {
            QCOMPARE(keysOf(changed), std::vector<std::string>{"lock"});
            QCOMPARE(changed.front().state, then);
        }
    }

    // Between the passes over everything (every 30 s) only the scheduled records are visited: each
    // time-based state must turn on time there, by the same deadline rule refreshState() applies
    // (a rule the scheduling missed would wait for the next pass over everything).
    void incrementalRefreshTurnsEachTimeState_data() {
        QTest::addColumn<Format>("format");
        QTest::addColumn<int>("ttlMs");
        QTest::addColumn<int>("expiresInMs");  // timestamp formats: stored expiry minus wall time
        QTest::addColumn<int>("periodMs");     // heartbeats (0: not measured yet)
        QTest::addColumn<int>("beatAgoMs");    // heartbeats: the last beat before the observation
        QTest::addColumn<int>("atMs");         // the state turns this long after the observation
        QTest::addColumn<LockState>("then");
        QTest::newRow("expiring: SET NX PX lease")
            << Format::SetNxPx << 5000 << 0 << 0 << 0 << 4001 << LockState::Expiring;
        QTest::newRow("expiring: Redisson lease")
            << Format::RedissonLock << 25000 << 0 << 0 << 0 << 24001 << LockState::Expiring;
        QTest::newRow("expired-timestamp: setnx-getset")
            << Format::SetnxGetset << -1 << 2000 << 0 << 0 << 2000 << LockState::ExpiredTimestamp;
        QTest::newRow("expired-timestamp: expiry timestamp")
            << Format::ExpiryTimestamp << -1 << 12000 << 0 << 0 << 12000
            << LockState::ExpiredTimestamp;
        // Without a TTL: with one the TTL decides (adv11d item 5).
        QTest::newRow("expired-timestamp: node redis-lock")
            << Format::NodeRedisLock << -1 << 7000 << 0 << 0 << 7000 << LockState::ExpiredTimestamp;
        QTest::newRow("heartbeat-stale: heartbeat")
            << Format::Heartbeat << 30000 << 0 << 4000 << 0 << 6001 << LockState::HeartbeatStale;
        QTest::newRow("heartbeat-stale: beating counter")
            << Format::HeartbeatCounter << -1 << 0 << 3000 << 0 << 9001
            << LockState::HeartbeatStale;
        QTest::newRow("heartbeat-stale: counter, period not measured")
            << Format::HeartbeatCounter << -1 << 0 << 0 << 45000 << 15001
            << LockState::HeartbeatStale;
    }
    void incrementalRefreshTurnsEachTimeState() {
        QFETCH(Format, format);
        QFETCH(int, ttlMs);
        QFETCH(int, expiresInMs);
        QFETCH(int, periodMs);
        QFETCH(int, beatAgoMs);
        QFETCH(int, atMs);
        QFETCH(LockState, then);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        KeyRecord r = lock("lock", clock, ttlMs, "holder", format);
        r.periodMs = periodMs;
        r.lastChange -= milliseconds(beatAgoMs);
        if (expiresInMs > 0) r.number = clock.wallMillis() + expiresInMs;
        store.apply(0, 1, std::move(r));
        store.refreshTimeStates();  // the pass over everything; the next is 30 s away
        QCOMPARE(store.find("lock")->state, LockState::Held);
        store.takeChanged(100);

        clock.advance(milliseconds(atMs - 1));
        store.refreshTimeStates();
        QCOMPARE(store.find("lock")->state, LockState::Held);
        clock.advance(1ms);
        store.refreshTimeStates();
        QCOMPARE(store.find("lock")->state, then);
        const auto changed = store.takeChanged(100);
        QCOMPARE(keysOf(changed), std::vector<std::string>{"lock"});
        QCOMPARE(changed.front().state, then);
    }

    // The passes visit only what may change within a minute, plus everything every 30 s: a lease
    // first seen far from running low, or a clock that jumped, still turns `expiring` on time.
    void leaseBeyondTheHorizonTurnsExpiring_data() {
        QTest::addColumn<int>("stepMs");  // how often the engine asks (it asks every 500 ms)
        QTest::newRow("every 500 ms") << 500;
        QTest::newRow("every 7 s") << 7000;
        QTest::newRow("once, after 89.5 s") << 89500;
    }
    void leaseBeyondTheHorizonTurnsExpiring() {
        QFETCH(int, stepMs);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        for (int i = 0; i < 1000; ++i)  // hour-long leases: not visited but every 30 s
            store.apply(0, 1, lock("long:" + std::to_string(i), clock, 3600'000));
        store.apply(0, 1, lock("lease", clock, 90'000));  // expiring from 89 s on
        store.apply(0, 1, lock("short", clock, 1'500));   // expiring from 0.5 s on
        store.takeChanged(2000);
        int elapsed = 0;
        while (elapsed < 89'500) {
            const int step = std::min(stepMs, 89'500 - elapsed);
            clock.advance(milliseconds(step));
            elapsed += step;
            store.refreshTimeStates();
            const auto changed = store.takeChanged(2000);
            const auto* lease = store.find("lease");
            QCOMPARE(lease->state, elapsed > 89'000 ? LockState::Expiring : LockState::Held);
            QCOMPARE(store.find("short")->state,
                     elapsed > 500 ? LockState::Expiring : LockState::Held);
            for (const auto& r : changed) QVERIFY2(r.key.rfind("long:", 0) != 0, r.key.c_str());
        }
        QCOMPARE(store.find("long:7")->state, LockState::Held);
    }

    // The counts are kept as records change (no pass over the store): after any sequence of
    // observations, scans, unreadable nodes and time, they are what a count of the records says.
    void countsFollowEveryChange_data() {
        QTest::addColumn<int>("layout");
        QTest::newRow("per node") << int(KeyStore::Layout::PerNode);
        QTest::newRow("Redlock group of 3") << int(KeyStore::Layout::Group);
    }
    void countsFollowEveryChange() {
        QFETCH(int, layout);
        ManualClock clock;
        const auto kind = KeyStore::Layout(layout);
        const int nodes = kind == KeyStore::Layout::Group ? 3 : 1;
        KeyStore store(kind, size_t(nodes), options(), &clock);
        std::uint32_t seed = 12345;
        auto next = [&](std::uint32_t n) {
            seed = seed * 1103515245u + 12345u;
            return (seed >> 8) % n;
        };
        std::vector<std::uint32_t> epoch(size_t(nodes), 1);
        const long long kTtls[] = {-1, 1500, 4000, 60000};
        for (int step = 0; step < 4000; ++step) {
            const int node = int(next(std::uint32_t(nodes)));
            const std::string key = "k" + std::to_string(next(60));
            switch (next(10)) {
                case 0:
                case 1:
                case 2:
                    store.apply(node, epoch[size_t(node)],
                                lock(key, clock, kTtls[next(4)], std::string(next(2) ? "a" : "b")));
                    break;
                case 3:
                case 4:
                    store.apply(node, epoch[size_t(node)], counter(key, clock, next(5)));
                    break;
                case 5:
                    store.apply(node, epoch[size_t(node)], gone(key, clock));
                    break;
                case 6: {
                    KeyRecord r;
                    r.key = key;
                    r.stale = next(2) ? Staleness::ClusterDown : Staleness::Busy;
                    r.observedAt = clock.steadyNow();
                    store.apply(node, epoch[size_t(node)], std::move(r));
                    break;
                }
                case 7:
                    store.scanDone(node, epoch[size_t(node)]++);
                    break;
                case 8:
                    if (next(4) == 0) store.markNodeStale(node, Staleness::Unreachable);
                    break;
                default:
                    clock.advance(milliseconds(next(2500)));
            }
            if (step % 7 != 0) continue;
            const auto counts = store.refreshTimeStates();
            KeyStore::Counts want;
            for (const auto& r : store.snapshot()) {
                ++want.keys;
                if (r.isLock())
                    ++want.locks;
                else if (r.isCounter())
                    ++want.counters;
                if (r.isStale()) ++want.stale;
            }
            QCOMPARE(counts.keys, want.keys);
            QCOMPARE(counts.locks, want.locks);
            QCOMPARE(counts.counters, want.counters);
            QCOMPARE(counts.stale, want.stale);
            store.takeChanged(1000);
            store.takeRemoved();
        }
    }

    // ---- which observations are news ---------------------------------------------------------

    void onlyNoticeableChangesAreQueued_data() {
        QTest::addColumn<int>("ttlMs");  // observed 2 s after a 10 s TTL was seen
        QTest::addColumn<QString>("holder");
        QTest::addColumn<bool>("queued");
        QTest::newRow("TTL counting down") << 8000 << "a" << false;
        QTest::newRow("TTL 50 ms off the countdown") << 7950 << "a" << false;
        QTest::newRow("TTL extended") << 10000 << "a" << true;
        QTest::newRow("TTL cut short") << 3000 << "a" << true;
        QTest::newRow("TTL removed") << -1 << "a" << true;
        QTest::newRow("another holder") << 8000 << "b" << true;
    }
    void onlyNoticeableChangesAreQueued() {
        QFETCH(int, ttlMs);
        QFETCH(QString, holder);
        QFETCH(bool, queued);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("lock", clock, 10000, "a"));
        store.takeChanged(100);
        clock.advance(2000ms);
        store.apply(0, 1, lock("lock", clock, ttlMs, holder.toStdString()));
        QCOMPARE(!store.takeChanged(100).empty(), queued);
        // Either way the store holds the newest observation.
        QCOMPARE(store.find("lock")->ttlMs, static_cast<long long>(ttlMs));
        QCOMPARE(store.find("lock")->holder, holder.toStdString());
    }

    // A read-write lock's writers waiting (a semaphore's leases that ran out) can grow while
    // holder and TTL stay: the dashboard must hear of it.
    void aWaiterJoiningIsNews() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("rw", clock, 10000, "a", Format::ReadWrite));
        store.takeChanged(100);
        clock.advance(2000ms);
        auto queued = lock("rw", clock, 8000, "a", Format::ReadWrite);
        queued.queued = 2;
        store.apply(0, 1, std::move(queued));
        QCOMPARE(store.takeChanged(100).size(), size_t(1));
        QCOMPARE(store.find("rw")->queued, std::int16_t(2));
    }

    void changesGoOutInChunksOncePerKey() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        for (const char* k : {"a", "b", "c", "d", "e"}) store.apply(0, 1, counter(k, clock, 1));
        store.apply(0, 1, counter("a", clock, 2));  // queued already: not twice
        QCOMPARE(store.queuedChanges(), size_t(5));
        QCOMPARE(keysOf(store.takeChanged(2)), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(keysOf(store.takeChanged(2)), (std::vector<std::string>{"c", "d"}));
        QCOMPARE(keysOf(store.takeChanged(2)), (std::vector<std::string>{"e"}));
        QCOMPARE(store.queuedChanges(), size_t(0));
        QCOMPARE(store.snapshot().size(), size_t(5));
    }

    // Issue 16.7: a counter reset (DEL, then INCR) or a lock deleted and taken again within one
    // publish window goes out once, as changed — never also as removed, which a viewer applying
    // the two lists in either order could take for the last word.
    void keyRecreatedWithinOneWindowGoesOutAsChangedOnly_data() {
        QTest::addColumn<bool>("isLock");
        QTest::newRow("counter reset") << false;
        QTest::newRow("lock retaken") << true;
    }
    void keyRecreatedWithinOneWindowGoesOutAsChangedOnly() {
        QFETCH(bool, isLock);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        auto fresh = [&](long long n) {
            return isLock ? lock("k", clock, 60000, "holder-" + std::to_string(n))
                          : counter("k", clock, n);
        };
        store.apply(0, 1, fresh(5));
        store.scanDone(0, 1);
        store.takeChanged(100);
        store.takeRemoved();
        // Gone (a counter is removed at once; a lock lingers as free, then is removed) ...
        store.apply(0, 1, gone("k", clock));
        if (isLock) {
            clock.advance(options().freeLinger);
            store.refreshTimeStates();
        }
        QVERIFY(!store.find("k"));
        // ... and back before the next publish.
        clock.advance(30ms);
        store.apply(0, 1, fresh(1));
        const auto changed = store.takeChanged(100);
        const auto removed = store.takeRemoved();
        QCOMPARE(keysOf(changed), std::vector<std::string>{"k"});
        QVERIFY2(removed.empty(), "the key is tracked again: it must not go out as removed");
        if (isLock)
            QCOMPARE(changed.front().holder, std::string("holder-1"));
        else
            QCOMPARE(changed.front().number, 1LL);
    }

    // Issue 18.1: a key that cannot be read keeps its last known state, flagged with the reason;
    // a fresh read clears the flag. Never free, never removed on an error.
    void unreadableKeyKeepsItsLastStateMarkedStale_data() {
        QTest::addColumn<bool>("wholeNode");
        QTest::newRow("one key answered CLUSTERDOWN") << false;
        QTest::newRow("the node's connection is lost") << true;
    }
    void unreadableKeyKeepsItsLastStateMarkedStale() {
        QFETCH(bool, wholeNode);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("lock", clock, 60000, "alice"));
        store.apply(0, 1, counter("hits", clock, 9));
        store.scanDone(0, 1);
        store.takeChanged(100);
        clock.advance(100ms);
        if (wholeNode) {
            store.markNodeStale(0, Staleness::Unreachable);
        } else {
            // Listed by the next scan, but unreadable: the scan's end does not take them for gone.
            for (const char* k : {"lock", "hits"}) {
                KeyRecord r;
                r.key = k;
                r.stale = Staleness::ClusterDown;
                r.observedAt = clock.steadyNow();
                store.apply(0, 2, std::move(r));
            }
            store.scanDone(0, 2);
        }
        const auto why = wholeNode ? Staleness::Unreachable : Staleness::ClusterDown;
        QVERIFY(store.takeRemoved().empty());
        const auto changed = store.takeChanged(100);
        QCOMPARE(changed.size(), size_t(2));  // the flag is news for a viewer
        for (const auto& r : changed) QCOMPARE(r.stale, why);
        QCOMPARE(store.find("lock")->state, LockState::Held);
        QCOMPARE(store.find("lock")->holder, std::string("alice"));
        QCOMPARE(store.find("hits")->number, 9LL);
        QCOMPARE(store.refreshTimeStates().stale, size_t(2));
        // Readable again: fresh.
        store.apply(0, 3, lock("lock", clock, 59900, "alice"));
        QCOMPARE(store.find("lock")->stale, Staleness::Fresh);
        QCOMPARE(store.refreshTimeStates().stale, size_t(1));
    }

    // Issue 18 (found by the failover tester): kill -9 of a Sentinel master marks its locks
    // stale (unreachable); the promoted replica's scan then does not list one (it never
    // replicated). Free is the answering node's word: the record is not "free" and "stale" at once.
    void lockGoneAfterTheNodeCameBackIsNotStale_data() {
        QTest::addColumn<bool>("byScan");
        QTest::newRow("a scan that no longer lists it") << true;
        QTest::newRow("a read that finds it gone") << false;
    }
    void lockGoneAfterTheNodeCameBackIsNotStale() {
        QFETCH(bool, byScan);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("lock", clock, 60000, "alice"));
        store.scanDone(0, 1);
        store.markNodeStale(0, Staleness::Unreachable);
        QCOMPARE(store.find("lock")->stale, Staleness::Unreachable);
        store.takeChanged(100);
        clock.advance(2000ms);
        if (byScan)
            store.scanDone(0, 2);
        else
            store.apply(0, 2, gone("lock", clock));
        QCOMPARE(store.find("lock")->state, LockState::Free);
        QCOMPARE(store.find("lock")->stale, Staleness::Fresh);
        const auto changed = store.takeChanged(100);
        QCOMPARE(changed.size(), size_t(1));
        QCOMPARE(changed[0].stale, Staleness::Fresh);
        QCOMPARE(store.refreshTimeStates().stale, size_t(0));
    }

    // Issue 18.6: a node's records queued again (its address changed in a failover), so a viewer
    // gets each with its node once more.
    void requeueNodeRepublishesItsRecords() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, lock("a", clock, 60000));
        store.apply(1, 1, lock("b", clock, 60000));
        store.takeChanged(100);
        store.requeueNode(0);
        QCOMPARE(keysOf(store.takeChanged(100)), std::vector<std::string>{"a"});
    }

    // ---- a Redlock group: one record per key, merged over the nodes --------------------------

    void groupMerge_data() {
        QTest::addColumn<QStringList>("holders");  // per node; "" = the node does not have it
        QTest::addColumn<QString>("holder");       // merged; "" = not tracked
        QTest::addColumn<int>("holding");
        QTest::addColumn<LockState>("state");
        QTest::newRow("all nodes agree")
            << QStringList{"a", "a", "a"} << "a" << 3 << LockState::Held;
        QTest::newRow("a majority") << QStringList{"a", "", "a"} << "a" << 2 << LockState::Held;
        QTest::newRow("a minority") << QStringList{"", "b", ""} << "b" << 1 << LockState::Held;
        QTest::newRow("nodes disagree")
            << QStringList{"a", "b", "a"} << "a" << 2 << LockState::Split;
        QTest::newRow("no node has it") << QStringList{"", "", ""} << "" << 0 << LockState::Held;
    }
    void groupMerge() {
        QFETCH(QStringList, holders);
        QFETCH(QString, holder);
        QFETCH(int, holding);
        QFETCH(LockState, state);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::Group, 3, options(), &clock);
        for (int node = 0; node < 3; ++node) {
            const std::string h = holders[node].toStdString();
            store.apply(node, 1, h.empty() ? gone("lock", clock) : lock("lock", clock, 10000, h));
        }
        const auto changed = store.takeChanged(100);
        if (holder.isEmpty()) {
            QVERIFY(!store.find("lock"));
            QVERIFY(changed.empty());
            return;
        }
        QCOMPARE(changed.size(), size_t(1));  // one record for the group, not one per node
        const KeyRecord& r = changed.front();
        QCOMPARE(r.holder, holder.toStdString());
        QCOMPARE(int(r.nodesHolding), holding);
        QCOMPARE(int(r.nodesTotal), 3);
        QCOMPARE(r.state, state);
    }

    void groupNodesDropOutOneScanAtATime() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::Group, 3, options(), &clock);
        for (int node = 0; node < 3; ++node) store.apply(node, 1, lock("lock", clock, 10000, "a"));
        store.apply(2, 1, lock("lock", clock, 10000, "b"));  // node 2 changed its mind
        QCOMPARE(store.find("lock")->state, LockState::Split);
        store.takeChanged(100);

        clock.advance(100ms);
        store.apply(0, 2, lock("lock", clock, 9900, "a"));
        store.apply(1, 2, lock("lock", clock, 9900, "a"));
        store.scanDone(0, 2);
        store.scanDone(1, 2);
        store.scanDone(2, 2);  // node 2's scan no longer finds it: the split heals
        auto changed = store.takeChanged(100);
        QCOMPARE(changed.size(), size_t(1));
        QCOMPARE(changed.front().state, LockState::Held);
        QCOMPARE(int(changed.front().nodesHolding), 2);

        store.scanDone(0, 3);
        QCOMPARE(int(store.find("lock")->nodesHolding), 1);
        store.scanDone(1, 3);  // the last copy: the lock is free, then lingers
        QCOMPARE(store.find("lock")->state, LockState::Free);
        clock.advance(options().freeLinger);
        store.refreshTimeStates();
        QVERIFY(!store.find("lock"));
        QCOMPARE(store.takeRemoved(), std::vector<std::string>{"lock"});
    }

    // ---- a cluster: a node's word counts for the slots it serves ------------------------------

    void clusterNodeSpeaksForItsSlotsOnly_data() {
        QTest::addColumn<bool>("stillServed");
        QTest::addColumn<bool>("byScan");
        QTest::addColumn<bool>("tracked");
        QTest::newRow("scan of the serving node misses it") << true << true << false;
        QTest::newRow("serving node reports it gone") << true << false << false;
        QTest::newRow("scan of a node that lost the slot") << false << true << true;
        QTest::newRow("a node that lost the slot reports it gone") << false << false << true;
    }
    void clusterNodeSpeaksForItsSlotsOnly() {
        QFETCH(bool, stillServed);
        QFETCH(bool, byScan);
        QFETCH(bool, tracked);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::Cluster, 0, options(), &clock);
        store.setServedSlots(0, {{0, redis::kClusterSlots - 1}});
        store.setServedSlots(1, {});
        store.apply(0, 1, counter("jobs", clock, 5));
        QCOMPARE(int(store.find("jobs")->node), 0);
        store.takeChanged(100);
        if (!stillServed) {  // resharded to node 1
            store.setServedSlots(0, {});
            store.setServedSlots(1, {{0, redis::kClusterSlots - 1}});
        }
        if (byScan)
            store.scanDone(0, 2);
        else
            store.apply(0, 2, gone("jobs", clock));
        QCOMPARE(store.find("jobs") != nullptr, tracked);
        QCOMPARE(store.takeRemoved().empty(), tracked);
    }

    void keyThatMovedBelongsToItsNewNode() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::Cluster, 0, options(), &clock);
        store.setServedSlots(0, {{0, redis::kClusterSlots - 1}});
        store.setServedSlots(1, {{0, redis::kClusterSlots - 1}});  // mid-migration: both claim
        store.apply(0, 1, lock("lock", clock, 60000));
        store.apply(1, 1, lock("lock", clock, 60000));  // found on its new node
        QCOMPARE(int(store.find("lock")->node), 1);
        QCOMPARE(keysOf(store.takeChanged(100)), std::vector<std::string>{"lock"});
        store.apply(0, 2, gone("lock", clock));  // the old node's word is stale
        store.scanDone(0, 2);
        QCOMPARE(store.find("lock")->state, LockState::Held);
        store.retire(0);  // nor does retiring the old node take it along
        QCOMPARE(store.find("lock")->state, LockState::Held);
        store.retire(1);  // everything still filed under a retired node goes
        QCOMPARE(store.find("lock")->state, LockState::Free);
    }

    // ---- counter rates ---------------------------------------------------------------------

    void counterRate_data() {
        QTest::addColumn<int>("perSecond");
        QTest::addColumn<int>("everyMs");
        QTest::newRow("100/s seen every 200 ms") << 100 << 200;
        QTest::newRow("5000/s seen every 100 ms") << 5000 << 100;
        QTest::newRow("2/s seen every second") << 2 << 1000;
    }
    void counterRate() {
        QFETCH(int, perSecond);
        QFETCH(int, everyMs);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.apply(0, 1, counter("hits", clock, 0));
        store.refreshRates(true);
        QCOMPARE(store.find("hits")->ratePerSecond, 0.0f);  // one value: no rate yet
        QVERIFY(store.history("hits").empty());
        store.takeChanged(100);

        long long value = 0;
        for (int ms = everyMs; ms <= 4000; ms += everyMs) {
            clock.advance(milliseconds(everyMs));
            value = static_cast<long long>(perSecond) * ms / 1000;
            store.apply(0, 1, counter("hits", clock, value));
        }
        store.takeChanged(100);
        store.refreshRates(true);
        const float rate = store.find("hits")->ratePerSecond;
        QVERIFY2(std::abs(rate - perSecond) <= 0.05 * perSecond, qPrintable(QString::number(rate)));
        const auto changed = store.takeChanged(100);  // the new rate is news
        QCOMPARE(keysOf(changed), std::vector<std::string>{"hits"});
        QCOMPARE(changed.front().ratePerSecond, rate);
        QCOMPARE(store.history("hits").size(), size_t(1));
        QCOMPARE(store.history("hits").front().wallMs, clock.wallMillis());
        store.refreshRates(false);  // no history point asked for
        QCOMPARE(store.history("hits").size(), size_t(1));

        // It stops: the rate decays to 0 within a window and says so once.
        clock.advance(options().rateWindow + 1ms);
        store.refreshRates(true);
        QCOMPARE(store.find("hits")->ratePerSecond, 0.0f);
        QCOMPARE(keysOf(store.takeChanged(100)), std::vector<std::string>{"hits"});
        clock.advance(1000ms);
        store.refreshRates(true);
        store.refreshRates(true);
        QCOMPARE(store.queuedChanges(), size_t(0));
        QCOMPARE(store.history("hits").size(), size_t(3));  // the last point is the stop: 0/s
        QCOMPARE(store.history("hits").back().perSecond, 0.0);
        // After that it leaves the refresh set: its history stops growing.
        store.refreshRates(true);
        QCOMPARE(store.history("hits").size(), size_t(3));
        QVERIFY(findIn(store.snapshot(), "hits"));
    }

    // Issue 11.3: seed 001's heartbeat — `SETNX mylock 1`, then `INCR mylock` every second. The
    // bare integer is a flag (stuck: no TTL) until it goes up; then a heartbeat whose period is
    // measured from the increments, `held` while it beats and `heartbeat-stale` after 3 missed
    // beats; a takeover (GETSET mylock 1) keeps it a heartbeat.
    // Issue 11 round 5 (3): the server's word decides how a held lock went — each `expired`
    // event is a lease that ran out (however late a loaded machine reads it), a `del` never is;
    // a read sent before the key was seen gone does not bring it back (a phantom hold whose
    // "expiry" would count twice).
    void expiryByTheServersWord() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 0, options(), &clock);
        store.scanDone(0, 1);  // inventoried: later locks are acquisitions
        auto held = [&](const std::string& k) { store.apply(0, 1, lock(k, clock, 5000)); };
        // TTL 5 s read, gone 1 s later: by the TTL a release — but the server said `expired`
        // (the read's TTL was stamped late: what was left was less).
        held("a");
        clock.advance(1000ms);
        auto expired = gone("a", clock);
        expired.expiredEvents = 1;
        store.apply(0, 1, std::move(expired));
        QCOMPARE(store.lockStats("a")->expiredWhileHeld, 1LL);
        // Gone by a `del` just as its TTL ran out: a release.
        held("b");
        clock.advance(5000ms);
        auto deleted = gone("b", clock);
        deleted.expiredEvents = 0;
        store.apply(0, 1, std::move(deleted));
        const auto* b = store.lockStats("b");
        QVERIFY(!b || b->expiredWhileHeld == 0);
        // No word from the server (a read found it gone): the TTL decides.
        held("c");
        clock.advance(5100ms);
        store.apply(0, 1, gone("c", clock));
        QCOMPARE(store.lockStats("c")->expiredWhileHeld, 1LL);
        // A read sent before "c" was found gone arrives after: dropped, not a new hold.
        auto late = lock("c", clock, 80);
        late.observedAt = clock.steadyNow() - 300ms;
        store.apply(0, 1, std::move(late));
        QCOMPARE(store.find("c")->state, LockState::Free);
        clock.advance(1000ms);
        store.apply(0, 1, gone("c", clock));
        QCOMPARE(store.lockStats("c")->expiredWhileHeld, 1LL);
        QCOMPARE(store.lockStats("c")->acquisitions, 1LL);
    }

    void seed001HeartbeatFromLiveBeats() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        auto observe = [&](const std::string& value) {
            Observation o;
            o.key = "mylock";
            o.type = "string";
            o.value = value;
            o.length = static_cast<long long>(value.size());
            o.pttlMs = -1;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            store.apply(0, 1, classify(o, ctx));
            return *store.find("mylock");
        };
        KeyState s = observe("1");
        QCOMPARE(s.format, Format::Flag);
        QCOMPARE(s.state, LockState::StuckNoTtl);
        for (int beat = 2; beat <= 6; ++beat) {
            clock.advance(1000ms);
            s = observe(std::to_string(beat));
            QCOMPARE(s.format, Format::HeartbeatCounter);
            QCOMPARE(s.state, LockState::Held);
        }
        QCOMPARE(s.periodMs, 1000);
        // Two beats seen in one inspection (coalesced events): the period stays per beat.
        clock.advance(2000ms);
        s = observe("8");
        QCOMPARE(s.periodMs, 1000);
        QVERIFY(QString::fromStdString(why(KeyRecord(s, "mylock"))).contains("goes up every"));
        // Stopped: still held within 3 periods, stale after.
        clock.advance(2900ms);
        store.refreshTimeStates();
        QCOMPARE(store.find("mylock")->state, LockState::Held);
        clock.advance(200ms);
        store.refreshTimeStates();
        QCOMPARE(store.find("mylock")->state, LockState::HeartbeatStale);
        // A rescan of the same value does not bring it back to life.
        s = observe("8");
        QCOMPARE(s.state, LockState::HeartbeatStale);
        // Taken over (GETSET mylock 1): a heartbeat again, beating from 1.
        clock.advance(500ms);
        s = observe("1");
        QCOMPARE(s.format, Format::HeartbeatCounter);
        QCOMPARE(s.state, LockState::Held);
    }

    // adv11c item 6: with notifications on, the takeover's GETSET is a `set` event — a value a
    // `set` wrote is a new holder's, yet a beating heartbeat reset to 1 is a heartbeat still
    // (not a flag stuck without a TTL until the next beat), and the takeover is counted.
    void heartbeatTakenOverBySetEvent() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        auto observe = [&](const std::string& value, bool written) {
            Observation o;
            o.key = "mylock";
            o.type = "string";
            o.value = value;
            o.length = static_cast<long long>(value.size());
            o.pttlMs = -1;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            ctx.changeSeen = true;
            KeyRecord r = classify(o, ctx);
            r.readOnNotification = true;
            r.reset = written;  // a `set` event named it (SETNX, GETSET); INCR is `incrby`
            store.apply(0, 1, std::move(r));
            return *store.find("mylock");
        };
        KeyState s = observe("1", true);
        for (int beat = 2; beat <= 6; ++beat) {
            clock.advance(1000ms);
            s = observe(std::to_string(beat), false);
        }
        QCOMPARE(s.format, Format::HeartbeatCounter);
        clock.advance(300ms);
        s = observe("1", true);  // GETSET mylock 1
        QCOMPARE(s.format, Format::HeartbeatCounter);
        QCOMPARE(s.state, LockState::Held);
        QCOMPARE(store.lockStats("mylock")->takeovers, 1LL);
        clock.advance(1000ms);
        s = observe("2", false);
        QCOMPARE(s.format, Format::HeartbeatCounter);
        QCOMPARE(s.state, LockState::Held);
    }

    // adv11c item 9: a 1 s beater paused for 8 s, then beating again — the pause is a stale
    // spell, not a period sample: the jitter stays that of the beats (it read 947 ms). Three
    // long intervals in a row are a new period.
    void heartbeatPauseIsNoJitter() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        long long value = 0;
        auto beat = [&](milliseconds after) {
            clock.advance(after);
            Observation o;
            o.key = "mylock";
            o.type = "string";
            o.value = std::to_string(++value);
            o.length = static_cast<long long>(o.value.size());
            o.pttlMs = -1;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            ctx.changeSeen = true;
            KeyRecord r = classify(o, ctx);
            r.readOnNotification = true;
            store.apply(0, 1, std::move(r));
        };
        beat(0ms);
        for (int i = 0; i < 6; ++i) beat(i % 2 ? 1020ms : 1000ms);
        beat(8000ms);  // paused
        for (int i = 0; i < 4; ++i) beat(i % 2 ? 1020ms : 1000ms);
        const auto* s = store.lockStats("mylock");
        QVERIFY(s);
        QVERIFY2(s->beatPeriodMs >= 1000 && s->beatPeriodMs <= 1020,
                 qPrintable(QString::number(s->beatPeriodMs)));
        QVERIFY2(s->beatJitterMs <= 20, qPrintable(QString::number(s->beatJitterMs)));
        // Slowed down for good: three 5 s intervals in a row make the period 5 s.
        for (int i = 0; i < 3; ++i) beat(5000ms);
        QCOMPARE(store.lockStats("mylock")->beatPeriodMs, 5000);
        QCOMPARE(store.lockStats("mylock")->beatJitterMs, 0);
    }

    // adv11c item 9: the first period estimates — a 1010 ms beater whose third beat was read
    // 400 ms late (a loaded machine): the next beat is on time, so the period after two
    // intervals is still 1010 ms (the median of two took the late one: 1410).
    void heartbeatFirstPeriodIsTrue() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        long long value = 0;
        auto beat = [&](milliseconds after) {
            clock.advance(after);
            Observation o;
            o.key = "mylock";
            o.type = "string";
            o.value = std::to_string(++value);
            o.length = static_cast<long long>(o.value.size());
            o.pttlMs = -1;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            ctx.changeSeen = true;
            KeyRecord r = classify(o, ctx);
            r.readOnNotification = true;
            store.apply(0, 1, std::move(r));
        };
        beat(0ms);     // SETNX mylock 1
        beat(1010ms);  // 2: a heartbeat from here
        beat(1410ms);  // 3, read 400 ms late
        beat(610ms);   // 4, on time
        const auto* s = store.lockStats("mylock");
        QVERIFY(s);
        QCOMPARE(s->beatPeriodMs, 1010);
        QCOMPARE(store.find("mylock")->periodMs, 1010);
    }

    // adv11c item 7: a JSON lock whose token changes under the same owner was taken again (by
    // another thread or process on that host): a takeover, not a renewal; a renew time moving
    // under the same owner and token stays a renewal.
    void jsonTokenChangeIsATakeover() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        auto observe = [&](const std::string& value) {
            Observation o;
            o.key = "lock:tok";
            o.type = "string";
            o.value = value;
            o.length = static_cast<long long>(value.size());
            o.pttlMs = 30000;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            ctx.changeSeen = true;
            KeyRecord r = classify(o, ctx);
            r.readOnNotification = true;
            store.apply(0, 1, std::move(r));
            return *store.find("lock:tok");
        };
        KeyState s = observe(R"({"owner":"web-1","token":"aaaa1111","renewTime":1})");
        QCOMPARE(s.format, Format::JsonOwner);
        clock.advance(1000ms);
        observe(R"({"owner":"web-1","token":"aaaa1111","renewTime":2})");  // renewed
        QCOMPARE(store.lockStats("lock:tok")->acquisitions, 1LL);
        QCOMPARE(store.lockStats("lock:tok")->takeovers, 0LL);
        clock.advance(2000ms);
        s = observe(R"({"owner":"web-1","token":"bbbb2222","renewTime":3})");
        QCOMPARE(store.lockStats("lock:tok")->takeovers, 1LL);
        QCOMPARE(store.lockStats("lock:tok")->acquisitions, 2LL);
        QCOMPARE(s.lastChange, clock.steadyNow());  // its age starts at the new token
    }

    // Issue 11, tester's round: OBJECT IDLETIME is no evidence of a heartbeat's liveness — for a
    // shared integer (0-9999) Redis reports the shared object's idle time, and any read (ours
    // too) resets it. A process id is not a heartbeat until seen going up; liveness then comes
    // from the values our own reads saw over time.
    void heartbeatLivenessFromOurOwnReads() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        auto observe = [&](const std::string& value, long long idleSeconds) {
            Observation o;
            o.key = "mylock";
            o.type = "string";
            o.value = value;
            o.length = static_cast<long long>(value.size());
            o.pttlMs = -1;
            o.idleSeconds = idleSeconds;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            store.apply(0, 1, classify(o, ctx));
            return *store.find("mylock");
        };
        // First sight, the shared integer idle for an hour: without a TTL it may be stuck or
        // beating — `unknown` (issue 11 round 6), its age unknown.
        KeyState s = observe("57", 3600);
        QCOMPARE(s.format, Format::Identity);
        QCOMPARE(s.state, LockState::Unknown);
        QCOMPARE(s.lastChange, clock.steadyNow());
        // Unchanged for two minutes (a process id): never stale, never a heartbeat — and, watched
        // that long without moving, no heartbeat at all: stuck without a TTL (issue 11, session 7
        // adversarial item 8; it was left `unknown`).
        clock.advance(120s);
        store.refreshTimeStates();
        s = observe("57", 0);
        QCOMPARE(s.format, Format::Identity);
        QCOMPARE(s.state, LockState::StuckNoTtl);
        // What two minutes show, and no more (adv11d item 9: "a process id, not a heartbeat"
        // after 2.4 s of a 5 s beat).
        const auto said = why(KeyRecord(s, "mylock"));
        QVERIFY2(said.find("unchanged for 120.0 s") != std::string::npos &&
                     said.find("a heartbeat slower than that") != std::string::npos,
                 said.c_str());
        // Another process took it (a lower pid): a handover, not a beat.
        clock.advance(1s);
        s = observe("31", 0);
        QCOMPARE(s.format, Format::Identity);
        QCOMPARE(s.lastChange, clock.steadyNow());
        // Going up is a beat: a heartbeat, live while our reads see it move, though Redis says
        // the shared integer has been idle for an hour each time.
        for (int beat = 32; beat <= 36; ++beat) {
            clock.advance(1000ms);
            s = observe(std::to_string(beat), 3600);
            QCOMPARE(s.format, Format::HeartbeatCounter);
            QCOMPARE(s.state, LockState::Held);
        }
        // Stopped: our reads reset IDLETIME to 0, yet it goes stale after 3 missed beats.
        for (int i = 0; i < 4; ++i) {
            clock.advance(1000ms);
            s = observe("36", 0);
        }
        store.refreshTimeStates();
        QCOMPARE(store.find("mylock")->state, LockState::HeartbeatStale);
    }
    // adv11d item 4: on a large server the first sweep takes minutes; meanwhile notifications
    // name keys it has not reached. A holder renewing a lock it took before LockScope started
    // (`SET … XX` of the same value, PEXPIRE, an INCR beat) is no acquisition, and the age from
    // that read is a lower bound — not "exact since LockScope started". Only a key the server
    // says was created (a `new` event, or a release before) starts a counted hold then; once the
    // first sweep is done, a key it did not list is new.
    void renewalsDuringTheFirstSweepAreNoAcquisitions() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        auto notified = [&](const std::string& key, bool setEvent, bool created) {
            KeyRecord r = lock(key, clock, 60000, "web-1", Format::Identity);
            r.ageExact = true;  // classify() with changeSeen: a notification's read
            r.readOnNotification = true;
            r.reset = setEvent;
            r.created = created;
            store.apply(0, 1, std::move(r));
        };
        clock.advance(20s);
        notified("lock:pre:renew", true, false);  // SET lock:pre:renew web-1 XX EX 60
        notified("lock:pre:pexp", false, false);  // PEXPIRE
        for (const char* k : {"lock:pre:renew", "lock:pre:pexp"}) {
            const auto* s = store.lockStats(k);
            QVERIFY2(!s || s->acquisitions == 0, k);
            QVERIFY2(!store.find(k)->ageExact, k);
        }
        // Renewed again two seconds later: the same hold, its age from the first read on.
        clock.advance(2s);
        notified("lock:pre:renew", true, false);
        QVERIFY(!store.lockStats("lock:pre:renew") ||
                store.lockStats("lock:pre:renew")->acquisitions == 0);
        QVERIFY(!store.find("lock:pre:renew")->ageExact);
        QCOMPARE(store.find("lock:pre:renew")->ageMs(clock.steadyNow()), 2000LL);
        // Created while watched (the server's `new` event): an acquisition, its age exact.
        notified("lock:new", true, true);
        QCOMPARE(store.lockStats("lock:new")->acquisitions, 1LL);
        QVERIFY(store.find("lock:new")->ageExact);
        // The sweep reaches the renewed lock later: still one hold of unknown start.
        clock.advance(5s);
        store.apply(0, 1, lock("lock:pre:renew", clock, 55000, "web-1", Format::Identity));
        QVERIFY(!store.lockStats("lock:pre:renew") ||
                store.lockStats("lock:pre:renew")->acquisitions == 0);
        QVERIFY(!store.find("lock:pre:renew")->ageExact);
        // After the first sweep a key it did not list is new, whatever the event.
        store.scanDone(0, 1);
        notified("lock:after", true, false);
        QCOMPARE(store.lockStats("lock:after")->acquisitions, 1LL);
        QVERIFY(store.find("lock:after")->ageExact);
    }

    // adv11e item 1: with notifications lacking class n (KA, KEA), a lock set and then deleted or
    // expired while the first sweep had not reached its key was not listed at all (deleted) or
    // listed with 0 holds and 0 expiries (expired). The write is evidence it was held during the
    // observation: its end counts a hold (from that write, a lower bound; start unknown, no
    // acquisition); once a release was seen, the next set is an acquisition. The 60 s repro —
    // three 3 s holds from t = 5 s — gives 3 holds, 2 acquisitions, 1 of unknown start.
    void writesDuringTheFirstSweepEndHoldsThatCount() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        auto notified = [&](const std::string& key, long long ttl, const std::string& holder,
                            bool created) {
            KeyRecord r = lock(key, clock, ttl, holder, Format::Identity);
            r.ageExact = true;  // classify() with changeSeen: a notification's read
            r.readOnNotification = true;
            r.reset = true;  // a `set` event
            r.created = created;
            store.apply(0, 1, std::move(r));
        };
        auto released = [&](const std::string& key, std::int32_t expiredEvents) {
            KeyRecord g = gone(key, clock);
            g.expiredEvents = expiredEvents;
            store.apply(0, 1, std::move(g));
        };
        clock.advance(5s);
        for (int i = 1; i <= 3; ++i) {
            // The first set: no `new` event, no release before. Later ones follow a `del` seen.
            notified("lock:job60", 30000, "web-" + std::to_string(i), i > 1);
            clock.advance(3s);
            released("lock:job60", 0);  // DEL
            clock.advance(1s);
        }
        const auto* s = store.lockStats("lock:job60");
        QVERIFY2(s, "lock:job60 is listed");
        QCOMPARE(static_cast<long long>(s->holdsMs.size()), 3LL);
        QCOMPARE(s->acquisitions, 2LL);
        QCOMPARE(s->holdsStartUnknown, 1LL);
        QCOMPARE(s->holdPercentileMs(0.5), 3000LL);
        QCOMPARE(s->expiredWhileHeld, 0LL);
        // Set during the first sweep, then its lease ran out: a hold that expired.
        notified("lock:bx5", 5000, "web-8", false);
        clock.advance(5000ms);
        released("lock:bx5", 1);
        const auto* x = store.lockStats("lock:bx5");
        QVERIFY2(x, "lock:bx5 is listed");
        QCOMPARE(x->acquisitions, 0LL);
        QCOMPARE(static_cast<long long>(x->holdsMs.size()), 1LL);
        QCOMPARE(x->expiredWhileHeld, 1LL);
        QCOMPARE(x->holdsStartUnknown, 1LL);
        // A lock the sweep found (no write seen) and then deleted stays uncounted, as before.
        store.apply(0, 1, lock("lock:swept", clock, 60000, "web-2", Format::Identity));
        clock.advance(1s);
        released("lock:swept", 0);
        const auto* w = store.lockStats("lock:swept");
        QVERIFY(!w || (w->holdsMs.empty() && w->acquisitions == 0));
    }

    // adv11d item 6: a lock found already held (its start unknown: no acquisition, no hold)
    // whose lease then ran out is listed as seen, but its expiry is not counted — not
    // expired_while_held 1 next to 0 acquisitions and 0 holds.
    void expiryOfAHoldNotCountedIsNotCounted() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.apply(0, 1, lock("lock:found", clock, 2000));  // the first sweep finds it
        store.scanDone(0, 1);
        clock.advance(2100ms);
        auto expired = gone("lock:found", clock);
        expired.expiredEvents = 1;
        store.apply(0, 1, std::move(expired));
        const auto* s = store.lockStats("lock:found");
        QVERIFY2(s, "a lock seen held and gone is listed");
        QCOMPARE(s->acquisitions, 0LL);
        QCOMPARE(static_cast<long long>(s->holdsMs.size()), 0LL);
        QCOMPARE(s->expiredWhileHeld, 0LL);
        // One whose acquisition was seen: its expiry counts.
        store.apply(0, 1, lock("lock:seen", clock, 2000));
        clock.advance(2100ms);
        auto ran = gone("lock:seen", clock);
        ran.expiredEvents = 1;
        store.apply(0, 1, std::move(ran));
        QCOMPARE(store.lockStats("lock:seen")->acquisitions, 1LL);
        QCOMPARE(store.lockStats("lock:seen")->expiredWhileHeld, 1LL);
    }

    // adv11d item 9: a counter heartbeat written as `SET key n+1` each second. Notifications
    // said 8 acquisitions, 7 takeovers, `unknown`; polling one heartbeat. An integer that goes up
    // by one is a beat, by INCR or by SET: one acquisition, no takeover, a heartbeat held.
    void counterBeatWrittenBySetIsABeat() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        KeyState s;
        for (int beat = 1; beat <= 9; ++beat) {
            Observation o;
            o.key = "lock:setbeat";
            o.type = "string";
            o.value = std::to_string(beat);
            o.length = static_cast<long long>(o.value.size());
            o.pttlMs = -1;
            ClassifyContext ctx;
            ctx.now = clock.steadyNow();
            ctx.wallNowMs = clock.wallMillis();
            ctx.changeSeen = true;
            KeyRecord r = classify(o, ctx);
            r.readOnNotification = true;
            r.reset = true;  // every write was a `set` event
            store.apply(0, 1, std::move(r));
            s = *store.find("lock:setbeat");
            clock.advance(1000ms);
        }
        QCOMPARE(s.format, Format::HeartbeatCounter);
        QCOMPARE(s.state, LockState::Held);
        QCOMPARE(s.periodMs, 1000);
        QCOMPARE(store.lockStats("lock:setbeat")->acquisitions, 1LL);
        QCOMPARE(store.lockStats("lock:setbeat")->takeovers, 0LL);
        // Another holder's process id written over it (not one up) is still a handover.
        Observation o;
        o.key = "lock:pid";
        o.type = "string";
        o.value = "4242";
        o.length = 4;
        o.pttlMs = -1;
        ClassifyContext ctx;
        ctx.now = clock.steadyNow();
        ctx.wallNowMs = clock.wallMillis();
        ctx.changeSeen = true;
        KeyRecord a = classify(o, ctx);
        a.readOnNotification = true;
        a.reset = true;
        store.apply(0, 1, std::move(a));
        clock.advance(1000ms);
        o.value = "31337";
        o.length = 5;
        ctx.now = clock.steadyNow();
        KeyRecord b = classify(o, ctx);
        b.readOnNotification = true;
        b.reset = true;
        store.apply(0, 1, std::move(b));
        QVERIFY(store.find("lock:pid")->format != Format::HeartbeatCounter);
    }
    // Round 6 item 3: seed 000's own takeover. A setnx-getset lock (the value its expiry, no TTL)
    // whose expiry passed, then GETSET by another client to a new expiry: the first hold ran out
    // (expired_while_held 1, a hold of its 2 s lease), the second is a takeover and an
    // acquisition; the live view's age restarts with it. Polled the same where a read found the
    // expiry past before the new value. Same for an expiry in seconds and node redis-lock.
    void timestampTakenOverAfterItsExpiry_data() {
        QTest::addColumn<bool>("notified");
        QTest::addColumn<Format>("format");
        QTest::newRow("setnx-getset, notifications") << true << Format::SetnxGetset;
        QTest::newRow("setnx-getset, polled") << false << Format::SetnxGetset;
        QTest::newRow("expiry-timestamp, notifications") << true << Format::ExpiryTimestamp;
        QTest::newRow("expiry-timestamp, polled") << false << Format::ExpiryTimestamp;
        QTest::newRow("node-redis-lock, polled") << false << Format::NodeRedisLock;
    }
    void timestampTakenOverAfterItsExpiry() {
        QFETCH(bool, notified);
        QFETCH(Format, format);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        auto stamp = [&](long long expiresAt) {
            auto r = lock("lock:seed0", clock, -1, std::to_string(expiresAt), format);
            r.number = expiresAt;
            r.state =
                expiresAt <= clock.wallMillis() ? LockState::ExpiredTimestamp : LockState::Held;
            r.readOnNotification = notified;
            r.ageExact = notified;
            return r;
        };
        const long long a = clock.wallMillis() + 2000;
        store.apply(0, 1, stamp(a));
        for (int i = 0; i < 8; ++i) {  // polled every 500 ms (notifications: nothing to read)
            clock.advance(500ms);
            if (!notified) store.apply(0, 1, stamp(a));
        }
        store.refreshTimeStates();
        QCOMPARE(store.find("lock:seed0")->state, LockState::ExpiredTimestamp);
        const auto takenAt = clock.steadyNow();
        store.apply(0, 1, stamp(clock.wallMillis() + 3000));  // GETSET by another client
        const auto* s = store.lockStats("lock:seed0");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 2LL);
        QCOMPARE(s->takeovers, 1LL);
        QCOMPARE(s->expiredWhileHeld, 1LL);
        QCOMPARE(int(s->holdsMs.size()), 1);
        QCOMPARE(s->holdsMs[0], 2000);  // held until its expiry, not until the GETSET
        QCOMPARE(store.find("lock:seed0")->lastChange, takenAt);  // the live view's age restarts
        QCOMPARE(store.find("lock:seed0")->state, LockState::Held);
        clock.advance(2000ms);
        auto released = gone("lock:seed0", clock);
        released.expiredEvents = notified ? 0 : -1;
        store.apply(0, 1, std::move(released));
        QCOMPARE(s->expiredWhileHeld, 1LL);
        QCOMPARE(int(s->holdsMs.size()), 2);
        QCOMPARE(s->holdsMs[1], 2000);
    }

    // Round 6 item 3, the other side: the holder's extend writes a new expiry before the stored
    // one passed — the same hold (no acquisition, no takeover, nothing ran out), and its age runs
    // on in the live view as in the stats. Polled, a new value before any read found the expiry
    // past is taken for an extend.
    void timestampExtendedBeforeItsExpiryIsTheSameHold_data() {
        QTest::addColumn<bool>("notified");
        QTest::newRow("notifications") << true;
        QTest::newRow("polled") << false;
    }
    void timestampExtendedBeforeItsExpiryIsTheSameHold() {
        QFETCH(bool, notified);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        auto stamp = [&](long long expiresAt) {
            auto r = lock("lock:ext", clock, -1, std::to_string(expiresAt), Format::SetnxGetset);
            r.number = expiresAt;
            r.readOnNotification = notified;
            r.ageExact = notified;
            return r;
        };
        const auto takenAt = clock.steadyNow();
        store.apply(0, 1, stamp(clock.wallMillis() + 2000));
        clock.advance(1500ms);
        store.apply(0, 1, stamp(clock.wallMillis() + 2000));  // extended by its holder
        clock.advance(1500ms);
        store.apply(0, 1, stamp(clock.wallMillis() + 2000));  // and again
        const auto* s = store.lockStats("lock:ext");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 1LL);
        QCOMPARE(s->takeovers, 0LL);
        QCOMPARE(s->expiredWhileHeld, 0LL);
        QVERIFY(s->holding);
        QCOMPARE(store.find("lock:ext")->lastChange, takenAt);  // its age runs on: 3 s
    }

    // Round 6 item 5: notifications off, eight holds of 1.4–1.9 s of a 2 s lease (PX 2000), each
    // released by DEL and seen gone by the next poll: no lease ran out (a 250 ms margin counted
    // the ones seen gone in the lease's last quarter). One seen gone after its TTL had passed
    // did run out. And with the lease known only as a lower bound (what a poll read), no "p99
    // hold nears the TTL".
    void polledReleaseBeforeTheTtlIsNoExpiry() {
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        for (int i = 0; i < 8; ++i) {
            store.apply(0, 1, lock("lock:nt", clock, 2000, "w-" + std::to_string(i)));
            for (int poll = 0; poll < 3; ++poll) {  // read again at 500, 1000, 1500 ms
                clock.advance(500ms);
                store.apply(
                    0, 1,
                    lock("lock:nt", clock, 2000 - 500 * (poll + 1), "w-" + std::to_string(i)));
            }
            clock.advance(milliseconds(50 * i));  // seen gone 1500–1850 ms after it was taken
            store.apply(0, 1, gone("lock:nt", clock));
            clock.advance(600ms);
        }
        const auto* s = store.lockStats("lock:nt");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 8LL);
        QCOMPARE(int(s->holdsMs.size()), 8);
        QCOMPARE(s->expiredWhileHeld, 0LL);
        QCOMPARE(s->leaseMs, -1LL);
        QVERIFY2(!s->holdNearsTtl(), "holds judged near a lease known only as a lower bound");
        QVERIFY(!summarize("lock:nt", *s).nearsTtl);
        // Seen gone 10 ms after the last read's TTL had passed: it ran out.
        store.apply(0, 1, lock("lock:nt", clock, 2000, "w-9"));
        clock.advance(2010ms);
        store.apply(0, 1, gone("lock:nt", clock));
        QCOMPARE(s->expiredWhileHeld, 1LL);
    }

    // Round 6 item 9: polled, another holder found between two reads (a release and a re-take
    // within one poll, or one holder's lock taken over: a poll cannot tell) is a new acquisition,
    // not a takeover; with notifications (the `set` seen, no `del` before it) a takeover. Where
    // the old lease's TTL had run out by the read, it ran out first.
    void polledNewHolderIsAnAcquisition_data() {
        QTest::addColumn<bool>("notified");
        QTest::addColumn<long long>("ttlMs");
        QTest::addColumn<long long>("takeovers");
        QTest::addColumn<long long>("expired");
        QTest::newRow("polled") << false << 10000LL << 0LL << 0LL;
        QTest::newRow("notifications") << true << 10000LL << 1LL << 0LL;
        QTest::newRow("polled, its TTL ran out") << false << 1500LL << 0LL << 1LL;
    }
    void polledNewHolderIsAnAcquisition() {
        QFETCH(bool, notified);
        QFETCH(long long, ttlMs);
        QFETCH(long long, takeovers);
        QFETCH(long long, expired);
        ManualClock clock;
        KeyStore store(KeyStore::Layout::PerNode, 1, options(), &clock);
        store.scanDone(0, 1);
        auto read = [&](const std::string& holder, long long ttl) {
            auto r = lock("lock:rc", clock, ttl, holder, Format::SetNxPx);
            r.readOnNotification = notified;
            r.ageExact = notified;
            store.apply(0, 1, std::move(r));
        };
        read("host-a", ttlMs);
        clock.advance(1000ms);
        if (!notified) read("host-a", ttlMs - 1000);
        clock.advance(1000ms);
        read("host-b", 10000);
        const auto* s = store.lockStats("lock:rc");
        QVERIFY(s);
        QCOMPARE(s->acquisitions, 2LL);
        QCOMPARE(s->takeovers, takeovers);
        QCOMPARE(s->expiredWhileHeld, expired);
        QCOMPARE(int(s->holdsMs.size()), 1);
        QCOMPARE(s->holdsMs[0], expired > 0 ? 1500 : 2000);
        QVERIFY(s->holding);
    }
};

QTEST_APPLESS_MAIN(TestKeyStore)
#include "test_key_store.moc"

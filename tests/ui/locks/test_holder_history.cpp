// The holder history behind the Locks view's timeline: spans open and close as holders change, a
// lock found free or removed ends its span, and the memory stays bounded — by keys (the least
// recently changed one goes first, never the pinned one), by spans per key (the pinned key keeps
// more) and by holder length.
#include <QtTest>
#include <atomic>
#include <mutex>
#include <thread>

#include "monitor/monitor.h"
#include "test_support.h"
#include "ui/locks/holder_history.h"

using namespace lockscope;
using namespace std::chrono_literals;
using ui::HolderHistory;
using ui::HolderHistoryOptions;

namespace {

const monitor::Steady::time_point kT0 = monitor::Steady::time_point{} + 1000h;
constexpr qint64 kWall0 = 1'700'000'000'000;

monitor::KeyRecord lockRecord(const std::string& key, const std::string& holder,
                              monitor::Steady::time_point changed,
                              monitor::LockState state = monitor::LockState::Held) {
    monitor::KeyRecord r;
    r.key = key;
    r.kind = monitor::Kind::Lock;
    r.format = monitor::Format::SetNxPx;
    r.holder = holder;
    r.state = state;
    r.lastChange = changed;
    r.observedAt = changed;
    return r;
}

monitor::MonitorUpdate updateOf(std::vector<monitor::KeyRecord> changed,
                                std::vector<std::string> removed = {}) {
    monitor::MonitorUpdate u;
    u.changed = std::move(changed);
    u.removed = std::move(removed);
    return u;
}

// Applies `u` as if seen `at` (steady) — wall time moves with it.
void applyAt(HolderHistory& h, const monitor::MonitorUpdate& u, monitor::Steady::time_point at) {
    h.apply(u, kWall0 + std::chrono::duration_cast<std::chrono::milliseconds>(at - kT0).count(),
            at);
}

}  // namespace

class TestHolderHistory : public QObject {
    Q_OBJECT

private slots:
    void spansFollowHoldersAndGaps() {
        HolderHistory h;
        applyAt(h, updateOf({lockRecord("k", "A", kT0)}), kT0 + 100ms);
        // Still A (a TTL refresh): no new span.
        applyAt(h, updateOf({lockRecord("k", "A", kT0)}), kT0 + 500ms);
        applyAt(h, updateOf({lockRecord("k", "B", kT0 + 2s)}), kT0 + 2100ms);
        // Found free at +3 s: B's span ends there, a gap follows.
        auto freed = lockRecord("k", "B", kT0 + 2s, monitor::LockState::Free);
        freed.observedAt = kT0 + 3s;
        applyAt(h, updateOf({freed}), kT0 + 3100ms);
        applyAt(h, updateOf({lockRecord("k", "A", kT0 + 5s)}), kT0 + 5100ms);
        applyAt(h, updateOf({}, {"k"}), kT0 + 7s);

        const auto s = h.spans("k");
        QCOMPARE(int(s.size()), 3);
        QCOMPARE(QString::fromStdString(s[0].holder), QString("A"));
        QCOMPARE(s[0].startMs, kWall0);
        QCOMPARE(s[0].endMs, kWall0 + 2000);  // ends where B begins
        QCOMPARE(QString::fromStdString(s[1].holder), QString("B"));
        QCOMPARE(s[1].startMs, kWall0 + 2000);
        QCOMPARE(s[1].endMs, kWall0 + 3000);
        QCOMPARE(QString::fromStdString(s[2].holder), QString("A"));
        QCOMPARE(s[2].startMs, kWall0 + 5000);
        QCOMPARE(s[2].endMs, kWall0 + 7000);  // removed: closed when the update said so
    }

    // Issue 11 round 5 (4): each beat of a heartbeat lock (seed 001: SETNX key 1, then INCR) is
    // the same holder, one span; a counter that goes down (GETSET key 1) is a takeover.
    void heartbeatBeatsAreOneHolder() {
        HolderHistory h;
        auto beat = [](long long n, monitor::Steady::time_point at, bool beating) {
            auto r = lockRecord("hb", std::to_string(n), at);
            r.format = n == 1    ? monitor::Format::Flag
                       : beating ? monitor::Format::HeartbeatCounter
                                 : monitor::Format::Identity;
            r.evidence = static_cast<std::uint8_t>(
                static_cast<std::uint8_t>(n == 1 ? monitor::ValueShape::Flag
                                                 : monitor::ValueShape::Integer) |
                (beating ? monitor::evidence::kBeating : 0));
            r.number = n;
            return r;
        };
        applyAt(h, updateOf({beat(1, kT0, false)}), kT0 + 100ms);
        applyAt(h, updateOf({beat(2, kT0 + 1s, false)}), kT0 + 1100ms);
        for (int n = 3; n < 8; ++n)
            applyAt(h, updateOf({beat(n, kT0 + std::chrono::seconds(n - 1), true)}),
                    kT0 + std::chrono::seconds(n - 1) + 100ms);
        auto s = h.spans("hb");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0].startMs, kWall0);
        QCOMPARE(s[0].endMs, qint64(-1));
        applyAt(h, updateOf({beat(1, kT0 + 9s, true)}), kT0 + 9100ms);  // GETSET key 1
        s = h.spans("hb");
        QCOMPARE(int(s.size()), 2);
        QCOMPARE(s[0].endMs, kWall0 + 9000);
    }

    // adv14b item 6: a semaphore's permits taken and given back (taken:1/3 → 2/3 → 1/3) are the
    // same semaphore in use, one span labelled with what it is now; every permit free
    // (taken:0/3, "unused") ends it rather than drawing taken:0/3 as a new holder. A latch
    // counting down is one span too.
    void synchroniserCountsAreNotNewHolders() {
        HolderHistory h;
        auto sem = [](long long taken, monitor::Steady::time_point at) {
            auto r = lockRecord("sem", "taken:" + std::to_string(taken) + "/3", at);
            r.format = monitor::Format::Semaphore;
            r.holdCount = static_cast<std::int32_t>(taken);
            r.number = 3 - taken;
            return r;
        };
        applyAt(h, updateOf({sem(1, kT0)}), kT0 + 100ms);
        applyAt(h, updateOf({sem(2, kT0 + 1s)}), kT0 + 1100ms);
        applyAt(h, updateOf({sem(1, kT0 + 2s)}), kT0 + 2100ms);
        auto s = h.spans("sem");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(QString::fromStdString(s[0].holder), QString("taken:1/3"));
        QCOMPARE(s[0].startMs, kWall0);
        QCOMPARE(s[0].endMs, qint64(-1));
        applyAt(h, updateOf({sem(0, kT0 + 3s)}), kT0 + 3100ms);  // the last permit given back
        s = h.spans("sem");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0].endMs, kWall0 + 3000);
        applyAt(h, updateOf({sem(1, kT0 + 5s)}), kT0 + 5100ms);  // in use again: a new span
        s = h.spans("sem");
        QCOMPARE(int(s.size()), 2);
        QCOMPARE(s[1].startMs, kWall0 + 5000);

        auto latch = [](long long count, monitor::Steady::time_point at) {
            auto r = lockRecord("lat", "count:" + std::to_string(count) + "/3", at);
            r.format = monitor::Format::Latch;
            r.holdCount = 3;
            r.number = count;
            return r;
        };
        applyAt(h, updateOf({latch(3, kT0)}), kT0 + 100ms);
        applyAt(h, updateOf({latch(2, kT0 + 1s)}), kT0 + 1100ms);
        applyAt(h, updateOf({latch(1, kT0 + 2s)}), kT0 + 2100ms);
        s = h.spans("lat");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(QString::fromStdString(s[0].holder), QString("count:1/3"));
    }

    // F14e / adv14c item 4: a read-write lock's readers joining or leaving while one of them
    // stays are one shared hold — one span, labelled with the readers now, counted — and a writer
    // after them (or readers after the writer) is a new span.
    void readerGroupIsOneSpan() {
        HolderHistory h;
        auto rw = [](const std::string& holder, monitor::Steady::time_point at) {
            auto r = lockRecord("rw", holder, at);
            r.format = monitor::Format::RedissonRwLock;
            return r;
        };
        applyAt(h, updateOf({rw("a:1,b:2", kT0)}), kT0 + 100ms);
        applyAt(h, updateOf({rw("a:1,b:2,c:3", kT0 + 1s)}), kT0 + 1100ms);  // c joins
        applyAt(h, updateOf({rw("b:2,c:3", kT0 + 2s)}), kT0 + 2100ms);      // a leaves
        applyAt(h, updateOf({rw("c:3", kT0 + 3s)}), kT0 + 3100ms);          // b leaves
        auto s = h.spans("rw");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(QString::fromStdString(s[0].holder), QString("c:3"));
        QCOMPARE(s[0].holders, 1);
        QCOMPARE(s[0].startMs, kWall0);
        QCOMPARE(s[0].endMs, qint64(-1));
        // The last reader out, a writer in (no reader shared): a new holder.
        applyAt(h, updateOf({rw("w:9:write", kT0 + 4s)}), kT0 + 4100ms);
        // Readers after the writer: new again.
        applyAt(h, updateOf({rw("d:4,e:5", kT0 + 5s)}), kT0 + 5100ms);
        s = h.spans("rw");
        QCOMPARE(int(s.size()), 3);
        QCOMPARE(s[0].endMs, kWall0 + 4000);
        QCOMPARE(QString::fromStdString(s[1].holder), QString("w:9:write"));
        QCOMPARE(QString::fromStdString(s[2].holder), QString("d:4,e:5"));
        QCOMPARE(s[2].holders, 2);
        QCOMPARE(s[2].format, monitor::Format::RedissonRwLock);
        // A plain lock whose value happens to hold a comma is not a reader group.
        applyAt(h, updateOf({lockRecord("p", "a,b", kT0)}), kT0 + 100ms);
        applyAt(h, updateOf({lockRecord("p", "b,c", kT0 + 1s)}), kT0 + 1100ms);
        QCOMPARE(int(h.spans("p").size()), 2);
    }

    // A list of holders longer than the bound is cut after its last whole holder (never half an
    // id), and the span still counts every holder.
    void longReaderListsAreCutAtAHolder() {
        HolderHistoryOptions o;
        o.maxHolderBytes = 24;  // inside the third id
        HolderHistory h(o);
        auto r = lockRecord("rw", "aaaaaaaa:1,bbbbbbbb:2,cccccccc:3,dddddddd:4", kT0);
        r.format = monitor::Format::ReadWrite;
        applyAt(h, updateOf({r}), kT0);
        const auto s = h.spans("rw");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(QString::fromStdString(s[0].holder), QString("aaaaaaaa:1,bbbbbbbb:2"));
        QCOMPARE(s[0].holders, 4);
    }

    // Issue 11 adversarial round 2, item 1: a JSON lock rewritten by its own owner (a new
    // renewTime) is one span; another owner is a new one.
    void renewalBySameOwnerIsOneSpan() {
        HolderHistory h;
        auto json = [](const std::string& owner, int renew, monitor::Steady::time_point at) {
            auto r = lockRecord("j",
                                "{\"holderIdentity\":\"" + owner +
                                    "\",\"renewTime\":" + std::to_string(renew) + "}",
                                at);
            r.format = monitor::Format::JsonOwner;
            return r;
        };
        for (int i = 0; i < 4; ++i)
            applyAt(h, updateOf({json("ctrl-a", i, kT0 + std::chrono::seconds(i))}),
                    kT0 + std::chrono::seconds(i) + 100ms);
        QCOMPARE(int(h.spans("j").size()), 1);
        applyAt(h, updateOf({json("ctrl-b", 9, kT0 + 5s)}), kT0 + 5100ms);
        QCOMPARE(int(h.spans("j").size()), 2);
    }

    // The same against a real server, seed 001's holder beating every 150 ms, through the
    // monitor's own updates.
    void heartbeatBeatsAreOneHolderLive() {
        sandbox::RedisServer server;
        const std::string key = test::keyPrefix("hh") + "mylock";
        monitor::MonitorOptions o;
        o.publishInterval = 50ms;
        o.patterns = {key};
        monitor::Monitor m({server.endpoint()}, o);
        std::mutex mutex;
        std::vector<monitor::MonitorUpdate> updates;
        m.setListener([&](monitor::MonitorUpdate u) {
            std::lock_guard<std::mutex> g(mutex);
            updates.push_back(std::move(u));
        });
        m.start();
        std::atomic<bool> stop{false};
        std::thread beater([&] {
            redis::Connection c(server.endpoint());
            c.command({"SETNX", key, "1"});
            while (!stop.load()) {
                std::this_thread::sleep_for(150ms);
                c.command({"INCR", key});
            }
        });
        HolderHistory h;
        auto drain = [&] {
            std::lock_guard<std::mutex> g(mutex);
            for (const auto& u : updates) h.apply(u);
            updates.clear();
        };
        redis::Connection reader(server.endpoint());
        auto beats = [&] {
            drain();
            const auto v = reader.command({"GET", key});
            return v.isNil() ? 0LL : std::stoll(std::string(v.str()));
        };
        QTRY_VERIFY_WITH_TIMEOUT(beats() >= 12, 10000);
        stop = true;
        beater.join();
        // Stopped: heartbeat-stale after 3 missed beats — the same holder, not a second one
        // named after its last beat (issue 11 round 6).
        bool stale = false;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                std::lock_guard<std::mutex> g(mutex);
                for (const auto& u : updates) {
                    for (const auto& r : u.changed)
                        stale |= r.key == key && r.state == monitor::LockState::HeartbeatStale;
                    h.apply(u);
                }
                updates.clear();
                return stale;
            }(),
            8000);
        drain();
        m.stop();
        const auto s = h.spans(key);
        QVERIFY(!s.empty());
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0].endMs, qint64(-1));
    }

    void openSpanAndUnknownStart() {
        HolderHistory h;
        // No lastChange known (default time point): the span starts when the update was seen.
        monitor::KeyRecord r = lockRecord("k", "A", {});
        r.observedAt = {};
        applyAt(h, updateOf({r}), kT0 + 4s);
        const auto s = h.spans("k");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(s[0].startMs, kWall0 + 4000);
        QCOMPARE(s[0].endMs, qint64(-1));
        // A key never seen held costs nothing; nor does a counter.
        auto counter = lockRecord("c", "", kT0);
        counter.kind = monitor::Kind::Counter;
        applyAt(h, updateOf({lockRecord("free", "A", kT0, monitor::LockState::Free), counter}),
                kT0 + 5s);
        QCOMPARE(int(h.keyCount()), 1);
    }

    void boundedByKeysNeverEvictingThePinnedOne() {
        HolderHistoryOptions o;
        o.maxKeys = 3;
        HolderHistory h(o);
        applyAt(h, updateOf({lockRecord("pinned", "A", kT0)}), kT0);
        h.pin("pinned");
        for (int i = 0; i < 10; ++i)
            applyAt(h, updateOf({lockRecord("k" + std::to_string(i), "A", kT0)}),
                    kT0 + std::chrono::seconds(i + 1));
        QCOMPARE(int(h.keyCount()), 3);
        QCOMPARE(int(h.spans("pinned").size()), 1);  // oldest of all, kept: the user looks at it
        QCOMPARE(int(h.spans("k9").size()), 1);
        QCOMPARE(int(h.spans("k8").size()), 1);
        QCOMPARE(int(h.spans("k7").size()), 0);  // least recently changed: forgotten
        // Unpinned, it is the least recently changed and goes next.
        h.pin("");
        applyAt(h, updateOf({lockRecord("k10", "A", kT0)}), kT0 + 20s);
        QCOMPARE(int(h.spans("pinned").size()), 0);
        QCOMPARE(int(h.keyCount()), 3);
    }

    void boundedBySpans_data() {
        QTest::addColumn<bool>("pinned");
        QTest::addColumn<int>("expected");
        QTest::newRow("a key nobody looks at keeps spansPerKey") << false << 4;
        QTest::newRow("the pinned key keeps spansPinned") << true << 50;
    }

    void boundedBySpans() {
        QFETCH(bool, pinned);
        QFETCH(int, expected);
        HolderHistoryOptions o;
        o.spansPerKey = 4;
        o.spansPinned = 50;
        HolderHistory h(o);
        if (pinned) h.pin("k");
        for (int i = 0; i < 100; ++i) {
            const auto at = kT0 + std::chrono::seconds(i);
            applyAt(h, updateOf({lockRecord("k", "holder-" + std::to_string(i), at)}), at);
        }
        const auto s = h.spans("k");
        QCOMPARE(int(s.size()), expected);
        QCOMPARE(QString::fromStdString(s.back().holder), QString("holder-99"));  // the newest stay
        QCOMPARE(int(h.spanCount()), expected);
        // Unpinning trims to the ordinary bound at once.
        h.pin("");
        QCOMPARE(int(h.spans("k").size()), 4);
    }

    void longHoldersAreCut() {
        HolderHistoryOptions o;
        o.maxHolderBytes = 16;
        HolderHistory h(o);
        const std::string readers(5000, 'r');
        applyAt(h, updateOf({lockRecord("k", readers, kT0)}), kT0);
        applyAt(h, updateOf({lockRecord("k", readers, kT0)}), kT0 + 1s);  // same holder, cut alike
        const auto s = h.spans("k");
        QCOMPARE(int(s.size()), 1);
        QCOMPARE(int(s[0].holder.size()), 16);
    }

    void pinnedChangedOnlyForThePinnedKey() {
        HolderHistory h;
        QSignalSpy spy(&h, &HolderHistory::pinnedChanged);
        h.pin("mine");
        applyAt(h, updateOf({lockRecord("other", "A", kT0)}), kT0);
        QCOMPARE(spy.count(), 0);
        applyAt(h, updateOf({lockRecord("mine", "A", kT0), lockRecord("other", "B", kT0)}),
                kT0 + 1s);
        QCOMPARE(spy.count(), 1);  // once per update, however many keys it carries
        applyAt(h, updateOf({}, {"mine"}), kT0 + 2s);
        QCOMPARE(spy.count(), 2);
    }
};

QTEST_GUILESS_MAIN(TestHolderHistory)
#include "test_holder_history.moc"

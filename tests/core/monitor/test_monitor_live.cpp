// The monitor engine following a real server live: locks appear, count down, get extended and
// freed; counters get rates; notifications-off falls back to polling and can be enabled on
// request; a restarted server is reconnected, resubscribed and rescanned; heartbeats go stale.
#include <sys/resource.h>

#include <QtTest>
#include <thread>

#include "monitor/classifier.h"
#include "monitor/monitor.h"
#include "monitor_collector.h"
#include "redis/info.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using monitor::LockState;

namespace {

// CPU seconds (user + system) this process has used.
double processCpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

monitor::MonitorOptions fastOptions() {
    monitor::MonitorOptions o;
    o.publishInterval = 50ms;
    o.freeLinger = 300ms;
    o.rateWindow = 2000ms;
    o.pollInterval = 300ms;
    o.connect.connectTimeout = 500ms;
    o.connect.commandTimeout = 1000ms;
    return o;
}

}  // namespace

class TestMonitorLive : public QObject {
    Q_OBJECT
    std::string prefix;

private slots:
    void initTestCase() { prefix = test::keyPrefix("live"); }

    // adv11e item 3: with notifications on and a lock known, the inspector waited for the tracked
    // keys' refresh deadline, which only polling moves on: a deadline in the past, so its
    // condition wait returned at once, again and again (4.7 s of system CPU in 8 s of `watch`
    // while Redis was idle; the dashboard at 87–100 % of a core). An idle monitor sleeps until its
    // next deadline: over 3 s of nothing happening, this process uses a small part of a core
    // (the old code: well over half of it; the bound is generous for a loaded machine).
    void idleMonitorWithALockKnownSleeps() {
        sandbox::RedisServer server;
        redis::Connection c(server.endpoint());
        const std::string key = prefix + "lock:idle";
        c.command({"SET", key, "web-1", "EX", 600});
        c.command({"SET", prefix + "idle:flag:lock", "1"});
        test::MonitorCollector seen;
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 5000);
        QTRY_COMPARE(int(seen.status().nodes.at(0).notifications),
                     int(monitor::NodeStatus::Notifications::On));
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 5000);
        QTest::qWait(500);  // the first inventory's aftermath
        const double before = processCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(3s);
        const double used = processCpuSeconds() - before;
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        qInfo("idle monitor: %.3f s of CPU in %.1f s", used, wall);
        QVERIFY2(used < 0.2 * wall, qPrintable(QString("%1 s of CPU in %2 s").arg(used).arg(wall)));
    }

    void lockFromOutsideAppearsCountsDownAndIsFreed() {
        sandbox::RedisServer server;
        auto opts = fastOptions();
        opts.pollInterval = 60000ms;  // only notifications can make it appear quickly
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, opts);
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 5000);
        QTRY_COMPARE(int(seen.status().nodes.at(0).notifications),
                     int(monitor::NodeStatus::Notifications::On));

        const std::string key = prefix + "outside";
        const std::string token = "lockscope:set-nx-px:elsewhere:77:0123abcd:0123456789abcdef";
        redis::Connection c(server.endpoint());
        c.command({"SET", key, token, "NX", "PX", 5000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 2000);
        auto r = *seen.get(key);
        QCOMPARE(QString::fromStdString(r.holder), QString::fromStdString(token));
        QCOMPARE(r.format, monitor::Format::SetNxPx);
        QVERIFY(seen.sawEvent(key, "set"));
        // The TTL counts down (viewers compute it from the observation; nothing is re-polled).
        auto t1 = r.ttlNow(monitor::Steady::now());
        QTest::qWait(300);
        auto t2 = r.ttlNow(monitor::Steady::now());
        QVERIFY2(t1 - t2 >= 250 && t2 > 4000, qPrintable(QString("%1 -> %2").arg(t1).arg(t2)));
        // Extended from outside: the record follows at once.
        c.command({"PEXPIRE", key, 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.get(key)->ttlNow(monitor::Steady::now()) > 50000, 2000);
        // Deleted: shown as free for a moment, then gone.
        c.command({"DEL", key});
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key).value_or(r).state, LockState::Free, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.wasRemoved(key), 2000);
        // Expiry is followed too.
        c.command({"SET", key + ":short", token, "PX", 300});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key + ":short"), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.wasRemoved(key + ":short"), 3000);
        m.stop();
    }

    void counterRateWithinTenPercent() {
        sandbox::RedisServer server;
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        const std::string key = prefix + "ticks";
        std::atomic<bool> stop{false};
        // 100 increments per second, on an absolute schedule so sleep jitter does not drift.
        std::thread ticker([&] {
            redis::Connection c(server.endpoint());
            auto next = std::chrono::steady_clock::now();
            while (!stop.load()) {
                c.command({"INCR", key});
                next += 10ms;
                std::this_thread::sleep_until(next);
            }
        });
        QTest::qWait(3500);
        auto r = seen.get(key);
        stop = true;
        ticker.join();
        QVERIFY(r && r->isCounter());
        QVERIFY2(r->ratePerSecond >= 90 && r->ratePerSecond <= 110,
                 qPrintable(QString::number(r->ratePerSecond)));
        QVERIFY(!m.history(key).empty());  // a moving counter keeps a history for charts
        // Stopped: the rate decays to 0 within the window.
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key)->ratePerSecond, 0.0f, 4000);
        m.stop();
    }

    void notificationsOffPollsAndCanBeEnabledOnRequest() {
        sandbox::RedisServerOptions so;
        so.notifyKeyspaceEvents = "";
        sandbox::RedisServer server(so);
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("keyspace notifications are off"), 3000);
        // The line given, and what an enable sets, has class n (new keys) on Redis 7+: without
        // it a lock taken while the first sweep had not reached its key cannot be told from a
        // renewal (adv11e item 1: the hint said KA). Redis 6 refuses n: none there.
        QCOMPARE(monitor::withNeededNotificationFlags("", "7.0.15"), std::string("KAn"));
        QCOMPARE(monitor::withNeededNotificationFlags("Ex", "7.2.4"), std::string("ExKAn"));
        QCOMPARE(monitor::withNeededNotificationFlags("", "6.2.14"), std::string("KA"));
        QCOMPARE(monitor::withNeededNotificationFlags("AK", ""), std::string("AK"));
        QCOMPARE(monitor::redisMajorVersion("10.0.1"), 10);
        QCOMPARE(monitor::redisMajorVersion("x7"), 0);
        redis::Connection info(server.endpoint());
        const bool seven = monitor::redisMajorVersion(redis::infoField(
                               info.command({"INFO", "server"}).str(), "redis_version")) >= 7;
        const std::string line =
            std::string("CONFIG SET notify-keyspace-events KA") + (seven ? "n" : "") + " (or";
        QVERIFY2(seen.messageContains(line), seen.messages().c_str());
        auto st = seen.status().nodes.at(0);
        QCOMPARE(st.notifications, monitor::NodeStatus::Notifications::Off);
        QVERIFY(st.polling);
        QVERIFY(st.canConfigure);
        // It never turns them on by itself.
        redis::Connection c(server.endpoint());
        QCOMPARE(QString::fromStdString(
                     std::string(c.command({"CONFIG", "GET", "notify-keyspace-events"})[1].str())),
                 QString());
        // Polling still finds a new lock.
        const std::string key = prefix + "polled";
        c.command({"SET", key, "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 3000);
        // Asked to, it enables them — keeping the flags already set — and follows events.
        m.requestEnableNotifications();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("keyspace notifications enabled"), 3000);
        auto flags = std::string(c.command({"CONFIG", "GET", "notify-keyspace-events"})[1].str());
        QVERIFY2(monitor::notificationsSufficient(flags), flags.c_str());
        c.command({"SET", key + ":2", "x"});
        QTRY_VERIFY_WITH_TIMEOUT(seen.sawEvent(key + ":2", "set"), 3000);
        if (seven) {  // class n is on, though CONFIG GET shows "AK" next to A
            QTRY_VERIFY_WITH_TIMEOUT(seen.sawEvent(key + ":2", "new"), 3000);
            QTRY_VERIFY_WITH_TIMEOUT(seen.status().nodes.at(0).newEventsSeen, 3000);
        }
        QCOMPARE(seen.status().nodes.at(0).notifications, monitor::NodeStatus::Notifications::On);
        m.stop();
    }

    void survivesServerRestart() {
        sandbox::RedisServer server;
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        const std::string before = prefix + "before-restart";
        redis::Connection(server.endpoint())
            .command(
                {"SET", before, "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(before), 3000);
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("connection lost"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes.at(0).link,
                                  monitor::NodeStatus::Link::Reconnecting, 3000);
        server.restart();  // same port, no persistence: the lock is gone
        QTRY_VERIFY_WITH_TIMEOUT(seen.messageContains("reconnected after"), 10000);
        QCOMPARE(seen.status().nodes.at(0).link, monitor::NodeStatus::Link::Connected);
        QTRY_VERIFY_WITH_TIMEOUT(
            seen.wasRemoved(before) ||
                (seen.has(before) && seen.get(before)->state == LockState::Free),
            5000);
        // A lock taken while the subscription was still down is found by the rescan that
        // follows every resubscription …
        const std::string gap = prefix + "during-gap";
        redis::Connection(server.endpoint())
            .command(
                {"SET", gap, "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(gap), 8000);
        // … and once resubscribed, changes arrive as notifications again.
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().nodes.at(0).subscribed, 8000);
        const std::string after = prefix + "after-restart";
        redis::Connection(server.endpoint()).command({"SET", after, "v1", "PX", 60000});
        QTRY_VERIFY2_WITH_TIMEOUT(seen.sawEvent(after, "set"), seen.messages().c_str(), 5000);
        m.stop();
    }

    void heartbeatGoesStaleWhenBeatsStop() {
        sandbox::RedisServer server;
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        const std::string key = prefix + "hb";
        auto holder = locks::makeLockStrategy("heartbeat", test::contextFor(server));
        QVERIFY(holder->tryAcquire(key, 900ms));  // beat every 300 ms
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key), 3000);
        QTest::qWait(1000);
        QCOMPARE(seen.get(key)->state, LockState::Held);  // beats keep it fresh
        QVERIFY(seen.get(key)->number >= 2);
        holder.reset();  // the holder is gone without releasing: no more beats, no more events
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key)->state, LockState::HeartbeatStale, 3000);
        m.stop();
    }

    // Issue 14 (open defect 1): a fair lock released while waiters are queued, before the first
    // one's grant, is listed from its queue — free, with its live waiters — not dropped like a
    // lock that went (and not after freeLinger either); a waiter whose deadline passes stops
    // counting when it does, without a write; the grant shows the new holder. With
    // notifications, and polled (the queue is what the refresh reads then).
    void fairQueueWithoutItsLockIsFollowed_data() {
        QTest::addColumn<bool>("notifications");
        QTest::newRow("notifications") << true;
        QTest::newRow("polling") << false;
    }
    void fairQueueWithoutItsLockIsFollowed() {
        QFETCH(bool, notifications);
        sandbox::RedisServerOptions so;
        if (!notifications) so.notifyKeyspaceEvents = "";
        sandbox::RedisServer server(so);
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m({server.endpoint()}, fastOptions());
        seen.attach(m);
        m.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 10000);
        const std::string key = prefix + (notifications ? "fair-n" : "fair-p");
        const std::string queue = "redisson_lock_queue:{" + key + "}",
                          timeouts = "redisson_lock_timeout:{" + key + "}";
        const std::string uuid = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d";
        const std::string holder = uuid + ":1", w1 = uuid + ":2", w2 = uuid + ":3";
        redis::Connection c(server.endpoint());
        const long long now = c.command({"TIME"})[0].asInteger() * 1000;
        c.command({"HSET", key, holder, 1});
        c.command({"PEXPIRE", key, 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key) && seen.get(key)->state == LockState::Held, 10000);
        // Nobody waits yet: an RLock hash like any other. Then waiters queue — w1's wait runs out
        // in 3 s (it stopped asking), w2 waits on — and it is a fair lock.
        QCOMPARE(seen.get(key)->format, monitor::Format::RedissonLock);
        c.command({"RPUSH", queue, w1, w2});
        c.command({"ZADD", timeouts, now + 3000, w1, now + 600000, w2});
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key)->format, monitor::Format::RedissonFairLock, 10000);

        c.command({"DEL", key});  // released: the first waiter has not taken it yet
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key) && seen.get(key)->queueOnly, 10000);
        auto r = *seen.get(key);
        QCOMPARE(r.state, LockState::Free);
        QCOMPARE(r.format, monitor::Format::RedissonFairLock);
        QVERIFY(r.holder.empty());
        // Still listed past freeLinger (300 ms): it is not a lock that went.
        QTest::qWait(1000);
        QVERIFY(seen.has(key) && seen.get(key)->queueOnly);
        // Nobody holds it: no hold began with it (the holder's ended with the release).
        const auto stats = m.lockStats(key);
        QVERIFY(!stats || (!stats->holding && stats->acquisitions <= 1));
        // w1's deadline passes: one live waiter left — nothing was written meanwhile.
        QTRY_COMPARE_WITH_TIMEOUT(int(seen.get(key).value_or(r).queued), 1, 10000);
        QVERIFY(seen.get(key)->queueOnly);
        QVERIFY2(monitor::why(*seen.get(key)).find("1 live waiter") != std::string::npos,
                 monitor::why(*seen.get(key)).c_str());

        // w2 is granted it, as Redisson's script does: out of the queue, into the hash.
        c.command({"LREM", queue, 0, w2});
        c.command({"ZREM", timeouts, w2});
        c.command({"HSET", key, w2, 1});
        c.command({"PEXPIRE", key, 30000});
        QTRY_VERIFY_WITH_TIMEOUT(
            seen.has(key) && seen.get(key)->state == LockState::Held && seen.get(key)->holder == w2,
            5000);
        QVERIFY(!seen.get(key)->queueOnly);
        // Released with nobody waiting live (w1 ran out long ago): it goes, as any lock.
        c.command({"DEL", key});
        QTRY_VERIFY_WITH_TIMEOUT(seen.wasRemoved(key) && !seen.has(key), 10000);
        m.stop();
    }

    void redlockGroupCountsNodesLive() {
        std::vector<std::unique_ptr<sandbox::RedisServer>> servers;
        std::vector<redis::Endpoint> eps;
        for (int i = 0; i < 3; ++i) {
            servers.push_back(std::make_unique<sandbox::RedisServer>());
            eps.push_back(servers.back()->endpoint());
        }
        test::MonitorCollector seen;  // outlives the monitor that calls it
        monitor::Monitor m(eps, fastOptions());
        seen.attach(m);
        m.start();
        const std::string key = prefix + "group:lock";
        const std::string v = "9c4b2f0e7a6d5c3b1a0f9e8d7c6b5a49";
        redis::Connection(eps[0]).command({"SET", key, v, "PX", 30000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key) && seen.get(key)->nodesHolding == 1, 3000);
        QCOMPARE(int(seen.get(key)->nodesTotal), 3);
        redis::Connection(eps[1]).command({"SET", key, v, "PX", 30000});
        redis::Connection(eps[2]).command({"SET", key, v, "PX", 30000});
        QTRY_COMPARE_WITH_TIMEOUT(int(seen.get(key)->nodesHolding), 3, 3000);
        redis::Connection(eps[2]).command(
            {"SET", key, "0c4b2f0e7a6d5c3b1a0f9e8d7c6b5a41", "PX", 30000});
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key)->state, LockState::Split, 3000);
        QCOMPARE(int(seen.get(key)->nodesHolding), 2);
        m.stop();
    }
};

QTEST_GUILESS_MAIN(TestMonitorLive)
#include "test_monitor_live.moc"

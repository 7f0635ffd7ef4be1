// The monitor over a real Sentinel group (master + replica + 3 Sentinels, started by the fixture):
// a redis+sentinel:// URL follows the current master; across a SENTINEL FAILOVER it says the master
// moved, reconnects to the promoted replica, and keeps showing the locks written before the
// failover (they had replicated) — and it really follows the new master: what changes there
// shows. The CLI's `watch --json` says the same, and `locks` / `lock` work through the URL; a wrong
// master name or unreachable Sentinels get a clear message and the right exit code.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include "monitor/monitor.h"
#include "monitor_collector.h"
#include "redis/connection.h"
#include "redis/sentinel.h"
#include "sandbox/topology.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

// node-redlock's values (32 random hex chars): live locks, with no connection to look for.
const std::string kTokenA = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";
const std::string kTokenB = "1a3c5e7f9b2d4f6a8c0e2a4c6e8a0c2e";

monitor::MonitorOptions fastOptions() {
    monitor::MonitorOptions o;
    o.publishInterval = 50ms;
    o.freeLinger = 2000ms;
    o.pollInterval = 300ms;
    o.topologyRefresh = 500ms;
    o.connect.connectTimeout = 500ms;
    o.connect.commandTimeout = 1000ms;
    return o;
}

// Reads the child's JSON-lines output until a line contains `needle` (or the time is up).
bool readUntil(test::ChildProcess& child, const std::string& needle, std::string& seen,
               std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto line = child.readLine(100ms);
        if (!line) continue;
        seen += *line + "\n";
        if (line->find(needle) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

class TestMonitorSentinel : public QObject {
    Q_OBJECT
    std::string prefix;

private slots:
    void initTestCase() { prefix = test::keyPrefix("sentinel"); }

    void namesTheMasterBeforeTheSentinelsAnswer() {
        // Before start() nothing is asked: the one node is the master by name, with no address.
        monitor::Monitor mon(redis::parseUrl("redis+sentinel://127.0.0.1:1/mymaster"),
                             fastOptions());
        const auto st = mon.status();
        QCOMPARE(st.nodes.size(), size_t(1));
        QVERIFY(!st.nodes[0].endpoint);
        QCOMPARE(st.nodes[0].display(), std::string("master mymaster (asking the Sentinels)"));
    }

    void followsAFailoverAndKeepsShowingTheLocks() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology t(o);
        const std::string oldMaster = t.address(0);
        const std::string url = t.url();

        // Two locks and a counter on the master, acknowledged by the replica.
        redis::Connection m(t.server(0).endpoint());
        m.command({"SET", prefix + "lock:a", kTokenA, "PX", 120000});
        m.command({"SET", prefix + "lock:b", kTokenB, "PX", 120000});
        m.command({"SET", prefix + "jobs", 41});
        QCOMPARE(m.command({"WAIT", 1, 2000}).integer(), 1LL);

        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(url), fastOptions());
        seen.attach(mon);
        mon.start();
        auto watch = test::ChildProcess::spawn(
            {test::cliPath(), "--url", url, "watch", "--json", "--match", prefix + "*"});
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 8000);
        QCOMPARE(seen.status().kind, monitor::TargetKind::Sentinel);
        QCOMPARE(seen.status().nodes.size(), size_t(1));
        QCOMPARE(seen.status().nodes[0].display(), oldMaster);
        QVERIFY2(seen.messageContains("master mymaster is " + oldMaster), seen.messages().c_str());
        QTRY_VERIFY(seen.has(prefix + "lock:a") && seen.has(prefix + "lock:b") &&
                    seen.has(prefix + "jobs"));
        QCOMPARE(seen.get(prefix + "lock:a")->node, std::int16_t(0));
        std::string cliSeen;
        QVERIFY2(readUntil(watch, "\"key\":\"" + prefix + "lock:a\"", cliSeen, 8000ms),
                 cliSeen.c_str());
        QVERIFY2(cliSeen.find("\"node\":\"" + oldMaster + "\"") != std::string::npos,
                 cliSeen.c_str());

        const auto failover = t.failover();
        const std::string newMaster = failover.to;
        QCOMPARE(newMaster, t.address(1));
        qInfo("SENTINEL FAILOVER %s -> %s in %lld ms", oldMaster.c_str(), newMaster.c_str(),
              static_cast<long long>(failover.took.count()));

        // It says so, and follows the promoted replica.
        const std::string moved = "master mymaster moved from " + oldMaster + " to " + newMaster;
        QTRY_VERIFY2_WITH_TIMEOUT(seen.messageContains(moved), seen.messages().c_str(), 8000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].display(), newMaster, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].role, std::string("master"), 3000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].link, monitor::NodeStatus::Link::Connected,
                                  3000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().nodes[0].subscribed,
                                 3000);  // events flow from there
        // The locks written before the failover replicated: still listed, still held, never gone.
        for (const auto* k : {"lock:a", "lock:b"}) {
            QCOMPARE(seen.get(prefix + k)->state, monitor::LockState::Held);
            QVERIFY(!seen.wasRemoved(prefix + k));
        }
        QCOMPARE(seen.get(prefix + "jobs")->number, 41LL);
        // And it is the new master it follows: changes there show up, with their events.
        redis::Connection nm(t.server(1).endpoint());
        nm.command({"INCR", prefix + "jobs"});
        nm.command({"DEL", prefix + "lock:b"});
        nm.command({"SET", prefix + "lock:c", kTokenB, "PX", 120000});
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(prefix + "jobs")->number, 42LL, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(prefix + "lock:b")->state, monitor::LockState::Free,
                                  3000);
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(prefix + "lock:c"), 3000);
        QVERIFY(seen.sawEvent(prefix + "lock:c", "set"));
        QCOMPARE(seen.get(prefix + "lock:a")->state, monitor::LockState::Held);

        // The CLI's watch said the same, and lists the new lock on the new master.
        QVERIFY2(readUntil(watch, "# " + moved, cliSeen, 8000ms), cliSeen.c_str());
        // Issue 18.6: the records of the moved node are printed again, naming the new master —
        // a script's last line for lock:a does not name the dead node.
        {
            const std::string lockA = "\"key\":\"" + prefix + "lock:a\"";
            std::string after;
            QVERIFY2(readUntil(watch, lockA, after, 8000ms), (cliSeen + after).c_str());
            const std::string last = after.substr(after.rfind(lockA));
            QVERIFY2(last.find("\"node\":\"" + newMaster + "\"") != std::string::npos,
                     last.c_str());
            cliSeen += after;
        }
        QVERIFY2(readUntil(watch, "\"key\":\"" + prefix + "lock:c\"", cliSeen, 5000ms),
                 cliSeen.c_str());
        QVERIFY2(cliSeen.substr(cliSeen.rfind("lock:c")).find("\"node\":\"" + newMaster + "\"") !=
                     std::string::npos,
                 cliSeen.c_str());
        watch.terminate();
        QCOMPARE(watch.wait(5000ms).value_or(-1), 0);
        mon.stop();

        // One-shot commands through the Sentinel URL reach the current master.
        auto locks = test::runCli({"--url", url, "locks", "--json", "--match", prefix + "*"});
        QVERIFY2(locks.exitCode == 0, locks.err.c_str());
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(locks.out));
        QCOMPARE(doc.array().size(), 2);
        for (const auto& v : doc.array())
            QCOMPARE(v.toObject()["node"].toString().toStdString(), newMaster);
        auto acquired = test::runCli({"--url", url, "lock", "acquire", prefix + "cli", "--strategy",
                                      "set-nx-px", "--ttl", "60000"});
        QVERIFY2(acquired.exitCode == 0, acquired.err.c_str());
        QVERIFY(nm.command({"GET", prefix + "cli"}).optString().has_value());
    }

    // A graceful failover on a busy server, where hundreds of leases end every second. Each lock
    // is read again when its TTL runs out (Redis's `expired` comes late with many TTL keys); those
    // reads were charged to the polling budget, so under this churn the pacer's debt grew for as
    // long as it lasted and the paced sweep stood still. After the failover, keys on the new
    // master that raised no event the monitor heard are found only by that sweep: they were never
    // listed — the chaos soak's "a failover not followed within 60 s" (its probe lock, written as
    // the monitor was resubscribing). Here such keys are written on the replica before the
    // failover (made writable: the monitor, subscribed to the master, hears nothing of them); the
    // promoted replica keeps them, and every one must be listed while the leases keep ending.
    void followsAFailoverWhileLeasesEnd() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology t(o);
        const std::string probe = prefix + "busy:probe:";
        const int probes = 300;  // three paced sweep batches at least, whatever the SCAN order
        {
            redis::Connection replica(t.server(1).endpoint());
            replica.command({"CONFIG", "SET", "replica-read-only", "no"});
            redis::Pipeline p(replica);
            for (int i = 0; i < probes; ++i)
                p.add({"SET", probe + std::to_string(i),
                       "lockscope:set-nx-px:probe:" + std::to_string(i + 1) +
                           ":0123abcd:00000000000000ff",
                       "PX", 300000});
            for (const auto& r : p.exec()) QVERIFY(!r.isError());
        }

        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(t.url()), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.status().inventoryComplete, 10000);
        QVERIFY(!seen.has(probe + "0"));  // not on the master it follows

        // The churn: 2000 locks of 100–400 ms leases, 50 written every ~40 ms to whichever node
        // `target` names — a lease ends about a second and a half before its key is written again:
        // about a thousand ends, and re-reads, a second.
        std::atomic<size_t> target{0};
        std::atomic<bool> stop{false};
        std::atomic<long long> written{0};
        std::thread churn([&] {
            std::optional<redis::Connection> c;
            size_t at = target.load();
            for (long long round = 0; !stop.load(); ++round) {
                try {
                    if (!c || at != target.load()) {
                        at = target.load();
                        c.emplace(t.server(at).endpoint());
                    }
                    redis::Pipeline p(*c);
                    for (long long i = 0; i < 50; ++i) {
                        const long long k = (round * 50 + i) % 2000;
                        p.add({"SET", prefix + "busy:lock:" + std::to_string(k),
                               "lockscope:set-nx-px:churn:" + std::to_string(k) +
                                   ":0123abcd:00000000000000ff",
                               "PX", 100 + (k * 37) % 300});
                    }
                    for (const auto& r : p.exec())
                        if (!r.isError()) ++written;
                } catch (const redis::Error&) {
                    c.reset();  // demoted or restarting: the next round reconnects
                }
                std::this_thread::sleep_for(40ms);
            }
        });
        struct Join {
            std::atomic<bool>& stop;
            std::thread& t;
            ~Join() {
                stop = true;
                if (t.joinable()) t.join();
            }
        } join{stop, churn};
        // The leases end and are read again for a while before the failover.
        QTRY_VERIFY_WITH_TIMEOUT(written.load() > 5000, 30000);

        const auto failover = t.failover();
        QCOMPARE(failover.to, t.address(1));
        target = 1;
        const long long writtenBefore = written.load();
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].display(), failover.to, 8000);
        // Every key the new master had is listed: its sweep went on under the churn. (Broken: the
        // first batch at most, and nothing more for as long as the leases kept ending.)
        std::string missing;
        auto listed = [&] {
            int n = 0;
            missing.clear();
            for (int i = 0; i < probes; ++i) {
                const bool has = seen.has(probe + std::to_string(i));
                n += has;
                if (!has && missing.size() < 200) missing += std::to_string(i) + " ";
            }
            return n;
        };
        // A plain wait, not QTRY: on failure QTRY waits twice as long again to say whether the
        // condition came true later.
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while (listed() < probes && std::chrono::steady_clock::now() < deadline) QTest::qWait(100);
        QVERIFY2(listed() == probes, (std::to_string(listed()) + " of " + std::to_string(probes) +
                                      " listed (missing: " + missing + "); " + seen.messages())
                                         .c_str());
        QVERIFY(written.load() > writtenBefore);  // on the new master, meanwhile
        QCOMPARE(seen.get(probe + "0")->state, monitor::LockState::Held);
        mon.stop();
    }

    // Issue 18.4: right after a kill -9 failover, once a Sentinel names the promoted replica
    // (SENTINEL GET-MASTER-ADDR-BY-NAME) and it answers ROLE master, asking the Sentinels gives
    // the promoted replica — not the dead master SENTINEL MASTER still names until the failover
    // ends. Never a node that is not a master.
    // Issue 18 (failover tester): a live holder's connection reaches the promoted replica only at
    // its next renewal. Until then its absence from the new master's CLIENT LIST is no evidence:
    // the lock is never shown "orphaned" — an operator would force-release a live lease on that
    // word. Absent for longer than half the TTL left (orphanWindow), it is.
    void liveHolderIsNotOrphanedAcrossAFailover() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology t(o);
        const std::string key = prefix + "lease";
        const std::string token = "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef";
        redis::ConnectOptions named;  // how LockScope's own holders name their connection
        named.clientName = "lockscope:h:1:0123abcd";
        auto holder = std::make_unique<redis::Connection>(t.server(0).endpoint(), named);
        holder->command({"SET", key, token, "PX", 60000});
        QCOMPARE(holder->command({"WAIT", 1, 2000}).integer(), 1LL);

        auto options = fastOptions();
        options.clientListInterval = 200ms;
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(t.url()), options);
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY_WITH_TIMEOUT(seen.has(key) && seen.get(key)->orphanChecked, 8000);
        QCOMPARE(seen.get(key)->state, monitor::LockState::Held);

        const std::string newMaster = t.failover().to;
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].display(), newMaster, 8000);
        QTRY_COMPARE_WITH_TIMEOUT(seen.status().nodes[0].link, monitor::NodeStatus::Link::Connected,
                                  3000);
        // The holder is still on the old node. The key is read again on the new master (a
        // plain connection's PEXPIRE: a notification), with its CLIENT LIST known by then.
        redis::Connection plain(t.server(1).endpoint());
        QTest::qWait(1000);
        const int before = seen.changesOf(key);
        plain.command({"PEXPIRE", key, 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.changesOf(key) > before, 3000);
        QTest::qWait(500);
        QVERIFY(!seen.sawState(key, monitor::LockState::Orphaned));
        QCOMPARE(seen.get(key)->state, monitor::LockState::Held);
        QVERIFY(!seen.get(key)->orphanChecked);  // not judged yet, and not claimed either way

        // Its next renewal comes through the new master: seen connected.
        holder = std::make_unique<redis::Connection>(t.server(1).endpoint(), named);
        QTest::qWait(500);
        holder->command({"PEXPIRE", key, 60000});
        QTRY_VERIFY_WITH_TIMEOUT(seen.get(key)->orphanChecked, 3000);
        QCOMPARE(seen.get(key)->state, monitor::LockState::Held);
        QVERIFY(!seen.sawState(key, monitor::LockState::Orphaned));

        // And when it goes away for good, that is evidence once half of what is left of the
        // TTL has passed without it (no change to the key is needed for that verdict).
        holder.reset();
        plain.command({"PEXPIRE", key, 6000});
        QTRY_COMPARE_WITH_TIMEOUT(seen.get(key)->state, monitor::LockState::Orphaned, 5500);
        QVERIFY(seen.get(key)->orphanChecked);
        mon.stop();
    }

    // Found by the failover tester: notifications the user asked to enable (watch
    // --enable-notifications, the dashboard's Enable) are enabled on the promoted master too.
    void enabledNotificationsFollowAFailover() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        o.notifyKeyspaceEvents = "";
        sandbox::Topology t(o);
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl(t.url()), fastOptions());
        seen.attach(mon);
        mon.requestEnableNotifications();
        mon.start();
        auto flags = [&](size_t i) {
            auto r = redis::Connection(t.server(i).endpoint())
                         .command({"CONFIG", "GET", "notify-keyspace-events"});
            return std::string(r[1].str());
        };
        const size_t before = *t.sentinelMaster();
        QTRY_VERIFY_WITH_TIMEOUT(!flags(before).empty(), 8000);
        const auto f = t.failover();
        size_t after = before;
        for (size_t i : t.dataNodes())
            if (t.address(i) == f.to) after = i;
        QVERIFY(after != before);
        QTRY_VERIFY2_WITH_TIMEOUT(!flags(after).empty(), seen.messages().c_str(), 10000);
        mon.stop();
    }

    void theNewMasterAtOnce() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology t(o);
        const auto sentinels = t.sentinelEndpoints();
        const redis::HostPort replica{"127.0.0.1", t.server(1).port()};
        redis::ConnectOptions quick;
        quick.connectTimeout = 300ms;
        quick.commandTimeout = 300ms;
        t.killNode(0);
        int windows = 0, wrong = 0;
        std::string wrongSeen;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        bool switched = false;
        while (std::chrono::steady_clock::now() < deadline && !switched) {
            bool named = false;
            switched = true;
            for (const auto& s : sentinels) {
                try {
                    auto c = redis::connectSentinel(s, quick, {}, {});
                    auto addr = c.command({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"});
                    const bool promoted = addr.isArray() && addr.size() == 2 &&
                                          addr[1].str() == std::to_string(replica.port);
                    named = named || promoted;
                    auto view = redis::masterView(c, "mymaster");
                    switched = switched && view && view->master == replica;
                } catch (const redis::Error&) {
                    switched = false;
                }
            }
            if (!named) {
                std::this_thread::sleep_for(10ms);
                continue;
            }
            ++windows;
            try {
                auto answer = redis::askSentinels(sentinels, "mymaster", quick);
                if (!(answer.master == replica)) {
                    ++wrong;
                    wrongSeen += answer.master.display() + " ";
                }
            } catch (const redis::Error& e) {
                ++wrong;
                wrongSeen += std::string(e.what()) + "; ";
            }
        }
        qInfo("polls after the promotion was named: %d, wrong answers: %d", windows, wrong);
        QVERIFY(windows > 0);
        QVERIFY2(wrong == 0, wrongSeen.c_str());
    }

    void badSentinelUrlsSayWhatIsWrong() {
        sandbox::RedisServerOptions so;
        so.sentinel = true;
        so.unixSocket = false;
        so.notifyKeyspaceEvents.clear();
        sandbox::RedisServer master;
        so.sentinelConfig =
            "sentinel monitor mymaster 127.0.0.1 " + std::to_string(master.port()) + " 1";
        sandbox::RedisServer sentinel(so);
        const std::string hp = "127.0.0.1:" + std::to_string(sentinel.port());
        auto unknown = test::runCli({"--url", "redis+sentinel://" + hp + "/nosuch", "locks"});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.find("know no master named 'nosuch'") != std::string::npos,
                 unknown.err.c_str());
        const int deadPort = sandbox::pickFreePort(20000, 45000, false);
        auto unreachable = test::runCli(
            {"--url", "redis+sentinel://127.0.0.1:" + std::to_string(deadPort) + "/mymaster",
             "locks"});
        QCOMPARE(unreachable.exitCode, 3);
        QVERIFY2(unreachable.err.find("no Sentinel answered") != std::string::npos,
                 unreachable.err.c_str());
        // The right name works with a single Sentinel too.
        auto ok =
            test::runCli({"--url", "redis+sentinel://" + hp + "/mymaster", "locks", "--json"});
        QVERIFY2(ok.exitCode == 0, ok.err.c_str());
        // The monitor engine says it in its status instead of throwing on its own thread.
        test::MonitorCollector seen;
        monitor::Monitor mon(redis::parseUrl("redis+sentinel://" + hp + "/nosuch"), fastOptions());
        seen.attach(mon);
        mon.start();
        QTRY_VERIFY2_WITH_TIMEOUT(seen.messageContains("know no master named 'nosuch'"),
                                  seen.messages().c_str(), 3000);
        QVERIFY(!seen.status().inventoryComplete);
        mon.stop();
    }
};

QTEST_GUILESS_MAIN(TestMonitorSentinel)
#include "test_monitor_sentinel.moc"

// redlock against 5 real redis-servers: quorum, validity (drift and elapsed time), release and
// extend on every node, node failures (killed, paused, slow), concurrency of the fan-out.
#include <QtTest>
#include <thread>

#include "locks/redlock.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Steady = std::chrono::steady_clock;

namespace {

long long ms(Steady::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Makes a node busy for `delay` from another connection: DEBUG SLEEP blocks the whole server,
// as a GC pause or a slow disk would. finish() collects the reply.
class SlowNode {
public:
    SlowNode(const sandbox::RedisServer& server, std::chrono::milliseconds delay)
        : conn_(server.endpoint(), patientOptions()) {
        conn_.send({"DEBUG", "SLEEP", std::to_string(delay.count() / 1000.0)});
    }
    void finish() { QCOMPARE(QString::fromStdString(std::string(conn_.receive().str())), "OK"); }

private:
    static redis::ConnectOptions patientOptions() {
        redis::ConnectOptions o;
        o.commandTimeout = 10000ms;  // the sleep itself must not time out
        return o;
    }
    redis::Connection conn_;
};

}  // namespace

class TestRedlock : public QObject {
    Q_OBJECT
    std::vector<std::unique_ptr<sandbox::RedisServer>> servers;
    std::string prefix;

    locks::LockContext context(std::chrono::milliseconds nodeTimeout = 50ms) {
        std::vector<const sandbox::RedisServer*> all;
        for (const auto& s : servers) all.push_back(s.get());
        auto ctx = test::contextFor(all);
        ctx.config.nodeTimeout = nodeTimeout;
        return ctx;
    }
    std::unique_ptr<locks::LockStrategy> make(std::chrono::milliseconds nodeTimeout = 50ms) {
        return locks::makeLockStrategy("redlock", context(nodeTimeout));
    }
    std::optional<std::string> valueOn(size_t node, const std::string& key) {
        return redis::Connection(servers[node]->endpoint()).command({"GET", key}).optString();
    }
    int nodesHolding(const std::string& key, const std::string& value) {
        int n = 0;
        for (size_t i = 0; i < servers.size(); ++i)
            if (servers[i]->running() && valueOn(i, key) == value) ++n;
        return n;
    }
    int nodesWithKey(const std::string& key) {
        int n = 0;
        for (size_t i = 0; i < servers.size(); ++i)
            if (servers[i]->running() && valueOn(i, key)) ++n;
        return n;
    }

private slots:
    void initTestCase() {
        for (int i = 0; i < 5; ++i) servers.push_back(std::make_unique<sandbox::RedisServer>());
        prefix = test::keyPrefix("redlock");
    }
    // Every test starts with 5 running, answering nodes, whatever the previous one did to them.
    void init() {
        for (auto& s : servers) {
            if (!s->running()) s->restart();
            s->resume();
        }
    }
    void cleanupTestCase() { servers.clear(); }

    void factoryMakesRedlock() {
        auto lock = make();
        QCOMPARE(QString::fromStdString(std::string(lock->id())), "redlock");
        QVERIFY(dynamic_cast<locks::RedlockLock*>(lock.get()));
        QCOMPARE(dynamic_cast<locks::RedlockLock*>(lock.get())->quorum(), 3);
    }

    void acquiresOnAllNodes() {
        auto lock = make();
        const std::string key = prefix + "all";
        auto lease = lock->tryAcquire(key, 10000ms);
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 5);
        QVERIFY(locks::parseToken(lease->token));
        QCOMPARE(nodesHolding(key, lease->token), 5);  // the same token on every node
        for (const auto& s : servers) {
            auto pttl = redis::Connection(s->endpoint()).command({"PTTL", key}).integer();
            QVERIFY2(pttl > 9000 && pttl <= 10000, qPrintable(QString::number(pttl)));
        }
        QCOMPARE(lock->stats().acquisitions, 1u);
        QCOMPARE(lock->release(*lease), ReleaseResult::Released);
    }

    void validitySubtractsDrift_data() {
        QTest::addColumn<int>("ttlMs");
        QTest::addColumn<double>("driftFactor");
        QTest::newRow("1s, 1%") << 1000 << 0.01;
        QTest::newRow("30s, 1%") << 30000 << 0.01;
        QTest::newRow("10s, 10%") << 10000 << 0.10;
    }
    void validitySubtractsDrift() {
        QFETCH(int, ttlMs);
        QFETCH(double, driftFactor);
        auto ctx = context();
        ctx.config.driftFactor = driftFactor;
        locks::RedlockLock lock(ctx);
        const std::chrono::milliseconds ttl(ttlMs);
        const auto drift = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::duration<double, std::milli>(driftFactor * ttlMs + 2.0));
        QVERIFY(std::abs(lock.driftFor(ttl).count() - drift.count()) <= 1);
        auto lease = lock.tryAcquire(prefix + "drift" + QTest::currentDataTag(), ttl);
        QVERIFY(lease);
        const auto validity = lease->validUntil - lease->acquiredAt;
        // validity = ttl - elapsed - drift: at most ttl - drift, and elapsed is small here.
        QVERIFY2(validity <= ttl - drift, qPrintable(QString::number(ms(validity))));
        QVERIFY2(validity > ttl - drift - 500ms, qPrintable(QString::number(ms(validity))));
        lock.release(*lease);
    }

    void ttlWithinDriftIsRejected() {
        auto lock = make();
        try {
            lock->tryAcquire(prefix + "tiny", 2ms);  // drift alone is 2.02 ms
            QFAIL("a ttl that can never be valid was accepted");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
        }
        QCOMPARE(nodesWithKey(prefix + "tiny"), 0);
    }

    void twoOfFiveDownStillAcquires() {
        auto before = make();  // its connections to the killed nodes break
        servers[1]->kill();
        servers[3]->kill();
        auto after = make();  // never connects to the killed nodes
        for (auto* lock : {before.get(), after.get()}) {
            const std::string key = prefix + "two-down" + (lock == before.get() ? "a" : "b");
            auto lease = lock->tryAcquire(key, 10000ms);
            QVERIFY(lease);
            QCOMPARE(lease->nodesHeld, 3);
            QCOMPARE(nodesHolding(key, lease->token), 3);
            QCOMPARE(lock->release(*lease), ReleaseResult::Released);
            QCOMPARE(nodesWithKey(key), 0);
        }
    }

    void threeOfFiveDownFailsAndLeavesNothing() {
        auto before = make();
        servers[0]->kill();
        servers[2]->kill();
        servers[4]->kill();
        auto after = make();
        for (auto* lock : {before.get(), after.get()}) {
            const std::string key = prefix + "three-down" + (lock == before.get() ? "a" : "b");
            // 2 nodes accept the SET, but 2 is no quorum: the state of the lock is unknowable,
            // which is a connection error, not "busy".
            try {
                lock->tryAcquire(key, 10000ms);
                QFAIL("acquired without a quorum");
            } catch (const redis::Error& e) {
                QVERIFY2(
                    e.kind() == redis::ErrorKind::Connect || e.kind() == redis::ErrorKind::Closed,
                    e.what());
                QVERIFY2(QString(e.what()).contains("only 2 of 5 nodes answered"), e.what());
            }
            QCOMPARE(nodesWithKey(key), 0);  // the 2 live nodes were cleaned up
        }
        // A blocking acquire keeps trying (nodes may come back), then reports the failure.
        const auto attempts = after->stats().attempts;
        const auto t0 = Steady::now();
        QVERIFY_THROWS_EXCEPTION(
            redis::Error, after->acquire(prefix + "three-down-wait", 10000ms, {.timeout = 200ms}));
        QVERIFY(Steady::now() - t0 >= 200ms);
        QVERIFY(after->stats().attempts > attempts + 1);
        QCOMPARE(nodesWithKey(prefix + "three-down-wait"), 0);
    }

    void nodesComingBackAreUsedAgain() {
        auto lock = make();
        servers[0]->kill();
        servers[1]->kill();
        servers[2]->kill();
        QVERIFY_THROWS_EXCEPTION(redis::Error, lock->tryAcquire(prefix + "back", 10000ms));
        servers[0]->restart();
        auto lease = lock->tryAcquire(prefix + "back", 10000ms);
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 3);
        lock->release(*lease);
    }

    // A node that dropped our connection while it sat idle (restart, `timeout`, CLIENT KILL) is
    // reconnected before the SET goes out, so the attempt does not lose that node.
    void nodeThatDroppedAnIdleConnectionIsReconnected() {
        auto ctx = context();
        const std::string name = ctx.owner.clientName();
        locks::RedlockLock lock(ctx);
        auto warm = lock.tryAcquire(prefix + "idle-warm", 10000ms);
        QVERIFY(warm);
        lock.release(*warm);
        redis::Connection admin(servers[2]->endpoint());
        const std::string clients(admin.command({"CLIENT", "LIST"}).str());
        int killed = 0;
        for (const auto& line : QString::fromStdString(clients).split('\n')) {
            if (!line.contains(QString::fromStdString(" name=" + name + " "))) continue;
            const auto id = line.section(' ', 0, 0).section('=', 1).toLongLong();
            killed += int(admin.command({"CLIENT", "KILL", "ID", id}).integer());
        }
        QCOMPARE(killed, 1);
        std::this_thread::sleep_for(20ms);  // idle, as a connection between two jobs is
        auto lease = lock.tryAcquire(prefix + "idle", 10000ms);
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 5);
        QCOMPARE(lock.release(*lease), ReleaseResult::Released);
    }

    void slowNodeShrinksValidity() {
        auto lock = make(2000ms);  // wait for the slow node rather than give up on it
        auto fast = lock->tryAcquire(prefix + "slow-ref", 10000ms);
        QVERIFY(fast);
        const auto fastValidity = fast->validUntil - fast->acquiredAt;

        SlowNode slow(*servers[2], 300ms);
        std::this_thread::sleep_for(20ms);  // DEBUG SLEEP is running on node 2 now
        auto lease = lock->tryAcquire(prefix + "slow", 10000ms);
        slow.finish();
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 5);
        const auto validity = lease->validUntil - lease->acquiredAt;
        // Node 2 answered ~280 ms late: the lease is that much shorter than an undelayed one.
        const auto shrink = fastValidity - validity;
        QVERIFY2(shrink >= 200ms && shrink < 2000ms, qPrintable(QString::number(ms(shrink))));
        lock->release(*fast);
        lock->release(*lease);
    }

    void ttlShorterThanTheDelayFails() {
        auto lock = make(2000ms);
        const std::string key = prefix + "too-slow";
        SlowNode slow(*servers[2], 300ms);
        std::this_thread::sleep_for(20ms);
        // All 5 nodes say OK, but by the time node 2 does, a 150 ms lock has expired elsewhere.
        auto lease = lock->tryAcquire(key, 150ms);
        slow.finish();
        QVERIFY(!lease);
        // Node 2 set the key ~0 ms ago with PX 150: only the failed attempt's release removed it.
        QVERIFY(!valueOn(2, key));
        QCOMPARE(nodesWithKey(key), 0);
        QCOMPARE(lock->stats().acquisitions, 0u);
    }

    void releaseDeletesOnAllNodes() {
        auto lock = make();
        const std::string key = prefix + "release";
        auto lease = lock->tryAcquire(key, 10000ms);
        QVERIFY(lease);
        QCOMPARE(nodesWithKey(key), 5);
        QCOMPARE(lock->release(*lease), ReleaseResult::Released);
        QCOMPARE(nodesWithKey(key), 0);
        QCOMPARE(lock->release(*lease), ReleaseResult::NotHeld);
    }

    void releaseOfForgedTokenIsNotOwner() {
        auto lock = make();
        const std::string key = prefix + "forged";
        auto lease = lock->tryAcquire(key, 10000ms);
        QVERIFY(lease);
        locks::Lease forged = *lease;
        forged.token = "someone-else";
        QCOMPARE(lock->release(forged), ReleaseResult::NotOwner);
        QCOMPARE(nodesHolding(key, lease->token), 5);  // nothing deleted anywhere
        QCOMPARE(lock->release(*lease), ReleaseResult::Released);
    }

    void pausedMinorityDoesNotBlock() {
        auto before = make(50ms);
        servers[0]->pause();  // SIGSTOP: connections stay open, nothing answers
        servers[4]->pause();
        auto t0 = Steady::now();
        auto after = make(50ms);  // its handshakes with the paused nodes time out
        QVERIFY2(Steady::now() - t0 < 1000ms, qPrintable(QString::number(ms(Steady::now() - t0))));
        for (auto* lock : {before.get(), after.get(), before.get()}) {
            const std::string key = prefix + "paused" + std::to_string(lock->stats().attempts) +
                                    (lock == before.get() ? "a" : "b");
            t0 = Steady::now();
            auto lease = lock->tryAcquire(key, 10000ms);
            const auto took = Steady::now() - t0;
            QVERIFY(lease);
            QCOMPARE(lease->nodesHeld, 3);
            // Bounded by nodeTimeout (50 ms per reconnect + 50 ms for the replies), not by the
            // connection's default 5 s command timeout. Generous bound for a loaded machine.
            QVERIFY2(took < 1000ms, qPrintable(QString::number(ms(took))));
            QCOMPARE(lock->release(*lease), ReleaseResult::Released);
        }
    }

    // The SET goes out to every node before any reply is read. (Sleeping 3 nodes from other
    // connections and timing one acquire cannot show this: those sleeps overlap in wall time
    // however the client talks to the nodes. Where each node executed our SET can.)
    void writesGoOutBeforeAnyReplyIsRead() {
        auto lock = make(2000ms);
        const std::string key = prefix + "concurrent";
        SlowNode slow(*servers[0], 300ms);  // node 0 is asked first and answers last
        std::this_thread::sleep_for(20ms);
        auto lease = lock->tryAcquire(key, 10000ms);
        slow.finish();
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 5);
        auto pttl = [&](size_t i) {
            return redis::Connection(servers[i]->endpoint()).command({"PTTL", key}).integer();
        };
        const long long late = pttl(0);
        // Nodes 1-4 set the key ~280 ms before node 0 woke up, i.e. before its reply was read.
        for (size_t i = 1; i < 5; ++i)
            QVERIFY2(late - pttl(i) >= 200,
                     qPrintable(QString("node %1: %2 ms vs %3 ms").arg(i).arg(pttl(i)).arg(late)));
        lock->release(*lease);
    }

    // Replies are awaited in parallel: two paused nodes cost one nodeTimeout, not two.
    void pausedNodesCostOneNodeTimeout() {
        const auto nodeTimeout = 400ms;
        auto lock = make(nodeTimeout);
        auto warm = lock->tryAcquire(prefix + "one-timeout-warm", 10000ms);  // scripts loaded
        QVERIFY(warm);
        lock->release(*warm);
        servers[1]->pause();
        servers[3]->pause();
        const auto t0 = Steady::now();
        auto lease = lock->tryAcquire(prefix + "one-timeout", 10000ms);
        const auto took = Steady::now() - t0;
        QVERIFY(lease);
        QCOMPARE(lease->nodesHeld, 3);
        // ~400 ms; one after the other would be ~800 ms.
        QVERIFY2(took >= nodeTimeout - 50ms && took < nodeTimeout * 3 / 2,
                 qPrintable(QString::number(ms(took))));
        QCOMPARE(lock->release(*lease), ReleaseResult::Released);
    }

    void onlyOneOfTwoContendersGetsIt() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "contend";
        auto held = a->tryAcquire(key, 10000ms);
        QVERIFY(held);
        QVERIFY(!b->tryAcquire(key, 10000ms));
        QCOMPARE(nodesHolding(key, held->token), 5);  // b's attempt left nothing behind
        QCOMPARE(a->release(*held), ReleaseResult::Released);
        auto next = b->tryAcquire(key, 10000ms);
        QVERIFY(next);
        QVERIFY(!a->tryAcquire(key, 10000ms));
        QCOMPARE(b->release(*next), ReleaseResult::Released);
    }

    void minorityOfAnotherHolderStillFails() {
        // Another client's value on 3 nodes, free on 2: we may SET 2, which is no quorum.
        const std::string key = prefix + "minority";
        for (size_t i : {0, 1, 2})
            redis::Connection(servers[i]->endpoint()).command({"SET", key, "other", "PX", 10000});
        auto lock = make();
        QVERIFY(!lock->tryAcquire(key, 10000ms));  // all nodes answered: busy, not an error
        QCOMPARE(nodesHolding(key, "other"), 3);   // theirs untouched
        QCOMPARE(nodesWithKey(key), 3);            // ours taken back from nodes 3 and 4
    }

    void blockingAcquireWaitsForRelease() {
        auto a = make();
        auto b = make();
        const std::string key = prefix + "block";
        auto held = a->tryAcquire(key, 10000ms);
        QVERIFY(held);
        std::thread releaser([&] {
            std::this_thread::sleep_for(200ms);
            a->release(*held);
        });
        const auto t0 = Steady::now();
        auto lease = b->acquire(key, 10000ms, {.timeout = 3000ms});
        const auto waited = Steady::now() - t0;
        releaser.join();
        QVERIFY(lease);
        QVERIFY2(waited >= 190ms && waited < 1500ms, qPrintable(QString::number(ms(waited))));
        QVERIFY(b->stats().attempts > 2);  // it retried, with (random) delays in between
        const auto t1 = Steady::now();
        QVERIFY(!a->acquire(key, 10000ms, {.timeout = 150ms}));
        QVERIFY(Steady::now() - t1 >= 150ms);
        b->release(*lease);
    }

    void extendNeedsAQuorum() {
        locks::RedlockLock lockObject(context());
        auto* lock = &lockObject;
        const std::string key = prefix + "extend";
        auto lease = lock->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        const auto oldUntil = lease->validUntil;
        QVERIFY(lock->extend(*lease, 20000ms));
        QCOMPARE(lease->nodesHeld, 5);
        QVERIFY(lease->validUntil > oldUntil + 15s);
        QVERIFY(lease->validUntil - Steady::now() <= 20000ms - lock->driftFor(20000ms));
        for (const auto& s : servers)
            QVERIFY(redis::Connection(s->endpoint()).command({"PTTL", key}).integer() > 19000);
        // Two nodes lost: 3 still extend.
        for (size_t i : {0, 1})
            redis::Connection(servers[i]->endpoint()).command({"SET", key, "stolen"});
        QVERIFY(lock->extend(*lease, 20000ms));
        QCOMPARE(lease->nodesHeld, 3);
        // Three lost: no quorum any more.
        redis::Connection(servers[2]->endpoint()).command({"SET", key, "stolen"});
        QVERIFY(!lock->extend(*lease, 20000ms));
        QCOMPARE(nodesHolding(key, "stolen"), 3);
        QCOMPARE(lock->release(*lease), ReleaseResult::Released);  // its 2 remaining copies
        QCOMPARE(nodesWithKey(key), 3);
    }

    void inspectShowsEveryNode() {
        auto lock = make();
        const std::string key = prefix + "inspect";
        auto free = lock->inspect(key);
        QVERIFY(!free.held);
        QCOMPARE(free.nodesHeld, 0);
        QCOMPARE(free.nodesTotal, 5);
        QCOMPARE(free.ttl, -2ms);
        auto lease = lock->tryAcquire(key, 8000ms);
        QVERIFY(lease);
        redis::Connection(servers[4]->endpoint()).command({"SET", key, "other"});
        servers[3]->kill();
        auto info = make()->inspect(key);
        QVERIFY(info.held);
        QCOMPARE(info.nodesTotal, 5);
        QCOMPARE(info.nodesHeld, 3);
        QCOMPARE(QString::fromStdString(info.holder), QString::fromStdString(lease->token));
        QVERIFY(info.ttl > 7000ms && info.ttl <= 8000ms);
        QCOMPARE(int(info.nodes.size()), 5);
        for (int i = 0; i < 5; ++i) {
            const auto& n = info.nodes[size_t(i)];
            QCOMPARE(QString::fromStdString(n.node),
                     QString::fromStdString(servers[size_t(i)]->endpoint().display()));
            QCOMPARE(n.reachable, i != 3);
        }
        QCOMPARE(QString::fromStdString(*info.nodes[4].value), "other");
        QCOMPARE(info.nodes[4].ttl, -1ms);
        QVERIFY(!info.nodes[3].value);
        QVERIFY(QString::fromStdString(info.detail).contains("1 unreachable"));
    }
};

QTEST_APPLESS_MAIN(TestRedlock)
#include "test_redlock.moc"

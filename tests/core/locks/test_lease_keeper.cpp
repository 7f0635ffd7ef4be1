// The LeaseKeeper against real servers: where its resolver names a node that does not hold the
// lease, it is lost — unless the node the lease lives on is still a master that holds it (a
// resolver's answer can be stale for a moment around a failover: failover_loop saw false losses).
// A plain semaphore's permit (no lease) is checked by its token in the record on the node the
// resolver names: it moves there when that record has it, is lost when it does not (or when it
// was given back), and its release goes where the resolver points (adv14e item 1).
#include <QtTest>

#include "locks/lease_keeper.h"
#include "locks/primitive_state.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using Result = locks::LeaseKeeper::Renewal::Result;

class TestLeaseKeeper : public QObject {
    Q_OBJECT
    std::string prefix;

    // A set-nx-px lease on `home`, kept by a keeper whose resolver names `named`.
    static locks::LeaseKeeper keeperOn(const sandbox::RedisServer& home,
                                       const sandbox::RedisServer& named, const std::string& key,
                                       const std::string& strategy = "set-nx-px") {
        auto ctx = test::contextFor(home);
        auto lock = locks::makeLockStrategy(strategy, ctx);
        auto lease = lock->tryAcquire(key, 3000ms);
        if (!lease) qFatal("the lease was not acquired");
        const auto there = named.endpoint();
        return locks::LeaseKeeper(std::move(lock), ctx, *lease,
                                  [there] { return std::vector<redis::Endpoint>{there}; });
    }

private slots:
    void initTestCase() { prefix = test::keyPrefix("keeper"); }

    void staleAnswerWhileTheMasterStillHoldsItIsNotALoss() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "stale";
        auto keeper = keeperOn(home, elsewhere, key);
        const auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Unconfirmed);
        QVERIFY2(r.reason.find("still holds it") != std::string::npos, r.reason.c_str());
        QVERIFY(r.validFor.count() > 0);
        QCOMPARE(keeper.node(), home.endpoint().display());  // it did not move
    }

    void movedToANodeWithoutItIsLostOnceItIsGoneHere() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "gone";
        auto keeper = keeperOn(home, elsewhere, key);
        redis::Connection(home.endpoint()).command({"DEL", key});  // a demoted master's data
        const auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Lost);
        QVERIFY2(r.reason.find("does not hold the lock for us") != std::string::npos,
                 r.reason.c_str());
    }

    void movedToANodeThatHoldsItMoves() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "moved";
        auto keeper = keeperOn(home, elsewhere, key);
        // The promoted replica got the grant.
        redis::Connection(elsewhere.endpoint())
            .command({"SET", key, keeper.lease().token, "PX", 3000});
        const auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Moved);
        QCOMPARE(keeper.node(), elsewhere.endpoint().display());
    }

    // Issue 14 (F14i): a plain permit has no lease, so its holder never moved with the master:
    // its connection stayed on the old one (a give-back by count on the new master took its
    // token as a dead holder's) and its release went there (the permit stayed taken on the new
    // master). Its keeper now moves when the resolver names another node: connected there, and
    // released there.
    void plainPermitMovesWithTheMaster() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "permit";
        auto ctx = test::contextFor(home);
        ctx.config.permits = 2;
        auto lock = locks::makeLockStrategy("semaphore", ctx);
        QVERIFY(!lock->supportsExtend());
        auto lease = lock->tryAcquire(key, 3000ms);
        QVERIFY(lease);
        // The promoted replica has what the old master had.
        redis::Connection from(home.endpoint()), to(elsewhere.endpoint());
        for (const std::string& k : {key, "lockscope_meta:{" + key + "}"}) {
            const auto dump = from.command({"DUMP", k});
            QVERIFY(!dump.isNil());
            to.command({"RESTORE", k, 0, std::string(dump.str()), "REPLACE"});
        }
        const auto there = elsewhere.endpoint();
        locks::LeaseKeeper keeper(std::move(lock), ctx, *lease,
                                  [there] { return std::vector<redis::Endpoint>{there}; });
        QVERIFY(keeper.masterMoved());
        const auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Moved);
        QCOMPARE(keeper.node(), elsewhere.endpoint().display());
        QCOMPARE(r.from, home.endpoint().display());
        QVERIFY(!keeper.masterMoved());
        const std::string clients(to.command({"CLIENT", "LIST"}).str());
        QVERIFY2(clients.find("name=" + ctx.owner.clientName() + " ") != std::string::npos,
                 clients.c_str());
        QVERIFY(keeper.release() == locks::ReleaseResult::Released);
        QCOMPARE(to.command({"GET", key}).optString(), std::optional<std::string>("2"));
        QCOMPARE(from.command({"GET", key}).optString(), std::optional<std::string>("1"));
    }

    // What a promoted replica holds of a plain permit taken on the old master.
    static void replicatePermit(const sandbox::RedisServer& to, const std::string& key,
                                const std::string& token) {
        redis::Connection c(to.endpoint());
        c.command({"SET", key, "0"});
        c.command({"HSET", locks::lockscopeMetaKey(key), "kind", "semaphore", "size", "1",
                   "permit:" + token, "1"});
    }
    static std::string get(const sandbox::RedisServer& s, const std::string& key) {
        return redis::Connection(s.endpoint()).command({"GET", key}).optString().value_or("<gone>");
    }

    void plainPermitFollowsToANodeWithItsToken() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "permit-moved";
        auto keeper = keeperOn(home, elsewhere, key, "semaphore");
        replicatePermit(elsewhere, key, keeper.lease().token);
        const auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Moved);
        QCOMPARE(r.from, home.endpoint().display());
        QCOMPARE(keeper.node(), elsewhere.endpoint().display());
        QCOMPARE(keeper.release(), locks::ReleaseResult::Released);
        QCOMPARE(get(elsewhere, key), std::string("1"));  // given back where it lives now
        QCOMPARE(get(home, key), std::string("0"));
    }

    // The old code released on the node of the acquire, whatever the resolver named.
    void plainPermitReleaseGoesWhereTheResolverPoints() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "permit-release";
        auto keeper = keeperOn(home, elsewhere, key, "semaphore");
        replicatePermit(elsewhere, key, keeper.lease().token);
        QCOMPARE(keeper.release(), locks::ReleaseResult::Released);
        QCOMPARE(keeper.movedBeforeRelease(), home.endpoint().display());
        QCOMPARE(get(elsewhere, key), std::string("1"));
        QCOMPARE(get(home, key), std::string("0"));
    }

    void plainPermitMissingThereIsLostOnceItIsGoneHere() {
        sandbox::RedisServer home, elsewhere;
        const std::string key = prefix + "permit-lost";
        auto keeper = keeperOn(home, elsewhere, key, "semaphore");
        // Still recorded here, on a master: the answer may be stale — not a loss.
        auto r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Unconfirmed);
        QVERIFY2(r.reason.find("still has it as a master") != std::string::npos, r.reason.c_str());
        QCOMPARE(keeper.node(), home.endpoint().display());
        // Gone here too (a demoted master's data): lost.
        redis::Connection(home.endpoint()).command({"DEL", locks::lockscopeMetaKey(key)});
        r = keeper.renew(3000ms);
        QCOMPARE(r.result, Result::Lost);
        QVERIFY2(r.reason.find("no record of this permit") != std::string::npos, r.reason.c_str());
    }

    // Nothing moves: a permit whose token was given back (force-release --holder <token>) is
    // lost; while it is recorded it is kept, past any TTL.
    void plainPermitGivenBackIsLost() {
        sandbox::RedisServer home;
        const std::string key = prefix + "permit-given-back";
        auto keeper = keeperOn(home, home, key, "semaphore");
        QCOMPARE(keeper.renew(1ms).result, Result::Renewed);
        redis::Connection(home.endpoint())
            .command({"HDEL", locks::lockscopeMetaKey(key), "permit:" + keeper.lease().token});
        const auto r = keeper.renew(1ms);
        QCOMPARE(r.result, Result::Lost);
        QVERIFY2(r.reason.find("was given back") != std::string::npos, r.reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TestLeaseKeeper)
#include "test_lease_keeper.moc"

// The LeaseKeeper against real servers: where its resolver names a node that does not hold the
// lease, it is lost — unless the node the lease lives on is still a master that holds it (a
// resolver's answer can be stale for a moment around a failover: failover_loop saw false losses).
#include <QtTest>

#include "locks/lease_keeper.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using Result = locks::LeaseKeeper::Renewal::Result;

class TestLeaseKeeper : public QObject {
    Q_OBJECT
    std::string prefix;

    // A set-nx-px lease on `home`, kept by a keeper whose resolver names `named`.
    static locks::LeaseKeeper keeperOn(const sandbox::RedisServer& home,
                                       const sandbox::RedisServer& named, const std::string& key) {
        auto ctx = test::contextFor(home);
        auto lock = locks::makeLockStrategy("set-nx-px", ctx);
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
};

QTEST_GUILESS_MAIN(TestLeaseKeeper)
#include "test_lease_keeper.moc"

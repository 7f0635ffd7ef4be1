// A holder stalled past its TTL overlaps with the next holder. With set-nx-px both writes land
// (the stale one last, clobbering); with fenced the resource rejects the stale write.
#include <QtTest>

#include "locks/fenced.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::FencedResource;

class TestFenced : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("fenced");
    }

    void tokensIncreaseWithEachAcquisition() {
        auto lock = locks::makeLockStrategy("fenced", test::contextFor(*server));
        const std::string key = prefix + "mono";
        long long last = 0;
        for (int i = 0; i < 5; ++i) {
            auto lease = lock->tryAcquire(key, 5000ms);
            QVERIFY(lease && lease->fence);
            QVERIFY(*lease->fence > last);
            last = *lease->fence;
            QCOMPARE(lock->release(*lease), locks::ReleaseResult::Released);
        }
        auto info = lock->inspect(key);
        QCOMPARE(info.fence.value_or(-1), last);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"GET", locks::fenceKey(key)}).asInteger(), last);
        QVERIFY(!lock->inspect(key).held);
    }

    // The stalled holder: takes the lock, then stalls past its TTL (as in a long GC pause — the
    // test simply lets the time pass), then writes believing it still holds the lock.
    void stalledHolderOverlapsAndOnlyFencingRejectsIt_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("set-nx-px") << "set-nx-px";
        QTest::newRow("fenced") << "fenced";
    }
    void stalledHolderOverlapsAndOnlyFencingRejectsIt() {
        QFETCH(QString, strategy);
        const std::string id = strategy.toStdString();
        const std::string key = prefix + "stall-" + id;
        redis::Connection rc(server->endpoint());
        FencedResource resource(rc, prefix + "resource-" + id);
        auto a = locks::makeLockStrategy(id, test::contextFor(*server));
        auto b = locks::makeLockStrategy(id, test::contextFor(*server));

        auto leaseA = a->tryAcquire(key, 200ms);
        QVERIFY(leaseA);
        QTest::qSleep(350);  // A stalls past its TTL …
        auto leaseB = b->tryAcquire(key, 10000ms);
        QVERIFY2(leaseB, "the next client gets the lock while A still believes it holds it");

        // Unfenced writers are treated as fence 0: the resource cannot tell them apart.
        const long long fenceA = leaseA->fence.value_or(0), fenceB = leaseB->fence.value_or(0);
        QCOMPARE(resource.write(fenceB, "written by B"), FencedResource::Write::Accepted);
        auto lateA = resource.write(fenceA, "stale write by A");
        if (id == "fenced") {
            QVERIFY(fenceB > fenceA);
            QCOMPARE(lateA, FencedResource::Write::RejectedStale);
            QCOMPARE(QString::fromStdString(*resource.value()), QString("written by B"));
        } else {
            QCOMPARE(lateA, FencedResource::Write::Accepted);  // the overlap goes unnoticed
            QCOMPARE(QString::fromStdString(*resource.value()), QString("stale write by A"));
        }
        // Either way A's release no longer touches B's lock.
        QCOMPARE(a->release(*leaseA), locks::ReleaseResult::NotOwner);
    }

    // A lock server restarted without persistence forgets its counter and hands out the same
    // tokens again (bench/safety_run found a repeated token accepted). The resource accepts a
    // token equal to its highest only from the lease that wrote it.
    void aTokenRepeatedAfterTheLockServerRestartIsRejected() {
        sandbox::RedisServer lockServer;
        const std::string key = prefix + "restart";
        redis::Connection rc(server->endpoint());
        FencedResource resource(rc, prefix + "resource-restart");
        auto leaseA =
            locks::makeLockStrategy("fenced", test::contextFor(lockServer))->tryAcquire(key, 200ms);
        QVERIFY(leaseA && leaseA->fence);
        QCOMPARE(resource.write(*leaseA->fence, "written by A", leaseA->token),
                 FencedResource::Write::Accepted);

        lockServer.restart();  // no persistence: the lock and the counter are gone
        auto leaseB = locks::makeLockStrategy("fenced", test::contextFor(lockServer))
                          ->tryAcquire(key, 10000ms);
        QVERIFY(leaseB && leaseB->fence);
        QCOMPARE(*leaseB->fence, *leaseA->fence);  // the same token, another holder
        QCOMPARE(resource.write(*leaseB->fence, "written by B", leaseB->token),
                 FencedResource::Write::RejectedStale);
        QCOMPARE(QString::fromStdString(*resource.value()), QString("written by A"));
        // The lease that wrote the token may write again.
        QCOMPARE(resource.write(*leaseA->fence, "A again", leaseA->token),
                 FencedResource::Write::Accepted);
    }
};

QTEST_APPLESS_MAIN(TestFenced)
#include "test_fenced.moc"

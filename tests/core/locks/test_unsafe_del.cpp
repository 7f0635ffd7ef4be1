// unsafe-del deletes another client's lock after its own lease expired; token-compare release
// (set-nx-px) answers "not owner" in the same situation and deletes nothing.
#include <QtTest>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;

class TestUnsafeDel : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("unsafedel");
    }

    void releaseAfterExpiry_data() {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<int>("slowHolderRelease");
        QTest::addColumn<bool>("secondHolderKeepsLock");
        QTest::newRow("unsafe-del") << "unsafe-del" << int(ReleaseResult::Released) << false;
        QTest::newRow("set-nx-px") << "set-nx-px" << int(ReleaseResult::NotOwner) << true;
    }
    void releaseAfterExpiry() {
        QFETCH(QString, strategy);
        QFETCH(int, slowHolderRelease);
        QFETCH(bool, secondHolderKeepsLock);
        const std::string id = strategy.toStdString();
        const std::string key = prefix + id;
        auto slow = locks::makeLockStrategy(id, test::contextFor(*server));
        auto second = locks::makeLockStrategy(id, test::contextFor(*server));
        auto third = locks::makeLockStrategy(id, test::contextFor(*server));

        auto slowLease = slow->tryAcquire(key, 150ms);
        QVERIFY(slowLease);
        QTest::qSleep(250);  // the slow holder overruns its lease
        auto secondLease = second->tryAcquire(key, 10000ms);
        QVERIFY(secondLease);

        // The slow holder finishes and releases.
        QCOMPARE(int(slow->release(*slowLease)), slowHolderRelease);
        redis::Connection c(server->endpoint());
        auto value = c.command({"GET", key}).optString();
        QCOMPARE(value.has_value(), secondHolderKeepsLock);
        if (value)
            QCOMPARE(QString::fromStdString(*value), QString::fromStdString(secondLease->token));
        // With unsafe-del a third client now gets the lock while the second still works.
        QCOMPARE(bool(third->tryAcquire(key, 10000ms)), !secondHolderKeepsLock);
    }
};

QTEST_APPLESS_MAIN(TestUnsafeDel)
#include "test_unsafe_del.moc"

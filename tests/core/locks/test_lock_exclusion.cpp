// Mutual exclusion for every safe strategy: 6 threads × 40 critical sections of GET + SET on a
// shared key must lose no update.
#include <QtTest>

#include "exclusion.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

class TestLockExclusion : public QObject {
    Q_OBJECT
    std::vector<std::unique_ptr<sandbox::RedisServer>> servers;

private slots:
    void initTestCase() {
        for (int i = 0; i < 5; ++i) servers.push_back(std::make_unique<sandbox::RedisServer>());
    }
    void cleanupTestCase() { servers.clear(); }

    void noLostUpdates_data() {
        QTest::addColumn<QString>("strategy");
        for (const auto& s : locks::lockStrategies())
            if (s.safe && s.kind != locks::LockKind::Latch)  // a latch is not a lock
                QTest::newRow(std::string(s.id).c_str())
                    << QString::fromStdString(std::string(s.id));
    }
    void noLostUpdates() {
        QFETCH(QString, strategy);
        const std::string id = strategy.toStdString();
        const bool multi = locks::findLockStrategy(id)->multiNode;
        auto makeContext = [&] {
            locks::LockContext ctx;
            for (size_t i = 0; i < (multi ? servers.size() : 1); ++i)
                ctx.nodes.push_back(servers[i]->endpoint());
            return ctx;
        };
        const std::string prefix = test::keyPrefix("excl-" + id);
        auto run = test::runMutualExclusion(id, makeContext, servers[0]->endpoint(),
                                            prefix + "lock", prefix + "resource", 6, 40, 10s);
        QVERIFY2(run.firstError.empty(), run.firstError.c_str());
        QCOMPARE(run.acquireTimeouts, 0);
        QCOMPARE(run.releaseFailures, 0);
        QCOMPARE(run.actual, run.expected);
    }

    // The check itself can fail: without a lock, the same workload loses updates.
    void harnessDetectsLostUpdates() {
        const std::string prefix = test::keyPrefix("excl-none");
        const auto ep = servers[0]->endpoint();
        redis::Connection(ep).command({"SET", prefix + "r", 0});
        std::vector<std::thread> ts;
        for (int t = 0; t < 6; ++t)
            ts.emplace_back([&] {
                redis::Connection c(ep);
                for (int i = 0; i < 200; ++i) {
                    auto v = c.command({"GET", prefix + "r"}).asInteger();
                    c.command({"SET", prefix + "r", v + 1});
                }
            });
        for (auto& t : ts) t.join();
        auto actual = redis::Connection(ep).command({"GET", prefix + "r"}).asInteger();
        QVERIFY2(actual < 1200, qPrintable(QString::number(actual)));
    }
};

QTEST_APPLESS_MAIN(TestLockExclusion)
#include "test_lock_exclusion.moc"

// read-write: Redisson's RReadWriteLock layout (mode, "<uuid>:<tid>" / ":write" fields, one
// rwlock_timeout key per read hold, messages "0"/"1" on redisson_rwlock:{k}); readers overlap
// while no writer holds; writers exclude everyone (K × M sections, nothing lost); writer
// preference keeps new readers out while a writer waits, Redisson's reader preference lets them
// in; a dead writer's claim runs out; nested reads and the write → read downgrade.
#include <QtTest>
#include <atomic>

#include "exclusion.h"
#include "locks/read_write.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using locks::ReleaseResult;
using Mode = locks::LockConfig::RwMode;
using Steady = std::chrono::steady_clock;

namespace {

long long msSince(Steady::time_point t0) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
}

template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout) {
    const auto deadline = Steady::now() + timeout;
    while (!pred()) {
        if (Steady::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

QString str(redis::Connection& c, std::initializer_list<redis::Arg> cmd) {
    return QString::fromStdString(c.command(cmd).optString().value_or("<nil>"));
}

}  // namespace

class TestReadWrite : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::unique_ptr<locks::ReadWriteLock> make(Mode mode, bool writerPreference = true,
                                               std::chrono::milliseconds waiterTimeout = 5000ms) {
        auto ctx = test::contextFor(*server);
        ctx.config.rwMode = mode;
        ctx.config.writerPreference = writerPreference;
        ctx.config.waiterTimeout = waiterTimeout;
        return std::make_unique<locks::ReadWriteLock>(ctx);
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("rw");
    }

    void layoutIsRedissons() {
        auto r = make(Mode::Read);
        const std::string key = prefix + "layout";
        auto read = r->tryAcquire(key, 5000ms);
        QVERIFY(read);
        QVERIFY(!locks::ReadWriteLock::isWriteToken(read->token));
        redis::Connection c(server->endpoint());
        QCOMPARE(str(c, {"HGET", key, "mode"}), QString("read"));
        QCOMPARE(str(c, {"HGET", key, read->token}), QString("1"));
        const std::string timeoutKey = "{" + key + "}:" + read->token + ":rwlock_timeout:1";
        QCOMPARE(str(c, {"GET", timeoutKey}), QString("1"));
        QVERIFY(c.command({"PTTL", timeoutKey}).integer() > 4000);
        QVERIFY(c.command({"PTTL", key}).integer() > 4000);

        // Releases speak on redisson_rwlock:{k}: "0" after the last reader, "1" after the writer.
        const std::string channel = "redisson_rwlock:{" + key + "}";
        QCOMPARE(QString::fromStdString(locks::ReadWriteLock::channel(key)),
                 QString::fromStdString(channel));
        redis::Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", channel});
        sub.receive();
        QCOMPARE(r->release(*read), ReleaseResult::Released);
        QCOMPARE(c.command({"EXISTS", key, timeoutKey}).integer(), 0LL);
        auto m = sub.receiveFor(2000ms);
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(std::string(m->at(2).str())), QString("0"));

        auto w = make(Mode::Write);
        auto write = w->tryAcquire(key, 5000ms);
        QVERIFY(write);
        QVERIFY(locks::ReadWriteLock::isWriteToken(write->token));
        QCOMPARE(QString::fromStdString(write->token),
                 QString::fromStdString(w->fieldForThisThread() + ":write"));
        QCOMPARE(str(c, {"HGET", key, "mode"}), QString("write"));
        QCOMPARE(str(c, {"HGET", key, write->token}), QString("1"));
        QCOMPARE(w->release(*write), ReleaseResult::Released);
        m = sub.receiveFor(2000ms);
        QVERIFY(m);
        QCOMPARE(QString::fromStdString(std::string(m->at(2).str())), QString("1"));
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
    }

    // Three readers hold at once; no writer gets in until the last one leaves.
    void readersOverlapWritersWait() {
        const std::string key = prefix + "overlap";
        std::vector<std::unique_ptr<locks::ReadWriteLock>> readers;
        std::vector<locks::Lease> leases;
        for (int i = 0; i < 3; ++i) {
            readers.push_back(make(Mode::Read));
            auto l = readers.back()->tryAcquire(key, 10000ms);
            QVERIFY(l);
            leases.push_back(*l);
        }
        auto w = make(Mode::Write);
        QVERIFY(!w->tryAcquire(key, 10000ms));
        auto info = w->inspect(key);
        QVERIFY(info.primitive);
        QCOMPARE(QString::fromStdString(info.primitive->mode), QString("read"));
        QCOMPARE(info.primitive->readers.size(), size_t(3));
        QVERIFY(info.primitive->readers[0].leaseLeftMs > 9000);
        for (size_t i = 0; i < 2; ++i)
            QCOMPARE(readers[i]->release(leases[i]), ReleaseResult::Released);
        QVERIFY(!w->tryAcquire(key, 10000ms));
        QCOMPARE(readers[2]->release(leases[2]), ReleaseResult::Released);
        auto write = w->tryAcquire(key, 10000ms);
        QVERIFY(write);
        QVERIFY(!readers[0]->tryAcquire(key, 10000ms));  // nor a reader while the writer holds
        QCOMPARE(w->release(*write), ReleaseResult::Released);
    }

    // Writers alone: K × M unprotected GET + SET sections, nothing lost.
    void writersExcludeEachOther() {
        auto run = test::runMutualExclusion(
            "read-write", [&] { return test::contextFor(*server); }, server->endpoint(),
            prefix + "excl", prefix + "excl-resource", 6, 40, 10s);
        QVERIFY2(run.firstError.empty(), run.firstError.c_str());
        QCOMPARE(run.acquireTimeouts, 0);
        QCOMPARE(run.releaseFailures, 0);
        QCOMPARE(run.actual, run.expected);
    }

    // Readers and writers together: a writer is always alone, readers never meet a writer and
    // do overlap each other; the writers' read-modify-writes all land.
    void mixedLoadKeepsTheRules() {
        const std::string key = prefix + "mixed", resource = prefix + "mixed-resource";
        redis::Connection setup(server->endpoint());
        setup.command({"SET", resource, 0});
        std::atomic<int> readersInside{0}, writersInside{0}, maxReaders{0};
        std::atomic<int> badWriter{0}, badReader{0}, timeouts{0};
        std::vector<std::thread> threads;
        constexpr int kWriters = 3, kReaders = 4, kSections = 30;
        for (int t = 0; t < kWriters + kReaders; ++t) {
            const bool writer = t < kWriters;
            threads.emplace_back([&, writer] {
                auto lock = make(writer ? Mode::Write : Mode::Read);
                redis::Connection res(server->endpoint());
                for (int i = 0; i < kSections; ++i) {
                    auto lease = lock->acquire(key, 10000ms, {.timeout = 30000ms});
                    if (!lease) {
                        ++timeouts;
                        continue;
                    }
                    if (writer) {
                        if (writersInside.fetch_add(1) != 0 || readersInside.load() != 0)
                            ++badWriter;
                        const long long v = res.command({"GET", resource}).asInteger();
                        res.command({"SET", resource, v + 1});
                        --writersInside;
                    } else {
                        const int now = readersInside.fetch_add(1) + 1;
                        if (writersInside.load() != 0) ++badReader;
                        int seen = maxReaders.load();
                        while (now > seen && !maxReaders.compare_exchange_weak(seen, now)) {}
                        std::this_thread::sleep_for(2ms);
                        --readersInside;
                    }
                    lock->release(*lease);
                }
            });
        }
        for (auto& t : threads) t.join();
        QCOMPARE(timeouts.load(), 0);
        QCOMPARE(badWriter.load(), 0);
        QCOMPARE(badReader.load(), 0);
        QVERIFY2(maxReaders.load() >= 2, qPrintable(QString::number(maxReaders.load())));
        QCOMPARE(setup.command({"GET", resource}).asInteger(),
                 static_cast<long long>(kWriters * kSections));
    }

    // Writer preference: while a writer waits, a new reader is refused (a reader already inside
    // may still nest); the writer gets in when the readers leave.
    void waitingWriterKeepsNewReadersOut() {
        const std::string key = prefix + "wpref";
        auto r1 = make(Mode::Read);
        auto read = r1->tryAcquire(key, 10000ms);
        QVERIFY(read);
        auto w = make(Mode::Write);
        std::optional<locks::Lease> write;
        std::thread writer([&] { write = w->acquire(key, 10000ms, {.timeout = 10000ms}); });
        redis::Connection c(server->endpoint());
        const std::string claims = "lockscope_rwlock_writers:{" + key + "}";
        QVERIFY(eventually([&] { return c.command({"ZCARD", claims}).integer() == 1; }, 5000ms));
        auto r2 = make(Mode::Read);
        QVERIFY(!r2->tryAcquire(key, 10000ms));
        auto nested = r1->tryAcquire(key, 10000ms);  // no deadlock for the reader inside
        QVERIFY(nested);
        QCOMPARE(nested->holdCount, 2);
        auto info = r2->inspect(key);
        QCOMPARE(info.primitive->writersWaiting.size(), size_t(1));
        QCOMPARE(r1->release(*nested), ReleaseResult::StillHeld);
        const auto t0 = Steady::now();
        QCOMPARE(r1->release(*read), ReleaseResult::Released);
        writer.join();
        QVERIFY(write);
        QVERIFY2(msSince(t0) < 1000, qPrintable(QString::number(msSince(t0))));
        QCOMPARE(c.command({"EXISTS", claims}).integer(), 0LL);  // granted: claim withdrawn
        QCOMPARE(w->release(*write), ReleaseResult::Released);
        QVERIFY(r2->tryAcquire(key, 10000ms));
    }

    // Reader preference (Redisson's): new readers join readers while a writer waits.
    void readerPreferenceLetsReadersJoin() {
        const std::string key = prefix + "rpref";
        auto r1 = make(Mode::Read, false);
        auto read = r1->tryAcquire(key, 10000ms);
        QVERIFY(read);
        auto w = make(Mode::Write, false);
        std::atomic<bool> cancel{false};
        std::optional<locks::Lease> write;
        std::thread writer(
            [&] { write = w->acquire(key, 10000ms, {.timeout = 10000ms, .cancel = &cancel}); });
        std::this_thread::sleep_for(200ms);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"EXISTS", "lockscope_rwlock_writers:{" + key + "}"}).integer(), 0LL);
        auto r2 = make(Mode::Read, false);
        auto joined = r2->tryAcquire(key, 10000ms);
        QVERIFY(joined);  // a reader joins although a writer waits: writers can starve
        cancel = true;
        writer.join();
        QVERIFY(!write);
        QCOMPARE(r2->release(*joined), ReleaseResult::Released);
        QCOMPARE(r1->release(*read), ReleaseResult::Released);
    }

    // A writer process killed while it waits: its claim keeps readers out only until it runs out.
    void deadWritersClaimRunsOut() {
        const std::string key = prefix + "deadclaim";
        auto r1 = make(Mode::Read);
        auto read = r1->tryAcquire(key, 30000ms);
        QVERIFY(read);
        auto child =
            test::ChildProcess::spawn({LOCKSCOPE_HOLDER_PATH, std::to_string(server->port()),
                                       "read-write", key, "30000", "waiter-timeout-ms=900"});
        redis::Connection c(server->endpoint());
        const std::string claims = "lockscope_rwlock_writers:{" + key + "}";
        QVERIFY(eventually([&] { return c.command({"ZCARD", claims}).integer() == 1; }, 5000ms));
        child.kill();
        auto r2 = make(Mode::Read);
        QVERIFY(!r2->tryAcquire(key, 10000ms));
        const auto t0 = Steady::now();
        auto late = r2->acquire(key, 10000ms, {.timeout = 5000ms});
        QVERIFY(late);
        QVERIFY2(msSince(t0) < 1500, qPrintable(QString::number(msSince(t0))));
        QCOMPARE(r2->release(*late), ReleaseResult::Released);
        QCOMPARE(r1->release(*read), ReleaseResult::Released);
    }

    void nestedReadsAndDowngrade() {
        const std::string key = prefix + "nested";
        auto rw = make(Mode::Write);
        auto write = rw->tryAcquire(key, 10000ms);
        QVERIFY(write);
        QVERIFY(rw->extend(*write, 20000ms));
        rw->setMode(Mode::Read);
        auto read = rw->tryAcquire(key, 10000ms);  // a writer may read
        QVERIFY(read);
        QCOMPARE(rw->release(*write), ReleaseResult::Released);  // downgraded to read
        redis::Connection c(server->endpoint());
        QCOMPARE(str(c, {"HGET", key, "mode"}), QString("read"));
        auto other = make(Mode::Read);
        auto shared = other->tryAcquire(key, 10000ms);
        QVERIFY(shared);
        auto again = rw->tryAcquire(key, 10000ms);
        QVERIFY(again);
        QCOMPARE(again->holdCount, 2);
        QCOMPARE(
            c.command({"EXISTS", "{" + key + "}:" + again->token + ":rwlock_timeout:2"}).integer(),
            1LL);
        QVERIFY(rw->extend(*again, 30000ms));
        QCOMPARE(rw->release(*again), ReleaseResult::StillHeld);
        QCOMPARE(rw->release(*read), ReleaseResult::Released);
        QCOMPARE(other->release(*shared), ReleaseResult::Released);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(other->release(*shared), ReleaseResult::NotHeld);
    }
};

QTEST_APPLESS_MAIN(TestReadWrite)
#include "test_read_write.moc"

// The real MainWindow following a real redis-server through a notification storm: 100,000 SETs
// pushed pipelined from another thread. The Events pane counts every one of them while holding
// at most its capacity in rows; pause holds the rows still while events keep counting; the filter
// narrows the rows; the event loop keeps running throughout (a 10 ms timer keeps firing and sees
// the count move in steps). QAbstractItemModelTester watches the three models under a moderate
// load that takes every insert / update / remove / reset path.
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QtTest>
#include <atomic>
#include <functional>
#include <thread>

#include "test_support.h"
#include "ui/common/stall_probe.h"
#include "ui/counters/counter_table_model.h"
#include "ui/events/event_log_model.h"
#include "ui/events/events_panel.h"
#include "ui/locks/lock_table_model.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

constexpr int kKeys = 500;          // distinct keys of each kind (locks, counters)
constexpr int kPerPipeline = 1000;  // SETs per round trip

// Writes to the server from its own thread and connection: the GUI thread must stay free to
// follow what is written.
class Writer {
public:
    explicit Writer(redis::Endpoint endpoint) : endpoint_(std::move(endpoint)) {}
    ~Writer() { wait(); }
    void run(std::function<void(redis::Connection&)> work) {
        wait();
        done_ = false;
        thread_ = std::thread([this, work = std::move(work)] {
            try {
                redis::Connection c(endpoint_);
                work(c);
            } catch (const std::exception& e) {
                error_ = e.what();
            }
            done_ = true;
        });
    }
    // Poll this with QTRY_*: joining at once would block the event loop the test watches.
    bool done() const { return done_.load(); }
    // Joins the thread; the error of the work, "" when it succeeded.
    std::string wait() {
        if (thread_.joinable()) thread_.join();
        return error_;
    }

private:
    redis::Endpoint endpoint_;
    std::thread thread_;
    std::atomic<bool> done_{true};
    std::string error_;
};

// `count` SETs, pipelined kPerPipeline a round trip, alternating a lock token and an integer over
// kKeys keys of each kind; `n` numbers the SETs across calls.
void storm(redis::Connection& c, const std::string& prefix, int count, long long& n) {
    for (int done = 0; done < count;) {
        auto p = c.pipeline();
        for (int i = 0; i < kPerPipeline && done < count; ++i, ++done, ++n) {
            const std::string k = std::to_string((n / 2) % kKeys);
            if (n % 2 == 0)
                p.add({"SET", prefix + "lock:" + k,
                       "lockscope:set-nx-px:storm:1:0123abcd:0123456789abcdef"});
            else
                p.add({"SET", prefix + "n:" + k, std::to_string(n)});
        }
        p.exec();
    }
}

// A 10 ms stall probe on the GUI thread: how often it fired, the longest gap between ticks, and
// how many different received() counts it saw (many steps = the pane was live during the storm,
// not after it).
class LoopWatch : public QObject {
public:
    explicit LoopWatch(const ui::EventLogModel* model) : model_(model) {
        connect(&probe_, &ui::StallProbe::ticked, this, [this] {
            ++ticks_;
            if (model_->received() != lastReceived_) {
                lastReceived_ = model_->received();
                ++steps_;
            }
        });
        probe_.start();
    }
    // Off while the test itself works on the GUI thread (typing a filter), which is not the storm.
    void setWatching(bool on) { on ? probe_.resume() : probe_.stop(); }
    int ticks() const { return ticks_; }
    int steps() const { return steps_; }
    long long maxGapMs() const {
        return static_cast<long long>(probe_.worstMs()) + probe_.interval().count();
    }

private:
    const ui::EventLogModel* model_;
    ui::StallProbe probe_{10ms};
    int ticks_ = 0;
    int steps_ = 0;
    unsigned long long lastReceived_ = 0;
};

QString lastRowText(const QAbstractItemModel* m) {
    const int r = m->rowCount() - 1;
    if (r < 0) return {};
    QStringList cells;
    for (int c = 0; c < m->columnCount(); ++c) cells << m->index(r, c).data().toString();
    return cells.join('|');
}

// The real window, following `server` until the first inventory is in and events flow.
bool follow(ui::MainWindow& w, const sandbox::RedisServer& server) {
    w.resize(1280, 800);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w)) return false;
    w.connectTo({server.endpoint()}, "storm test");
    return QTest::qWaitFor(
        [&] {
            const auto& st = w.bridge()->lastStatus();
            return st.inventoryComplete && !st.nodes.empty() && st.nodes[0].subscribed;
        },
        10000);
}

}  // namespace

class TestEventStorm : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // The window remembers its layout in QSettings: keep the tests' own.
        QCoreApplication::setOrganizationName("LockScopeTests");
        QCoreApplication::setApplicationName("test_event_storm");
    }

    // QAbstractItemModelTester walks the whole model on every signal, so it watches a moderate
    // load that still takes every path: rows inserted, updated, removed (deleted, expired, no
    // longer a counter), the event ring overflowing, and a reset (a new connection).
    void modelsStayConsistentWhileFollowingAServer() {
        sandbox::RedisServer server;
        const std::string prefix = test::keyPrefix("models");
        ui::MainWindow w;
        using Tester = QAbstractItemModelTester;
        Tester counterTester(w.counterModel(), Tester::FailureReportingMode::QtTest);
        Tester eventTester(w.eventModel(), Tester::FailureReportingMode::QtTest);
        Tester lockTester(w.lockModel(), Tester::FailureReportingMode::QtTest);
        QVERIFY(follow(w, server));
        Writer writer(server.endpoint());
        writer.run([&](redis::Connection& c) {
            auto p = c.pipeline();
            for (int i = 0; i < 200; ++i) {
                p.add({"SET", prefix + "n:" + std::to_string(i), std::to_string(i)});
                const std::string token =
                    "lockscope:set-nx-px:models:1:0123abcd:" + std::string(16, char('a' + i % 6));
                if (i % 2 == 0)
                    p.add({"SET", prefix + "lock:" + std::to_string(i), token});
                else
                    p.add({"SET", prefix + "lock:" + std::to_string(i), token, "PX", 700});
            }
            p.exec();
        });
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
        QCOMPARE(writer.wait(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(w.counterModel()->rowCount(), 200, 10000);
        // Updates, deletions, counters that stop being numbers, and enough events to wrap the ring.
        writer.run([&](redis::Connection& c) {
            // 15 rounds of 1,000, each in an update of its own (the engine passes on at most 2,000
            // events per update), so the 10,000-row ring overflows.
            for (int round = 0; round < 15; ++round) {
                auto p = c.pipeline();
                for (int i = 0; i < 1000; ++i)
                    p.add({"INCR", prefix + "n:" + std::to_string((round * 7 + i) % 200)});
                p.exec();
                std::this_thread::sleep_for(300ms);
            }
            auto p = c.pipeline();
            for (int i = 0; i < 50; ++i) p.add({"DEL", prefix + "n:" + std::to_string(i)});
            for (int i = 50; i < 70; ++i)
                p.add({"SET", prefix + "n:" + std::to_string(i), "not a number"});
            p.exec();
        });
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
        QCOMPARE(writer.wait(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(w.counterModel()->rowCount(), 130, 15000);
        // The 100 locks with a 700 ms TTL expire, show as free for a moment, then go.
        QTRY_COMPARE_WITH_TIMEOUT(w.lockModel()->rowCount(), 100, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(w.eventModel()->received() >= 15000 + 600, 15000);
        QCOMPARE(w.eventModel()->rowCount(), 10000);  // the ring is full and bounded
        // A new connection resets every model.
        w.connectTo({server.endpoint()}, "storm test again");
        QCOMPARE(w.eventModel()->rowCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(w.counterModel()->rowCount(), 130, 10000);
        w.close();
    }

    void paneSurvivesAHundredThousandEvents() {
        sandbox::RedisServer server;
        const std::string prefix = test::keyPrefix("storm");
        ui::MainWindow w;
        QVERIFY(follow(w, server));
        ui::EventLogModel* events = w.eventModel();
        ui::EventsPanel* pane = w.eventsPanel();
        QAbstractItemModel* shown = pane->table()->model();  // the filter proxy the user sees
        LoopWatch loop(events);
        Writer writer(server.endpoint());
        long long n = 0;

        // 1. Half the storm, live.
        writer.run([&](redis::Connection& c) { storm(c, prefix, 50000, n); });
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
        QCOMPARE(writer.wait(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(events->received(), 50000ULL, 30000);
        QVERIFY2(events->rowCount() > 0 && events->rowCount() <= 10000,
                 qPrintable(QString::number(events->rowCount())));
        // The engine passes on a bounded number per update and counts the rest; the ring drops the
        // oldest rows beyond its capacity.
        QVERIFY(events->received() >=
                static_cast<unsigned long long>(events->rowCount()) + events->notShown());
        // The tables followed too.
        QTRY_COMPARE_WITH_TIMEOUT(w.counterModel()->rowCount(), kKeys, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(w.lockModel()->rowCount(), kKeys, 30000);

        // 2. Paused: the rows hold still while the other half arrives and is counted.
        QTest::mouseClick(pane->pauseButton(), Qt::LeftButton);
        QVERIFY(events->paused());
        QCOMPARE(pane->pauseButton()->text(), QString("Resume"));
        const int rowsBefore = events->rowCount();
        const QString lastBefore = lastRowText(events);
        const auto notShownBefore = events->notShown();
        writer.run([&](redis::Connection& c) { storm(c, prefix, 50000, n); });
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
        QCOMPARE(writer.wait(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(events->received(), 100000ULL, 30000);
        QCOMPARE(events->rowCount(), rowsBefore);
        QCOMPARE(lastRowText(events), lastBefore);
        QCOMPARE(events->notShown(), notShownBefore + 50000);
        // The summary says so.
        QTRY_VERIFY(pane->findChild<QLabel*>("eventSummary")->text().startsWith("100000 received"));

        // 3. The filter narrows what is shown to matching rows; a filter matching nothing shows
        // none.
        loop.setWatching(false);
        QLineEdit* filter = pane->filterEdit();
        const QString lockKeys = QString::fromStdString(prefix + "lock:");
        QTest::keyClicks(filter, lockKeys);
        QVERIFY(shown->rowCount() > 0);
        QVERIFY(shown->rowCount() < events->rowCount());
        for (int r = 0; r < shown->rowCount(); ++r)
            QVERIFY(shown->index(r, ui::EventLogModel::Key).data().toString().startsWith(lockKeys));
        filter->setText("no-such-key-anywhere");
        QCOMPARE(shown->rowCount(), 0);
        filter->clear();
        QCOMPARE(shown->rowCount(), events->rowCount());
        loop.setWatching(true);

        // 4. Resumed: new events show again, the newest last.
        QTest::mouseClick(pane->pauseButton(), Qt::LeftButton);
        QVERIFY(!events->paused());
        writer.run([&](redis::Connection& c) { storm(c, prefix, 1000, n); });
        QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
        QCOMPARE(writer.wait(), std::string());
        QTRY_COMPARE_WITH_TIMEOUT(events->received(), 101000ULL, 30000);
        QTRY_VERIFY(lastRowText(events) != lastBefore);
        QVERIFY(events->rowCount() <= 10000);

        // The event loop ran all along the storm: the timer kept firing, and the count moved in
        // steps as the updates came rather than once at the end. (A generous freeze bound, not a
        // performance figure: bench/gui_bench measures the latency.)
        QVERIFY2(loop.ticks() >= 10, qPrintable(QString::number(loop.ticks())));
        QVERIFY2(loop.steps() >= 3, qPrintable(QString::number(loop.steps())));
        QVERIFY2(loop.maxGapMs() < 3000,
                 qPrintable(QString("longest gap %1 ms").arg(loop.maxGapMs())));
        qInfo("event loop: %d ticks, longest gap %lld ms, received() moved in %d steps",
              loop.ticks(), loop.maxGapMs(), loop.steps());
        w.close();
    }
};

QTEST_MAIN(TestEventStorm)
#include "test_event_storm.moc"

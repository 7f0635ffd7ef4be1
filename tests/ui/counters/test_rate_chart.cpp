// The Counters view's rate chart: seeded from the engine's history of a real counter and extended
// live; one graph per selected counter with a legend; the time window follows now until the user
// drags or zooms, "Follow live" re-anchors; PNG and CSV export (and a clear refusal for a bad
// path); many updates become one replot.
#include <qcustomplot.h>

#include <QComboBox>
#include <QLabel>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>
#include <atomic>
#include <thread>

#include "test_support.h"
#include "ui/counters/rate_chart.h"
#include "ui/monitor_bridge.h"

using namespace lockscope;
using namespace std::chrono_literals;
using ui::RateChart;

namespace {

monitor::MonitorOptions fastOptions() {
    monitor::MonitorOptions o;
    o.publishInterval = 50ms;
    o.rateWindow = 2000ms;
    return o;
}

QCustomPlot* plotOf(RateChart& chart) { return qobject_cast<QCustomPlot*>(chart.plotWidget()); }

monitor::MonitorUpdate counterUpdate(const std::string& key, float rate) {
    monitor::MonitorUpdate u;
    monitor::KeyRecord r;
    r.key = key;
    r.kind = monitor::Kind::Counter;
    r.format = monitor::Format::Counter;
    r.ratePerSecond = rate;
    u.changed.push_back(r);
    return u;
}

// The rows of a chart's CSV after the header, as (key, rate) pairs.
std::vector<std::pair<QString, double>> csvRows(const QByteArray& csv) {
    std::vector<std::pair<QString, double>> rows;
    const auto lines = QString::fromUtf8(csv).split('\n', Qt::SkipEmptyParts);
    for (int i = 1; i < lines.size(); ++i) {
        const auto f = lines[i].split(',');
        if (f.size() == 3) rows.emplace_back(f[1], f[2].toDouble());
    }
    return rows;
}

}  // namespace

class TestRateChart : public QObject {
    Q_OBJECT
    std::string prefix;

private slots:
    void initTestCase() { prefix = test::keyPrefix("chart"); }

    void seededFromTheEnginesHistoryThenExtendedLive() {
        sandbox::RedisServer server;
        ui::MonitorBridge bridge;
        bridge.start({server.endpoint()}, fastOptions());
        const std::string key = prefix + "ticks";
        std::atomic<bool> stop{false};
        // 100 increments a second, on an absolute schedule so sleep jitter does not drift.
        std::thread ticker([&] {
            redis::Connection c(server.endpoint());
            auto next = std::chrono::steady_clock::now();
            while (!stop.load()) {
                c.command({"INCR", key});
                next += 10ms;
                std::this_thread::sleep_until(next);
            }
        });
        // The engine keeps one history point a second: wait for four.
        QTRY_VERIFY_WITH_TIMEOUT(bridge.history(key).size() >= 4, 10000);
        const auto history = bridge.history(key);
        // What the table shows for it now (the engine's newest rate): about 100 per second.
        const double tableRate = history.back().perSecond;
        QVERIFY2(tableRate >= 80 && tableRate <= 120, qPrintable(QString::number(tableRate)));

        RateChart chart;
        chart.resize(900, 400);
        chart.show();
        chart.setBridge(&bridge);
        QCOMPARE(plotOf(chart)->graphCount(), 0);
        chart.setCounters({{key, tableRate}});
        QCOMPARE(plotOf(chart)->graphCount(), 1);
        QVERIFY(plotOf(chart)->legend->visible());
        QCOMPARE(plotOf(chart)->graph(0)->name(), QString::fromStdString(key));
        // Seeded: the history the engine had (it may have sampled once more meanwhile) plus now.
        const int seeded = chart.pointCount(key);
        QVERIFY2(seeded >= int(history.size()) + 1,
                 qPrintable(QString("%1 of %2").arg(seeded).arg(history.size())));
        // The seed reaches back: the oldest point is at least 3 s old.
        QVERIFY(plotOf(chart)->graph(0)->data()->constBegin()->key <= chart.rangeEnd() - 3);
        // Extended live.
        QTRY_VERIFY_WITH_TIMEOUT(chart.pointCount(key) >= seeded + 3, 5000);
        // What the user reads off the chart (and its CSV): about 100 per second.
        const auto rows = csvRows(chart.csv());
        QVERIFY(rows.size() >= size_t(seeded));
        QCOMPARE(rows.back().first, QString::fromStdString(key));
        QVERIFY2(rows.back().second >= 80 && rows.back().second <= 120,
                 qPrintable(QString::number(rows.back().second)));
        stop = true;
        ticker.join();
        // A new monitor (another server) starts the chart from nothing.
        bridge.start({server.endpoint()}, fastOptions());
        QCOMPARE(plotOf(chart)->graphCount(), 0);
        QVERIFY(chart.keys().empty());
        bridge.stop();
    }

    void oneGraphPerCounterWithItsOwnColour() {
        RateChart chart;
        chart.resize(900, 400);
        chart.show();
        chart.setCounters({{"a", 1}, {"b", 2}});
        auto* plot = plotOf(chart);
        QCOMPARE(plot->graphCount(), 2);
        QCOMPARE(plot->legend->itemCount(), 2);
        QVERIFY(plot->graph(0)->pen().color() != plot->graph(1)->pen().color());
        const QColor colourOfB = plot->graph(1)->pen().color();
        for (int i = 0; i < 5; ++i) chart.apply(counterUpdate("b", 5));
        const int pointsOfB = chart.pointCount("b");
        QCOMPARE(pointsOfB, 6);
        // Deselecting a keeps b with its points and colour.
        chart.setCounters({{"b", 5}});
        QCOMPARE(plot->graphCount(), 1);
        QCOMPARE(chart.pointCount("b"), pointsOfB);
        QCOMPARE(plot->graph(0)->pen().color(), colourOfB);
        QCOMPARE(chart.pointCount("a"), 0);
        // A big selection: the first kMaxGraphs are charted, and the chart says so.
        std::vector<RateChart::Counter> many;
        for (int i = 0; i < 12; ++i) many.push_back({"c" + std::to_string(i), double(i)});
        chart.setCounters(many);
        QCOMPARE(plot->graphCount(), RateChart::kMaxGraphs);
        QCOMPARE(chart.hiddenCount(), 12 - RateChart::kMaxGraphs);
        QVERIFY(chart.findChild<QLabel*>("chartNote")->text().contains("4 more selected"));
        // A deleted counter stops getting points; updates for keys not charted are ignored.
        monitor::MonitorUpdate gone;
        gone.removed.push_back("c0");
        chart.apply(gone);
        const int before = chart.pointCount("c0");
        chart.apply(counterUpdate("c0", 9));
        chart.apply(counterUpdate("not-charted", 9));
        QCOMPARE(chart.pointCount("c0"), before);
        chart.setCounters({});
        QCOMPARE(plot->graphCount(), 0);
        QVERIFY(!plot->legend->visible());
    }

    void windowFollowsNowUntilDraggedAndFollowLiveReanchors() {
        ManualClock clock;
        RateChart chart(nullptr, &clock);
        chart.resize(900, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setCounters({{"k", 10}});
        const double now0 = double(clock.wallMillis()) / 1000;
        QVERIFY(chart.followLive());
        QCOMPARE(chart.rangeEnd(), now0);
        QCOMPARE(chart.rangeEnd() - chart.rangeStart(), 300.0);  // 5 min by default
        // The window selector: 1 min.
        auto* box = chart.windowSelector();
        box->setCurrentIndex(box->findData(60));
        QCOMPARE(chart.window(), 60s);
        QCOMPARE(chart.rangeEnd() - chart.rangeStart(), 60.0);
        // Time passes: the window moves with it (from the replot timer).
        clock.advance(10s);
        QTRY_COMPARE(chart.rangeEnd(), now0 + 10);
        // The rate held: points were carried forward to now.
        QTRY_VERIFY(
            plotOf(chart)->graph(0)->data()->at(plotOf(chart)->graph(0)->data()->size() - 1)->key >=
            now0 + 10);

        // The user drags the time axis to the right (back in time): following stops.
        QSignalSpy followSpy(&chart, &RateChart::followLiveChanged);
        QWidget* plot = chart.plotWidget();
        const QRect area = plotOf(chart)->axisRect()->rect();
        const QPointF from = area.center(), to = area.center() + QPoint(area.width() / 4, 0);
        QMouseEvent press(QEvent::MouseButtonPress, from, plot->mapToGlobal(from), Qt::LeftButton,
                          Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &press);
        QMouseEvent move(QEvent::MouseMove, to, plot->mapToGlobal(to), Qt::NoButton, Qt::LeftButton,
                         Qt::NoModifier);
        QApplication::sendEvent(plot, &move);
        QMouseEvent release(QEvent::MouseButtonRelease, to, plot->mapToGlobal(to), Qt::LeftButton,
                            Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(plot, &release);
        QVERIFY(!chart.followLive());
        QCOMPARE(followSpy.count(), 1);
        QVERIFY(!chart.followButton()->isChecked());
        const double draggedEnd = chart.rangeEnd();
        QVERIFY2(draggedEnd < now0 + 10 - 5, qPrintable(QString::number(draggedEnd - now0)));
        // Time passes; the dragged window stays where the user put it.
        clock.advance(5s);
        QTest::qWait(2 * int(RateChart::kReplotInterval.count()));
        QCOMPARE(chart.rangeEnd(), draggedEnd);
        // Wheel zoom out: wider, still not following, never wider than an hour.
        for (int i = 0; i < 40; ++i) {
            QWheelEvent wheel(area.center(), plot->mapToGlobal(area.center()), QPoint(),
                              QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                              false);
            QApplication::sendEvent(plot, &wheel);
        }
        QVERIFY(chart.rangeEnd() - chart.rangeStart() > 60);
        QVERIFY(chart.rangeEnd() - chart.rangeStart() <= 3600.001);
        QVERIFY(!chart.followLive());
        // "Follow live" re-anchors to now with the selected window.
        chart.followButton()->click();
        QVERIFY(chart.followLive());
        QCOMPARE(chart.rangeEnd(), now0 + 15);
        QCOMPARE(chart.rangeEnd() - chart.rangeStart(), 60.0);
    }

    void exportsPngAndCsvOfTheShownRange() {
        ManualClock clock;
        RateChart chart(nullptr, &clock);
        chart.resize(900, 400);
        chart.show();
        chart.setWindow(60s);
        chart.setCounters({{"orders:total", 12.5}, {"odd,key \"q\"", 3}});
        clock.advance(2s);
        chart.apply(counterUpdate("orders:total", 20));
        QTRY_COMPARE(chart.rangeEnd(), double(clock.wallMillis()) / 1000);  // the window followed
        const QByteArray csv = chart.csv();
        const auto lines = QString::fromUtf8(csv).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QString("time,key,rate"));
        QVERIFY(lines.contains(QDateTime::fromMSecsSinceEpoch(clock.wallMillis() - 2000, Qt::UTC)
                                   .toString(Qt::ISODateWithMs) +
                               ",orders:total,12.500"));
        QVERIFY(lines.contains(QDateTime::fromMSecsSinceEpoch(clock.wallMillis(), Qt::UTC)
                                   .toString(Qt::ISODateWithMs) +
                               ",orders:total,20.000"));
        // A key with a comma and quotes stays one CSV field.
        QVERIFY(csv.contains(",\"odd,key \"\"q\"\"\",3.000\n"));
        // Only the shown range: move the window an hour back and nothing is in it.
        chart.moveRange(double(clock.wallMillis()) / 1000 - 3600,
                        double(clock.wallMillis()) / 1000 - 3000);
        QCOMPARE(chart.csv(), QByteArray("time,key,rate\n"));
        chart.setFollowLive(true);

        QTemporaryDir dir;
        QString error;
        const QString png = dir.filePath("rates.png");
        QVERIFY2(chart.exportPng(png, &error), qPrintable(error));
        QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), chart.plotWidget()->size());
        const QString csvPath = dir.filePath("rates.csv");
        QVERIFY2(chart.exportCsv(csvPath, &error), qPrintable(error));
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), chart.csv());
        // A folder that does not exist: refused with a message naming the path, nothing written.
        const QString bad = dir.filePath("missing/rates.csv");
        QVERIFY(!chart.exportCsv(bad, &error));
        QVERIFY2(error.contains(QDir::toNativeSeparators(bad)), qPrintable(error));
        QVERIFY(!QFile::exists(bad));
        QVERIFY(!chart.exportPng(dir.filePath("missing/rates.png"), &error));
        QVERIFY2(error.contains("rates.png"), qPrintable(error));
    }

    void aStormOfUpdatesIsOneReplot() {
        RateChart chart;
        chart.resize(900, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setCounters({{"hot", 1}});
        // Let the replot timer settle, then pour updates in without returning to the event loop.
        QTRY_VERIFY(chart.replotCount() > 0);
        const int before = chart.replotCount();
        for (int i = 0; i < 5000; ++i) chart.apply(counterUpdate("hot", float(i)));
        QCOMPARE(chart.replotCount(), before);
        QCOMPARE(chart.pointCount("hot"), 5001);
        QTRY_VERIFY(chart.replotCount() > before);
        // The value axis fits what is shown.
        QVERIFY(plotOf(chart)->yAxis->range().upper >= 4999);
    }
};

QTEST_MAIN(TestRateChart)
#include "test_rate_chart.moc"

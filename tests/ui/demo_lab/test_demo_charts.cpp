// The Demo Lab's charts without a run: the live throughput chart fed progress reports as a run
// sends them, and the lesson charts fed finished results (issue 14, items 5 and 6 of the third
// adversarial round). LOCKSCOPE_SCREENSHOT_DIR set: each chart is saved there to be looked at.
#include <qcustomplot.h>

#include <QtTest>

#include "demo/demo.h"
#include "ui/demo_lab/demo_charts.h"
#include "ui/demo_lab/demo_lab_panel.h"
#include "ui/demo_lab/lesson_charts.h"

using namespace lockscope;

namespace {

// The throughput graph's points as (seconds, ops/s).
std::vector<std::pair<double, double>> ratePoints(const ui::DemoCharts& charts) {
    std::vector<std::pair<double, double>> out;
    for (auto it = charts.throughputPlot()->graph(0)->data()->constBegin();
         it != charts.throughputPlot()->graph(0)->data()->constEnd(); ++it)
        out.emplace_back(it->key, it->value);
    return out;
}

// LOCKSCOPE_SCREENSHOT_DIR set: saves a grab of `w` there as `name`.
void screenshot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) w->grab().save(dir + "/" + name);
}

// The labels written above the bars.
QStringList barLabels(QCustomPlot* plot) {
    QStringList out;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(plot->item(i))) out << t->text();
    return out;
}

// The legend, if shown, lies outside the plot area (it covered the bars the lesson is about).
void checkLegendOutsidePlot(QCustomPlot* plot) {
    if (!plot->legend->visible()) return;
    const QRect legend = plot->legend->outerRect();
    const QRect area = plot->axisRect()->rect();
    QVERIFY2(!legend.intersects(area),
             qPrintable(QString("legend %1,%2 %3x%4 over the plot area %5,%6 %7x%8")
                            .arg(legend.x())
                            .arg(legend.y())
                            .arg(legend.width())
                            .arg(legend.height())
                            .arg(area.x())
                            .arg(area.y())
                            .arg(area.width())
                            .arg(area.height())));
}

// How much of the plot area's height the bar of `value` fills (0..1).
double barShare(QCustomPlot* plot, double value) {
    const QRect area = plot->axisRect()->rect();
    const double top = plot->yAxis->coordToPixel(value);
    return (double(area.bottom()) - top) / double(area.height());
}

demo::LockDemoResult contentionRun(const std::string& strategy, std::vector<long long> perWorker,
                                   std::vector<std::pair<long long, long long>> waits) {
    demo::LockDemoResult r;
    r.strategy = strategy;
    r.fault = "contention";
    r.workers = int(perWorker.size());
    r.perWorker = std::move(perWorker);
    r.fairness = 0.5;
    r.waitDistribution = std::move(waits);
    r.waitP999Micros = 300000;
    return r;
}

}  // namespace

class TestDemoCharts : public QObject {
    Q_OBJECT

private slots:
    // Readers-writers reports its progress in milliseconds of its phases (done / total) and its
    // operations in `completed`: the throughput chart plots the operations. It drew ~1000 "ops/s"
    // (milliseconds per second) whatever the phases did.
    void throughputCountsOperationsNotMillisecondsOfProgress() {
        ui::DemoCharts charts;
        charts.reset({"read-write"}, true);
        const double rates[] = {350, 610, 1430, 990};  // operations per second, per phase
        long long completed = 0;
        for (int report = 1; report <= 40; ++report) {  // every 100 ms, 1 s per phase
            const double t = 0.1 * report;
            completed += static_cast<long long>(rates[(report - 1) / 10] / 10);
            demo::DemoProgress p;
            p.kind = "lock";
            p.strategy = "read-write";
            p.total = 4000;
            p.done = static_cast<long long>(t * 1000);
            p.completed = completed;
            p.elapsedSeconds = t;
            p.opsPerSecond = rates[(report - 1) / 10];  // in-phase rate, as the demo sends
            charts.add(p);
        }
        charts.flush();
        const auto points = ratePoints(charts);
        QCOMPARE(int(points.size()), 40);
        for (const auto& [t, rate] : points) {
            const int phase = std::min(3, int((t - 1e-9) / 1.0));
            const double want = rates[phase];
            QVERIFY2(std::abs(rate - want) < 1.0,
                     qPrintable(QString("at %1 s: %2 ops/s, want %3").arg(t).arg(rate).arg(want)));
        }
    }

    // A stall draws zero, and a report too soon after the last point draws none (no spike).
    // (A guard: this held before the fix too.)
    void throughputStallIsZeroAndCloseReportsAddNoSpike() {
        ui::DemoCharts charts;
        charts.reset({"semaphore"}, true);
        auto report = [&](double t, long long completed) {
            demo::DemoProgress p;
            p.kind = "lock";
            p.strategy = "semaphore";
            p.total = 400;
            p.done = completed;
            p.completed = completed;
            p.elapsedSeconds = t;
            p.opsPerSecond = double(completed) / t;
            charts.add(p);
        };
        report(0.1, 20);
        report(0.2, 56);
        report(0.3, 56);
        report(0.305, 80);  // 5 ms later: too close to rate
        report(0.4, 80);
        charts.flush();
        const auto points = ratePoints(charts);
        QCOMPARE(int(points.size()), 4);
        QCOMPARE(points[0].second, 200.0);
        QCOMPARE(points[1].second, 360.0);
        QCOMPARE(points[2].second, 0.0);
        QVERIFY(std::abs(points[3].second - 240.0) < 1e-6);
    }

    // An empty run's throughput axis has distinct tick labels (it read "0 0 0 1 1 1").
    void emptyThroughputAxisHasDistinctTicks() {
        ui::DemoCharts charts;
        charts.resize(900, 260);
        charts.reset({"set-nx-px"}, true);
        charts.show();
        QVERIFY(QTest::qWaitForWindowExposed(&charts));
        charts.flush();
        charts.throughputPlot()->replot();
        const QVector<QString> labels = charts.throughputPlot()->yAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 2);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
        screenshot(&charts, "demo-charts-empty.png");
    }

    // Readers-writers: writers against writers (0 % reads, ~1 s) no longer sets a scale that
    // flattens the starved writer at 90 % reads without preference; every bar has its label
    // (the fourth had none), and no legend lies over a bar.
    void readersWritersLessonShowsEveryBar() {
        ui::LessonCharts lesson;
        lesson.resize(1000, 300);
        demo::LockDemoResult r;
        r.strategy = "read-write";
        r.fault = "readers-writers";
        const double shares[] = {0.0, 0.5, 0.9, 0.9};
        const double ops[] = {353, 611, 1428, 998};
        const double waitMs[] = {966.656, 32.512, 12.8, 417.792};  // bucket ends, as measured
        for (int i = 0; i < 4; ++i) {
            demo::LockDemoResult::ReadShareRow row;
            row.readShare = shares[i];
            row.writerPreference = i < 3;
            row.opsPerSecond = ops[i];
            row.writerWaitMaxMicros = waitMs[i] * 1000;
            r.readShares.push_back(row);
        }
        lesson.addResult(r);
        lesson.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lesson));
        for (auto* plot : {lesson.leftPlot(), lesson.rightPlot()}) {
            plot->replot();
            checkLegendOutsidePlot(plot);
        }
        QCOMPARE(barLabels(lesson.leftPlot()), QStringList({"353", "611", "1428", "998"}));
        QCOMPARE(barLabels(lesson.rightPlot()),
                 QStringList({"967 ms", "32.5 ms", "12.8 ms", "418 ms"}));
        // The lesson's pair: the starved writer's bar is clearly taller than the one with
        // writer preference, and both are far from flat.
        QVERIFY2(barShare(lesson.rightPlot(), 417.792) > 0.4,
                 qPrintable(QString::number(barShare(lesson.rightPlot(), 417.792))));
        QVERIFY(barShare(lesson.rightPlot(), 417.792) - barShare(lesson.rightPlot(), 12.8) > 0.2);
        screenshot(&lesson, "lesson-readers-writers.png");
    }

    // Contention: the legend sits under the plots, off the bars of workers 5–7 and of fair's
    // main wait range; range labels keep their decimal ("102.4 ms", not "102 ms").
    void contentionLessonLegendCoversNoBar() {
        ui::LessonCharts lesson;
        lesson.resize(1000, 320);
        std::vector<std::pair<long long, long long>> ranges;
        for (long long from = 0, i = 0; i < 13; ++i, from = from ? from * 2 : 100)
            ranges.push_back({from, 0});
        auto fairWaits = ranges;
        fairWaits[8].second = 80;  // 12.8–25.6 ms: most of fair's waits
        fairWaits[7].second = 20;
        auto nxWaits = ranges;
        nxWaits[0].second = 60;
        nxWaits[12].second = 40;
        lesson.addResult(contentionRun("set-nx-px", {2, 40, 3, 38, 1, 39, 40, 37}, nxWaits));
        lesson.addResult(contentionRun("fair", {25, 25, 24, 25, 25, 25, 25, 26}, fairWaits));
        lesson.show();
        QVERIFY(QTest::qWaitForWindowExposed(&lesson));
        for (auto* plot : {lesson.leftPlot(), lesson.rightPlot()}) {
            plot->replot();
            checkLegendOutsidePlot(plot);
        }
        auto* ticker = dynamic_cast<QCPAxisTickerText*>(lesson.rightPlot()->xAxis->ticker().data());
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(11), QString("102.4 ms"));
        QCOMPARE(ticker->ticks().value(12), QString("204.8 ms"));
        QCOMPARE(ticker->ticks().value(8), QString("12.8 ms"));
        screenshot(&lesson, "lesson-contention.png");
    }

    // The Run / Stop row stays where it is when the status line wraps while a run goes.
    void runButtonsStayPutWhenTheStatusWraps() {
        ui::DemoLabPanel panel;
        panel.resize(1000, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto* run = panel.findChild<QPushButton*>("runDemo");
        auto* status = panel.findChild<QLabel*>("demoStatus");
        QVERIFY(run && status);
        QCoreApplication::processEvents();
        const QPoint before = run->mapTo(&panel, QPoint(0, 0));
        status->setText(QString("running read-write, 42%…  violations so far: 0 ").repeated(4));
        QVERIFY(status->heightForWidth(status->width()) > status->fontMetrics().lineSpacing());
        QCoreApplication::processEvents();
        panel.layout()->activate();
        QCoreApplication::processEvents();
        QCOMPARE(run->mapTo(&panel, QPoint(0, 0)), before);
        screenshot(&panel, "demo-lab-running-status.png");
    }
};

QTEST_MAIN(TestDemoCharts)
#include "test_demo_charts.moc"

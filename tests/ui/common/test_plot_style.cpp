// Charts follow the palette (issue 15.5): on a dark palette the Demo Lab's and the Counters
// view's QCustomPlot charts paint a dark background with light axes, labels, titles and legend,
// and every line stays visible (3:1 against the background) — QCustomPlot's defaults are white
// with black axes whatever the palette.
#include <qcustomplot.h>

#include <QtTest>

#include "demo/demo.h"
#include "ui/common/palette_colours.h"
#include "ui/counters/rate_chart.h"
#include "ui/demo_lab/demo_charts.h"

using namespace lockscope;

namespace {

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::Text, QColor(0xdd, 0xdd, 0xdd));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::PlaceholderText, QColor(0x99, 0x99, 0x99));
    return p;
}

// LOCKSCOPE_SCREENSHOT_DIR set: saves a grab of `w` there as `name` (for looking at it).
void screenshot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR");
    if (!dir.isEmpty()) w->grab().save(dir + "/" + name);
}

// Every part of `plot` drawn in `palette`'s colours, and its lines readable on Base.
void checkFollows(QCustomPlot* plot, const QPalette& palette) {
    const QColor base = palette.color(QPalette::Base);
    QCOMPARE(plot->axisRect()->backgroundBrush().color(), base);
    for (auto* axis : plot->axisRect()->axes()) {
        QCOMPARE(axis->labelColor(), palette.color(QPalette::WindowText));
        QCOMPARE(axis->tickLabelColor(), palette.color(QPalette::WindowText));
        QCOMPARE(axis->basePen().color(), palette.color(QPalette::Text));
    }
    QCOMPARE(plot->legend->textColor(), palette.color(QPalette::Text));
    for (int i = 0; i < plot->graphCount(); ++i)
        QVERIFY2(ui::contrastRatio(plot->graph(i)->pen().color(), base) >= 3.0 - 1e-9,
                 qPrintable(plot->graph(i)->pen().color().name()));
    // What is painted: the outer background is the window's colour, not white.
    const QImage image = plot->toPixmap(300, 200).toImage();
    QCOMPARE(QColor(image.pixel(1, 1)), palette.color(QPalette::Window));
}

}  // namespace

class TestPlotStyle : public QObject {
    Q_OBJECT
private slots:
    void demoChartsFollowTheDarkPalette() {
        ui::DemoCharts charts;
        charts.reset({"naive", "incr", "watch", "locked", "lua", "versioned", "batched", "capped"},
                     true);
        charts.setPalette(darkPalette());  // a palette change after the charts were made
        for (auto* plot :
             {charts.progressPlot(), charts.throughputPlot(), charts.violationsPlot()}) {
            checkFollows(plot, darkPalette());
            if (QTest::currentTestFailed()) return;
        }
        // The titles too.
        auto* title =
            qobject_cast<QCPTextElement*>(charts.progressPlot()->plotLayout()->element(0, 0));
        QVERIFY(title);
        QCOMPARE(title->textColor(), darkPalette().color(QPalette::WindowText));
        // Some progress to look at.
        for (int step = 1; step <= 10; ++step)
            for (const char* s : {"naive", "incr", "watch", "lua"}) {
                demo::DemoProgress p;
                p.kind = "lock";
                p.strategy = s;
                p.elapsedSeconds = step * 0.1;
                p.done = step * (std::string(s) == "naive" ? 60 : 100);
                p.total = 1000;
                p.opsPerSecond = double(p.done) / p.elapsedSeconds;
                p.violations = std::string(s) == "naive" ? step : 0;
                charts.add(p);
            }
        charts.flush();
        charts.resize(900, 300);
        screenshot(&charts, "charts-dark.png");
    }

    void rateChartMadeOnADarkPalette() {
        QWidget parent;
        parent.setPalette(darkPalette());
        ui::RateChart chart(&parent);
        auto* plot = chart.findChild<QCustomPlot*>("rateChart");
        QVERIFY(plot);
        checkFollows(plot, darkPalette());
        // And back to light: nothing stays dark.
        QPalette light;
        light.setColor(QPalette::Window, Qt::white);
        light.setColor(QPalette::WindowText, Qt::black);
        light.setColor(QPalette::Base, Qt::white);
        light.setColor(QPalette::Text, Qt::black);
        parent.setPalette(light);
        QCOMPARE(plot->axisRect()->backgroundBrush().color(), QColor(Qt::white));
        QCOMPARE(plot->xAxis->labelColor(), QColor(Qt::black));
    }
};

QTEST_MAIN(TestPlotStyle)
#include "test_plot_style.moc"

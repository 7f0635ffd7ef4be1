#include "ui/demo_lab/lesson_charts.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/common/plot_style.h"

namespace lockscope::ui {
namespace {

// The live charts' first colours (demo_charts.cpp), so a strategy looks the same in both.
const QColor kColours[] = {QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00),
                           QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7)};

QCustomPlot* makePlot(QWidget* parent, const char* name) {
    auto* plot = new QCustomPlot(parent);
    plot->setObjectName(name);
    plot->setMinimumSize(260, 220);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, QString()));
    plot->yAxis->setNumberFormat("f");
    plot->yAxis->setNumberPrecision(0);
    // The legend goes under the plot, never over a bar (it covered fair's main wait bar and
    // workers 5–7 in the top-right corner).
    auto* under = new QCPLayoutGrid;
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(2, 0, under);
    plot->plotLayout()->setRowStretchFactor(2, 0.001);
    under->setMargins(QMargins(6, 2, 6, 6));
    under->addElement(0, 0, plot->legend);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setVisible(true);
    followPalette(plot);
    return plot;
}

// The value written above each bar, so none goes unlabelled whatever the scale.
void labelBar(QCustomPlot* plot, double key, double value, double floor, const QString& text) {
    auto* label = new QCPItemText(plot);
    label->setObjectName("barLabel");
    label->position->setType(QCPItemPosition::ptPlotCoords);
    label->position->setCoords(key, std::max(value, floor));
    label->setPositionAlignment(Qt::AlignBottom | Qt::AlignHCenter);
    label->setPadding(QMargins(0, 0, 0, 2));
    label->setColor(plot->xAxis->tickLabelColor());
    label->setFont(plot->xAxis->tickLabelFont());
    label->setText(text);
}

void setTitle(QCustomPlot* plot, const QString& title) {
    if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
        t->setText(title);
}

void reset(QCustomPlot* plot) {
    plot->clearPlottables();
    plot->clearGraphs();
    plot->clearItems();
    plot->xAxis->setTickLabelRotation(0);
    plot->axisRect()->setAutoMargins(QCP::msAll);
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->yAxis->setScaleType(QCPAxis::stLinear);
    plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->legend->setVisible(true);
}

QCPBars* bars(QCustomPlot* plot, const QString& name, size_t colour, double width) {
    auto* b = new QCPBars(plot->xAxis, plot->yAxis);
    b->setName(name);
    b->setWidth(width);
    const QColor c = kColours[colour % std::size(kColours)];
    setGraphPen(b, QPen(c));
    b->setBrush(QColor(c.red(), c.green(), c.blue(), 170));
    return b;
}

// A bar's wait, three significant digits at most ("967 ms", "32.5 ms", "12.8 ms"): a longest
// wait is a histogram bucket's upper end, which waitText() would print as "966.656 ms".
QString barWaitText(double micros) {
    const double ms = micros / 1000.0;
    if (micros < 1000) return QObject::tr("%1 µs").arg(std::llround(micros));
    return QObject::tr("%1 ms").arg(ms, 0, 'f', ms >= 100 ? 0 : ms >= 10 ? 1 : 2);
}

// Writers' longest waits this many times apart are drawn on a log scale.
constexpr double kLogWaitRatio = 10;

}  // namespace

// Whole µs below 1 ms, then ms with the one decimal the doubling ranges need ("102.4 ms", never
// the rounded "102 ms"; 'g' would also write 1350 ms as "1.35e+03").
QString LessonCharts::waitText(long long us) {
    if (us < 1000) return QObject::tr("%1 µs").arg(us);
    if (us % 1000 == 0) return QObject::tr("%1 ms").arg(us / 1000);
    const int decimals = us % 100 == 0 ? 1 : us % 10 == 0 ? 2 : 3;
    return QObject::tr("%1 ms").arg(double(us) / 1000.0, 0, 'f', decimals);
}

LessonCharts::LessonCharts(QWidget* parent) : QWidget(parent) {
    left_ = makePlot(this, "lessonLeftChart");
    right_ = makePlot(this, "lessonRightChart");
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(left_, 1);
    layout->addWidget(right_, 1);
    hide();
}

void LessonCharts::clear() {
    results_.clear();
    hide();
}

void LessonCharts::addResult(const demo::LockDemoResult& result) {
    if (result.fault != "contention" && result.fault != "readers-writers") return;
    // One lesson at a time: a result of the other lesson starts the charts afresh.
    if (!results_.empty() && results_.front().fault != result.fault) results_.clear();
    results_.push_back(result);
    redraw();
    show();
}

void LessonCharts::redraw() {
    reset(left_);
    reset(right_);
    if (results_.front().fault == "contention")
        drawContention();
    else
        drawReadersWriters();
    for (auto* plot : {left_, right_}) plot->replot();
}

void LessonCharts::drawContention() {
    // Left: bars per worker, strategies side by side within each worker's slot.
    setTitle(left_, tr("Acquisitions per worker (same stretch of time)"));
    left_->xAxis->setLabel(tr("worker"));
    left_->yAxis->setLabel(tr("acquisitions"));
    const double n = double(results_.size());
    const double width = 0.8 / n;
    size_t workers = 0;
    double top = 1;
    for (size_t s = 0; s < results_.size(); ++s) {
        const auto& r = results_[s];
        auto* b = bars(left_,
                       r.fairness >= 0 ? tr("%1 (least/most %2)")
                                             .arg(QString::fromStdString(r.strategy))
                                             .arg(r.fairness, 0, 'f', 2)
                                       : QString::fromStdString(r.strategy),
                       s, width);
        for (size_t w = 0; w < r.perWorker.size(); ++w) {
            b->addData(double(w) - 0.4 + width * (double(s) + 0.5), double(r.perWorker[w]));
            top = std::max(top, double(r.perWorker[w]));
        }
        workers = std::max(workers, r.perWorker.size());
    }
    auto ticks = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (size_t w = 0; w < workers; ++w) ticks->addTick(double(w), QString::number(w));
    left_->xAxis->setTicker(ticks);
    left_->xAxis->setRange(-0.6, double(workers) - 0.4);
    left_->yAxis->setRange(0, top * 1.1);
    left_->legend->setWrap(2);

    // Right: the wait distribution, ranges doubling from 100 µs, share of each run's waits.
    setTitle(right_, tr("Wait before each acquisition"));
    right_->xAxis->setLabel(tr("wait (ranges doubling from 100 µs)"));
    right_->yAxis->setLabel(tr("% of acquisitions"));
    size_t ranges = 0;
    for (const auto& r : results_) ranges = std::max(ranges, r.waitDistribution.size());
    auto rangeTicks = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (size_t i = 0; i < ranges; ++i) {
        long long from = 0;
        for (const auto& r : results_)
            if (i < r.waitDistribution.size()) from = r.waitDistribution[i].first;
        rangeTicks->addTick(double(i), i == 0 ? tr("< %1").arg(waitText(100)) : waitText(from));
    }
    right_->xAxis->setTicker(rangeTicks);
    right_->xAxis->setTickLabelRotation(45);
    // Slanted labels run right from their tick: room for the last one ("204.8 ms") to the right.
    right_->axisRect()->setAutoMargins(QCP::msLeft | QCP::msTop | QCP::msBottom);
    right_->axisRect()->setMargins(QMargins(0, 0, 60, 0));
    double topShare = 1;
    for (size_t s = 0; s < results_.size(); ++s) {
        const auto& r = results_[s];
        long long total = 0;
        for (const auto& [from, count] : r.waitDistribution) total += count;
        auto* b = bars(right_,
                       tr("%1 (p99.9 %2)")
                           .arg(QString::fromStdString(r.strategy))
                           .arg(waitText(static_cast<long long>(r.waitP999Micros))),
                       s, width);
        for (size_t i = 0; i < r.waitDistribution.size(); ++i) {
            const double share =
                total > 0 ? 100.0 * double(r.waitDistribution[i].second) / double(total) : 0;
            b->addData(double(i) - 0.4 + width * (double(s) + 0.5), share);
            topShare = std::max(topShare, share);
        }
    }
    right_->xAxis->setRange(-0.6, double(ranges) - 0.4);
    right_->yAxis->setRange(0, std::min(100.0, topShare * 1.1));
    right_->legend->setWrap(2);
}

void LessonCharts::drawReadersWriters() {
    const auto& rows = results_.back().readShares;
    auto ticks = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (size_t i = 0; i < rows.size(); ++i)
        ticks->addTick(
            double(i),
            rows[i].writerPreference
                ? tr("%1% reads").arg(int(rows[i].readShare * 100))
                : tr("%1% reads,\nno writer preference").arg(int(rows[i].readShare * 100)));
    setTitle(left_, tr("Throughput as the read share grows"));
    left_->xAxis->setLabel(QString());
    left_->yAxis->setLabel(tr("operations per second"));
    left_->xAxis->setTicker(ticks);
    setTitle(right_, tr("Writers' longest wait"));
    right_->xAxis->setLabel(QString());
    right_->yAxis->setLabel(tr("ms"));
    right_->xAxis->setTicker(ticks);
    auto* ops = bars(left_, tr("reads and writes"), 0, 0.6);
    auto* waits = bars(right_, tr("longest writer wait"), 1, 0.6);
    // One series each, named by the title: no legend to cover a bar.
    left_->legend->setVisible(false);
    right_->legend->setVisible(false);
    double topOps = 1, topWait = 0, leastWait = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
        const double wait = rows[i].writerWaitMaxMicros / 1000.0;
        ops->addData(double(i), rows[i].opsPerSecond);
        waits->addData(double(i), wait);
        topOps = std::max(topOps, rows[i].opsPerSecond);
        topWait = std::max(topWait, wait);
        if (wait > 0) leastWait = leastWait > 0 ? std::min(leastWait, wait) : wait;
    }
    for (auto* plot : {left_, right_}) plot->xAxis->setRange(-0.6, double(rows.size()) - 0.4);
    left_->yAxis->setRange(0, topOps * 1.2);
    for (size_t i = 0; i < rows.size(); ++i)
        labelBar(left_, double(i), rows[i].opsPerSecond, 0,
                 QString::number(rows[i].opsPerSecond, 'f', 0));
    // Writers against writers (0 % reads) can wait far longer than a starved writer at 90 %:
    // on a linear axis that bar flattened the ones the lesson compares. Waits this far apart
    // go on a log scale.
    double floor = 0;
    if (leastWait > 0 && topWait / leastWait > kLogWaitRatio) {
        right_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        right_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        floor = leastWait / 3;
        waits->setBaseValue(floor);
        right_->yAxis->setRange(floor, topWait * 4);
        right_->yAxis->setLabel(tr("ms (log scale)"));
    } else {
        right_->yAxis->setRange(0, std::max(1.0, topWait * 1.2));
    }
    for (size_t i = 0; i < rows.size(); ++i)
        labelBar(right_, double(i), rows[i].writerWaitMaxMicros / 1000.0, floor,
                 barWaitText(rows[i].writerWaitMaxMicros));
}

}  // namespace lockscope::ui

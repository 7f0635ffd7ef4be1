#include "ui/demo_lab/demo_charts.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QTimer>
#include <algorithm>

#include "ui/common/plot_style.h"

namespace lockscope::ui {
namespace {

// Okabe–Ito colours (told apart with colour-blindness); past eight, the pen turns dashed.
const QColor kColours[] = {
    QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
    QColor(0xcc, 0x79, 0xa7), QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
    QColor(0x44, 0x44, 0x44), QColor(0x88, 0x22, 0x55),
};
constexpr size_t kColourCount = std::size(kColours);

QPen penFor(size_t i) {
    QPen pen(kColours[i % kColourCount], 2);
    if (i >= kColourCount) pen.setStyle(Qt::DashLine);
    return pen;
}

QCustomPlot* makePlot(QWidget* parent, const char* name, const QString& title,
                      const QString& yLabel) {
    auto* plot = new QCustomPlot(parent);
    plot->setObjectName(name);
    plot->setMinimumSize(220, 170);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title));
    plot->xAxis->setLabel(QObject::tr("seconds since the strategy started"));
    plot->yAxis->setLabel(yLabel);
    // Plain numbers: "8000000", not "8·10⁶" (QCustomPlot's default "gbd" typesets powers).
    plot->yAxis->setNumberFormat("f");
    plot->yAxis->setNumberPrecision(0);
    plot->legend->setVisible(false);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    followPalette(plot);
    return plot;
}

// The linear throughput axis shows at least 0 to this many operations per second.
constexpr double kMinRateTop = 5;
// Rates this far apart switch the throughput axis to a log scale.
constexpr double kLogRatio = 50;

}  // namespace

DemoCharts::DemoCharts(QWidget* parent) : QWidget(parent) {
    progress_ = makePlot(this, "demoProgressChart", tr("Progress"), tr("% of its operations done"));
    throughput_ =
        makePlot(this, "demoThroughputChart", tr("Throughput"), tr("operations per second"));
    violations_ = makePlot(this, "demoViolationsChart", tr("Violations so far"),
                           tr("overlapping holds seen"));
    progress_->legend->setVisible(true);
    // A count: whole ticks only (the default ticker put 0.2, 0.4... on a 0–1 axis, printed as
    // "0 0 0 1 1 1").
    auto whole = QSharedPointer<QCPAxisTickerFixed>::create();
    whole->setTickStep(1);
    whole->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    violations_->yAxis->setTicker(whole);
    violations_->hide();

    timer_ = new QTimer(this);
    timer_->setInterval(kReplotInterval);
    connect(timer_, &QTimer::timeout, this, &DemoCharts::tick);
    timer_->start();

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(progress_, 1);
    layout->addWidget(throughput_, 1);
    layout->addWidget(violations_, 1);
    rescale();
}

DemoCharts::~DemoCharts() = default;

void DemoCharts::reset(const std::vector<std::string>& strategies, bool lockDemo) {
    pending_.clear();
    series_.clear();
    for (auto* plot : {progress_, throughput_, violations_}) plot->clearGraphs();
    violations_->setVisible(lockDemo);
    for (size_t i = 0; i < strategies.size(); ++i) {
        Series s;
        s.label = strategies[i];
        const QString name = QString::fromStdString(s.label);
        const QPen pen = penFor(i);
        s.progress = progress_->addGraph();
        s.rate = throughput_->addGraph();
        // Dots too: a strategy done within one report has a single rate point, and no line.
        s.rate->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 5));
        if (lockDemo) {
            s.violations = violations_->addGraph();
            s.violations->setLineStyle(QCPGraph::lsStepLeft);
        }
        for (auto* g : {s.progress, s.rate, s.violations}) {
            if (!g) continue;
            g->setName(name);
            setGraphPen(g, pen);
        }
        series_.push_back(s);
    }
    dirty_ = true;
    rescale();
    replot();
}

void DemoCharts::add(const demo::DemoProgress& p) { pending_.push_back(p); }

void DemoCharts::apply(const demo::DemoProgress& p) {
    auto it = std::find_if(series_.begin(), series_.end(),
                           [&](const Series& s) { return s.label == p.strategy; });
    if (it == series_.end()) return;
    Series& s = *it;
    const double t = p.elapsedSeconds;
    const double percent = p.total > 0 ? 100.0 * double(p.done) / double(p.total) : 0;
    if (!s.started) {
        // Every line starts at the origin, so a strategy that finished at once still draws one.
        s.progress->addData(0, 0);
        if (s.violations) s.violations->addData(0, 0);
        s.started = true;
    }
    if (const auto point = s.rates.add(p)) s.rate->addData(point->seconds, point->opsPerSecond);
    s.progress->addData(t, percent);
    if (s.violations) s.violations->addData(t, double(p.violations));
    dirty_ = true;
}

void DemoCharts::tick() {
    for (const auto& p : pending_) apply(p);
    pending_.clear();
    // A hidden chart (another tab) waits: showEvent replots it.
    if (!dirty_ || !isVisible()) return;
    rescale();
    replot();
}

void DemoCharts::flush() { tick(); }

void DemoCharts::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    dirty_ = true;
    tick();
}

void DemoCharts::rescale() {
    double maxT = 1, maxRate = 0, maxViolations = 0;
    for (const auto& s : series_) {
        bool found = false;
        const QCPRange keys = s.progress->getKeyRange(found);
        if (found) maxT = std::max(maxT, keys.upper);
        const QCPRange rates = s.rate->getValueRange(found);
        if (found) maxRate = std::max(maxRate, rates.upper);
        if (s.violations) {
            const QCPRange v = s.violations->getValueRange(found);
            if (found) maxViolations = std::max(maxViolations, v.upper);
        }
    }
    for (auto* plot : {progress_, throughput_, violations_}) plot->xAxis->setRange(0, maxT * 1.05);
    progress_->yAxis->setRange(0, 105);
    // Counter strategies differ by orders of magnitude (batched counts locally: millions per
    // second beside watch's thousands): a linear axis would flatten all but one. A lock demo's
    // interesting rate is 0 (a stall), which only a linear axis shows.
    double minRate = 0;
    for (const auto& s : series_) {
        bool found = false;
        const QCPRange r = s.rate->getValueRange(found, QCP::sdPositive);
        if (found) minRate = minRate > 0 ? std::min(minRate, r.lower) : r.lower;
    }
    const bool log = violations_->isHidden() && minRate > 0 && maxRate / minRate > kLogRatio;
    setLogScale(log);
    if (log)
        throughput_->yAxis->setRange(minRate / 2, maxRate * 2);
    else
        // At least 0–5: the default ticker put 0.2, 0.4… on an empty 0–1 axis, printed with no
        // decimals as "0 0 0 1 1 1".
        throughput_->yAxis->setRange(0, std::max(kMinRateTop, maxRate * 1.15));
    violations_->yAxis->setRange(0, std::max(1.0, maxViolations * 1.25));
}

void DemoCharts::setLogScale(bool log) {
    if (log == logScale_) return;
    logScale_ = log;
    QCPAxis* y = throughput_->yAxis;
    y->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (log)
        y->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        y->setTicker(QSharedPointer<QCPAxisTicker>::create());
    y->setLabel(log ? tr("operations per second (log scale)") : tr("operations per second"));
}

void DemoCharts::replot() {
    dirty_ = false;
    ++replots_;
    progress_->replot();
    throughput_->replot();
    if (violations_->isVisible()) violations_->replot();
}

}  // namespace lockscope::ui

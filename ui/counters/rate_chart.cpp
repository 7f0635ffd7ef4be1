#include "ui/counters/rate_chart.h"

#include <qcustomplot.h>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/common/display_text.h"
#include "ui/common/plot_style.h"

namespace lockscope::ui {
namespace {

// Okabe–Ito colours (told apart with colour-blindness and on a washed-out projector), with the
// yellow swapped for two darker tones that stay visible on white.
const QColor kColours[RateChart::kMaxGraphs] = {
    QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
    QColor(0xcc, 0x79, 0xa7), QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
    QColor(0x44, 0x44, 0x44), QColor(0x88, 0x22, 0x55),
};

struct WindowChoice {
    const char* label;
    int seconds;
};
// Translated where shown (RateChart's tr()).
const WindowChoice kWindows[] = {{QT_TRANSLATE_NOOP("lockscope::ui::RateChart", "1 min"), 60},
                                 {QT_TRANSLATE_NOOP("lockscope::ui::RateChart", "5 min"), 300},
                                 {QT_TRANSLATE_NOOP("lockscope::ui::RateChart", "15 min"), 900}};

// The shortest and longest span a zoom may reach (seconds).
constexpr double kMinSpan = 10;
constexpr double kMaxSpan = 3600;

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    QString quoted = s;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString legendName(const std::string& key) {
    const QString text = displayText(key);
    return text.size() <= 48 ? text : text.left(22) + QStringLiteral("…") + text.right(22);
}

}  // namespace

RateChart::RateChart(QWidget* parent, const Clock* clock) : QWidget(parent), clock_(clock) {
    windowBox_ = new QComboBox(this);
    windowBox_->setObjectName("chartWindow");
    windowBox_->setToolTip(tr("How much time the chart shows while it follows now"));
    for (const auto& w : kWindows) windowBox_->addItem(tr(w.label), w.seconds);
    windowBox_->setCurrentIndex(1);
    followButton_ = new QToolButton(this);
    followButton_->setObjectName("chartFollow");
    followButton_->setText(tr("Follow live"));
    followButton_->setToolTip(
        tr("Keep the newest point at the right edge. Dragging or zooming the "
           "time axis stops following; click to jump back to now."));
    followButton_->setCheckable(true);
    followButton_->setChecked(true);
    note_ = new QLabel(this);
    note_->setObjectName("chartNote");

    exportPng_ = new QAction(tr("Export Chart as &PNG…"), this);
    exportPng_->setObjectName("actionExportChartPng");
    exportPng_->setToolTip(tr("Save the chart as it is shown as a PNG image"));
    exportCsv_ = new QAction(tr("Export Chart Data as &CSV…"), this);
    exportCsv_->setObjectName("actionExportChartCsv");
    exportCsv_->setToolTip(tr("Save the points in the shown time range as CSV (time, key, rate)"));
    auto* pngButton = new QToolButton(this);
    pngButton->setDefaultAction(exportPng_);
    pngButton->setText(tr("PNG…"));
    auto* csvButton = new QToolButton(this);
    csvButton->setDefaultAction(exportCsv_);
    csvButton->setText(tr("CSV…"));

    plot_ = new QCustomPlot(this);
    plot_->setObjectName("rateChart");
    plot_->setMinimumHeight(160);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat("HH:mm:ss");
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setLabel(tr("time"));
    plot_->yAxis->setLabel(tr("rate (per second)"));
    plot_->legend->setVisible(false);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    // Only time moves with the mouse; the value axis scales itself to what is shown.
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    plot_->setContextMenuPolicy(Qt::ActionsContextMenu);
    plot_->addAction(exportPng_);
    plot_->addAction(exportCsv_);

    placeholder_ = new QCPItemText(plot_);
    placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
    placeholder_->position->setCoords(0.5, 0.5);
    placeholder_->setText(
        tr("Select counters in the table to chart their rates\n"
           "(Ctrl+click or Shift+click for several)"));
    followPalette(plot_);  // after the placeholder: it is styled too

    connect(plot_, &QCustomPlot::afterReplot, this, [this] { ++replots_; });
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
        if (!settingRange_) onUserRangeChange();
    });
    connect(windowBox_, &QComboBox::currentIndexChanged, this,
            [this](int i) { setWindow(std::chrono::seconds(windowBox_->itemData(i).toInt())); });
    connect(followButton_, &QToolButton::toggled, this, &RateChart::setFollowLive);
    connect(exportPng_, &QAction::triggered, this, &RateChart::exportPngInteractive);
    connect(exportCsv_, &QAction::triggered, this, &RateChart::exportCsvInteractive);

    timer_ = new QTimer(this);
    timer_->setInterval(kReplotInterval);
    connect(timer_, &QTimer::timeout, this, &RateChart::tick);
    timer_->start();

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Window"), this));
    bar->addWidget(windowBox_);
    bar->addWidget(followButton_);
    bar->addWidget(note_, 1);
    bar->addWidget(pngButton);
    bar->addWidget(csvButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(plot_, 1);

    applyRange();
    updatePlaceholder();
}

RateChart::~RateChart() = default;

QWidget* RateChart::plotWidget() const { return plot_; }

double RateChart::nowSecs() const { return double(clock_->wallMillis()) / 1000.0; }
double RateChart::rangeStart() const { return plot_->xAxis->range().lower; }
double RateChart::rangeEnd() const { return plot_->xAxis->range().upper; }

void RateChart::setBridge(MonitorBridge* bridge) {
    if (bridge_) disconnect(bridge_, nullptr, this, nullptr);
    bridge_ = bridge;
    if (!bridge_) return;
    connect(bridge_, &MonitorBridge::updated, this, [this](const UpdatePtr& u) { apply(*u); });
    // A new monitor (another server) starts from nothing: so does the chart.
    connect(bridge_, &MonitorBridge::started, this, &RateChart::clear);
}

std::vector<std::string> RateChart::keys() const {
    std::vector<std::string> out;
    for (const auto& s : series_) out.push_back(s.key);
    return out;
}

int RateChart::pointCount(const std::string& key) const {
    for (const auto& s : series_)
        if (s.key == key) return s.graph->data()->size();
    return 0;
}

void RateChart::addPoint(Series& s, qint64 wallMs, double rate) {
    s.graph->addData(double(wallMs) / 1000.0, rate);
    s.lastMs = std::max(s.lastMs, wallMs);
    s.lastRate = rate;
    dirty_ = true;
}

void RateChart::seed(Series& s, double currentRate) {
    // The engine's history: one point a second for as long as it kept
    // (MonitorOptions::historyLength).
    if (bridge_)
        for (const auto& p : bridge_->history(s.key)) addPoint(s, p.wallMs, p.perSecond);
    addPoint(s, std::max(clock_->wallMillis(), s.lastMs), currentRate);
}

void RateChart::setCounters(const std::vector<Counter>& counters) {
    const size_t shown = std::min(counters.size(), size_t(kMaxGraphs));
    hidden_ = int(counters.size() - shown);
    std::vector<Series> next;
    next.reserve(shown);
    for (size_t i = 0; i < shown; ++i) {
        auto old = std::find_if(series_.begin(), series_.end(), [&](const Series& s) {
            return s.graph && s.key == counters[i].key;
        });
        if (old != series_.end()) {
            next.push_back(std::move(*old));
            old->graph = nullptr;
        } else {
            next.push_back(Series{counters[i].key, nullptr, counters[i].rate, 0, false});
        }
    }
    for (auto& s : series_)
        if (s.graph) plot_->removeGraph(s.graph);
    series_ = std::move(next);
    // New graphs take a colour no remaining graph uses, so a graph keeps its colour while the
    // selection grows or shrinks around it.
    for (size_t i = 0; i < series_.size(); ++i) {
        Series& s = series_[i];
        if (s.graph) continue;
        int colour = 0;
        for (; colour < kMaxGraphs; ++colour) {
            const bool used = std::any_of(series_.begin(), series_.end(), [&](const Series& o) {
                return o.graph && baseColour(o.graph) == kColours[colour];
            });
            if (!used) break;
        }
        s.graph = plot_->addGraph();
        s.graph->setName(legendName(s.key));
        setGraphPen(s.graph, QPen(kColours[colour % kMaxGraphs], 2));
        seed(s, s.lastRate);
    }
    note_->setText(
        hidden_ > 0
            ? tr("%1 more selected: the chart shows the first %2").arg(hidden_).arg(kMaxGraphs)
            : QString());
    dirty_ = true;
    updatePlaceholder();
    if (follow_) applyRange();
}

void RateChart::apply(const monitor::MonitorUpdate& u) {
    if (series_.empty()) return;
    const qint64 now = clock_->wallMillis();
    // An update can carry 20,000 records and there are at most 8 graphs: compare sizes first.
    for (const auto& r : u.changed) {
        for (auto& s : series_) {
            if (s.gone || s.key.size() != r.key.size() || s.key != r.key) continue;
            if (r.isCounter())
                addPoint(s, now, r.ratePerSecond);
            else
                s.gone = true;  // no longer a counter
        }
    }
    for (const auto& key : u.removed)
        for (auto& s : series_)
            if (s.key == key) s.gone = true;
}

void RateChart::clear() {
    for (auto& s : series_) plot_->removeGraph(s.graph);
    series_.clear();
    hidden_ = 0;
    note_->clear();
    dirty_ = true;
    updatePlaceholder();
}

void RateChart::tick() {
    const qint64 now = clock_->wallMillis();
    for (auto& s : series_) {
        // The rate holds between updates: carry it to now, once a second like the history.
        if (!s.gone && now - s.lastMs >= 1000) addPoint(s, now, s.lastRate);
        s.graph->data()->removeBefore(double(now) / 1000.0 -
                                      double(std::chrono::seconds(kRetention).count()));
    }
    if (follow_ && !series_.empty()) {
        applyRange();
        dirty_ = true;
    }
    // A hidden chart (another tab) waits: showEvent replots it at once.
    if (!dirty_ || !plot_->isVisible()) return;
    dirty_ = false;
    rescaleValues();
    plot_->replot();
}

void RateChart::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (follow_) applyRange();
    rescaleValues();
    plot_->replot(QCustomPlot::rpQueuedReplot);
    dirty_ = false;
}

void RateChart::applyRange() {
    settingRange_ = true;
    const double now = nowSecs();
    plot_->xAxis->setRange(now - double(window_.count()), now);
    settingRange_ = false;
}

void RateChart::rescaleValues() {
    double lo = 0, hi = 0;
    for (const auto& s : series_) {
        bool found = false;
        const QCPRange r = s.graph->getValueRange(found, QCP::sdBoth, plot_->xAxis->range());
        if (!found) continue;
        lo = std::min(lo, r.lower);
        hi = std::max(hi, r.upper);
    }
    // Headroom above the highest point; a flat zero line still gets a readable scale.
    plot_->yAxis->setRange(lo < 0 ? lo * 1.15 : 0, hi > 0 ? hi * 1.15 : 1);
}

void RateChart::updatePlaceholder() {
    placeholder_->setVisible(series_.empty());
    plot_->legend->setVisible(!series_.empty());
}

void RateChart::onUserRangeChange() {
    QCPRange r = plot_->xAxis->range();
    const double span = std::clamp(r.size(), kMinSpan, kMaxSpan);
    if (span != r.size()) {
        settingRange_ = true;
        plot_->xAxis->setRange(r.center() - span / 2, r.center() + span / 2);
        settingRange_ = false;
    }
    dirty_ = true;
    if (follow_) setFollowLive(false);
}

void RateChart::moveRange(double startSecs, double endSecs) {
    plot_->xAxis->setRange(startSecs, endSecs);
}

void RateChart::setFollowLive(bool follow) {
    if (follow_ == follow) return;
    follow_ = follow;
    if (followButton_->isChecked() != follow) {
        const QSignalBlocker block(followButton_);
        followButton_->setChecked(follow);
    }
    if (follow_) applyRange();
    dirty_ = true;
    emit followLiveChanged(follow_);
}

void RateChart::setWindow(std::chrono::seconds length) {
    if (length.count() <= 0) return;
    window_ = length;
    const int i = windowBox_->findData(int(length.count()));
    if (i >= 0 && i != windowBox_->currentIndex()) {
        const QSignalBlocker block(windowBox_);
        windowBox_->setCurrentIndex(i);
    }
    if (follow_) {
        applyRange();
    } else {
        // Not following: keep the right edge where the user put it.
        settingRange_ = true;
        const double end = rangeEnd();
        plot_->xAxis->setRange(end - double(length.count()), end);
        settingRange_ = false;
    }
    dirty_ = true;
}

QByteArray RateChart::csv() const {
    const QCPRange shown = plot_->xAxis->range();
    QString out = QStringLiteral("time,key,rate\n");
    for (const auto& s : series_) {
        const QString key = csvField(displayText(s.key));
        const auto points = s.graph->data();
        for (auto it = points->findBegin(shown.lower, false); it != points->constEnd(); ++it) {
            if (it->key < shown.lower) continue;
            if (it->key > shown.upper) break;
            const auto ms = qint64(std::llround(it->key * 1000.0));
            out += QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) +
                   QLatin1Char(',') + key + QLatin1Char(',') + QString::number(it->value, 'f', 3) +
                   QLatin1Char('\n');
        }
    }
    return out.toUtf8();
}

bool RateChart::exportPng(const QString& path, QString* error) {
    if (follow_) applyRange();
    rescaleValues();
    // The size it has on screen, so the file looks like what the user saw.
    const int w = plot_->width() > 50 ? plot_->width() : 1200;
    const int h = plot_->height() > 50 ? plot_->height() : 600;
    if (plot_->savePng(path, w, h)) return true;
    if (error)
        *error =
            tr("Could not write the image to %1. Check that the folder exists and is writable, "
               "or choose another place.")
                .arg(QDir::toNativeSeparators(path));
    return false;
}

bool RateChart::exportCsv(const QString& path, QString* error) {
    // QSaveFile: a failed write never leaves half a file behind.
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(csv()) >= 0 && file.commit()) return true;
    if (error)
        *error = tr("Could not write the CSV to %1 (%2). Choose another place.")
                     .arg(QDir::toNativeSeparators(path), file.errorString());
    return false;
}

namespace {
QString suggestedPath(QStandardPaths::StandardLocation where, const QString& suffix) {
    QString dir = QStandardPaths::writableLocation(where);
    if (dir.isEmpty() || !QDir(dir).exists()) dir = QDir::homePath();
    return QDir(dir).filePath(
        QStringLiteral("lockscope-rates-%1.%2")
            .arg(QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss"), suffix));
}
QString withSuffix(QString path, const QString& suffix) {
    if (!path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
        path += QLatin1Char('.') + suffix;
    return path;
}
}  // namespace

void RateChart::exportPngInteractive() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart as PNG"), suggestedPath(QStandardPaths::PicturesLocation, "png"),
        tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportPng(withSuffix(path, "png"), &error))
        QMessageBox::warning(this, tr("Export Chart"), error);
}

void RateChart::exportCsvInteractive() {
    if (series_.empty()) {
        QMessageBox::information(
            this, tr("Export Chart Data"),
            tr("The chart shows no counter yet: select one or more in the table first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Chart Data as CSV"),
        suggestedPath(QStandardPaths::DocumentsLocation, "csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(withSuffix(path, "csv"), &error))
        QMessageBox::warning(this, tr("Export Chart Data"), error);
}

}  // namespace lockscope::ui

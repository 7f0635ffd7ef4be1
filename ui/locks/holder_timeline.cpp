#include "ui/locks/holder_timeline.h"

#include <qcustomplot.h>

#include <QDateTime>
#include <QStringList>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <string_view>

#include "locks/owner.h"
#include "ui/common/display_text.h"

namespace lockscope::ui {
namespace {

// Okabe–Ito colours (told apart with colour-blindness and on a washed-out projector), as the rate
// chart uses them.
const QColor kColours[HolderTimeline::kMaxRows] = {
    QColor(0x00, 0x72, 0xb2), QColor(0xd5, 0x5e, 0x00), QColor(0x00, 0x9e, 0x73),
    QColor(0xcc, 0x79, 0xa7), QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9),
    QColor(0x44, 0x44, 0x44), QColor(0x88, 0x22, 0x55),
};

// The time axis shows at least a minute and at most half an hour back from now.
constexpr qint64 kMinWindowMs = 60'000;
constexpr qint64 kMaxWindowMs = 30 * 60'000;

QString durationText(qint64 ms) {
    if (ms < 10'000) return QObject::tr("%1 ms").arg(ms);
    if (ms < 120'000) return QObject::tr("%1 s").arg(ms / 1000);
    return QObject::tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
}

}  // namespace

HolderTimeline::HolderTimeline(QWidget* parent, const Clock* clock)
    : QWidget(parent), clock_(clock) {
    plot_ = new QCustomPlot(this);
    plot_->setObjectName("holderTimeline");
    plot_->setMinimumHeight(140);
    plot_->setMouseTracking(true);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat("HH:mm:ss");
    plot_->xAxis->setTicker(ticker);
    plot_->xAxis->setLabel(tr("time"));
    plot_->yAxis->setRangeReversed(true);  // the first holder on top, like a Gantt chart
    // Labels are holders, not numbers: without 'b' in the format QCustomPlot does not typeset a
    // nonce ending in "10e8" as a power of ten.
    plot_->yAxis->setNumberFormat("g");
    plot_->yAxis->grid()->setVisible(false);
    plot_->axisRect()->setupFullAxesBox(false);
    plot_->xAxis2->setVisible(false);
    plot_->yAxis2->setVisible(false);
    connect(plot_, &QCustomPlot::mouseMove, this, &HolderTimeline::hover);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);

    // Only the open span moves: replot once a second while it is on screen.
    timer_ = new QTimer(this);
    timer_->setInterval(1000);
    connect(timer_, &QTimer::timeout, this, [this] {
        if (isVisible() && !spans_.empty() && spans_.back().endMs < 0) replot();
    });
    timer_->start();
    placeholder_ = nullptr;
    replot();
}

QWidget* HolderTimeline::plotWidget() const { return plot_; }
double HolderTimeline::rangeStart() const { return plot_->xAxis->range().lower; }
double HolderTimeline::rangeEnd() const { return plot_->xAxis->range().upper; }

void HolderTimeline::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    replot();
}

namespace {

// Formats whose holder string lists several holders joined with ',' (hash fields, zset
// members, permits); any other holder is one value, commas and all ({"owner":"a","pid":7} is one
// JSON holder, not "2 holders").
bool listsHolders(monitor::Format f) {
    using F = monitor::Format;
    return f == F::ReadWrite || f == F::RedissonRwLock || f == F::SymfonyLock ||
           f == F::ExpirableSemaphore || f == F::RedissonExpirableSemaphore ||
           f == F::SidekiqUniqueJobs || f == F::Reentrant || f == F::RedissonLock ||
           f == F::RedissonFencedLock || f == F::Fair || f == F::RedissonFairLock ||
           f == F::Unknown;
}

std::vector<std::string> splitHolders(const std::string& holder) {
    std::vector<std::string> parts;
    std::string_view rest(holder);
    for (size_t comma; (comma = rest.find(',')) != std::string_view::npos;
         rest.remove_prefix(comma + 1))
        if (comma > 0) parts.emplace_back(rest.substr(0, comma));
    if (!rest.empty()) parts.emplace_back(rest);
    return parts;
}

// "3 readers: …", "2 permits: …", "4 holders: …" (a list names two or more).
QString countedHolders(monitor::Format format, int n, const QString& list) {
    using F = monitor::Format;
    if (format == F::ReadWrite || format == F::RedissonRwLock)
        return HolderTimeline::tr("%1 readers: %2").arg(n).arg(list);
    if (format == F::ExpirableSemaphore || format == F::RedissonExpirableSemaphore)
        return HolderTimeline::tr("%1 permits: %2").arg(n).arg(list);
    return HolderTimeline::tr("%1 holders: %2").arg(n).arg(list);
}

}  // namespace

QString HolderTimeline::shortHolder(const std::string& holder, monitor::Format format,
                                    int holders) {
    if (auto t = locks::parseTokenView(holder))
        return tr("%1 pid %2 …%3")
            .arg(QString::fromUtf8(t->host.data(), qsizetype(t->host.size())))
            .arg(t->pid)
            .arg(QString::fromUtf8(t->nonce.data(), qsizetype(t->nonce.size())).right(6));
    // Several holders (a read-write lock's readers) joined with ',': their count first, then each
    // shortened on its own. Shortening the joined text in the middle made up an id: one reader's
    // uuid start joined to another's thread (adv14c item 4).
    if ((holder.find(',') != std::string::npos && listsHolders(format)) || holders > 1) {
        const auto parts = splitHolders(holder);
        QStringList shown;
        for (size_t i = 0; i < parts.size() && i < 2; ++i) shown << shortHolder(parts[i]);
        const int n = std::max(holders, int(parts.size()));
        if (n > 2) shown << QStringLiteral("…");
        return countedHolders(format, n, shown.join(QStringLiteral(", ")));
    }
    const QString text = displayText(holder);
    // Redisson "<uuid>:<threadId>": the uuid's start and the thread tell holders apart.
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (text.size() > 36 && colon >= 36)
        return text.left(8) + QStringLiteral("…") + text.mid(colon);
    return text.size() <= 24 ? text : text.left(11) + QStringLiteral("…") + text.right(11);
}

QString HolderTimeline::holderList(const std::string& holder, monitor::Format format) {
    if (holder.find(',') == std::string::npos || !listsHolders(format)) return displayText(holder);
    const auto parts = splitHolders(holder);
    QStringList shown;
    for (const auto& p : parts) shown << displayText(p);
    return countedHolders(format, int(parts.size()), shown.join(QStringLiteral(", ")));
}

void HolderTimeline::setSpans(std::vector<HolderSpan> spans) {
    spans_ = std::move(spans);
    selected_ = true;
    replot();
}

void HolderTimeline::clear() {
    spans_.clear();
    selected_ = false;
    replot();
}

QString HolderTimeline::placeholderText() const {
    return placeholder_ ? placeholder_->text() : QString();
}

void HolderTimeline::replot() {
    const qint64 now = clock_->wallMillis();
    // The most recent holders get rows; each keeps the row of its first appearance.
    std::vector<std::string> recent;
    for (auto it = spans_.rbegin(); it != spans_.rend() && int(recent.size()) < kMaxRows; ++it)
        if (std::find(recent.begin(), recent.end(), it->holder) == recent.end())
            recent.push_back(it->holder);
    rows_.clear();
    rowSpans_.clear();
    for (const auto& s : spans_) {
        if (std::find(recent.begin(), recent.end(), s.holder) == recent.end()) continue;
        const auto at = std::find(rows_.begin(), rows_.end(), s.holder) - rows_.begin();
        if (at == qsizetype(rows_.size())) {
            rows_.push_back(s.holder);
            rowSpans_.push_back(&s);
        } else {
            rowSpans_[size_t(at)] = &s;  // labelled as it was last
        }
    }

    plot_->clearItems();
    bars_ = 0;
    qint64 earliest = now;
    for (const auto& s : spans_) {
        const auto row = std::find(rows_.begin(), rows_.end(), s.holder) - rows_.begin();
        if (row >= qsizetype(rows_.size())) continue;
        const qint64 end = s.endMs < 0 ? now : s.endMs;
        earliest = std::min(earliest, s.startMs);
        auto* bar = new QCPItemRect(plot_);
        bar->topLeft->setCoords(double(s.startMs) / 1000.0, double(row) - 0.32);
        // A span shorter than a pixel still shows: at least 0.2 s wide.
        bar->bottomRight->setCoords(std::max(double(end), double(s.startMs) + 200.0) / 1000.0,
                                    double(row) + 0.32);
        const QColor c = kColours[size_t(row) % kMaxRows];
        bar->setBrush(c);
        bar->setPen(QPen(c.darker(130)));
        ++bars_;
    }

    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    labels_.clear();
    for (size_t i = 0; i < rows_.size(); ++i) {
        labels_ << shortHolder(rows_[i], rowSpans_[i]->format, rowSpans_[i]->holders);
        ticker->addTick(double(i), labels_.back());
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(-0.6, std::max<double>(1.0, double(rows_.size())) - 0.4);

    const qint64 window =
        std::clamp<qint64>((now - earliest) * 21 / 20, kMinWindowMs, kMaxWindowMs);
    plot_->xAxis->setRange(double(now - window) / 1000.0, double(now + window / 50) / 1000.0);

    if (rows_.empty()) {
        placeholder_ = new QCPItemText(plot_);
        placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
        placeholder_->position->setCoords(0.5, 0.5);
        placeholder_->setText(
            selected_ ? tr("Nobody has held this lock since the dashboard started following it")
                      : tr("Select a lock to see who has held it"));
        placeholder_->setColor(palette().color(QPalette::PlaceholderText));
    } else {
        placeholder_ = nullptr;
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void HolderTimeline::hover(QMouseEvent* e) {
    const double x = plot_->xAxis->pixelToCoord(e->position().x()) * 1000.0;
    const auto row = std::lround(plot_->yAxis->pixelToCoord(e->position().y()));
    if (row < 0 || row >= long(rows_.size())) return QToolTip::hideText();
    const qint64 now = clock_->wallMillis();
    for (const auto& s : spans_) {
        const qint64 end = s.endMs < 0 ? now : s.endMs;
        if (s.holder != rows_[size_t(row)] || x < double(s.startMs) || x > double(end)) continue;
        QString text =
            tr("%1\nfrom %2 to %3 (%4)")
                .arg(displayText(s.holder),
                     QDateTime::fromMSecsSinceEpoch(s.startMs).toString("HH:mm:ss.zzz"),
                     s.endMs < 0 ? tr("now")
                                 : QDateTime::fromMSecsSinceEpoch(end).toString("HH:mm:ss.zzz"),
                     durationText(end - s.startMs));
        QToolTip::showText(e->globalPosition().toPoint(), text, plot_);
        return;
    }
    QToolTip::hideText();
}

}  // namespace lockscope::ui

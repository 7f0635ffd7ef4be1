// The holder timeline of one lock: who held it when, as a QCustomPlot chart — a time axis, one row
// and one colour per holder, a bar per span, gaps where nobody held it. The open span grows with
// the clock (a 1 s replot while visible); hovering a bar names the holder and the times.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <string>
#include <vector>

#include "ui/locks/holder_history.h"
#include "util/clock.h"

class QCustomPlot;
class QCPItemText;
class QMouseEvent;
class QTimer;

namespace lockscope::ui {

class HolderTimeline : public QWidget {
    Q_OBJECT
public:
    // Holders drawn at once (the most recent ones); older holders' spans are left out.
    static constexpr int kMaxRows = 8;

    explicit HolderTimeline(QWidget* parent = nullptr, const Clock* clock = &systemClock());

    // The selected lock's spans; clear(): no lock selected (the chart says to select one).
    void setSpans(std::vector<HolderSpan> spans);
    void clear();
    // The chart's placeholder line ("" while bars are drawn), for tests.
    QString placeholderText() const;
    // What is drawn (tests): bars, and the row labels top to bottom.
    int barCount() const { return bars_; }
    QStringList rowLabels() const { return labels_; }
    // Shown time range, seconds since the epoch.
    double rangeStart() const;
    double rangeEnd() const;
    QWidget* plotWidget() const;

    // A holder as a short row label: LockScope tokens as "host pid N …nonce", Redisson fields as
    // "uuid8…:thread", anything else elided in the middle. Several holders joined with ','
    // (readers, permits): their count first, then the first two, each shortened on its own, and
    // "…" for the rest — "3 readers: 09ce7e6f…:19261, ba47eea6…:19262, …". `holders`: how many
    // the list names (0: count them in `holder`, which may have been cut).
    static QString shortHolder(const std::string& holder,
                               monitor::Format format = monitor::Format::Unknown, int holders = 0);
    // Several holders joined with ',' in full, their count first ("3 readers: <id>, <id>, <id>"),
    // for the table's Holder column (elided at the right, so no id is made up of two); a single
    // holder as it is.
    static QString holderList(const std::string& holder, monitor::Format format);

protected:
    void showEvent(QShowEvent* e) override;

private:
    void replot();
    void hover(QMouseEvent* e);

    const Clock* clock_;
    QCustomPlot* plot_;
    QCPItemText* placeholder_;
    QTimer* timer_;
    std::vector<HolderSpan> spans_;
    std::vector<std::string> rows_;            // holder per row, top first
    std::vector<const HolderSpan*> rowSpans_;  // the last span of each row (its label)
    QStringList labels_;
    int bars_ = 0;
    bool selected_ = false;
};

}  // namespace lockscope::ui

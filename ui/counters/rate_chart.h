// The Counters view's chart: the rates of the selected counters over time, one graph each, with a
// legend and a time axis. A graph is seeded from the engine's longer history
// (MonitorBridge::history, one point a second) and extended from live updates; between updates a
// counter's last rate holds (the engine re-sends a counter only when its rate moves by > 1 %).
// The time window (1, 5 or 15 min) follows now until the user drags or wheel-zooms the time axis;
// "Follow live" re-anchors it. The chart exports as PNG and the shown points as CSV.
//
// Repaints are bounded: updates only mark the chart dirty; a 250 ms timer replots when something
// changed (or the window follows now), so a storm of updates costs at most 4 replots a second.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <chrono>
#include <string>
#include <vector>

#include "ui/monitor_bridge.h"
#include "util/clock.h"

class QAction;
class QComboBox;
class QCPGraph;
class QCPItemText;
class QCustomPlot;
class QLabel;
class QTimer;
class QToolButton;

namespace lockscope::ui {

class RateChart : public QWidget {
    Q_OBJECT
public:
    // Counters drawn at once; a bigger selection charts the first ones and says so.
    static constexpr int kMaxGraphs = 8;
    static constexpr std::chrono::milliseconds kReplotInterval{250};
    // Points older than this are dropped (the longest window, twice).
    static constexpr std::chrono::minutes kRetention{30};

    struct Counter {
        std::string key;
        double rate = 0;  // the rate the table shows now (holds until an update moves it)
    };

    explicit RateChart(QWidget* parent = nullptr, const Clock* clock = &systemClock());
    ~RateChart() override;

    // Seeds from `bridge`'s history and follows its updates; a restarted monitor clears the chart.
    void setBridge(MonitorBridge* bridge);
    // The counters to chart, in selection order. Counters already shown keep their points.
    void setCounters(const std::vector<Counter>& counters);
    std::vector<std::string> keys() const;
    int hiddenCount() const { return hidden_; }  // selected beyond kMaxGraphs
    // Live points for the charted counters (what MonitorBridge::updated delivers).
    void apply(const monitor::MonitorUpdate& update);
    void clear();

    void setWindow(std::chrono::seconds length);  // 60, 300 or 900 s are offered
    std::chrono::seconds window() const { return window_; }
    void setFollowLive(bool follow);
    bool followLive() const { return follow_; }
    // The shown time range, seconds since the epoch.
    double rangeStart() const;
    double rangeEnd() const;
    // Moves the shown range as a drag or zoom by the user would (stops following now).
    void moveRange(double startSecs, double endSecs);

    // "time,key,rate" rows (ISO 8601 UTC, key, per second) of every point in the shown range.
    QByteArray csv() const;
    // Write the chart / the CSV; on failure false with a message that says what to do.
    bool exportPng(const QString& path, QString* error);
    bool exportCsv(const QString& path, QString* error);
    // Points held for `key` (tests).
    int pointCount(const std::string& key) const;
    // Replots done so far; the bench and tests count them.
    int replotCount() const { return replots_; }
    QWidget* plotWidget() const;
    QAction* exportPngAction() const { return exportPng_; }
    QAction* exportCsvAction() const { return exportCsv_; }
    QComboBox* windowSelector() const { return windowBox_; }
    QToolButton* followButton() const { return followButton_; }

    // Ask for a file and export (modal file dialog, warning box on failure).
    void exportPngInteractive();
    void exportCsvInteractive();

signals:
    void followLiveChanged(bool follow);

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Series {
        std::string key;
        QCPGraph* graph = nullptr;
        double lastRate = 0;
        qint64 lastMs = 0;  // time of the newest point
        bool gone = false;  // the counter was deleted: no more points
    };
    void tick();
    void addPoint(Series& s, qint64 wallMs, double rate);
    void seed(Series& s, double currentRate);
    void applyRange();
    void rescaleValues();
    void updatePlaceholder();
    void onUserRangeChange();
    double nowSecs() const;

    const Clock* clock_;
    MonitorBridge* bridge_ = nullptr;
    QCustomPlot* plot_;
    QCPItemText* placeholder_;
    QComboBox* windowBox_;
    QToolButton* followButton_;
    QLabel* note_;
    QAction* exportPng_;
    QAction* exportCsv_;
    QTimer* timer_;
    std::vector<Series> series_;
    std::chrono::seconds window_{300};
    bool follow_ = true;
    bool dirty_ = true;
    bool settingRange_ = false;  // our own setRange calls are not the user's
    int hidden_ = 0;
    int replots_ = 0;
    int nextColour_ = 0;
};

}  // namespace lockscope::ui

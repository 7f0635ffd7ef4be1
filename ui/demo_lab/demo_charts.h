// The Demo Lab's live charts (QCustomPlot): progress (% of its operations done) and throughput
// (operations completed per second between two reports, demo::ThroughputSeries; a log scale when
// the strategies' rates are orders of magnitude apart) per strategy over its own elapsed time —
// strategies run one after another, so each starts at 0 s and they overlay for comparison — and,
// for lock demos, the violations the protected resource has seen so far. One graph per strategy on
// each chart, same colour on all three; the progress chart carries the legend.
//
// Progress arrives every 100 ms per strategy: add() only buffers it; a 250 ms timer moves the
// buffer into the graphs and replots, so a run costs at most 4 replots a second.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <chrono>
#include <string>
#include <vector>

#include "demo/demo.h"
#include "demo/throughput_series.h"

class QCPGraph;
class QCustomPlot;
class QTimer;

namespace lockscope::ui {

class DemoCharts : public QWidget {
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kReplotInterval{250};

    explicit DemoCharts(QWidget* parent = nullptr);
    ~DemoCharts() override;

    // A new run: one graph per strategy label; the violations chart only for lock demos.
    void reset(const std::vector<std::string>& strategies, bool lockDemo);
    // Buffers one progress report (reports for unknown strategies are ignored).
    void add(const demo::DemoProgress& progress);
    // Draws what is buffered now (the end of a run) instead of at the next tick.
    void flush();

    QCustomPlot* progressPlot() const { return progress_; }
    QCustomPlot* throughputPlot() const { return throughput_; }
    QCustomPlot* violationsPlot() const { return violations_; }
    int replotCount() const { return replots_; }
    int bufferedCount() const { return int(pending_.size()); }
    // The throughput axis turns logarithmic when the strategies' rates are orders apart.
    bool throughputLogScale() const { return logScale_; }

protected:
    void showEvent(QShowEvent* e) override;

private:
    struct Series {
        std::string label;
        QCPGraph* progress = nullptr;
        QCPGraph* rate = nullptr;
        QCPGraph* violations = nullptr;  // lock demos only
        demo::ThroughputSeries rates;    // operations completed per second
        bool started = false;
    };
    void tick();
    void apply(const demo::DemoProgress& p);
    void rescale();
    void setLogScale(bool log);
    void replot();

    QCustomPlot* progress_;
    QCustomPlot* throughput_;
    QCustomPlot* violations_;
    QTimer* timer_;
    std::vector<Series> series_;
    std::vector<demo::DemoProgress> pending_;
    bool dirty_ = false;
    bool logScale_ = false;
    int replots_ = 0;
};

}  // namespace lockscope::ui

// The Demo Lab's charts of a finished lesson run, beside the live ones (demo_charts.h):
//   contention       acquisitions per worker, one group of bars per strategy (who was starved),
//                    and each strategy's distribution of waits before an acquisition;
//   readers-writers  throughput per read share, and the writers' longest wait per read share
//                    (with and without writer preference).
// Shown only after such a run; cleared when the next run starts.
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <vector>

#include "demo/lock_demo.h"

class QCustomPlot;

namespace lockscope::ui {

class LessonCharts : public QWidget {
    Q_OBJECT
public:
    explicit LessonCharts(QWidget* parent = nullptr);

    void clear();  // hides the charts until the next lesson result
    // Adds a finished lock-demo run; runs of other faults are ignored.
    void addResult(const demo::LockDemoResult& result);

    QCustomPlot* leftPlot() const { return left_; }    // per worker / throughput
    QCustomPlot* rightPlot() const { return right_; }  // waits / writers' longest wait
    int resultCount() const { return int(results_.size()); }
    // A wait as the charts label it: "800 µs", "12.8 ms", "102.4 ms".
    static QString waitText(long long micros);

private:
    void redraw();
    void drawContention();
    void drawReadersWriters();

    QCustomPlot* left_;
    QCustomPlot* right_;
    std::vector<demo::LockDemoResult> results_;
};

}  // namespace lockscope::ui

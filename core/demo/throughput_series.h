// The live throughput chart's points: operations completed per second between two progress
// reports of one strategy. It counts DemoProgress::completed (operations), never `done`, which is
// milliseconds of the lesson for readers-writers (a chart of `done` drew a flat ~1000 "ops/s").
//
// The first report gives one point at its time: its own average since the start (so a strategy
// done within one report still draws a point). Later reports give a point once at least
// kMinSpan has passed since the last point, or a late report would become a spike.
//
// Thread contract: a value type; one caller at a time.
#pragma once

#include <optional>

#include "demo/demo.h"

namespace lockscope::demo {

struct ThroughputPoint {
    double seconds = 0;       // since the strategy started
    double opsPerSecond = 0;  // operations completed per second since the previous point
};

class ThroughputSeries {
public:
    static constexpr double kMinSpan = 0.02;  // seconds

    // The point this report adds, if any.
    std::optional<ThroughputPoint> add(const DemoProgress& progress);

private:
    bool started_ = false;
    double lastSeconds_ = 0;
    long long lastCompleted_ = 0;
};

}  // namespace lockscope::demo

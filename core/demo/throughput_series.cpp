#include "demo/throughput_series.h"

namespace lockscope::demo {

std::optional<ThroughputPoint> ThroughputSeries::add(const DemoProgress& p) {
    const double t = p.elapsedSeconds;
    if (!started_) {
        started_ = true;
        lastSeconds_ = t;
        lastCompleted_ = p.completed;
        return ThroughputPoint{t, t > 0 ? static_cast<double>(p.completed) / t : 0};
    }
    if (t - lastSeconds_ < kMinSpan) return std::nullopt;
    const ThroughputPoint point{
        t, static_cast<double>(p.completed - lastCompleted_) / (t - lastSeconds_)};
    lastSeconds_ = t;
    lastCompleted_ = p.completed;
    return point;
}

}  // namespace lockscope::demo

#include "monitor/rates.h"

#include <algorithm>

namespace lockscope::monitor {

void RateTracker::add(std::chrono::steady_clock::time_point t, long long value) {
    if (!samples_.empty() && value < samples_.back().value) samples_.clear();  // reset / DEL
    if (!samples_.empty() && t <= samples_.back().t) {
        samples_.back().value = value;
        return;
    }
    samples_.push_back({t, value});
    prune(t);
}

void RateTracker::prune(std::chrono::steady_clock::time_point now) {
    // Keep one sample at or before the window's start as the baseline.
    while (samples_.size() > 1 && samples_[1].t <= now - window_) samples_.pop_front();
}

double RateTracker::rateAt(std::chrono::steady_clock::time_point now) {
    prune(now);
    if (samples_.size() < 2) return 0;
    const auto& first = samples_.front();
    const auto& last = samples_.back();
    // Measured up to `now`, not to the last change, so a counter that stopped decays; and from
    // the window's start at the earliest, so a long-idle counter that starts moving is not
    // averaged over its idle time. In double: a counter that moves across most of the 64-bit
    // range must not overflow.
    const auto start = now - window_;
    auto from = first.t;
    double base = static_cast<double>(first.value);
    if (first.t < start) {
        // The baseline is older than the window: its value where the window starts, between it
        // and the next sample (prune() keeps that one inside). Its own value would count the
        // increments before the window over the window's span — 129/s for 100/s after a 0.9 s
        // gap in the reads under load (test_monitor_live).
        const auto& second = samples_[1];
        const double f = std::chrono::duration<double>(start - first.t).count() /
                         std::chrono::duration<double>(second.t - first.t).count();
        base += (static_cast<double>(second.value) - base) * f;
        from = start;
    }
    const auto span = std::chrono::duration<double>(now - from).count();
    if (span <= 0) return 0;
    return (static_cast<double>(last.value) - base) / span;
}

void RateTracker::sampleHistory(long long wallMs, double rate) {
    history_.push_back({wallMs, rate});
    while (history_.size() > historyLength_) history_.pop_front();
}

}  // namespace lockscope::monitor

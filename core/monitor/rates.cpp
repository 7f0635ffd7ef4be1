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
    // averaged over its idle time.
    auto from = std::max(first.t, now - window_);
    auto span = std::chrono::duration<double>(now - from).count();
    if (span <= 0) return 0;
    // In double: a counter that moves across most of the 64-bit range must not overflow.
    return (static_cast<double>(last.value) - static_cast<double>(first.value)) / span;
}

void RateTracker::sampleHistory(long long wallMs, double rate) {
    history_.push_back({wallMs, rate});
    while (history_.size() > historyLength_) history_.pop_front();
}

}  // namespace lockscope::monitor

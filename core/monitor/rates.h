// Counter rates from successive values, over a short sliding window, and a bounded history of
// rates for charts. Time is passed in (tests move it; the engine uses the steady clock).
//
// Thread contract: one owner thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <vector>

namespace lockscope::monitor {

struct RatePoint {
    long long wallMs;  // ms since the epoch
    double perSecond;
};

class RateTracker {
public:
    explicit RateTracker(std::chrono::milliseconds window, size_t historyLength = 300)
        : window_(window), historyLength_(historyLength) {}

    // A value seen at `t` (values may go down: a reset restarts the rate from there).
    void add(std::chrono::steady_clock::time_point t, long long value);
    // Change per second over the last window, measured up to `now`: a counter that stopped
    // moving decays to 0 within one window.
    double rateAt(std::chrono::steady_clock::time_point now);
    void sampleHistory(long long wallMs, double rate);
    const std::deque<RatePoint>& history() const { return history_; }

private:
    struct Sample {
        std::chrono::steady_clock::time_point t;
        long long value;
    };
    void prune(std::chrono::steady_clock::time_point now);

    std::chrono::milliseconds window_;
    size_t historyLength_;
    std::deque<Sample> samples_;
    std::deque<RatePoint> history_;
};

}  // namespace lockscope::monitor

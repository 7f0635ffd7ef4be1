// `batched` (seed 003, #4 "request merging"; docs/seed-recipes.md#seed-003-4-request-merging):
// increments are added up locally and sent as one INCRBY once the oldest unsent one is
// config.batchInterval old (or batchMax are pending), and on flush(). Exact once flushed, with a
// fraction of the round trips; the price is that the counter in Redis lags by up to one interval,
// and increments not yet flushed die with the process.
//
// No timer thread: the interval is checked on each increment(), so an idle client holds its
// pending increments until its next increment or flush() — callers flush when they stop (the
// demo does; the destructor does not, as a crashed process would not).
//
// A flush whose INCRBY fails on the wire throws and drops what it carried: the command may or may
// not have run (redis/error.h), and replaying it could count twice.
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class BatchedCounter final : public CounterStrategy {
public:
    BatchedCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "batched"; }
    // Queued, or Applied when this call flushed.
    Outcome increment(long long by, std::string_view actor) override;
    void flush() override;
    long long read() override;
    void reset() override;

    long long pending() const { return pending_; }
    std::uint64_t flushes() const { return flushes_; }

private:
    redis::Connection conn_;
    const Clock* clock_;
    milliseconds interval_;
    long long max_;
    long long pending_ = 0;         // sum of unsent increments
    std::uint64_t pendingOps_ = 0;  // how many increment() calls that sum merges
    std::chrono::steady_clock::time_point oldest_{};
    std::uint64_t flushes_ = 0;
};

}  // namespace lockscope::counters

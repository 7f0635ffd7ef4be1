// `watch` (seed 000, #1; docs/seed-recipes.md#seed-000-1-watch-counter): optimistic transaction.
// WATCH the key, GET it, then MULTI / SET / EXEC; EXEC aborts (nil) when anyone wrote the key after
// the WATCH, and the loop tries again. Exact, at the price of retries that grow with contention
// (stats().retries counts aborted EXECs).
//
// Unlike the seed: a missing key reads as 0 (the seed's int(None) raises TypeError and leaves the
// connection WATCHing), and a value that is not an integer UNWATCHes before throwing. MULTI, SET
// and EXEC go out as one pipeline: one round trip, the same transaction.
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class WatchCounter final : public CounterStrategy {
public:
    WatchCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "watch"; }
    // Retries until EXEC commits, or returns Rejected when config.cancel is set between tries.
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

private:
    redis::Connection conn_;
    const std::atomic<bool>* cancel_;
};

}  // namespace lockscope::counters

// `incr` (seed 001, docs/seed-recipes.md#seed-001-incr): INCRBY — the server reads, adds and writes
// in one command, so concurrent increments cannot interleave. The floor every other strategy is
// measured against.
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class IncrCounter final : public CounterStrategy {
public:
    IncrCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "incr"; }
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

private:
    redis::Connection conn_;
};

}  // namespace lockscope::counters

// `naive` (seed 000, the problem it sets out to solve; docs/seed-recipes.md#seed-000-problem): GET
// the value, add in the client, SET it back. Between one client's GET and its SET, others write;
// its SET then overwrites their increments. Kept so the demos can count the lost updates.
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class NaiveCounter final : public CounterStrategy {
public:
    NaiveCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "naive"; }
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

private:
    redis::Connection conn_;
};

}  // namespace lockscope::counters

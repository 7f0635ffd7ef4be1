// `versioned` (docs/seed-recipes.md#seed-003-5-optimistic-lock, seed 003, #5: "use an optimistic
// lock — a version number column"): the counter is a hash {value, version}. A client reads both
// (HMGET), computes, and writes only if the version is still the one it read — the Redis form of
// `UPDATE … SET value = ?, version = version + 1 WHERE version = ?`, done as one compare-and-set
// script. A refused write (a conflict: someone else's write landed in between) is retried from a
// fresh read; stats().retries counts them.
//
// Redis layout:  <key>  hash { value: <n>, version: <n> }   (a missing key is version 0, value 0)
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class VersionedCounter final : public CounterStrategy {
public:
    VersionedCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "versioned"; }
    // Retries until the write lands, or returns Rejected when config.cancel is set between tries.
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    long long version();
    void reset() override;

private:
    redis::Connection conn_;
    const std::atomic<bool>* cancel_;
};

}  // namespace lockscope::counters

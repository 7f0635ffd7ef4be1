// `locked` (seed 000, #2 and #3; docs/seed-recipes.md): the naive GET + SET, made exact by doing it
// inside a lock of any lock strategy (locked:<lock id>, default set-nx-px). Exact while the lock
// holds mutual exclusion — and it inherits that lock's hazards: with unsafe-del or a holder stalled
// past its TTL two clients can be inside at once and updates are lost again.
//
// Redis layout: the counter at <key>, the lock at <key>:lock (plus whatever the lock strategy
// keeps beside it, e.g. fenced's lockscope_fence:{<key>:lock}).
//
// Thread contract: see CounterStrategy (the lock strategy inside follows LockStrategy's).
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class LockedCounter final : public CounterStrategy {
public:
    LockedCounter(std::string spec, std::string key, std::string lockStrategy,
                  const CounterContext& context);
    std::string_view id() const override { return "locked"; }
    // Rejected when the lock could not be had within config.lockWait (or cancel was set).
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

    const std::string& lockKey() const { return lockKey_; }
    const locks::LockStrategy& lock() const { return *lock_; }

private:
    std::string lockKey_;
    CounterConfig config_;
    std::unique_ptr<locks::LockStrategy> lock_;
    redis::Connection conn_;
};

}  // namespace lockscope::counters

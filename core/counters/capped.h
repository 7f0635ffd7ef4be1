// `capped` (seed 001's voting story, docs/seed-recipes.md#seed-001-voting): each user may vote at
// most config.cap times per day. The seed's voting page broke exactly here; both recipes are kept,
// so the demo can put them side by side:
//
//   capped:naive   GET the user's count for today; if below the cap, INCR it and the total.
//                  Two requests: several requests of one user (a double-click, a retrying
//                  client, a script) all read "below the cap" before any INCR lands — over-votes.
//   capped:atomic  the check and both INCRs in one Lua script: never exceeds the cap.
//
// Redis layout:
//   <key>                               string: total votes counted
//   <key>:user:<actor>:<yyyymmdd>       string: votes of one user on one UTC day, expiring at the
//                                       next UTC midnight by the client's (injected) clock
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class CappedCounter final : public CounterStrategy {
public:
    CappedCounter(std::string spec, std::string key, bool atomic, const CounterContext& context);
    std::string_view id() const override { return "capped"; }
    // One vote of weight `by` by `actor` ("" is a user like any other). Rejected past the cap.
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

    bool atomic() const { return atomic_; }
    long long cap() const { return cap_; }
    // The key holding `actor`'s votes today, and their count.
    std::string userKey(std::string_view actor) const;
    long long votesOf(std::string_view actor);

private:
    redis::Connection conn_;
    const Clock* clock_;
    long long cap_;
    bool atomic_;
};

}  // namespace lockscope::counters

// The lock demo's verdict: did a run come out as the fault table (faults.h) documents for its fault
// and strategy, and what people read about it. One implementation for the contention runs
// (lock_demo.cpp) and the failover scenario (failover_demo.cpp).
//
// Thread contract: a pure function.
#pragma once

#include <string_view>

#include "demo/faults.h"
#include "demo/lock_demo.h"

namespace lockscope::demo {

// Contention: from this least / most ratio up, acquisitions count as even (the fair lock's floor).
inline constexpr double kEvenFairness = 0.8;

// Fills r.expectedOutcome, r.mismatch, r.asExpected and r.explanation from the counts in `r` and
// the table's row for (fault, r.strategy, scope) — scope as in Expectation::scope — and
// r.measuredOutcome where the row's outcome claims what the figures did not show.
void judgeLockRun(LockDemoResult& r, Fault fault, std::string_view scope = {});

}  // namespace lockscope::demo

#include "demo/verdict.h"

#include <cstdio>

#include "demo/run_text.h"
#include "demo/teaching_text.h"
#include "locks/lock_strategy.h"

namespace lockscope::demo {

void judgeLockRun(LockDemoResult& r, Fault fault, std::string_view scope) {
    const Expectation& expected = expectationFor(fault, r.strategy, scope);
    FaultObservation seen;
    seen.injected = r.faultInjected;
    seen.violations = r.violations;
    seen.lostUpdates = r.lostUpdates;
    seen.staleWritesRejected = r.staleWritesRejected;
    seen.acquisitionsDuringFault = r.acquisitionsDuringFault;
    seen.acquisitionsAfterFault = r.acquisitionsAfterFault;
    seen.stuck = r.stuck;
    seen.fairness = r.fairness;
    r.expectedOutcome = std::string(expected.outcome);
    r.outcomeId = outcomeId(expected);
    r.mismatchParts = r.interrupted || r.timedOut ? std::vector<Message>{message(kMmDidNotFinish)}
                                                  : mismatchParts(expected, seen);
    r.mismatch = render(r.mismatchParts, "; ");
    r.asExpected = r.mismatch.empty();
    using Why = LockDemoResult::Why;
    r.measuredOutcome = {};
    if (r.asExpected) {
        r.why = Why::AsExpected;
        r.explanation = r.expectedOutcome;
        // The table's contention outcome for a lock with no order says the acquisitions were
        // uneven: a run where they were not (few workers, few operations) says so instead.
        if (fault == Fault::Contention && expected.minFairness <= 0 &&
            r.fairness >= kEvenFairness) {
            char ratio[32];
            std::snprintf(ratio, sizeof ratio, "%.3f", r.fairness);
            r.measuredOutcome = message(kOcContentionEven, {ratio, std::to_string(r.workers),
                                                            std::to_string(r.opsPerWorker)});
            r.explanation = render(r.measuredOutcome);
        }
    } else if (!r.faultInjected && fault != Fault::None) {
        r.why = Why::NotInjected;
        r.explanation = std::string(kVerdictNotInjected);
    } else if (fault == Fault::None && r.violations > 0) {
        const auto* info = locks::findLockStrategy(r.strategy);
        r.why = Why::OverlapWithoutFault;
        r.explanation = fillPlaceholders(kVerdictOverlap,
                                         {std::string(info ? info->hazard : std::string_view{})});
    } else {
        r.why = Why::NotAsDocumented;
        r.explanation = fillPlaceholders(kVerdictNotAsDocumented, {r.mismatch, r.expectedOutcome});
    }
}

}  // namespace lockscope::demo

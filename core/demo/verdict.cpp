#include "demo/verdict.h"

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
    r.expectedOutcome = std::string(expected.outcome);
    r.mismatch =
        r.interrupted || r.timedOut ? "the demo did not run to its end" : mismatch(expected, seen);
    r.asExpected = r.mismatch.empty();
    if (r.asExpected) {
        r.explanation = r.expectedOutcome;
    } else if (!r.faultInjected && fault != Fault::None) {
        r.explanation = "the run ended before the fault could be injected: give it more --ops.";
    } else if (fault == Fault::None && r.violations > 0) {
        const auto* info = locks::findLockStrategy(r.strategy);
        r.explanation = "holders overlapped without any fault: " +
                        std::string(info ? info->hazard : std::string_view{}) + ".";
    } else {
        r.explanation = "not as documented (" + r.mismatch + "). Documented: " + r.expectedOutcome;
    }
}

}  // namespace lockscope::demo

#include "demo/faults/contention.h"

namespace lockscope::demo {

void Contention::begin(FaultStage& stage) {
    // The race is the "fault": it is there from the start.
    stage.result().faultInjected = true;
    stage.event("the workers race for the lock until the first has done its sections");
}

void Contention::step(FaultStage& stage) {
    if (stopped_ || stage.stopping()) return;
    for (auto& w : stage.workers()) {
        if (w.process->running()) continue;
        stopped_ = true;
        stage.event(stage.describe(w) +
                    " finished first: stopping the others to compare who got how many");
        stage.stopWorkers();
        return;
    }
}

}  // namespace lockscope::demo

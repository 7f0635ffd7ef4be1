#include "demo/faults/contention.h"

#include "demo/run_text.h"

namespace lockscope::demo {

void Contention::begin(FaultStage& stage) {
    // The race is the "fault": it is there from the start.
    stage.result().faultInjected = true;
    stage.event(message(kEvContentionRace));
}

void Contention::step(FaultStage& stage) {
    if (stopped_ || stage.stopping()) return;
    for (auto& w : stage.workers()) {
        if (w.process->running()) continue;
        stopped_ = true;
        stage.event(message(kEvContentionFinished, stage.workerArgs(w)));
        stage.stopWorkers();
        return;
    }
}

}  // namespace lockscope::demo

#include "demo/faults/pause_crash.h"

#include <algorithm>

#include "demo/run_text.h"

namespace lockscope::demo {

void PauseCrash::step(FaultStage& stage) {
    switch (step_) {
        case Step::Waiting:
            if (!stage.thresholdReached()) return;
            step_ = Step::CatchHolder;
            [[fallthrough]];
        case Step::CatchHolder:
            catchHolder(stage);
            return;
        case Step::Paused:
            if (FaultClock::now() - faultAt_ < stage.settings().pause) return;
            victim_->process->resume();
            stage.event(message(kEvPauseResumed, {std::to_string(victim_->index)}));
            step_ = Step::Done;
            return;
        case Step::AwaitRecovery: {
            if (stage.recovered(faultAt_, entersAtFault_)) {
                step_ = Step::Done;
                return;
            }
            if (!leaks_) return;
            const milliseconds stuckAfter = std::max(milliseconds(1500), 3 * stage.settings().ttl);
            if (FaultClock::now() - faultAt_ < stuckAfter || !noPermitFree(stage)) return;
            stage.result().stuck = true;
            stage.event(message(kEvPermitGone, {std::to_string(stuckAfter.count())}));
            step_ = Step::Done;
            stage.stopWorkers();
            return;
        }
        case Step::Done:
            return;
    }
}

void PauseCrash::catchHolder(FaultStage& stage) {
    for (const auto& occ : stage.resource().occupants()) {
        if (occ.phase != "read") continue;
        WorkerSlot* w = stage.runningWorker(occ.pid);
        if (!w) continue;
        if (!stage.stopInsideSection(*w)) continue;
        victim_ = w;
        faultAt_ = FaultClock::now();
        entersAtFault_ = stage.enters();
        stage.result().faultInjected = true;
        auto who = stage.workerArgs(*w);
        if (kind_ == Kind::Pause) {
            who.push_back(std::to_string(stage.settings().pause.count()));
            who.push_back(std::to_string(stage.settings().ttl.count()));
            stage.event(message(kEvPaused, std::move(who)));
            step_ = Step::Paused;
        } else {
            w->process->kill();
            w->killedByFault = true;
            stage.resource().forget(occ.pid);  // a dead process occupies nothing
            stage.event(message(kEvKilled, std::move(who)));
            step_ = Step::AwaitRecovery;
        }
        return;
    }
}

bool PauseCrash::noPermitFree(FaultStage& stage) {
    const auto free = stage.connection().command({"GET", stage.lockKey()});
    return free.isString() && free.str() == "0";
}

void PauseCrash::conclude(FaultStage& stage) {
    // The others released theirs: a permit still taken now is the dead holder's.
    auto& r = stage.result();
    if (leaks_ && r.faultInjected && !r.stuck) r.stuck = noPermitFree(stage);
}

}  // namespace lockscope::demo

#include "demo/faults/pause_crash.h"

#include <algorithm>

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
            stage.event("resumed worker " + std::to_string(victim_->index) +
                        " with SIGCONT; it carries on as if it still held the lock");
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
            stage.event("nobody has acquired for " + std::to_string(stuckAfter.count()) +
                        " ms and no permit is free: the dead holder's permit is gone for good; "
                        "stopping the demo");
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
        const std::string who = stage.describe(*w);
        if (kind_ == Kind::Pause) {
            stage.event("paused " + who +
                        " with SIGSTOP inside its critical section, after its read, for " +
                        std::to_string(stage.settings().pause.count()) + " ms (TTL " +
                        std::to_string(stage.settings().ttl.count()) + " ms)");
            step_ = Step::Paused;
        } else {
            w->process->kill();
            w->killedByFault = true;
            stage.resource().forget(occ.pid);  // a dead process occupies nothing
            stage.event("killed " + who +
                        " with SIGKILL inside its critical section, holding the lock");
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

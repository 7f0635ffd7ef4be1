#include "demo/faults/setnx_crash.h"

#include <algorithm>

#include "demo/run_text.h"

namespace lockscope::demo {
namespace {

long long pttl(FaultStage& stage) {
    return stage.connection().command({"PTTL", stage.lockKey()}).integer();
}

}  // namespace

void SetnxCrash::step(FaultStage& stage) {
    switch (step_) {
        case Step::Waiting:
            if (!stage.thresholdReached()) return;
            // Arm every worker: whichever wins the next SETNX stops right after it, and no other
            // SETNX can succeed after that one. Arming a single worker could leave it waiting in
            // backoff until the others have finished all their work.
            for (auto& w : stage.workers())
                if (w.process->running()) w.process->sendLine("stop-after-setnx");
            step_ = Step::AwaitStopped;
            return;
        case Step::AwaitStopped:
            killStopped(stage);
            return;
        case Step::AwaitRecovery:
            watch(stage);
            return;
        case Step::Done:
            return;
    }
}

void SetnxCrash::killStopped(FaultStage& stage) {
    for (auto& w : stage.workers()) {
        w.process->poll();
        if (!w.process->running() || !w.process->stopped()) continue;
        auto who = stage.workerArgs(w);
        w.process->kill();
        w.killedByFault = true;
        faultAt_ = FaultClock::now();
        entersAtFault_ = stage.enters();
        stage.result().faultInjected = true;
        const long long left = pttl(stage);
        who.push_back(std::to_string(left));
        stage.event(message(left == -1 ? kEvSetnxKilledNoTtl : kEvSetnxKilled, std::move(who)));
        step_ = Step::AwaitRecovery;
        return;
    }
}

void SetnxCrash::watch(FaultStage& stage) {
    if (stage.recovered(faultAt_, entersAtFault_)) {
        step_ = Step::Done;
        return;
    }
    const milliseconds ttl = stage.settings().ttl;
    const milliseconds stuckAfter = std::max(milliseconds(1500), 3 * ttl);
    if (FaultClock::now() - faultAt_ < stuckAfter || pttl(stage) != -1) return;
    stage.result().stuck = true;
    stage.event(message(kEvSetnxStuck,
                        {std::to_string(stuckAfter.count()), std::to_string(stuckAfter / ttl)}));
    step_ = Step::Done;
    stage.stopWorkers();
}

void SetnxCrash::conclude(FaultStage& stage) {
    auto& r = stage.result();
    if (!r.stuck && r.faultInjected) r.stuck = pttl(stage) == -1;
}

}  // namespace lockscope::demo

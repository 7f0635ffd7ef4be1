// crash-holder on setnx-expire: the crash that recipe cannot survive, between its SETNX and its
// EXPIRE. Every worker is armed to SIGSTOP itself right after its next successful SETNX
// (lock_worker.h); the engine SIGKILLs the one that did, leaving a lock without a TTL, and stops
// the demo once it is plain that nobody will ever get it.
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class SetnxCrash final : public FaultScript {
public:
    void step(FaultStage& stage) override;
    // The stopped worker must be killed at once: a stop lasting longer looks like a pause.
    bool urgent() const override { return true; }
    long long afterFaultBaseline() const override { return entersAtFault_; }
    void conclude(FaultStage& stage) override;

private:
    enum class Step {
        Waiting,        // for the threshold; then every worker is armed
        AwaitStopped,   // for the worker that stopped itself after its SETNX
        AwaitRecovery,  // for someone else to enter — or for "stuck"
        Done,
    };
    void killStopped(FaultStage& stage);
    void watch(FaultStage& stage);

    Step step_ = Step::Waiting;
    FaultClock::time_point faultAt_{};
    long long entersAtFault_ = 0;
};

}  // namespace lockscope::demo

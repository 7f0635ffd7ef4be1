// pause-holder and crash-holder: catch a worker inside its critical section, after its read, and
// SIGSTOP it for longer than the TTL (then SIGCONT), or SIGKILL it there.
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class PauseCrash final : public FaultScript {
public:
    enum class Kind { Pause, Crash };
    // leaks: the crashed holder's hold never comes back by itself (a plain semaphore's permit):
    // once nobody has acquired for a while and no permit is free, the run is stuck and stops.
    explicit PauseCrash(Kind kind, bool leaks = false) : kind_(kind), leaks_(leaks) {}
    void conclude(FaultStage& stage) override;

    void step(FaultStage& stage) override;
    bool urgent() const override { return step_ == Step::CatchHolder; }
    long long afterFaultBaseline() const override { return entersAtFault_; }

private:
    enum class Step {
        Waiting,        // for the threshold
        CatchHolder,    // for a holder inside its section, after its read
        Paused,         // pause: until the pause is over
        AwaitRecovery,  // crash: until someone else enters
        Done,
    };
    void catchHolder(FaultStage& stage);
    bool noPermitFree(FaultStage& stage);

    Kind kind_;
    bool leaks_;
    Step step_ = Step::Waiting;
    WorkerSlot* victim_ = nullptr;
    FaultClock::time_point faultAt_{};
    long long entersAtFault_ = 0;
};

}  // namespace lockscope::demo

// node-restart and node-restart-delayed, on redlock (Kleppmann's and the Redlock paper's
// scenario): the last N - Q nodes crash and come back empty, so that the next holder gets exactly
// a bare majority; it is paused inside its section; then one of its own nodes crashes too and
// restarts without persistence — at once (node-restart: another client can assemble a second
// majority while the first lease is valid) or only after the TTL (node-restart-delayed: every
// lease it granted has expired by then, no second majority can form).
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include <set>

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class NodeRestart final : public FaultScript {
public:
    // Throws redis::Error(InvalidArgument) with fewer than 3 nodes.
    NodeRestart(const FaultSettings& settings, bool delayed);

    void step(FaultStage& stage) override;
    bool urgent() const override { return step_ == Step::CatchBareMajorityHolder; }
    void finish(FaultStage& stage) override;
    long long afterFaultBaseline() const override { return entersAtFault_; }
    void restore(FaultStage& stage) noexcept override;

private:
    enum class Step {
        Waiting,                  // for the threshold; then the minority crashes
        CatchBareMajorityHolder,  // a holder from after the crash, inside its section
        AwaitSecondHolder,        // for a second holder while the first's lease is valid
        AwaitDelayedRestart,      // node-restart-delayed: until TTL + 200 ms after the crash
        Done,
    };
    void crashMinority(FaultStage& stage, FaultClock::time_point now);
    void catchBareMajorityHolder(FaultStage& stage, FaultClock::time_point now);
    void restartUnderHolder(FaultStage& stage, FaultClock::time_point now);
    void awaitSecondHolder(FaultStage& stage, FaultClock::time_point now);
    void restartDelayed(FaultStage& stage, FaultClock::time_point now);
    bool holdsBareMajority(FaultStage& stage, const std::string& token) const;
    long long msSinceFault(FaultClock::time_point now) const;

    bool delayed_;
    Step step_ = Step::Waiting;
    std::vector<int> killed_;          // nodes down now; restore() restarts them
    std::set<std::string> oldTokens_;  // holders from before the crash
    WorkerSlot* victim_ = nullptr;
    FaultClock::time_point stepSince_{};
    FaultClock::time_point faultAt_{};
    FaultClock::time_point restartDueAt_{};  // node-restart-delayed
    int delayedNode_ = -1;
    long long violationsAtRestart_ = 0;
    long long entersAtFault_ = 0;
};

}  // namespace lockscope::demo

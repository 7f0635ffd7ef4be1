// node-down: SIGSTOP the last `down` redlock nodes (unreachable, their data kept) for `downFor`,
// then SIGCONT them, counting the acquisitions made meanwhile. A minority down keeps the lock
// going; a majority down stalls it.
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class NodeDown final : public FaultScript {
public:
    // Throws redis::Error(InvalidArgument) unless 1 <= down <= N - 1 (node 0 stays up).
    explicit NodeDown(const FaultSettings& settings);

    void step(FaultStage& stage) override;
    long long afterFaultBaseline() const override { return entersAtEnd_; }
    std::string_view scope() const override { return scope_; }
    void restore(FaultStage& stage) noexcept override;

private:
    enum class Step {
        Waiting,  // for the threshold; then the nodes go down
        Down,     // until downFor has passed; then they come back
        Done,
    };
    void takeDown(FaultStage& stage);
    void bringBack(FaultStage& stage);

    std::string_view scope_;
    Step step_ = Step::Waiting;
    std::vector<int> paused_;
    FaultClock::time_point faultAt_{};
    long long entersDuringBase_ = -1;
    long long entersAtEnd_ = 0;  // when the nodes came back
};

}  // namespace lockscope::demo

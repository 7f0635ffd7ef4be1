// contention: no fault, a race. The workers contend for one lock until the first has done all its
// sections; then every worker is stopped after its current section, so the counts compare who got
// the lock how often over the same stretch of time (with a fixed number each, all would end
// equal, however unfair the lock).
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class Contention final : public FaultScript {
public:
    void begin(FaultStage& stage) override;
    void step(FaultStage& stage) override;

private:
    bool stopped_ = false;
};

}  // namespace lockscope::demo

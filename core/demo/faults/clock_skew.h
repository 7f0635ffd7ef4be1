// clock-skew: worker 0's wall clock runs ahead (or behind) by `skew`. It joins once the others are
// taking turns, so that it meets a live lock: started with them, it could win the first SETNX and
// keep the lock to itself (its own expiry is in the others' future) until its work was done,
// never meeting one.
//
// Thread contract: the engine's thread only (fault_script.h).
#pragma once

#include "demo/faults/fault_script.h"

namespace lockscope::demo {

class ClockSkew final : public FaultScript {
public:
    // Throws redis::Error(InvalidArgument) for a zero skew.
    explicit ClockSkew(const FaultSettings& settings);

    void configureWorker(int index, LockWorkerSpec& spec) const override;
    bool startsLate(int index) const override { return late_ && index == 0; }
    void begin(FaultStage& stage) override;
    void step(FaultStage& stage) override;
    // Which way and how far: "behind" (by at least the TTL), "small" (less than the TTL either
    // way), "ahead" (by at least the TTL) — the fault table's rows differ (faults.cpp).
    std::string_view scope() const override;

private:
    enum class Step {
        SkewedWaits,  // worker 0 waits until someone entered (or the others are done)
        AllRunning,
    };

    milliseconds skew_;
    milliseconds ttl_;
    bool late_;  // alone, worker 0 starts with the others
    Step step_;
};

}  // namespace lockscope::demo

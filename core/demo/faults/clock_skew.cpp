#include "demo/faults/clock_skew.h"

#include <cstdlib>

namespace lockscope::demo {

ClockSkew::ClockSkew(const FaultSettings& settings)
    : skew_(settings.skew),
      ttl_(settings.ttl),
      late_(settings.workers > 1),
      step_(late_ ? Step::SkewedWaits : Step::AllRunning) {
    if (skew_.count() == 0)
        throw redis::Error(redis::ErrorKind::InvalidArgument, "--skew must not be 0");
}

std::string_view ClockSkew::scope() const {
    if (std::abs(skew_.count()) < ttl_.count()) return "small";
    return skew_.count() < 0 ? "behind" : "ahead";
}

void ClockSkew::configureWorker(int index, LockWorkerSpec& spec) const {
    if (index == 0) spec.clockOffset = skew_;
}

void ClockSkew::begin(FaultStage& stage) {
    stage.result().faultInjected = true;
    stage.event(stage.describe(stage.workers().front()) + " runs with its wall clock " +
                (skew_.count() > 0 ? "ahead by " : "behind by ") +
                std::to_string(std::abs(skew_.count())) + " ms" +
                (late_ ? "; it starts once the others are taking turns" : ""));
}

void ClockSkew::step(FaultStage& stage) {
    if (step_ != Step::SkewedWaits || stage.stopping()) return;
    bool othersRunning = false;
    for (const auto& w : stage.workers())
        if (w.index != 0 && w.process->running()) othersRunning = true;
    if (stage.enters() >= 1 || !othersRunning) {
        stage.workers().front().process->sendLine("go");
        step_ = Step::AllRunning;
    }
}

}  // namespace lockscope::demo

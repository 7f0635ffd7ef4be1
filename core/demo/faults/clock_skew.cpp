#include "demo/faults/clock_skew.h"

#include <cstdlib>

#include "demo/run_text.h"

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
    auto args = stage.workerArgs(stage.workers().front());
    args.push_back(std::to_string(std::abs(skew_.count())));
    const bool ahead = skew_.count() > 0;
    stage.event(message(late_ ? (ahead ? kEvSkewAheadLate : kEvSkewBehindLate)
                              : (ahead ? kEvSkewAhead : kEvSkewBehind),
                        std::move(args)));
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

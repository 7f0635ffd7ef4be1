#include "demo/faults/node_down.h"

#include "demo/run_text.h"
#include "sandbox/redis_server.h"

namespace lockscope::demo {

NodeDown::NodeDown(const FaultSettings& settings)
    : scope_(settings.down <= settings.nodes - settings.quorum ? "minority" : "majority") {
    if (settings.down < 1 || settings.down > settings.nodes - 1)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "--down must be between 1 and " + std::to_string(settings.nodes - 1) +
                               " (node 0 holds the demo's resource and stays up)");
}

void NodeDown::step(FaultStage& stage) {
    switch (step_) {
        case Step::Waiting:
            if (stage.thresholdReached()) takeDown(stage);
            return;
        case Step::Down:
            bringBack(stage);
            return;
        case Step::Done:
            return;
    }
}

void NodeDown::takeDown(FaultStage& stage) {
    const FaultSettings& s = stage.settings();
    std::string which;
    for (int i = s.nodes - s.down; i < s.nodes; ++i) {
        stage.lockTarget().controlled[static_cast<size_t>(i)]->pause();
        paused_.push_back(i);
        which += (which.empty() ? "" : ", ") + stage.nodeName(i);
    }
    faultAt_ = FaultClock::now();
    stage.result().faultInjected = true;
    stage.event(
        message(kEvNodesStopped, {std::to_string(s.down), std::to_string(s.nodes), which,
                                  std::to_string(s.downFor.count()), std::to_string(s.quorum)}));
    step_ = Step::Down;
}

void NodeDown::bringBack(FaultStage& stage) {
    const auto sinceDown = FaultClock::now() - faultAt_;
    // Acquisitions already under way when the nodes went down are not counted: 150 ms grace.
    if (entersDuringBase_ < 0 && sinceDown >= milliseconds(150)) entersDuringBase_ = stage.enters();
    if (sinceDown < stage.settings().downFor) return;
    const long long e = stage.enters();
    auto& during = stage.result().acquisitionsDuringFault;
    during = entersDuringBase_ < 0 ? 0 : e - entersDuringBase_;
    entersAtEnd_ = e;
    for (int i : paused_) stage.lockTarget().controlled[static_cast<size_t>(i)]->resume();
    paused_.clear();
    stage.event(message(kEvNodesBack, {std::to_string(during)}));
    step_ = Step::Done;
}

void NodeDown::restore(FaultStage& stage) noexcept {
    for (int i : paused_) {
        try {
            stage.lockTarget().controlled[static_cast<size_t>(i)]->resume();
        } catch (...) {}
    }
    paused_.clear();
}

}  // namespace lockscope::demo

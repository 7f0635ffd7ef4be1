#include "demo/faults/node_restart.h"

#include <algorithm>
#include <thread>

#include "demo/run_text.h"
#include "sandbox/redis_server.h"

namespace lockscope::demo {

NodeRestart::NodeRestart(const FaultSettings& settings, bool delayed) : delayed_(delayed) {
    if (settings.nodes < 3)
        throw redis::Error(
            redis::ErrorKind::InvalidArgument,
            std::string(faultInfo(delayed ? Fault::NodeRestartDelayed : Fault::NodeRestart).name) +
                " needs at least 3 redlock nodes");
}

long long NodeRestart::msSinceFault(FaultClock::time_point now) const {
    return std::chrono::duration_cast<milliseconds>(now - faultAt_).count();
}

void NodeRestart::step(FaultStage& stage) {
    const auto now = FaultClock::now();
    switch (step_) {
        case Step::Waiting:
            if (stage.thresholdReached()) crashMinority(stage, now);
            return;
        case Step::CatchBareMajorityHolder:
            catchBareMajorityHolder(stage, now);
            return;
        case Step::AwaitSecondHolder:
            awaitSecondHolder(stage, now);
            return;
        case Step::AwaitDelayedRestart:
            if (now >= restartDueAt_) restartDelayed(stage, now);
            return;
        case Step::Done:
            return;
    }
}

void NodeRestart::crashMinority(FaultStage& stage, FaultClock::time_point now) {
    // The last N - Q nodes crash (their data is gone: no persistence), so the next holder gets
    // exactly a bare majority (nodes 0 .. Q-1). Pausing them instead would keep the keys of
    // earlier holders there until their TTL, and no second majority could form.
    const FaultSettings& s = stage.settings();
    std::string which;
    for (int i = s.quorum; i < s.nodes; ++i) {
        stage.lockTarget().controlled[static_cast<size_t>(i)]->kill();
        killed_.push_back(i);
        which += (which.empty() ? "" : ", ") + stage.nodeName(i);
    }
    stage.event(
        message(kEvRestartCrashed, {which, std::to_string(s.quorum), std::to_string(s.nodes)}));
    // Whoever holds the lock now acquired before the crash: the victim must be a later one.
    if (auto current = stage.connection().command({"GET", stage.lockKey()}).optString())
        oldTokens_.insert(*current);
    for (const auto& occ : stage.resource().occupants()) oldTokens_.insert(occ.token);
    stepSince_ = now;
    step_ = Step::CatchBareMajorityHolder;
}

bool NodeRestart::holdsBareMajority(FaultStage& stage, const std::string& token) const {
    // Nodes 0 .. Q-1 are up and must all hold the token; the crashed ones came back empty.
    const DemoTarget& target = stage.lockTarget();
    for (int i = 0; i < stage.settings().quorum; ++i) {
        try {
            redis::Connection c(target.nodes[static_cast<size_t>(i)], target.connect);
            if (c.command({"GET", stage.lockKey()}).optString() != token) return false;
        } catch (const redis::Error&) {
            return false;
        }
    }
    return true;
}

void NodeRestart::catchBareMajorityHolder(FaultStage& stage, FaultClock::time_point now) {
    for (const auto& occ : stage.resource().occupants()) {
        if (occ.phase != "read" || oldTokens_.count(occ.token)) continue;
        WorkerSlot* w = stage.runningWorker(occ.pid);
        if (!w) continue;
        auto token = stage.stopInsideSection(*w);
        if (!token) continue;
        if (oldTokens_.count(*token) || !holdsBareMajority(stage, *token)) {
            w->process->resume();
            oldTokens_.insert(*token);
            continue;
        }
        victim_ = w;
        faultAt_ = now;
        auto args = stage.workerArgs(*w);
        args.push_back(std::to_string(stage.settings().quorum - 1));
        args.push_back(std::to_string(stage.settings().ttl.count()));
        stage.event(message(kEvRestartHolder, std::move(args)));
        restartUnderHolder(stage, now);
        return;
    }
    if (now - stepSince_ > milliseconds(10000)) {
        restore(stage);
        stage.event(message(kEvRestartNoHolder));
        step_ = Step::Done;
    }
}

void NodeRestart::restartUnderHolder(FaultStage& stage, FaultClock::time_point now) {
    // The crashed nodes come back empty; then one of the holder's own nodes restarts without
    // persistence.
    const FaultSettings& s = stage.settings();
    const auto& servers = stage.lockTarget().controlled;
    for (int i : killed_) servers[static_cast<size_t>(i)]->restart();
    killed_.clear();
    const int restarted = s.quorum - 1;  // never node 0: the resource lives there
    auto* server = servers[static_cast<size_t>(restarted)];
    server->kill();
    killed_.push_back(restarted);  // restore() brings it back if the run ends
    if (delayed_) {
        // The Redlock paper's fix: stay down longer than the longest lease it granted.
        delayedNode_ = restarted;
        restartDueAt_ = now + s.ttl + milliseconds(200);
        stage.event(message(kEvRestartDelayedCrash,
                            {stage.nodeName(restarted), std::to_string(s.quorum - 1),
                             std::to_string(s.nodes - s.quorum)}));
    } else {
        server->restart();
        killed_.pop_back();
        stage.event(
            message(kEvRestartForgot, {stage.nodeName(restarted), std::to_string(s.quorum - 1),
                                       std::to_string(s.nodes - s.quorum + 1)}));
    }
    violationsAtRestart_ = stage.resource().snapshot().violations;
    entersAtFault_ = stage.enters();
    stage.result().faultInjected = true;
    stepSince_ = FaultClock::now();
    step_ = Step::AwaitSecondHolder;
}

void NodeRestart::awaitSecondHolder(FaultStage& stage, FaultClock::time_point now) {
    const milliseconds ttl = stage.settings().ttl;
    const bool seen = stage.resource().snapshot().violations > violationsAtRestart_;
    if (!seen && now - stepSince_ <= std::min<milliseconds>(milliseconds(3000), ttl / 2)) return;
    if (seen)
        stage.event(message(kEvRestartSecondHolder,
                            {std::to_string(victim_->index), std::to_string(msSinceFault(now)),
                             std::to_string(ttl.count())}));
    else if (delayed_)
        stage.event(message(kEvRestartNobodyElse, {std::to_string(msSinceFault(now))}));
    victim_->process->resume();
    stage.event(message(kEvResumedWorker, {std::to_string(victim_->index)}));
    // node-restart-delayed: the node is still down; it comes back after the TTL.
    step_ = delayed_ ? Step::AwaitDelayedRestart : Step::Done;
}

void NodeRestart::restartDelayed(FaultStage& stage, FaultClock::time_point now) {
    stage.lockTarget().controlled[static_cast<size_t>(delayedNode_)]->restart();
    std::erase(killed_, delayedNode_);
    stage.event(
        message(kEvRestartDelayed, {stage.nodeName(delayedNode_), std::to_string(msSinceFault(now)),
                                    std::to_string(stage.settings().ttl.count())}));
    step_ = Step::Done;
}

void NodeRestart::finish(FaultStage& stage) {
    // The workers may be done before the crashed node is due back; it still comes back when due
    // (not earlier: that would be the undelayed restart), and says so.
    if (step_ != Step::AwaitDelayedRestart || stage.result().interrupted) return;
    while (FaultClock::now() < restartDueAt_ && !stage.cancelled())
        std::this_thread::sleep_for(milliseconds(10));
    step(stage);
}

void NodeRestart::restore(FaultStage& stage) noexcept {
    for (int i : killed_) {
        try {
            stage.lockTarget().controlled[static_cast<size_t>(i)]->restart();
        } catch (...) {}
    }
    killed_.clear();
}

}  // namespace lockscope::demo

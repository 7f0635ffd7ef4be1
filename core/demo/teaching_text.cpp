#include "demo/teaching_text.h"

#include "counters/counter_strategy.h"
#include "demo/counter_demo.h"
#include "demo/run_text.h"
#include "locks/lock_strategy.h"
#include "monitor/why_text.h"

namespace lockscope::demo {
namespace {

std::string join(std::initializer_list<std::string_view> parts) {
    std::string s;
    for (auto p : parts) {
        if (p.empty()) continue;
        if (!s.empty()) s += '.';
        s += p;
    }
    return s;
}

}  // namespace

std::string lockSummaryId(std::string_view strategy) { return join({"lock", strategy, "summary"}); }
std::string lockHazardId(std::string_view strategy) { return join({"lock", strategy, "hazard"}); }
std::string counterSummaryId(std::string_view strategy) {
    return join({"counter", strategy, "summary"});
}
std::string counterContentionId(std::string_view strategy) {
    return join({"counter", strategy, "contention"});
}
std::string faultSummaryId(Fault fault) {
    return join({"fault", faultInfo(fault).name, "summary"});
}
std::string outcomeId(const Expectation& e) {
    return join(
        {"outcome", faultInfo(e.fault).name, e.strategy == "*" ? "any" : e.strategy, e.scope});
}
std::string lockStateNameId(monitor::LockState s) {
    return join({"state", monitor::lockStateName(s), "name"});
}
std::string lockStateExplanationId(monitor::LockState s) {
    return join({"state", monitor::lockStateName(s), "meaning"});
}
std::string stalenessId(monitor::Staleness s) {
    return s == monitor::Staleness::Fresh ? std::string()
                                          : join({"stale", monitor::stalenessName(s)});
}
std::string nodeRoleId(sandbox::NodeRole r) { return join({"role", sandbox::nodeRoleName(r)}); }
std::string nodeStateId(sandbox::NodeState s) {
    return join({"node-state", sandbox::nodeStateName(s)});
}
std::string topologyKindId(sandbox::TopologyKind k) {
    return join({"topology", sandbox::topologyKindName(k)});
}

std::vector<TeachingText> teachingTexts() {
    std::vector<TeachingText> all;
    for (const auto& s : locks::lockStrategies()) {
        all.push_back({lockSummaryId(s.id), s.summary});
        if (!s.hazard.empty()) all.push_back({lockHazardId(s.id), s.hazard});
    }
    for (const auto& s : counters::counterStrategies()) {
        all.push_back({counterSummaryId(s.id), s.summary});
        all.push_back({counterContentionId(s.id), s.contention});
    }
    for (const auto& f : faults()) all.push_back({faultSummaryId(f.fault), f.summary});
    for (const auto& e : expectations()) all.push_back({outcomeId(e), e.outcome});
    using monitor::LockState;
    for (auto s : {LockState::Held, LockState::Expiring, LockState::StuckNoTtl,
                   LockState::ExpiredTimestamp, LockState::HeartbeatStale, LockState::Orphaned,
                   LockState::Split, LockState::Free, LockState::Unknown}) {
        all.push_back({lockStateNameId(s), monitor::lockStateName(s)});
        all.push_back({lockStateExplanationId(s), monitor::lockStateExplanation(s)});
    }
    using monitor::Staleness;
    for (auto s : {Staleness::Unreachable, Staleness::ClusterDown, Staleness::Busy,
                   Staleness::Loading, Staleness::TryAgain, Staleness::MasterDown,
                   Staleness::NoPermission, Staleness::Redirect, Staleness::Error})
        all.push_back({stalenessId(s), monitor::stalenessName(s)});
    using sandbox::NodeRole;
    for (auto r : {NodeRole::Standalone, NodeRole::Master, NodeRole::Replica, NodeRole::Sentinel})
        all.push_back({nodeRoleId(r), sandbox::nodeRoleName(r)});
    using sandbox::NodeState;
    for (auto s : {NodeState::Running, NodeState::Paused, NodeState::Stopped})
        all.push_back({nodeStateId(s), sandbox::nodeStateName(s)});
    using sandbox::TopologyKind;
    for (auto k : {TopologyKind::Standalone, TopologyKind::Redlock, TopologyKind::Sentinel,
                   TopologyKind::Cluster})
        all.push_back({topologyKindId(k), sandbox::topologyKindName(k)});
    for (const auto& s : counterExplanations()) all.push_back({std::string(s.id), s.english});
    all.push_back({std::string(kVerdictNotInjectedId), kVerdictNotInjected});
    all.push_back({std::string(kVerdictOverlapId), kVerdictOverlap});
    all.push_back({std::string(kVerdictNotAsDocumentedId), kVerdictNotAsDocumented});
    // The sentences a run, the monitor and the sandbox say with values (util/message.h).
    for (auto texts :
         {monitor::whyTexts(), monitor::describeTexts(), runTexts(), sandbox::topologyNoteTexts()})
        for (const MessageText* t : texts) all.push_back({std::string(t->id), t->english});
    return all;
}

}  // namespace lockscope::demo

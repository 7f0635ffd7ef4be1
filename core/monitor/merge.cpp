#include "monitor/merge.h"

#include <map>

namespace lockscope::monitor {

std::optional<KeyRecord> mergeNodes(const std::vector<const KeyRecord*>& perNode) {
    std::map<std::string, int> votes;
    const KeyRecord* any = nullptr;
    int present = 0;
    for (const auto* r : perNode) {
        if (!r || r->state == LockState::Free) continue;
        ++present;
        if (!any) any = r;
        if (r->isLock()) ++votes[r->holder];
    }
    if (!any) return std::nullopt;
    KeyRecord merged = *any;
    merged.nodesTotal = static_cast<std::int16_t>(perNode.size());
    if (!any->isLock()) {
        merged.nodesHolding = static_cast<std::int16_t>(present);
        return merged;
    }
    auto best = votes.begin();
    for (auto it = votes.begin(); it != votes.end(); ++it)
        if (it->second > best->second) best = it;
    // The majority holder's record, with the shortest TTL among its nodes (the lock is only as
    // valid as its first expiring copy).
    for (const auto* r : perNode) {
        if (!r || r->state == LockState::Free || !r->isLock() || r->holder != best->first) continue;
        if (merged.holder != best->first ||
            (r->ttlMs >= 0 && (merged.ttlMs < 0 || r->ttlMs < merged.ttlMs)))
            merged = *r;
    }
    merged.nodesTotal = static_cast<std::int16_t>(perNode.size());
    merged.nodesHolding = static_cast<std::int16_t>(best->second);
    if (votes.size() > 1) merged.state = LockState::Split;
    return merged;
}

}  // namespace lockscope::monitor

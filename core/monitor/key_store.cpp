#include "monitor/key_store.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "monitor/classifier.h"
#include "monitor/merge.h"

namespace lockscope::monitor {
namespace {

// Records differ in a way a viewer would notice (a TTL that just counts down does not).
bool differs(const KeyState& a, const KeyState& b, Steady::time_point now) {
    if (a.kind != b.kind || a.format != b.format || a.state != b.state || a.holder != b.holder ||
        a.number != b.number || a.holdCount != b.holdCount || a.nodesHolding != b.nodesHolding ||
        a.nodesTotal != b.nodesTotal || a.periodMs != b.periodMs || a.node != b.node ||
        a.stale != b.stale)
        return true;
    if ((a.ttlMs < 0) != (b.ttlMs < 0)) return true;
    // Extended or shortened: more than 100 ms away from where the countdown would be.
    return a.ttlMs >= 0 && std::llabs(a.ttlNow(now) - b.ttlNow(now)) > 100;
}

}  // namespace

KeyStore::KeyStore(Layout layout, size_t groupNodes, KeyStoreOptions options, const Clock* clock)
    : layout_(layout), groupNodes_(groupNodes), options_(options), clock_(clock) {}

KeyStore::~KeyStore() = default;

void KeyStore::queue(Entry& e, const std::string& key) {
    if (e.queued) return;
    e.queued = true;
    changed_.push_back(key);
}

void KeyStore::markGone(Map::iterator it, Steady::time_point now) {
    Entry& e = it->second;
    if (e.record.isLock()) {
        if (e.record.state != LockState::Free) {
            e.record.state = LockState::Free;
            e.record.ttlMs = -2;
            // Gone is the word of a node that answered: no longer stale (the reason may have
            // been the dead master's).
            e.record.stale = Staleness::Fresh;
            e.record.observedAt = now;
            queue(e, it->first);
        }
        return;
    }
    removed_.push_back(it->first);
    moving_.erase(it->first);
    store_.erase(it);
}

bool KeyStore::serves(int node, const std::string& key) const {
    return static_cast<size_t>(node) < servedSlots_.size() &&
           redis::inRanges(servedSlots_[static_cast<size_t>(node)], redis::keyHashSlot(key));
}

void KeyStore::setServedSlots(int node, std::vector<redis::SlotRange> ranges) {
    const auto i = static_cast<size_t>(node);
    if (servedSlots_.size() <= i) servedSlots_.resize(i + 1);
    servedSlots_[i] = std::move(ranges);
}

void KeyStore::apply(int node, std::uint32_t epoch, KeyRecord rec) {
    const auto now = rec.observedAt;
    auto it = store_.find(rec.key);
    if (rec.isStale()) {  // the node could not read it: the last known state stays, flagged
        if (it != store_.end()) markStale(it, node, rec.stale, epoch);
        return;
    }
    const bool gone = rec.state == LockState::Free && rec.kind == Kind::Other;
    const bool tracked = rec.kind == Kind::Lock || rec.kind == Kind::Counter;
    if (layout_ == Layout::Group) {
        applyGroup(node, epoch, std::move(rec), it);
        return;
    }
    // Each key lives on one node (a single server, a Sentinel master, a cluster master).
    rec.node = static_cast<std::int16_t>(node);
    // A key that moved to another node (resharding, a redirect followed) is that node's: the old
    // owner's word that it is gone, or a scan there that missed it, is stale.
    if (it != store_.end() && it->second.record.node != rec.node && !tracked) return;
    // Nor has a cluster node that no longer serves the key's slot (the slot map moved on).
    if (!tracked && layout_ == Layout::Cluster && !serves(node, rec.key)) return;
    if (!tracked) {
        if (it == store_.end()) return;
        if (gone) {
            markGone(it, now);
        } else {  // the key now holds something that is neither lock nor counter
            removed_.push_back(rec.key);
            moving_.erase(rec.key);
            store_.erase(it);
        }
        return;
    }
    if (it == store_.end()) {
        auto at = store_.try_emplace(std::move(rec.key)).first;
        Entry& e = at->second;
        e.record = std::move(static_cast<KeyState&>(rec));
        e.epoch = epoch;
        queue(e, at->first);
        return;
    }
    Entry& e = it->second;
    update(it->first, e, std::move(rec), now);
    e.epoch = epoch;
}

// A Redlock group: keep each node's view, publish the merge.
void KeyStore::applyGroup(int node, std::uint32_t epoch, KeyRecord&& rec, Map::iterator it) {
    const auto now = rec.observedAt;
    const bool tracked = rec.kind == Kind::Lock || rec.kind == Kind::Counter;
    if (it == store_.end()) {
        if (!tracked) return;
        it = store_.emplace(rec.key, Entry{}).first;
        it->second.perNode = std::make_unique<std::vector<NodeSlot>>(groupNodes_);
        it->second.record.kind = Kind::Other;  // not merged yet
    }
    auto& slot = (*it->second.perNode)[static_cast<size_t>(node)];
    slot.epoch = epoch;
    if (tracked)
        slot.record = std::move(rec);
    else
        slot.record.reset();
    remerge(it, now);
}

void KeyStore::markStale(Map::iterator it, int node, Staleness why,
                         std::optional<std::uint32_t> epoch) {
    Entry& e = it->second;
    if (e.perNode) {
        auto& slot = (*e.perNode)[static_cast<size_t>(node)];
        // Listed by this scan, only not readable: the scan's end must not take it for gone.
        if (slot.record && epoch) slot.epoch = std::max(slot.epoch, *epoch);
        if (!slot.record || slot.record->stale == why) return;
        slot.record->stale = why;
        remerge(it, clock_->steadyNow());
        return;
    }
    // Only the node that holds the key speaks for it (in a cluster, another node's CLUSTERDOWN
    // for a key filed elsewhere says nothing about it).
    if (e.record.node != node) return;
    if (epoch) e.epoch = std::max(e.epoch, *epoch);
    if (e.record.stale == why) return;
    if (e.record.isLock() && e.record.state == LockState::Free) return;  // gone already
    e.record.stale = why;
    queue(e, it->first);
}

void KeyStore::markNodeStale(int node, Staleness why) {
    for (auto it = store_.begin(); it != store_.end();) {
        auto next = std::next(it);  // a remerge may erase `it`
        markStale(it, node, why);
        it = next;
    }
}

void KeyStore::requeueNode(int node) {
    for (auto& [key, e] : store_)
        if (!e.perNode && e.record.node == node) queue(e, key);
}

void KeyStore::remerge(Map::iterator it, Steady::time_point now) {
    Entry& e = it->second;
    std::vector<const KeyRecord*> views;
    Staleness stale = Staleness::Fresh;
    for (const auto& s : *e.perNode) {
        views.push_back(s.record ? &*s.record : nullptr);
        if (s.record && s.record->isStale() && stale == Staleness::Fresh) stale = s.record->stale;
    }
    auto merged = mergeNodes(views);
    // A group's record is only as fresh as its least fresh node.
    if (merged) merged->stale = stale;
    if (!merged) {
        if (e.record.kind == Kind::Other) {  // never published
            store_.erase(it);
            return;
        }
        markGone(it, now);
        return;
    }
    update(it->first, e, std::move(*merged), now);
}

void KeyStore::update(const std::string& key, Entry& e, KeyState&& fresh, Steady::time_point now) {
    if (e.record.kind == Kind::Other) {  // first merge of a group key
        e.record = std::move(fresh);
        queue(e, key);
        return;
    }
    carryOver(e.record, fresh);
    if (fresh.isCounter()) {
        if (e.record.isCounter() && fresh.number != e.record.number) {
            if (!e.rate) {
                e.rate = std::make_unique<RateTracker>(options_.rateWindow, options_.historyLength);
                e.rate->add(e.record.observedAt, e.record.number);
            }
            moving_.insert(key);
        }
        if (e.rate) e.rate->add(fresh.observedAt, fresh.number);
        fresh.ratePerSecond = e.record.ratePerSecond;
    }
    const bool noticeable = differs(e.record, fresh, now);
    e.record = std::move(fresh);
    if (noticeable) queue(e, key);
}

void KeyStore::scanDone(int node, std::uint32_t epoch) { sweep(node, epoch, false); }

void KeyStore::retire(int node) { sweep(node, std::numeric_limits<std::uint32_t>::max(), true); }

// Keys of `node` its scan `epoch` did not see are gone — except, in a cluster, keys whose slot it
// no longer serves: they moved, and their new node lists them. `force` (a retired node):
// everything still filed under it.
void KeyStore::sweep(int node, std::uint32_t epoch, bool force) {
    const auto now = clock_->steadyNow();
    const std::vector<redis::SlotRange>* owned = nullptr;
    if (layout_ == Layout::Cluster && !force && static_cast<size_t>(node) < servedSlots_.size())
        owned = &servedSlots_[static_cast<size_t>(node)];
    for (auto it = store_.begin(); it != store_.end();) {
        auto next = std::next(it);
        Entry& e = it->second;
        if (!e.perNode) {
            if (e.record.node == node && e.epoch < epoch && e.record.state != LockState::Free &&
                (!owned || redis::inRanges(*owned, redis::keyHashSlot(it->first))))
                markGone(it, now);
        } else {
            auto& slot = (*e.perNode)[static_cast<size_t>(node)];
            if (slot.record && slot.epoch < epoch) {
                slot.record.reset();
                remerge(it, now);
            }
        }
        it = next;
    }
}

KeyStore::Counts KeyStore::refreshTimeStates() {
    const auto now = clock_->steadyNow();
    const long long wall = clock_->wallMillis();
    Counts c;
    for (auto it = store_.begin(); it != store_.end();) {
        auto next = std::next(it);
        Entry& e = it->second;
        if (e.record.state == LockState::Free && e.record.isLock()) {
            if (now - e.record.observedAt >= options_.freeLinger) {
                removed_.push_back(it->first);
                store_.erase(it);
                it = next;
                continue;
            }
        } else if (refreshState(e.record, now, wall, options_.expiringSoon)) {
            queue(e, it->first);
        }
        if (e.record.isLock())
            ++c.locks;
        else if (e.record.isCounter())
            ++c.counters;
        if (e.record.isStale()) ++c.stale;
        it = next;
    }
    c.keys = store_.size();
    return c;
}

void KeyStore::refreshRates(bool sampleHistory) {
    const auto now = clock_->steadyNow();
    const long long wall = clock_->wallMillis();
    for (auto it = moving_.begin(); it != moving_.end();) {
        auto s = store_.find(*it);
        if (s == store_.end() || !s->second.rate) {
            it = moving_.erase(it);
            continue;
        }
        Entry& e = s->second;
        const double rate = e.rate->rateAt(now);
        if (sampleHistory) e.rate->sampleHistory(wall, rate);
        const float old = e.record.ratePerSecond;
        e.record.ratePerSecond = static_cast<float>(rate);
        if (std::abs(rate - old) > 0.01 * std::max(1.0, std::abs(static_cast<double>(old))))
            queue(e, *it);
        // A counter that stopped keeps its history but leaves the refresh set.
        if (rate == 0 && old == 0)
            it = moving_.erase(it);
        else
            ++it;
    }
}

std::vector<KeyRecord> KeyStore::takeChanged(size_t max) {
    std::vector<KeyRecord> out;
    size_t taken = 0;
    for (; taken < changed_.size() && out.size() < max; ++taken) {
        auto s = store_.find(changed_[taken]);
        if (s == store_.end() || !s->second.queued) continue;  // gone, or a duplicate
        s->second.queued = false;
        out.emplace_back(s->second.record, s->first);
    }
    changed_.erase(changed_.begin(), changed_.begin() + static_cast<long>(taken));
    return out;
}

std::vector<std::string> KeyStore::takeRemoved() {
    // The final state per key decides: a key removed and tracked again since the last call goes
    // out as changed (takeChanged), never as both; one removed twice goes out once.
    std::vector<std::string> out;
    std::unordered_set<std::string_view> seen;
    for (auto& key : removed_) {
        if (store_.count(key) || !seen.insert(key).second) continue;
        out.push_back(std::move(key));
    }
    removed_.clear();
    return out;
}

const KeyState* KeyStore::find(const std::string& key) const {
    auto it = store_.find(key);
    return it == store_.end() ? nullptr : &it->second.record;
}

std::vector<KeyRecord> KeyStore::snapshot() const {
    std::vector<KeyRecord> out;
    out.reserve(store_.size());
    for (const auto& [k, e] : store_) out.emplace_back(e.record, k);
    return out;
}

std::vector<RatePoint> KeyStore::history(const std::string& key) const {
    auto it = store_.find(key);
    if (it == store_.end() || !it->second.rate) return {};
    const auto& h = it->second.rate->history();
    return {h.begin(), h.end()};
}

}  // namespace lockscope::monitor

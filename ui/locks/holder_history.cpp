#include "ui/locks/holder_history.h"

#include <QDateTime>
#include <algorithm>

#include "monitor/classifier.h"
#include "monitor/key_store.h"
#include "ui/monitor_bridge.h"

namespace lockscope::ui {
namespace {

// A lock whose value is a plain integer (a flag `1`, seed 001's heartbeat counter, a pid): one
// that goes up is beating.
bool integerLock(const monitor::KeyRecord& r) {
    using F = monitor::Format;
    return (r.format == F::Flag || r.format == F::HeartbeatCounter ||
            (r.format == F::Identity && r.shape() == monitor::ValueShape::Integer)) &&
           !r.holder.empty() && r.holder.find_first_not_of("0123456789") == std::string::npos;
}

// A synchroniser whose holder is a count or a set of permits (taken:1/3, count:2/3, permit ids):
// permits taken and given back, count-downs, are the same synchroniser in use, not new holders
// (adv14b item 6). Its span lasts while it is in use and is labelled with what it is now.
bool counting(const monitor::KeyRecord& r) {
    using F = monitor::Format;
    return r.format == F::Semaphore || r.format == F::ExpirableSemaphore ||
           r.format == F::RedissonExpirableSemaphore || r.format == F::Latch;
}

// A read-write lock (LockScope's or Redisson's): its readers share one hold.
bool readWrite(const monitor::KeyRecord& r) {
    return r.format == monitor::Format::ReadWrite || r.format == monitor::Format::RedissonRwLock;
}

int holderCount(const std::string& holder) {
    return holder.empty() ? 0 : int(std::count(holder.begin(), holder.end(), ',')) + 1;
}

// Cut to at most `bytes`; a list of holders at its last whole holder (never half an id).
std::string cutHolder(const std::string& holder, size_t bytes) {
    if (holder.size() <= bytes) return holder;
    const size_t comma = holder.rfind(',', bytes);
    return holder.substr(0, comma != std::string::npos && comma > 0 ? comma : bytes);
}

}  // namespace

HolderHistory::HolderHistory(HolderHistoryOptions options, QObject* parent)
    : QObject(parent), options_(options) {}

void HolderHistory::attach(MonitorBridge* bridge) {
    connect(bridge, &MonitorBridge::updated, this, [this](const UpdatePtr& u) { apply(*u); });
    connect(bridge, &MonitorBridge::started, this, &HolderHistory::clear);
}

void HolderHistory::apply(const monitor::MonitorUpdate& update) {
    apply(update, QDateTime::currentMSecsSinceEpoch(), monitor::Steady::now());
}

void HolderHistory::apply(const monitor::MonitorUpdate& update, qint64 wallNowMs,
                          monitor::Steady::time_point steadyNow) {
    // Records carry steady-clock times; the chart has a wall-clock axis.
    auto toWall = [&](monitor::Steady::time_point t) {
        if (t == monitor::Steady::time_point{}) return wallNowMs;
        const auto ago =
            std::chrono::duration_cast<std::chrono::milliseconds>(steadyNow - t).count();
        return std::min(wallNowMs, wallNowMs - ago);
    };
    auto closeOpen = [](Entry& e, qint64 at) {
        if (!e.spans.empty() && e.spans.back().endMs < 0)
            e.spans.back().endMs = std::max(e.spans.back().startMs, at);
    };
    bool pinnedMoved = false;
    // Removals first (monitor.h): a lock deleted and taken again within one update keeps its
    // new span open.
    for (const auto& key : update.removed) {
        auto it = entries_.find(key);
        if (it == entries_.end()) continue;
        closeOpen(it->second, wallNowMs);
        pinnedMoved |= key == pinned_;
    }
    for (const auto& r : update.changed) {
        // A semaphore with every permit free is unused (held by nobody), not held by taken:0/3.
        const bool unused = counting(r) && r.format != monitor::Format::Latch && r.holdCount == 0;
        const bool held =
            r.isLock() && r.state != monitor::LockState::Free && !r.holder.empty() && !unused;
        auto it = entries_.find(r.key);
        if (!held) {
            // A lock found free (or a key that stopped looking like a lock) ends its span; a key
            // never seen held costs nothing.
            if (it == entries_.end()) continue;
            const auto changed =
                r.lastChange != monitor::Steady::time_point{} ? r.lastChange : r.observedAt;
            closeOpen(it->second, r.state == monitor::LockState::Free ? toWall(r.observedAt)
                                  : unused                            ? toWall(changed)
                                                                      : wallNowMs);
            pinnedMoved |= r.key == pinned_;
            continue;
        }
        std::string holder = cutHolder(r.holder, options_.maxHolderBytes);
        const int holders = holderCount(r.holder);
        Entry& e = touch(r.key);
        const long long beat = integerLock(r) ? r.number : -1;
        if (!e.spans.empty() && e.spans.back().endMs < 0) {
            auto& open = e.spans.back();
            if (open.holder == holder && open.holders == holders) continue;
            // Readers joining or leaving while one of them stays: the same shared hold, not a
            // new holder (adv14c item 4; docs/client-formats.md#behaviour). A writer after the
            // readers (or readers after it) shares nobody: a new span.
            if (counting(r) || (readWrite(r) && monitor::sharesReader(open.holder, holder))) {
                open.holder = std::move(holder);
                open.holders = holders;
                open.format = r.format;
                pinnedMoved |= r.key == pinned_;
                continue;
            }
            // Rewritten by the holder it names (a JSON renew time, ShedLock's extend): the same
            // span, not a new holder (docs/client-formats.md#behaviour).
            if (r.format == monitor::Format::JsonOwner || r.format == monitor::Format::ShedLock) {
                monitor::KeyState before = r;
                before.holder = open.holder;
                if (monitor::sameOwner(before, r)) {
                    open.holder = std::move(holder);
                    continue;
                }
            }
            // A beat: the counter went up under the same holder. Going down (GETSET key 1 over
            // it) is a takeover, a new span.
            if (beat >= 0 && open.beat >= 0 && beat > open.beat) {
                open.beat = beat;
                open.holder = "(heartbeat)";  // one holder, beating: not its beat number
                pinnedMoved |= r.key == pinned_;
                continue;
            }
            // The same beat in another state (heartbeat-stale): still that one holder, not a
            // second one named after its last beat number (issue 11 round 6).
            if (beat >= 0 && beat == open.beat) continue;
        }
        // The holder changed when the record last changed (or, first seen, when the key was last
        // written: the engine derives lastChange from OBJECT IDLETIME where it may).
        qint64 start =
            toWall(r.lastChange != monitor::Steady::time_point{} ? r.lastChange : r.observedAt);
        if (!e.spans.empty()) {
            auto& last = e.spans.back();
            if (last.endMs < 0) last.endMs = std::max(last.startMs, start);
            start = std::max(start, last.endMs);
        }
        e.spans.push_back({std::move(holder), start, -1, beat, r.format, holders});
        trim(r.key, e);
        pinnedMoved |= r.key == pinned_;
    }
    evict();
    if (pinnedMoved) emit pinnedChanged();
}

HolderHistory::Entry& HolderHistory::touch(const std::string& key) {
    auto [it, inserted] = entries_.try_emplace(key);
    if (inserted) {
        it->second.lru = lru_.insert(lru_.end(), &it->first);
    } else {
        lru_.splice(lru_.end(), lru_, it->second.lru);
    }
    return it->second;
}

void HolderHistory::trim(const std::string& key, Entry& e) {
    const size_t limit = key == pinned_ ? options_.spansPinned : options_.spansPerKey;
    while (e.spans.size() > std::max<size_t>(1, limit)) e.spans.pop_front();
}

void HolderHistory::evict() {
    auto it = lru_.begin();
    while (entries_.size() > options_.maxKeys && it != lru_.end()) {
        const std::string* key = *it;
        if (*key == pinned_) {
            ++it;
            continue;
        }
        it = lru_.erase(it);
        entries_.erase(entries_.find(*key));  // by iterator: `key` points into the erased node
    }
}

void HolderHistory::pin(const std::string& key) {
    if (key == pinned_) return;
    const std::string old = std::exchange(pinned_, key);
    if (auto it = entries_.find(old); it != entries_.end()) trim(old, it->second);
}

std::vector<HolderSpan> HolderHistory::spans(const std::string& key) const {
    auto it = entries_.find(key);
    if (it == entries_.end()) return {};
    return {it->second.spans.begin(), it->second.spans.end()};
}

size_t HolderHistory::spanCount() const {
    size_t n = 0;
    for (const auto& [key, e] : entries_) n += e.spans.size();
    return n;
}

void HolderHistory::clear() {
    entries_.clear();
    lru_.clear();
    emit pinnedChanged();
}

}  // namespace lockscope::ui

#include "ui/monitor_bridge.h"

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>

#include "redis/cluster.h"

namespace lockscope::ui {

MonitorBridge::MonitorBridge(QObject* parent, BridgeOptions options)
    : QObject(parent), options_(options), slice_(options.sliceRecords) {}

MonitorBridge::~MonitorBridge() { stop(); }

void MonitorBridge::start(std::vector<redis::Endpoint> nodes, monitor::MonitorOptions options) {
    start(monitor::MonitorTarget::group(std::move(nodes)), std::move(options));
}

void MonitorBridge::start(monitor::MonitorTarget target, monitor::MonitorOptions options) {
    stop();
    target_ = target;
    lastStatus_ = {};
    lastNodeNames_.clear();
    slice_ = options_.sliceRecords;
    quint64 generation;
    {
        std::lock_guard lock(mutex_);
        pending_ = {};
        generation = ++generation_;
    }
    monitor_ = std::make_unique<monitor::Monitor>(std::move(target), std::move(options));
    // Runs on the engine's thread: merge and, unless a drain is already queued, queue one. The
    // bridge is touched only while the generation is current: stop() moves it on (under the
    // same lock) before the engine is left to the reaper, and before the bridge can be gone.
    monitor_->setListener(
        [this, inbox = inbox_, o = options_, generation](monitor::MonitorUpdate u) {
            // In chunks, the lock released in between: a first inventory's 20,000-record update
            // merged in one go kept the GUI thread's drain() waiting on the lock for tens of ms
            // on a loaded machine (gui_bench --inventory's worst ticks, outside any update).
            size_t from = 0;
            do {
                const size_t to =
                    std::min(u.changed.size(), from + std::max<size_t>(1, o.mergeChunkRecords));
                std::lock_guard lock(inbox->mutex);
                if (generation != inbox->generation) return;
                merge(inbox->pending, u, from, to, o);
                from = to;
                if (inbox->pending.scheduled) continue;
                inbox->pending.scheduled = true;
                mail_->post([this, generation] { drain(generation); });
            } while (from < u.changed.size());
        });
    monitor_->start();
    emit started();
}

void MonitorBridge::merge(Pending& p, monitor::MonitorUpdate& u, size_t from, size_t to,
                          const BridgeOptions& o) {
    // An update's removals before its changes (monitor.h): a key in both — which the engine does
    // not send — ends up with its record, the newest state.
    if (from == 0) {
        for (auto& key : u.removed) {
            if (p.changed.erase(key) == 0 && p.removed.count(key)) continue;
            if (p.removed.insert(key).second) p.order.push_back(std::move(key));
        }
        // With the first chunk: a drain between chunks never shows a record before its stats.
        for (auto& st : u.stats) {
            std::string key = st.key;
            p.stats.insert_or_assign(std::move(key), std::move(st));  // the newest wins
        }
    }
    for (size_t i = from; i < to; ++i) {
        auto& r = u.changed[i];
        p.removed.erase(r.key);
        auto [it, fresh] = p.changed.try_emplace(r.key);
        if (fresh) p.order.push_back(r.key);
        it->second = std::move(r);
    }
    if (to < u.changed.size()) return;  // events and status with the last chunk
    p.eventsNotShown += u.eventsNotShown;
    for (auto& e : u.events) p.events.push_back(std::move(e));
    while (p.events.size() > o.maxPendingEvents) {
        p.events.pop_front();
        ++p.eventsNotShown;
    }
    p.status = std::move(u.status);
    p.hasStatus = true;
}

void MonitorBridge::drain(quint64 generation) {
    auto u = std::make_shared<monitor::MonitorUpdate>();
    bool more = false;
    {
        std::lock_guard lock(mutex_);
        if (generation != generation_) return;
        size_t taken = 0;
        while (taken < slice_ && !pending_.order.empty()) {
            std::string key = std::move(pending_.order.front());
            pending_.order.pop_front();
            if (auto it = pending_.changed.find(key); it != pending_.changed.end()) {
                u->changed.push_back(std::move(it->second));
                pending_.changed.erase(it);
                ++taken;
            } else if (pending_.removed.erase(key)) {
                u->removed.push_back(std::move(key));
                ++taken;
            }  // else: superseded (changed, then removed, then changed again...)
        }
        // All pending stats with the first slice: they are few, and never behind their record.
        for (auto& [key, st] : pending_.stats) u->stats.push_back(std::move(st));
        pending_.stats.clear();
        u->events.assign(std::make_move_iterator(pending_.events.begin()),
                         std::make_move_iterator(pending_.events.end()));
        pending_.events.clear();
        u->eventsNotShown = pending_.eventsNotShown;
        pending_.eventsNotShown = 0;
        u->status = pending_.status;  // the newest, also for every slice of a big update
        more = !pending_.order.empty();
        pending_.scheduled = more;
    }
    lastStatus_ = u->status;
    const size_t taken = u->changed.size() + u->removed.size();
    QElapsedTimer handling;
    handling.start();
    emit updated(u);
    // The next slice's size from what this one cost the GUI thread (the tables, the panes): at
    // this slice's pace per record, as many as take half the budget, at most twice as many. A
    // plain doubling overshot: 16k rows in 9 ms became 32k in 30 ms, in one turn of the loop.
    const double ms = double(handling.nsecsElapsed()) / 1e6;
    if (ms > options_.sliceBudgetMs) {
        slice_ = std::max(options_.sliceRecords, slice_ / 2);
    } else if (taken >= slice_) {
        const double fits = double(taken) * options_.sliceBudgetMs / 2 / std::max(ms, 0.1);
        slice_ = std::clamp(std::min(slice_ * 2, size_t(fits)), options_.sliceRecords,
                            std::max(options_.maxSliceRecords, options_.sliceRecords));
    }
    std::vector<std::string> names;
    for (const auto& n : lastStatus_.nodes) names.push_back(n.display());
    if (names != lastNodeNames_) {
        lastNodeNames_ = std::move(names);
        emit nodesChanged();
    }
    // The rest later, after timers, input and repaints.
    if (more)
        QTimer::singleShot(options_.sliceIntervalMs, this,
                           [this, generation] { drain(generation); });
}

size_t MonitorBridge::pendingRecords() const {
    std::lock_guard lock(mutex_);
    return pending_.changed.size() + pending_.removed.size();
}

void MonitorBridge::stop() {
    {
        // From here on the old engine's listener calls return at once, and a drain it queued
        // finds the generation moved on.
        std::lock_guard lock(mutex_);
        pending_ = {};
        ++generation_;
    }
    // Stopping joins the engine's threads, which may be waiting out a command timeout (a paused
    // server): not on the GUI thread.
    reaper_.dispose(std::move(monitor_));
}

void MonitorBridge::requestRescan() {
    if (monitor_) monitor_->requestRescan();
}

void MonitorBridge::setRules(monitor::LockRules rules) {
    rules_ = std::move(rules);
    if (monitor_) monitor_->setRules(rules_);
}

void MonitorBridge::requestEnableNotifications() {
    if (monitor_) monitor_->requestEnableNotifications();
}

std::vector<monitor::RatePoint> MonitorBridge::history(const std::string& key) const {
    return monitor_ ? monitor_->history(key) : std::vector<monitor::RatePoint>{};
}

std::optional<monitor::LockStats> MonitorBridge::lockStats(const std::string& key) const {
    return monitor_ ? monitor_->lockStats(key) : std::nullopt;
}

std::vector<redis::Endpoint> MonitorBridge::nodes() const {
    using K = monitor::TargetKind;
    if (target_.kind == K::Single || target_.kind == K::Group) return target_.nodes;
    std::vector<redis::Endpoint> out;
    for (const auto& n : lastStatus_.nodes)
        if (n.endpoint && n.link != monitor::NodeStatus::Link::Stopped) out.push_back(*n.endpoint);
    return out;
}

std::vector<redis::Endpoint> MonitorBridge::nodesFor(const std::string& key) const {
    if (target_.kind != monitor::TargetKind::Cluster) return nodes();
    const int slot = redis::keyHashSlot(key);
    for (const auto& n : lastStatus_.nodes)
        if (n.endpoint && n.link != monitor::NodeStatus::Link::Stopped &&
            redis::inRanges(n.ranges, slot))
            return {*n.endpoint};
    return {};
}

}  // namespace lockscope::ui

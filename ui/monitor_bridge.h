// The monitor engine as the GUI sees it: owns a monitor::Monitor and hands its updates to the GUI
// thread, coalesced and in bounded slices, so that a storm of notifications never holds the event
// loop:
//   - the engine's updates are merged, on the engine's thread, into one pending update (a key's
//     newest record wins; a removal cancels a pending change and the other way round; events keep
//     the newest `maxPendingEvents`, the rest are counted as not shown; the newest status wins),
//     in chunks: the GUI thread never waits on the lock for a whole big update;
//   - lock behaviour stats (issue 11.6) are merged by key, the newest wins, and all go out with
//     the next slice;
//   - the GUI thread takes at most `sliceRecords` records per turn of its event loop and emits
//     them as one `updated`; what is left goes out `sliceIntervalMs` later, after timers, input
//     and repaints.
// A GUI thread that falls behind therefore does less work per record, not more: 20 updates of the
// same 20,000 keys cost one pass over them.
//
// Stopping never waits on the GUI thread: stop() (and start(), which stops the running monitor)
// hands the engine to a reaper thread that stops and destroys it — its threads may be waiting out
// a command timeout on a paused or vanished server — and nothing of it reaches the GUI after
// stop() returns. Destroying the bridge waits for the reaper (the dashboard: after its event loop).
//
// Thread contract: create, use and destroy on the GUI thread. `updated` is emitted on it.
#pragma once

#include <QObject>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "monitor/monitor.h"
#include "ui/common/hand_over.h"
#include "ui/common/reaper.h"

namespace lockscope::ui {

using UpdatePtr = std::shared_ptr<const monitor::MonitorUpdate>;

struct BridgeOptions {
    // Records (changed + removed) per `updated` to start with. A slice of new rows costs the
    // tables a pass over all their rows (a layout change) plus its own size: 1000 new rows into
    // 100k took 3-7 ms of GUI-thread CPU (bench/gui_bench), while smaller slices pay the pass more
    // often.
    size_t sliceRecords = 1000;
    // A backlog goes out one slice per this interval: the GUI thread is idle in between, and
    // views repaint at most this often (the engine publishes every 200 ms).
    int sliceIntervalMs = 40;
    // A slice grows (at most doubling, up to maxSliceRecords) to as many records as half of
    // `sliceBudgetMs` took at the last slice's pace, and halves (down to sliceRecords) when one
    // takes longer than the budget: a big inventory reaches the tables as fast as this machine
    // takes it — not a fixed 25k records/s — while a turn of the event loop stays well inside the
    // 50 ms stall goal.
    size_t maxSliceRecords = 32000;
    int sliceBudgetMs = 20;
    size_t maxPendingEvents = 2000;  // notifications kept for the Events pane between turns
    // An engine update is merged into the pending one this many records at a time, the lock
    // released in between, so a drain() on the GUI thread never waits for a whole big update.
    size_t mergeChunkRecords = 1000;
};

class MonitorBridge : public QObject {
    Q_OBJECT
public:
    explicit MonitorBridge(QObject* parent = nullptr, BridgeOptions options = {});
    ~MonitorBridge() override;

    // Stops a running monitor (without waiting for it), then starts one on `nodes` (one server,
    // or a Redlock group).
    void start(std::vector<redis::Endpoint> nodes, monitor::MonitorOptions options);
    // Any target: one server, a Redlock group, a Sentinel group's master, every cluster master.
    void start(monitor::MonitorTarget target, monitor::MonitorOptions options);
    // Returns at once; nothing of the stopped monitor is emitted after it.
    void stop();
    bool running() const { return monitor_ != nullptr; }

    void requestRescan();
    void requestEnableNotifications();
    // The user's rules, from now on and for the monitors started later (no reconnect).
    void setRules(monitor::LockRules rules);
    const monitor::LockRules& rules() const { return rules_; }
    // Rate history of a counter kept by the engine (brief lock inside; no I/O).
    std::vector<monitor::RatePoint> history(const std::string& key) const;
    // How a lock behaved while followed (brief lock inside; no I/O); nullopt: nothing seen yet.
    std::optional<monitor::LockStats> lockStats(const std::string& key) const;
    const monitor::MonitorTarget& target() const { return target_; }
    // The servers the data lives on now: the server, the group's nodes, the Sentinels' current
    // master, every cluster master (in MonitorStatus::nodes order).
    std::vector<redis::Endpoint> nodes() const;
    // The servers that hold `key` now: for a cluster, the master serving its slot (empty while
    // the slot map is unknown); otherwise nodes().
    std::vector<redis::Endpoint> nodesFor(const std::string& key) const;
    const monitor::MonitorStatus& lastStatus() const { return lastStatus_; }
    // Records waiting for the GUI thread (tests, the benchmark).
    size_t pendingRecords() const;
    // Monitors stopped and not destroyed yet by the reaper (tests).
    size_t stoppingMonitors() const { return reaper_.pending(); }

signals:
    void updated(lockscope::ui::UpdatePtr update);
    void started();
    // nodes() changed: a Sentinel failover, a cluster's masters; emitted after `updated`.
    void nodesChanged();

private:
    monitor::LockRules rules_;
    struct Pending {
        std::unordered_map<std::string, monitor::KeyRecord> changed;
        std::unordered_set<std::string> removed;
        std::deque<std::string> order;  // keys in arrival order; stale entries are skipped
        std::unordered_map<std::string, monitor::LockStatsSummary> stats;  // newest per lock
        std::deque<monitor::KeyEvent> events;
        unsigned long long eventsNotShown = 0;
        monitor::MonitorStatus status;
        bool hasStatus = false;
        bool scheduled = false;  // a drain is queued on the GUI thread
    };
    // Shared with the engines' listeners, which may outlive the bridge while a stopped engine
    // waits for its reaper.
    struct Inbox {
        std::mutex mutex;  // guards both (engine threads ↔ GUI thread)
        Pending pending;
        quint64 generation = 0;  // moved on by stop(): an old monitor's updates are dropped
    };
    // Merges u.changed[from, to) into `p`; u.removed and the stats with the first chunk, events
    // and status with the last.
    static void merge(Pending& p, monitor::MonitorUpdate& u, size_t from, size_t to,
                      const BridgeOptions& o);
    void drain(quint64 generation);

    Reaper reaper_;  // first: destroyed last, after stop() has handed it the running monitor
    BridgeOptions options_;
    std::unique_ptr<monitor::Monitor> monitor_;
    monitor::MonitorTarget target_;
    monitor::MonitorStatus lastStatus_;
    std::vector<std::string> lastNodeNames_;
    size_t slice_ = 0;                         // records per `updated` now (GUI thread)
    Mailbox* const mail_ = new Mailbox(this);  // the engine's drains run on the GUI thread
    const std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
    std::mutex& mutex_ = inbox_->mutex;  // guards pending_ and generation_
    Pending& pending_ = inbox_->pending;
    quint64& generation_ = inbox_->generation;  // a new monitor drops what an old one left
};

}  // namespace lockscope::ui

// Thread contract: shared by all of a monitor's threads (engine, per-node inspector and subscriber,
// topology follower); every member is an atomic or takes the lock named beside it.
//
// What the monitor's threads hand each other: the nodes followed (where each one is now, the keys
// its notifications named, the events kept for viewers), the status shown to viewers, and the
// engine's inbox of inspected records. monitor.h describes the engine as a whole.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "monitor/monitor.h"
#include "redis/cluster.h"

namespace lockscope::monitor {

// One server followed: a single server, a Redlock group's node, a Sentinel group's master, or a
// cluster master.
struct Node {
    Node(int i, std::optional<redis::Endpoint> e) : index(i), endpoint_(std::move(e)) {}

    const int index;  // into MonitorStatus::nodes
    std::thread inspector;
    std::thread subscriber;

    // Where this node is now. A Sentinel target's node and a cluster's masters are repointed by
    // the topology follower (failover); `generation` counts the moves, so the node's threads
    // notice, drop their connections and reconnect. Unset until first resolved.
    std::optional<redis::Endpoint> endpoint() const;
    std::string where() const;  // for messages: the endpoint, or "(not resolved yet)"
    // Points the node at `e`; false when it already was there.
    bool moveTo(const redis::Endpoint& e);
    std::atomic<std::uint32_t> generation{0};
    std::atomic<bool> retired{false};  // cluster: it serves no slot any more

    // Cluster: the slots it serves.
    std::vector<redis::SlotRange> ranges() const;
    void setRanges(std::vector<redis::SlotRange> r);
    bool serves(int slot) const;

    // Keys a notification said changed (or a redirect handed over), oldest first, repeats
    // coalesced: a storm on few keys costs one inspection each and no key waits behind later ones.
    void markDirty(std::vector<std::string>&& keys);
    std::vector<std::string> takeDirty(size_t max);  // the oldest `max`
    // Cluster: keys to inspect with ASKING — the target of an ASK redirect, or a node that answered
    // MOVED for a key its own SCAN or notification named (it may be importing the slot).
    void markAsking(std::vector<std::string>&& keys);
    std::vector<std::string> takeAsking(size_t max);
    std::mutex dirtyMutex;  // guards dirty, dirtySet, asking, askingSet; dirtyCv waits with it
    std::condition_variable dirtyCv;
    std::deque<std::string> dirty;
    std::unordered_set<std::string> dirtySet;
    std::deque<std::string> asking;
    std::unordered_set<std::string> askingSet;
    // Keys a `del` / `expired` / `evicted` notification named, with when it arrived (the first
    // since the key was last inspected): a lock released and taken again with the same value
    // before its inspection is two holds, not one (issue 11 round 2). `expired` counts the
    // server's own word that the TTL ran out (leases that expired while held, issue 11 round 5).
    struct Release {
        Steady::time_point at;
        std::int32_t expired = 0;  // `expired` notifications among them
    };
    void markReleased(const std::vector<std::string>& keys, Steady::time_point at,
                      bool expired = false);
    std::optional<Release> takeReleased(const std::string& key);
    std::unordered_map<std::string, Release> releasedAt;  // guarded by dirtyMutex
    // Keys a `set` notification named since they were last inspected: written again, perhaps
    // with the same value — a re-acquisition the value alone does not show (issue 11 round 6).
    void markWritten(const std::vector<std::string>& keys);
    bool takeWritten(const std::string& key);
    std::unordered_set<std::string> writtenKeys;  // guarded by dirtyMutex
    // Keys a `new` notification named since they were last inspected (notify-keyspace-events
    // class `n`, Redis 7+, not part of `A`): created while watched, not written over a key that
    // was there before (docs/client-formats.md#behaviour: acquisitions during the first sweep).
    void markCreated(const std::vector<std::string>& keys);
    bool takeCreated(const std::string& key);
    std::unordered_set<std::string> createdKeys;  // guarded by dirtyMutex

    std::atomic<bool> rescanRequested{false};
    std::atomic<bool> enableRequested{false};
    std::atomic<bool> scanAllowed{true};
    std::atomic<bool> eventsSeen{false};
    std::atomic<bool> newEventsSeen{false};  // a `new` event (class n) arrived
    // The inspector reads notify-keyspace-events (CONFIG GET allowed): its periodic check, not
    // the arrival of events, says whether notifications are on.
    std::atomic<bool> configKnown{false};
    // The subscriber hears FLUSHALL / FLUSHDB (CLIENT TRACKING's invalidation of everything);
    // otherwise the inspector's periodic check looks for an emptied keyspace (DBSIZE).
    std::atomic<bool> flushWatched{false};

    std::mutex eventMutex;
    std::vector<KeyEvent> eventBuffer;  // recent notifications for viewers (bounded)
    unsigned long long eventsNotShown = 0;
    std::atomic<unsigned long long> eventsTotal{0};

private:
    mutable std::mutex endpointMutex_;
    std::optional<redis::Endpoint> endpoint_;
    std::vector<redis::SlotRange> ranges_;
};

// What a node's inspector hands the engine.
struct InboxItem {
    enum class What {
        Records,   // inspected records
        ScanDone,  // a full scan completed: its keys not seen are gone
        Retired,   // a cluster node that serves no slot any more
        Stale,     // the node cannot be read now (`stale` says why): its keys keep their last state
    } what;
    int node = 0;
    std::uint32_t epoch = 0;  // the node's scan the records belong to (or that completed)
    std::vector<KeyRecord> records;
    Staleness stale = Staleness::Fresh;  // Stale
    std::uint32_t generation = 0;  // ScanDone: Node::generation the scan ran under (its address)
    long long dbSize = -1;  // Records of a sweep: the node's DBSIZE when it began (-1: unknown)
};

class SharedState {
public:
    SharedState(const MonitorTarget& target, const MonitorOptions& options, const Clock* clock);

    const MonitorTarget& target;
    const MonitorOptions& options;
    const Clock* const clock;

    std::atomic<bool> stopping{false};
    std::atomic<bool> running{false};     // start() ran: nodes added later start their threads
    std::atomic<bool> discovered{false};  // the nodes to follow are known
    std::atomic<bool> refreshRequested{false};  // re-read where the master(s) are, now

    // A Sentinel or cluster target: nodes move, and a node can stop being a master.
    bool followsMaster() const;
    bool alive(const Node& n) const { return !stopping.load() && !n.retired.load(); }
    void requestRefresh() { refreshRequested = true; }
    // Interruptible sleep: false when the monitor is stopping.
    bool sleepFor(std::chrono::milliseconds d) const;
    redis::ConnectOptions connectOptions() const;

    // The nodes only ever grow (a cluster node is retired, not erased): pointers stay valid.
    std::vector<Node*> nodeList() const;
    Node* addNode(std::optional<redis::Endpoint> endpoint);

    // The status viewers see.
    void message(std::string text);
    template <typename F>
    void editNode(int i, F&& f);
    template <typename F>
    void editStatus(F&& f) {
        std::lock_guard<std::mutex> g(statusMutex_);
        f(status_);
    }
    MonitorStatus status() const;
    bool polling(int node) const;

    // The engine's inbox.
    void post(InboxItem item);
    // Waits until something was posted, the monitor stops or `deadline`; returns what was posted.
    std::vector<InboxItem> waitForInbox(std::chrono::steady_clock::time_point deadline);
    void wakeEngine() { inboxCv_.notify_all(); }

    // The user's rules in force (Monitor::setRules); a classification holds on to the copy it
    // read.
    std::shared_ptr<const LockRules> rules() const;
    void setRules(LockRules rules);

private:
    mutable std::mutex nodesMutex_;
    std::vector<std::unique_ptr<Node>> nodes_;

    mutable std::mutex statusMutex_;
    MonitorStatus status_;

    mutable std::mutex rulesMutex_;
    std::shared_ptr<const LockRules> rules_;

    std::mutex inboxMutex_;
    std::condition_variable inboxCv_;
    std::vector<InboxItem> inbox_;
};

template <typename F>
void SharedState::editNode(int i, F&& f) {
    std::lock_guard<std::mutex> g(statusMutex_);
    NodeStatus& st = status_.nodes[static_cast<size_t>(i)];
    f(st);
    // Derived, in one place: only a live subscription to notifications that are on spares the
    // polling.
    st.polling = !(st.notifications == NodeStatus::Notifications::On && st.subscribed);
}

}  // namespace lockscope::monitor

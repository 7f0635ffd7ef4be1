// Thread contract: one thread at a time (the monitor's engine thread; Monitor's readers take the
// engine's lock). No threads, no I/O: time comes from the injected clock, so tests move it.
//
// The monitor's record of every tracked key. Inspected records come in per node and per scan
// (epoch); the store keeps one record per key — a Redlock group's nodes merged into one —, decides
// what a viewer would notice, and queues it for the next update:
//   - a key a completed scan of its node did not see is gone (a lock shows `free` for
//     `freeLinger`, then goes; a counter goes at once);
//   - a cluster node's word that a key is gone counts only while it serves the key's slot;
//   - time-dependent states (expiring, expired-timestamp, heartbeat-stale) are re-derived as time
//     passes, without a new observation;
//   - counters that moved get a rate and a history;
//   - a key (or a node) that could not be read keeps its last known state, marked stale with the
//     reason (key_record.h's Staleness), until a read succeeds — never "gone" on an error;
//   - an update carries each key once: in the changed records (its final state) or among the
//     removed keys, never both — a key removed and re-created within one publish window is
//     changed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/rates.h"
#include "redis/cluster.h"
#include "util/clock.h"

namespace lockscope::monitor {

// How one lock behaved while it was followed (issue 11.6): acquisitions and holds seen from start
// to end, leases that ran out while held, takeovers by another holder, the heartbeat's period.
// Kept per key apart from the record, so a lock that comes and goes keeps its history.
struct LockStats {
    long long acquisitions = 0;      // a holder seen taking it (not one already holding it)
    long long expiredWhileHeld = 0;  // gone with its TTL run out: the holder died, or TTL too short
    long long takeovers = 0;         // another holder without the lock going free in between
    long long holdMaxMs = 0;
    // The lease (TTL) the last acquisition was granted: known only where the acquisition was read
    // on its notification (the TTL read right after the write); -1 unknown.
    long long leaseMs = -1;
    // The lease was at least this: the largest TTL read during the hold (-1: none seen).
    long long leaseAtLeastMs = -1;
    std::int32_t beatPeriodMs = 0;      // heartbeats: the measured period
    std::int32_t beatJitterMs = 0;      // heartbeats: mean deviation of the period samples
    std::vector<std::int32_t> holdsMs;  // completed holds, the last kMaxHolds
    // Per completed hold: its lease was renewed while it went on (a TTL raised during the hold —
    // a watchdog, readers renewing their shared hold). Such a hold did not outlive its lease
    // however long it lasted, so it is left out of holdNearsTtl().
    std::vector<bool> holdRenewed;
    // Heartbeat counters: the last kBeatSamples intervals between beats (one per beat);
    // beatPeriodMs is their mean (a pause is left out: beatPausesMs).
    std::vector<std::int32_t> beatSamplesMs;
    static constexpr size_t kBeatSamples = 9;
    // Intervals over kPauseFactor periods in a row: pauses (stale spells), kept out of the
    // samples — unless three come in a row (the period itself changed).
    std::vector<std::int32_t> beatPausesMs;
    static constexpr std::int32_t kPauseFactor = 3;
    KeyState last;  // the last record of the lock (also after it is gone)

    static constexpr size_t kMaxHolds = 1024;
    // Percentile `q` (0..1) of the completed holds, nearest rank; -1 when there are none.
    long long holdPercentileMs(double q) const;
    // p99 of the holds that were not renewed at 80 % of the lease granted (leaseMs; never of its
    // lower bound) or more: about to be outlived. Renewed holds (a reader group first in to last
    // out, a watchdog's) are left out: their length says nothing of the lease's risk.
    bool holdNearsTtl() const;
    long long leaseOrLowerBoundMs() const { return leaseMs > 0 ? leaseMs : leaseAtLeastMs; }

    // The hold in progress.
    bool holding = false;
    // The holder ended its hold but left the key to expire by design (ShedLock's unlock inside
    // lockAtLeastFor rewrites it with the time left): its expiry is no lease that ran out.
    bool leftToExpire = false;
    Steady::time_point heldSince{};
    bool renewed = false;  // the hold in progress saw its TTL raised
    // The hold in progress began before it could be seen: a write a notification named during
    // the first sweep, without the server's word that the key was new (class `n`, a release
    // before). It was held during the observation, so its end counts a hold (from that write:
    // a lower bound) and a lease that ran out; it is no acquisition (the write may have renewed
    // a hold already running: adv11e item 1).
    bool startUnknown = false;
    // Completed holds whose start was not seen (startUnknown): their lengths are lower bounds.
    long long holdsStartUnknown = 0;
};

// What the dashboard shows of a lock's LockStats: a few numbers, cheap to copy to the GUI.
struct LockStatsSummary {
    std::string key;
    long long acquisitions = 0;
    long long expiredWhileHeld = 0;
    long long takeovers = 0;
    long long holdP50Ms = -1;  // -1: no completed hold yet
    long long holdP99Ms = -1;
    long long holdMaxMs = -1;
    long long leaseMs = -1;         // known lease, -1 unknown
    long long leaseAtLeastMs = -1;  // its lower bound
    std::int32_t beatPeriodMs = 0;
    std::int32_t beatJitterMs = 0;
    bool nearsTtl = false;  // LockStats::holdNearsTtl()
};
LockStatsSummary summarize(const std::string& key, const LockStats& s);

// Holders of a read-write lock in read mode are joined with ','; a reader in both strings means
// the same shared hold goes on (readers joining or leaving it: docs/client-formats.md#behaviour).
bool sharesReader(const std::string& a, const std::string& b);

struct KeyStoreOptions {
    std::chrono::milliseconds expiringSoon{1000};  // locks below this TTL are `expiring`
    std::chrono::milliseconds rateWindow{3000};    // counter rates are averaged over this window
    size_t historyLength = 300;                    // rate points kept per moving counter
    std::chrono::milliseconds freeLinger{3000};    // a followed lock that vanished shows `free`
    // Locks whose behaviour stats are kept. At the bound, the stats of locks no longer held make
    // room (a server whose lock names never repeat, lock:order:<id>, would otherwise fill it and
    // leave every later lock without stats).
    size_t maxLockStats = 100'000;
};

class KeyStore {
public:
    enum class Layout {
        PerNode,  // each key lives on one node (a single server, a Sentinel group's master)
        Cluster,  // each key lives on the master that serves its slot (setServedSlots)
        Group,    // a Redlock group: every node's copy kept, their merge published
    };
    // `groupNodes`: how many nodes a Redlock group has (Layout::Group only).
    KeyStore(Layout layout, size_t groupNodes, KeyStoreOptions options, const Clock* clock);
    ~KeyStore();
    KeyStore(const KeyStore&) = delete;
    KeyStore& operator=(const KeyStore&) = delete;

    // A record an inspection of `node` produced during (or after) its scan `epoch`. A record of
    // kind Other and state Free says the key is gone.
    void apply(int node, std::uint32_t epoch, KeyRecord record);
    // `node`'s scan `epoch` completed: its keys that scan did not see are gone.
    void scanDone(int node, std::uint32_t epoch);
    // The user's rules changed (Monitor::setRules): until each node's next full scan completes,
    // a lock that scan finds for the first time (or that was a counter) was there all along,
    // only classified otherwise — a hold of unknown start, as at the first inventory, not an
    // acquisition. A lock read because a notification named it is still one.
    void rulesChanged();
    // Room for `keys` tracked keys in all, made before a first inventory comes in (the table
    // would otherwise grow, and move every entry, about twenty times on the way to a million).
    // Never shrinks.
    void reserve(size_t keys);
    // A cluster node that serves no slot any more: everything still filed under it is gone (what
    // moved is filed under its new node).
    void retire(int node);
    // Cluster: the slots `node` serves now.
    void setServedSlots(int node, std::vector<redis::SlotRange> ranges);
    // Everything filed under `node` could not be read (a lost connection, SCAN answered LOADING):
    // kept as it was, marked stale with `why`. A fresh record of a key clears it.
    void markNodeStale(int node, Staleness why);
    // Queues every record filed under `node` again (its address changed: a failover).
    void requeueNode(int node);

    struct Counts {
        size_t keys = 0;
        size_t locks = 0;
        size_t counters = 0;
        size_t stale = 0;  // shown with their last known state
    };
    // Re-derives time-dependent states and drops free locks that lingered for `freeLinger`, and
    // counts the store. Only the records whose state may change by time within kHorizon are
    // visited (a store of 1M locks with hour-long leases costs next to nothing); all of them every
    // kHorizon / 2, or when the clock jumped that far. The counts are kept as records change.
    Counts refreshTimeStates();
    // Re-computes the rates of counters that moved; `sampleHistory` adds a point to their charts.
    void refreshRates(bool sampleHistory);

    // Changes waiting for an update (an upper bound: a key removed and tracked again may count
    // twice).
    size_t queuedChanges() const { return changed_.size(); }
    // Up to `max` changed records, oldest change first.
    std::vector<KeyRecord> takeChanged(size_t max);
    // Keys no longer tracked since the last call (and not tracked again since: those are among
    // the changed records). Call after takeChanged(), in the same turn.
    std::vector<std::string> takeRemoved();

    size_t size() const { return store_.size(); }
    // The record of `key` (no name), or null.
    const KeyState* find(const std::string& key) const;
    std::vector<KeyRecord> snapshot() const;
    std::vector<RatePoint> history(const std::string& key) const;
    // How `key` behaved while followed; null when nothing was seen happen to it.
    const LockStats* lockStats(const std::string& key) const;
    // Every lock that something was seen happen to, by key (also those gone since).
    const std::unordered_map<std::string, LockStats>& allLockStats() const { return stats_; }

private:
    struct NodeSlot {  // a Redlock group node's copy of a key
        std::optional<KeyRecord> record;
        std::uint32_t epoch = 0;
    };
    struct Entry {
        KeyState record;                                 // the name is the map key
        std::uint32_t epoch = 0;                         // one node per key: the scan that saw it
        std::unique_ptr<std::vector<NodeSlot>> perNode;  // Redlock group only
        std::unique_ptr<RateTracker> rate;               // counters that ever moved
        bool queued = false;                             // in changed_, not yet taken
        bool timed = false;                              // in timed_
    };
    using Map = std::unordered_map<std::string, Entry>;

    void queue(Map::value_type& kv);
    // Counts `r` into counts_ (sign +1) or out of them (-1): around every change of a record.
    void tally(const KeyState& r, int sign);
    // Files the entry in timed_ when its state may change by time before now + kHorizon.
    void schedule(Map::value_type& kv, Steady::time_point now);
    // The time-dependent part of refreshTimeStates() for one entry (which it may erase).
    void refreshEntry(Map::value_type& kv, Steady::time_point now, long long wallMs);
    // Erases a tracked key; one still queued is kept aside until changed_ drains (changed_ points
    // at it).
    void erase(Map::iterator it);
    // `expiredEvents`: KeyRecord::expiredEvents of the record that says it is gone.
    void markGone(Map::iterator it, Steady::time_point now, std::int32_t expiredEvents = -1);
    // `epoch`: the scan that listed the key but could not read it (it counts as seen).
    void markStale(Map::iterator it, int node, Staleness why,
                   std::optional<std::uint32_t> epoch = std::nullopt);
    void applyGroup(int node, std::uint32_t epoch, KeyRecord&& rec, Map::iterator it);
    void remerge(Map::iterator it, Steady::time_point now);
    void update(Map::value_type& kv, KeyState&& fresh, Steady::time_point now,
                bool notified = false);
    void sweep(int node, std::uint32_t epoch, bool force);
    bool serves(int node, const std::string& key) const;
    // Behaviour stats: `fresh` replaces `previous` (null: a key first seen) at `now`.
    // `onNotification`: `fresh` was read because a notification named the key; `created`: the
    // server said it was created since the last read (KeyRecord::created) — a key first seen
    // so during the first inventory was taken while watched.
    void observeLock(const std::string& key, const KeyState* previous, const KeyState& fresh,
                     int node, Steady::time_point now, bool onNotification = false,
                     bool created = false);
    bool scannedNode(int node) const;  // its first scan completed
    void endHold(LockStats& s, const KeyState& last, Steady::time_point now, bool gone);
    LockStats* statsFor(const std::string& key, bool create);

    const Layout layout_;
    const size_t groupNodes_;
    const KeyStoreOptions options_;
    const Clock* const clock_;
    Map store_;
    std::unordered_set<std::string> moving_;  // counters with a rate tracker worth refreshing
    // Entries to publish, one hash lookup less per record than keys would cost; an entry's
    // `queued` dedupes them (and is false in an erased one).
    std::vector<Map::value_type*> changed_;
    std::vector<Map::node_type> erasedQueued_;  // erased while in changed_; freed when it drains
    std::vector<std::string> removed_;
    std::vector<std::vector<redis::SlotRange>> servedSlots_;  // cluster, by node
    std::unordered_map<std::string, LockStats> stats_;        // bounded by options_.maxLockStats
    std::vector<bool> scanned_;  // by node: its first scan completed (later locks are new)
    // By node: the last scan epoch seen, and (rulesChanged) the first scan epoch under the new
    // rules, 0 when no re-inventory is pending.
    std::vector<std::uint32_t> lastEpoch_, rulesFrom_;
    Counts counts_;  // `keys` is store_.size(), filled in when read
    // Entries whose state may change by time within kHorizon (a lease about to run low, a free
    // lock lingering, a heartbeat); the rest wait for the pass over everything.
    std::unordered_set<Map::value_type*> timed_;
    Steady::time_point nextFullPass_{};
    static constexpr std::chrono::seconds kHorizon{60};
};

}  // namespace lockscope::monitor

// The monitor engine: finds every lock and counter on one server (or on each node of a Redlock
// group, or on the current master of a Sentinel group, or on every master of a Redis Cluster),
// classifies them, and follows them live — by keyspace notifications where the server sends
// them, by polling where it does not — delivering coalesced updates off the caller's thread. The
// dashboard is a view over this engine; `lockscope-cli watch` is another.
//
// Beyond one server (target.h): a Sentinel target follows the master the Sentinels name — a
// failover (their +switch-master, a lost connection, a master that turned replica) makes it
// reconnect to the new master, resubscribe and rescan, and say so ("master mymaster moved from A
// to B"). A cluster target scans and subscribes on every master (notifications are node-local),
// re-reads the slot map when a MOVED / ASK, a lost connection or a node turned replica says it
// changed, follows failovers and resharding, and tags each key with its node (KeyState::node).
//
// Threads: per node, an inspector thread (SCAN + pipelined inspection, its own connection) and a
// subscriber thread (PSUBSCRIBE __keyspace@<db>__:<pattern>, its own connection); one engine
// thread merges nodes, computes rates and time-dependent states and calls the listener at most
// every `publishInterval` (or when a chunk of `maxRecordsPerUpdate` is ready); for Sentinel and
// cluster targets, one more thread follows the topology. The server is never held for more than
// one pipeline of `batchSize` keys. The parts: node_worker.h (per node), topology_follower.h,
// key_store.h (the records, pure logic on the engine thread), shared_state.h (what they share).
//
// Degrades feature by feature and says so in MonitorStatus::messages: notifications off or not
// allowed → polling; no CONFIG rights → cannot check, subscribes anyway and polls; no CLIENT
// rights → orphaned locks not detected; no SCAN rights → keys discovered from notifications only
// (checked again after a reconnect); OBJECT IDLETIME refused → ages count from first sight; PING
// refused → another probe or none, said once. A lost connection is retried with backoff, then
// resubscribed and rescanned.
//
// Never "gone" on an error: a key (or a whole node) that cannot be read — a lost connection,
// CLUSTERDOWN during a failover, BUSY, LOADING, TRYAGAIN, NOPERM — keeps its last known state,
// marked stale with the reason (KeyState::stale), and is read again with backoff; a SCAN refused
// for such a transient reason is retried with backoff too. Notifications switched off at run
// time (a CONFIG GET every `configCheckInterval`) hand over to polling; FLUSHALL / FLUSHDB (heard
// through CLIENT TRACKING's invalidation, else an emptied DBSIZE) start a rescan at once.
//
// Thread contract: construct, setListener, start, stop and destroy from one thread at a time (none
// does network I/O, but stop joins the monitor's threads, which may wait out a command timeout:
// the dashboard hands stop and destroy to a thread of their own); snapshot(), status(),
// history(), requestRescan() and requestEnableNotifications() from any thread. The listener runs
// on the engine thread: keep it short (hand the update to your own thread).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "monitor/inspector.h"
#include "monitor/key_record.h"
#include "monitor/key_store.h"
#include "monitor/rates.h"
#include "monitor/rules.h"
#include "monitor/target.h"
#include "redis/cluster.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "redis/url.h"
#include "util/clock.h"

namespace lockscope::monitor {

using std::chrono::milliseconds;

struct MonitorOptions {
    std::vector<std::string> patterns;  // SCAN MATCH / PSUBSCRIBE globs; empty = every key
    size_t scanCount = 1000;            // SCAN COUNT per round trip
    size_t batchSize = 1000;            // keys inspected per pipeline
    milliseconds pollInterval{1000};    // full rescans when notifications are not available
    // Share of the watched server's time (percent) that polling may use: discovery sweeps and
    // refreshes of tracked keys are paced to stay inside it (pacer.h), measured from the engine's
    // own round trips. 0 = unlimited (sandboxes, staging): full speed, pipelines of `batchSize`.
    double scanBudgetPercent = 3;
    // Keys per pipeline and SCAN COUNT while a budget applies: one batch holds the server well
    // under a millisecond, so other clients barely wait behind it.
    size_t pacedBatchSize = 100;
    // Without live notifications, keys known to be locks or counters are read again this often
    // (on the budget, before discovery; stretched when they alone would take over half of it).
    milliseconds trackedRefresh{500};
    milliseconds rescanInterval{60000};     // safety-net rescans when they are
    milliseconds publishInterval{200};      // listener calls at most this often (coalescing)
    size_t maxRecordsPerUpdate = 20000;     // a bigger delta (first scan) goes out in chunks
    size_t maxEventsPerUpdate = 2000;       // notifications passed on per update; the rest counted
    milliseconds expiringSoon{1000};        // locks below this TTL are `expiring`
    milliseconds rateWindow{3000};          // counter rates are averaged over this window
    size_t historyLength = 300;             // rate points kept per moving counter (1 per second)
    milliseconds freeLinger{3000};          // a followed lock that vanished shows `free` this long
    milliseconds clientListInterval{2000};  // CLIENT LIST refresh for orphan detection
    bool subscribe = true;  // follow keyspace notifications when the server sends them
    // Sentinel / cluster targets: how often the master addresses and the slot map are re-read.
    // A failover is noticed sooner by its own signs (+switch-master, MOVED, a lost connection,
    // a node that turned replica), which trigger a re-read at once.
    milliseconds topologyRefresh{1000};
    // How often notify-keyspace-events is read again (CONFIG GET, where allowed): notifications
    // switched off at run time hand over to polling within this long, and the status says so.
    milliseconds configCheckInterval{2000};
    InspectOptions inspect;
    redis::ConnectOptions connect;
    LockRules rules;  // the user's rules (rules.h); Monitor::setRules() changes them live
    // survey() only: asked between batches; true stops the sweep (Ctrl-C), and what was read is
    // returned as incomplete. Empty: never stops.
    std::function<bool()> cancelled;
};

struct NodeStatus {
    enum class Link { Connecting, Connected, Reconnecting, Stopped };
    enum class Notifications { Unknown, On, Off, Unavailable };
    // Where it is (Sentinel / cluster: the current master); unset until the Sentinels name it.
    std::optional<redis::Endpoint> endpoint;
    std::string masterName;                // Sentinel: the master followed
    std::vector<redis::SlotRange> ranges;  // cluster: the slots this master serves
    Link link = Link::Connecting;  // Stopped also for a cluster master that gave up all slots
    std::string version;           // redis_version, "" when INFO is not allowed
    std::string role;              // master / slave
    Notifications notifications = Notifications::Unknown;
    std::string notifyFlags;  // notify-keyspace-events as the server reported it
    // A `new` event (class n) arrived: n is on, whatever notifyFlags shows (Redis 7 reads back
    // "AK" after CONFIG SET notify-keyspace-events KAn).
    bool newEventsSeen = false;
    bool subscribed = false;   // the keyspace-notification subscription is up
    bool polling = false;      // full rescans every pollInterval stand in for notifications
    bool canConfigure = true;  // CONFIG SET looked allowed (for a one-click enable)
    long long latencyUs = -1;  // last PING round trip
    long long reconnects = 0;
    long long subscriptionDrops = 0;  // the event subscription was cut (e.g. output buffer limit)
    redis::TransportInfo transport;   // TLS / SSH tunnel of the inspector's connection
    // The very first connection was refused for good (a password, a database this user may not
    // select or the server does not have) and none has succeeded yet: the connection's error.
    // Retried all the same; a one-shot caller (`watch`) gives up on it. A failure after a
    // connection once succeeded (a failover) never sets it.
    std::optional<redis::Error> refused;

    // Discovery: the sweep of the keyspace (SCAN + inspection), paced by the budget.
    bool sweeping = false;    // a sweep is under way
    long long sweptKeys = 0;  // keys the current (or last) sweep has listed so far
    long long dbSize = -1;    // DBSIZE when the sweep started; -1 unknown
    long long sweepStartedWallMs = 0;
    long long lastSweepWallMs = 0;  // when the last complete sweep ended; 0 none yet
    long long lastSweepMs = -1;     // how long it took (at this budget); -1 none yet
    // How often the sweep passes each key: that sweep's length plus the pause before the next
    // (-1 none complete yet). Without notifications a lock that comes and goes in less is not
    // seen at all (adv11d item 6).
    long long sweepPeriodMs = -1;
    long long trackedKeys = 0;  // locks and counters this node refreshes without events

    // For people: "127.0.0.1:6380", or "master mymaster (asking the Sentinels)" before it is known.
    std::string display() const;
};

struct StatusMessage {
    long long wallMs;
    std::string text;
};

struct MonitorStatus {
    TargetKind kind = TargetKind::Single;
    std::string target;  // what is monitored, MonitorTarget::display()
    // One per server followed; KeyState::node and KeyEvent::node index it. A cluster's masters
    // appear once the slot map has been read; a Sentinel group has one entry that follows the
    // master.
    std::vector<NodeStatus> nodes;
    size_t keysTracked = 0;
    size_t locks = 0;
    size_t counters = 0;
    // Records shown with their last known state because their node or key cannot be read now
    // (KeyState::stale): part of what is shown may be out of date.
    size_t stale = 0;
    unsigned long long eventsReceived = 0;
    double eventsPerSecond = 0;
    bool inventoryComplete = false;       // the first full scan of every node has been delivered
    std::vector<StatusMessage> messages;  // the most recent ones, oldest first
};

struct KeyEvent {
    long long wallMs;
    int node;  // index into MonitorStatus::nodes
    std::string key;
    std::string event;  // "set", "del", "expired", "hincrby", ...
    // The node's address when the event was received: a node index follows a failover to another
    // server, an event stays where it happened.
    std::string nodeAddress;
};

// Each key appears at most once per update: in `changed` (its final state, also for a key removed
// and re-created since the last update) or in `removed` — never in both. A consumer that merges
// updates applies an update's removals before its changes, so the newest state wins either way.
struct MonitorUpdate {
    std::vector<KeyRecord> changed;    // new or changed locks and counters
    std::vector<std::string> removed;  // keys no longer tracked
    // Behaviour stats of the changed locks that have any (issue 11.6): they move only when a
    // lock's record does (taken, released, taken over, gone).
    std::vector<LockStatsSummary> stats;
    std::vector<KeyEvent> events;  // notifications since the last update (bounded)
    unsigned long long eventsNotShown = 0;
    MonitorStatus status;
};

class Monitor {
public:
    using Listener = std::function<void(MonitorUpdate)>;

    // One endpoint: a single server; several: a Redlock group.
    Monitor(std::vector<redis::Endpoint> nodes, MonitorOptions options,
            const Clock* clock = &systemClock());
    Monitor(MonitorTarget target, MonitorOptions options, const Clock* clock = &systemClock());
    // Any URL form (redis://, unix://, redis+sentinel://, redis+cluster://); `fallbackPassword`
    // (LOCKSCOPE_PASSWORD) is used when the URL carries none.
    Monitor(const redis::Url& url, MonitorOptions options, const std::string& fallbackPassword = {},
            const Clock* clock = &systemClock());
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    void setListener(Listener listener);
    void start();
    void stop();

    std::vector<KeyRecord> snapshot() const;
    MonitorStatus status() const;
    std::vector<RatePoint> history(const std::string& key) const;
    // How a lock behaved while followed (issue 11.6); nullopt when nothing was seen happen to it.
    std::optional<LockStats> lockStats(const std::string& key) const;
    // Every lock something was seen happen to, also those gone since (LockStats::last).
    std::vector<std::pair<std::string, LockStats>> allLockStats() const;
    void requestRescan();
    // CONFIG SET notify-keyspace-events to what the monitor needs (keeping flags already set);
    // only ever done when asked. The outcome is reported in status messages.
    void requestEnableNotifications();
    // The user's rules from now on: every key is read and classified again (a rescan), without
    // reconnecting.
    void setRules(LockRules rules);
    LockRules rules() const;

    const MonitorOptions& options() const { return options_; }
    const MonitorTarget& target() const { return target_; }

private:
    struct Impl;
    MonitorTarget target_;
    MonitorOptions options_;
    std::unique_ptr<Impl> impl_;
};

// The keyspace-notification flags the monitor needs ("K" plus A, or g$hxe) and whether `flags`
// provides them.
bool notificationsSufficient(std::string_view flags);
// `flags` plus what the monitor needs, keeping what was set ("Ex" → "ExKA"); on Redis 7+
// (`version`, redis_version) also class n, new keys, which tells a lock taken while the first
// sweep had not reached its key from a renewal (adv11e item 1). Older servers, and an unknown
// version, have no n added (Redis < 7 refuses it).
std::string withNeededNotificationFlags(std::string_view flags, std::string_view version = {});
// The major number of a redis_version ("7.0.15" → 7); 0 when unknown.
int redisMajorVersion(std::string_view version);

}  // namespace lockscope::monitor

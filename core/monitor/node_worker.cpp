#include "monitor/node_worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "locks/primitive_state.h"
#include "monitor/classifier.h"
#include "monitor/fair_queue.h"
#include "monitor/pacer.h"
#include "monitor/primitive_formats.h"
#include "monitor/scan.h"
#include "redis/error.h"
#include "redis/info.h"
#include "util/thread_name.h"

namespace lockscope::monitor {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kMaxBackoff{2000};
// The tracked keys' refresh goes ahead of a sweep that has used the budget up, as long as the
// debt stays under this: a lock's release is then seen within about a second.
constexpr milliseconds kRefreshMayBorrow{1000};

InspectOptions withoutIdle(InspectOptions o) {
    o.idleTime = false;
    return o;
}

// ---- the inspector thread -----------------------------------------------------------------

// A refusal that holds for this user and server (an ACL, a renamed or missing command), as
// opposed to one that says "not now" (BUSY, LOADING, CLUSTERDOWN, TRYAGAIN, MASTERDOWN, ...).
bool refusedForGood(std::string_view errorMessage) {
    const auto kind = redis::classifyServerError(errorMessage);
    return kind == redis::ErrorKind::NoPermission || kind == redis::ErrorKind::UnknownCommand;
}

// What following without notifications does, in the words of the status line: with a budget,
// known keys are re-read every trackedRefresh and new ones are found by a paced sweep (not a
// rescan every pollInterval, which is what an unlimited budget does).
std::string pollingText(const MonitorOptions& o) {
    if (o.scanBudgetPercent <= 0)
        return "following by polling: known locks and counters re-read about every " +
               std::to_string(o.trackedRefresh.count()) +
               " ms, new keys found by sweeps at full speed (unlimited budget), each starting " +
               std::to_string(o.pollInterval.count()) +
               " ms or two sweeps' length after the last, whichever is later";
    char budget[32];
    std::snprintf(budget, sizeof budget, "%g", o.scanBudgetPercent);
    return "following by polling: known locks and counters re-read about every " +
           std::to_string(o.trackedRefresh.count()) + " ms, new keys found by a sweep paced to " +
           budget + "% of the server's time";
}

std::string firstLine(std::string_view text, size_t max) {
    text = text.substr(0, text.find('\n'));
    return std::string(text.substr(0, max));
}

class InspectorThread {
public:
    InspectorThread(SharedState& shared, Node& n)
        : sh_(shared),
          n_(n),
          options_(shared.options),
          inspector_(options_.inspect),
          rescanInspector_(withoutIdle(options_.inspect)),
          pacer_(options_.scanBudgetPercent) {}

    void run();

private:
    enum class Probe { Role, Ping, None };
    using Redirected = std::vector<std::pair<std::string, std::string>>;  // key, "host:port"

    ClassifyContext context() const;
    // `onNotification`: the keys were named by notifications (KeyRecord::readOnNotification).
    void post(std::vector<Inspected>&& inspected, bool fromScan, bool asking,
              bool onNotification = false);
    void handOver(Redirected& keys, bool asking);
    void noteUnreadable(size_t count, const std::string& error);
    void processDirty(redis::Connection& c);
    void scheduleRetries();
    void refreshClients(redis::Connection& c);
    void fullScan(redis::Connection& scanConn, redis::Connection& work);
    bool paceSweep(redis::Connection& work, Pacer::Duration wall, int roundTrips);
    void refreshTracked(redis::Connection& c);
    void housekeeping(redis::Connection& c);
    void charge(Pacer::Duration wall, int roundTrips, Pacer::Duration* total = nullptr);
    void readServerCpu(redis::Connection& c);
    size_t batchSize() const;
    milliseconds scanInterval() const;
    void onConnected(redis::Connection& c, bool reconnect, bool repointed,
                     Steady::time_point lostAt);
    void readConfig(redis::Connection& c, bool initial);
    void checkForFlush(redis::Connection& c);
    void enableNotifications(redis::Connection& c);
    void probe(redis::Connection& c);
    void postStale(Staleness why);

    SharedState& sh_;
    Node& n_;
    const MonitorOptions& options_;
    Inspector inspector_;  // the first inventory: OBJECT IDLETIME gives lock ages
    // Everything after it skips OBJECT IDLETIME (a third of the server's work per key): a key
    // named by a notification was just written, known keys keep the age they have, and a key a
    // rescan finds for the first time appeared less than one scan interval ago.
    Inspector rescanInspector_;
    bool inventoried_ = false;
    std::uint32_t epoch_ = 0;
    std::unordered_map<std::string, std::string> clients_;
    bool clientsKnown_ = false;
    bool clientListWarned_ = false;
    // Holders reconnect at their next renewal (after a failover, or when a server `timeout`
    // closed an idle connection): a LockScope holder missing from CLIENT LIST is called orphaned
    // only once it has been missing for longer than orphanWindow() — since it left the list, or
    // since this connection began for one never seen. Locks judged "not yet" are read again when
    // their window ends (`judgeAt_`), so a dead holder is flagged without a change to the key.
    Steady::time_point connectedAt_{};
    std::unordered_map<std::string, Steady::time_point> absentSince_;  // tag → left the list
    // Tags seen connected here — on this connection or on the server a failover replaced (kept
    // across onConnected) — and when last: within the same grace, a holder missing from the list
    // keeps its fair / read-write lock LockScope's (ClassifyContext::lockscopeTagSeenBefore)
    // instead of flipping it to Redisson's while it follows the new master (issue 14, F14i).
    std::unordered_map<std::string, Steady::time_point> seenTags_;
    mutable std::unordered_map<std::string, Steady::time_point> judgeAt_;  // key → read again
    // An integer lock read `unknown` (a process id or a heartbeat): read again once, after
    // kObserveHintSeconds, with the value it had — with live notifications nothing else would
    // read it, and unchanged by then it is no heartbeat (followBeats). Key → value judged.
    mutable std::unordered_map<std::string, long long> unknownJudged_;
    mutable std::unordered_map<std::string, std::unordered_set<std::string>> keysByTag_;
    // Fair locks (issue 14): held ones, whose queue is read again when they are found gone (a
    // release leaves its waiters queued until the first one takes it); and those listed from
    // their queue alone (key missing, waiters live), whose key is read when the queue says it
    // exists again. Keys, by lock name.
    std::unordered_set<std::string> fairLocks_;
    std::unordered_set<std::string> queueOnly_;
    void followFairQueue(const Inspected& in, const ClassifyContext& ctx,
                         std::vector<KeyRecord>& records);
    void scheduleJudgements();
    // A lock's TTL runs out at a known time, but Redis says `expired` (and drops the key) only
    // when its lazy or active expiry reaches it: on a server with many keys that carry a TTL,
    // many seconds later (adv11c item 1). So each lock read with a TTL is read again a few ms
    // after that TTL ends; a read of an expired key makes the server expire it there and then.
    // `expiryDue_`: key → when (the latest read decides); `expiryQueue_`: the same, by time (an
    // entry whose time is no longer the key's is skipped; rebuilt when stale entries pile up).
    void noteExpiry(const KeyRecord& r, Steady::time_point readAt);
    void readExpired(redis::Connection& c);
    static constexpr long long kExpiryHorizonMs = 10 * 60 * 1000;
    std::unordered_map<std::string, Steady::time_point> expiryDue_;
    using DueKey = std::pair<Steady::time_point, std::string>;
    std::priority_queue<DueKey, std::vector<DueKey>, std::greater<>> expiryQueue_;
    Steady::time_point nextExpiry() const {
        return expiryQueue_.empty() ? Steady::time_point::max() : expiryQueue_.top().first;
    }
    // When refreshTracked() wants the thread next: never while it would not read (notifications
    // carry the changes, or the first full-speed inventory goes first). Its deadline is not moved
    // on then, and waiting for it spun the thread: with notifications on and one lock known, the
    // inspector burnt most of a core in futex calls while Redis was idle (adv11e item 3).
    Steady::time_point trackedRefreshDue() const {
        if (tracked_.empty() || !sh_.polling(n_.index) || (pacer_.unlimited() && !inventoried_))
            return Steady::time_point::max();
        return refreshQueue_.empty() ? nextTrackedRefresh_ : pacer_.readyAt();
    }
    void followLeaseEnds(const Inspected& in, const KeyRecord& r, Steady::time_point now,
                         long long wallNowMs);
    bool enableWanted_ = false;  // the user asked to enable notifications: on every new server
    Steady::time_point nextClientList_{};
    Steady::time_point nextFullScan_{};
    Steady::time_point nextPing_{};
    Steady::time_point nextConfigCheck_{};
    milliseconds lastScanTook_{0};
    bool replicaReported_ = false;
    std::uint32_t connectedGeneration_ = 0;  // Node::generation the connections were made under
    bool sweepAborted_ = false;  // the node moved (a failover) during a paced sweep  // this
                                 // connection's server said it is a replica (said once)

    // The budget (MonitorOptions::scanBudgetPercent): what polling may cost this server.
    Pacer pacer_;
    CostCalibration calibration_;  // corrects round-trip estimates with INFO cpu
    bool cpuReadable_ = true;      // INFO cpu allowed
    Steady::time_point nextCpuReading_{};
    // The smallest PING round trip on this connection: the network's part of every round trip,
    // which costs the server nothing. Zero until measured (every round trip then counts whole).
    Pacer::Duration baseline_{0};
    // Keys this node last read as locks or counters: without live notifications they are read
    // again every trackedRefresh, in cycles; discovery of new keys is the sweep.
    std::unordered_set<std::string> tracked_;
    // Tracked keys read gone, and since when: still read every trackedRefresh for freeLinger.
    std::unordered_map<std::string, Steady::time_point> goneSince_;
    std::deque<std::string> refreshQueue_;  // the current cycle's keys still to read
    Steady::time_point refreshCycleStart_{};
    Pacer::Duration refreshCycleCost_{0};
    Steady::time_point nextTrackedRefresh_{};

    // During a full scan: when a notification's inspection of a key was sent. A scan batch sent
    // before it carries an older read, which must not overwrite the newer one (a key deleted
    // and re-created meanwhile would come back wrong, or not at all).
    bool scanning_ = false;
    long long sweepDbSize_ = -1;  // DBSIZE when the sweep in progress began, -1 unknown
    std::unordered_map<std::string, Steady::time_point> dirtySentAt_;

    // Keys that could not be read, read again with backoff; while any is pending (`retrying_`:
    // handed to the dirty queue, not read yet) the episode is open and was said once.
    std::unordered_set<std::string> unreadable_;
    std::unordered_set<std::string> retrying_;
    bool retryByRescan_ = false;  // too many to list: a full rescan instead
    Steady::time_point nextRetry_{};
    milliseconds retryBackoff_{250};
    std::string unreadableSaid_;  // the error the open episode was reported with

    // SCAN answered with a transient error: retried with backoff, said once per episode.
    std::string scanProblem_;
    milliseconds scanBackoff_{250};
    bool scanRefusalSaid_ = false;
    bool scanSawKeys_ = false;  // the last full scan listed at least one key

    Probe probe_ = Probe::Ping;
    bool configReadable_ = true;
    std::string flags_;    // notify-keyspace-events as last read
    std::string version_;  // redis_version of the server connected to ("" unknown)
    std::string lastCommandError_;
    mutable std::shared_ptr<const LockRules> rules_;  // those of the last context()
};

ClassifyContext InspectorThread::context() const {
    ClassifyContext ctx;
    ctx.wallNowMs = sh_.clock->wallMillis();
    ctx.now = sh_.clock->steadyNow();
    ctx.expiringSoon = options_.expiringSoon;
    ctx.lockscopeClientsByTag = clientsKnown_ ? &clients_ : nullptr;
    ctx.holderMayReconnect = [this, now = ctx.now](const KeyRecord& lock, const std::string& tag,
                                                   bool connected) {
        if (connected) {  // read again when it leaves the list
            keysByTag_[tag].insert(lock.key);
            return false;
        }
        const auto left = absentSince_.find(tag);
        const auto since = left != absentSince_.end() ? left->second : connectedAt_;
        const auto until =
            since + orphanWindow(lock.ttlMs, options_.clientListInterval + milliseconds(500));
        if (now >= until) return false;
        auto& at = judgeAt_[lock.key];
        at = std::max(at, until + milliseconds(100));
        return true;
    };
    ctx.lockscopeTagSeenBefore = [this, now = ctx.now](const KeyRecord& lock,
                                                       const std::string& tag) {
        if (!seenTags_.count(tag)) return false;
        // The same window as holderMayReconnect's, from the same moment.
        const auto left = absentSince_.find(tag);
        const auto since = left != absentSince_.end() ? left->second : connectedAt_;
        return now <
               since + orphanWindow(lock.ttlMs, options_.clientListInterval + milliseconds(500));
    };
    rules_ = sh_.rules();  // kept alive while the context is used
    ctx.rules = rules_.get();
    return ctx;
}

void InspectorThread::postStale(Staleness why) {
    InboxItem item{InboxItem::What::Stale, n_.index, epoch_, {}};
    item.stale = why;
    sh_.post(std::move(item));
}

void InspectorThread::post(std::vector<Inspected>&& inspected, bool fromScan, bool asking,
                           bool onNotification) {
    for (auto* in : {&inspector_, &rescanInspector_})
        for (auto& note : in->takeNotes()) sh_.message(n_.where() + ": " + note);
    if (inspected.empty()) return;
    InboxItem item{InboxItem::What::Records, n_.index, epoch_, {}};
    item.records.reserve(inspected.size());
    if (fromScan) item.dbSize = sweepDbSize_;
    ClassifyContext ctx = context();
    // A change is seen as it happens only where a notification named the key: a poll's read
    // (the tracked refresh, a lease end's read) finds a new value up to one poll period after it
    // was written, so its age from there is a lower bound, not exact (adv11d item 9: a token
    // changed under polling was shown "59 ms, exact").
    ctx.changeSeen = onNotification;
    Redirected moved, asked;
    std::vector<std::string> askHere;
    size_t unreadable = 0;
    std::string error;
    // A read is as old as its request: a TTL counts down from when the batch was sent, not from
    // when a loaded machine got round to classifying it (later would overstate what is left, and
    // an expiry would pass for a release).
    const auto clockNow = ctx.now;
    const auto realNow = std::chrono::steady_clock::now();
    for (auto& in : inspected) {
        auto& o = in.observation;
        ctx.now =
            clockNow - std::max(std::chrono::steady_clock::duration::zero(), realNow - in.askedAt);
        if (!retrying_.empty()) retrying_.erase(o.key);
        // A scan's read that a notification's read, sent later, has overtaken.
        if (fromScan && !dirtySentAt_.empty()) {
            auto d = dirtySentAt_.find(o.key);
            if (d != dirtySentAt_.end() && d->second > in.askedAt) continue;
        }
        if (o.type == "moved") {
            // MOVED for a key this node listed or was told about: it may be importing the slot
            // (it serves such keys after ASKING). Asked with ASKING, it is really elsewhere.
            tracked_.erase(o.key);
            if (asking)
                moved.emplace_back(std::move(o.key), std::move(o.movedTo));
            else
                askHere.push_back(std::move(o.key));
            continue;
        }
        if (o.type == "ask") {  // a slot in migration: the key is at the importing node now
            tracked_.erase(o.key);
            asked.emplace_back(std::move(o.key), std::move(o.movedTo));
            continue;
        }
        if (o.type == "unreadable") {
            ++unreadable;
            if (error.empty()) error = o.error;
            if (!retryByRescan_) {
                unreadable_.insert(o.key);
                // A whole node: one rescan does it (beyond the keys known here anyway).
                if (unreadable_.size() > 10000 + tracked_.size()) {
                    unreadable_.clear();
                    retryByRescan_ = true;
                }
            }
        }
        // Released (a del / expired event) since the last look: the store ends the hold then,
        // so a re-acquisition with the same value before this read is a new hold.
        bool created = false;
        if (o.type != "unreadable") {
            created = n_.takeCreated(o.key);
            if (auto released = n_.takeReleased(o.key)) {
                created = true;  // found again after a release: written since
                KeyRecord gone;
                gone.key = o.key;
                gone.state = LockState::Free;
                gone.observedAt = std::min(released->at, ctx.now);
                gone.expiredEvents = released->expired;
                item.records.push_back(std::move(gone));
            }
        }
        ctx.companions = in.companions;
        const bool written = o.type != "unreadable" && n_.takeWritten(o.key);
        // A fair lock read gone: its waiters may still be queued (read its queue now).
        if (!fairLocks_.empty() && o.type == "none" && fairLocks_.erase(o.key) > 0)
            n_.markDirty({redissonCompanionKey("redisson_lock_queue", o.key)});
        item.records.push_back(classify(std::move(o), ctx));
        item.records.back().readOnNotification = onNotification;
        item.records.back().created = created;
        // A `set` since the last look: written again, whatever the value (KeyState::reset).
        if (written && item.records.back().isLock()) item.records.back().reset = true;
        // Gone by the time the reply came: the latest time its TTL can be judged at.
        if (item.records.back().kind == Kind::Other && item.records.back().state == LockState::Free)
            item.records.back().observedAt = clockNow;
        const KeyRecord& r = item.records.back();
        if (r.stale == Staleness::Fresh) noteExpiry(r, ctx.now);
        followLeaseEnds(in, r, ctx.now, ctx.wallNowMs);
        if (r.isLock() && r.state == LockState::Unknown && r.format == Format::Identity) {
            auto [it, fresh] = unknownJudged_.try_emplace(r.key, r.number);
            if (fresh || it->second != r.number) {
                it->second = r.number;
                judgeAt_[r.key] =
                    ctx.now + std::chrono::seconds(kObserveHintSeconds) + milliseconds(250);
            }
        } else if (!unknownJudged_.empty()) {
            unknownJudged_.erase(r.key);
        }
        if (r.format == Format::Fair || r.format == Format::RedissonFairLock) {
            if (r.state != LockState::Free && fairLocks_.size() < 100000) fairLocks_.insert(r.key);
        } else if (!fairLocks_.empty() && r.kind != Kind::Other) {
            fairLocks_.erase(r.key);
        }
        // At full speed the refresh starts after the first inventory (refreshTracked): until
        // then the set would only cost memory (~75 bytes a key); the next rescan fills it.
        if (r.stale == Staleness::Fresh && (inventoried_ || !pacer_.unlimited())) {
            if (r.kind == Kind::Lock || r.kind == Kind::Counter) {
                tracked_.insert(r.key);
                if (!goneSince_.empty()) goneSince_.erase(r.key);
            } else if (r.kind == Kind::Other && r.state == LockState::Free &&
                       tracked_.count(r.key)) {
                // Gone (released, expired): read on for as long as the lock is shown free, so
                // a re-acquisition then is seen within a refresh — not when the next sweep
                // passes (adv11e: a 1200 ms lease re-set 100 ms after each expiry measured a
                // p50 of 695 ms, the start found up to a sweep period late).
                auto [at, first] = goneSince_.try_emplace(r.key, ctx.now);
                if (!first && ctx.now - at->second >= options_.freeLinger) {
                    tracked_.erase(r.key);
                    goneSince_.erase(at);
                }
            } else {
                tracked_.erase(r.key);
                if (!goneSince_.empty()) goneSince_.erase(r.key);
            }
        }
        if (in.fairQueue) followFairQueue(in, ctx, item.records);
    }
    if (!item.records.empty()) sh_.post(std::move(item));
    if (!askHere.empty()) n_.markAsking(std::move(askHere));
    if (!moved.empty()) {
        handOver(moved, false);
        sh_.requestRefresh();  // resharding or a failover changed the map
    }
    if (!asked.empty()) handOver(asked, true);
    noteUnreadable(unreadable, error);
}

// A fair lock's queue or timeout set was read (issue 14): its lock, if missing with live waiters,
// is listed from the queue (read again when the first waiter's deadline passes; polled, the queue
// is what the refresh reads, not the missing key); with none live it leaves; once its key exists
// again the key is read.
void InspectorThread::followFairQueue(const Inspected& in, const ClassifyContext& ctx,
                                      std::vector<KeyRecord>& records) {
    const FairQueueSeen& q = *in.fairQueue;
    const std::string queueKey = redissonCompanionKey("redisson_lock_queue", q.lock);
    auto lock = lockOfFairQueue(q, ctx);
    if (!lock) {
        if (queueOnly_.erase(q.lock) > 0) n_.markDirty({q.lock});
        return;
    }
    if (lock->isLock()) {
        queueOnly_.insert(q.lock);
        // Its first waiter's wait runs out: read the queue again then (it is not live after).
        const long long left = lock->number - ctx.wallNowMs;
        auto& at = judgeAt_[queueKey];
        const auto when = ctx.now + milliseconds(std::max(0LL, left) + 100);
        at = at == Steady::time_point{} ? when : std::min(at, when);
        if (lock->stale == Staleness::Fresh && (inventoried_ || !pacer_.unlimited())) {
            tracked_.erase(q.lock);
            tracked_.insert(queueKey);
        }
    } else {
        queueOnly_.erase(q.lock);
    }
    records.push_back(std::move(*lock));
}

// Keys a cluster node redirected: inspected on the node named in the redirect (with ASKING for an
// ASK). A key is never shown as gone on the word of a node that lost it; one redirected to a node
// not followed yet keeps its last state, marked stale, until the refreshed map adds that node and
// its scan finds it.
void InspectorThread::handOver(Redirected& keys, bool asking) {
    for (Node* other : sh_.nodeList()) {
        if (other == &n_ || other->retired.load()) continue;
        auto ep = other->endpoint();
        if (!ep) continue;
        const std::string addr = ep->tcp.display();
        std::vector<std::string> mine;
        for (auto& [key, to] : keys) {
            if (to != addr || key.empty()) continue;
            mine.push_back(std::move(key));
            key.clear();  // handed over
        }
        if (mine.empty()) continue;
        if (asking)
            other->markAsking(std::move(mine));
        else
            other->markDirty(std::move(mine));
    }
    InboxItem item{InboxItem::What::Records, n_.index, epoch_, {}};
    for (auto& [key, to] : keys) {
        if (key.empty()) continue;
        KeyRecord r;
        r.key = std::move(key);
        r.stale = Staleness::Redirect;
        r.observedAt = sh_.clock->steadyNow();
        item.records.push_back(std::move(r));
    }
    if (!item.records.empty()) {
        sh_.post(std::move(item));
        sh_.requestRefresh();
    }
}

// Said once per episode: which node, how many keys, the server's reason; and when it is over.
void InspectorThread::noteUnreadable(size_t count, const std::string& error) {
    if (count > 0) {
        if (nextRetry_ == Steady::time_point{} || unreadableSaid_.empty())
            nextRetry_ = Steady::now() + retryBackoff_;
        const std::string reason(stalenessName(stalenessOf(error)));
        if (unreadableSaid_ != reason) {
            sh_.message(n_.where() + ": cannot read " + std::to_string(count) + " key(s) (" +
                        firstLine(error, 120) +
                        "): showing their last known state, marked stale; reading them again");
            unreadableSaid_ = reason;
        }
        return;
    }
    if (!unreadableSaid_.empty() && unreadable_.empty() && retrying_.empty() && !retryByRescan_) {
        sh_.message(n_.where() + ": the keys that could not be read are readable again");
        unreadableSaid_.clear();
        retryBackoff_ = milliseconds(250);
        nextRetry_ = {};
    }
}

void InspectorThread::scheduleRetries() {
    if (unreadable_.empty() && !retryByRescan_) return;
    if (Steady::now() < nextRetry_) return;
    if (retryByRescan_) {
        retryByRescan_ = false;
        n_.rescanRequested = true;
    } else {
        std::vector<std::string> keys(unreadable_.begin(), unreadable_.end());
        retrying_.insert(keys.begin(), keys.end());
        unreadable_.clear();
        n_.markDirty(std::move(keys));
    }
    retryBackoff_ = std::min(retryBackoff_ * 2, milliseconds(1000));  // refused reads are cheap
    nextRetry_ = Steady::now() + retryBackoff_;
}

void InspectorThread::processDirty(redis::Connection& c) {
    while (!sh_.stopping.load()) {
        bool asking = true;
        // Not paced: the application's own writes set this pace (a storm needs the big batches).
        std::vector<std::string> keys = n_.takeAsking(options_.batchSize);
        if (keys.empty()) {
            asking = false;
            keys = n_.takeDirty(options_.batchSize);
        }
        if (keys.empty()) return;
        if (scanning_) {
            const auto now = Steady::now();
            for (const auto& k : keys) dirtySentAt_[k] = now;
        }
        // The key was just written: OBJECT IDLETIME would say 0, so it is not asked.
        post(rescanInspector_.inspect(c, keys, asking), false, asking, true);
    }
}

void InspectorThread::noteExpiry(const KeyRecord& r, Steady::time_point readAt) {
    // Only leases that end within kExpiryHorizon are scheduled: an entry costs ~130 bytes, and a
    // million locks with hour-long leases would add that to every tracked key (the inventory's
    // memory goal is 300 bytes a key). A longer lease is scheduled when a later read (a tracked
    // refresh without notifications, an event, a rescan) finds it within the horizon; until then
    // its expiry is what Redis's own `expired` event says.
    if (!r.isLock() || r.state == LockState::Free || r.ttlMs < 0 || r.ttlMs > kExpiryHorizonMs) {
        if (!expiryDue_.empty()) expiryDue_.erase(r.key);
        return;
    }
    // Redis drops a key once its clock is past the expiry: 3 ms after it (at least 5 ms from
    // this read, so a key read at TTL 0 is not read again in a tight loop).
    const auto due = readAt + std::max(milliseconds(r.ttlMs + 3), milliseconds(5));
    auto& at = expiryDue_[r.key];
    if (at == due) return;
    at = due;
    expiryQueue_.emplace(due, r.key);
    if (expiryQueue_.size() > 2 * expiryDue_.size() + 1024) {  // mostly superseded entries
        std::vector<DueKey> live;
        live.reserve(expiryDue_.size());
        for (const auto& [key, when] : expiryDue_) live.emplace_back(when, key);
        expiryQueue_ = decltype(expiryQueue_)(std::greater<>(), std::move(live));
    }
}

// Locks whose TTL has run out since they were read: read again (found gone, the store counts the
// expiry at the end of the TTL; still there, a renewal the events did not show, or a clock slip).
// Not charged to the polling budget, like processDirty: the applications' own locks set this
// pace (at most one read per lease that ends), and a busy server ends hundreds of leases a
// second. Charged, these reads took the whole budget: the pacer's debt grew for as long as the
// churn went on and the paced sweep stood still — after a graceful Sentinel failover the new
// master's keys written before the resubscription were not listed for minutes (the chaos soak's
// "failover not followed within 60 s"; test_monitor_sentinel followsAFailoverWhileLeasesEnd).
void InspectorThread::readExpired(redis::Connection& c) {
    const auto now = sh_.clock->steadyNow();
    std::vector<std::string> keys;
    while (!expiryQueue_.empty() && expiryQueue_.top().first <= now &&
           keys.size() < options_.batchSize) {
        auto [when, key] = expiryQueue_.top();
        expiryQueue_.pop();
        auto it = expiryDue_.find(key);
        if (it == expiryDue_.end() || it->second != when) continue;  // read again since
        expiryDue_.erase(it);
        keys.push_back(std::move(key));
    }
    if (keys.empty()) return;
    if (scanning_) {  // newer than any sweep batch in flight: the sweep's read must not win
        const auto t0 = Steady::now();
        for (const auto& k : keys) dirtySentAt_[k] = t0;
    }
    post(rescanInspector_.inspect(c, keys), false, false);
}

// Locks whose holder's absence was not yet evidence, read again once it is.
void InspectorThread::scheduleJudgements() {
    if (judgeAt_.empty()) return;
    const auto now = sh_.clock->steadyNow();
    std::vector<std::string> due;
    for (auto it = judgeAt_.begin(); it != judgeAt_.end();) {
        if (it->second <= now) {
            due.push_back(it->first);
            it = judgeAt_.erase(it);
        } else {
            ++it;
        }
    }
    if (!due.empty()) n_.markDirty(std::move(due));
}

// An expirable semaphore's permits end with their leases (the scores of its {k}:timeout set),
// which no write marks and no notification names: the key is read again just after the earliest
// lease still running ends, as the orphan judgements are (adv14e item 5: a permit whose lease
// ran out stayed "held" until the next sweep, its hold not recorded). An earlier re-read already
// due stays: that read schedules the next one.
void InspectorThread::followLeaseEnds(const Inspected& in, const KeyRecord& r,
                                      Steady::time_point now, long long wallNowMs) {
    if (r.format != Format::ExpirableSemaphore && r.format != Format::RedissonExpirableSemaphore)
        return;
    long long earliest = locks::kPermitNoLease;
    for (const auto& [id, until] : in.companions.primitive.permits)
        if (until > wallNowMs) earliest = std::min(earliest, until);
    if (earliest >= locks::kPermitNoLease) return;
    const auto due = now + milliseconds(earliest - wallNowMs) + milliseconds(50);
    auto [it, fresh] = judgeAt_.try_emplace(r.key, due);
    if (!fresh && due < it->second) it->second = due;
}

void InspectorThread::refreshClients(redis::Connection& c) {
    nextClientList_ = Steady::now() + options_.clientListInterval;
    auto reply = c.raw({"CLIENT", "LIST"});
    if (reply.isError() && !refusedForGood(reply.errorMessage())) {
        // BUSY, LOADING, MASTERDOWN...: not a refusal. The last list stays in use (the reads
        // that would use it fail the same way meanwhile) and is asked for again soon.
        nextClientList_ = Steady::now() + std::min(options_.clientListInterval, milliseconds(1000));
        return;
    }
    if (reply.isError()) {
        clientsKnown_ = false;
        if (!clientListWarned_)
            sh_.message(n_.where() + ": CLIENT LIST refused (" +
                        std::string(reply.errorMessage().substr(0, 100)) +
                        "): orphaned locks cannot be detected");
        clientListWarned_ = true;
        nextClientList_ = Steady::now() + milliseconds(60000);
        return;
    }
    auto now = lockscopeClientsFromClientList(reply.str());
    const auto at = sh_.clock->steadyNow();
    for (const auto& [tag, name] : clients_) {
        if (now.count(tag)) continue;
        absentSince_.try_emplace(tag, at);  // it just left: its locks are judged again
        if (auto keys = keysByTag_.find(tag); keys != keysByTag_.end()) {
            for (const auto& key : keys->second) judgeAt_[key] = at;
            keysByTag_.erase(keys);
        }
    }
    for (const auto& [tag, name] : now) {
        absentSince_.erase(tag);
        seenTags_[tag] = at;
    }
    // Holders gone for a day are forgotten (a process per CLI run would grow the map).
    std::erase_if(seenTags_, [&](const auto& t) { return at - t.second > std::chrono::hours(24); });
    clients_ = std::move(now);
    clientsKnown_ = true;
}

// Round 1 and SCAN on `scanConn`; everything else (follow-up rounds, live changes) on `work`.
// Sets when the next one is due: the interval after a complete scan, a backoff after a transient
// refusal.
void InspectorThread::fullScan(redis::Connection& scanConn, redis::Connection& work) {
    const auto started = Steady::now();
    ++epoch_;
    Inspector& inspector = inventoried_ ? rescanInspector_ : inspector_;
    const std::uint32_t generation = n_.generation.load();
    bool sawKeys = false;
    scanning_ = true;
    dirtySentAt_.clear();
    // Progress, for viewers: keys listed of DBSIZE (unknown with patterns: MATCH lists a part).
    long long dbSize = -1;
    if (options_.patterns.empty()) {
        auto size = work.raw({"DBSIZE"});
        if (size.isInteger()) dbSize = size.integer();
    }
    sweepDbSize_ = dbSize;
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        st.sweeping = true;
        st.sweptKeys = 0;
        st.dbSize = dbSize;
        st.sweepStartedWallMs = sh_.clock->wallMillis();
    });
    long long swept = 0;
    auto endSweep = [&] {
        scanning_ = false;
        dirtySentAt_.clear();
        sh_.editNode(n_.index, [&](NodeStatus& st) {
            st.sweeping = false;
            st.trackedKeys = static_cast<long long>(tracked_.size());
        });
    };
    ScanPace pace;
    if (!pacer_.unlimited())
        pace = [&](Pacer::Duration wall, int roundTrips) {
            return paceSweep(work, wall, roundTrips);
        };
    std::optional<std::string> refusal;
    try {
        refusal = scanAndInspect(
            scanConn, work, inspector, options_.patterns,
            pacer_.unlimited() ? options_.scanCount : batchSize(),
            [&](std::vector<Inspected>&& batch) {
                sawKeys = sawKeys || !batch.empty();
                swept += static_cast<long long>(batch.size());
                post(std::move(batch), true, false);
                sh_.editNode(n_.index, [&](NodeStatus& st) {
                    st.sweptKeys = swept;
                    st.trackedKeys = static_cast<long long>(tracked_.size());
                });
                processDirty(work);  // live changes keep flowing
                return sh_.alive(n_);
            },
            pace);
    } catch (...) {
        endSweep();
        throw;
    }
    endSweep();
    if (refusal) {
        if (refusedForGood(*refusal)) {
            n_.scanAllowed = false;
            if (!scanRefusalSaid_)
                sh_.message(n_.where() + ": SCAN refused (" + refusal->substr(0, 100) +
                            "): keys are discovered from keyspace notifications only (checked "
                            "again after a reconnect)");
            scanRefusalSaid_ = true;
            return;
        }
        // LOADING, BUSY, TRYAGAIN, CLUSTERDOWN...: not now. What this node showed stays, marked.
        if (scanProblem_.empty())
            sh_.message(n_.where() + ": SCAN answered " + firstLine(*refusal, 100) +
                        ": its keys are shown as last read, marked stale; scanning again with "
                        "backoff");
        scanProblem_ = *refusal;
        postStale(stalenessOf(*refusal));
        nextFullScan_ = Steady::now() + scanBackoff_;
        // A refused SCAN costs the server next to nothing; the cap bounds how long the view
        // stays stale after the server is back (a dataset loaded, a script ended).
        scanBackoff_ = std::min(scanBackoff_ * 2, milliseconds(1000));
        return;
    }
    if (sweepAborted_) {  // not complete: nothing it missed is gone
        sweepAborted_ = false;
        nextFullScan_ = Steady::now();
        return;
    }
    if (!sh_.alive(n_)) return;
    InboxItem done{InboxItem::What::ScanDone, n_.index, epoch_, {}};
    done.generation = generation;
    sh_.post(std::move(done));
    if (!scanProblem_.empty()) sh_.message(n_.where() + ": SCAN works again; rescanned");
    // A scan asked for by a resubscription ran although SCAN had been refused, and worked (the
    // right was granted back, and only the subscriber's connection was new): polling resumes.
    if (!n_.scanAllowed.load()) {
        n_.scanAllowed = true;
        scanRefusalSaid_ = false;
        sh_.message(n_.where() + ": SCAN is allowed again; discovery by scanning resumes");
    }
    scanProblem_.clear();
    scanBackoff_ = milliseconds(250);
    scanSawKeys_ = sawKeys;
    inventoried_ = true;
    lastScanTook_ = std::chrono::duration_cast<milliseconds>(Steady::now() - started);
    const milliseconds pause = scanInterval();  // not under editNode: it reads the status
    nextFullScan_ = Steady::now() + pause;
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        st.lastSweepWallMs = sh_.clock->wallMillis();
        st.lastSweepMs = lastScanTook_.count();
        st.sweepPeriodMs = (lastScanTook_ + pause).count();
    });
}

// After each batch of a sweep on a budget: charge what it cost, then, until the budget allows the
// next batch, keep the rest of the node's work going (live changes first, then the tracked keys'
// refresh, then the periodic checks). False when the monitor stops.
bool InspectorThread::paceSweep(redis::Connection& work, Pacer::Duration wall, int roundTrips) {
    charge(wall, roundTrips);
    while (sh_.alive(n_)) {
        processDirty(work);
        readExpired(work);
        refreshTracked(work);
        housekeeping(work);
        const auto now = Steady::now();
        if (n_.generation.load() != connectedGeneration_) {
            sweepAborted_ = true;  // the rest of it belongs to the new address
            return false;
        }
        if (pacer_.ready(now)) return true;
        std::unique_lock<std::mutex> lock(n_.dirtyMutex);
        auto wake = std::min({pacer_.readyAt(), nextPing_, nextConfigCheck_, nextClientList_,
                              nextCpuReading_, now + milliseconds(100)});
        wake = std::min({wake, trackedRefreshDue(), nextExpiry()});
        n_.dirtyCv.wait_until(lock, wake, [&] {
            return !sh_.alive(n_) || !n_.dirty.empty() || !n_.asking.empty() ||
                   n_.enableRequested.load();
        });
    }
    return false;
}

size_t InspectorThread::batchSize() const {
    return pacer_.unlimited() ? options_.batchSize
                              : std::min(options_.batchSize, options_.pacedBatchSize);
}

// Without live notifications, the keys known to be locks or counters are read again every
// trackedRefresh, on the budget and before discovery. A cycle that alone would take over half of
// the budget stretches the next one's start, so the sweep keeps at least the other half. At full
// speed (no budget) the first inventory goes first: its records are fresh anyway.
void InspectorThread::refreshTracked(redis::Connection& c) {
    const bool polling = sh_.polling(n_.index);
    if (!polling || tracked_.empty() || (pacer_.unlimited() && !inventoried_)) {
        refreshQueue_.clear();
        return;
    }
    if (refreshQueue_.empty()) {
        const auto now = Steady::now();
        if (now < nextTrackedRefresh_) return;
        refreshQueue_.assign(tracked_.begin(), tracked_.end());
        refreshCycleStart_ = now;
        refreshCycleCost_ = Pacer::Duration::zero();
    }
    while (!refreshQueue_.empty() && sh_.alive(n_) &&
           (pacer_.unlimited() || pacer_.readyAt() <= Steady::now() + kRefreshMayBorrow)) {
        std::vector<std::string> keys;
        const size_t take = std::min(refreshQueue_.size(), batchSize());
        keys.reserve(take);
        for (size_t i = 0; i < take; ++i) {
            // A key that went away meanwhile (a notification, the sweep) is not read again.
            if (tracked_.count(refreshQueue_.front()))
                keys.push_back(std::move(refreshQueue_.front()));
            refreshQueue_.pop_front();
        }
        if (keys.empty()) continue;
        const auto t0 = Steady::now();
        if (scanning_)  // newer than any sweep batch in flight: the sweep's read must not win
            for (const auto& k : keys) dirtySentAt_[k] = t0;
        rescanInspector_.takeRoundTrips();
        auto inspected = rescanInspector_.inspect(c, keys);
        charge(Steady::now() - t0, static_cast<int>(rescanInspector_.takeRoundTrips()),
               &refreshCycleCost_);
        post(std::move(inspected), false, false);
    }
    if (refreshQueue_.empty()) {
        const auto wholeCycle =
            std::chrono::duration_cast<milliseconds>(pacer_.wallFor(refreshCycleCost_ * 2));
        nextTrackedRefresh_ = refreshCycleStart_ + std::max(options_.trackedRefresh, wholeCycle);
    }
}

// A batch's cost to the server, charged to the budget: its round trips less the network, corrected
// by what the server's own CPU counters said about earlier batches.
void InspectorThread::charge(Pacer::Duration wall, int roundTrips, Pacer::Duration* total) {
    if (pacer_.unlimited()) return;
    const Pacer::Duration estimate =
        std::min<Pacer::Duration>(serverCost(wall, roundTrips, baseline_), kMaxBatchEstimate);
    calibration_.add(estimate);
    const Pacer::Duration cost = calibration_.corrected(estimate);
    pacer_.charge(cost, Steady::now());
    if (total) *total += cost;
}

void InspectorThread::readServerCpu(redis::Connection& c) {
    nextCpuReading_ = Steady::now() + milliseconds(1000);
    if (!cpuReadable_ || pacer_.unlimited()) return;
    auto info = c.raw({"INFO", "cpu"});
    if (info.isError() || !info.isString()) {
        if (info.isError() && refusedForGood(info.errorMessage())) cpuReadable_ = false;
        return;
    }
    if (const auto cpu = serverCpuSeconds(info.str()))
        calibration_.observe(*cpu);
    else
        cpuReadable_ = false;  // no numbers: nothing to learn from it
}

// The periodic checks of the main loop, also kept up during a long paced sweep.
void InspectorThread::housekeeping(redis::Connection& c) {
    const auto now = Steady::now();
    if (now >= nextCpuReading_) readServerCpu(c);
    // Asked once, wanted on every server this node becomes (a failover's promoted replica too).
    if (n_.enableRequested.exchange(false)) {
        enableWanted_ = true;
        enableNotifications(c);
    }
    if (now >= nextConfigCheck_) {
        readConfig(c, false);
        checkForFlush(c);
    }
    if (now >= nextClientList_) refreshClients(c);
    if (Steady::now() >= nextPing_) probe(c);
}

milliseconds InspectorThread::scanInterval() const {
    const bool live = !sh_.polling(n_.index);
    // A big keyspace is not rescanned more often than every 2 scan durations (polling) or 20
    // (safety net). On a budget, polling sweeps follow each other (each one paced), no more often
    // than pollInterval.
    milliseconds base = live ? options_.rescanInterval : options_.pollInterval;
    if (!live && !pacer_.unlimited()) return base;
    return std::max(base, lastScanTook_ * (live ? 20 : 2));
}

void InspectorThread::onConnected(redis::Connection& c, bool reconnect, bool repointed,
                                  Steady::time_point lostAt) {
    auto info = c.raw({"INFO"});
    std::string version, role;
    if (!info.isError() && info.isString()) {
        version = redis::infoField(info.str(), "redis_version");
        role = redis::infoField(info.str(), "role");
    }
    // Through a bastion, a reconnect may have needed a new SSH connection: said below.
    bool newTunnel = false;
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        newTunnel = reconnect && st.transport.tunnelId != 0 &&
                    st.transport.tunnelId != c.transport().tunnelId;
        st.transport = c.transport();
        st.link = NodeStatus::Link::Connected;
        st.endpoint = c.endpoint();
        st.version = version;
        st.role = role;
        version_ = version;
        if (reconnect) ++st.reconnects;
    });
    if (enableWanted_ && (reconnect || repointed)) n_.enableRequested = true;
    // The locks and counters known here missed whatever happened while the link was down: read
    // them again at once (their last state is shown stale meanwhile), not when a paced sweep
    // reaches them.
    if ((reconnect || repointed) && !tracked_.empty())
        n_.markDirty(std::vector<std::string>(tracked_.begin(), tracked_.end()));
    // What a refusal decided is checked again on a new connection (the ACL may have changed).
    n_.scanAllowed = true;
    scanRefusalSaid_ = false;
    // A new server (failover) or the same one after an outage: its holders may not be back yet.
    // Those connected until now were seen just now (seenTags_): their locks keep their format
    // while the holders follow.
    connectedAt_ = sh_.clock->steadyNow();
    for (const auto& [tag, name] : clients_) seenTags_[tag] = connectedAt_;
    clientsKnown_ = false;
    clients_.clear();
    absentSince_.clear();
    judgeAt_.clear();
    unknownJudged_.clear();
    keysByTag_.clear();
    probe_ = sh_.followsMaster() ? Probe::Role : Probe::Ping;
    configReadable_ = true;
    const std::string where = c.endpoint().display();
    if (reconnect && !repointed) {
        auto down = std::chrono::duration_cast<milliseconds>(Steady::now() - lostAt).count();
        sh_.message(where + ": reconnected after " + std::to_string(down) + " ms" +
                    (newTunnel ? " through a new SSH tunnel via " + c.transport().ssh +
                                     " (ssh pid " + std::to_string(c.transport().sshPid) + ")"
                               : "") +
                    "; resubscribing and rescanning");
    }
    readConfig(c, !reconnect || repointed);
}

// notify-keyspace-events, read at connect and every configCheckInterval: notifications switched
// off (or on) at run time change between polling and following live within that time, and the
// status says so.
void InspectorThread::readConfig(redis::Connection& c, bool initial) {
    nextConfigCheck_ = Steady::now() + options_.configCheckInterval;
    if (!configReadable_) return;
    const std::string where = c.endpoint().display();
    auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
    if (cfg.isError() || !cfg.isArray() || cfg.size() != 2) {
        if (cfg.isError() && !initial && !refusedForGood(cfg.errorMessage())) return;  // BUSY
        configReadable_ = false;
        n_.configKnown = false;
        sh_.editNode(n_.index, [&](NodeStatus& st) {
            st.canConfigure = false;
            st.notifyFlags.clear();
            if (st.notifications != NodeStatus::Notifications::Unavailable &&
                st.notifications != NodeStatus::Notifications::On)
                st.notifications = NodeStatus::Notifications::Unknown;
        });
        if (options_.subscribe && initial)
            sh_.message(where + ": cannot read notify-keyspace-events (" +
                        std::string(cfg.isError() ? cfg.errorMessage().substr(0, 80) : "?") +
                        "); subscribing anyway and, until events arrive, " + pollingText(options_));
        return;
    }
    const std::string flags(cfg[1].str());
    const bool changed = flags != flags_;
    flags_ = flags;
    n_.configKnown = true;
    const bool on = options_.subscribe && notificationsSufficient(flags);
    using N = NodeStatus::Notifications;
    N before = N::Unknown;
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        before = st.notifications;
        st.notifyFlags = flags;
        st.canConfigure = true;
        if (st.notifications != N::Unavailable) st.notifications = on ? N::On : N::Off;
    });
    if (!options_.subscribe || before == N::Unavailable) return;
    const auto& tcp = c.endpoint().tcp;
    if (initial) {
        if (!on)
            sh_.message(
                where + ": keyspace notifications are off (notify-keyspace-events is '" + flags +
                "'); " + pollingText(options_) + ". To follow live: redis-cli -h " + tcp.host +
                " -p " + std::to_string(tcp.port) + " CONFIG SET notify-keyspace-events " +
                withNeededNotificationFlags(flags, version_) + " (or enable them from LockScope)");
        return;
    }
    if (!changed) return;
    if (before == N::On && !on) {
        sh_.message(where +
                    ": keyspace notifications were switched off (notify-keyspace-events "
                    "is now '" +
                    flags + "'); " + pollingText(options_));
        n_.rescanRequested = true;  // what changed since they went away raised no event
    } else if (before != N::On && on) {
        sh_.message(where + ": keyspace notifications were switched on (notify-keyspace-events '" +
                    flags + "'); following them live");
        n_.rescanRequested = true;  // what changed before the first event
    }
}

// Without CLIENT TRACKING's word on FLUSHALL / FLUSHDB (no rights), an emptied keyspace is the
// sign: DBSIZE is one cheap command.
void InspectorThread::checkForFlush(redis::Connection& c) {
    if (n_.flushWatched.load() || !scanSawKeys_) return;
    auto size = c.raw({"DBSIZE"});
    if (!size.isInteger() || size.integer() != 0) return;
    scanSawKeys_ = false;
    sh_.message(n_.where() + ": the database is empty now (FLUSHALL / FLUSHDB?); rescanning");
    n_.rescanRequested = true;
}

void InspectorThread::enableNotifications(redis::Connection& c) {
    const std::string where = c.endpoint().display();
    auto cfg = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
    if (cfg.isError()) {
        sh_.message(where +
                    ": cannot enable keyspace notifications: " + std::string(cfg.errorMessage()));
        return;
    }
    std::string before(cfg.isArray() && cfg.size() == 2 ? cfg[1].str() : "");
    // Class n (Redis 7+) too: without it a lock taken while the first sweep had not reached its
    // key cannot be told from a renewal (adv11e item 1). A server that refuses it (older than
    // its INFO said, or INFO not allowed) is set without.
    std::string after = withNeededNotificationFlags(before, version_);
    auto set = c.raw({"CONFIG", "SET", "notify-keyspace-events", after});
    if (set.isError() && after != withNeededNotificationFlags(before)) {
        after = withNeededNotificationFlags(before);
        set = c.raw({"CONFIG", "SET", "notify-keyspace-events", after});
    }
    if (set.isError()) {
        sh_.editNode(n_.index, [](NodeStatus& st) { st.canConfigure = false; });
        sh_.message(where +
                    ": cannot enable keyspace notifications: " + std::string(set.errorMessage()));
        return;
    }
    auto now = c.raw({"CONFIG", "GET", "notify-keyspace-events"});
    std::string effective(now.isArray() && now.size() == 2 ? now[1].str() : after);
    flags_ = effective;  // the periodic check has nothing new to say about it
    sh_.editNode(n_.index, [&](NodeStatus& st) {
        st.notifyFlags = effective;
        st.notifications = NodeStatus::Notifications::On;
    });
    sh_.message(where + ": keyspace notifications enabled (notify-keyspace-events was '" + before +
                "', now '" + effective + "'" +
                (after.find('n') != std::string::npos && effective.find('n') == std::string::npos
                     ? ", class n included: Redis shows no n next to A"
                     : "") +
                ")");
}

// The liveness probe: ROLE where the master can move (it also tells a master that was demoted),
// else PING. One the ACL refuses is said once and replaced (ROLE by PING) or dropped — a dead
// server is still noticed by the next scan or inspection.
void InspectorThread::probe(redis::Connection& c) {
    bool& replicaReported = replicaReported_;
    nextPing_ = Steady::now() + milliseconds(1000);
    if (probe_ == Probe::None) return;
    const auto t0 = Steady::now();
    if (probe_ == Probe::Role) {
        auto role = c.raw({"ROLE"});
        if (role.isError()) {
            if (refusedForGood(role.errorMessage())) {
                sh_.message(c.endpoint().display() + ": ROLE refused (" +
                            firstLine(role.errorMessage(), 80) +
                            "): a demoted master is noticed through the " +
                            (sh_.target.kind == TargetKind::Cluster ? "slot map" : "Sentinels") +
                            " only");
                probe_ = Probe::Ping;
            }
            return;
        }
        const std::string r(role.isArray() && role.size() > 0 ? role[0].str() : "");
        if (r != "master") {
            if (!replicaReported)
                sh_.message(c.endpoint().display() + " is a " + (r == "slave" ? "replica" : r) +
                            " now: asking where the master went");
            replicaReported = true;
            sh_.requestRefresh();
        }
        sh_.editNode(n_.index, [&](NodeStatus& st) { st.role = r; });
    } else {
        auto pong = c.raw({"PING"});
        if (pong.isError()) {
            if (refusedForGood(pong.errorMessage())) {
                sh_.message(c.endpoint().display() + ": PING refused (" +
                            firstLine(pong.errorMessage(), 80) +
                            "): the round trip is not measured");
                probe_ = Probe::None;
                sh_.editNode(n_.index, [](NodeStatus& st) { st.latencyUs = -1; });
            }
            return;
        }
    }
    const Pacer::Duration rtt = Steady::now() - t0;
    if (baseline_ == Pacer::Duration::zero() || rtt < baseline_) baseline_ = rtt;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(rtt).count();
    sh_.editNode(n_.index, [&](NodeStatus& st) { st.latencyUs = us; });
}

void InspectorThread::run() {
    // Behind the subscriber: under a notification storm a late inspection costs a little
    // freshness, while a subscriber that falls behind is disconnected by the server
    // (client-output-buffer-limit pubsub) and loses events. Lowering one's own priority needs no
    // privilege; if refused, it just runs at normal priority.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
    std::optional<redis::Connection> conn;      // commands, live changes, follow-up rounds
    std::optional<redis::Connection> scanConn;  // SCAN + round 1 of inventories
    milliseconds backoff{100};
    bool everConnected = false;
    bool connectFailureReported = false;
    bool staleSaid = false;  // this node's records were marked stale for the lost connection
    bool repointed = false;
    Steady::time_point lostAt{};
    while (sh_.alive(n_)) {
        try {
            if (everConnected && n_.generation.load() != connectedGeneration_ && !repointed) {
                // The topology follower moved this node (a failover): reconnect there. It said so.
                conn.reset();
                scanConn.reset();
                lostAt = Steady::now();
                repointed = true;
                connectFailureReported = false;
            }
            if (!conn) {
                const std::uint32_t generation = n_.generation.load();  // before the address
                auto endpoint = n_.endpoint();
                if (!endpoint) {  // a Sentinel target before the first answer
                    sh_.sleepFor(milliseconds(20));
                    continue;
                }
                conn.emplace(*endpoint, sh_.connectOptions());
                scanConn.emplace(*endpoint, sh_.connectOptions());
                connectedGeneration_ = generation;
                onConnected(*conn, everConnected, repointed, lostAt);
                if (!everConnected)
                    sh_.editNode(n_.index, [](NodeStatus& st) { st.refused.reset(); });
                everConnected = true;
                repointed = false;
                replicaReported_ = false;
                baseline_ = Pacer::Duration::zero();  // another connection, maybe another route
                calibration_.reset();
                cpuReadable_ = true;
                connectFailureReported = false;
                staleSaid = false;
                backoff = milliseconds(100);
                nextFullScan_ = Steady::now();
                nextClientList_ = Steady::now();
                nextPing_ = Steady::now();
            }
            housekeeping(*conn);
            if (n_.rescanRequested.exchange(false) ||
                (n_.scanAllowed.load() && Steady::now() >= nextFullScan_))
                fullScan(*scanConn, *conn);
            scheduleRetries();
            scheduleJudgements();
            processDirty(*conn);
            readExpired(*conn);
            refreshTracked(*conn);
            std::unique_lock<std::mutex> lock(n_.dirtyMutex);
            auto wake = std::min({nextPing_, nextClientList_, nextConfigCheck_,
                                  n_.scanAllowed.load() ? nextFullScan_ : nextPing_});
            if (!unreadable_.empty() || retryByRescan_) wake = std::min(wake, nextRetry_);
            for (const auto& [key, at] : judgeAt_) wake = std::min(wake, at);
            wake = std::min({wake, nextExpiry(), trackedRefreshDue()});
            n_.dirtyCv.wait_until(lock, std::min(wake, Steady::now() + milliseconds(100)), [&] {
                return !sh_.alive(n_) || !n_.dirty.empty() || !n_.asking.empty() ||
                       n_.rescanRequested.load() || n_.enableRequested.load() ||
                       n_.generation.load() != connectedGeneration_;
            });
        } catch (const redis::Error& e) {
            const std::string where = conn ? conn->endpoint().display() : n_.where();
            if (conn && !e.breaksConnection()) {  // e.g. a command the ACL refuses: said once
                if (lastCommandError_ != e.what()) sh_.message(where + ": " + e.what());
                lastCommandError_ = e.what();
                sh_.sleepFor(milliseconds(1000));
                continue;
            }
            // A master that went away may have been replaced: ask at once.
            if (sh_.followsMaster()) sh_.requestRefresh();
            // Say it on the transitions only, not on every failed retry.
            if (conn) {
                sh_.message(where + ": connection lost (" + e.what() +
                            "); its keys are shown as last read, marked stale; reconnecting");
                lostAt = Steady::now();
            } else if ((!everConnected || repointed) && !connectFailureReported) {
                sh_.message(where + ": cannot connect (" + e.what() + "); retrying");
                connectFailureReported = true;
            }
            if (!conn && !everConnected &&
                (e.kind() == redis::ErrorKind::Auth ||
                 e.kind() == redis::ErrorKind::InvalidArgument))
                sh_.editNode(n_.index, [&](NodeStatus& st) { st.refused = e; });
            // Nothing of this node can be read now: what it showed is its last known state.
            if (everConnected && !staleSaid) {
                postStale(Staleness::Unreachable);
                staleSaid = true;
            }
            conn.reset();
            scanConn.reset();
            sh_.editNode(n_.index, [&](NodeStatus& st) {
                st.link =
                    everConnected ? NodeStatus::Link::Reconnecting : NodeStatus::Link::Connecting;
                st.latencyUs = -1;
            });
            // A repointed node reconnects at once; a lost one backs off.
            const std::uint32_t before = n_.generation.load();
            const auto until = Steady::now() + backoff;
            while (sh_.alive(n_) && Steady::now() < until && n_.generation.load() == before)
                std::this_thread::sleep_for(milliseconds(20));
            backoff = std::min(backoff * 2, kMaxBackoff);
        }
    }
    if (!n_.retired.load())
        sh_.editNode(n_.index, [](NodeStatus& st) { st.link = NodeStatus::Link::Stopped; });
}

// ---- the subscriber thread ----------------------------------------------------------------

class SubscriberThread {
public:
    SubscriberThread(SharedState& shared, Node& n) : sh_(shared), n_(n), options_(shared.options) {}

    void run();

private:
    // The hot path (hundreds of thousands of messages a second in a storm): events for viewers
    // are only built while the viewers' buffer has room.
    struct Received {
        std::vector<std::string> keys;
        std::vector<std::string> released;  // keys of del / evicted events
        std::vector<std::string> expired;   // keys of expired events
        std::vector<std::string> written;   // keys of set events
        std::vector<std::string> created;   // keys of new events (class n)
        std::vector<KeyEvent> events;
        size_t eventRoom = 0;
        unsigned long long notShown = 0;
        bool flushed = false;
    };
    void handleMessage(const redis::ReplyView& m, Received& r) const;
    void deliver(Received& r);
    bool watchFlushes(redis::Connection& sub);

    SharedState& sh_;
    Node& n_;
    const MonitorOptions& options_;
    std::string address_;  // where the subscription is (KeyEvent::nodeAddress)
};

std::string channelPattern(const redis::Endpoint& e, const std::string& pattern) {
    return "__keyspace@" + std::to_string(e.db) + "__:" + pattern;
}

constexpr std::string_view kInvalidateChannel = "__redis__:invalidate";

void SubscriberThread::handleMessage(const redis::ReplyView& m, Received& r) const {
    // message __redis__:invalidate <nil>: FLUSHALL / FLUSHDB (this connection reads no keys, so
    // CLIENT TRACKING has nothing else to invalidate).
    if (m.isArray() && m.size() == 3 && m[0].str() == "message" &&
        m[1].str() == kInvalidateChannel) {
        r.flushed = true;
        return;
    }
    // pmessage <pattern> <channel> <event>
    if (!m.isArray() || m.size() != 4 || m[0].str() != "pmessage") return;
    std::string_view channel = m[2].str();
    auto colon = channel.find("__:");
    if (colon == std::string_view::npos) return;
    r.keys.emplace_back(channel.substr(colon + 3));
    if (const std::string_view event = m[3].str(); event == "expired")
        r.expired.push_back(r.keys.back());
    else if (event == "del" || event == "evicted")
        r.released.push_back(r.keys.back());
    else if (event == "set")
        r.written.push_back(r.keys.back());
    else if (event == "new")
        r.created.push_back(r.keys.back());
    if (r.events.size() < r.eventRoom)
        r.events.push_back({0, n_.index, r.keys.back(), std::string(m[3].str()), address_});
    else
        ++r.notShown;
}

// Keyspace notifications say nothing about FLUSHALL / FLUSHDB; CLIENT TRACKING does (it
// invalidates everything, with a null key). Redirected to this connection, which reads no keys,
// that is all it ever sends. Must run before the first (P)SUBSCRIBE. False when not allowed.
bool SubscriberThread::watchFlushes(redis::Connection& sub) {
    auto id = sub.raw({"CLIENT", "ID"});
    if (!id.isInteger()) return false;
    auto on = sub.raw({"CLIENT", "TRACKING", "ON", "REDIRECT", id.integer()});
    if (on.isError()) return false;
    sub.send({"SUBSCRIBE", kInvalidateChannel});
    return !sub.receive().isError();
}

void SubscriberThread::deliver(Received& r) {
    if (r.flushed) {
        r.flushed = false;
        sh_.message(address_ + ": FLUSHALL / FLUSHDB on the server; rescanning now");
        n_.rescanRequested = true;
        n_.dirtyCv.notify_one();
    }
    if (r.keys.empty()) return;
    const long long wall = sh_.clock->wallMillis();
    n_.eventsTotal += r.keys.size();
    // Where notify-keyspace-events cannot be read, arriving events are the only sign they are on;
    // where it can, the inspector's periodic check decides.
    if (!n_.eventsSeen.exchange(true) && !n_.configKnown.load()) {
        bool wasOff = false;
        sh_.editNode(n_.index, [&](NodeStatus& st) {
            wasOff = st.notifications != NodeStatus::Notifications::On;
            st.notifications = NodeStatus::Notifications::On;
        });
        if (wasOff)
            sh_.message(n_.where() + ": keyspace notifications are arriving; following them live");
    }
    {
        std::lock_guard<std::mutex> g(n_.eventMutex);
        for (auto& e : r.events) {
            e.wallMs = wall;
            n_.eventBuffer.push_back(std::move(e));
        }
        n_.eventsNotShown += r.notShown;
    }
    if (!r.released.empty()) {
        n_.markReleased(r.released, sh_.clock->steadyNow());
        r.released.clear();
    }
    if (!r.expired.empty()) {
        n_.markReleased(r.expired, sh_.clock->steadyNow(), true);
        r.expired.clear();
    }
    if (!r.written.empty()) {
        n_.markWritten(r.written);
        r.written.clear();
    }
    if (!r.created.empty()) {
        if (!n_.newEventsSeen.exchange(true))
            sh_.editNode(n_.index, [](NodeStatus& st) { st.newEventsSeen = true; });
        n_.markCreated(r.created);
        r.created.clear();
    }
    // A synchroniser's companion written after its primary: the primary is recognisable only now
    // (a Redisson lock hash is a fair lock once a waiter queues: issue 14).
    for (size_t i = 0, named = r.keys.size(); i < named; ++i) {
        for (auto& primary : primitivePrimaryCandidates(r.keys[i]))
            r.keys.push_back(std::move(primary));
        for (auto& lock : fairQueueOwners(r.keys[i])) r.keys.push_back(std::move(lock));
    }
    n_.markDirty(std::move(r.keys));
    r.keys.clear();
    r.events.clear();
    r.notShown = 0;
}

void SubscriberThread::run() {
    milliseconds backoff{100};
    bool everSubscribed = false;
    std::uint32_t subscribedGeneration = 0;
    long long tunnelId = 0;  // the SSH connection subscribed through (0: none)
    std::vector<std::string> patterns = options_.patterns;
    if (patterns.empty()) patterns.push_back("*");
    while (sh_.alive(n_)) {
        std::string where = n_.where();
        try {
            const std::uint32_t generation = n_.generation.load();  // before the address
            auto endpoint = n_.endpoint();
            if (!endpoint) {
                sh_.sleepFor(milliseconds(20));
                continue;
            }
            where = endpoint->display();
            address_ = where;
            redis::ConnectOptions co = sh_.connectOptions();
            co.clientName = "lockscope-monitor-events";
            redis::Connection sub(*endpoint, co);
            n_.flushWatched = watchFlushes(sub);
            for (const auto& p : patterns) sub.send({"PSUBSCRIBE", channelPattern(*endpoint, p)});
            for (size_t i = 0; i < patterns.size(); ++i) sub.receive().throwIfError();
            backoff = milliseconds(100);
            // A tunnel that died was replaced by the connect: say so (the loss was said below).
            const auto& transport = sub.transport();
            if (everSubscribed && tunnelId != 0 && transport.tunnelId != tunnelId)
                sh_.message(where + ": resubscribed through a new SSH tunnel via " + transport.ssh +
                            " (ssh pid " + std::to_string(transport.sshPid) + ")");
            tunnelId = transport.tunnelId;
            // Changes made while we were not subscribed produced no events: rescan.
            if (everSubscribed) {
                n_.rescanRequested = true;
                n_.dirtyCv.notify_one();
            }
            // Another server (a failover): its notifications may be off; say when they arrive.
            if (everSubscribed && generation != subscribedGeneration) n_.eventsSeen = false;
            everSubscribed = true;
            subscribedGeneration = generation;
            sh_.editNode(n_.index, [](NodeStatus& st) { st.subscribed = true; });
            Received r;
            // Node-local events: when the topology follower moves this node, subscribe at its new
            // address.
            while (sh_.alive(n_) && n_.generation.load() == generation) {
                auto first = sub.receiveFor(milliseconds(200));
                if (!first) continue;
                {
                    std::lock_guard<std::mutex> g(n_.eventMutex);
                    r.eventRoom = options_.maxEventsPerUpdate -
                                  std::min(options_.maxEventsPerUpdate, n_.eventBuffer.size());
                }
                handleMessage(*first, r);
                // Drain what is already here, then hand it over under one lock.
                while (r.keys.size() < 8192) {
                    auto more = sub.receiveFor(milliseconds(0));
                    if (!more) break;
                    handleMessage(*more, r);
                }
                deliver(r);
            }
            sh_.editNode(n_.index, [](NodeStatus& st) { st.subscribed = false; });
        } catch (const redis::Error& e) {
            n_.flushWatched = false;
            bool wasUp = false;
            sh_.editNode(n_.index, [&](NodeStatus& st) {
                wasUp = st.subscribed;
                st.subscribed = false;
                if (wasUp) ++st.subscriptionDrops;
            });
            // The inspector reports a server that went away; a subscription dropped on its own
            // (client-output-buffer-limit pubsub, CLIENT KILL) is news of its own.
            if (wasUp && sh_.alive(n_))
                sh_.message(where + ": keyspace-notification subscription lost (" + e.what() +
                            "); resubscribing and rescanning");
            const auto k = e.kind();
            if (k == redis::ErrorKind::NoPermission || k == redis::ErrorKind::UnknownCommand) {
                sh_.editNode(n_.index, [](NodeStatus& st) {
                    st.notifications = NodeStatus::Notifications::Unavailable;
                });
                sh_.message(where + ": cannot subscribe to keyspace notifications (" + e.what() +
                            "); " + pollingText(options_));
                return;
            }
            // Connection problems are reported by the inspector thread; just retry (at once when
            // the node was moved meanwhile).
            const std::uint32_t before = n_.generation.load();
            const auto until = Steady::now() + backoff;
            while (sh_.alive(n_) && Steady::now() < until && n_.generation.load() == before)
                std::this_thread::sleep_for(milliseconds(20));
            backoff = std::min(backoff * 2, kMaxBackoff);
        }
    }
}

}  // namespace

void startNodeThreads(SharedState& shared, Node& n) {
    SharedState* sh = &shared;
    Node* node = &n;
    node->inspector = std::thread([sh, node] {
        setThreadName("ls-mon-insp/" + std::to_string(node->index));
        InspectorThread(*sh, *node).run();
    });
    if (shared.options.subscribe)
        node->subscriber = std::thread([sh, node] {
            setThreadName("ls-mon-sub/" + std::to_string(node->index));
            SubscriberThread(*sh, *node).run();
        });
}

void joinNodeThreads(Node& n) {
    n.dirtyCv.notify_all();
    if (n.inspector.joinable()) n.inspector.join();
    if (n.subscriber.joinable()) n.subscriber.join();
}

}  // namespace lockscope::monitor

// The one interface every lock strategy implements, and how to make one by id.
//
// Strategies (one file each, docs/seed-recipes.md#lock-strategies has the recipes and their
// hazards):
//   setnx-expire  setnx-getset  set-nx-px  heartbeat  redlock  reentrant  fenced  unsafe-del
// and the synchronisers in Redisson's layouts (docs/client-formats.md#synchronisers):
//   fair  read-write  semaphore  expirable-semaphore — permits and read holds are leases too, so
//   they are LockStrategies; `latch` is not (nobody holds a latch): it has its own small class
//   (latch.h) and only appears in the strategies table.
//
// Errors follow redis/error.h: connection failures throw redis::Error; "the lock is busy" and "you
// no longer own it" are ordinary results (nullopt, ReleaseResult::NotOwner, false), not errors.
//
// Thread contract: a strategy instance is used by one thread at a time (it owns its connections).
// Strategies that run background work (heartbeat beats, the reentrant watchdog) do it on their own
// thread with their own connection and stop it in their destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "locks/owner.h"
#include "locks/primitive_state.h"
#include "redis/connection.h"
#include "redis/url.h"
#include "util/clock.h"

namespace lockscope::locks {

using std::chrono::milliseconds;

// A lock held by this client.
struct Lease {
    std::string key;
    // What identifies the holder in Redis: the token (string locks), the hash field
    // "<uuid>:<threadId>" (reentrant), or the expiry timestamp written (setnx-getset).
    std::string token;
    milliseconds ttl{0};
    std::chrono::steady_clock::time_point acquiredAt;
    // Until when the holder may assume it still holds the lock (redlock subtracts elapsed time and
    // clock drift). Past this point, work under the lock is unsafe.
    std::chrono::steady_clock::time_point validUntil;
    std::optional<long long> fence;  // fenced: the fencing token to show the protected resource
    int nodesHeld = 1;               // redlock: on how many nodes the SET succeeded
    int holdCount = 1;               // reentrant: nested holds by this thread
};

enum class ReleaseResult {
    Released,   // the lock is gone
    StillHeld,  // reentrant: one nested hold released, the lock is still ours
    NotOwner,   // someone else holds it now: nothing was deleted
    NotHeld,    // nobody holds it (it expired): nothing was deleted
};
std::string_view releaseResultName(ReleaseResult r);

struct WaitOptions {
    milliseconds timeout{10000};  // give up after this long; 0 ms means a single try
    milliseconds minBackoff{1};   // first retry delay (before jitter)
    // Retry delays never exceed this. 10 ms, not the 100 ms some clients sleep blindly: with 8
    // contending waiters it cut the p99.9 wait from 57 to 32 ms and the worst from 290 to 60 ms
    // against a 50 ms cap, for ~5% fewer acquisitions/s (bench/lock_bench --max-backoff).
    milliseconds maxBackoff{10};
    const std::atomic<bool>* cancel = nullptr;  // checked between attempts; may be null
};

// Per-node view of a lock, for multi-node strategies.
struct NodeHolding {
    std::string node;  // Endpoint::display()
    bool reachable = true;
    std::optional<std::string> value;
    milliseconds ttl{-2};
};

// What Redis says about a lock key, as this strategy reads it.
struct LockInfo {
    bool held = false;
    std::string holder;    // token / field / value; "" when free
    milliseconds ttl{-2};  // -1: no TTL, -2: no such key
    int holdCount = 0;     // reentrant
    std::optional<long long> fence;
    int nodesHeld = 0;  // redlock: nodes holding the same value as the majority
    int nodesTotal = 1;
    std::vector<NodeHolding> nodes;  // redlock only
    std::string detail;  // one strategy-specific line for humans ("expires at ...", "beat 17")
    // fair, read-write, the semaphores: the queue, readers, permits (primitive_state.h).
    std::optional<PrimitiveState> primitive;
};

struct LockStats {
    std::uint64_t attempts = 0;  // acquisition attempts that reached Redis
    std::uint64_t acquisitions = 0;
    // set-nx-px with LockConfig::replicaAcks: grants given back because too few replicas
    // acknowledged them in time.
    std::uint64_t unreplicated = 0;
};

class LockStrategy {
public:
    virtual ~LockStrategy() = default;
    LockStrategy(const LockStrategy&) = delete;
    LockStrategy& operator=(const LockStrategy&) = delete;

    virtual std::string_view id() const = 0;

    // One attempt; nullopt when someone else holds the lock.
    virtual std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) = 0;
    // Retries tryAcquire with exponential backoff and jitter until it succeeds, the timeout passes
    // or `wait.cancel` is set. Strategies that can be woken (reentrant) override it.
    virtual std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                         const WaitOptions& wait = {});
    virtual ReleaseResult release(const Lease& lease) = 0;
    // Resets the lease to `ttl` if it is still ours; false otherwise. Strategies without a TTL to
    // extend throw redis::Error(InvalidArgument); check supportsExtend() first.
    virtual bool extend(Lease& lease, milliseconds ttl);
    virtual bool supportsExtend() const { return true; }
    virtual LockInfo inspect(std::string_view key) = 0;
    // fair, read-write: the Redisson instance UUID its hash fields and queue entries begin with
    // ("<uuid>:<threadId>"); "" for the others. A waiter that follows a failover makes its
    // strategy on the new master with this one (LockConfig::redissonInstanceId), so its queue
    // entry or writer's claim there is its own, not a second one.
    virtual std::string redissonInstance() const { return {}; }

    const LockStats& stats() const { return stats_; }

protected:
    LockStrategy() = default;
    LockStats stats_;
};

// Knobs of individual strategies. Defaults are what a user of the recipe would pick.
struct LockConfig {
    // set-nx-px, setnx-expire: how a release compares the token before deleting.
    enum class CompareVia { Lua, Watch };
    CompareVia compareVia = CompareVia::Lua;

    // heartbeat: the beat period is ttl / missedBeats; others take over after missedBeats
    // periods without a beat. autoBeat runs a beater thread while the lock is held.
    int missedBeats = 3;
    bool autoBeat = true;

    // redlock: validity = ttl - elapsed - (driftFactor * ttl + driftConstant).
    double driftFactor = 0.01;
    milliseconds driftConstant{2};
    milliseconds nodeTimeout{50};  // per-node reply timeout, small against the TTL

    // reentrant: lease used when acquire() is called with ttl 0 (watchdog mode), renewed every
    // watchdogTimeout / 3 while held. Redisson's default lockWatchdogTimeout is 30 s.
    milliseconds watchdogTimeout{30000};

    // set-nx-px: after a successful SET, WAIT until this many replicas acknowledged it (at most
    // replicaAckTimeout); with fewer, the attempt fails and the lock is given back (compare and
    // delete). Replication is asynchronous: a grant the replicas never saw is lost when a replica
    // is promoted, and granted again. WAIT narrows that window — it does not make a failover safe
    // (Sentinel may still promote a replica that did not acknowledge, and a timed-out WAIT leaves
    // the key written on the master). 0: off, the recipe as written.
    int replicaAcks = 0;
    milliseconds replicaAckTimeout{200};

    // fair: a waiter that has not renewed its place for this long counts as gone and drops out
    // of the queue, so a dead waiter blocks it for at most this long; live waiters renew every
    // waiterTimeout / 3. read-write: the same for a waiting writer's claim (writerPreference).
    milliseconds waiterTimeout{5000};

    // fair, read-write: the Redisson instance UUID to write under instead of a fresh one (""). A
    // waiter that moves to a new master after a failover keeps its identity with it
    // (acquireFollowing): its queue entry / writer's claim replicated there is reused, not
    // duplicated at the tail (adv14e item 3: every waiter showed twice and FIFO was lost).
    std::string redissonInstanceId;

    // read-write: what this instance acquires (a write lease's token ends in ":write"), and
    // whether a waiting writer stops new readers (true) or readers may always join readers
    // (false: Redisson's RReadWriteLock, where a steady stream of readers starves writers).
    enum class RwMode { Write, Read };
    RwMode rwMode = RwMode::Write;
    bool writerPreference = true;

    // semaphore, expirable-semaphore: the number of permits a semaphore is created with when it
    // does not exist yet (Redisson's trySetPermits); an existing one keeps its own.
    int permits = 1;

    // semaphore, expirable-semaphore, latch: a bare integer (no lockscope_meta record beside it)
    // is refused — it may be an application's counter (issue 14: a semaphore acquire decremented
    // one). Redisson's RSemaphore and RCountDownLatch keep no record either; true says the caller
    // knows this integer is one of them, and it is used as one (locks/kind_check.h).
    bool adoptBareCount = false;

    // Fault injection for demos and tests. setnx-expire calls it between SETNX and EXPIRE.
    std::function<void()> afterSetnx;
};

// Everything a strategy needs to create its connections.
struct LockContext {
    std::vector<redis::Endpoint> nodes;  // one server, or the independent nodes of a Redlock
    redis::ConnectOptions connect;       // the strategy sets clientName to owner.clientName()
    const Clock* clock = &systemClock();
    Owner owner = Owner::create();
    LockConfig config;
};

// What kind of primitive a strategy id names: what its holders share, what the demos protect.
enum class LockKind {
    Exclusive,  // one holder at a time
    ReadWrite,  // many readers or one writer (LockConfig::rwMode)
    Permits,    // up to N holders (LockConfig::permits)
    Latch,      // not a lock: counted down, waited for (latch.h); makeLockStrategy refuses it
};

std::string_view lockKindName(LockKind k);  // "exclusive", "read-write", "permits", "latch"

struct LockStrategyInfo {
    std::string_view id;
    std::string_view summary;  // one line for --help
    std::string_view hazard;   // what the demos show going wrong ("" for none)
    bool safe;                 // mutual exclusion holds without faults
    bool multiNode;            // needs --nodes
    LockKind kind = LockKind::Exclusive;
};

// A connection to context.nodes[node], named after the owner (CLIENT SETNAME) so a monitor can
// see whether the holder is still connected.
redis::Connection connectAsOwner(const LockContext& context, size_t node = 0);

std::span<const LockStrategyInfo> lockStrategies();
const LockStrategyInfo* findLockStrategy(std::string_view id);

// Throws redis::Error(InvalidArgument) for an unknown id (the message lists the known ones), and
// redis::Error from connecting.
std::unique_ptr<LockStrategy> makeLockStrategy(std::string_view id, LockContext context);

}  // namespace lockscope::locks

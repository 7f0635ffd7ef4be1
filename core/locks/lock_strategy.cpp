#include "locks/lock_strategy.h"

#include <thread>

#include "locks/backoff.h"
#include "locks/expirable_semaphore.h"
#include "locks/fair.h"
#include "locks/fenced.h"
#include "locks/heartbeat.h"
#include "locks/read_write.h"
#include "locks/redlock.h"
#include "locks/reentrant.h"
#include "locks/semaphore.h"
#include "locks/set_nx_px.h"
#include "locks/setnx_expire.h"
#include "locks/setnx_getset.h"
#include "locks/unsafe_del.h"
#include "redis/error.h"

namespace lockscope::locks {

std::string_view releaseResultName(ReleaseResult r) {
    switch (r) {
        case ReleaseResult::Released:
            return "released";
        case ReleaseResult::StillHeld:
            return "still-held";
        case ReleaseResult::NotOwner:
            return "not-owner";
        case ReleaseResult::NotHeld:
            return "not-held";
    }
    return "unknown";
}

std::string_view lockKindName(LockKind k) {
    switch (k) {
        case LockKind::Exclusive:
            return "exclusive";
        case LockKind::ReadWrite:
            return "read-write";
        case LockKind::Permits:
            return "permits";
        case LockKind::Latch:
            return "latch";
    }
    return "exclusive";
}

std::optional<Lease> LockStrategy::acquire(std::string_view key, milliseconds ttl,
                                           const WaitOptions& wait) {
    using Steady = std::chrono::steady_clock;
    const auto deadline = Steady::now() + wait.timeout;
    Backoff backoff(wait.minBackoff, wait.maxBackoff);
    while (true) {
        if (auto lease = tryAcquire(key, ttl)) return lease;
        const auto now = Steady::now();
        if (now >= deadline || (wait.cancel && wait.cancel->load())) return std::nullopt;
        std::this_thread::sleep_for(std::min<Steady::duration>(backoff.next(), deadline - now));
    }
}

bool LockStrategy::extend(Lease&, milliseconds) {
    throw redis::Error(redis::ErrorKind::InvalidArgument,
                       "strategy '" + std::string(id()) + "' has no TTL to extend");
}

redis::Connection connectAsOwner(const LockContext& context, size_t node) {
    redis::ConnectOptions options = context.connect;
    options.clientName = context.owner.clientName();
    return redis::Connection(context.nodes.at(node), options);
}

namespace {

constexpr LockStrategyInfo kStrategies[] = {
    {"setnx-expire", "SETNX then EXPIRE (two commands); release by WATCH/GET/MULTI/DEL compare",
     "a crash between SETNX and EXPIRE leaves a lock with no TTL, held forever", true, false},
    {"setnx-getset", "value = expiry timestamp; an expired lock is taken over with GETSET",
     "depends on client clocks agreeing; release checks the time, not the owner", true, false},
    {"set-nx-px", "SET key token NX PX ttl; release and extend compare the token (Lua)",
     "a holder paused past its TTL still believes it holds the lock", true, false},
    {"heartbeat", "holder beats a counter; others take over after N missed beats",
     "takeover latency vs. false takeover of a holder that is only paused", true, false},
    {"redlock", "SET NX PX on N independent masters, quorum N/2+1, validity minus drift",
     "a clock jump or a restart without persistence on one node makes two majorities", true, true},
    {"reentrant", "Redisson-compatible hash lock with hold counts, watchdog and unlock channel",
     "the watchdog keeps a hung (but alive) holder's lock forever", true, false},
    {"fenced", "set-nx-px plus a fencing token (INCR) the protected resource checks", "", true,
     false},
    {"unsafe-del", "SET NX PX, but released with a plain DEL",
     "deletes another client's lock after its own lease expired", false, false},
    // The synchronisers, in Redisson's layouts (docs/client-formats.md#synchronisers).
    {"fair",
     "FIFO lock (Redisson RFairLock layout): the queue's head is handed the lock by message",
     "a waiter that dies holds the queue up until its waiter timeout", true, false},
    {"read-write",
     "many readers or one writer (Redisson RReadWriteLock layout), reentrant, writers first",
     "with readers first (Redisson's own policy) a stream of readers starves the writers", true,
     false, LockKind::ReadWrite},
    {"semaphore", "N permits (Redisson RSemaphore layout): take with DECR, give back with INCR",
     "a permit has no owner and no lease: a crashed holder's permit never comes back", true, false,
     LockKind::Permits},
    {"expirable-semaphore",
     "N permits, each with its own lease (Redisson RPermitExpirableSemaphore layout)",
     "a holder paused past its lease loses its permit to another (N + 1 inside)", true, false,
     LockKind::Permits},
    {"latch", "countdown latch (Redisson RCountDownLatch layout): waiters block until it hits 0",
     "", true, false, LockKind::Latch},
};

}  // namespace

std::span<const LockStrategyInfo> lockStrategies() { return kStrategies; }

const LockStrategyInfo* findLockStrategy(std::string_view id) {
    for (const auto& s : kStrategies)
        if (s.id == id) return &s;
    return nullptr;
}

std::unique_ptr<LockStrategy> makeLockStrategy(std::string_view id, LockContext context) {
    const LockStrategyInfo* info = findLockStrategy(id);
    if (!info) {
        std::string known;
        for (const auto& s : kStrategies) known += (known.empty() ? "" : ", ") + std::string(s.id);
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "unknown lock strategy '" + std::string(id) + "'; known: " + known);
    }
    if (context.nodes.empty())
        throw redis::Error(redis::ErrorKind::InvalidArgument, "no Redis server given");
    if (info->kind == LockKind::Latch)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "'latch' is not a lock (nobody holds it): use `lockscope-cli latch` or "
                           "locks::CountDownLatch");
    if (!info->multiNode && context.nodes.size() > 1)
        throw redis::Error(
            redis::ErrorKind::InvalidArgument,
            "strategy '" + std::string(id) + "' uses one server; --nodes is for redlock");

    if (id == "set-nx-px") return std::make_unique<SetNxPxLock>(std::move(context));
    if (id == "setnx-expire") return std::make_unique<SetnxExpireLock>(std::move(context));
    if (id == "setnx-getset") return std::make_unique<SetnxGetsetLock>(std::move(context));
    if (id == "unsafe-del") return std::make_unique<UnsafeDelLock>(std::move(context));
    if (id == "fenced") return std::make_unique<FencedLock>(std::move(context));
    if (id == "redlock") return std::make_unique<RedlockLock>(std::move(context));
    if (id == "heartbeat") return std::make_unique<HeartbeatLock>(std::move(context));
    if (id == "reentrant") return std::make_unique<ReentrantLock>(std::move(context));
    if (id == "fair") return std::make_unique<FairLock>(std::move(context));
    if (id == "read-write") return std::make_unique<ReadWriteLock>(std::move(context));
    if (id == "semaphore") return std::make_unique<SemaphoreLock>(std::move(context));
    if (id == "expirable-semaphore")
        return std::make_unique<ExpirableSemaphoreLock>(std::move(context));
    // (each strategy file adds its line here)
    throw redis::Error(redis::ErrorKind::InvalidArgument,
                       "lock strategy '" + std::string(id) + "' is not built into this binary");
}

}  // namespace lockscope::locks

// `reentrant`: a Redisson RLock-compatible hash lock (seed 003 points at Redisson;
// docs/client-formats.md#format-reentrant), so LockScope, Java services and the monitor all read
// and write the same locks.
//
// Redis layout, exactly Redisson's (RedissonLock / LockPubSub):
//
//     <key>   hash, field "<instanceUUID>:<threadId>" → hold count, PEXPIRE <lease ms> on the key
//     unlock  PUBLISH "redisson_lock__channel:{<key>}" "0"   (UNLOCK_MESSAGE; Redisson's
//             prefixName() drops the braces when the key already contains '{')
//
// Instance UUID: a random v4 UUID whose FIRST 8 hex digits are replaced by context.owner.tag, e.g.
//
//     1a2b3c4d-9f0e-4c1d-8a7b-5e6f70819a2b:48213
//     ^^^^^^^^ owner.tag     (threadId = the OS thread id, gettid(); Redisson uses Java's)
//
// The field still matches Redisson's format, and the connections are named owner.clientName()
// ("lockscope:<host>:<pid>:<tag>"), so a monitor can match a field to a live client by that tag
// and flag orphaned locks. Hold counts are per (instance, OS thread), as in Redisson.
//
// Leases: ttl > 0 is a fixed lease, never renewed. ttl == 0 is Redisson's watchdog mode (lock()
// without leaseTime): the lease is config.watchdogTimeout, renewed every watchdogTimeout / 3 by a
// watchdog thread while the lock is held; renewal stops at the last release() or when the instance
// is destroyed (without releasing: the lease then runs out, as when a JVM dies).
//
// Hazard the demos show: the watchdog keeps a hung-but-alive holder's lock forever. A thread
// deadlocked inside its critical section never releases, and its process keeps renewing; only a
// dead process (or a destroyed instance) lets the lease run out.
//
// Blocking acquire() waits for the unlock message on a dedicated subscriber connection (subscribed
// before the first try, so no release is missed), re-trying only when a message arrives or the
// holder's lease would have run out — waiters are woken, they do not poll.
//
// Not carried over from Redisson: the "redisson_unlock_latch" key newer versions write so that a
// retried unlock is idempotent (LockScope never retries a command, redis/error.h), and fair /
// read-write locks.
//
// Thread contract: see LockStrategy; an instance may be handed from thread to thread, and each
// thread holds under its own field. The watchdog thread has its own connection, catches its own
// errors (watchdogErrors()) and is stopped by the destructor.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class ReentrantLock final : public LockStrategy {
public:
    explicit ReentrantLock(LockContext context);
    ~ReentrantLock() override;

    std::string_view id() const override { return "reentrant"; }
    // ttl 0 = watchdog mode (see above). Lease.token = the hash field, Lease.holdCount = the count
    // after this acquisition.
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    // Released (count reached 0: deleted, unlock message published), StillHeld (a nested hold),
    // NotHeld (the key is gone), NotOwner (someone else holds it).
    ReleaseResult release(const Lease& lease) override;
    // PEXPIRE if our field is still there; ttl 0 means config.watchdogTimeout.
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

    // "<instanceUUID>" and "<instanceUUID>:<gettid()>" of the calling thread.
    const std::string& instanceId() const { return instanceId_; }
    std::string fieldForThisThread() const;
    // Redisson's unlock channel for `key`.
    static std::string unlockChannel(std::string_view key);

    // Watchdog-mode leases whose renewal found the field gone (expired or force-released), and
    // errors caught on the watchdog thread (renewal is retried next period).
    std::uint64_t lostLeases() const;
    std::uint64_t watchdogErrors() const;

private:
    struct Watched {
        bool releasing = false;  // a release() is in flight: a failed renewal is not a loss
    };

    std::optional<Lease> attempt(std::string_view key, milliseconds ttl, milliseconds* pttl);
    milliseconds leaseFor(milliseconds ttl) const;
    redis::Connection& subscriber();
    void unsubscribe(const std::string& channel) noexcept;
    void watchdogLoop() noexcept;

    LockContext context_;
    std::string instanceId_;
    redis::Connection conn_;
    std::optional<redis::Connection> subscriber_;  // SUBSCRIBEd only inside acquire()

    // Shared with the watchdog thread.
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::pair<std::string, std::string>, Watched> watched_;  // (key, field)
    std::uint64_t lostCount_ = 0;
    std::uint64_t watchdogErrors_ = 0;
    std::thread watchdog_;
};

}  // namespace lockscope::locks

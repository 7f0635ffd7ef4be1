// `expirable-semaphore`: N permits, each with its own lease, in Redisson's
// RPermitExpirableSemaphore layout (docs/client-formats.md#format-expirable-semaphore):
//
//     <key>                  string  the permits free now
//     {<key>}:timeout        zset    permit id → epoch ms when its lease runs out
//     lockscope_meta:{<key>} hash    {kind: expirable-semaphore, size: N} (LockScope's record)
//     PUBLISH "redisson_sc:{<key>}" <permits free now> whenever permits come back
//
// Every acquisition first gives back the permits whose lease ran out, then takes one and records
// its lease (server time + ttl); release() removes it and wakes the waiters; extend() renews a
// lease that has not run out (Redisson's updateLeaseTime). So a crashed holder's permit comes back
// once its lease ends — the cure for `semaphore`'s leak. A waiter sleeps on the channel, and
// until the nearest lease's end when permits are all taken (a dead holder publishes nothing).
//
// Permit ids: LockScope's token (lockscope:expirable-semaphore:<host>:<pid>:<tag>:<nonce>), so the
// monitor can say whose a permit is; Redisson's are 16 random bytes. Where this differs from
// Redisson: lease times are the server's clock (Redisson's come from each client's), every
// expired lease is reclaimed at once (Redisson: as many as asked for), and ttl 0 is refused
// (Redisson's "no lease" permits are shown, never taken).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/lock_strategy.h"
#include "locks/wake_channel.h"

namespace lockscope::locks {

class ExpirableSemaphoreLock final : public LockStrategy {
public:
    explicit ExpirableSemaphoreLock(LockContext context);

    std::string_view id() const override { return "expirable-semaphore"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    // Released; NotHeld when the lease had run out (the permit was, or is now, given back).
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

private:
    struct Attempt {
        std::optional<Lease> lease;
        long long retryMs = -1;  // until the nearest lease ends; -1: only a release will tell
    };
    Attempt attempt(std::string_view key, milliseconds ttl);

    LockContext context_;
    redis::Connection conn_;
    WakeChannel wake_;
};

}  // namespace lockscope::locks

// `setnx-getset` (seed 000, recipe 2: docs/seed-recipes.md#seed-000-2-getset-expiry): the value is
// the lock's expiry time, written by the client from its own wall clock (ms since the epoch); the
// key has no Redis TTL. A waiter that reads an expiry in the past takes the lock over with GETSET,
// and owns it only if GETSET returned that same expired value (another waiter's GETSET may have got
// there first).
//
// Kept as the flawed historical recipe, as the seed wrote it:
//  - it depends on every client's clock: a client whose clock runs ahead sees a live lock as
//    expired and takes it over while the holder still works (demo: clock-skew);
//  - release checks the time, not the owner: a holder whose lease was taken over still deletes
//    the new holder's lock, because the (new) expiry is in the future;
//  - the losing waiter's GETSET overwrites the winner's expiry with its own.
// Differences from the seed's Python: timestamps are integer milliseconds, and the takeover
// compares GETSET's answer with the value it saw (the seed's listing lost that comparison).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class SetnxGetsetLock final : public LockStrategy {
public:
    explicit SetnxGetsetLock(LockContext context);
    std::string_view id() const override { return "setnx-getset"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

private:
    Lease makeLease(std::string_view key, milliseconds ttl, long long expiresMs) const;

    LockContext context_;
    redis::Connection conn_;
};

}  // namespace lockscope::locks

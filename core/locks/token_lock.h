// The common half of the single-server locks whose value is a LockScope token (set-nx-px,
// setnx-expire, fenced, unsafe-del): one owned connection, leases that carry a fresh token,
// extend by token compare (compare-and-PEXPIRE), inspect by GET + PTTL, and release by token
// compare (Lua, or WATCH when LockConfig::compareVia says so). Each strategy writes only what
// makes it itself: how it takes the lock, and where it releases differently.
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class TokenLock : public LockStrategy {
public:
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

protected:
    explicit TokenLock(LockContext context);
    // A lease for `key` with a fresh token of this strategy, started now (counts an attempt).
    Lease beginAttempt(std::string_view key, milliseconds ttl);
    // Marks `lease` as acquired: valid for its TTL from when the attempt started.
    Lease acquired(Lease lease);

    LockContext context_;
    redis::Connection conn_;
};

}  // namespace lockscope::locks

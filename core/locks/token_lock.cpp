#include "locks/token_lock.h"

#include "locks/compare.h"

namespace lockscope::locks {

TokenLock::TokenLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {}

Lease TokenLock::beginAttempt(std::string_view key, milliseconds ttl) {
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    ++stats_.attempts;
    return lease;
}

Lease TokenLock::acquired(Lease lease) {
    lease.validUntil = lease.acquiredAt + lease.ttl;
    ++stats_.acquisitions;
    return lease;
}

ReleaseResult TokenLock::release(const Lease& lease) {
    return compareAndDelete(conn_, context_.config.compareVia, lease.key, lease.token);
}

bool TokenLock::extend(Lease& lease, milliseconds ttl) {
    auto now = context_.clock->steadyNow();
    if (!compareAndExpire(conn_, lease.key, lease.token, ttl)) return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo TokenLock::inspect(std::string_view key) { return inspectStringLock(conn_, key); }

}  // namespace lockscope::locks

#include "locks/setnx_expire.h"

#include "locks/compare.h"

namespace lockscope::locks {

SetnxExpireLock::SetnxExpireLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {}

std::optional<Lease> SetnxExpireLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    ++stats_.attempts;
    if (conn_.command({"SETNX", key, lease.token}).integer() == 0) return std::nullopt;
    // The window this recipe is known for: until the next command lands, the lock has no TTL.
    if (context_.config.afterSetnx) context_.config.afterSetnx();
    // PEXPIRE rather than the seed's EXPIRE (seconds) so every strategy takes the same ms TTL;
    // the hazard is the gap between the commands, not the unit.
    conn_.command({"PEXPIRE", key, ttl.count()});
    lease.validUntil = lease.acquiredAt + ttl;
    ++stats_.acquisitions;
    return lease;
}

ReleaseResult SetnxExpireLock::release(const Lease& lease) {
    return compareAndDeleteWatch(conn_, lease.key, lease.token);
}

bool SetnxExpireLock::extend(Lease& lease, milliseconds ttl) {
    auto now = context_.clock->steadyNow();
    if (!compareAndExpire(conn_, lease.key, lease.token, ttl)) return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo SetnxExpireLock::inspect(std::string_view key) {
    LockInfo info = inspectStringLock(conn_, key);
    if (info.held && info.ttl.count() == -1)
        info.detail = "no TTL: the holder died between SETNX and EXPIRE, or has not set it yet";
    return info;
}

}  // namespace lockscope::locks

#include "locks/setnx_expire.h"

#include "locks/compare.h"

namespace lockscope::locks {

std::optional<Lease> SetnxExpireLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease = beginAttempt(key, ttl);
    if (conn_.command({"SETNX", key, lease.token}).integer() == 0) return std::nullopt;
    // The window this recipe is known for: until the next command lands, the lock has no TTL.
    if (context_.config.afterSetnx) context_.config.afterSetnx();
    // PEXPIRE rather than the seed's EXPIRE (seconds) so every strategy takes the same ms TTL;
    // the hazard is the gap between the commands, not the unit.
    conn_.command({"PEXPIRE", key, ttl.count()});
    return acquired(std::move(lease));
}

ReleaseResult SetnxExpireLock::release(const Lease& lease) {
    return compareAndDeleteWatch(conn_, lease.key, lease.token);
}

LockInfo SetnxExpireLock::inspect(std::string_view key) {
    LockInfo info = TokenLock::inspect(key);
    if (info.held && info.ttl.count() == -1)
        info.detail = "no TTL: the holder died between SETNX and EXPIRE, or has not set it yet";
    return info;
}

}  // namespace lockscope::locks

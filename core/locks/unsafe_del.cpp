#include "locks/unsafe_del.h"

#include "locks/compare.h"

namespace lockscope::locks {

UnsafeDelLock::UnsafeDelLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {}

std::optional<Lease> UnsafeDelLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    ++stats_.attempts;
    if (conn_.command({"SET", key, lease.token, "NX", "PX", ttl.count()}).isNil())
        return std::nullopt;
    lease.validUntil = lease.acquiredAt + ttl;
    ++stats_.acquisitions;
    return lease;
}

ReleaseResult UnsafeDelLock::release(const Lease& lease) {
    return conn_.command({"DEL", lease.key}).integer() == 1 ? ReleaseResult::Released
                                                            : ReleaseResult::NotHeld;
}

bool UnsafeDelLock::extend(Lease& lease, milliseconds ttl) {
    auto now = context_.clock->steadyNow();
    if (conn_.command({"PEXPIRE", lease.key, ttl.count()}).integer() != 1) return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo UnsafeDelLock::inspect(std::string_view key) { return inspectStringLock(conn_, key); }

}  // namespace lockscope::locks

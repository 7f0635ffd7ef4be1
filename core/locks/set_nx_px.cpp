#include "locks/set_nx_px.h"

#include "locks/compare.h"

namespace lockscope::locks {

SetNxPxLock::SetNxPxLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {}

std::optional<Lease> SetNxPxLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    ++stats_.attempts;
    auto reply = conn_.command({"SET", key, lease.token, "NX", "PX", ttl.count()});
    if (reply.isNil()) return std::nullopt;
    lease.validUntil = lease.acquiredAt + ttl;
    ++stats_.acquisitions;
    return lease;
}

ReleaseResult SetNxPxLock::release(const Lease& lease) {
    return compareAndDelete(conn_, context_.config.compareVia, lease.key, lease.token);
}

bool SetNxPxLock::extend(Lease& lease, milliseconds ttl) {
    auto now = context_.clock->steadyNow();
    if (!compareAndExpire(conn_, lease.key, lease.token, ttl)) return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo SetNxPxLock::inspect(std::string_view key) { return inspectStringLock(conn_, key); }

}  // namespace lockscope::locks

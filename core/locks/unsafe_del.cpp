#include "locks/unsafe_del.h"

namespace lockscope::locks {

std::optional<Lease> UnsafeDelLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease = beginAttempt(key, ttl);
    if (conn_.command({"SET", key, lease.token, "NX", "PX", ttl.count()}).isNil())
        return std::nullopt;
    return acquired(std::move(lease));
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

}  // namespace lockscope::locks

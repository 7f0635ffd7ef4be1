#include "locks/set_nx_px.h"

namespace lockscope::locks {

std::optional<Lease> SetNxPxLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease = beginAttempt(key, ttl);
    if (conn_.command({"SET", key, lease.token, "NX", "PX", ttl.count()}).isNil()) return std::nullopt;
    return acquired(std::move(lease));
}

}  // namespace lockscope::locks

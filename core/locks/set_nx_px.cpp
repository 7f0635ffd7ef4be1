#include "locks/set_nx_px.h"

#include "locks/compare.h"

namespace lockscope::locks {

std::optional<Lease> SetNxPxLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease = beginAttempt(key, ttl);
    if (conn_.command({"SET", key, lease.token, "NX", "PX", ttl.count()}).isNil())
        return std::nullopt;
    const auto& cfg = context_.config;
    if (cfg.replicaAcks > 0) {
        // Not acknowledged by enough replicas in time: a failover now would forget this grant.
        const long long acks =
            conn_.command({"WAIT", cfg.replicaAcks, cfg.replicaAckTimeout.count()}).integer();
        if (acks < cfg.replicaAcks) {
            ++stats_.unreplicated;
            compareAndDelete(conn_, cfg.compareVia, key, lease.token);
            return std::nullopt;
        }
    }
    return acquired(std::move(lease));
}

}  // namespace lockscope::locks

#include "actions/lease_resolver.h"

#include <algorithm>

#include "redis/cluster.h"

namespace lockscope::actions {

locks::LeaseKeeper::Resolver leaseResolver(const monitor::MonitorTarget& target,
                                           const std::string& key,
                                           const redis::ConnectOptions& given) {
    // Asked before every renewal: a Sentinel or seed that hangs must not eat the lease (the
    // keeper falls back to the node it knows when nobody answers in time).
    redis::ConnectOptions options = given;
    options.connectTimeout = std::min(options.connectTimeout, std::chrono::milliseconds(1000));
    options.commandTimeout = std::min(options.commandTimeout, std::chrono::milliseconds(1000));
    switch (target.kind) {
        case monitor::TargetKind::Sentinel:
            return [target, options] { return monitor::resolve(target, options).nodes; };
        case monitor::TargetKind::Cluster:
            return [target, key, options]() -> std::vector<redis::Endpoint> {
                const auto resolved = monitor::resolve(target, options);
                if (const auto* m = resolved.map.ownerOf(redis::keyHashSlot(key)))
                    return {target.dataEndpoint(m->address)};
                return {};
            };
        case monitor::TargetKind::Single:
        case monitor::TargetKind::Group:
            break;
    }
    return {};
}

}  // namespace lockscope::actions

#include "actions/lease_resolver.h"

#include "redis/cluster.h"

namespace lockscope::actions {

locks::LeaseKeeper::Resolver leaseResolver(const monitor::MonitorTarget& target,
                                           const std::string& key,
                                           const redis::ConnectOptions& options) {
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

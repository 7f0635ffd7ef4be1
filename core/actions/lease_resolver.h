// Where a held lease's key lives now, asked anew at every renewal (locks/lease_keeper.h): for a
// Sentinel group the master the Sentinels name (monitor::resolve, the one resolver every part of
// LockScope uses), for a cluster the master serving the key's slot. One server and Redlock groups
// do not move: no resolver.
//
// Thread contract: the returned function does blocking I/O on the caller's thread.
#pragma once

#include <string>

#include "locks/lease_keeper.h"
#include "monitor/target.h"

namespace lockscope::actions {

locks::LeaseKeeper::Resolver leaseResolver(const monitor::MonitorTarget& target,
                                           const std::string& key,
                                           const redis::ConnectOptions& options);

}  // namespace lockscope::actions

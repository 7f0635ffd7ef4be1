// A Redisson fair lock's waiting queue (RFairLock): the waiters in order from
// redisson_lock_queue:{name}, each with the time its wait runs out from
// redisson_lock_timeout:{name} (a sorted set scored by that time, epoch ms; Redisson drops a waiter
// past it). Read on demand by the views that show a record — not kept per record: the engine tracks
// a million of them.
//
// Thread contract: stateless functions over the caller's connection.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "redis/connection.h"

namespace lockscope::monitor {

struct FairWaiter {
    std::string id;                        // "<uuid>:<threadId>"
    std::optional<long long> timeoutAtMs;  // epoch ms; nullopt: not in the timeout set
};

// Redisson's prefixName(): a name with a hash tag is used as it is, others are braced.
std::string redissonCompanionKey(std::string_view prefix, std::string_view name);
// At most `max` waiters, in queue order (one round trip). Throws redis::Error like any command.
std::vector<FairWaiter> readFairQueue(redis::Connection& c, const std::string& name,
                                      size_t max = 200);

}  // namespace lockscope::monitor

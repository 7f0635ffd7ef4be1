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
// The waiters from the replies of LRANGE on the queue and ZRANGE … WITHSCORES on the timeout set.
std::vector<FairWaiter> parseFairQueue(const redis::Reply& queue, const redis::Reply& timeouts);

// A fair lock's queue seen without its lock (issue 14): between a release and the head's grant,
// or after a holder's lease ran out while others wait, `redisson_lock_queue:{k}` holds waiters
// while `k` is missing. The scan sees the queue and its timeout set (they are keys of their own);
// the inspector reads, for each of them, whether the lock's key exists and the waiters — one
// pipelined round trip for the batch's queue keys, none for any other key.
struct FairQueueSeen {
    std::string lock;  // the lock's key
    bool lockExists = false;
    std::vector<FairWaiter> waiters;  // in queue order
};
// The lock names a companion key `redisson_lock_queue:…` / `redisson_lock_timeout:…` may belong
// to (Redisson's prefixName braces a name without a tag: "{a}" is the companion of "a" or of a
// name "{a}" itself; the first is listed). Empty for other keys.
std::vector<std::string> fairQueueOwners(std::string_view companionKey);
// Waiters whose wait has not run out at `wallNowMs` (a waiter past its deadline, or without one,
// is dropped by the next acquire: not live).
size_t liveWaiters(const std::vector<FairWaiter>& waiters, long long wallNowMs);

}  // namespace lockscope::monitor

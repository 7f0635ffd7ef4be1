// Redisson's naming rules, one copy, for the strategies that share Redisson's layouts (reentrant,
// fair, read-write, the semaphores, the latch): RedissonObject.prefixName / suffixName, and the
// "<instanceUUID>:<threadId>" identity of a lock holder.
//
//   prefixName("redisson_lock_queue", "a")    = "redisson_lock_queue:{a}"
//   prefixName("redisson_lock_queue", "{o}:7") = "redisson_lock_queue:{o}:7"   (a tag is kept)
//   suffixName("a", "timeout")                = "{a}:timeout"
//   suffixName("{o}:7", "timeout")            = "{o}:7:timeout"
//
// Either way every companion key hashes to the slot of the lock itself (cluster-safe scripts).
//
// Thread contract: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "locks/owner.h"

namespace lockscope::locks {

std::string redissonPrefixName(std::string_view prefix, std::string_view name);
std::string redissonSuffixName(std::string_view name, std::string_view suffix);

// A random v4 UUID whose first 8 hex digits are the owner's tag (when the tag is 8 lowercase hex
// digits), so a monitor can match a Redisson-style field to the LockScope connection named after
// the same tag.
std::string redissonInstanceId(const Owner& owner);
// "<instanceId>:<gettid()>" of the calling thread.
std::string redissonThreadField(const std::string& instanceId);

}  // namespace lockscope::locks

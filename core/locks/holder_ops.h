// Release or extend a lock knowing only its key and the holder string a monitor showed — the
// operations behind `lockscope-cli lock release/extend/force-release` and the dashboard's buttons.
//
// One Lua script per operation compares and acts atomically on every format LockScope writes:
//   string lock   (set-nx-px, setnx-expire, fenced, unsafe-del, setnx-getset, redlock node, and
//                  string locks of other clients): the value must equal the holder;
//   heartbeat     (hash with `owner` and `beat`): `owner` must equal the holder;
//   reentrant / Redisson RLock, RReadWriteLock (hash of "<uuid>:<threadId>" → count): the holder
//                  must be one of the fields, or all of them sorted and joined with ',' (as the
//                  monitor shows several readers); a delete also publishes Redisson's unlock
//                  message ("0" on redisson_lock__channel:{<key>}, or redisson_rwlock:{<key>})
//                  so waiters wake at once;
//   python-redis-lock ("lock:<name>"): a delete also signals lock-signal:<name>, as its own
//                  release does.
// Nothing is changed when the holder differs; the caller learns who holds the lock now.
//
// Thread contract: free functions over a caller-owned Connection.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "redis/connection.h"

namespace lockscope::locks {

struct HolderOpResult {
    enum class Outcome {
        Done,           // deleted / extended
        HolderChanged,  // someone else holds it now (see currentHolder)
        NotHeld,        // no such key
        NotALock,       // the key has a type no lock uses (list, set, ...)
        NoTtl,          // extend of a lock that lives without TTL (heartbeat)
    };
    Outcome outcome = Outcome::NotHeld;
    std::string currentHolder;  // the holder found (the changed one, or the one acted on)
    std::string type;           // the key's Redis type
};

std::string_view outcomeName(HolderOpResult::Outcome o);

// The Redisson unlock channels of a lock key (RLock and RReadWriteLock).
std::string redissonUnlockChannel(std::string_view key);
std::string redissonRwLockChannel(std::string_view key);

HolderOpResult deleteIfHolder(redis::Connection& c, std::string_view key, std::string_view holder);
HolderOpResult extendIfHolder(redis::Connection& c, std::string_view key, std::string_view holder,
                              std::chrono::milliseconds ttl);

}  // namespace lockscope::locks

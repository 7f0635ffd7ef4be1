// Release, force-release or extend a lock knowing only its key, its layout and the holder string a
// monitor showed — the Redis side of `lockscope-cli lock release/extend/force-release` and the
// dashboard's buttons (actions/lock_actions.h decides the layout with the monitor's classifier and
// runs this on every node).
//
// Each operation is one Lua script that compares and acts atomically, with the layout's own
// semantics (docs/client-formats.md#release-by-holder):
//   Token / PythonRedisLock / Timestamp   string whose value is the holder: DEL, or PEXPIRE
//                  (Timestamp, setnx-getset: the expiry lives in the value, so extend rewrites it —
//                  compare-and-set — and keeps any TTL at least as long); python-redis-lock's
//                  release also signals lock-signal:<name>, as its own release does;
//   Heartbeat      hash {owner, beat, period_ms}: DEL when `owner` matches; no TTL to extend;
//   RedissonLock   (RLock, FencedLock, LockScope's reentrant) hash "<uuid>:<threadId>" → count:
//                  release gives back one hold (deleted at zero), force-release removes the
//                  holder's field whatever its count; when no holder is left, "0" (UNLOCK_MESSAGE)
//                  on redisson_lock__channel:{k};
//   RedissonFairLock  the same; the wake-up goes to the first waiter still in time in
//                  redisson_lock_queue:{k}, on its own channel, as RedissonFairLock's unlock does;
//   RedissonRwLock hash with `mode` and readers "<uuid>:<tid>" (each hold with its
//                  {k}:<uuid>:<tid>:rwlock_timeout:<n> key) or the writer "<uuid>:<tid>:write":
//                  one reader (hold) goes, the others and the mode stay, the lock lives as long as
//                  its longest remaining reader lease — as RedissonReadLock/RedissonWriteLock's
//                  unlock scripts do; waiters are woken on redisson_rwlock:{k} when it is gone or
//                  turns from write to read.
//   SymfonyLock    zset of token → expiry (epoch ms) and `__write__` while one holder has it
//                  exclusively: the holder's member goes (with `__write__`, as Symfony's delete
//                  does), the key is deleted when nobody is left or else PEXPIREAT its latest
//                  lease; extend rescores the holder's member (and `__write__`) as Symfony's
//                  putOffExpiration does. Holders whose lease ran out (score <= now) are not
//                  holders.
//   HashOwner      hash whose owner field (the best-ranked owner-like field, as the classifier
//                  picks it) holds the holder: DEL when it matches; extend PEXPIREs;
// The holder names one holder (a string value, an owner, a hash field) or, for hash locks, all of
// their holders sorted and joined with ',' as a monitor shows several readers (force-release and
// extend only: a release gives back one hold of one holder). Nothing is changed when the holder
// differs; the caller learns who holds the lock now.
//
// Thread contract: free functions over a caller-owned Connection.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "redis/connection.h"

namespace lockscope::locks {

enum class HolderLayout {
    Token,
    PythonRedisLock,
    Timestamp,
    Heartbeat,
    RedissonLock,
    RedissonFairLock,
    RedissonRwLock,
    // Symfony Lock (>= 5.2): a zset of tokens scored by their lease's expiry, `__write__` beside
    // an exclusive holder's.
    SymfonyLock,
    // A hand-rolled hash lock: its owner-like field (owner, holder, ..., host, pid, thread) is
    // the holder (monitor/classifier.h picks the same field).
    HashOwner,
    // The synchronisers (primitive_ops.h): permits and a latch's count, compared as the monitor
    // shows them.
    Semaphore,
    ExpirableSemaphore,
    Latch,
};

enum class HolderOp {
    Release,       // as the holder's own unlock would
    ForceRelease,  // the operator's: the holder goes entirely, nobody else
    Extend,        // reset the lease to a TTL
};

struct HolderOpResult {
    enum class Outcome {
        Done,            // released / removed / extended
        StillHeld,       // release: one hold given back, the holder still holds it (holdsLeft)
        HolderChanged,   // someone else holds it now (see currentHolder)
        NotHeld,         // no such key
        WrongLayout,     // the key is no longer a lock of this layout (see type)
        CannotExtend,    // heartbeat: no TTL, it lives by its beat
        SeveralHolders,  // release: the holder string names several holders
    };
    Outcome outcome = Outcome::NotHeld;
    // HolderChanged: what the server holds. Extend of a Timestamp lock: the new holder (the
    // expiry written). Otherwise the holder acted on.
    std::string currentHolder;
    std::string type;         // the key's Redis type
    long long holdsLeft = 0;  // StillHeld: the holder's remaining count
    std::string others;       // hash locks: the holders that remain, joined with ','
    std::string seen;  // WrongLayout of a synchroniser: what the key is (kind_check.h's words)
};

// "done", "still-held", "holder-changed", "not-held", "wrong-layout", "cannot-extend",
// "several-holders".
std::string_view outcomeName(HolderOpResult::Outcome o);

// The Redisson names derived from a lock key (Redisson's prefixName()/suffixName(): a key that
// already carries a hash tag keeps it as is).
std::string redissonUnlockChannel(std::string_view key);  // redisson_lock__channel:{k}
std::string redissonRwLockChannel(std::string_view key);  // redisson_rwlock:{k}

// `ttl` is used by Extend; `wallNowMs` (this client's clock, ms since the epoch) by Extend of a
// Timestamp lock (the new expiry is wallNowMs + ttl, as setnx-getset's own extend writes it) and
// by the fair lock's queue clean-up. Throws redis::Error for connection problems and error
// replies (NOPERM, READONLY, ...).
HolderOpResult applyHolderOp(redis::Connection& c, HolderLayout layout, HolderOp op,
                             std::string_view key, std::string_view holder,
                             std::chrono::milliseconds ttl = std::chrono::milliseconds(0),
                             long long wallNowMs = 0, long long permits = 1,
                             bool adoptBareCount = false);

}  // namespace lockscope::locks

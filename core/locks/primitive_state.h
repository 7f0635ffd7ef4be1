// What Redis holds for the synchronisers beyond a plain lock — a fair lock's queue, a read-write
// lock's mode, readers and writer, a semaphore's permits, a latch's count — read in Redisson's
// layouts (docs/client-formats.md#synchronisers), whether LockScope or Redisson wrote them. The
// strategies' inspect(), `lockscope-cli lock inspect` and the dashboard's detail pane all show it
// from here.
//
// Times are the server's (TIME), so "deadline in 4.2 s" does not depend on this machine's clock.
//
// Thread contract: a value type and a free function over a caller-owned Connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/connection.h"

namespace lockscope::locks {

enum class PrimitiveKind { None, FairLock, ReadWriteLock, Semaphore, ExpirableSemaphore, Latch };
std::string_view primitiveKindName(PrimitiveKind k);

// A fair lock's waiter, or a read-write lock's waiting writer (LockScope's writer preference).
struct QueuedWaiter {
    std::string id;            // "<uuid>:<threadId>" (":write" for a writer)
    long long deadlineMs = 0;  // epoch ms (server clock) after which it counts as gone
    long long leftMs = 0;      // deadline - server time; <= 0: ran out, dropped at the next try
};

struct ReadHolder {
    std::string id;              // "<uuid>:<threadId>"
    long long holds = 0;         // nested read holds
    long long leaseLeftMs = -2;  // the longest of its per-hold timeout keys; -2: none left
};

// An expirable semaphore's permit.
struct Permit {
    std::string id;             // LockScope: its token (names host and pid); Redisson: a random id
    long long leaseLeftMs = 0;  // <= 0: the lease ran out (the permit returns at the next acquire)
    bool expires = true;  // false: taken without a lease (Redisson's acquire() without leaseTime)
};

struct PrimitiveState {
    PrimitiveKind kind = PrimitiveKind::None;
    long long serverTimeMs = 0;
    long long ttlMs = -2;               // of the key itself
    bool describedByLockScope = false;  // LockScope's lockscope_meta:{key} says what it is
    // What the key is by the monitor's own recognition (locks/kind_check.h): its kind name
    // ("none", "semaphore", "integer", "hash", ...) and the words for people. Only what this
    // recognition verified is filled in below: a key of another kind comes back as None.
    std::string seenKind;
    std::string seen;

    // Fair lock: the holder (hash field) and the queue in order. Read-write lock: the same hash.
    std::vector<std::pair<std::string, long long>> holders;  // field → hold count
    std::vector<QueuedWaiter> queue;

    // Read-write lock.
    std::string mode;  // "read", "write", "" when free
    std::vector<ReadHolder> readers;
    std::string writer;  // "<uuid>:<threadId>:write"
    long long writerHolds = 0;
    std::vector<QueuedWaiter> writersWaiting;

    // Semaphores: free = the key's count; size = LockScope's record of the size (Redisson keeps
    // none); permits = the expirable semaphore's taken permits.
    std::optional<long long> free;
    std::optional<long long> size;
    std::vector<Permit> permits;

    // Latch: what is left to count down (0: open — the key is gone), and its size when known.
    std::optional<long long> count;

    // Semaphores: permits taken, when it can be told (size known, or an expirable semaphore).
    std::optional<long long> taken() const;
    // Expirable semaphore: taken permits whose lease ran out.
    long long expiredPermits() const;
};

// Reads `key`; `expected` decides what an ambiguous layout is (a fair lock without waiters looks
// like any Redisson lock hash; a bare integer may be a Redisson semaphore or latch). With
// PrimitiveKind::None the layout decides, and a plain lock or counter comes back as None. A key
// the recognition (kind_check.h) shows to be of another kind is None whatever is expected — no
// fields are read from companions that do not fit it.
// Bounded: at most 200 queued waiters / permits, 64 nested holds per reader. Throws redis::Error.
PrimitiveState readPrimitiveState(redis::Connection& c, std::string_view key,
                                  PrimitiveKind expected = PrimitiveKind::None);

// The strategies' inspect(): "not a semaphore: it is a string holding an integer" when `s` came
// back None for a key that exists (another kind); nullopt otherwise.
std::optional<std::string> notOfKind(const PrimitiveState& s, std::string_view wanted);

// A bare integer (no record of LockScope's) read as `kind` is a counter unless the user says it
// is a Redisson RSemaphore / RCountDownLatch (`adopt`: --adopt-bare-count), as every write
// requires (adv14b item 8: `SET int 42` read as a latch with 42 count-downs to go). Unadopted:
// `s` becomes None and the answer is "not a latch: it is … (a Redisson RCountDownLatch keeps no
// record: --adopt-bare-count reads it as one)"; nullopt otherwise.
std::optional<std::string> unadoptedBareCount(PrimitiveState& s, PrimitiveKind kind, bool adopt,
                                              std::string_view wanted,
                                              std::string_view redissonType);

// Lines for a terminal ("queue (2 waiting, in order):", "  1. <id>  deadline in 4.2 s", ...),
// bytes shown with util/text.h's displayBytes. Empty for None.
std::vector<std::string> describePrimitiveState(const PrimitiveState& s);

// The companion key LockScope writes beside a semaphore or a latch: a hash {kind, size}.
std::string lockscopeMetaKey(std::string_view key);
// LockScope's writer-preference record of a read-write lock: a zset writer field → deadline.
std::string rwWritersWaitingKey(std::string_view key);
// Redisson's fair-lock queue and timeout set, and an expirable semaphore's lease set.
std::string fairQueueKey(std::string_view key);
std::string fairTimeoutKey(std::string_view key);
std::string permitLeaseKey(std::string_view key);
// Redisson's per-hold timeout key of a reader: "{key}:<field>:rwlock_timeout" + ":<n>".
std::string readerTimeoutPrefix(std::string_view key, std::string_view field);

// Redisson's "no lease" score of an expirable semaphore's permit (nonExpirableTimeout).
inline constexpr long long kPermitNoLease = 922337203685477LL;

}  // namespace lockscope::locks

namespace lockscope::locks {

// The holder strings of the synchronisers, as the monitor shows them and force-release compares
// them: a plain semaphore names no holder, only how many of its permits are taken ("taken:1/2"); a
// latch what is left to count down ("count:3/5", or "count:3" when its size is unknown). Expirable
// permits and read-write holders are their ids, sorted and joined with ','.
std::string plainPermitsHolder(long long taken, std::optional<long long> size);
std::string latchHolder(long long count, std::optional<long long> size);
// Parses them back; nullopt for other text.
struct CountHolder {
    long long count = 0;
    std::optional<long long> size;
};
std::optional<CountHolder> parsePlainPermitsHolder(std::string_view holder);
std::optional<CountHolder> parseLatchHolder(std::string_view holder);

}  // namespace lockscope::locks

// How the monitor tells the synchronisers (docs/client-formats.md#synchronisers) from the keys
// they look like, and what it reads about them:
//
//   fair lock        a Redisson lock hash with a redisson_lock_queue:{k} (the classifier's
//                    companions; the queue itself: monitor/fair_queue.h, read on demand)
//   read-write lock  a Redisson lock hash with `mode` → writers waiting (LockScope's claims)
//   semaphore        an integer string with LockScope's lockscope_meta:{k} {kind, size}
//   expirable sem.   an integer string with lockscope_meta:{k}, or with Redisson's {k}:timeout
//                    lease set → permits taken (their ids) and leases that ran out
//   latch            an integer string with lockscope_meta:{k} kind latch
//
// A bare integer is a counter: Redisson's RSemaphore and RCountDownLatch write nothing else, so
// without LockScope's record (or a lease set) they stay counters — evidence, not a guess.
//
// Cost: one EXISTS over a batch's integers' companion names (a command per key on a cluster node)
// and a ZCARD per Redisson hash with `mode` — a pipelined round trip of its own, except in the
// inventory, where the next batch's round 1 carries it — and one more round, rare, for the keys
// that turned out to be synchronisers.
//
// Thread contract: value types and functions over a caller-owned Connection.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "monitor/key_record.h"
#include "redis/connection.h"

namespace lockscope::monitor {

struct PrimitiveCompanions {
    std::optional<long long> writersWaiting;  // ZCARD lockscope_rwlock_writers:{k} (mode hashes)
    // Integer strings:
    std::string metaKind;  // lockscope_meta:{k} kind: semaphore, expirable-semaphore, latch
    std::optional<long long> metaSize;
    bool leaseSet = false;  // {k}:timeout exists (an expirable semaphore's permits)
    std::vector<std::pair<std::string, long long>> permits;  // id → lease end (epoch ms)
    long long permitsTaken = 0;                              // ZCARD (permits is bounded)
    // The lease set's members after the first `permits` (by score), up to locks::kLeaseIdsChecked
    // in all: the recognition checks every one the write scripts check (kind_check.h), so the
    // monitor never shows as a semaphore what every write refuses.
    std::vector<std::string> moreLeaseIds;
};

// Reads the companions above for every observation that could need them (none for most keys).
// Returns the round trips it made (0 to 3), for the inspector's count. With `oneExists` (the
// caller's flag, cleared here when the server refuses keys of several slots in one command) the
// counters' companions are first asked about with one EXISTS for all: usually none exists.
// `askedElsewhere[i]`: key i's evidence was asked in another pipeline (planPrimitives below).
int inspectPrimitives(redis::Connection& c,
                      const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                      bool* oneExists = nullptr, const std::vector<bool>& askedElsewhere = {});

// The same in three steps, for a caller that carries the first round in a pipeline it sends
// anyway (the inventory: the next batch's round 1, so that the question costs no round trip and
// never waits on the server behind that batch): what to ask, queueing it, reading its replies
// (the follow-ups, rare, on `c`; returns the round trips they made).
struct PrimitiveAsk {
    std::vector<size_t> writers;   // read-write lock hashes: ZCARD of their writers' claims
    std::vector<size_t> evidence;  // integers: EXISTS lockscope_meta:{k} {k}:timeout
    bool together = false;         // one EXISTS over every evidence name
    size_t replies() const { return writers.size() + (together ? 1 : evidence.size()); }
};
PrimitiveAsk planPrimitives(
    const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys, bool oneExists,
    const std::vector<bool>& askedElsewhere = {});
void queuePrimitives(redis::Pipeline& p,
                     const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                     const PrimitiveAsk& ask);
int readPrimitives(redis::Connection& c,
                   const std::vector<std::pair<const Observation*, PrimitiveCompanions*>>& keys,
                   const PrimitiveAsk& ask, std::vector<redis::Reply>::const_iterator first,
                   bool* oneExists);

// Whether `key` is a LockScope companion of a synchroniser (lockscope_meta:, claims).
bool isPrimitiveCompanionKey(std::string_view key);
// The keys a synchroniser's companion may belong to: "{k}:timeout", "lockscope_meta:{k}" and
// the writers' claims name k — or "{k}" itself, a name that was tagged already. A notification on
// a companion reads these again: a primary read before its companion existed (Redisson writes the
// permits before the lease set) looked like a counter then. Empty for other keys.
std::vector<std::string> primitivePrimaryCandidates(std::string_view key);

// An integer string that the companions show to be a semaphore or a latch.
struct PrimitiveMatch {
    Format format = Format::Unknown;
    std::string holder;    // locks::plainPermitsHolder / latchHolder / permit ids joined by ','
    long long number = 0;  // permits free, or the latch's count
    std::int32_t holdCount = 0;           // permits taken, or the latch's size
    std::int16_t queued = 0;              // expirable: leases that ran out, not yet reclaimed
    std::optional<std::string> ownerTag;  // expirable: a LockScope holder's tag (orphan check)
};
std::optional<PrimitiveMatch> matchPrimitive(
    const Observation& obs, const PrimitiveCompanions& companions, long long wallNowMs,
    const std::unordered_map<std::string, std::string>* lockscopeClientsByTag);

}  // namespace lockscope::monitor

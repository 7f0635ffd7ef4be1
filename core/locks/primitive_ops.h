// The operator's compare-and-act for the semaphores and the latch (holder_ops.h routes their
// layouts here): one Lua script acts only if the holder is still the one the operator saw —
//
//   expirable semaphore  holder = one permit id, or all of them joined by ',': give that permit
//                        (those permits) back and wake the waiters; extend renews its lease
//   semaphore            holder = "taken:<n>/<size>": give back `permits` of the n taken
//                        (the operator's choice, at most n) — only if exactly n are still taken —
//                        and wake the waiters. A plain permit has no owner: nothing tells a
//                        leaked permit from a live holder's, so the operator returns exactly the
//                        number they believe leaked, never "all" (a live holder's later release
//                        is capped at size). Release or force-release by the token `lock
//                        acquire` printed ("lockscope:semaphore:…") gives back that one permit
//                        only if the record holds the token, removing it (once); otherwise
//                        HolderChanged with `seen` saying so
//   latch                holder = "count:<n>[/<size>]": open it (delete, "0" to the waiters) if
//                        the count is still n
//
// adoptBareCount (the caller says a bare integer is a Redisson RSemaphore, --adopt-bare-count):
// release or force-release by a plain permit's token gives one permit back on trust — a bare
// integer has no record to check the token against.
//
// Release and force-release do the same here (a permit or a count has no nested holds); a plain
// semaphore's permits and a latch have no lease to extend (CannotExtend). The key must be of the
// layout by the monitor's own rules (kind_check.h, in the same script): anything else is
// WrongLayout, with HolderOpResult::seen saying what it is, and nothing changes.
//
// Thread contract: a free function over a caller-owned Connection.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "locks/holder_ops.h"

namespace lockscope::locks {

// `layout` is Semaphore, ExpirableSemaphore or Latch. A key that is not (or no longer) one of them
// is WrongLayout. `permits`: how many a semaphore's force-release gives back (≥ 1; at most the
// number taken). Throws redis::Error.
// A plain semaphore's recorded permit tokens (lockscope_meta:{k} fields permit:<token>), with the
// host and pid the token names and whether that process's connection is in CLIENT LIST (nullopt:
// CLIENT LIST refused, or not a LockScope token). Sorted by token. Throws redis::Error.
struct RecordedPermit {
    std::string token;
    std::string host;
    long pid = 0;
    std::optional<bool> connected;
};
std::vector<RecordedPermit> recordedPermits(redis::Connection& c, std::string_view key);

// A give-back by count (Semaphore, ForceRelease, holder "taken:<n>/<size>", `permits` k < n) also
// takes out of the record up to k tokens whose holders are not connected (recordedPermits), so
// that live holders' releases give their permits back (adv14d item 2).
HolderOpResult primitiveHolderOp(redis::Connection& c, HolderLayout layout, HolderOp op,
                                 std::string_view key, std::string_view holder,
                                 std::chrono::milliseconds ttl, long long permits = 1,
                                 bool adoptBareCount = false);

}  // namespace lockscope::locks

// The operator's compare-and-act for the semaphores and the latch (holder_ops.h routes their
// layouts here): one Lua script acts only if the holder is still the one the operator saw —
//
//   expirable semaphore  holder = one permit id, or all of them joined by ',': give that permit
//                        (those permits) back and wake the waiters; extend renews its lease
//   semaphore            holder = "taken:<n>/<size>": give the n taken permits back — only if
//                        exactly n are still taken — and wake the waiters (the leaked permits of
//                        dead holders come back; a live holder's later release is capped at size)
//   latch                holder = "count:<n>[/<size>]": open it (delete, "0" to the waiters) if
//                        the count is still n
//
// Release and force-release do the same here (a permit or a count has no nested holds); a plain
// semaphore's permits and a latch have no lease to extend (CannotExtend).
//
// Thread contract: a free function over a caller-owned Connection.
#pragma once

#include <chrono>
#include <string_view>

#include "locks/holder_ops.h"

namespace lockscope::locks {

// `layout` is Semaphore, ExpirableSemaphore or Latch. A key that is not (or no longer) one of them
// is WrongLayout. Throws redis::Error.
HolderOpResult primitiveHolderOp(redis::Connection& c, HolderLayout layout, HolderOp op,
                                 std::string_view key, std::string_view holder,
                                 std::chrono::milliseconds ttl);

}  // namespace lockscope::locks

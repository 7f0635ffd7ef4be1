// `fenced` (Kleppmann's critique of lease-based locks): set-nx-px plus a fencing token. The same
// Lua script that takes the lock INCRs `lockscope_fence:{<key>}`, so tokens grow in exactly the
// order holders got the lock; the holder passes its token (Lease::fence) with every write, and
// the protected resource rejects a write whose token is lower than one it has already seen
// (FencedResource). A holder paused past its TTL can still *believe* it holds the lock, but its
// writes no longer land.
//
// The token must be taken atomically with the lock: INCR after SET NX in a second command would
// let a paused holder draw a newer token than its successor.
//
// Thread contract: see LockStrategy.
#pragma once

#include <string>

#include "locks/token_lock.h"

namespace lockscope::locks {

// The fencing-token counter of a lock key (hash tag keeps it in the key's cluster slot, as
// Redisson does with `redisson_lock_token:{name}`).
std::string fenceKey(std::string_view lockKey);

class FencedLock final : public TokenLock {
public:
    explicit FencedLock(LockContext context) : TokenLock(std::move(context)) {}
    std::string_view id() const override { return "fenced"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;
};

// A resource that accepts a write only with a fencing token no lower than the highest it has
// accepted, and a token equal to it only from the same lease (tokens repeat after the lock server
// lost its counter in a restart without persistence): a Redis hash {value, fence, lease} updated
// by one script. An empty `lease` is a writer the resource cannot tell apart from others (the
// unfenced case). `write` answers whether the write landed.
class FencedResource {
public:
    FencedResource(redis::Connection& connection, std::string key);
    enum class Write { Accepted, RejectedStale };
    Write write(long long fence, std::string_view value, std::string_view lease = {});
    std::optional<std::string> value();
    long long highestFence();

private:
    redis::Connection* conn_;
    std::string key_;
};

}  // namespace lockscope::locks

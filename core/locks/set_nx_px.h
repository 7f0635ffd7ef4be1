// `set-nx-px`: SET key token NX PX ttl; release and extend compare the token first (Lua, or the
// WATCH recipe of seeds 000/003, docs/seed-recipes.md#seed-common-watch-release with
// LockConfig::compareVia = Watch).
//
// Hazard the demos show: a holder paused past its TTL still believes it holds the lock while the
// next client already does (use `fenced` to make the resource reject the stale holder).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/token_lock.h"

namespace lockscope::locks {

class SetNxPxLock final : public TokenLock {
public:
    explicit SetNxPxLock(LockContext context) : TokenLock(std::move(context)) {}
    std::string_view id() const override { return "set-nx-px"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
};

}  // namespace lockscope::locks

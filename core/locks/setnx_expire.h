// `setnx-expire` (seed 003, docs/seed-recipes.md#seed-003-1-setnx-expire): SETNX key token, then
// PEXPIRE key ttl — two commands. Release compares the token with WATCH / GET / MULTI / DEL / EXEC,
// as the seed does.
//
// Kept as the flawed historical recipe: a client that dies between the two commands leaves a lock
// without TTL that nobody will ever release (the monitor flags it `stuck-no-ttl`). The demos
// inject that crash through LockConfig::afterSetnx. The fix is `set-nx-px` (one atomic SET).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/token_lock.h"

namespace lockscope::locks {

class SetnxExpireLock final : public TokenLock {
public:
    explicit SetnxExpireLock(LockContext context) : TokenLock(std::move(context)) {}
    std::string_view id() const override { return "setnx-expire"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    // Always the WATCH / GET / MULTI / DEL recipe, as seed 003 writes it.
    ReleaseResult release(const Lease& lease) override;
    LockInfo inspect(std::string_view key) override;
};

}  // namespace lockscope::locks

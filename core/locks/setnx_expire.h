// `setnx-expire` (seed 003): SETNX key token, then PEXPIRE key ttl — two commands. Release
// compares the token with WATCH / GET / MULTI / DEL / EXEC, as the seed does.
//
// Kept as the flawed historical recipe: a client that dies between the two commands leaves a lock
// without TTL that nobody will ever release (the monitor flags it `stuck-no-ttl`). The demos
// inject that crash through LockConfig::afterSetnx. The fix is `set-nx-px` (one atomic SET).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class SetnxExpireLock final : public LockStrategy {
public:
    explicit SetnxExpireLock(LockContext context);
    std::string_view id() const override { return "setnx-expire"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

private:
    LockContext context_;
    redis::Connection conn_;
};

}  // namespace lockscope::locks

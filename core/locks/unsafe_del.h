// `unsafe-del`: acquired like set-nx-px, released with a plain DEL — the release every seed warns
// about (docs/seed-recipes.md#seed-common-plain-del). Kept so the demos can show it deleting
// another client's lock: a holder whose lease expired (it was slow, or paused) and that then
// releases removes the *next* holder's lock, and a third client walks in while the second still
// works.
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/token_lock.h"

namespace lockscope::locks {

class UnsafeDelLock final : public TokenLock {
public:
    explicit UnsafeDelLock(LockContext context) : TokenLock(std::move(context)) {}
    std::string_view id() const override { return "unsafe-del"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    // Never answers NotOwner: it does not look at who holds the lock before deleting it.
    ReleaseResult release(const Lease& lease) override;
    // Plain PEXPIRE, equally careless: it extends whoever holds the key now.
    bool extend(Lease& lease, milliseconds ttl) override;
};

}  // namespace lockscope::locks

// Keeps a lease its holder wants to keep: `lockscope-cli lock acquire --hold` and the dashboard's
// "held until released" leases renew through it, every TTL/3, whatever the strategy (heartbeat
// beats and reentrant leases are renewed here too, so that every renewal can follow the master).
//
// Following: a Sentinel group's master moves with a failover. Before each renewal the keeper asks
// `where` (the target's resolver: the current master, asked anew each time) and renews on the
// server it names. A renewal proves the lease is still ours only when that server answered that it
// still holds our token; then the lease is valid for another TTL. Otherwise:
//   - the server answered that it is gone or someone else's (the promoted replica never got it, it
//     expired, it was force-released): Lost, at once — unless the server it lived on is still a
//     master that holds it (an answer naming a master being demoted is stale for a moment around
//     a failover): then Unconfirmed;
//   - no server could be asked (the master died and no replica is promoted yet): Unconfirmed, and
//     the caller retries soon — until the lease's own validity (last proof + TTL) has passed, when
//     it is Lost, because by then another client may hold it.
//
// Thread contract: one thread at a time, like the strategy it owns.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class LeaseKeeper {
public:
    // The servers the lease's key lives on now; may throw (no Sentinel answers). Empty function:
    // the servers never move (one server, a Redlock group).
    using Resolver = std::function<std::vector<redis::Endpoint>()>;

    // `lock` holds `lease`, acquired with `context` (its nodes are where the lease lives).
    LeaseKeeper(std::unique_ptr<LockStrategy> lock, LockContext context, Lease lease,
                Resolver where = {});

    struct Renewal {
        enum class Result {
            Renewed,      // on the server it lived on
            Moved,        // the master moved: renewed on the new one (`from` is the old one)
            Unconfirmed,  // no server answered; still valid for `validFor`
            Lost,         // gone or someone else's, or no proof within the lease
        };
        Result result = Result::Renewed;
        std::string node;    // where the lease lives now (Endpoint::display(), joined by ',')
        std::string from;    // Moved: the old master
        std::string reason;  // Unconfirmed / Lost: why, for people
        std::chrono::milliseconds validFor{0};
    };
    // Renews to `ttl` (the strategy's extend: PEXPIRE, a heartbeat beat, a new setnx-getset
    // expiry). Never throws redis::Error: errors are Unconfirmed. A strategy without a lease
    // (supportsExtend() false: a plain semaphore's permit) has nothing to renew: its token is
    // checked in the record on the master named now (no write) — Renewed when it is there, Moved
    // when it is there on a new master, Lost when it is not (given back, or the grant never
    // replicated), Unconfirmed (validFor 0) while nobody answers: a permit never runs out.
    Renewal renew(std::chrono::milliseconds ttl);
    // Releases on the master the resolver names now (following it there first, as a renewal
    // does), and again where it points if that changed meanwhile; without a resolver, on the
    // server the lease lives on. Throws redis::Error. movedBeforeRelease(): the server it
    // followed from ("" when it did not move).
    ReleaseResult release();
    const std::string& movedBeforeRelease() const { return movedFrom_; }

    // True when `where` names other servers than those the lease lives on now (the master moved
    // and the lease has not followed yet); false without a resolver or when it cannot answer.
    // A holder asks between renewals so that it follows a failover at once, not at its next
    // renewal (adv14d item 3: until then its connection was missing from the new master's CLIENT
    // LIST, and the monitor showed LockScope's fair / read-write lock as a Redisson one).
    bool masterMoved() const;
    bool follows() const { return static_cast<bool>(where_); }

    const Lease& lease() const { return lease_; }
    LockStrategy& lock() { return *lock_; }
    std::string node() const;
    // When the last renewal (or the acquisition) proved the lease ours, plus its TTL.
    std::chrono::steady_clock::time_point validUntil() const { return confirmedAt_ + lease_.ttl; }

private:
    Renewal unconfirmed(std::string reason, std::chrono::steady_clock::time_point now) const;
    Renewal checkPermit();
    // The servers `where_` names now; empty when it cannot say (or there is none).
    std::vector<redis::Endpoint> named() const;
    // context_ on `nodes`, with the lock's Redisson identity.
    LockContext contextOn(const std::vector<redis::Endpoint>& nodes) const;

    std::unique_ptr<LockStrategy> lock_;
    LockContext context_;
    Lease lease_;
    Resolver where_;
    std::chrono::steady_clock::time_point confirmedAt_;
    std::string movedFrom_;
};

std::string_view renewalResultName(LeaseKeeper::Renewal::Result r);  // "renewed", "moved", ...

// Waits for `key` (lock->acquire with `wait`) on the master `where` names, following it (issue 14,
// adv14d item 1: a waiter kept retrying on the master it found at start, and after a failover
// "acquired" on the old master — still accepting writes until the Sentinels demote it, its holder
// gone to the new one — so two holders both reported success):
//   - `where` is asked every `followEvery` while the attempt waits; when it names other servers
//     the attempt is stopped (a fair waiter leaves the old queue) and the wait goes on there with
//     the same owner (a fair waiter's place, if it replicated, is kept);
//   - a lease is returned only when `where`, asked again after the grant, still names the server
//     it was taken on; otherwise it is given back (compare-and-delete there) and the wait goes on
//     on the master named — a grant on a node the Sentinels no longer name is never a success;
//   - a connection failure or a READONLY / LOADING answer (the master paused or dying, a demoted
//     node) is not the end of the wait: `where` is asked again and the wait goes on until
//     wait.timeout, when the last such error is rethrown.
// On return `lock` and `context` are those of the server the wait ended on (the lease, if any,
// lives there: give them to the LeaseKeeper). An empty `where` (one server, a Redlock group):
// lock->acquire as it is (tryAcquire for a timeout of 0). `note` (may be empty) gets one line per
// move, for people.
struct FollowingWait {
    std::chrono::milliseconds followEvery{500};
    std::function<void(const std::string&)> note;
};
std::optional<Lease> acquireFollowing(std::unique_ptr<LockStrategy>& lock, LockContext& context,
                                      std::string_view key, std::chrono::milliseconds ttl,
                                      const WaitOptions& wait, const LeaseKeeper::Resolver& where,
                                      const FollowingWait& following = {});

// CountDownLatch::await on the master `where` names, following it as acquireFollowing does
// (adv14e item 2: an awaiter kept waiting on the old master, missed the latch opening on the new
// one and failed when the old master was demoted): asked every `followEvery`, a move ends the wait
// there and it goes on on the new master; "open" counts only if `where`, asked again, still names
// the server that said so; connection failures and READONLY / LOADING are waited through until
// wait.timeout (then the last is rethrown). True: open; false: the timeout passed or wait.cancel
// was set. `context.nodes` is the server it ended on. Empty `where`: CountDownLatch::await as is.
bool awaitLatchFollowing(LockContext& context, std::string_view key, const WaitOptions& wait,
                         const LeaseKeeper::Resolver& where, const FollowingWait& following = {});

}  // namespace lockscope::locks

#include "locks/lease_keeper.h"

#include "redis/error.h"

namespace lockscope::locks {
namespace {

using redis::displayList;
using std::chrono::milliseconds;

}  // namespace

std::string_view renewalResultName(LeaseKeeper::Renewal::Result r) {
    switch (r) {
        case LeaseKeeper::Renewal::Result::Renewed:
            return "renewed";
        case LeaseKeeper::Renewal::Result::Moved:
            return "moved";
        case LeaseKeeper::Renewal::Result::Unconfirmed:
            return "unconfirmed";
        case LeaseKeeper::Renewal::Result::Lost:
            return "lost";
    }
    return "unknown";
}

LeaseKeeper::LeaseKeeper(std::unique_ptr<LockStrategy> lock, LockContext context, Lease lease,
                         Resolver where)
    : lock_(std::move(lock)),
      context_(std::move(context)),
      lease_(std::move(lease)),
      where_(std::move(where)),
      confirmedAt_(lease_.acquiredAt) {}

std::string LeaseKeeper::node() const { return displayList(context_.nodes); }

LeaseKeeper::Renewal LeaseKeeper::unconfirmed(std::string reason,
                                              std::chrono::steady_clock::time_point) const {
    // The clock read now, not when the renewal began: the calls that failed may have blocked for
    // a while (a hung master, unresponsive Sentinels), and the lease must not outlive its TTL.
    const auto now = context_.clock->steadyNow();
    Renewal r;
    r.node = node();
    if (now >= validUntil()) {
        r.result = Renewal::Result::Lost;
        r.reason = "no renewal reached the master within the lease (" +
                   std::to_string(lease_.ttl.count()) +
                   " ms), so another client may hold it now; last error: " + reason;
        return r;
    }
    r.result = Renewal::Result::Unconfirmed;
    r.reason = std::move(reason);
    r.validFor = std::chrono::duration_cast<milliseconds>(validUntil() - now);
    return r;
}

LeaseKeeper::Renewal LeaseKeeper::renew(milliseconds ttl) {
    const auto now = context_.clock->steadyNow();
    Renewal r;
    // A plain semaphore's permit has no lease: nothing to renew, and nothing that runs out
    // (issue 14: asking it to renew reported the permit lost and leaked it). It is held until
    // released.
    if (!lock_->supportsExtend()) {
        confirmedAt_ = now;
        r.result = Renewal::Result::Renewed;
        r.node = node();
        r.validFor = ttl;
        return r;
    }
    // Where the lease should live now. A resolver that cannot answer leaves the question to the
    // server we know: only a master accepts the renewal's write.
    std::vector<redis::Endpoint> current;
    if (where_) {
        try {
            current = where_();
        } catch (const std::exception&) {
            current.clear();
        }
    }
    if (!current.empty() && current != context_.nodes) {
        const std::string from = node();
        try {
            LockContext moved = context_;
            moved.nodes = current;
            auto there = makeLockStrategy(lock_->id(), moved);
            Lease lease = lease_;
            if (!there->extend(lease, ttl)) {
                // An answer naming a node that does not hold the lease may be stale for a moment
                // around a failover (a master that is being demoted answers ROLE "master" until it
                // is reconfigured). If the node the lease lives on is still a master that holds it
                // (it takes the renewal), the two disagree: no proof either way, so Unconfirmed —
                // asked again soon, and Lost once the lease's validity has passed. A write there is
                // harmless: a demoted node drops it. (failover_loop saw 2 false losses in 20
                // Sentinel failovers without this.)
                bool stillHere = false;
                try {
                    stillHere = lock_->extend(lease_, ttl);
                } catch (const redis::Error&) {
                    // Not a master any more (READONLY), or gone: the move stands.
                }
                if (stillHere)
                    return unconfirmed("the Sentinels name " + displayList(current) +
                                           ", which does not hold it, while " + from +
                                           " still holds it as a master",
                                       now);
                r.result = Renewal::Result::Lost;
                r.node = displayList(current);
                r.reason = "the master moved from " + from + " to " + r.node +
                           ", which does not hold the lock for us (the grant had not replicated "
                           "before the failover, or it expired or was released there)";
                return r;
            }
            lock_ = std::move(there);
            context_ = std::move(moved);
            lease_ = std::move(lease);
            lease_.ttl = ttl;
            confirmedAt_ = now;
            r.result = Renewal::Result::Moved;
            r.node = node();
            r.from = from;
            r.validFor = ttl;
            return r;
        } catch (const redis::Error& e) {
            return unconfirmed("the master moved to " + displayList(current) + ": " + e.what(),
                               now);
        }
    }
    try {
        if (!lock_->extend(lease_, ttl)) {
            r.result = Renewal::Result::Lost;
            r.node = node();
            r.reason = "the renewal on " + r.node +
                       " found it gone or held by someone else (it expired, or was released)";
            return r;
        }
    } catch (const redis::Error& e) {
        return unconfirmed(std::string(e.what()) + " (" + node() + ")", now);
    }
    lease_.ttl = ttl;
    confirmedAt_ = now;
    r.result = Renewal::Result::Renewed;
    r.node = node();
    r.validFor = ttl;
    return r;
}

ReleaseResult LeaseKeeper::release() { return lock_->release(lease_); }

}  // namespace lockscope::locks

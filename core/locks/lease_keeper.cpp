#include "locks/lease_keeper.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "locks/latch.h"
#include "locks/semaphore.h"
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

std::vector<redis::Endpoint> LeaseKeeper::named() const {
    if (!where_) return {};
    try {
        return where_();
    } catch (const std::exception&) {
        return {};
    }
}

LockContext LeaseKeeper::contextOn(const std::vector<redis::Endpoint>& nodes) const {
    LockContext moved = context_;
    moved.nodes = nodes;
    // The same Redisson identity there (fair, read-write): its fields are the lease's.
    moved.config.redissonInstanceId = lock_->redissonInstance();
    return moved;
}

// A plain semaphore's permit (supportsExtend() false) has no lease: nothing to renew and nothing
// that runs out. What a renewal does for it is check that the record still holds its token, on
// the master the Sentinels name now — following them there as a lease does (adv14e item 1: a
// held permit stayed on the old master, and its release went there after a failover: refused as
// a read-only replica, or taken by the old master and lost when it was demoted — the permit
// leaked on the new master). Never Lost for want of an answer: Unconfirmed, for as long as it
// takes (validFor 0: no lease to count down).
LeaseKeeper::Renewal LeaseKeeper::checkPermit() {
    Renewal r;
    r.node = node();
    auto unconfirmedPermit = [&](std::string reason) {
        r.result = Renewal::Result::Unconfirmed;
        r.reason = std::move(reason);
        return r;
    };
    auto* here = dynamic_cast<SemaphoreLock*>(lock_.get());
    if (!here) return r;  // no other strategy lacks a lease: nothing to check
    const auto current = named();
    if (!current.empty() && current != context_.nodes) {
        const std::string from = node();
        try {
            LockContext moved = contextOn(current);
            auto there = std::make_unique<SemaphoreLock>(moved);
            if (!there->holds(lease_)) {
                // As for a lease: the node it lived on, still a master holding it, makes the
                // answer naming the other one stale for now.
                bool stillHere = false;
                try {
                    stillHere = here->isMaster() && here->holds(lease_);
                } catch (const redis::Error&) {
                    // Gone or demoted: the move stands.
                }
                if (stillHere)
                    return unconfirmedPermit("the Sentinels name " + displayList(current) +
                                             ", which has no record of this permit, while " + from +
                                             " still has it as a master");
                r.result = Renewal::Result::Lost;
                r.node = displayList(current);
                r.reason = "the master moved from " + from + " to " + r.node +
                           ", which has no record of this permit (the grant had not replicated "
                           "before the failover, or it was given back there): it is not taken "
                           "for us there";
                return r;
            }
            lock_ = std::move(there);
            context_ = std::move(moved);
            r.result = Renewal::Result::Moved;
            r.node = node();
            r.from = from;
            return r;
        } catch (const redis::Error& e) {
            return unconfirmedPermit("the master moved to " + displayList(current) + ": " +
                                     e.what());
        }
    }
    try {
        if (!here->holds(lease_)) {
            r.result = Renewal::Result::Lost;
            r.reason = "the record on " + r.node +
                       " no longer holds this permit's token: it was given back (lock release "
                       "--token, or a force-release)";
            return r;
        }
    } catch (const redis::Error& e) {
        return unconfirmedPermit(std::string(e.what()) + " (" + node() + ")");
    }
    r.result = Renewal::Result::Renewed;
    return r;
}

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
    // released; its token is checked, on the master named now.
    if (!lock_->supportsExtend()) {
        r = checkPermit();
        if (r.result == Renewal::Result::Renewed || r.result == Renewal::Result::Moved)
            confirmedAt_ = now;
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
            LockContext moved = contextOn(current);
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

// The release goes to the master the Sentinels name now, and is checked against them after: a
// release taken by a node they no longer name (an old master not yet demoted) is lost with it, so
// it is made again where they point (adv14e item 1: "released g6 on <old master>", exit 0, while
// the permit stayed taken on the new one). Every release is compare-and-act: one made where
// nothing of ours is recorded changes nothing (NotHeld).
ReleaseResult LeaseKeeper::release() {
    movedFrom_.clear();
    std::optional<ReleaseResult> done;  // Released / StillHeld on an earlier master
    for (int round = 0;; ++round) {
        const auto current = named();
        if (!current.empty() && current != context_.nodes) {
            LockContext moved = contextOn(current);
            auto there = makeLockStrategy(lock_->id(), moved);
            if (movedFrom_.empty()) movedFrom_ = node();
            lock_ = std::move(there);
            context_ = std::move(moved);
        }
        ReleaseResult result = lock_->release(lease_);
        if (result == ReleaseResult::NotHeld && done) result = *done;  // it replicated
        const auto after = named();
        if (after.empty() || after == context_.nodes || round >= 2) return result;
        if (result == ReleaseResult::Released || result == ReleaseResult::StillHeld) done = result;
    }
}

bool LeaseKeeper::masterMoved() const {
    const auto current = named();
    return !current.empty() && current != context_.nodes;
}

namespace {

// What a waiter waits through instead of giving up: the master paused, dying or being replaced
// (no reply, refused), a demoted node refusing writes, a server loading its data.
bool waitThrough(const redis::Error& e) {
    switch (e.kind()) {
        case redis::ErrorKind::Connect:
        case redis::ErrorKind::Timeout:
        case redis::ErrorKind::Closed:
        case redis::ErrorKind::Io:
        case redis::ErrorKind::Busy:
        case redis::ErrorKind::ReadOnly:
            return true;
        default:
            return false;
    }
}

// What both following waits share: the deadline, the caller's cancel, the notes, asking the
// Sentinels, the pause between failed attempts, and a watcher that stops one attempt when the
// Sentinels name other servers than the ones it waits on.
class Following {
public:
    using Steady = std::chrono::steady_clock;
    Following(const WaitOptions& wait, const LeaseKeeper::Resolver& where,
              const FollowingWait& following)
        : deadline_(Steady::now() + wait.timeout),
          wait_(wait),
          where_(where),
          following_(following) {}

    Steady::time_point deadline() const { return deadline_; }
    bool cancelled() const { return wait_.cancel && wait_.cancel->load(); }
    bool over() const { return cancelled() || Steady::now() >= deadline_; }
    void say(const std::string& line) const {
        if (following_.note) following_.note(line);
    }
    // The servers named now; empty when nobody could say (the caller's node stands).
    std::vector<redis::Endpoint> named() const {
        try {
            return where_();
        } catch (const std::exception&) {
            return {};
        }
    }
    // Sleeps a little between failed attempts; false when the wait is over.
    bool pause() const {
        const auto until = std::min(deadline_, Steady::now() + milliseconds(100));
        while (Steady::now() < until && !cancelled()) std::this_thread::sleep_for(milliseconds(10));
        return Steady::now() < deadline_ && !cancelled();
    }
    // What is left of the wait, and that much of it as one attempt's options, which `interrupt`
    // stops.
    milliseconds left() const {
        return std::max(milliseconds(0),
                        std::chrono::duration_cast<milliseconds>(deadline_ - Steady::now()));
    }
    WaitOptions slice(std::atomic<bool>& interrupt) const {
        WaitOptions o = wait_;
        o.timeout = left();
        o.cancel = &interrupt;
        return o;
    }
    // While an attempt waits on `nodes`: asks the Sentinels every followEvery and sets
    // `interrupt` when they name other servers or the caller cancels. Joined when destroyed.
    std::jthread watch(std::vector<redis::Endpoint> nodes, std::atomic<bool>& interrupt) const {
        return std::jthread([this, nodes = std::move(nodes), &interrupt](std::stop_token stop) {
            auto askAt = Steady::now() + following_.followEvery;
            while (!stop.stop_requested()) {
                if (cancelled()) {
                    interrupt = true;
                    return;
                }
                if (Steady::now() >= askAt) {
                    const auto now = named();
                    if (!now.empty() && now != nodes) {
                        interrupt = true;
                        return;
                    }
                    askAt = Steady::now() + following_.followEvery;
                }
                std::this_thread::sleep_for(milliseconds(20));
            }
        });
    }

private:
    Steady::time_point deadline_;
    const WaitOptions& wait_;
    const LeaseKeeper::Resolver& where_;
    const FollowingWait& following_;
};

}  // namespace

std::optional<Lease> acquireFollowing(std::unique_ptr<LockStrategy>& lock, LockContext& context,
                                      std::string_view key, milliseconds ttl,
                                      const WaitOptions& wait, const LeaseKeeper::Resolver& where,
                                      const FollowingWait& following) {
    if (!where)
        return wait.timeout > milliseconds(0) ? lock->acquire(key, ttl, wait)
                                              : lock->tryAcquire(key, ttl);
    const Following f(wait, where, following);
    const std::string name(key);
    std::optional<redis::Error> lastError;
    while (true) {
        // Wait where the master is now.
        const auto current = f.named();
        if (!current.empty() && current != context.nodes) {
            try {
                LockContext moved = context;
                moved.nodes = current;
                // The same identity there (adv14e item 3): a fair waiter's queue entry or a
                // writer's claim, replicated, is its own place — not a second entry at the tail.
                moved.config.redissonInstanceId = lock->redissonInstance();
                auto there = makeLockStrategy(lock->id(), moved);
                f.say("the master moved from " + displayList(context.nodes) + " to " +
                      displayList(current) + "; waiting there");
                lock = std::move(there);
                context = std::move(moved);
            } catch (const redis::Error& e) {
                if (!waitThrough(e)) throw;
                lastError = e;
                if (f.pause()) continue;
                break;
            }
        }
        // One attempt, stopped when the master moves (asked every followEvery) or the caller
        // cancels.
        const auto left = f.left();
        std::atomic<bool> interrupt{false};
        const WaitOptions slice = f.slice(interrupt);
        std::optional<Lease> lease;
        bool failed = false;
        {
            std::jthread watcher;
            if (left > milliseconds(0)) watcher = f.watch(context.nodes, interrupt);
            try {
                lease = left > milliseconds(0) ? lock->acquire(key, ttl, slice)
                                               : lock->tryAcquire(key, ttl);
                lastError.reset();
            } catch (const redis::Error& e) {
                if (!waitThrough(e)) throw;
                lastError = e;
                failed = true;
            }
        }  // the watcher stops here
        if (lease) {
            // Granted: a success only if the Sentinels still name the server it was taken on (an
            // old master accepts writes until it is demoted).
            const auto now = f.named();
            if (now == context.nodes) return lease;
            try {
                lock->release(*lease);
            } catch (const redis::Error&) {
                // Demoted or gone: the grant goes with it (or runs out).
            }
            f.say("got " + name + " on " + displayList(context.nodes) + ", but " +
                  (now.empty() ? std::string("no Sentinel could confirm it is still the master")
                               : "the master is now " + displayList(now)) +
                  ": gave it back there and not counted; waiting on");
        }
        if (f.over()) break;
        if (failed && !f.pause()) break;
    }
    if (lastError) throw *lastError;
    return std::nullopt;
}

bool awaitLatchFollowing(LockContext& context, std::string_view key, const WaitOptions& wait,
                         const LeaseKeeper::Resolver& where, const FollowingWait& following) {
    if (!where) return CountDownLatch(context).await(key, wait);
    const Following f(wait, where, following);
    std::optional<redis::Error> lastError;
    std::optional<CountDownLatch> latch;
    while (true) {
        const auto current = f.named();
        if (!current.empty() && current != context.nodes) {
            f.say("the master moved from " + displayList(context.nodes) + " to " +
                  displayList(current) + "; waiting there");
            context.nodes = current;
            latch.reset();
        }
        const auto left = f.left();
        std::atomic<bool> interrupt{false};
        const WaitOptions slice = f.slice(interrupt);
        bool open = false, failed = false;
        {
            std::jthread watcher;
            if (left > milliseconds(0)) watcher = f.watch(context.nodes, interrupt);
            try {
                if (!latch) latch.emplace(context);
                open = latch->await(key, slice);
                lastError.reset();
            } catch (const redis::Error& e) {
                if (!waitThrough(e)) throw;
                lastError = e;
                failed = true;
                latch.reset();  // its connection may be broken: a new one next time
            }
        }  // the watcher stops here
        // Open counts only where the Sentinels still point: an old master may have missed the
        // count-downs made on the new one, or seen ones the new one never got.
        if (open) {
            const auto now = f.named();
            if (now.empty() || now == context.nodes) return true;
        }
        if (f.over()) break;
        if (failed && !f.pause()) break;
    }
    if (lastError) throw *lastError;
    return false;
}

}  // namespace lockscope::locks

// `semaphore`: N permits in Redisson's RSemaphore layout (docs/client-formats.md#format-semaphore):
//
//     <key>                  string  the permits free now
//     lockscope_meta:{<key>} hash    {kind: semaphore, size: N} — LockScope's own record (Redisson
//                                    keeps none): how many permits there are, and the evidence
//                                    that tells the monitor this integer is not a counter
//                            permit:<token> = 1, one per permit a LockScope acquire holds: release
//                                    gives a permit back only by removing its token (once, and
//                                    only a token acquire issued; docs/client-formats.md
//                                    #plain-permit-record)
//     release  PUBLISH "redisson_sc:{<key>}" <permits free now>
//
// A semaphore that does not exist is created with LockConfig::permits (Redisson's
// trySetPermits); one that exists keeps its size. acquire() takes one permit (DECR when one is
// free), release() gives it back (INCR, never past the recorded size) and wakes the waiters, who
// sleep on the channel — nobody polls.
//
// Hazard the demos show: a permit names no holder and has no lease. A holder that dies keeps its
// permit forever: the semaphore shrinks by one for good (`demo lock --strategy semaphore --fault
// crash-holder`); expirable-semaphore is the cure. Lease.token is a LockScope token only this
// client knows; Lease.ttl means nothing here (extend is not supported).
//
// Thread contract: see LockStrategy.
#pragma once

#include "locks/lock_strategy.h"
#include "locks/wake_channel.h"

namespace lockscope::locks {

// Redisson's "redisson_sc:{<key>}", for both semaphores.
std::string semaphoreChannel(std::string_view key);

// A token released after permits were given back by count while the tokens still recorded
// (`others` of them) claim every permit taken: the token goes, no permit goes back (its permit is
// counted as one of those given back; client-formats.md#plain-permit-record). The words every
// release says then (`lock release --token`, `lock acquire --hold`'s release, the dashboard).
std::string permitCountedAsGivenBack(long long others);

class SemaphoreLock final : public LockStrategy {
public:
    explicit SemaphoreLock(LockContext context);

    std::string_view id() const override { return "semaphore"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    // Released; NotHeld when the record holds no such token (never issued, or given back
    // already) or every permit is already back. A bare integer adopted: no record, trusted.
    // Released too when the token goes but its permit counts as one given back by count
    // (permitCountedAsGivenBack): releaseNote() then says so, "" otherwise.
    ReleaseResult release(const Lease& lease) override;
    const std::string& releaseNote() const { return releaseNote_; }
    // Whether the record on this server still holds `lease`'s token (a bare integer adopted keeps
    // no record: true, on trust). A plain permit has no lease to renew: this is how its holder
    // checks it is still its own, and that a new master after a failover has it (LeaseKeeper).
    // Throws redis::Error.
    bool holds(const Lease& lease);
    // Whether this server says it is a master (ROLE): a node being demoted may still answer for a
    // moment. Throws redis::Error.
    bool isMaster();
    bool supportsExtend() const override { return false; }
    LockInfo inspect(std::string_view key) override;

private:
    LockContext context_;
    redis::Connection conn_;
    WakeChannel wake_;
    std::string releaseNote_;
};

}  // namespace lockscope::locks

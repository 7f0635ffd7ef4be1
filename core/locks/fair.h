// `fair`: a FIFO lock in Redisson's RFairLock layout (docs/client-formats.md#format-fair), so
// LockScope, Java services and the monitor read and write the same locks:
//
//     <key>                           hash  "<uuid>:<threadId>" → hold count, PEXPIRE lease
//     redisson_lock_queue:{<key>}     list  waiting holders' fields, in arrival order
//     redisson_lock_timeout:{<key>}   zset  field → epoch ms after which the waiter counts as gone
//     unlock  PUBLISH "redisson_lock__channel:{<key>}:<head's field>" "0"  — to the head only
//
// The lock is granted to whoever asks only when it is free and nobody waits, or to the head of the
// queue. A release publishes to the head's own channel: the next holder is handed the lock by one
// message, the others sleep on — nobody polls, nobody races. A grant to the head tells the waiter
// behind it that it is now the head, so it wakes when that lease runs out even if its holder dies
// without a release. A single try (tryAcquire, or acquire with timeout 0) never queues and never
// jumps the queue.
//
// Waiter timeouts: each waiter's score is its own deadline (server time + waiterTimeout), renewed
// every waiterTimeout / 3 while it waits. A waiter that dies stops renewing; once its deadline
// passes, the next attempt by anyone drops it, and the waiter behind it retries at exactly that
// deadline — so a dead waiter holds the queue up for at most waiterTimeout. A waiter that gives up
// leaves the queue and, if the lock is free, tells the new head.
//
// Where this differs from Redisson (which writes client-clock deadlines, each the previous
// waiter's plus threadWaitTime, and subtracts threadWaitTime from all of them at every grant):
// deadlines are server time and renewed by the waiter itself, so a live waiter never times out
// behind a long-held lock. Sharing a queue with Redisson clients stays safe (mutual exclusion is
// the hash's, unchanged), but a Redisson grant shortens every deadline by its threadWaitTime and
// can drop LockScope waiters, which then rejoin at the tail: FIFO is only promised among
// LockScope clients.
//
// Leases: ttl > 0, extended with extend(); no watchdog mode (ttl 0 is refused).
//
// Thread contract: see LockStrategy; each thread holds and waits under its own field.
#pragma once

#include "locks/lock_strategy.h"
#include "locks/wake_channel.h"

namespace lockscope::locks {

class FairLock final : public LockStrategy {
public:
    explicit FairLock(LockContext context);

    std::string_view id() const override { return "fair"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;
    std::string redissonInstance() const override { return instanceId_; }

    std::string fieldForThisThread() const;
    // "redisson_lock__channel:{<key>}:<field>": where a release tells `field` its turn came.
    static std::string waiterChannel(std::string_view key, std::string_view field);

private:
    struct Attempt {
        std::optional<Lease> lease;
        long long retryMs = -1;  // when something may change: -1 only a message will tell
    };
    Attempt attempt(std::string_view key, milliseconds ttl, bool enqueue);
    void leaveQueue(std::string_view key, const std::string& field) noexcept;

    LockContext context_;
    std::string instanceId_;
    redis::Connection conn_;
    WakeChannel wake_;
};

}  // namespace lockscope::locks

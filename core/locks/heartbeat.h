// `heartbeat` (seed 001, docs/seed-recipes.md#seed-001-heartbeat): the holder keeps the lock alive
// by beating a counter; a waiter that sees no beat for `missedBeats` beat periods takes the lock
// over. The key has no TTL: liveness is the beat, not a lease.
//
// Redis layout (a hash, so the holder and its rhythm can be read back by the monitor):
//
//     <key>  { owner: <LockScope token, owner.h>, beat: <n>, period_ms: <p> }   no TTL
//
// period = ttl / missedBeats (the ttl given to acquire is the liveness window).
//
// How and why this differs from seed 001 (whose Python shows the idea, not a safe recipe):
//  - The seed's value is a bare counter: nobody can tell who holds the lock, and the waiter's
//    takeover is `GETSET mylock 1` followed by `old_heart < now_heart`. Two waiters can both reset
//    the counter, and a holder beating in between is clobbered anyway — the check happens after
//    the write. Here the takeover is one Lua compare-and-set that writes only if `owner` AND
//    `beat` are still exactly what the waiter watched stand still for missedBeats periods.
//  - The seed's holder INCRs blindly forever, even after a takeover: it never learns that it lost
//    the lock (and keeps "beating" the new holder's counter). Here a beat increments only while
//    `owner` is still our token and reports the loss otherwise (isLost(), lostLeases()).
//
// Hazard the demos show: takeover latency (about missedBeats periods after the holder dies)
// against false takeover of a holder that is only paused (SIGSTOP, GC, swap) for longer than
// that. The paused holder learns it lost the lock at its next beat — but it may have acted under
// the lock in the meantime (use `fenced` when the resource must reject it).
//
// Waiters measure "no change for N periods" with context.clock->steadyNow() (injectable, so tests
// can move time), using the holder's advertised period_ms. The beater thread schedules with the
// real steady clock: it must really sleep.
//
// Thread contract: see LockStrategy. With config.autoBeat, a beater thread (own connection, same
// client name) beats every lease this instance holds once per period until release() or the
// destructor (which does not release: the lock is taken over after N missed beats, as if the
// process had died). isLost(), lostLeases(), beatErrors() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "locks/lock_strategy.h"

namespace lockscope::locks {

class HeartbeatLock final : public LockStrategy {
public:
    explicit HeartbeatLock(LockContext context);
    ~HeartbeatLock() override;

    std::string_view id() const override { return "heartbeat"; }
    // Creates the hash if absent; otherwise records (owner, beat) for this key and, once it has
    // stood still for missedBeats of the holder's periods, takes the lock over (Lua CAS).
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    ReleaseResult release(const Lease& lease) override;
    // One manual beat; also sets the period to ttl / missedBeats. False (and isLost()) when the
    // lock was taken over.
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

    // True once a beat (automatic or extend()) found that someone else took this lease over.
    bool isLost(const Lease& lease) const;
    // Leases found taken over so far (by the beater thread or extend()).
    std::uint64_t lostLeases() const;
    // Connection errors on the beater thread (they are caught there; beats are retried next
    // period), and the last one's message.
    std::uint64_t beatErrors() const;
    std::string lastBeatError() const;

    milliseconds periodFor(milliseconds ttl) const;

private:
    struct Observation {
        std::string owner;
        std::string beat;
        milliseconds period{0};                       // the holder's period_ms
        std::chrono::steady_clock::time_point since;  // when we first saw (owner, beat)
    };
    struct Held {
        std::string token;
        milliseconds period{0};
        std::chrono::steady_clock::time_point nextBeat;
    };

    void beatLoop() noexcept;
    void noteLost(const std::string& key, const std::string& token);

    LockContext context_;
    redis::Connection conn_;
    std::unordered_map<std::string, Observation> observed_;  // user thread only

    // Shared with the beater thread.
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::unordered_map<std::string, Held> held_;  // key → lease the beater keeps alive
    std::unordered_set<std::string> lost_;        // tokens found taken over
    std::uint64_t lostCount_ = 0;
    std::uint64_t beatErrors_ = 0;
    std::string lastBeatError_;
    std::thread beater_;
};

}  // namespace lockscope::locks

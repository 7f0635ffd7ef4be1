#include "ui/common/core_text.h"

#include <QCoreApplication>
#include <QStringList>

#include "demo/teaching_text.h"

namespace lockscope::ui {
namespace {

// One entry per core message id: QT_TRANSLATE_NOOP3(context, English, id) is {English, id}, and
// lupdate extracts the English with the id as its disambiguation. A new strategy, fault or state
// adds its lines here (docs/translations.md); tests/ui/common/test_translations fails while an id
// of demo::teachingTexts() has none.
constexpr CoreTextEntry kEntries[] = {
    QT_TRANSLATE_NOOP3("CoreText",
                       "SETNX then EXPIRE (two commands); release by WATCH/GET/MULTI/DEL compare",
                       "lock.setnx-expire.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a crash between SETNX and EXPIRE leaves a lock with no TTL, held forever",
                       "lock.setnx-expire.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "value = expiry timestamp; an expired lock is taken over with GETSET",
                       "lock.setnx-getset.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "depends on client clocks agreeing; release checks the time, not the owner",
                       "lock.setnx-getset.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SET key token NX PX ttl; release and extend compare the token (Lua)",
                       "lock.set-nx-px.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "a holder paused past its TTL still believes it holds the lock",
                       "lock.set-nx-px.hazard"),
    QT_TRANSLATE_NOOP3("CoreText", "holder beats a counter; others take over after N missed beats",
                       "lock.heartbeat.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "takeover latency vs. false takeover of a holder that is only paused",
                       "lock.heartbeat.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SET NX PX on N independent masters, quorum N/2+1, validity minus drift",
                       "lock.redlock.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a clock jump or a restart without persistence on one node makes two "
                       "majorities",
                       "lock.redlock.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "Redisson-compatible hash lock with hold counts, watchdog and unlock "
                       "channel",
                       "lock.reentrant.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "the watchdog keeps a hung (but alive) holder's lock forever",
                       "lock.reentrant.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "set-nx-px plus a fencing token (INCR) the protected resource checks",
                       "lock.fenced.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "SET NX PX, but released with a plain DEL",
                       "lock.unsafe-del.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "deletes another client's lock after its own lease expired",
                       "lock.unsafe-del.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "GET, add in the client, SET: two commands with a gap between them",
                       "counter.naive.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "loses updates: a SET overwrites the increments made since its GET",
                       "counter.naive.contention"),
    QT_TRANSLATE_NOOP3("CoreText", "INCRBY: the server adds, one atomic command",
                       "counter.incr.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "exact", "counter.incr.contention"),
    QT_TRANSLATE_NOOP3("CoreText", "WATCH/GET/MULTI/SET/EXEC, retried whenever EXEC aborts",
                       "counter.watch.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "exact, with retries: EXEC aborts when another client wrote since the WATCH",
                       "counter.watch.contention"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "GET+SET inside a lock; locked:<lock strategy> picks it (default set-nx-px)",
                       "counter.locked.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "exact while the lock holds; inherits the lock's hazards",
                       "counter.locked.contention"),
    QT_TRANSLATE_NOOP3("CoreText", "read-modify-write in one Lua script", "counter.lua.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "exact", "counter.lua.contention"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "hash {value, version}; write only if the version is unchanged (optimistic)",
                       "counter.versioned.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "exact, with conflicts: a write whose version moved is refused and retried",
                       "counter.versioned.contention"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "merge increments locally; one INCRBY per interval (request merging)",
                       "counter.batched.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "exact after the final flush, with far fewer round trips; unflushed "
                       "increments die with the process",
                       "counter.batched.contention"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "per-user daily vote limit: capped:naive checks then INCRs, capped:atomic "
                       "in Lua",
                       "counter.capped.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "naive over-votes past the cap; atomic never exceeds it",
                       "counter.capped.contention"),
    QT_TRANSLATE_NOOP3("CoreText", "no fault: plain contention", "fault.none.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SIGSTOP the holder inside its critical section for longer than the TTL, "
                       "then SIGCONT",
                       "fault.pause-holder.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SIGKILL the holder while it holds the lock (setnx-expire: between SETNX "
                       "and EXPIRE)",
                       "fault.crash-holder.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "one worker's wall clock runs ahead (--skew MS, negative: behind) of "
                       "everyone else's",
                       "fault.clock-skew.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "pause K of the N redlock nodes (--down K, --down-for MS), then resume them",
                       "fault.node-down.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "restart one redlock node without persistence under a holder with a bare "
                       "majority",
                       "fault.node-restart.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "node-restart, but the node stays down longer than the TTL before it "
                       "restarts empty",
                       "fault.node-restart-delayed.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "on master + replica + Sentinels: fail over before the lock replicated "
                       "(--wait-replicas 1: WAIT)",
                       "fault.failover-before-replication.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "no fault: the lock keeps holders apart, every update lands.",
                       "outcome.none.any"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lease ran out during the pause and the next holder got in while the "
                       "paused one was still inside (an overlap) — but its fencing token was "
                       "older, so the resource rejected its stale write: nothing lost.",
                       "outcome.pause-holder.fenced"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a paused process beats no more: the waiters took over after the missed "
                       "beats while the holder was still inside; on SIGCONT it wrote its stale "
                       "value (overwriting the increments made meanwhile) and only learned at its "
                       "next beat that it had lost the lock.",
                       "outcome.pause-holder.heartbeat"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SIGSTOP stops the watchdog too, so the lease ran out and a waiter got in "
                       "while the holder was still inside; on SIGCONT its stale write overwrote "
                       "the increments made meanwhile.",
                       "outcome.pause-holder.reentrant"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the expiry timestamp passed during the pause and a waiter took the lock "
                       "over with GETSET; the paused holder's stale write then overwrote the "
                       "increments made meanwhile, and its release (which checks the time, not the "
                       "owner) deleted the new holder's lock.",
                       "outcome.pause-holder.setnx-getset"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the TTL ran out during the pause and a waiter got in; the paused holder's "
                       "stale write overwrote the increments made meanwhile, and its plain DEL "
                       "then removed the new holder's lock, letting a third one in.",
                       "outcome.pause-holder.unsafe-del"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the TTL ran out while the holder was paused, so the next holder got in "
                       "while it was still inside; on SIGCONT it wrote the value it had read "
                       "before the pause, overwriting every increment made meanwhile. Only its "
                       "release noticed the lock was no longer its own.",
                       "outcome.pause-holder.any"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "killed between SETNX and EXPIRE: the lock has no TTL and nobody can ever "
                       "take it — every other worker waits until it gives up.",
                       "outcome.crash-holder.setnx-expire"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a dead holder beats no more: a waiter took over after the missed beats, "
                       "and the half-done section wrote nothing.",
                       "outcome.crash-holder.heartbeat"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the watchdog died with the process, so the lease ran out and the others "
                       "carried on; the half-done section wrote nothing.",
                       "outcome.crash-holder.reentrant"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lock expired after its TTL and the others carried on; the killed "
                       "holder's half-done section wrote nothing.",
                       "outcome.crash-holder.any"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lock's value is an expiry time from the client's clock, and the skewed "
                       "client's clock is behind by at least the TTL: the expiry it wrote into its "
                       "own lock was already past by everyone else's clock, so the others took its "
                       "lock over with GETSET while it was still inside — and its release, judging "
                       "the time by its slow clock, could delete the lock of the client that had "
                       "taken over.",
                       "outcome.clock-skew.setnx-getset.behind"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lock's value is an expiry time from the client's clock, but the skew "
                       "is smaller than the TTL: a lock is judged expired early only in the last "
                       "skew-sized part of its lease, and holders that finish sooner are never "
                       "taken over — the skew may change nothing. With a skew of at least the TTL, "
                       "it always does.",
                       "outcome.clock-skew.setnx-getset.small"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lock's value is an expiry time from the client's clock, and the skewed "
                       "client's clock is ahead by at least the TTL: it judged the others' live "
                       "locks expired by its own clock and took them over with GETSET while their "
                       "holders were inside.",
                       "outcome.clock-skew.setnx-getset"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "this recipe's expiry is kept by the Redis server (a TTL) or by elapsed "
                       "time, never by a client's wall clock: the skew changed nothing.",
                       "outcome.clock-skew.any"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a majority of nodes still answered: acquisitions went on (each a little "
                       "slower, waiting out the unreachable nodes' timeout) and mutual exclusion "
                       "held.",
                       "outcome.node-down.redlock.minority"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "without a majority nobody can acquire: the demo stalled while the nodes "
                       "were down and resumed when they came back — unavailable, but never unsafe.",
                       "outcome.node-down.redlock.majority"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the holder had a bare majority; the restarted node forgot its key, and "
                       "with the nodes that had crashed and come back empty another client "
                       "assembled a second majority while the first still held a valid lease — two "
                       "holders at once.",
                       "outcome.node-restart.redlock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the holder had a bare majority and one of its nodes crashed — but it "
                       "stayed down longer than the TTL before coming back empty: while the lease "
                       "was valid nobody could assemble a majority without that node, and by the "
                       "time it returned every lease it had granted had expired. No second holder; "
                       "the others carried on once the holder released.",
                       "outcome.node-restart-delayed.redlock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "with WAIT after SET, the master's grant that no replica had acknowledged "
                       "(WAIT returned 0) was given back instead of used; after the failover only "
                       "the client that acquired on the new master entered — no double grant. The "
                       "price is availability: the new master's grants count only once a replica "
                       "acknowledges them, so the second client waited until the old master had "
                       "rejoined as its replica (~10 s). WAIT narrows the window, it does not "
                       "close it in general: with several replicas Sentinel may promote one that "
                       "did not acknowledge.",
                       "outcome.failover-before-replication.any.wait"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the lock was granted on the master, but the replica had not applied the "
                       "write when Sentinel promoted it: the new master had never seen the lock "
                       "and granted it again — two holders at once; the first holder's stale write "
                       "then overwrote the second's increment.",
                       "outcome.failover-before-replication.any"),
    QT_TRANSLATE_NOOP3("CoreText", "held", "state.held.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "Held, with a TTL: it frees itself when the TTL runs out, unless the holder "
                       "renews it first.",
                       "state.held.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "expiring", "state.expiring.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "Held, but its TTL is about to run out: the holder has not renewed it.",
                       "state.expiring.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "stuck-no-ttl", "state.stuck-no-ttl.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "Held without a TTL: if the holder is gone, nobody will ever get it. Check "
                       "the holder, then force-release it.",
                       "state.stuck-no-ttl.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "expired-timestamp", "state.expired-timestamp.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "The expiry timestamp stored in the value is in the past: the next waiter "
                       "will take it over (setnx-getset).",
                       "state.expired-timestamp.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "heartbeat-stale", "state.heartbeat-stale.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "The heartbeat stopped moving for longer than its beat period: the holder "
                       "is paused or dead, and waiters will take over.",
                       "state.heartbeat-stale.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "orphaned", "state.orphaned.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "The holder's own connection is gone from CLIENT LIST: the process that "
                       "took it has died or lost its connection.",
                       "state.orphaned.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "split", "state.split.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "The nodes of the Redlock group disagree: some hold another value or none.",
                       "state.split.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "free", "state.free.name"),
    QT_TRANSLATE_NOOP3("CoreText", "Nobody holds it any more: the key was deleted or expired.",
                       "state.free.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "unknown", "state.unknown.name"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "An integer lock without a TTL: a process id (stuck if its holder is gone) "
                       "or a live heartbeat counter. One look cannot tell: watch it for a few "
                       "beats (locks --observe) to see whether it moves.",
                       "state.unknown.meaning"),
    QT_TRANSLATE_NOOP3("CoreText", "unreachable", "stale.unreachable"),
    QT_TRANSLATE_NOOP3("CoreText", "clusterdown", "stale.clusterdown"),
    QT_TRANSLATE_NOOP3("CoreText", "busy", "stale.busy"),
    QT_TRANSLATE_NOOP3("CoreText", "loading", "stale.loading"),
    QT_TRANSLATE_NOOP3("CoreText", "tryagain", "stale.tryagain"),
    QT_TRANSLATE_NOOP3("CoreText", "masterdown", "stale.masterdown"),
    QT_TRANSLATE_NOOP3("CoreText", "no-permission", "stale.no-permission"),
    QT_TRANSLATE_NOOP3("CoreText", "redirect", "stale.redirect"),
    QT_TRANSLATE_NOOP3("CoreText", "error", "stale.error"),
    QT_TRANSLATE_NOOP3("CoreText", "standalone", "role.standalone"),
    QT_TRANSLATE_NOOP3("CoreText", "master", "role.master"),
    QT_TRANSLATE_NOOP3("CoreText", "replica", "role.replica"),
    QT_TRANSLATE_NOOP3("CoreText", "sentinel", "role.sentinel"),
    QT_TRANSLATE_NOOP3("CoreText", "running", "node-state.running"),
    QT_TRANSLATE_NOOP3("CoreText", "paused", "node-state.paused"),
    QT_TRANSLATE_NOOP3("CoreText", "stopped", "node-state.stopped"),
    QT_TRANSLATE_NOOP3("CoreText", "standalone", "topology.standalone"),
    QT_TRANSLATE_NOOP3("CoreText", "redlock", "topology.redlock"),
    QT_TRANSLATE_NOOP3("CoreText", "sentinel", "topology.sentinel"),
    QT_TRANSLATE_NOOP3("CoreText", "cluster", "topology.cluster"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "check-then-INCR is two requests: several workers read a count below the "
                       "cap before any of their INCRs landed, so users got up to %1 votes against "
                       "a cap of %2 (%3 over-votes).",
                       "counter-why.capped.naive.over-votes"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "no over-vote this time (%1 worker(s) never raced at the cap); the gap "
                       "between the check and the INCR is still there — run more workers.",
                       "counter-why.capped.naive.no-race"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the check and the INCRs run in one script, so no user got past the cap of "
                       "%1 (most votes by one user: %2); %3 votes over the limit were refused.",
                       "counter-why.capped.atomic"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "UNEXPECTED: a user got past the cap of %1 (most votes by one user: %2); %3 "
                       "votes over the limit were refused.",
                       "counter-why.capped.atomic.over-cap"),
    QT_TRANSLATE_NOOP3("CoreText", "NOT exact: %1 of %2 acknowledged increments are missing.",
                       "counter-why.not-exact"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "NOT exact: %1 of %2 acknowledged increments are missing although every "
                       "GET+SET ran under the %3 lock: it let two workers in at once (%4).",
                       "counter-why.locked.not-exact"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "GET and SET are two commands: while one worker added 1 to what it had "
                       "read, others wrote, and its SET overwrote their increments — %1 of %2 "
                       "updates lost (%3%).",
                       "counter-why.naive.lost"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "one worker cannot race itself: run with more workers to see GET+SET lose "
                       "updates.",
                       "counter-why.naive.one-worker"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "no overlap happened this time; the gap between GET and SET is still there "
                       "— run more ops.",
                       "counter-why.naive.no-overlap"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "INCRBY adds on the server in one command, so increments cannot interleave: "
                       "exact, one round trip each.",
                       "counter-why.incr"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "GET, add and SET run in one script, and Redis runs a script to completion "
                       "before serving anyone else: exact, one round trip each.",
                       "counter-why.lua"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "EXEC aborted whenever another worker wrote after this one's WATCH; the "
                       "loop retried from a fresh GET (%1 retries, %2 per increment) and only "
                       "committed transactions count: exact.",
                       "counter-why.watch"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a write landed only if the version was still the one read; %1 writes found "
                       "it moved (a conflict, %2 per increment) and retried from a fresh read: "
                       "exact.",
                       "counter-why.versioned"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock "
                       "attempts found it busy.",
                       "counter-why.locked"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock "
                       "attempts found it busy, and %3 increments gave up waiting.",
                       "counter-why.locked.gave-up"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "increments were merged locally and sent as %1 INCRBYs for %2 increments "
                       "(%3x fewer round trips); exact once every worker flushed. Until a flush "
                       "Redis lags, and a crash loses what is pending.",
                       "counter-why.batched"),
    QT_TRANSLATE_NOOP3("CoreText", "exact.", "counter-why.exact"),
    QT_TRANSLATE_NOOP3("CoreText", "not exact.", "counter-why.inexact"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the run ended before the fault could be injected: give it more --ops.",
                       "verdict.not-injected"),
    QT_TRANSLATE_NOOP3("CoreText", "holders overlapped without any fault: %1.",
                       "verdict.overlap-without-fault"),
    QT_TRANSLATE_NOOP3("CoreText", "not as documented (%1). Documented: %2",
                       "verdict.not-as-documented"),
    // Issue 14: the synchronisers, and the contention, readers-writers and semaphore lessons.
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "FIFO lock (Redisson RFairLock layout): the queue's head is handed the lock by "
        "message",
        "lock.fair.summary"),
    QT_TRANSLATE_NOOP3("CoreText", "a waiter that dies holds the queue up until its waiter timeout",
                       "lock.fair.hazard"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "many readers or one writer (Redisson RReadWriteLock layout), reentrant, "
                       "writers first",
                       "lock.read-write.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "with readers first (Redisson's own policy) a stream of readers starves the "
                       "writers",
                       "lock.read-write.hazard"),
    QT_TRANSLATE_NOOP3(
        "CoreText", "N permits (Redisson RSemaphore layout): take with DECR, give back with INCR",
        "lock.semaphore.summary"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "a permit has no owner and no lease: a crashed holder's permit never comes back",
        "lock.semaphore.hazard"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "N permits, each with its own lease (Redisson RPermitExpirableSemaphore layout)",
        "lock.expirable-semaphore.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a holder paused past its lease loses its permit to another (N + 1 inside)",
                       "lock.expirable-semaphore.hazard"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "countdown latch (Redisson RCountDownLatch layout): waiters block until it hits "
        "0",
        "lock.latch.summary"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "no fault: the workers race for the lock until the first is done; who got how "
        "many",
        "fault.contention.summary"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "read-write: throughput as the read share grows; writers' waits with and "
                       "without preference",
                       "fault.readers-writers.summary"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "a permit names no holder and has no lease: the killed holder's permit never "
        "came back, and with it gone the one-permit semaphore let nobody in again — "
        "every other worker waited until it gave up. The semaphore shrinks by one for "
        "good with every crash.",
        "outcome.crash-holder.semaphore"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "each permit has its own lease: the killed holder's permit came back when its "
        "lease ran out, and the next acquisition reclaimed it; the others carried on, "
        "and the half-done section wrote nothing.",
        "outcome.crash-holder.expirable-semaphore"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "the fair lock grants in arrival order: each waiter queues once and is handed "
        "the lock by message when its turn comes, so every worker got about as many "
        "acquisitions as the others and nobody's wait was much longer than a round of "
        "the queue.",
        "outcome.contention.fair"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "no order among waiters: after each release whoever retries first wins, so a "
        "worker that just released (or one whose backoff happened to be short) often "
        "takes the lock again while another keeps losing — uneven acquisitions and a "
        "long tail of waits. The fair lock is the cure.",
        "outcome.contention.any"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "readers held the lock together, so throughput grew with the share of reads, "
        "and no writer ever overlapped anyone. With writer preference a waiting writer "
        "stops new readers and gets in as soon as the readers inside leave; without it "
        "(Redisson's policy) readers keep joining readers, and under a read-heavy load "
        "a writer waits far longer — writer starvation.",
        "outcome.readers-writers.read-write"),
    // Said with a run's values (util/message.h, %1.. filled in): the monitor's evidence and details
    // (monitor/why_text.h), the demos' event lines and verdict details (demo/run_text.h), the
    // topology's notes (sandbox/topology.h).
    QT_TRANSLATE_NOOP3("CoreText", "%1 matches", "why.rule.named"),
    QT_TRANSLATE_NOOP3("CoreText", "a lock rule of yours matches", "why.rule.yours"),
    QT_TRANSLATE_NOOP3("CoreText", "known layout: value is a LockScope token",
                       "why.layout.lockscope-token"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: value is an expiry time in epoch ms (seed 000 / LockScope setnx-getset)",
        "why.layout.setnx-getset"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: hash {owner, beat, period_ms} (LockScope heartbeat)",
                       "why.layout.heartbeat"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: hash of <uuid>:<threadId> hold counts, uuid of a connected LockScope client",
        "why.layout.reentrant"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: hash of <uuid>:<threadId> hold counts (Redisson RLock)",
                       "why.layout.redisson-lock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: Redisson lock hash with a redisson_lock_token counter",
                       "why.layout.redisson-fenced-lock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: Redisson lock hash with a 'mode' field (RReadWriteLock)",
                       "why.layout.redisson-rw-lock"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: zset of 44-char tokens scored by their expiry in ms (Symfony Lock)",
        "why.layout.symfony-lock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: <digest>:LOCKED, a hash of job id → time locked "
                       "(sidekiq-unique-jobs; shown only: unlock it with the library)",
                       "why.layout.sidekiq-unique-jobs"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: <queue>:<job id>:lock holding <worker uuid>:<n>, the "
                       "worker's token for the job (BullMQ)",
                       "why.layout.bullmq"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: activejob_uniqueness:<job>:<digest> holding a UUID "
                       "(activejob-uniqueness, redlock-rb)",
                       "why.layout.activejob-uniqueness"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: qo_<task>_<args> holding a uuid1 hex token or its expiry, "
                       "with a TTL (celery_once)",
                       "why.layout.celery-once"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: a 16-character owner stored raw under Laravel's cache "
                       "prefix (Cache::lock; other cache values are PHP-serialized)",
                       "why.layout.laravel-cache-lock"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a process's identity host:pid:nonce (as Sidekiq's)",
                       "why.shape.process-nonce"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a hash with an owner field", "why.shape.hash-owner"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a time (epoch µs or ns, or ISO-8601)",
                       "why.shape.time"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "value is binary (a Python pickle / Ruby Marshal value) holding true or a "
                       "short string",
                       "why.shape.serialized"),
    QT_TRANSLATE_NOOP3("CoreText", "the TTL ends it, not the time in the value",
                       "why.time.ttl-ends"),
    QT_TRANSLATE_NOOP3("CoreText", "a time past without a TTL: when it was taken, nothing ends it",
                       "why.time.taken"),
    QT_TRANSLATE_NOOP3("CoreText", "the time is its expiry (no TTL: the next waiter checks it)",
                       "why.time.expiry"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: Redisson lock hash with a redisson_lock_queue (RFairLock)",
                       "why.layout.redisson-fair-lock"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: RFairLock hash and queue, uuid of a connected LockScope client (fair)",
        "why.layout.fair"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: RFairLock queue (redisson_lock_queue) with %1 live waiter(s) "
                       "while the lock's key is missing — between a release and the first "
                       "waiter's grant, or its holder's lease ran out while others wait; waiters "
                       "past their deadline are not counted",
                       "why.queue-without-lock"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: RReadWriteLock hash, uuid of a connected LockScope client (read-write)",
        "why.layout.read-write"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: integer of free permits with LockScope's lockscope_meta record (semaphore)",
        "why.layout.semaphore"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "known layout: integer of free permits with a {k}:timeout lease set and LockScope's record",
        "why.layout.expirable-semaphore"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: integer of free permits with a {k}:timeout lease set "
                       "(RPermitExpirableSemaphore)",
                       "why.layout.redisson-expirable-semaphore"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: integer count with LockScope's lockscope_meta latch record",
                       "why.layout.latch"),
    QT_TRANSLATE_NOOP3("CoreText", "known layout: value is a uuid1 hex token (redis-py Lock)",
                       "why.layout.redis-py"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: lock:<name> with a 24-char base64 token (python-redis-lock)",
                       "why.layout.python-redis-lock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: 32 hex chars under a lock-like name (node-redlock's token)",
                       "why.layout.node-redlock"),
    QT_TRANSLATE_NOOP3("CoreText", "known layout: value ADDED:<time>@<host> (ShedLock)",
                       "why.layout.shedlock"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "known layout: lock.<name> holding its expiry in epoch ms (node redis-lock)",
                       "why.layout.node-redis-lock"),
    QT_TRANSLATE_NOOP3("CoreText", "known layout: ", "why.layout.other"),
    QT_TRANSLATE_NOOP3("CoreText", "name has '%1'", "why.name-has"),
    QT_TRANSLATE_NOOP3("CoreText", "value goes up every %1 ms", "why.goes-up-every"),
    QT_TRANSLATE_NOOP3("CoreText", "value goes up", "why.goes-up"),
    QT_TRANSLATE_NOOP3("CoreText", "integer goes up and down: a hold count, not a heartbeat",
                       "why.hold-count"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "integer unchanged for %1 s while watched: a process id, or a heartbeat "
                       "slower than that (not told apart yet)",
                       "why.integer-unchanged"),
    QT_TRANSLATE_NOOP3("CoreText", "value is JSON whose owner field names nobody",
                       "why.json-owner-nobody"),
    QT_TRANSLATE_NOOP3("CoreText", "integer: a process id or a heartbeat, not measured",
                       "why.integer-not-measured"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a LockScope token of another strategy",
                       "why.other-strategy-token"),
    QT_TRANSLATE_NOOP3("CoreText", "value is short text, taken for the holder's name",
                       "why.short-text"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a known layout", "why.shape.layout"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a random token", "why.shape.token"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a UUID", "why.shape.uuid"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a name (a host's, a process's or a person's)",
                       "why.shape.identity"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a flag", "why.shape.flag"),
    QT_TRANSLATE_NOOP3("CoreText", "value is an integer", "why.shape.integer"),
    QT_TRANSLATE_NOOP3("CoreText", "value is an epoch time in seconds", "why.shape.epoch-seconds"),
    QT_TRANSLATE_NOOP3("CoreText", "value is an epoch time in ms", "why.shape.epoch-ms"),
    QT_TRANSLATE_NOOP3("CoreText", "value is JSON with an owner", "why.shape.json"),
    QT_TRANSLATE_NOOP3("CoreText", "value is a number, which names no holder", "why.shape.number"),
    QT_TRANSLATE_NOOP3("CoreText", "value not of a known lock shape", "why.not-known-shape"),
    QT_TRANSLATE_NOOP3("CoreText", "TTL set", "why.ttl-set"),
    QT_TRANSLATE_NOOP3("CoreText", "no TTL", "why.no-ttl"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "a guess: a SETNX that never got its EXPIRE, or a switch an application "
                       "set (a forum thread a moderator locked) — if it is no lock, a not-lock "
                       "rule keeps it out",
                       "why.guess-no-ttl"),
    QT_TRANSLATE_NOOP3("CoreText", "beat %1, period %2 ms", "details.beat-period"),
    QT_TRANSLATE_NOOP3("CoreText", "beat %1, period not measured yet", "details.beat-unmeasured"),
    QT_TRANSLATE_NOOP3("CoreText", "may outlive its task: lockAtLeastFor keeps it",
                       "details.shedlock"),
    QT_TRANSLATE_NOOP3("CoreText", "expires more than ten years from now by this clock",
                       "details.expires-far"),
    QT_TRANSLATE_NOOP3("CoreText", "expired long ago (over ten years) by this clock",
                       "details.expired-long-ago"),
    QT_TRANSLATE_NOOP3("CoreText", "expires in %1 ms by this clock", "details.expires-in.ms"),
    QT_TRANSLATE_NOOP3("CoreText", "expires in %1 s by this clock", "details.expires-in.s"),
    QT_TRANSLATE_NOOP3("CoreText", "expires in %1 min by this clock", "details.expires-in.min"),
    QT_TRANSLATE_NOOP3("CoreText", "expires in %1 h by this clock", "details.expires-in.h"),
    QT_TRANSLATE_NOOP3("CoreText", "expires in %1 days by this clock", "details.expires-in.days"),
    QT_TRANSLATE_NOOP3("CoreText", "expired %1 ms ago by this clock", "details.expired-ago.ms"),
    QT_TRANSLATE_NOOP3("CoreText", "expired %1 s ago by this clock", "details.expired-ago.s"),
    QT_TRANSLATE_NOOP3("CoreText", "expired %1 min ago by this clock", "details.expired-ago.min"),
    QT_TRANSLATE_NOOP3("CoreText", "expired %1 h ago by this clock", "details.expired-ago.h"),
    QT_TRANSLATE_NOOP3("CoreText", "expired %1 days ago by this clock", "details.expired-ago.days"),
    QT_TRANSLATE_NOOP3("CoreText", "fencing token %1", "details.fencing-token"),
    QT_TRANSLATE_NOOP3("CoreText", "hold count %1", "details.hold-count"),
    QT_TRANSLATE_NOOP3("CoreText", "write-locked", "details.write-locked"),
    QT_TRANSLATE_NOOP3("CoreText", "read-locked by %1 reader(s)", "details.read-locked"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 writer(s) waiting", "details.writers-waiting"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 of %2 permits free", "details.permits-free"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "%1 permits free: %2 above its size %3 (given back more often than taken, "
                       "or added by a Redisson client)",
                       "details.permits-above-size"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 lease(s) ran out", "details.leases-ran-out"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 waiting in its queue, nobody holds it",
                       "details.queued-no-holder"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 of %2 count-downs to go", "details.count-downs-of"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 count-downs to go", "details.count-downs"),
    QT_TRANSLATE_NOOP3("CoreText", "may be a heartbeat (observe %1 s to tell)",
                       "details.maybe-heartbeat"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 of %2 nodes", "details.nodes"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "its value's time is %1 ms ago by this clock (when it was taken)",
                       "details.taken-ago.ms"),
    QT_TRANSLATE_NOOP3("CoreText", "its value's time is %1 s ago by this clock (when it was taken)",
                       "details.taken-ago.s"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "its value's time is %1 min ago by this clock (when it was taken)",
                       "details.taken-ago.min"),
    QT_TRANSLATE_NOOP3("CoreText", "its value's time is %1 h ago by this clock (when it was taken)",
                       "details.taken-ago.h"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "its value's time is %1 days ago by this clock (when it was taken)",
                       "details.taken-ago.days"),
    QT_TRANSLATE_NOOP3("CoreText", "another worker acquired the lock %1 ms after the crash",
                       "event.recovered"),
    QT_TRANSLATE_NOOP3("CoreText", "interrupted: stopping the workers", "event.interrupted"),
    QT_TRANSLATE_NOOP3("CoreText", "the demo ran for %1 ms without finishing: stopping the workers",
                       "event.timed-out"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the workers race for the lock until the first has done its sections",
                       "event.contention.race"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "worker %1 (pid %2) finished first: stopping the others to compare who got how many",
        "event.contention.finished-first"),
    QT_TRANSLATE_NOOP3("CoreText", "worker %1 (pid %2) runs with its wall clock ahead by %3 ms",
                       "event.clock-skew.ahead"),
    QT_TRANSLATE_NOOP3("CoreText", "worker %1 (pid %2) runs with its wall clock behind by %3 ms",
                       "event.clock-skew.behind"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "worker %1 (pid %2) runs with its wall clock ahead by %3 ms; it starts once "
                       "the others are taking turns",
                       "event.clock-skew.ahead.late"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "worker %1 (pid %2) runs with its wall clock behind by %3 ms; it starts "
                       "once the others are taking turns",
                       "event.clock-skew.behind.late"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "stopped %1 of %2 nodes (%3, SIGSTOP: unreachable, data kept) for %4 ms; a quorum is %5",
        "event.node-down.stopped"),
    QT_TRANSLATE_NOOP3("CoreText", "nodes back (SIGCONT); %1 acquisitions while they were down",
                       "event.node-down.back"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "crashed %1 (SIGKILL), so the next holder gets only a bare majority of %2 of %3 nodes",
        "event.node-restart.crashed"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "worker %1 (pid %2) holds the lock on nodes 0-%3 only; it is paused inside its section so "
        "that it is still there for what follows (its lease is valid for %4 ms)",
        "event.node-restart.holder"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "found no holder inside its section within 10 s; fault not injected",
                       "event.node-restart.no-holder"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "the crashed nodes are back, empty; crashed %1, one of the holder's nodes, which stays "
        "down for TTL + 200 ms before it restarts empty (a delayed restart): the lock is held on "
        "%2 node(s), %3 are free — not a majority without the one that is down",
        "event.node-restart.delayed-crash"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "the crashed nodes are back, empty; restarted %1 without persistence: it forgot the lock, "
        "which is now held on %2 node(s) only, and %3 nodes are free — a majority",
        "event.node-restart.restarted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "another worker acquired a majority and entered while worker %1 still held "
                       "its lease (%2 ms into a %3 ms TTL): two holders at once",
                       "event.node-restart.second-holder"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "nobody else got in for %1 ms of the holder's lease: without the crashed "
                       "node no majority can form",
                       "event.node-restart.nobody-else"),
    QT_TRANSLATE_NOOP3("CoreText", "resumed worker %1 with SIGCONT", "event.resumed-worker"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "restarted %1 without persistence, %2 ms after it crashed (TTL %3 ms): every lease it had "
        "granted has expired, so forgetting them re-grants nothing",
        "event.node-restart.delayed-restart"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "resumed worker %1 with SIGCONT; it carries on as if it still held the lock",
                       "event.pause-holder.resumed"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "nobody has acquired for %1 ms and no permit is free: the dead holder's "
                       "permit is gone for good; stopping the demo",
                       "event.crash-holder.permit-gone"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "paused worker %1 (pid %2) with SIGSTOP inside its critical section, after "
                       "its read, for %3 ms (TTL %4 ms)",
                       "event.pause-holder.paused"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "killed worker %1 (pid %2) with SIGKILL inside its critical section, holding the lock",
        "event.crash-holder.killed"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; "
                       "the lock's PTTL is now %3",
                       "event.crash-holder.setnx-killed"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; "
                       "the lock's PTTL is now %3 (no TTL)",
                       "event.crash-holder.setnx-killed.no-ttl"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "nobody has acquired for %1 ms (%2 TTLs) and the lock still has no TTL: it "
                       "is held forever; stopping the demo",
                       "event.crash-holder.stuck"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "replica %1 cut off from its master (a master password that cannot work, "
                       "then its link dropped): writes on the master no longer reach it, as when "
                       "replication lags",
                       "event.failover.replica-cut"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client A was granted the lock on master %1 (not replicated yet) and is "
                       "inside its critical section: it read %2",
                       "event.failover.a-granted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client A's SET succeeded on master %1, but WAIT %2 %3 answered that no "
                       "replica had it: A gave the lock back and did not enter",
                       "event.failover.a-gave-back"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client A found the lock busy on %1 (left over from an earlier run?)",
                       "event.failover.a-busy"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "SENTINEL FAILOVER: %1 promoted in %2 ms; %3 still believes it is a master "
                       "until the Sentinels demote it",
                       "event.failover.promoted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "the promoted replica's master password restored: the write it never "
                       "received is not on the new master",
                       "event.failover.replica-relinked"),
    QT_TRANSLATE_NOOP3("CoreText", "interrupted while client B was asking the new master",
                       "event.failover.interrupted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client B: %1 grants on the new master %2 given back because no replica "
                       "acknowledged them; granted after %3 ms, once the old master had rejoined "
                       "as its replica — WAIT trades availability for this",
                       "event.failover.b-gave-back.granted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client B: %1 grants on the new master %2 given back because no replica "
                       "acknowledged them; no replica came back within 30 s",
                       "event.failover.b-gave-back.none"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client B was granted the same lock on the new master %1 while client A was "
                       "still inside: the lock was granted twice; B incremented the resource to %2",
                       "event.failover.b-granted.twice"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client B was granted the same lock on the new master %1: nobody else was "
                       "inside; B incremented the resource to %2",
                       "event.failover.b-granted.alone"),
    QT_TRANSLATE_NOOP3(
        "CoreText", "client B found the lock held on the new master %1: the grant had replicated",
        "event.failover.b-found-held"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client A wrote %1 (accepted), and its release on %2 answered: %3",
                       "event.failover.a-wrote.accepted"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "client A wrote %1 (rejected as stale), and its release on %2 answered: %3",
                       "event.failover.a-wrote.rejected"),
    QT_TRANSLATE_NOOP3("CoreText",
                       "%1% reads: %2 reads, %3 writes, up to %4 readers inside at once",
                       "event.readers-writers.phase"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "%1% reads, no writer preference: %2 reads, %3 writes, up to %4 readers inside at once",
        "event.readers-writers.phase.no-preference"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "acquisitions were about even in this run (least / most %1): with %2 workers and %3 "
        "operations each the unfairness did not show. Without an order among waiters, whoever "
        "retries first after a release wins, so with more workers or operations a worker that just "
        "released often takes the lock again while another keeps losing; the fair lock is the "
        "cure.",
        "outcome.contention.even"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "readers held the lock together (up to %1 at once) and no writer ever overlapped anyone; "
        "at 90% reads throughput was higher than with writes only (%2 against %3 ops/s), but it "
        "did "
        "not grow at every step in this run (%4 ops/s at 50% reads). With writer preference a "
        "waiting writer stops new readers and gets in as soon as the readers inside leave; without "
        "it (Redisson's policy) the writers' longest wait was longer (%5 against %6 ms) — writer "
        "starvation.",
        "outcome.readers-writers.not-steady"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "readers held the lock together (up to %1 at once), so throughput grew with the share of "
        "reads (%2, %3, %4 ops/s at 0%, 50%, 90% reads), and no writer ever overlapped anyone. "
        "With "
        "writer preference a waiting writer stops new readers and gets in as soon as the readers "
        "inside leave; without it (Redisson's policy) the writers' longest wait was longer (%5 "
        "against %6 ms) — writer starvation.",
        "outcome.readers-writers.grew"),
    QT_TRANSLATE_NOOP3("CoreText", "the fault was never injected", "mismatch.not-injected"),
    QT_TRANSLATE_NOOP3("CoreText", "the demo did not run to its end", "mismatch.did-not-finish"),
    QT_TRANSLATE_NOOP3("CoreText", "violations %1, expected %2", "mismatch.violations"),
    QT_TRANSLATE_NOOP3("CoreText", "lost updates %1, expected %2", "mismatch.lost-updates"),
    QT_TRANSLATE_NOOP3("CoreText", "stale writes rejected %1, expected %2",
                       "mismatch.stale-writes"),
    QT_TRANSLATE_NOOP3(
        "CoreText",
        "the least lucky worker got %1 of the luckiest's acquisitions, expected at least %2",
        "mismatch.fairness"),
    QT_TRANSLATE_NOOP3("CoreText", "nobody acquired after the fault", "mismatch.nobody-after"),
    QT_TRANSLATE_NOOP3("CoreText", "nobody acquired while the nodes were down",
                       "mismatch.nobody-during"),
    QT_TRANSLATE_NOOP3("CoreText", "the lock did not stay stuck", "mismatch.not-stuck"),
    QT_TRANSLATE_NOOP3("CoreText", "%1 acquisitions while the nodes were down, expected none",
                       "mismatch.acquired-while-down"),
    QT_TRANSLATE_NOOP3("CoreText", "nobody acquired after the nodes came back",
                       "mismatch.nobody-after-back"),
    QT_TRANSLATE_NOOP3("CoreText", "names %1 as master (config epoch %2, %3)", "note.names-master"),
    QT_TRANSLATE_NOOP3("CoreText", "paused (SIGSTOP): it does not answer", "note.paused"),
    QT_TRANSLATE_NOOP3("CoreText", "master per the Sentinels", "note.sentinel-master"),
};

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// %1.. replaced in one pass, so an argument holding "%2" stays as it is (demo::fillPlaceholders).
QString filled(const QString& text, const std::vector<std::string>& args) {
    QString out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
            const auto n = size_t(text[i + 1].unicode() - '1');
            if (n < args.size()) {
                out += QString::fromStdString(args[n]);
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

}  // namespace

std::span<const CoreTextEntry> coreTextEntries() { return kEntries; }

QString coreText(std::string_view id, std::string_view english) {
    for (const auto& e : kEntries)
        if (id == e.id) {
            if (english != e.english) break;
            return QCoreApplication::translate("CoreText", e.english, e.id);
        }
    return fromUtf8(english);
}

QString lockSummary(const locks::LockStrategyInfo& s) {
    return coreText(demo::lockSummaryId(s.id), s.summary);
}
QString lockHazard(const locks::LockStrategyInfo& s) {
    return s.hazard.empty() ? QString() : coreText(demo::lockHazardId(s.id), s.hazard);
}
QString counterSummary(const counters::CounterStrategyInfo& s) {
    return coreText(demo::counterSummaryId(s.id), s.summary);
}
QString counterContention(const counters::CounterStrategyInfo& s) {
    return coreText(demo::counterContentionId(s.id), s.contention);
}
QString faultSummary(const demo::FaultInfo& f) {
    return coreText(demo::faultSummaryId(f.fault), f.summary);
}
QString expectedOutcome(const demo::Expectation& e) {
    return coreText(demo::outcomeId(e), e.outcome);
}
QString lockStateText(monitor::LockState s) {
    return coreText(demo::lockStateNameId(s), monitor::lockStateName(s));
}
QString lockStateMeaning(monitor::LockState s) {
    return coreText(demo::lockStateExplanationId(s), monitor::lockStateExplanation(s));
}
QString lockStateMeaning(const monitor::KeyState& r) {
    if (r.state == monitor::LockState::Held && r.ttlMs == -1) return {};
    return lockStateMeaning(r.state);
}
QString stalenessText(monitor::Staleness s) {
    return coreText(demo::stalenessId(s), monitor::stalenessName(s));
}
QString nodeRoleText(sandbox::NodeRole r) {
    return coreText(demo::nodeRoleId(r), sandbox::nodeRoleName(r));
}
QString nodeStateText(sandbox::NodeState s) {
    return coreText(demo::nodeStateId(s), sandbox::nodeStateName(s));
}
QString topologyKindText(sandbox::TopologyKind k) {
    return coreText(demo::topologyKindId(k), sandbox::topologyKindName(k));
}

QString coreMessage(const Message& m) { return filled(coreText(m.id, m.english), m.args); }

QString coreMessages(const std::vector<Message>& parts) {
    //: Between the clauses of one line ("name has 'lock'; TTL set").
    const QString separator = QCoreApplication::translate("CoreText", "; ", "clause separator");
    QStringList out;
    for (const auto& m : parts) out << coreMessage(m);
    return out.join(separator);
}

QString expectedOutcome(const demo::LockDemoResult& r) {
    return coreText(r.outcomeId, r.expectedOutcome);
}

QString mismatchText(const demo::LockDemoResult& r) {
    // A result made elsewhere (a saved run) may carry the English only.
    return r.mismatchParts.empty() ? QString::fromStdString(r.mismatch)
                                   : coreMessages(r.mismatchParts);
}

QString noteText(const sandbox::NodeView& n) {
    return n.noteMessage.english.empty() ? QString::fromStdString(n.note)
                                         : coreMessage(n.noteMessage);
}

QString eventText(const demo::DemoEvent& e) {
    return e.message.english.empty() ? QString::fromStdString(e.text) : coreMessage(e.message);
}

QString explanation(const demo::LockDemoResult& r) {
    using Why = demo::LockDemoResult::Why;
    switch (r.why) {
        case Why::AsExpected:
            // Worded from the run's figures where the table's outcome claims more.
            return r.measuredOutcome.id.empty() ? expectedOutcome(r)
                                                : coreMessage(r.measuredOutcome);
        case Why::NotInjected:
            return coreText(demo::kVerdictNotInjectedId, demo::kVerdictNotInjected);
        case Why::OverlapWithoutFault: {
            const auto* info = locks::findLockStrategy(r.strategy);
            return coreText(demo::kVerdictOverlapId, demo::kVerdictOverlap)
                .arg(info ? lockHazard(*info) : QString());
        }
        case Why::NotAsDocumented:
            return coreText(demo::kVerdictNotAsDocumentedId, demo::kVerdictNotAsDocumented)
                .arg(mismatchText(r), expectedOutcome(r));
    }
    return QString::fromStdString(r.explanation);
}

QString explanation(const demo::CounterDemoResult& r) {
    for (const auto& s : demo::counterExplanations())
        if (s.id == r.explanationId) return filled(coreText(s.id, s.english), r.explanationArgs);
    return QString::fromStdString(r.explanation);
}

}  // namespace lockscope::ui

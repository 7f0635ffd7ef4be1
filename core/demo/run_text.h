// What a demo run tells in its own words, each sentence under a message id (util/message.h): the
// fault's event lines ("paused worker 2 (pid 1234) with SIGSTOP ...") and the verdict's details
// ("violations 3, expected 0"). The CLI prints the English, filled with the run's values; the
// dashboard says them in its language (ui/common/core_text.cpp, docs/translations.md).
//
// Thread contract: constants and pure functions.
#pragma once

#include <span>
#include <vector>

#include "demo/faults.h"
#include "util/message.h"

namespace lockscope::demo {

// Fault events. "worker %1 (pid %2)" is FaultStage::describe(): its index and pid.
inline constexpr MessageText kEvRecovered{"event.recovered",
                                          "another worker acquired the lock %1 ms after the crash"};
inline constexpr MessageText kEvInterrupted{"event.interrupted",
                                            "interrupted: stopping the workers"};
inline constexpr MessageText kEvTimedOut{
    "event.timed-out", "the demo ran for %1 ms without finishing: stopping the workers"};
inline constexpr MessageText kEvContentionRace{
    "event.contention.race", "the workers race for the lock until the first has done its sections"};
inline constexpr MessageText kEvContentionFinished{
    "event.contention.finished-first",
    "worker %1 (pid %2) finished first: stopping the others to compare who got how many"};
inline constexpr MessageText kEvSkewAhead{
    "event.clock-skew.ahead", "worker %1 (pid %2) runs with its wall clock ahead by %3 ms"};
inline constexpr MessageText kEvSkewBehind{
    "event.clock-skew.behind", "worker %1 (pid %2) runs with its wall clock behind by %3 ms"};
inline constexpr MessageText kEvSkewAheadLate{
    "event.clock-skew.ahead.late",
    "worker %1 (pid %2) runs with its wall clock ahead by %3 ms; it starts once the others are "
    "taking turns"};
inline constexpr MessageText kEvSkewBehindLate{
    "event.clock-skew.behind.late",
    "worker %1 (pid %2) runs with its wall clock behind by %3 ms; it starts once the others are "
    "taking turns"};
inline constexpr MessageText kEvNodesStopped{
    "event.node-down.stopped",
    "stopped %1 of %2 nodes (%3, SIGSTOP: unreachable, data kept) for %4 ms; a quorum is %5"};
inline constexpr MessageText kEvNodesBack{
    "event.node-down.back", "nodes back (SIGCONT); %1 acquisitions while they were down"};
inline constexpr MessageText kEvRestartCrashed{
    "event.node-restart.crashed",
    "crashed %1 (SIGKILL), so the next holder gets only a bare majority of %2 of %3 nodes"};
inline constexpr MessageText kEvRestartHolder{
    "event.node-restart.holder",
    "worker %1 (pid %2) holds the lock on nodes 0-%3 only; it is paused inside its section so "
    "that it is still there for what follows (its lease is valid for %4 ms)"};
inline constexpr MessageText kEvRestartNoHolder{
    "event.node-restart.no-holder",
    "found no holder inside its section within 10 s; fault not injected"};
inline constexpr MessageText kEvRestartDelayedCrash{
    "event.node-restart.delayed-crash",
    "the crashed nodes are back, empty; crashed %1, one of the holder's nodes, which stays down "
    "for TTL + 200 ms before it restarts empty (a delayed restart): the lock is held on %2 "
    "node(s), %3 are free — not a majority without the one that is down"};
inline constexpr MessageText kEvRestartForgot{
    "event.node-restart.restarted",
    "the crashed nodes are back, empty; restarted %1 without persistence: it forgot the lock, "
    "which is now held on %2 node(s) only, and %3 nodes are free — a majority"};
inline constexpr MessageText kEvRestartSecondHolder{
    "event.node-restart.second-holder",
    "another worker acquired a majority and entered while worker %1 still held its lease (%2 ms "
    "into a %3 ms TTL): two holders at once"};
inline constexpr MessageText kEvRestartNobodyElse{
    "event.node-restart.nobody-else",
    "nobody else got in for %1 ms of the holder's lease: without the crashed node no majority "
    "can form"};
inline constexpr MessageText kEvResumedWorker{"event.resumed-worker",
                                              "resumed worker %1 with SIGCONT"};
inline constexpr MessageText kEvRestartDelayed{
    "event.node-restart.delayed-restart",
    "restarted %1 without persistence, %2 ms after it crashed (TTL %3 ms): every lease it had "
    "granted has expired, so forgetting them re-grants nothing"};
inline constexpr MessageText kEvPauseResumed{
    "event.pause-holder.resumed",
    "resumed worker %1 with SIGCONT; it carries on as if it still held the lock"};
inline constexpr MessageText kEvPermitGone{
    "event.crash-holder.permit-gone",
    "nobody has acquired for %1 ms and no permit is free: the dead holder's permit is gone for "
    "good; stopping the demo"};
inline constexpr MessageText kEvPaused{
    "event.pause-holder.paused",
    "paused worker %1 (pid %2) with SIGSTOP inside its critical section, after its read, for %3 "
    "ms (TTL %4 ms)"};
inline constexpr MessageText kEvKilled{
    "event.crash-holder.killed",
    "killed worker %1 (pid %2) with SIGKILL inside its critical section, holding the lock"};
inline constexpr MessageText kEvSetnxKilled{
    "event.crash-holder.setnx-killed",
    "killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; the lock's PTTL is "
    "now %3"};
inline constexpr MessageText kEvSetnxKilledNoTtl{
    "event.crash-holder.setnx-killed.no-ttl",
    "killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; the lock's PTTL is "
    "now %3 (no TTL)"};
inline constexpr MessageText kEvSetnxStuck{
    "event.crash-holder.stuck",
    "nobody has acquired for %1 ms (%2 TTLs) and the lock still has no TTL: it is held forever; "
    "stopping the demo"};
inline constexpr MessageText kEvFoReplicaCut{
    "event.failover.replica-cut",
    "replica %1 cut off from its master (a master password that cannot work, then its link "
    "dropped): writes on the master no longer reach it, as when replication lags"};
inline constexpr MessageText kEvFoAGranted{
    "event.failover.a-granted",
    "client A was granted the lock on master %1 (not replicated yet) and is inside its critical "
    "section: it read %2"};
inline constexpr MessageText kEvFoAGaveBack{
    "event.failover.a-gave-back",
    "client A's SET succeeded on master %1, but WAIT %2 %3 answered that no replica had it: A "
    "gave the lock back and did not enter"};
inline constexpr MessageText kEvFoABusy{
    "event.failover.a-busy", "client A found the lock busy on %1 (left over from an earlier run?)"};
inline constexpr MessageText kEvFoPromoted{
    "event.failover.promoted",
    "SENTINEL FAILOVER: %1 promoted in %2 ms; %3 still believes it is a master until the "
    "Sentinels demote it"};
inline constexpr MessageText kEvFoReplicaRelinked{
    "event.failover.replica-relinked",
    "the promoted replica's master password restored: the write it never received is not on the "
    "new master"};
inline constexpr MessageText kEvFoInterrupted{
    "event.failover.interrupted", "interrupted while client B was asking the new master"};
inline constexpr MessageText kEvFoBGaveBackGranted{
    "event.failover.b-gave-back.granted",
    "client B: %1 grants on the new master %2 given back because no replica acknowledged them; "
    "granted after %3 ms, once the old master had rejoined as its replica — WAIT trades "
    "availability for this"};
inline constexpr MessageText kEvFoBGaveBackNone{
    "event.failover.b-gave-back.none",
    "client B: %1 grants on the new master %2 given back because no replica acknowledged them; "
    "no replica came back within 30 s"};
inline constexpr MessageText kEvFoBGrantedTwice{
    "event.failover.b-granted.twice",
    "client B was granted the same lock on the new master %1 while client A was still inside: "
    "the lock was granted twice; B incremented the resource to %2"};
inline constexpr MessageText kEvFoBGrantedAlone{
    "event.failover.b-granted.alone",
    "client B was granted the same lock on the new master %1: nobody else was inside; B "
    "incremented the resource to %2"};
inline constexpr MessageText kEvFoBFoundHeld{
    "event.failover.b-found-held",
    "client B found the lock held on the new master %1: the grant had replicated"};
inline constexpr MessageText kEvFoAWroteAccepted{
    "event.failover.a-wrote.accepted",
    "client A wrote %1 (accepted), and its release on %2 answered: %3"};
inline constexpr MessageText kEvFoAWroteRejected{
    "event.failover.a-wrote.rejected",
    "client A wrote %1 (rejected as stale), and its release on %2 answered: %3"};
inline constexpr MessageText kEvRwPhase{
    "event.readers-writers.phase",
    "%1% reads: %2 reads, %3 writes, up to %4 readers inside at once"};
inline constexpr MessageText kEvRwPhaseNoPreference{
    "event.readers-writers.phase.no-preference",
    "%1% reads, no writer preference: %2 reads, %3 writes, up to %4 readers inside at once"};

// A verdict that says what this run measured, where the table's outcome claims more than the
// figures showed (judgeLockRun, readers-writers): LockDemoResult::measuredOutcome.
inline constexpr MessageText kOcContentionEven{
    "outcome.contention.even",
    "acquisitions were about even in this run (least / most %1): with %2 workers and %3 "
    "operations each the unfairness did not show. Without an order among waiters, whoever "
    "retries first after a release wins, so with more workers or operations a worker that just "
    "released often takes the lock again while another keeps losing; the fair lock is the cure."};
inline constexpr MessageText kOcRwNotSteady{
    "outcome.readers-writers.not-steady",
    "readers held the lock together (up to %1 at once) and no writer ever overlapped anyone; "
    "at 90% reads throughput was higher than with writes only (%2 against %3 ops/s), but it did "
    "not grow at every step in this run (%4 ops/s at 50% reads). With writer preference a "
    "waiting writer stops new readers and gets in as soon as the readers inside leave; without "
    "it (Redisson's policy) the writers' longest wait was longer (%5 against %6 ms) — writer "
    "starvation."};
inline constexpr MessageText kOcRwGrew{
    "outcome.readers-writers.grew",
    "readers held the lock together (up to %1 at once), so throughput grew with the share of "
    "reads (%2, %3, %4 ops/s at 0%, 50%, 90% reads), and no writer ever overlapped anyone. With "
    "writer preference a waiting writer stops new readers and gets in as soon as the readers "
    "inside leave; without it (Redisson's policy) the writers' longest wait was longer (%5 "
    "against %6 ms) — writer starvation."};

// The verdict's details: what differed from the fault table (faults.h mismatch()).
inline constexpr MessageText kMmNotInjected{"mismatch.not-injected",
                                            "the fault was never injected"};
inline constexpr MessageText kMmDidNotFinish{"mismatch.did-not-finish",
                                             "the demo did not run to its end"};
inline constexpr MessageText kMmViolations{"mismatch.violations", "violations %1, expected %2"};
inline constexpr MessageText kMmLostUpdates{"mismatch.lost-updates",
                                            "lost updates %1, expected %2"};
inline constexpr MessageText kMmStaleWrites{"mismatch.stale-writes",
                                            "stale writes rejected %1, expected %2"};
inline constexpr MessageText kMmFairness{
    "mismatch.fairness",
    "the least lucky worker got %1 of the luckiest's acquisitions, expected at least %2"};
inline constexpr MessageText kMmNobodyAfter{"mismatch.nobody-after",
                                            "nobody acquired after the fault"};
inline constexpr MessageText kMmNobodyDuring{"mismatch.nobody-during",
                                             "nobody acquired while the nodes were down"};
inline constexpr MessageText kMmNotStuck{"mismatch.not-stuck", "the lock did not stay stuck"};
inline constexpr MessageText kMmAcquiredWhileDown{
    "mismatch.acquired-while-down", "%1 acquisitions while the nodes were down, expected none"};
inline constexpr MessageText kMmNobodyAfterBack{"mismatch.nobody-after-back",
                                                "nobody acquired after the nodes came back"};

// faults.h's mismatch(), sentence by sentence: mismatch() is their English joined by "; ".
std::vector<Message> mismatchParts(const Expectation& e, const FaultObservation& o);

// Every sentence above, for the translations and their check.
std::span<const MessageText* const> runTexts();

}  // namespace lockscope::demo

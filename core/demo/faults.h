// The faults a lock demo can inject, chosen by name, and — beside each — what it is expected to do
// to each lock strategy. The table is what the demo's verdict ("as expected" or not) and its
// explanations use, and what tests/core/demo/test_lock_demo checks against real runs.
//
//   pause-holder  SIGSTOP the worker that holds the lock while it is inside its critical section
//                 (after its read, before its write) for longer than the TTL, then SIGCONT
//   crash-holder  SIGKILL the holder inside its critical section; for setnx-expire, between SETNX
//                 and EXPIRE (the worker stops itself there, the engine kills it)
//   clock-skew    one worker's wall clock runs ahead (or behind, negative) by an offset
//   node-down     pause k of the N redlock nodes (unreachable, data kept) for a while, then resume
//   node-restart  with a holder that got exactly a bare majority (the other nodes had crashed
//                 and come back empty), restart one of its nodes without persistence
//   node-restart-delayed
//                 the same, but the node stays down longer than the TTL before it comes back
//                 empty (the Redlock paper's "delayed restarts"): no second majority
//   failover-before-replication
//                 on a Sentinel group the demo owns: a client is granted the lock on the master
//                 while the replica does not receive it (cut off from its master), the
//                 replica is promoted (SENTINEL FAILOVER), and a second client asks the new master;
//                 with LockDemoOptions::replicaAcks (WAIT) the unacknowledged grant is given back
//   contention    no fault: the workers race for one lock until the first has done its sections,
//                 then all stop — who got how many acquisitions, and how long each waited, shows
//                 whether the lock grants in order (fair) or to whoever retries first
//   readers-writers
//                 read-write only, a scenario of its own (readers_writers_demo.h): throughput
//                 as the share of reads grows, and how long writers wait with and without
//                 writer preference
//
// Thread contract: immutable tables and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lockscope::demo {

enum class Fault {
    None,
    PauseHolder,
    CrashHolder,
    ClockSkew,
    NodeDown,
    NodeRestart,
    NodeRestartDelayed,
    FailoverBeforeReplication,
    Contention,
    ReadersWriters,
};

struct FaultInfo {
    Fault fault;
    std::string_view name;      // as --fault takes it
    std::string_view summary;   // one line for --help
    bool needsControlledNodes;  // the engine must own the servers (--sandbox)
    bool redlockOnly;
    int minWorkers;                        // faults about a second holder need at least 2 workers
    std::chrono::milliseconds defaultTtl;  // a TTL that makes the fault's effect visible quickly
    bool sentinel = false;  // runs on a Sentinel topology the demo owns, not on the target's nodes
};

std::span<const FaultInfo> faults();
const FaultInfo& faultInfo(Fault fault);
// nullopt for an unknown name.
std::optional<Fault> parseFault(std::string_view name);
std::string faultNames();  // "pause-holder, crash-holder, ..." for error messages

// How a count is expected to come out.
enum class Expect { Zero, AtLeastOne, Any };

// What happens to progress (acquisitions) once the fault hits.
enum class Flow {
    Continues,          // others keep acquiring (at once, or after the TTL runs out)
    Stuck,              // nobody acquires again, ever
    StallsThenResumes,  // nobody acquires while the fault lasts; afterwards they do
};

struct Expectation {
    Fault fault;
    std::string_view strategy;  // lock strategy id, or "*" for every other
    std::string_view
        scope;  // node-down: "minority" / "majority"; failover: "wait" with WAIT; else ""
    Expect violations;
    Expect lostUpdates;
    Expect staleWritesRejected;
    Flow flow;
    std::string_view outcome;  // what happens and why, in one or two sentences
    // contention: the least lucky worker's acquisitions over the luckiest's must reach this
    // (0: not judged).
    double minFairness = 0;
};

std::span<const Expectation> expectations();
// The row for (fault, strategy[, scope]); else the fault's "*" row; else its first row.
const Expectation& expectationFor(Fault fault, std::string_view strategy,
                                  std::string_view scope = {});

// What a run measured, as far as the expectations care.
struct FaultObservation {
    bool injected = false;
    long long violations = 0;
    long long lostUpdates = 0;
    long long staleWritesRejected = 0;
    long long acquisitionsDuringFault = 0;  // node-down: while the nodes were down
    long long acquisitionsAfterFault = 0;   // after the fault hit (crash: after the kill)
    bool stuck = false;                     // crash-holder: the lock outlived the run, no TTL
    double fairness = -1;  // contention: min / max acquisitions per worker; -1: not measured
};

// "" when the observation matches; otherwise what did not (one line).
std::string mismatch(const Expectation& e, const FaultObservation& o);

}  // namespace lockscope::demo

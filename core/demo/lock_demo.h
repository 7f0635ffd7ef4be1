// The lock contention demo: N worker processes (`lockscope-cli worker lock`, lock_worker.h), each
// with its own connections, take one lock of one strategy in turn and do a non-atomic
// read-modify-write on a protected resource (protected_resource.h) that counts, by itself, the
// overlapping holds, the stale writes it rejected and — from its accepted writes and its value —
// the lost updates. One fault (faults.h) can be injected into the run; the result says whether
// the run came out as the fault table documents for that strategy, and why.
//
// Workers are processes so that pause-holder is a true SIGSTOP (threads, beaters and watchdogs
// included) and crash-holder a true SIGKILL. The engine finds the holder through the resource's
// occupant list, which workers key by their pid; it signals that pid only. Node faults pause,
// kill and restart the servers in DemoTarget::controlled (the demo must own them: --sandbox).
//
// Each fault is a state machine of its own (faults/fault_script.h and beside it); the verdict is
// verdict.h's, shared with the failover scenario.
//
// Node layout: the lock uses every node for redlock, nodes[0] otherwise; the protected resource
// always lives on nodes[0], which node faults never touch.
//
// failover-before-replication is a scripted scenario instead of a contention run (failover_demo.h):
// two clients, A and B, in this process; the lock lives on DemoTarget::topology (a Sentinel
// group), the resource on nodes[0]; `workers` and `ops` do not apply.
//
// Thread contract: runLockDemo() runs on the caller's thread and must be called from a thread
// that outlives the run (workers and restarted servers die with the thread that started them:
// PR_SET_PDEATHSIG). It throws only on that thread: redis::Error(InvalidArgument) for bad options,
// redis::Error (Connect, ...) when Redis cannot be reached or a worker failed for good. Before it
// returns or throws, every worker is gone, paused nodes are resumed, killed ones restarted, and
// the demo's keys deleted. Cancel by setting *options.cancel from any thread (or a signal
// handler): workers stop after their current section.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "demo/demo.h"
#include "demo/faults.h"

namespace lockscope::demo {

struct LockDemoOptions {
    DemoTarget target;
    std::string strategy;
    int workers = 4;              // processes (at most 64)
    long long opsPerWorker = 50;  // critical sections per worker
    Fault fault = Fault::None;
    milliseconds ttl{0};                   // 0 ms: the fault's default TTL (FaultInfo::defaultTtl)
    std::chrono::microseconds work{2000};  // time inside the section, between read and write
    milliseconds pause{0};                 // pause-holder: how long; 0 ms means 3 × TTL
    std::optional<milliseconds> skew;      // clock-skew: worker 0's offset; default +10 × TTL
    int down = 0;             // node-down: nodes to stop; 0 means N - quorum (a minority)
    milliseconds downFor{0};  // node-down: for how long; 0 ms means max(1500 ms, 2 × TTL)
    // Inject once this fraction of the sections has started, or 10 per worker if that is sooner.
    double faultAfter = 0.25;
    // set-nx-px: WAIT for this many replicas after each SET (LockConfig::replicaAcks); 0: off.
    // failover-before-replication shows what it changes.
    int replicaAcks = 0;
    milliseconds replicaAckTimeout{200};
    milliseconds maxDuration{120000};  // then the workers are stopped (timedOut)
    milliseconds phase{1500};          // readers-writers: how long each read share runs
    std::string workerExecutable;      // "" → resolveWorkerExecutable()
    std::string runId;                 // "" → a fresh one
    const std::atomic<bool>* cancel = nullptr;
    ProgressFn progress;
    milliseconds progressInterval{100};
};

struct LockDemoResult {
    std::string strategy;
    std::string fault;  // "none" or the fault's name
    std::string runId;
    std::string keyPrefix;
    int workers = 0;
    long long opsPerWorker = 0;
    milliseconds ttl{0};
    // Seen by the protected resource:
    long long acquisitions = 0;         // sections entered (one per acquisition)
    long long violations = 0;           // entries while another holder was inside
    long long staleWritesRejected = 0;  // fenced writes with an outdated token
    long long lostUpdates = 0;          // accepted writes - final value
    long long writes = 0;               // accepted writes
    long long value = 0;                // the resource's final value
    // Reported by the workers:
    long long acquireTimeouts = 0;    // blocking acquires that gave up
    long long lostLockOnRelease = 0;  // releases that found the lock no longer theirs
    long long errors = 0;             // Redis errors the workers rode out
    double seconds = 0;
    double opsPerSecond = 0;   // acquisitions per second
    double waitP50Micros = 0;  // time to acquire
    double waitP99Micros = 0;
    double waitP999Micros = 0;
    double waitMaxMicros = 0;
    // Waits that never finished — timed out, or still waiting when the run stopped (a starved
    // worker): counted in the percentiles and the distribution at the time they were cut off, so
    // those are lower bounds when this is > 0 (censored data).
    long long waitsCensored = 0;
    // Per worker, by index: critical sections done (contention: when the first was done, the
    // others were stopped), and the least lucky's share of the luckiest's (-1: under 2 workers).
    std::vector<long long> perWorker;
    double fairness = -1;
    // Every acquisition's wait, in ranges doubling from 100 µs: {range's lower end µs, count}
    // (the first from 0, the last open-ended).
    std::vector<std::pair<long long, long long>> waitDistribution;
    // readers-writers (readers_writers_demo.h): one row per read share and policy.
    struct ReadShareRow {
        double readShare = 0;          // 0..1 of the operations that read
        bool writerPreference = true;  // LockConfig::writerPreference
        long long reads = 0, writes = 0;
        double opsPerSecond = 0;     // reads and writes
        int maxReadersTogether = 0;  // most readers inside at once
        double writerWaitP99Micros = 0;
        double writerWaitMaxMicros = 0;  // a writer still waiting at the end counts what it waited
    };
    std::vector<ReadShareRow> readShares;
    // The fault:
    bool faultInjected = false;
    long long acquisitionsDuringFault = 0;  // node-down: while the nodes were down
    long long acquisitionsAfterFault = 0;
    bool stuck = false;                    // the lock outlived the run without a TTL
    std::optional<milliseconds> recovery;  // crash-holder: from the kill to the next acquisition
    std::vector<DemoEvent> events;
    std::string expectedOutcome;  // the fault table's line for (fault, strategy)
    std::string outcomeId;        // its message id (teaching_text.h), for translations
    bool asExpected = false;
    std::string mismatch;                // "" when asExpected
    std::vector<Message> mismatchParts;  // `mismatch`, sentence by sentence (demo/run_text.h)
    std::string explanation;             // what happened and why, for people
    // Set (its id not empty) when the table's outcome claims more than this run's figures showed
    // (contention with even acquisitions; readers-writers): the explanation is then this message,
    // worded from the figures, and `why` stays AsExpected (demo/run_text.h kOc*).
    Message measuredOutcome;
    // Which of judgeLockRun's sentences `explanation` is, so the dashboard can say it in its
    // language: the outcome itself, or one of verdict.not-injected / overlap / not-as-documented.
    enum class Why { AsExpected, NotInjected, OverlapWithoutFault, NotAsDocumented };
    Why why = Why::AsExpected;
    bool interrupted = false;  // cancelled
    bool timedOut = false;     // maxDuration reached
};

LockDemoResult runLockDemo(const LockDemoOptions& options);

}  // namespace lockscope::demo

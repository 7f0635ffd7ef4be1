// How the lock demo (lock_demo.cpp) drives the fault it injects. Each fault of the table (faults.h)
// is a small state machine with named steps, in a file of its own beside this one; the engine
// knows only FaultScript and calls it on every turn of its loop, and the fault reaches the run —
// workers, resource, nodes, result — through the FaultStage the engine implements.
//
// Thread contract: the engine's thread only (scripts and stage are owned and used there).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "demo/demo.h"
#include "demo/faults.h"
#include "demo/histogram.h"
#include "demo/lock_demo.h"
#include "demo/lock_worker.h"
#include "demo/protected_resource.h"
#include "demo/worker_process.h"
#include "redis/error.h"

namespace lockscope::demo {

using FaultClock = std::chrono::steady_clock;

// One worker process of the lock demo, and what it has reported.
struct WorkerSlot {
    int index = 0;
    std::unique_ptr<WorkerProcess> process;
    bool ready = false;
    bool killedByFault = false;  // its death is the fault's doing, not a failure
    long long sections = 0, acquisitions = 0, timeouts = 0, errors = 0, lostLock = 0, stale = 0;
    LatencyHistogram waits;  // every wait, finished or not (censored: those that never finished)
    long long censored = 0;
    std::optional<redis::ErrorKind> fatalKind;
    std::string fatal;
};

// A run's settings, with LockDemoOptions' defaults resolved.
struct FaultSettings {
    int workers = 1;
    int nodes = 1;   // the lock's nodes
    int quorum = 1;  // of those: N / 2 + 1
    milliseconds ttl{0};
    milliseconds pause{0};    // pause-holder: how long
    milliseconds skew{0};     // clock-skew: worker 0's wall-clock offset
    int down = 0;             // node-down: nodes to stop
    milliseconds downFor{0};  // node-down: for how long
    long long threshold = 1;  // inject once this many sections have been entered
};

// The run as a fault sees it; the engine implements it.
class FaultStage {
public:
    virtual ~FaultStage() = default;
    virtual const FaultSettings& settings() const = 0;
    virtual const DemoTarget& lockTarget() const = 0;  // the lock's nodes and, owned, servers
    virtual const std::string& lockKey() const = 0;
    virtual std::vector<WorkerSlot>& workers() = 0;
    virtual ProtectedResource& resource() = 0;    // on nodes[0], which faults never touch
    virtual redis::Connection& connection() = 0;  // the engine's own, to nodes[0]
    virtual LockDemoResult& result() = 0;
    virtual void event(Message line) = 0;  // one line of the run's story (demo/run_text.h)
    virtual void stopWorkers() = 0;        // ask every worker to stop after its section; waits
    virtual bool stopping() const = 0;
    virtual bool cancelled() const = 0;  // LockDemoOptions::cancel

    long long enters();  // critical sections entered so far (the resource counts them)
    bool thresholdReached() { return enters() >= settings().threshold; }
    WorkerSlot* runningWorker(long long pid);
    // Stops `worker` (SIGSTOP) if it is inside its section after its read, and keeps it stopped
    // only if it is still there afterwards; returns its token then.
    std::optional<std::string> stopInsideSection(WorkerSlot& worker);
    // After a holder was killed: true once another worker entered (enters() > entersAtKill); sets
    // LockDemoResult::recovery and tells the story.
    bool recovered(FaultClock::time_point killedAt, long long entersAtKill);
    std::string describe(const WorkerSlot& worker) const;  // "worker 2 (pid 1234)"
    // describe()'s values, for the %1 (pid %2) of an event line: {"2", "1234"}.
    std::vector<std::string> workerArgs(const WorkerSlot& worker) const;
    std::string nodeName(int node) const;  // "127.0.0.1:7001"
};

class FaultScript {
public:
    virtual ~FaultScript() = default;

    // Before the workers start: the fault's part of worker `index`'s command line.
    virtual void configureWorker(int /*index*/, LockWorkerSpec& /*spec*/) const {}
    // Whether worker `index` is held back when the others are told to start ("go").
    virtual bool startsLate(int /*index*/) const { return false; }
    // Once, right after the others were told to start.
    virtual void begin(FaultStage& /*stage*/) {}
    // On every turn of the engine's loop while workers run.
    virtual void step(FaultStage& /*stage*/) {}
    // While true the engine turns every 1 ms instead of 5: the fault waits for a moment it must
    // not miss (a holder inside its section).
    virtual bool urgent() const { return false; }
    // After the workers are gone: what must still happen.
    virtual void finish(FaultStage& /*stage*/) {}
    // The resource's entry count from which LockDemoResult::acquisitionsAfterFault counts.
    virtual long long afterFaultBaseline() const { return 0; }
    // Last look at the run for the fault's own result fields.
    virtual void conclude(FaultStage& /*stage*/) {}
    // Which row of the fault table applies (Expectation::scope).
    virtual std::string_view scope() const { return {}; }
    // Resume paused nodes, restart killed ones. Called once the workers are gone, also when the
    // run failed.
    virtual void restore(FaultStage& /*stage*/) noexcept {}
};

// The script for `fault` on `strategy`; throws redis::Error(InvalidArgument) when the settings do
// not allow it (too few nodes, a zero skew, ...).
std::unique_ptr<FaultScript> makeFaultScript(Fault fault, std::string_view strategy,
                                             const FaultSettings& settings);

}  // namespace lockscope::demo

#include "demo/faults/fault_script.h"

#include <thread>

#include "demo/faults/clock_skew.h"
#include "demo/faults/contention.h"
#include "demo/faults/node_down.h"
#include "demo/faults/node_restart.h"
#include "demo/faults/pause_crash.h"
#include "demo/faults/setnx_crash.h"
#include "demo/run_text.h"

namespace lockscope::demo {

long long FaultStage::enters() { return resource().snapshot().enters; }

WorkerSlot* FaultStage::runningWorker(long long pid) {
    for (auto& w : workers())
        if (w.process->pid() == pid && w.process->running()) return &w;
    return nullptr;
}

std::optional<std::string> FaultStage::stopInsideSection(WorkerSlot& worker) {
    if (!worker.process->pause()) return std::nullopt;
    // A command it sent just before it stopped may still be on its way to Redis: give it time to
    // land, so that "read" below really means it has read and not written.
    std::this_thread::sleep_for(milliseconds(3));
    for (const auto& occ : resource().occupants())
        if (occ.pid == worker.process->pid() && occ.phase == "read") return occ.token;
    worker.process->resume();  // it moved on in between: try again with the next holder
    return std::nullopt;
}

bool FaultStage::recovered(FaultClock::time_point killedAt, long long entersAtKill) {
    if (enters() <= entersAtKill) return false;
    auto& recovery = result().recovery;
    recovery = std::chrono::duration_cast<milliseconds>(FaultClock::now() - killedAt);
    event(message(kEvRecovered, {std::to_string(recovery->count())}));
    return true;
}

std::string FaultStage::describe(const WorkerSlot& worker) const {
    return "worker " + std::to_string(worker.index) + " (pid " +
           std::to_string(worker.process->pid()) + ")";
}

std::vector<std::string> FaultStage::workerArgs(const WorkerSlot& worker) const {
    return {std::to_string(worker.index), std::to_string(worker.process->pid())};
}

std::string FaultStage::nodeName(int node) const {
    return lockTarget().nodes[static_cast<size_t>(node)].display();
}

namespace {

// No fault: plain contention.
class NoFault final : public FaultScript {};

}  // namespace

std::unique_ptr<FaultScript> makeFaultScript(Fault fault, std::string_view strategy,
                                             const FaultSettings& settings) {
    switch (fault) {
        case Fault::PauseHolder:
            return std::make_unique<PauseCrash>(PauseCrash::Kind::Pause);
        case Fault::CrashHolder:
            // setnx-expire's crash is the one between its two commands.
            if (strategy == "setnx-expire") return std::make_unique<SetnxCrash>();
            // A plain semaphore's permit has no lease: the crash leaks it (watched for).
            return std::make_unique<PauseCrash>(PauseCrash::Kind::Crash, strategy == "semaphore");
        case Fault::ClockSkew:
            return std::make_unique<ClockSkew>(settings);
        case Fault::NodeDown:
            return std::make_unique<NodeDown>(settings);
        case Fault::NodeRestart:
        case Fault::NodeRestartDelayed:
            return std::make_unique<NodeRestart>(settings, fault == Fault::NodeRestartDelayed);
        case Fault::Contention:
            return std::make_unique<Contention>();
        case Fault::None:
        case Fault::FailoverBeforeReplication:  // a scripted scenario of its own (failover_demo.h)
        case Fault::ReadersWriters:             // and readers_writers_demo.h
            break;
    }
    return std::make_unique<NoFault>();
}

}  // namespace lockscope::demo

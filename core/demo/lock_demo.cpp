#include "demo/lock_demo.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <map>
#include <memory>
#include <thread>

#include "demo/failover_demo.h"
#include "demo/faults/fault_script.h"
#include "demo/readers_writers_demo.h"
#include "demo/run_text.h"
#include "demo/verdict.h"
#include "locks/fenced.h"
#include "locks/lock_strategy.h"
#include "locks/primitive_state.h"
#include "redis/error.h"
#include "redis/ssh_tunnel.h"

namespace lockscope::demo {
namespace {

using Steady = std::chrono::steady_clock;
using redis::ErrorKind;

[[noreturn]] void invalid(const std::string& m) {
    throw redis::Error(ErrorKind::InvalidArgument, m);
}

long long ms(Steady::duration d) { return std::chrono::duration_cast<milliseconds>(d).count(); }

ErrorKind kindFromName(std::string_view name) {
    for (int k = 0; k <= static_cast<int>(ErrorKind::Server); ++k)
        if (redis::errorKindName(static_cast<ErrorKind>(k)) == name)
            return static_cast<ErrorKind>(k);
    return ErrorKind::Server;
}

// "sections=3 acquisitions=4 wait=1:2,3:4" → {sections: 3, ...}
std::map<std::string, std::string> fields(std::string_view text) {
    std::map<std::string, std::string> out;
    while (!text.empty()) {
        const auto space = text.find(' ');
        const std::string_view item = text.substr(0, space);
        const auto eq = item.find('=');
        if (eq != std::string_view::npos)
            out[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
        if (space == std::string_view::npos) break;
        text = text.substr(space + 1);
    }
    return out;
}

long long field(const std::map<std::string, std::string>& f, const std::string& name) {
    auto it = f.find(name);
    if (it == f.end()) return 0;
    try {
        return std::stoll(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

// The engine: workers, the protected resource, the loop; the fault it injects is a FaultScript
// (faults/), which reaches the run through the FaultStage this class implements.
class LockDemoRun final : public FaultStage {
public:
    explicit LockDemoRun(const LockDemoOptions& o) : o_(o) {}
    LockDemoResult run();

    const FaultSettings& settings() const override { return settings_; }
    const DemoTarget& lockTarget() const override { return lockTarget_; }
    const std::string& lockKey() const override { return lockKey_; }
    std::vector<WorkerSlot>& workers() override { return slots_; }
    ProtectedResource& resource() override { return *resource_; }
    redis::Connection& connection() override { return *conn_; }
    LockDemoResult& result() override { return r_; }
    void event(Message line) override;
    void stopWorkers() override { stopAll(); }
    bool stopping() const override { return stopping_; }
    bool cancelled() const override { return o_.cancel && o_.cancel->load(); }

private:
    void validate();
    void spawnWorkers();
    void awaitReady();
    void pump(milliseconds timeout);
    void handleLine(WorkerSlot& s, const std::string& line);
    DemoProgress progressNow(Steady::time_point now) const;
    void emitProgress(bool force);
    void stopAll();
    bool anyRunning() const;

    const LockDemoOptions& o_;
    LockDemoResult r_;
    const FaultInfo* fault_ = nullptr;
    std::unique_ptr<FaultScript> script_;
    FaultSettings settings_;
    DemoTarget lockTarget_;  // the nodes the lock uses
    std::string exe_;
    std::string lockKey_;
    std::string resourcePrefix_;

    std::vector<WorkerSlot> slots_;
    std::optional<redis::Connection> conn_;  // the engine's own, to nodes[0]
    std::optional<ProtectedResource> resource_;
    Steady::time_point start_{};
    Steady::time_point lastProgress_{};
    long long lastViolations_ = 0;
    bool stopping_ = false;
};

void LockDemoRun::validate() {
    const auto* info = locks::findLockStrategy(o_.strategy);
    if (!info) {
        std::string known;
        for (const auto& s : locks::lockStrategies())
            known += (known.empty() ? "" : ", ") + std::string(s.id);
        invalid("unknown lock strategy '" + o_.strategy + "'; known: " + known);
    }
    if (info->kind == locks::LockKind::Latch)
        invalid(
            "a latch is not a lock (nobody holds it): `lockscope-cli latch` sets and awaits one");
    if (o_.workers < 1 || o_.workers > 64) invalid("workers must be between 1 and 64");
    if (o_.replicaAcks > 0)
        invalid(
            "--wait-replicas applies to --fault failover-before-replication (only there is "
            "there a replica to wait for)");
    if (o_.opsPerWorker < 1) invalid("ops per worker must be at least 1");
    if (o_.target.nodes.empty()) invalid("no Redis server given");
    fault_ = &faultInfo(o_.fault);
    if (o_.workers < fault_->minWorkers)
        invalid("--fault " + std::string(fault_->name) + " needs at least " +
                std::to_string(fault_->minWorkers) +
                " workers (someone must be there to "
                "take the lock)");
    if (fault_->redlockOnly && o_.strategy != "redlock")
        invalid("--fault " + std::string(fault_->name) +
                " is about redlock's independent nodes: use --strategy redlock");
    if (fault_->needsControlledNodes && o_.target.controlled.size() != o_.target.nodes.size())
        invalid("--fault " + std::string(fault_->name) +
                " stops and restarts servers, which needs servers the demo owns: add --sandbox");

    lockTarget_ = o_.target;
    if (!info->multiNode) {
        lockTarget_.nodes.erase(lockTarget_.nodes.begin() + 1, lockTarget_.nodes.end());
        if (lockTarget_.controlled.size() > 1)
            lockTarget_.controlled.erase(lockTarget_.controlled.begin() + 1,
                                         lockTarget_.controlled.end());
    }
    FaultSettings& f = settings_;
    f.workers = o_.workers;
    f.nodes = static_cast<int>(lockTarget_.nodes.size());
    f.quorum = f.nodes / 2 + 1;
    f.ttl = o_.ttl.count() > 0 ? o_.ttl : fault_->defaultTtl;
    f.pause = o_.pause.count() > 0 ? o_.pause : 3 * f.ttl;
    f.skew = o_.skew.value_or(10 * f.ttl);
    f.downFor = o_.downFor.count() > 0 ? o_.downFor : std::max(milliseconds(1500), 2 * f.ttl);
    f.down = o_.down > 0 ? o_.down : f.nodes - f.quorum;
    const long long total = o_.workers * o_.opsPerWorker;
    f.threshold =
        std::max(1LL, std::min(static_cast<long long>(o_.faultAfter * static_cast<double>(total)),
                               10LL * o_.workers));
    script_ = makeFaultScript(o_.fault, o_.strategy, settings_);
    exe_ = resolveWorkerExecutable(o_.workerExecutable);
}

DemoProgress LockDemoRun::progressNow(Steady::time_point now) const {
    DemoProgress p;
    p.kind = "lock";
    p.strategy = o_.strategy;
    long long done = 0;
    for (const auto& s : slots_) done += s.sections;
    p.done = done;
    p.completed = done;
    p.total = o_.workers * o_.opsPerWorker;
    p.elapsedSeconds = std::chrono::duration<double>(now - start_).count();
    p.opsPerSecond = p.elapsedSeconds > 0 ? static_cast<double>(done) / p.elapsedSeconds : 0;
    p.violations = lastViolations_;
    return p;
}

void LockDemoRun::event(Message line) {
    DemoEvent e{milliseconds(ms(Steady::now() - start_)), render(line), std::move(line)};
    r_.events.push_back(e);
    if (o_.progress) {
        DemoProgress p = progressNow(Steady::now());
        p.event = e;
        o_.progress(p);
    }
}

void LockDemoRun::spawnWorkers() {
    LockWorkerSpec spec;
    spec.nodes = lockTarget_.nodes;
    spec.strategy = o_.strategy;
    spec.lockKey = lockKey_;
    spec.resourcePrefix = resourcePrefix_;
    spec.ops = o_.opsPerWorker;
    spec.ttl = settings_.ttl;
    spec.work = o_.work;
    // Waiters must outlast any fault; the engine stops them itself when a lock is stuck.
    spec.wait =
        std::max(milliseconds(10000), 4 * settings_.ttl + settings_.pause + settings_.downFor);
    spec.timeout = o_.target.connect.commandTimeout.count() > 0 ? o_.target.connect.commandTimeout
                                                                : milliseconds(2000);
    const std::string password = lockTarget_.nodes.front().password;
    // Through a bastion, the workers add their forwards to the engine's SSH connection instead
    // of each logging in (up to 64 logins at once would hit the bastion's MaxStartups).
    for (auto& n : spec.nodes)
        if (n.ssh.enabled() && n.ssh.controlPath.empty())
            n.ssh.controlPath = redis::sshControlPath(n.ssh, spec.timeout);
    const auto secrets =
        redis::transportEnvironment(spec.nodes.front().tls, spec.nodes.front().ssh);
    for (int i = 0; i < o_.workers; ++i) {
        LockWorkerSpec s = spec;
        script_->configureWorker(i, s);
        WorkerSlot slot;
        slot.index = i;
        try {
            slot.process =
                std::make_unique<WorkerProcess>(exe_, lockWorkerArgs(s), password, secrets);
        } catch (const SpawnError& e) {
            throw redis::Error(ErrorKind::Server, "demo worker " + std::to_string(i) +
                                                      " could not be started: " + e.what());
        }
        slots_.push_back(std::move(slot));
    }
}

void LockDemoRun::handleLine(WorkerSlot& s, const std::string& line) {
    const auto space = line.find(' ');
    const std::string word = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (word == "ready") {
        s.ready = true;
    } else if (word == "progress" || word == "result") {
        const auto f = fields(rest);
        s.sections = field(f, "sections");
        s.acquisitions = field(f, "acquisitions");
        s.timeouts = field(f, "timeouts");
        s.errors = field(f, "errors");
        if (word == "result") {
            s.lostLock = field(f, "lost_lock");
            s.stale = field(f, "stale");
            s.censored = field(f, "censored");
            auto it = f.find("wait");
            if (it != f.end())
                if (auto h = LatencyHistogram::decode(it->second)) s.waits = *h;
        }
    } else if (word == "error") {
        const auto sp = rest.find(' ');
        s.fatalKind = kindFromName(rest.substr(0, sp));
        s.fatal = sp == std::string::npos ? rest : rest.substr(sp + 1);
    }
}

void LockDemoRun::pump(milliseconds timeout) {
    std::vector<pollfd> fds;
    for (auto& s : slots_)
        if (s.process->running() && s.process->outputFd() >= 0)
            fds.push_back({s.process->outputFd(), POLLIN, 0});
    if (!fds.empty())
        ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
    else
        std::this_thread::sleep_for(timeout);
    for (auto& s : slots_) {
        for (const auto& line : s.process->readLines()) handleLine(s, line);
        s.process->poll();
    }
}

void LockDemoRun::awaitReady() {
    const auto deadline =
        Steady::now() + std::max(milliseconds(15000), 3 * o_.target.connect.connectTimeout);
    while (true) {
        pump(milliseconds(10));
        bool all = true;
        for (auto& s : slots_) {
            if (s.fatalKind) throw redis::Error(*s.fatalKind, s.fatal);
            if (!s.process->running() && !s.ready) {
                std::string why = s.process->errorText();
                while (!why.empty() && why.back() == '\n') why.pop_back();
                throw redis::Error(ErrorKind::Server, "demo worker " + std::to_string(s.index) +
                                                          " exited at start" +
                                                          (why.empty() ? "" : ": " + why));
            }
            all = all && s.ready;
        }
        if (all) return;
        if (o_.cancel && o_.cancel->load()) return;
        if (Steady::now() > deadline)
            throw redis::Error(ErrorKind::Timeout, "demo workers did not connect within " +
                                                       std::to_string(ms(deadline - start_)) +
                                                       " ms");
    }
}

bool LockDemoRun::anyRunning() const {
    for (const auto& s : slots_)
        if (s.process->running()) return true;
    return false;
}

void LockDemoRun::emitProgress(bool force) {
    const auto now = Steady::now();
    if (!force && now - lastProgress_ < o_.progressInterval) return;
    lastProgress_ = now;
    try {
        lastViolations_ = resource_->snapshot().violations;
    } catch (const redis::Error&) {}
    if (!o_.progress) return;
    DemoProgress p = progressNow(now);
    p.finished = force;
    o_.progress(p);
}

void LockDemoRun::stopAll() {
    if (stopping_) return;
    stopping_ = true;
    for (auto& s : slots_) {
        s.process->resume();  // a paused holder must run to see its input close
        s.process->closeInput();
    }
    // Workers finish their section, release, report and exit; stragglers are killed by pid.
    const auto deadline =
        Steady::now() + std::max(milliseconds(3000), 2 * o_.target.connect.commandTimeout);
    while (anyRunning() && Steady::now() < deadline) pump(milliseconds(10));
    for (auto& s : slots_) s.process->kill();
    for (auto& s : slots_)
        for (const auto& line : s.process->readLines()) handleLine(s, line);
}

LockDemoResult LockDemoRun::run() {
    validate();
    checkReachable(lockTarget_, lockTarget_.nodes.size());
    r_.strategy = o_.strategy;
    r_.fault = std::string(fault_->name);
    r_.runId = o_.runId.empty() ? newRunId() : o_.runId;
    r_.keyPrefix = demoPrefix(r_.runId);
    r_.workers = o_.workers;
    r_.opsPerWorker = o_.opsPerWorker;
    r_.ttl = settings_.ttl;
    lockKey_ = r_.keyPrefix + "lock";
    resourcePrefix_ = r_.keyPrefix + "resource:";

    // Whatever happens below: workers gone (WorkerProcess destructors kill by pid), nodes restored,
    // keys deleted — in that order, so the keys are deleted from nodes that answer again.
    // The synchronisers' companions live beside the lock, outside the prefix (Redisson's names).
    const std::vector<std::string> extraKeys = {
        locks::fenceKey(lockKey_),         locks::fairQueueKey(lockKey_),
        locks::fairTimeoutKey(lockKey_),   locks::rwWritersWaitingKey(lockKey_),
        locks::lockscopeMetaKey(lockKey_), locks::permitLeaseKey(lockKey_)};
    struct Cleanup {
        LockDemoRun& run;
        const std::vector<std::string>& extra;
        ~Cleanup() {
            run.slots_.clear();
            run.script_->restore(run);
            removeDemoKeys(run.lockTarget_, run.r_.keyPrefix, extra);
        }
    } cleanup{*this, extraKeys};

    redis::ConnectOptions co = o_.target.connect;
    co.clientName = "lockscope:demo-engine";
    conn_.emplace(lockTarget_.nodes.front(), co);
    resource_.emplace(*conn_, resourcePrefix_);

    start_ = Steady::now();
    spawnWorkers();
    awaitReady();
    if (cancelled()) {
        stopAll();
        r_.interrupted = true;
        return r_;
    }
    for (auto& s : slots_)
        if (!script_->startsLate(s.index)) s.process->sendLine("go");
    start_ = Steady::now();
    script_->begin(*this);

    while (anyRunning()) {
        pump(milliseconds(script_->urgent() ? 1 : 5));
        script_->step(*this);
        emitProgress(false);
        if (!stopping_ && cancelled()) {
            r_.interrupted = true;
            event(message(kEvInterrupted));
            stopAll();
        }
        if (!stopping_ && Steady::now() - start_ > o_.maxDuration) {
            r_.timedOut = true;
            event(message(kEvTimedOut, {std::to_string(o_.maxDuration.count())}));
            stopAll();
        }
        for (const auto& s : slots_)
            if (s.fatalKind && !stopping_) stopAll();
    }
    const auto end = Steady::now();
    for (auto& s : slots_)
        for (const auto& line : s.process->readLines()) handleLine(s, line);
    script_->finish(*this);

    for (auto& s : slots_) {
        if (s.fatalKind && !s.killedByFault)
            throw redis::Error(*s.fatalKind,
                               "demo worker " + std::to_string(s.index) + ": " + s.fatal);
        // A worker that died on its own (a crash, a sanitizer report) makes the counts unreliable.
        const auto code = s.process->exitCode();
        if (!code || *code == 0 || s.killedByFault) continue;
        if (stopping_ && *code == 128 + SIGKILL) continue;  // a straggler stopAll() killed
        std::string why = s.process->errorText();
        why = why.substr(0, why.find('\n'));
        throw redis::Error(ErrorKind::Server, "demo worker " + std::to_string(s.index) +
                                                  " exited with code " + std::to_string(*code) +
                                                  (why.empty() ? "" : ": " + why));
    }

    const auto snap = resource_->snapshot();
    r_.acquisitions = snap.enters;
    r_.violations = snap.violations;
    r_.staleWritesRejected = snap.rejected;
    r_.writes = snap.writes;
    r_.value = snap.value;
    r_.lostUpdates = snap.lostUpdates();
    r_.acquisitionsAfterFault = r_.faultInjected ? snap.enters - script_->afterFaultBaseline() : 0;
    script_->conclude(*this);
    LatencyHistogram waits;
    for (const auto& s : slots_) {
        r_.acquireTimeouts += s.timeouts;
        r_.lostLockOnRelease += s.lostLock;
        r_.errors += s.errors;
        waits.merge(s.waits);
        r_.waitsCensored += s.censored;
    }
    r_.seconds = std::chrono::duration<double>(end - start_).count();
    r_.opsPerSecond = r_.seconds > 0 ? static_cast<double>(r_.acquisitions) / r_.seconds : 0;
    r_.waitP50Micros = waits.percentileMicros(0.50);
    r_.waitP99Micros = waits.percentileMicros(0.99);
    r_.waitP999Micros = waits.percentileMicros(0.999);
    r_.waitMaxMicros = waits.maxMicros();
    r_.waitDistribution = doublingRanges(waits);
    // Who got how many: a killed worker's count stopped with it, so it is left out of the ratio.
    long long least = -1, most = 0;
    for (const auto& s : slots_) {
        r_.perWorker.push_back(s.sections);
        if (s.killedByFault) continue;
        least = least < 0 ? s.sections : std::min(least, s.sections);
        most = std::max(most, s.sections);
    }
    if (slots_.size() >= 2 && most > 0)
        r_.fairness = static_cast<double>(least) / static_cast<double>(most);

    judgeLockRun(r_, o_.fault, script_->scope());
    emitProgress(true);
    return r_;
}

}  // namespace

LockDemoResult runLockDemo(const LockDemoOptions& options) {
    if (options.fault == Fault::FailoverBeforeReplication) return runFailoverDemo(options);
    if (options.fault == Fault::ReadersWriters) return runReadersWritersDemo(options);
    LockDemoRun run(options);
    return run.run();
}

}  // namespace lockscope::demo

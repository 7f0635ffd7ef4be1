#include "demo/lock_demo.h"

#include <poll.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "demo/failover_demo.h"
#include "demo/histogram.h"
#include "demo/lock_worker.h"
#include "demo/protected_resource.h"
#include "demo/worker_process.h"
#include "locks/fenced.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "sandbox/redis_server.h"

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

struct Slot {
    int index = 0;
    std::unique_ptr<WorkerProcess> process;
    bool ready = false;
    bool killedByFault = false;
    long long sections = 0, acquisitions = 0, timeouts = 0, errors = 0, lostLock = 0, stale = 0;
    LatencyHistogram waits;
    std::optional<ErrorKind> fatalKind;
    std::string fatal;
};

class LockDemoRun {
public:
    explicit LockDemoRun(const LockDemoOptions& o) : o_(o) {}
    LockDemoResult run();

private:
    enum class Phase { Waiting, Armed, Active, Watching, Done };

    void validate();
    void spawnWorkers();
    void awaitReady();
    void pump(milliseconds timeout);
    void handleLine(Slot& s, const std::string& line);
    void faultStep();
    void pauseOrCrashStep();
    void setnxCrashStep();
    void nodeDownStep();
    void nodeRestartStep();
    bool holdsBareMajority(const std::string& token);
    // Stops `slot` (SIGSTOP) if it is inside its section after its read, and keeps it stopped
    // only if it is still there afterwards; returns its token then.
    std::optional<std::string> stopInsideSection(Slot& slot);
    Slot* slotOf(long long pid);
    void event(const std::string& text);
    void emitProgress(bool force);
    void stopAll();
    void restoreNodes() noexcept;
    bool anyRunning() const;
    long long enters();

    const LockDemoOptions& o_;
    LockDemoResult r_;
    const locks::LockStrategyInfo* info_ = nullptr;
    const FaultInfo* fault_ = nullptr;
    DemoTarget lockTarget_;  // the nodes the lock uses
    std::string exe_;
    std::string lockKey_;
    std::string resourcePrefix_;
    milliseconds ttl_{0};
    milliseconds pause_{0};
    milliseconds skew_{0};
    milliseconds downFor_{0};
    int down_ = 0;
    int quorum_ = 1;
    long long threshold_ = 1;

    std::vector<Slot> slots_;
    std::optional<redis::Connection> conn_;  // the engine's own, to nodes[0]
    std::optional<ProtectedResource> resource_;
    Steady::time_point start_{};
    Steady::time_point lastProgress_{};
    long long lastViolations_ = 0;

    // Fault state.
    Phase phase_ = Phase::Waiting;
    Steady::time_point phaseSince_{};
    Steady::time_point faultAt_{};
    long long entersAtFault_ = 0;
    long long entersDuringBase_ = -1;
    long long entersAtEnd_ = 0;  // node-down: when the nodes came back
    Slot* victim_ = nullptr;
    std::vector<int> pausedNodes_;
    std::vector<int> killedNodes_;
    std::set<std::string> oldTokens_;  // node-restart: holders from before the crash
    int step_ = 0;                     // node-restart sub-steps
    long long violationsAtRestart_ = 0;
    Steady::time_point restartDueAt_{};  // node-restart-delayed: when the crashed node comes back
    int delayedNode_ = -1;
    bool stopping_ = false;
};

void LockDemoRun::validate() {
    info_ = locks::findLockStrategy(o_.strategy);
    if (!info_) {
        std::string known;
        for (const auto& s : locks::lockStrategies())
            known += (known.empty() ? "" : ", ") + std::string(s.id);
        invalid("unknown lock strategy '" + o_.strategy + "'; known: " + known);
    }
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
    if (!info_->multiNode) {
        lockTarget_.nodes.erase(lockTarget_.nodes.begin() + 1, lockTarget_.nodes.end());
        if (lockTarget_.controlled.size() > 1)
            lockTarget_.controlled.erase(lockTarget_.controlled.begin() + 1,
                                         lockTarget_.controlled.end());
    }
    const int n = static_cast<int>(lockTarget_.nodes.size());
    quorum_ = n / 2 + 1;
    ttl_ = o_.ttl.count() > 0 ? o_.ttl : fault_->defaultTtl;
    pause_ = o_.pause.count() > 0 ? o_.pause : 3 * ttl_;
    skew_ = o_.skew.value_or(10 * ttl_);
    downFor_ = o_.downFor.count() > 0 ? o_.downFor : std::max(milliseconds(1500), 2 * ttl_);
    down_ = o_.down > 0 ? o_.down : n - quorum_;
    if (o_.fault == Fault::NodeDown && (down_ < 1 || down_ > n - 1))
        invalid("--down must be between 1 and " + std::to_string(n - 1) +
                " (node 0 holds the "
                "demo's resource and stays up)");
    if ((o_.fault == Fault::NodeRestart || o_.fault == Fault::NodeRestartDelayed) && n < 3)
        invalid(std::string(fault_->name) + " needs at least 3 redlock nodes");
    if (o_.fault == Fault::ClockSkew && skew_.count() == 0) invalid("--skew must not be 0");
    const long long total = o_.workers * o_.opsPerWorker;
    threshold_ =
        std::max(1LL, std::min(static_cast<long long>(o_.faultAfter * static_cast<double>(total)),
                               10LL * o_.workers));
    exe_ = resolveWorkerExecutable(o_.workerExecutable);
}

void LockDemoRun::event(const std::string& text) {
    DemoEvent e{milliseconds(ms(Steady::now() - start_)), text};
    r_.events.push_back(e);
    if (o_.progress) {
        DemoProgress p;
        p.kind = "lock";
        p.strategy = o_.strategy;
        long long done = 0;
        for (const auto& s : slots_) done += s.sections;
        p.done = done;
        p.total = o_.workers * o_.opsPerWorker;
        p.elapsedSeconds = std::chrono::duration<double>(Steady::now() - start_).count();
        p.opsPerSecond = p.elapsedSeconds > 0 ? static_cast<double>(done) / p.elapsedSeconds : 0;
        p.violations = lastViolations_;
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
    spec.ttl = ttl_;
    spec.work = o_.work;
    // Waiters must outlast any fault; the engine stops them itself when a lock is stuck.
    spec.wait = std::max(milliseconds(10000), 4 * ttl_ + pause_ + downFor_);
    spec.timeout = o_.target.connect.commandTimeout.count() > 0 ? o_.target.connect.commandTimeout
                                                                : milliseconds(2000);
    const std::string password = lockTarget_.nodes.front().password;
    for (int i = 0; i < o_.workers; ++i) {
        LockWorkerSpec s = spec;
        if (i == 0 && o_.fault == Fault::ClockSkew) s.clockOffset = skew_;
        Slot slot;
        slot.index = i;
        slot.process = std::make_unique<WorkerProcess>(exe_, lockWorkerArgs(s), password);
        slots_.push_back(std::move(slot));
    }
}

void LockDemoRun::handleLine(Slot& s, const std::string& line) {
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

Slot* LockDemoRun::slotOf(long long pid) {
    for (auto& s : slots_)
        if (s.process->pid() == pid && s.process->running()) return &s;
    return nullptr;
}

long long LockDemoRun::enters() { return resource_->snapshot().enters; }

bool LockDemoRun::anyRunning() const {
    for (const auto& s : slots_)
        if (s.process->running()) return true;
    return false;
}

std::optional<std::string> LockDemoRun::stopInsideSection(Slot& slot) {
    if (!slot.process->pause()) return std::nullopt;
    // A command it sent just before it stopped may still be on its way to Redis: give it time to
    // land, so that "read" below really means it has read and not written.
    std::this_thread::sleep_for(milliseconds(3));
    for (const auto& occ : resource_->occupants())
        if (occ.pid == slot.process->pid() && occ.phase == "read") return occ.token;
    slot.process->resume();  // it moved on in between: try again with the next holder
    return std::nullopt;
}

void LockDemoRun::pauseOrCrashStep() {
    if (phase_ == Phase::Armed) {
        for (const auto& occ : resource_->occupants()) {
            if (occ.phase != "read") continue;
            Slot* s = slotOf(occ.pid);
            if (!s) continue;
            auto token = stopInsideSection(*s);
            if (!token) continue;
            victim_ = s;
            faultAt_ = Steady::now();
            entersAtFault_ = enters();
            r_.faultInjected = true;
            const std::string who =
                "worker " + std::to_string(s->index) + " (pid " + std::to_string(occ.pid) + ")";
            if (o_.fault == Fault::PauseHolder) {
                event("paused " + who +
                      " with SIGSTOP inside its critical section, after its "
                      "read, for " +
                      std::to_string(pause_.count()) + " ms (TTL " + std::to_string(ttl_.count()) +
                      " ms)");
                phase_ = Phase::Active;
            } else {
                s->process->kill();
                s->killedByFault = true;
                resource_->forget(occ.pid);  // a dead process occupies nothing
                event("killed " + who +
                      " with SIGKILL inside its critical section, holding the "
                      "lock");
                phase_ = Phase::Watching;
            }
            phaseSince_ = Steady::now();
            return;
        }
        return;
    }
    if (phase_ == Phase::Active && Steady::now() - faultAt_ >= pause_) {
        victim_->process->resume();
        event("resumed worker " + std::to_string(victim_->index) +
              " with SIGCONT; it carries on "
              "as if it still held the lock");
        phase_ = Phase::Done;
        return;
    }
    if (phase_ == Phase::Watching && enters() > entersAtFault_) {
        r_.recovery = milliseconds(ms(Steady::now() - faultAt_));
        event("another worker acquired the lock " + std::to_string(r_.recovery->count()) +
              " ms after the crash");
        phase_ = Phase::Done;
    }
}

void LockDemoRun::setnxCrashStep() {
    if (phase_ == Phase::Waiting) {
        if (enters() < threshold_) return;
        // Arm every worker: whichever wins the next SETNX stops right after it (lock_worker.h),
        // and no other SETNX can succeed after that one. Arming a single worker could leave it
        // waiting in backoff until the others have finished all their work.
        for (auto& s : slots_)
            if (s.process->running()) s.process->sendLine("stop-after-setnx");
        phase_ = Phase::Armed;
        return;
    }
    if (phase_ == Phase::Armed) {
        // The engine kills the worker that stopped itself between SETNX and EXPIRE.
        for (auto& s : slots_) {
            s.process->poll();
            if (!s.process->running() || !s.process->stopped()) continue;
            const long long pid = s.process->pid();
            s.process->kill();
            s.killedByFault = true;
            victim_ = &s;
            faultAt_ = Steady::now();
            entersAtFault_ = enters();
            r_.faultInjected = true;
            const long long pttl = conn_->command({"PTTL", lockKey_}).integer();
            event("killed worker " + std::to_string(s.index) + " (pid " + std::to_string(pid) +
                  ") with SIGKILL between its SETNX and its EXPIRE; the lock's PTTL is now " +
                  std::to_string(pttl) + (pttl == -1 ? " (no TTL)" : ""));
            phase_ = Phase::Watching;
            return;
        }
        return;
    }
    if (phase_ != Phase::Watching) return;
    if (enters() > entersAtFault_) {
        r_.recovery = milliseconds(ms(Steady::now() - faultAt_));
        event("another worker acquired the lock " + std::to_string(r_.recovery->count()) +
              " ms after the crash");
        phase_ = Phase::Done;
        return;
    }
    const milliseconds stuckAfter = std::max(milliseconds(1500), 3 * ttl_);
    if (Steady::now() - faultAt_ >= stuckAfter &&
        conn_->command({"PTTL", lockKey_}).integer() == -1) {
        r_.stuck = true;
        event("nobody has acquired for " + std::to_string(stuckAfter.count()) + " ms (" +
              std::to_string(stuckAfter / ttl_) +
              " TTLs) and the lock still has no TTL: "
              "it is held forever; stopping the demo");
        phase_ = Phase::Done;
        stopAll();
    }
}

void LockDemoRun::nodeDownStep() {
    const int n = static_cast<int>(lockTarget_.nodes.size());
    const auto now = Steady::now();
    if (phase_ == Phase::Armed) {
        std::string which;
        for (int i = n - down_; i < n; ++i) {
            lockTarget_.controlled[static_cast<size_t>(i)]->pause();
            pausedNodes_.push_back(i);
            which +=
                (which.empty() ? "" : ", ") + lockTarget_.nodes[static_cast<size_t>(i)].display();
        }
        faultAt_ = now;
        entersAtFault_ = enters();
        r_.faultInjected = true;
        event("stopped " + std::to_string(down_) + " of " + std::to_string(n) + " nodes (" + which +
              ", SIGSTOP: unreachable, data kept) for " + std::to_string(downFor_.count()) +
              " ms; a quorum is " + std::to_string(quorum_));
        phase_ = Phase::Active;
        return;
    }
    if (phase_ != Phase::Active) return;
    // Acquisitions already under way when the nodes went down are not counted: 150 ms grace.
    if (entersDuringBase_ < 0 && now - faultAt_ >= milliseconds(150)) entersDuringBase_ = enters();
    if (now - faultAt_ >= downFor_) {
        const long long e = enters();
        r_.acquisitionsDuringFault = entersDuringBase_ < 0 ? 0 : e - entersDuringBase_;
        entersAtEnd_ = e;
        for (int i : pausedNodes_) lockTarget_.controlled[static_cast<size_t>(i)]->resume();
        pausedNodes_.clear();
        event("nodes back (SIGCONT); " + std::to_string(r_.acquisitionsDuringFault) +
              " acquisitions while they were down");
        phase_ = Phase::Done;
    }
}

bool LockDemoRun::holdsBareMajority(const std::string& token) {
    // Nodes 0 .. Q-1 are up and must all hold the token; the crashed ones came back empty.
    for (int i = 0; i < quorum_; ++i) {
        try {
            redis::Connection c(lockTarget_.nodes[static_cast<size_t>(i)], o_.target.connect);
            if (c.command({"GET", lockKey_}).optString() != token) return false;
        } catch (const redis::Error&) {
            return false;
        }
    }
    return true;
}

void LockDemoRun::nodeRestartStep() {
    const int n = static_cast<int>(lockTarget_.nodes.size());
    const auto now = Steady::now();
    auto nodeName = [&](int i) { return lockTarget_.nodes[static_cast<size_t>(i)].display(); };
    if (phase_ == Phase::Armed && step_ == 0) {
        // 1. The last N - Q nodes crash (their data is gone: no persistence), so the next holder
        //    gets exactly a bare majority (nodes 0 .. Q-1). Pausing them instead would keep the
        //    keys of earlier holders there until their TTL, and no second majority could form.
        std::string which;
        for (int i = quorum_; i < n; ++i) {
            lockTarget_.controlled[static_cast<size_t>(i)]->kill();
            killedNodes_.push_back(i);
            which += (which.empty() ? "" : ", ") + nodeName(i);
        }
        event("crashed " + which + " (SIGKILL), so the next holder gets only a bare majority of " +
              std::to_string(quorum_) + " of " + std::to_string(n) + " nodes");
        // Whoever holds the lock now acquired before the crash: the victim must be a later one.
        if (auto current = conn_->command({"GET", lockKey_}).optString())
            oldTokens_.insert(*current);
        for (const auto& occ : resource_->occupants()) oldTokens_.insert(occ.token);
        phaseSince_ = now;
        step_ = 2;
        return;
    }
    if (phase_ != Phase::Armed) {
        if (phase_ == Phase::Active && step_ == 3) {
            // 4. Wait for a second holder to walk in while the first still holds its lease.
            const auto snap = resource_->snapshot();
            const bool seen = snap.violations > violationsAtRestart_;
            if (seen || now - phaseSince_ > std::min<milliseconds>(milliseconds(3000), ttl_ / 2)) {
                if (seen)
                    event("another worker acquired a majority and entered while worker " +
                          std::to_string(victim_->index) + " still held its lease (" +
                          std::to_string(ms(now - faultAt_)) + " ms into a " +
                          std::to_string(ttl_.count()) + " ms TTL): two holders at once");
                else if (o_.fault == Fault::NodeRestartDelayed)
                    event(
                        "nobody else got in for " + std::to_string(ms(now - faultAt_)) +
                        " ms of the holder's lease: without the crashed node no majority can form");
                victim_->process->resume();
                event("resumed worker " + std::to_string(victim_->index) + " with SIGCONT");
                // node-restart-delayed: the node is still down; it comes back after the TTL.
                if (o_.fault == Fault::NodeRestartDelayed)
                    step_ = 4;
                else
                    phase_ = Phase::Done;
            }
        } else if (phase_ == Phase::Active && step_ == 4 && now >= restartDueAt_) {
            lockTarget_.controlled[static_cast<size_t>(delayedNode_)]->restart();
            std::erase(killedNodes_, delayedNode_);
            event("restarted " + nodeName(delayedNode_) + " without persistence, " +
                  std::to_string(ms(now - faultAt_)) + " ms after it crashed (TTL " +
                  std::to_string(ttl_.count()) +
                  " ms): every lease it had granted has expired, so "
                  "forgetting them re-grants nothing");
            phase_ = Phase::Done;
        }
        return;
    }
    if (step_ == 2) {
        // 2. A holder that acquired after the crash, inside its section: keep it there.
        for (const auto& occ : resource_->occupants()) {
            if (occ.phase != "read" || oldTokens_.count(occ.token)) continue;
            Slot* s = slotOf(occ.pid);
            if (!s) continue;
            auto token = stopInsideSection(*s);
            if (!token) continue;
            if (oldTokens_.count(*token) || !holdsBareMajority(*token)) {
                s->process->resume();
                oldTokens_.insert(*token);
                continue;
            }
            victim_ = s;
            faultAt_ = now;
            event("worker " + std::to_string(s->index) + " (pid " + std::to_string(occ.pid) +
                  ") holds the lock on nodes 0-" + std::to_string(quorum_ - 1) +
                  " only; it is paused inside its section so that it is still there for what "
                  "follows (its lease is valid for " +
                  std::to_string(ttl_.count()) + " ms)");
            // 3. The crashed nodes come back empty; then one of the holder's own nodes restarts
            //    without persistence.
            for (int i : killedNodes_) lockTarget_.controlled[static_cast<size_t>(i)]->restart();
            killedNodes_.clear();
            const int restarted = quorum_ - 1;  // never node 0: the resource lives there
            auto* server = lockTarget_.controlled[static_cast<size_t>(restarted)];
            server->kill();
            killedNodes_.push_back(restarted);  // restoreNodes() brings it back if the run ends
            if (o_.fault == Fault::NodeRestartDelayed) {
                // The Redlock paper's fix: stay down longer than the longest lease it granted.
                delayedNode_ = restarted;
                restartDueAt_ = now + ttl_ + milliseconds(200);
                event("the crashed nodes are back, empty; crashed " + nodeName(restarted) +
                      ", one of the holder's nodes, which stays down for TTL + 200 ms before it "
                      "restarts empty (a delayed restart): the lock is held on " +
                      std::to_string(quorum_ - 1) + " node(s), " + std::to_string(n - quorum_) +
                      " are free — not a majority without the one that is down");
            } else {
                server->restart();
                killedNodes_.pop_back();
                event("the crashed nodes are back, empty; restarted " + nodeName(restarted) +
                      " without persistence: it forgot the lock, which is now held on " +
                      std::to_string(quorum_ - 1) + " node(s) only, and " +
                      std::to_string(n - quorum_ + 1) + " nodes are free — a majority");
            }
            violationsAtRestart_ = resource_->snapshot().violations;
            entersAtFault_ = enters();
            r_.faultInjected = true;
            phase_ = Phase::Active;
            phaseSince_ = Steady::now();
            step_ = 3;
            return;
        }
        if (now - phaseSince_ > milliseconds(10000)) {
            restoreNodes();
            event("found no holder inside its section within 10 s; fault not injected");
            phase_ = Phase::Done;
        }
    }
}

void LockDemoRun::faultStep() {
    if (o_.fault == Fault::None || o_.fault == Fault::ClockSkew || phase_ == Phase::Done) return;
    if (o_.fault == Fault::CrashHolder && o_.strategy == "setnx-expire") {
        setnxCrashStep();
        return;
    }
    if (phase_ == Phase::Waiting) {
        if (enters() < threshold_) return;
        phase_ = Phase::Armed;
        phaseSince_ = Steady::now();
    }
    switch (o_.fault) {
        case Fault::PauseHolder:
        case Fault::CrashHolder:
            pauseOrCrashStep();
            break;
        case Fault::NodeDown:
            nodeDownStep();
            break;
        case Fault::NodeRestart:
        case Fault::NodeRestartDelayed:
            nodeRestartStep();
            break;
        default:
            break;
    }
}

void LockDemoRun::emitProgress(bool force) {
    const auto now = Steady::now();
    if (!force && now - lastProgress_ < o_.progressInterval) return;
    lastProgress_ = now;
    try {
        lastViolations_ = resource_->snapshot().violations;
    } catch (const redis::Error&) {}
    if (!o_.progress) return;
    DemoProgress p;
    p.kind = "lock";
    p.strategy = o_.strategy;
    long long done = 0;
    for (const auto& s : slots_) done += s.sections;
    p.done = done;
    p.total = o_.workers * o_.opsPerWorker;
    p.elapsedSeconds = std::chrono::duration<double>(now - start_).count();
    p.opsPerSecond = p.elapsedSeconds > 0 ? static_cast<double>(done) / p.elapsedSeconds : 0;
    p.violations = lastViolations_;
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

void LockDemoRun::restoreNodes() noexcept {
    for (int i : pausedNodes_) {
        try {
            lockTarget_.controlled[static_cast<size_t>(i)]->resume();
        } catch (...) {}
    }
    pausedNodes_.clear();
    for (int i : killedNodes_) {
        try {
            lockTarget_.controlled[static_cast<size_t>(i)]->restart();
        } catch (...) {}
    }
    killedNodes_.clear();
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
    r_.ttl = ttl_;
    lockKey_ = r_.keyPrefix + "lock";
    resourcePrefix_ = r_.keyPrefix + "resource:";

    // Whatever happens below: workers gone (Slot destructors kill by pid), nodes restored, keys
    // deleted — in that order, so the keys are deleted from nodes that answer again.
    const std::vector<std::string> extraKeys = {locks::fenceKey(lockKey_)};
    struct Cleanup {
        LockDemoRun& run;
        const std::vector<std::string>& extra;
        ~Cleanup() {
            run.slots_.clear();
            run.restoreNodes();
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
    if (o_.cancel && o_.cancel->load()) {
        stopAll();
        r_.interrupted = true;
        return r_;
    }
    // clock-skew: the skewed worker 0 joins once the others are taking turns, so that it meets a
    // live lock. Started with them, it could win the first SETNX and keep the lock to itself
    // (its own expiry is in the others' future) until its work was done, never meeting one.
    const bool lateSkewed = o_.fault == Fault::ClockSkew && slots_.size() > 1;
    for (auto& s : slots_)
        if (!(lateSkewed && s.index == 0)) s.process->sendLine("go");
    start_ = Steady::now();
    if (o_.fault == Fault::ClockSkew) {
        r_.faultInjected = true;
        event("worker 0 (pid " + std::to_string(slots_.front().process->pid()) +
              ") runs with its wall clock " + (skew_.count() > 0 ? "ahead by " : "behind by ") +
              std::to_string(std::abs(skew_.count())) + " ms" +
              (lateSkewed ? "; it starts once the others are taking turns" : ""));
    }
    bool skewedStarted = !lateSkewed;

    while (anyRunning()) {
        const bool hot = phase_ == Phase::Armed ||
                         (o_.fault == Fault::CrashHolder && o_.strategy == "setnx-expire");
        pump(milliseconds(hot ? 1 : 5));
        if (!skewedStarted && !stopping_) {
            bool othersRunning = false;
            for (const auto& s : slots_)
                if (s.index != 0 && s.process->running()) othersRunning = true;
            if (enters() >= 1 || !othersRunning) {
                slots_.front().process->sendLine("go");
                skewedStarted = true;
            }
        }
        faultStep();
        emitProgress(false);
        if (!stopping_ && o_.cancel && o_.cancel->load()) {
            r_.interrupted = true;
            event("interrupted: stopping the workers");
            stopAll();
        }
        if (!stopping_ && Steady::now() - start_ > o_.maxDuration) {
            r_.timedOut = true;
            event("the demo ran for " + std::to_string(o_.maxDuration.count()) +
                  " ms without finishing: stopping the workers");
            stopAll();
        }
        for (const auto& s : slots_)
            if (s.fatalKind && !stopping_) stopAll();
    }
    const auto end = Steady::now();
    for (auto& s : slots_)
        for (const auto& line : s.process->readLines()) handleLine(s, line);
    // A paused holder whose demo ended (cancelled) was resumed by stopAll(); a pause still
    // pending its resume is over too.
    if (phase_ == Phase::Active && victim_ && o_.fault == Fault::PauseHolder) phase_ = Phase::Done;
    // node-restart-delayed: the workers may be done before the crashed node is due back; it still
    // comes back when due (not earlier: that would be the undelayed restart), and says so.
    if (o_.fault == Fault::NodeRestartDelayed && phase_ == Phase::Active && step_ == 4 &&
        !r_.interrupted) {
        while (Steady::now() < restartDueAt_ && !(o_.cancel && o_.cancel->load()))
            std::this_thread::sleep_for(milliseconds(10));
        nodeRestartStep();
    }

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
    if (o_.fault == Fault::NodeDown)
        r_.acquisitionsAfterFault = r_.faultInjected ? snap.enters - entersAtEnd_ : 0;
    else
        r_.acquisitionsAfterFault = r_.faultInjected ? snap.enters - entersAtFault_ : 0;
    if (o_.fault == Fault::CrashHolder && o_.strategy == "setnx-expire" && !r_.stuck &&
        r_.faultInjected)
        r_.stuck = conn_->command({"PTTL", lockKey_}).integer() == -1;
    LatencyHistogram waits;
    for (const auto& s : slots_) {
        r_.acquireTimeouts += s.timeouts;
        r_.lostLockOnRelease += s.lostLock;
        r_.errors += s.errors;
        waits.merge(s.waits);
    }
    r_.seconds = std::chrono::duration<double>(end - start_).count();
    r_.opsPerSecond = r_.seconds > 0 ? static_cast<double>(r_.acquisitions) / r_.seconds : 0;
    r_.waitP50Micros = waits.percentileMicros(0.50);
    r_.waitP99Micros = waits.percentileMicros(0.99);

    const std::string scope =
        o_.fault == Fault::NodeDown
            ? (down_ <= static_cast<int>(lockTarget_.nodes.size()) - quorum_ ? "minority"
                                                                             : "majority")
            : "";
    const Expectation& expected = expectationFor(o_.fault, o_.strategy, scope);
    FaultObservation seen;
    seen.injected = r_.faultInjected;
    seen.violations = r_.violations;
    seen.lostUpdates = r_.lostUpdates;
    seen.staleWritesRejected = r_.staleWritesRejected;
    seen.acquisitionsDuringFault = r_.acquisitionsDuringFault;
    seen.acquisitionsAfterFault = r_.acquisitionsAfterFault;
    seen.stuck = r_.stuck;
    r_.expectedOutcome = std::string(expected.outcome);
    r_.mismatch = r_.interrupted || r_.timedOut ? "the demo did not run to its end"
                                                : mismatch(expected, seen);
    r_.asExpected = r_.mismatch.empty();
    if (r_.asExpected) {
        r_.explanation = r_.expectedOutcome;
    } else if (!r_.faultInjected && o_.fault != Fault::None) {
        r_.explanation = "the run ended before the fault could be injected: give it more --ops.";
    } else if (o_.fault == Fault::None && r_.violations > 0) {
        r_.explanation =
            "holders overlapped without any fault: " + std::string(info_->hazard) + ".";
    } else {
        r_.explanation =
            "not as documented (" + r_.mismatch + "). Documented: " + r_.expectedOutcome;
    }
    emitProgress(true);
    return r_;
}

}  // namespace

LockDemoResult runLockDemo(const LockDemoOptions& options) {
    if (options.fault == Fault::FailoverBeforeReplication) return runFailoverDemo(options);
    LockDemoRun run(options);
    return run.run();
}

}  // namespace lockscope::demo

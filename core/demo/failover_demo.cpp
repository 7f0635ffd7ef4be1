#include "demo/failover_demo.h"

#include <chrono>

#include "demo/protected_resource.h"
#include "demo/run_text.h"
#include "demo/verdict.h"
#include "locks/fenced.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "sandbox/topology.h"

namespace lockscope::demo {
namespace {

using Steady = std::chrono::steady_clock;
using redis::ErrorKind;

[[noreturn]] void invalid(const std::string& m) {
    throw redis::Error(ErrorKind::InvalidArgument, m);
}

// Ids under which the two clients register with the resource (it keys occupants by pid).
constexpr long long kClientA = 1;
constexpr long long kClientB = 2;

class FailoverRun {
public:
    explicit FailoverRun(const LockDemoOptions& o) : o_(o) {}
    LockDemoResult run();

private:
    DemoProgress progressNow() const;
    void event(Message line);
    void progress(bool finished);
    std::unique_ptr<locks::LockStrategy> client(size_t dataNode) const;
    redis::Connection connect(size_t node) const;
    void relink() noexcept;
    void cleanup() noexcept;

    const LockDemoOptions& o_;
    LockDemoResult r_;
    sandbox::Topology* topo_ = nullptr;
    Steady::time_point start_{};
    std::string lockKey_;
    size_t replica_ = 0;
    bool replicaCut_ = false;
    std::string replicaMasterauth_;  // the replica's own, put back by relink()
};

DemoProgress FailoverRun::progressNow() const {
    DemoProgress p;
    p.kind = "lock";
    p.strategy = o_.strategy;
    p.done = r_.acquisitions;
    p.completed = r_.acquisitions;
    p.total = 2;
    p.elapsedSeconds = std::chrono::duration<double>(Steady::now() - start_).count();
    p.violations = r_.violations;
    return p;
}

void FailoverRun::event(Message line) {
    DemoEvent e{std::chrono::duration_cast<milliseconds>(Steady::now() - start_), render(line),
                std::move(line)};
    r_.events.push_back(e);
    if (!o_.progress) return;
    DemoProgress p = progressNow();
    p.event = e;
    o_.progress(p);
}

void FailoverRun::progress(bool finished) {
    if (!o_.progress) return;
    DemoProgress p = progressNow();
    p.finished = finished;
    o_.progress(p);
}

std::unique_ptr<locks::LockStrategy> FailoverRun::client(size_t dataNode) const {
    locks::LockContext ctx;
    ctx.nodes = {topo_->server(dataNode).endpoint()};
    ctx.connect = o_.target.connect;
    ctx.config.replicaAcks = o_.replicaAcks;
    ctx.config.replicaAckTimeout = o_.replicaAckTimeout;
    return locks::makeLockStrategy(o_.strategy, std::move(ctx));
}

redis::Connection FailoverRun::connect(size_t node) const {
    redis::ConnectOptions co = o_.target.connect;
    co.clientName = "lockscope:demo-engine";
    return redis::Connection(topo_->server(node).endpoint(), co);
}

void FailoverRun::relink() noexcept {
    if (!replicaCut_) return;
    try {
        connect(replica_).command({"CONFIG", "SET", "masterauth", replicaMasterauth_});
        replicaCut_ = false;
    } catch (...) {
        // The replica is gone or unreachable: the topology's owner restarts or drops it.
    }
}

void FailoverRun::cleanup() noexcept {
    relink();
    DemoTarget where = o_.target;
    where.nodes.resize(1);  // the resource node
    try {
        for (size_t i : topo_->dataNodes()) where.nodes.push_back(topo_->server(i).endpoint());
    } catch (...) {}
    removeDemoKeys(where, r_.keyPrefix, {locks::fenceKey(lockKey_)});
}

LockDemoResult FailoverRun::run() {
    const auto* info = locks::findLockStrategy(o_.strategy);
    if (!info) invalid("unknown lock strategy '" + o_.strategy + "'");
    if (info->multiNode)
        invalid(
            "failover-before-replication is about one master and its replica: use a "
            "single-server strategy (set-nx-px shows it best), not " +
            o_.strategy);
    if (o_.replicaAcks > 0 && o_.strategy != "set-nx-px")
        invalid("--wait-replicas is implemented by set-nx-px (WAIT after its SET)");
    topo_ = o_.target.topology;
    if (!topo_ || topo_->kind() != sandbox::TopologyKind::Sentinel)
        invalid(
            "failover-before-replication needs a Sentinel topology the demo owns (master, "
            "replica, Sentinels): add --sandbox");
    if (o_.target.nodes.empty()) invalid("no server given for the demo's resource");

    const milliseconds ttl =
        o_.ttl.count() > 0 ? o_.ttl : faultInfo(Fault::FailoverBeforeReplication).defaultTtl;
    r_.strategy = o_.strategy;
    r_.fault = "failover-before-replication";
    r_.runId = o_.runId.empty() ? newRunId() : o_.runId;
    r_.keyPrefix = demoPrefix(r_.runId);
    r_.workers = 2;
    r_.opsPerWorker = 1;
    r_.ttl = ttl;
    lockKey_ = r_.keyPrefix + "lock";
    struct Cleanup {
        FailoverRun& run;
        ~Cleanup() { run.cleanup(); }
    } cleanup{*this};

    checkReachable(o_.target, 1);
    redis::ConnectOptions co = o_.target.connect;
    co.clientName = "lockscope:demo-engine";
    redis::Connection resourceConn(o_.target.nodes.front(), co);
    ProtectedResource resource(resourceConn, r_.keyPrefix + "resource:");

    if (!topo_->waitUntilSettled(milliseconds(15000)))
        throw redis::Error(ErrorKind::Busy,
                           "the Sentinel topology has no replica in sync with its master; "
                           "try again in a few seconds (a demoted master rejoins ~10 s "
                           "after a failover)");
    const auto master = topo_->sentinelMaster();
    if (!master)
        throw redis::Error(ErrorKind::Connect, "no Sentinel answered: cannot find the master");
    bool found = false;
    for (size_t i : topo_->dataNodes())
        if (i != *master && topo_->server(i).running() && !topo_->server(i).paused()) {
            replica_ = i;
            found = true;
        }
    if (!found) throw redis::Error(ErrorKind::Busy, "the Sentinel topology has no running replica");
    const std::string masterAddr = topo_->address(*master);
    const std::string replicaAddr = topo_->address(replica_);

    auto a = client(*master);
    start_ = Steady::now();
    const Steady::time_point began = start_;

    // 1. The replica stops receiving the replication stream: a master password that cannot work
    //    (it retries every second and is refused), then its link dropped. It keeps answering the
    //    Sentinels, so it stays a candidate for promotion (its link may be down up to 10 ×
    //    down-after-milliseconds). Not CLIENT PAUSE WRITE, which an earlier version used: a paused
    //    replica postpones the Sentinels' hello PUBLISH, and with it every later command on that
    //    Sentinel's link — the SLAVEOF NO ONE of the failover waited behind it whenever a hello
    //    fell between the pause and the promotion (seen in CI), and the replica went +sdown.
    {
        auto rc = connect(replica_);
        auto got = rc.command({"CONFIG", "GET", "masterauth"});
        replicaMasterauth_ = got.size() == 2 ? std::string(got[1].str()) : std::string();
        rc.command({"CONFIG", "SET", "masterauth", "lockscope-demo-cut-" + r_.runId});
        replicaCut_ = true;
        rc.command({"CLIENT", "KILL", "TYPE", "master"});
    }
    event(message(kEvFoReplicaCut, {replicaAddr}));

    // 2. A takes the lock on the master.
    std::optional<locks::Lease> leaseA = a->tryAcquire(lockKey_, ttl);
    long long readA = 0;
    if (leaseA) {
        resource.enter(kClientA, leaseA->token);
        readA = resource.read(kClientA, leaseA->token, leaseA->fence);
        event(message(kEvFoAGranted, {masterAddr, std::to_string(readA)}));
    } else if (a->stats().unreplicated > 0) {
        event(message(kEvFoAGaveBack, {masterAddr, std::to_string(o_.replicaAcks),
                                       std::to_string(o_.replicaAckTimeout.count())}));
    } else {
        event(message(kEvFoABusy, {masterAddr}));
    }
    if (o_.cancel && o_.cancel->load()) {
        r_.interrupted = true;
        return r_;
    }

    // 3. Fail over while the replica has not applied the grant.
    sandbox::FailoverResult failover;
    try {
        failover = topo_->failover();
    } catch (const std::exception& e) {
        if (o_.cancel && o_.cancel->load()) {
            r_.interrupted = true;
            return r_;
        }
        throw redis::Error(ErrorKind::Server,
                           std::string("SENTINEL FAILOVER did not complete: ") + e.what());
    }
    r_.faultInjected = true;
    if (o_.cancel && o_.cancel->load()) {
        r_.interrupted = true;
        return r_;
    }
    event(message(kEvFoPromoted, {failover.to, std::to_string(failover.took.count()), masterAddr}));
    const auto newMaster = topo_->indexOf(
        redis::HostPort{"127.0.0.1", std::stoi(failover.to.substr(failover.to.rfind(':') + 1))});
    if (!newMaster)
        throw redis::Error(ErrorKind::Server,
                           "the promoted node " + failover.to + " is not the demo's");
    relink();
    event(message(kEvFoReplicaRelinked));

    // 4. B asks the new master. With WAIT, B's grants count only once a replica acknowledges
    //    them — and the new master has none until the Sentinels turn the old master into its
    //    replica (~10 s): B keeps trying until then.
    auto b = client(*newMaster);
    locks::WaitOptions wait;
    wait.timeout = o_.replicaAcks > 0 ? milliseconds(30000) : milliseconds(0);
    wait.cancel = o_.cancel;
    const auto askedB = Steady::now();
    std::optional<locks::Lease> leaseB = b->acquire(lockKey_, ttl, wait);
    if (o_.cancel && o_.cancel->load()) {
        // Stopped while B was still asking: the run has no end to judge (a "no replica came
        // back" here would be a lie told after a second and a half).
        event(message(kEvFoInterrupted));
        if (leaseB) b->release(*leaseB);
        r_.interrupted = true;
        return r_;
    }
    if (o_.replicaAcks > 0 && b->stats().unreplicated > 0)
        event(leaseB ? message(kEvFoBGaveBackGranted,
                               {std::to_string(b->stats().unreplicated), failover.to,
                                std::to_string(
                                    std::chrono::duration_cast<milliseconds>(Steady::now() - askedB)
                                        .count())})
                     : message(kEvFoBGaveBackNone,
                               {std::to_string(b->stats().unreplicated), failover.to}));
    if (leaseB) {
        const long long others = resource.enter(kClientB, leaseB->token);
        const long long readB = resource.read(kClientB, leaseB->token, leaseB->fence);
        resource.write(kClientB, leaseB->token, readB + 1, leaseB->fence);
        resource.exit(kClientB);
        event(message(others > 0 ? kEvFoBGrantedTwice : kEvFoBGrantedAlone,
                      {failover.to, std::to_string(readB + 1)}));
        const auto rel = b->release(*leaseB);
        if (rel != locks::ReleaseResult::Released) ++r_.lostLockOnRelease;
    } else if (b->stats().unreplicated == 0) {
        event(message(kEvFoBFoundHeld, {failover.to}));
    }

    // 5. A finishes what it started before the failover.
    if (leaseA) {
        const auto w = resource.write(kClientA, leaseA->token, readA + 1, leaseA->fence);
        resource.exit(kClientA);
        const auto rel = a->release(*leaseA);
        if (rel != locks::ReleaseResult::Released) ++r_.lostLockOnRelease;
        event(message(
            w == ProtectedResource::Write::Accepted ? kEvFoAWroteAccepted : kEvFoAWroteRejected,
            {std::to_string(readA + 1), masterAddr, std::string(locks::releaseResultName(rel))}));
    }

    const auto snap = resource.snapshot();
    r_.acquisitions = snap.enters;
    r_.violations = snap.violations;
    r_.staleWritesRejected = snap.rejected;
    r_.writes = snap.writes;
    r_.value = snap.value;
    r_.lostUpdates = snap.lostUpdates();
    r_.acquisitionsAfterFault = leaseB ? 1 : 0;
    r_.seconds = std::chrono::duration<double>(Steady::now() - began).count();
    r_.opsPerSecond = r_.seconds > 0 ? static_cast<double>(r_.acquisitions) / r_.seconds : 0;

    judgeLockRun(r_, Fault::FailoverBeforeReplication, o_.replicaAcks > 0 ? "wait" : "");
    progress(true);
    return r_;
}

}  // namespace

LockDemoResult runFailoverDemo(const LockDemoOptions& options) {
    FailoverRun run(options);
    return run.run();
}

}  // namespace lockscope::demo

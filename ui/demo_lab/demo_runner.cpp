#include "ui/demo_lab/demo_runner.h"

#include <unistd.h>

#include <QDeadlineTimer>
#include <QtGlobal>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>

#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "sandbox/redis_server.h"
#include "sandbox/run_password.h"
#include "sandbox/topology.h"

namespace lockscope::ui {
namespace {

using Steady = std::chrono::steady_clock;

QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// Errors may carry a server log's tail; the signal promises one line.
QString firstLine(const char* what) {
    QString s = QString::fromUtf8(what).trimmed();
    const auto nl = s.indexOf(QLatin1Char('\n'));
    return nl < 0 ? s : s.left(nl).trimmed();
}

// The parent pid of `pid` from /proc/<pid>/stat ("pid (comm) state ppid ..."; comm may hold
// spaces and parentheses, so parse after the last ')'); -1 when the process is gone.
long long parentOf(long long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 4 >= stat.size()) return -1;
    try {
        return std::stoll(stat.substr(close + 4));
    } catch (const std::exception&) {
        return -1;
    }
}

std::string commandLineOf(long long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
    std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    return cmd;
}

// Our children that belong to the run: the sandbox pids it recorded, and lock-demo workers, whose
// command line carries the run's key prefix (`marker`).
QList<qint64> leftoverChildren(const std::set<long long>& pids, const std::string& marker) {
    const long long self = ::getpid();
    std::set<long long> found;
    for (long long pid : pids)
        if (parentOf(pid) == self) found.insert(pid);
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        const long long pid = std::stoll(name);
        if (parentOf(pid) == self && commandLineOf(pid).find(marker) != std::string::npos)
            found.insert(pid);
    }
    return QList<qint64>(found.begin(), found.end());
}

// The sandbox processes one run owns; destroyed on the demo thread, which started them.
struct Sandbox {
    std::vector<std::unique_ptr<sandbox::RedisServer>> servers;
    std::unique_ptr<sandbox::Topology> topology;

    std::set<long long> pids() const {
        std::set<long long> out;
        for (const auto& s : servers)
            if (s->running()) out.insert(s->pid());
        if (topology)
            for (size_t i = 0; i < topology->size(); ++i)
                if (topology->server(i).running()) out.insert(topology->server(i).pid());
        return out;
    }
};

}  // namespace

std::vector<std::string> DemoRequest::lockStrategies() const {
    if (fault == demo::Fault::Contention && lockStrategy != "set-nx-px")
        return {"set-nx-px", lockStrategy};
    return {lockStrategy};
}

std::vector<std::string> DemoRequest::labels() const {
    if (kind == Kind::Lock) return lockStrategies();
    std::vector<std::string> out;
    for (const auto& c : counters) out.push_back(c.text());
    return out;
}

bool DemoRequest::multiNode() const {
    if (kind == Kind::Lock) {
        const auto* info = locks::findLockStrategy(lockStrategy);
        return info && info->multiNode;
    }
    for (const auto& c : counters) {
        if (c.id != "locked") continue;
        const auto* info = locks::findLockStrategy(c.variant);
        if (info && info->multiNode) return true;
    }
    return false;
}

// Lives on the runner's thread; owns nothing between runs.
class DemoRunner::Worker : public QObject {
public:
    explicit Worker(DemoRunner* runner) : runner_(runner) {}

    void run(const DemoRequest& request, const std::vector<redis::Endpoint>& connected,
             const std::string& workerExecutable,
             const std::shared_ptr<std::atomic<bool>>& cancel) {
        const auto t0 = Steady::now();
        const std::string runId = demo::newRunId();
        DemoRunEnd end;
        std::set<long long> pids;
        {
            Sandbox box;
            try {
                end.stopped =
                    execute(request, connected, workerExecutable, *cancel, runId, box, pids);
            } catch (const redis::Error& e) {
                end.failed = true;
                post([r = runner_, m = firstLine(e.what())] { emit r->failed(m); });
            } catch (const std::exception& e) {
                end.failed = true;
                post([r = runner_, m = firstLine(e.what())] { emit r->failed(m); });
            }
            // Restarted nodes have new pids: record what runs now, then stop everything.
            const auto now = box.pids();
            pids.insert(now.begin(), now.end());
        }
        end.seconds = std::chrono::duration<double>(Steady::now() - t0).count();
        end.leftovers = leftoverChildren(pids, demo::demoPrefix(runId));
        post([r = runner_, end] { r->deliverEnd(end); });
    }

private:
    void post(std::function<void()> f) { runner_->mail_->post(std::move(f)); }
    void stage(const QString& text) {
        post([r = runner_, text] { emit r->stage(text); });
    }

    // Runs the demo; true when it was stopped before it finished.
    bool execute(const DemoRequest& rq, const std::vector<redis::Endpoint>& connected,
                 const std::string& workerExecutable, const std::atomic<bool>& cancel,
                 const std::string& runId, Sandbox& box, std::set<long long>& pids) {
        const bool failover =
            rq.kind == DemoRequest::Kind::Lock && demo::faultInfo(rq.fault).sentinel;
        demo::DemoTarget target;
        if (rq.target == DemoRequest::Target::OwnSandbox) {
            const int n = rq.multiNode() ? rq.sandboxNodes : 1;
            stage(
                n == 1
                    ? QObject::tr("starting a sandbox redis-server…")
                    : QObject::tr("starting %1 sandbox redis-servers (independent nodes)…").arg(n));
            for (int i = 0; i < n; ++i) {
                sandbox::RedisServerOptions so;
                so.password = sandbox::runPassword();  // loopback is every local user's
                box.servers.push_back(std::make_unique<sandbox::RedisServer>(so));
                target.nodes.push_back(box.servers.back()->endpoint());
                target.controlled.push_back(box.servers.back().get());
                if (cancel.load()) return true;
            }
            if (failover) {
                stage(QObject::tr("starting master + replica + 3 Sentinels for the failover…"));
                sandbox::TopologyOptions to;
                to.kind = sandbox::TopologyKind::Sentinel;
                to.password = sandbox::runPassword();  // the workers' one LOCKSCOPE_PASSWORD
                box.topology = std::make_unique<sandbox::Topology>(to);
                target.topology = box.topology.get();
            }
            pids = box.pids();
            post([r = runner_, list = QList<qint64>(pids.begin(), pids.end())] {
                emit r->serversStarted(list);
            });
            if (cancel.load()) return true;
        } else {
            target.nodes = connected;
            if (!rq.multiNode()) target.nodes.resize(std::min<size_t>(1, target.nodes.size()));
        }
        stage(QObject::tr("running…"));
        auto progress = [this](const demo::DemoProgress& p) {
            post([r = runner_, p] { emit r->progress(p); });
        };

        if (rq.kind == DemoRequest::Kind::Counter) {
            demo::CounterDemoOptions o;
            o.target = target;
            o.strategies = rq.counters;
            o.workers = rq.workers;
            o.opsPerWorker = rq.opsPerWorker;
            o.runId = runId;
            o.cancel = &cancel;
            o.progress = progress;
            auto report = demo::runCounterDemo(o);
            const bool stopped = report.interrupted;
            post([r = runner_, report = std::move(report)] { emit r->counterFinished(report); });
            return stopped;
        }
        demo::LockDemoOptions o;
        o.target = target;
        o.strategy = rq.lockStrategy;
        o.workers = rq.workers;
        o.opsPerWorker = rq.opsPerWorker;
        o.fault = rq.fault;
        o.ttl = rq.ttl;
        o.replicaAcks = rq.replicaAcks;
        o.down = rq.down;
        o.workerExecutable = workerExecutable;
        o.runId = runId;
        o.cancel = &cancel;
        o.progress = progress;
        for (const auto& strategy : rq.lockStrategies()) {
            o.strategy = strategy;
            // The same run id: each run deletes its keys before the next starts.
            auto result = demo::runLockDemo(o);
            const bool stopped = result.interrupted;
            post([r = runner_, result = std::move(result)] { emit r->lockFinished(result); });
            if (stopped) return true;
        }
        return false;
    }

    DemoRunner* runner_;
};

DemoRunner::DemoRunner(QObject* parent)
    : QObject(parent), cancel_(std::make_shared<std::atomic<bool>>(false)) {
    qRegisterMetaType<DemoRequest>();
    qRegisterMetaType<DemoRunEnd>();
    qRegisterMetaType<demo::DemoProgress>();
    qRegisterMetaType<demo::CounterDemoReport>();
    qRegisterMetaType<demo::LockDemoResult>();
    mail_ = new Mailbox(this);
    worker_ = new Worker(this);
    workerMail_ = new Mailbox(worker_);
    thread_.start(worker_);
}

DemoRunner::~DemoRunner() {
    cancel_->store(true);
    if (!thread_.stop(QDeadlineTimer(std::chrono::milliseconds(kJoinTimeout)))) {
        qWarning("lockscope: the demo did not stop within %d s; still waiting for it",
                 int(kJoinTimeout.count()));
        thread_.stop();
    }
}

void DemoRunner::setConnectedTarget(std::vector<redis::Endpoint> nodes, QString description) {
    connected_ = std::move(nodes);
    connectedDescription_ = std::move(description);
}

QString DemoRunner::check(const DemoRequest& rq) const {
    const bool lock = rq.kind == DemoRequest::Kind::Lock;
    const int maxWorkers = lock ? 64 : 1024;
    if (rq.workers < 1 || rq.workers > maxWorkers)
        return tr("Workers must be between 1 and %1%2.")
            .arg(maxWorkers)
            .arg(lock ? tr(" (each is a process)") : QString());
    if (rq.opsPerWorker < 1) return tr("Each worker needs at least one operation.");
    const bool own = rq.target == DemoRequest::Target::OwnSandbox;
    if (!own && connected_.empty())
        return tr("The dashboard follows no server yet: choose “own sandbox” as the target.");
    if (own && (rq.sandboxNodes < 3 || rq.sandboxNodes > 16))
        return tr("A sandbox node group has 3 to 16 nodes.");
    if (!lock) {
        if (rq.counters.empty()) return tr("Choose at least one counter strategy.");
    } else {
        const auto* info = locks::findLockStrategy(rq.lockStrategy);
        if (!info) return tr("Unknown lock strategy “%1”.").arg(q(rq.lockStrategy));
        const auto& f = demo::faultInfo(rq.fault);
        const QString fault = q(f.name);
        if (rq.workers < f.minWorkers)
            return tr("%1 needs at least %2 workers: someone must be there to take the lock.")
                .arg(fault)
                .arg(f.minWorkers);
        if (f.redlockOnly && rq.lockStrategy != "redlock")
            return tr("%1 is about redlock's independent nodes: choose the redlock strategy.")
                .arg(fault);
        if (f.sentinel && info->multiNode)
            return tr("%1 is about one master and its replica: choose a single-server strategy "
                      "(set-nx-px shows it best).")
                .arg(fault);
        if (rq.fault == demo::Fault::ReadersWriters && rq.lockStrategy != "read-write")
            return tr("%1 is about the read-write lock: choose the read-write strategy.")
                .arg(fault);
        if (rq.replicaAcks > 0 && !f.sentinel)
            return tr(
                "Waiting for replicas applies to failover-before-replication only: only there "
                "is there a replica to wait for.");
        if (rq.replicaAcks > 0 && rq.lockStrategy != "set-nx-px")
            return tr("Waiting for replicas is implemented by set-nx-px (WAIT after its SET).");
        if (!own && (f.needsControlledNodes || f.sentinel))
            return f.sentinel
                       ? tr("%1 fails over a master + replica + Sentinels the demo starts itself: "
                            "choose “own sandbox” as the target.")
                             .arg(fault)
                       : tr("%1 stops, pauses and restarts servers, so it needs servers the demo "
                            "owns: choose “own sandbox” as the target.")
                             .arg(fault);
        if (rq.fault == demo::Fault::NodeDown) {
            const int n = own ? rq.sandboxNodes : int(connected_.size());
            if (rq.down < 0 || rq.down > n - 1)
                return tr("Nodes down must be between 1 and %1 (node 0 holds the demo's resource "
                          "and stays up); 0 picks a minority.")
                    .arg(n - 1);
        }
    }
    if (!own && rq.multiNode() && connected_.size() < 3)
        return tr("redlock takes its lock on independent nodes, but the dashboard follows %1: "
                  "choose “own sandbox”, or connect to a Redlock node group of 3 or more.")
            .arg(connected_.size() == 1 ? tr("one server")
                                        : tr("%1 servers").arg(connected_.size()));
    return {};
}

bool DemoRunner::start(const DemoRequest& request, QString* error) {
    QString why = running_ ? tr("A demo is already running: stop it first.") : check(request);
    if (!why.isEmpty()) {
        if (error) *error = why;
        return false;
    }
    running_ = true;
    cancel_->store(false);
    emit started(request);
    workerMail_->post([w = worker_, request, nodes = connected_, exe = workerExecutable_,
                       cancel = cancel_] { w->run(request, nodes, exe, cancel); });
    return true;
}

void DemoRunner::stop() {
    if (running_) cancel_->store(true);
}

void DemoRunner::deliverEnd(const DemoRunEnd& end) {
    running_ = false;
    emit ended(end);
}

}  // namespace lockscope::ui

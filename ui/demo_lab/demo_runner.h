// The Demo Lab's engine room: runs one contention demo at a time (demo::runCounterDemo or
// demo::runLockDemo) on the long-lived "lockscope-demo" QThread, and reports back as signals.
//
// The thread lives as long as the runner: lock-demo worker processes and sandbox servers die with
// the thread that started them (PR_SET_PDEATHSIG), so every demo, and every server it needs, is
// started on that one thread. On "own sandbox" the runner starts what the run needs there — one
// redis-server; the redlock nodes (3 or 5); for failover-before-replication a Sentinel topology
// plus the resource's server — and stops all of it when the run ends, however it ends. On "the
// server the dashboard follows" it refuses, before anything starts, faults that need servers the
// demo owns.
//
// Every run ends with exactly one `ended` (after `counterFinished`, `lockFinished` or `failed`);
// nothing throws across the thread. Stop sets an atomic flag the engines poll.
//
// Thread contract: create, call and destroy on the GUI thread; signals are emitted on it.
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "counters/counter_strategy.h"
#include "demo/counter_demo.h"
#include "demo/faults.h"
#include "demo/lock_demo.h"
#include "redis/url.h"
#include "ui/common/hand_over.h"

namespace lockscope::ui {

// What the user asked the Demo Lab to run.
struct DemoRequest {
    enum class Kind { Counter, Lock };
    enum class Target { OwnSandbox, Connected };
    Kind kind = Kind::Counter;
    Target target = Target::OwnSandbox;
    int workers = 8;
    long long opsPerWorker = 1000;
    // Counter demos: the strategies, run one after another.
    std::vector<counters::CounterSpec> counters;
    // Lock demos:
    std::string lockStrategy = "set-nx-px";
    demo::Fault fault = demo::Fault::None;
    std::chrono::milliseconds ttl{0};  // 0 ms: the fault's default TTL
    int replicaAcks = 0;  // failover-before-replication + set-nx-px only: WAIT for replicas
    int down = 0;         // node-down: nodes to stop; 0 means a minority (N - quorum)
    // Own sandbox: how many independent nodes a redlock run (or locked:redlock) gets.
    int sandboxNodes = 3;

    // Lock demos: the strategies run one after another — contention compares the chosen one
    // with set-nx-px (run first), others run the chosen one alone.
    std::vector<std::string> lockStrategies() const;
    // The strategy labels the run reports progress for, in order.
    std::vector<std::string> labels() const;
    // Whether the run needs several independent nodes (redlock, locked:<multi-node lock>).
    bool multiNode() const;
};

// How a run ended; the last signal of every run.
struct DemoRunEnd {
    bool stopped = false;  // the user pressed Stop (or the runner was destroyed)
    bool failed = false;
    double seconds = 0;  // from the start of the run, sandbox start and stop included
    // Processes this run started (sandbox servers, lock-demo workers) still alive after it ended:
    // empty when the cleanup worked.
    QList<qint64> leftovers;
};

class DemoRunner : public QObject {
    Q_OBJECT
public:
    static constexpr std::chrono::seconds kJoinTimeout{20};

    explicit DemoRunner(QObject* parent = nullptr);
    // Cancels a running demo and joins the thread (a demo stops within a second or two; after
    // kJoinTimeout a warning is logged and the wait goes on: a running QThread cannot be
    // destroyed).
    ~DemoRunner() override;

    // The servers the window follows (one, or a Redlock group); empty: not offered.
    void setConnectedTarget(std::vector<redis::Endpoint> nodes, QString description);
    bool hasConnectedTarget() const { return !connected_.empty(); }
    const QString& connectedDescription() const { return connectedDescription_; }
    const std::vector<redis::Endpoint>& connectedNodes() const { return connected_; }
    // The lockscope-cli lock-demo workers run; "" lets the core find it next to this program.
    void setWorkerExecutable(std::string path) { workerExecutable_ = std::move(path); }
    const std::string& workerExecutable() const { return workerExecutable_; }

    // "" when the request can run here; else one line saying what to change. No I/O.
    QString check(const DemoRequest& request) const;
    // Starts the run; false (and `error` set, nothing started) when check() refuses it or a run
    // is in progress.
    bool start(const DemoRequest& request, QString* error = nullptr);
    // Asks the running demo to stop (workers stop after their current operation).
    void stop();
    bool running() const { return running_; }
    bool stopRequested() const { return cancel_->load(); }

signals:
    void started(const lockscope::ui::DemoRequest& request);
    // What the run is doing before the demo proper: "starting 3 sandbox servers…".
    void stage(const QString& text);
    // The pids of the sandbox processes this run started (servers, Sentinels).
    void serversStarted(const QList<qint64>& pids);
    void progress(const lockscope::demo::DemoProgress& progress);
    void counterFinished(const lockscope::demo::CounterDemoReport& report);
    void lockFinished(const lockscope::demo::LockDemoResult& result);
    void failed(const QString& message);  // one line
    void ended(const lockscope::ui::DemoRunEnd& end);

private:
    class Worker;
    friend class Worker;
    void deliverEnd(const DemoRunEnd& end);

    WorkerThread thread_{"lockscope-demo"};
    Worker* worker_;       // lives on thread_, deleted there when it finishes
    Mailbox* workerMail_;  // the worker's: calls run on thread_
    Mailbox* mail_;        // ours: the worker's reports run on the GUI thread
    std::shared_ptr<std::atomic<bool>> cancel_;
    std::vector<redis::Endpoint> connected_;
    QString connectedDescription_;
    std::string workerExecutable_;
    bool running_ = false;
};

}  // namespace lockscope::ui

Q_DECLARE_METATYPE(lockscope::ui::DemoRequest)
Q_DECLARE_METATYPE(lockscope::ui::DemoRunEnd)
Q_DECLARE_METATYPE(lockscope::demo::DemoProgress)
Q_DECLARE_METATYPE(lockscope::demo::CounterDemoReport)
Q_DECLARE_METATYPE(lockscope::demo::LockDemoResult)

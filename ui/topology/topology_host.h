// Thread contract: create, call and destroy on the GUI thread; signals are emitted on it. The
// topology itself lives on the host's "lockscope-sandbox" thread and is only touched there.
//
// Runs one sandbox topology (sandbox/topology.h) for the dashboard's Topology view. The engine's
// servers die with the thread that (re)started them (PR_SET_PDEATHSIG), so the topology is built,
// controlled and destroyed by a worker on one long-lived QThread; every call here is queued to it
// and answered by a signal. Starting a Sentinel group or a cluster takes 2–3 s: nothing here
// waits for it.
//
// While a topology runs the worker sends a snapshot about once a second and right after each
// control: the engine's TopologySnapshot plus, per data node, the keys it holds (SCAN COUNT 100,
// at most kMaxListedKeys names, with short timeouts so one slow node does not stall the others).
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/topology.h"
#include "ui/common/hand_over.h"

namespace lockscope::ui {

// What one data node holds, as listed next to the engine's snapshot.
struct NodeKeys {
    bool listed = false;                // read this time (the node was running and answered)
    std::vector<std::string> keys;      // sorted, at most TopologyHost::kMaxListedKeys
    std::vector<std::string> lockLike;  // those that look like locks: a TTL or a lock-ish name
    bool complete = false;              // `keys` is every key of the node
    std::string error;                  // why it could not be read ("" when it could)
};

struct TopologyView {
    quint64 generation = 0;              // which start it belongs to (controls name it)
    sandbox::TopologySnapshot snapshot;  // roles, states, links, DBSIZE, slots
    std::vector<NodeKeys> keys;          // one per snapshot.nodes entry (empty for Sentinels)
    qint64 takenAtMs = 0;                // wall clock
};
using TopologyViewPtr = std::shared_ptr<const TopologyView>;

class TopologyHost : public QObject {
    Q_OBJECT
public:
    static constexpr size_t kMaxListedKeys = 200;

    explicit TopologyHost(QObject* parent = nullptr);
    // Stops the topology — every process killed by pid, temp directories removed — and the
    // thread. Bounded by the operation in progress, if any (a start waits for formation, at most
    // TopologyOptions::readyTimeout; a failover at most 15 s); queued work is dropped.
    ~TopologyHost() override;

    // Starts a topology, stopping the running one first (stopped() then started() or error()).
    void start(sandbox::TopologyOptions options);
    void stop();

    // Per-node controls on the topology last shown (a control meant for a topology that has been
    // replaced meanwhile is refused). Each is answered by controlDone() and a fresh snapshot.
    void stopNode(int node);
    void startNode(int node);
    void pauseNode(int node);
    void resumeNode(int node);
    void killNode(int node);
    // Kill and start again without persistence after `delay` down (snapshots go on meanwhile).
    void restartNode(int node, std::chrono::milliseconds delay = std::chrono::milliseconds(0));
    // Sentinel: SENTINEL FAILOVER (`node` ignored); cluster: CLUSTER FAILOVER on `node` if it is a
    // replica, else on a replica of it.
    void failover(std::optional<int> node = std::nullopt);

    // As last reported by the worker.
    bool running() const { return running_; }
    TopologyViewPtr lastView() const { return view_; }
    // Between start() and its started()/error(), or stop() and its stopped().
    bool busy() const { return pendingLifecycle_ > 0; }

signals:
    // Ready: `url` is Topology::url() ("" for redlock), `nodesArg` the --nodes list (redlock only).
    void started(lockscope::sandbox::TopologyKind kind, const QString& url, const QString& nodesArg,
                 const QString& description);
    // Nothing of it runs any more (also the answer to a stop() when nothing was running).
    void stopped();
    void snapshot(lockscope::ui::TopologyViewPtr view);
    // One line per control: what it did, or why it did nothing.
    void controlDone(const QString& what, bool ok, const QString& message);
    // A start failed (the engine's reason); nothing of it is left running.
    void error(const QString& message);

private:
    class Worker;
    enum class Control { Stop, Start, Pause, Resume, Kill, Restart, Failover };
    void control(Control c, int node, std::chrono::milliseconds delay = {});

    WorkerThread thread_{"lockscope-sandbox"};
    Worker* worker_;       // lives on thread_, deleted there when it finishes
    Mailbox* workerMail_;  // the worker's: calls run on thread_
    Mailbox* mail_;        // ours: the worker's answers run on the GUI thread
    bool running_ = false;
    TopologyViewPtr view_;
    quint64 shownGeneration_ = 0;
    int pendingLifecycle_ = 0;
};

}  // namespace lockscope::ui

Q_DECLARE_METATYPE(lockscope::ui::TopologyViewPtr)
Q_DECLARE_METATYPE(lockscope::sandbox::TopologyKind)

#include "ui/topology/topology_host.h"

#include <QDateTime>
#include <QTimer>
#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "monitor/classifier.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "ui/common/core_text.h"

namespace lockscope::ui {
namespace {

using sandbox::NodeRole;
using sandbox::NodeState;
using sandbox::TopologyKind;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

constexpr milliseconds kSnapshotInterval{1000};
constexpr milliseconds kNodeTimeout{250};  // per key-listing connect and reply
constexpr size_t kScanCount = 100;
constexpr int kMaxScanRounds = 20;  // a sparse keyspace must not keep one node for long

QString q(const std::string& s) { return QString::fromStdString(s); }

QString tookText(milliseconds ms) {
    return ms.count() < 1000 ? QObject::tr("%1 ms").arg(ms.count())
                             : QObject::tr("%1 s").arg(double(ms.count()) / 1000.0, 0, 'f', 1);
}

// The words the monitor's classifier also takes as a lock-like key name.
bool lockishName(const std::string& key) {
    std::string lower = key.substr(0, 256);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* w : {"lock", "mutex", "leader", "semaphore", "lease"})
        if (lower.find(w) != std::string::npos) return true;
    return false;
}

// The keys of one small sandbox node: SCAN until kMaxListedKeys names (or the end), then their
// PTTLs in one pipeline — PTTL, unlike a value read, leaves the key's idle time alone, which the
// monitor reads as a lock's age. Connection errors throw.
NodeKeys listKeys(redis::Connection& c) {
    NodeKeys out;
    std::string cursor = "0";
    int rounds = 0;
    do {
        auto r = c.command({"SCAN", cursor, "COUNT", static_cast<long long>(kScanCount)});
        cursor = std::string(r[0].str());
        auto names = r[1];
        for (size_t i = 0; i < names.size() && out.keys.size() < TopologyHost::kMaxListedKeys; ++i)
            out.keys.emplace_back(names[i].str());
    } while (cursor != "0" && out.keys.size() < TopologyHost::kMaxListedKeys &&
             ++rounds < kMaxScanRounds);
    out.complete = cursor == "0";
    std::sort(out.keys.begin(), out.keys.end());
    out.keys.erase(std::unique(out.keys.begin(), out.keys.end()),
                   out.keys.end());  // SCAN may repeat
    if (!out.keys.empty()) {
        auto p = c.pipeline();
        for (const auto& k : out.keys) p.add({"PTTL", k});
        auto ttls = p.exec();
        for (size_t i = 0; i < out.keys.size(); ++i) {
            const auto& k = out.keys[i];
            const bool hasTtl = ttls[i].isInteger() && ttls[i].integer() >= 0;
            if (!monitor::isCompanionKey(k) && (hasTtl || lockishName(k)))
                out.lockLike.push_back(k);
        }
    }
    out.listed = true;
    return out;
}

QString describe(const sandbox::Topology& t) {
    const auto data = t.dataNodes();
    switch (t.kind()) {
        case TopologyKind::Standalone:
            return QObject::tr("standalone server %1").arg(q(t.address(0)));
        case TopologyKind::Redlock:
            return QObject::tr("Redlock group of %1 independent masters (%2)")
                .arg(data.size())
                .arg(q(t.nodesArg()));
        case TopologyKind::Sentinel:
            return QObject::tr("Sentinel group %1: master %2, replica %3, %4 Sentinels")
                .arg(q(t.options().masterName), q(t.address(data.at(0))), q(t.address(data.at(1))))
                .arg(t.sentinelNodes().size());
        case TopologyKind::Cluster:
            return QObject::tr("Redis Cluster of %1 nodes (3 masters + 3 replicas)")
                .arg(data.size());
    }
    return {};
}

}  // namespace

// Lives on the "lockscope-sandbox" thread: the topology, its snapshot timer, the key-listing
// connections and the timers of delayed restarts.
class TopologyHost::Worker : public QObject {
public:
    explicit Worker(TopologyHost* host) : host_(host) {}

    ~Worker() override { topology_.reset(); }  // on the sandbox thread, as it finishes

    void start(const sandbox::TopologyOptions& options) {
        if (topology_) shutDown();
        try {
            topology_ = std::make_unique<sandbox::Topology>(options);
        } catch (const std::exception& e) {
            const QString message =
                QObject::tr("could not start the %1 topology: %2")
                    .arg(topologyKindText(options.kind), QString::fromUtf8(e.what()));
            post([message](TopologyHost* h) {
                --h->pendingLifecycle_;
                emit h->error(message);
            });
            return;
        }
        ++generation_;
        const auto kind = topology_->kind();
        const QString url = q(topology_->url());
        const QString nodes = kind == TopologyKind::Redlock ? q(topology_->nodesArg()) : QString();
        const QString description = describe(*topology_);
        const quint64 gen = generation_;
        post([kind, url, nodes, description, gen](TopologyHost* h) {
            --h->pendingLifecycle_;
            h->running_ = true;
            h->shownGeneration_ = gen;
            emit h->started(kind, url, nodes, description);
        });
        if (!timer_) {
            timer_ = new QTimer(this);
            timer_->setInterval(kSnapshotInterval);
            connect(timer_, &QTimer::timeout, this, [this] { publish(); });
        }
        timer_->start();
        publish();
    }

    void stop() {
        // Answered by stopped() even when nothing ran (a start that failed, a second stop): the
        // caller waits for it.
        if (!shutDown()) post([](TopologyHost* h) { emit h->stopped(); });
        post([](TopologyHost* h) { --h->pendingLifecycle_; });
    }

    void control(Control c, int node, milliseconds delay, quint64 shownGeneration) {
        const QString what = controlName(c);
        if (!topology_)
            return done(what, false, QObject::tr("%1: no topology is running").arg(what));
        if (shownGeneration != generation_)
            return done(
                what, false,
                QObject::tr("%1: the topology shown was replaced; nothing was done").arg(what));
        const bool needsNode = c != Control::Failover || topology_->kind() == TopologyKind::Cluster;
        if (needsNode && (node < 0 || static_cast<size_t>(node) >= topology_->size()))
            return done(what, false, QObject::tr("%1: there is no node %2").arg(what).arg(node));
        const size_t i = static_cast<size_t>(std::max(node, 0));
        try {
            switch (c) {
                case Control::Stop:
                    return stopNode(i);
                case Control::Start:
                    return startNode(i);
                case Control::Pause:
                    return pauseNode(i);
                case Control::Resume:
                    return resumeNode(i);
                case Control::Kill:
                    return killNode(i);
                case Control::Restart:
                    return restartNode(i, delay);
                case Control::Failover:
                    return failover(needsNode ? std::optional<size_t>(i) : std::nullopt);
            }
        } catch (const std::exception& e) {
            done(what, false, QObject::tr("%1 failed: %2").arg(what, QString::fromUtf8(e.what())));
        }
    }

private:
    // Stable names for controlDone()'s `what`.
    static QString controlName(Control c) {
        switch (c) {
            case Control::Stop:
                return QStringLiteral("stop");
            case Control::Start:
                return QStringLiteral("start");
            case Control::Pause:
                return QStringLiteral("pause");
            case Control::Resume:
                return QStringLiteral("resume");
            case Control::Kill:
                return QStringLiteral("kill");
            case Control::Restart:
                return QStringLiteral("restart");
            case Control::Failover:
                return QStringLiteral("failover");
        }
        return {};
    }

    template <typename F>
    void post(F&& f) {
        QMetaObject::invokeMethod(
            host_, [h = host_, f = std::forward<F>(f)] { f(h); }, Qt::QueuedConnection);
    }

    // Answers a control and shows its effect at once.
    void done(const QString& what, bool ok, const QString& message) {
        post([what, ok, message](TopologyHost* h) { emit h->controlDone(what, ok, message); });
        if (topology_) publish();
    }

    // False when nothing was running.
    bool shutDown() {
        if (timer_) timer_->stop();
        conns_.clear();
        if (!topology_) return false;
        topology_.reset();  // Sentinels first, then the data nodes; each by pid
        post([](TopologyHost* h) {
            h->running_ = false;
            h->view_.reset();
            emit h->stopped();
        });
        return true;
    }

    QString label(size_t i) const {
        return QObject::tr("node %1 (%2, %3)")
            .arg(i)
            .arg(q(topology_->address(i)), nodeRoleText(topology_->startedAs(i)));
    }

    sandbox::NodeState stateOf(size_t i) const {
        const auto& s = topology_->server(i);
        return !s.running() ? NodeState::Stopped
               : s.paused() ? NodeState::Paused
                            : NodeState::Running;
    }

    void stopNode(size_t i) {
        if (stateOf(i) == NodeState::Stopped)
            return done("stop", false, QObject::tr("stop: %1 is already stopped").arg(label(i)));
        const auto t0 = Steady::now();
        topology_->stopNode(i);
        done("stop", true,
             QObject::tr("stopped %1 with SIGTERM in %2")
                 .arg(label(i),
                      tookText(std::chrono::duration_cast<milliseconds>(Steady::now() - t0))));
    }

    void startNode(size_t i) {
        if (stateOf(i) != NodeState::Stopped)
            return done("start", false, QObject::tr("start: %1 is not stopped").arg(label(i)));
        topology_->startNode(i);
        done(
            "start", true,
            QObject::tr("started %1 again (pid %2)").arg(label(i)).arg(topology_->server(i).pid()));
    }

    void pauseNode(size_t i) {
        if (stateOf(i) != NodeState::Running)
            return done("pause", false, QObject::tr("pause: %1 is not running").arg(label(i)));
        topology_->pauseNode(i);
        done("pause", true,
             QObject::tr("paused %1 with SIGSTOP: it does not answer until resumed").arg(label(i)));
    }

    void resumeNode(size_t i) {
        if (stateOf(i) != NodeState::Paused)
            return done("resume", false, QObject::tr("resume: %1 is not paused").arg(label(i)));
        topology_->resumeNode(i);
        done("resume", true, QObject::tr("resumed %1 with SIGCONT").arg(label(i)));
    }

    void killNode(size_t i) {
        if (stateOf(i) == NodeState::Stopped)
            return done("kill", false, QObject::tr("kill: %1 is already stopped").arg(label(i)));
        topology_->killNode(i);
        done("kill", true, QObject::tr("killed %1 with SIGKILL (a crash)").arg(label(i)));
    }

    // Topology::restartNode() sleeps through the delay; here a timer waits instead, so snapshots
    // show the node down meanwhile and destroying the host does not wait for it. Kill now, start
    // later: what restartNode() does, on the same thread.
    void restartNode(size_t i, milliseconds delay) {
        topology_->killNode(i);
        if (delay.count() <= 0) return finishRestart(i, delay);
        publish();
        const quint64 gen = generation_;
        QTimer::singleShot(delay, this, [this, i, delay, gen] {
            if (!topology_ || gen != generation_)
                return post([](TopologyHost* h) {
                    emit h->controlDone("restart", false,
                                        QObject::tr("restart cancelled: its topology was stopped"));
                });
            try {
                finishRestart(i, delay);
            } catch (const std::exception& e) {
                done("restart", false,
                     QObject::tr("restart failed: %1").arg(QString::fromUtf8(e.what())));
            }
        });
    }

    void finishRestart(size_t i, milliseconds delay) {
        const bool startedMeanwhile = topology_->server(i).running();
        topology_->startNode(i);
        QString down =
            delay.count() > 0 ? QObject::tr(" after %1 down").arg(tookText(delay)) : QString();
        done("restart", true,
             startedMeanwhile
                 ? QObject::tr("restart of %1: it had been started again meanwhile").arg(label(i))
                 : QObject::tr("restarted %1 empty%2 (pid %3)")
                       .arg(label(i), down)
                       .arg(topology_->server(i).pid()));
    }

    void failover(std::optional<size_t> node) {
        const auto r = topology_->failover(node);
        const QString took = tookText(r.took);
        if (topology_->kind() == TopologyKind::Sentinel)
            done("failover", true,
                 QObject::tr("failed over %1 from %2 to %3 in %4")
                     .arg(q(topology_->options().masterName), q(r.from), q(r.to), took));
        else
            done("failover", true,
                 QObject::tr("failed over %1 to its replica %2 in %3 (CLUSTER FAILOVER)")
                     .arg(q(r.from), q(r.to), took));
    }

    void publish() {
        if (!topology_) return;
        auto view = std::make_shared<TopologyView>();
        view->generation = generation_;
        view->snapshot = topology_->snapshot();
        view->takenAtMs = QDateTime::currentMSecsSinceEpoch();
        view->keys.resize(view->snapshot.nodes.size());
        for (size_t n = 0; n < view->snapshot.nodes.size(); ++n) {
            const auto& v = view->snapshot.nodes[n];
            if (v.role == NodeRole::Sentinel || v.state != NodeState::Running || !v.reachable) {
                conns_.erase(v.index);
                continue;
            }
            view->keys[n] = listed(static_cast<size_t>(v.index));
        }
        post([view = TopologyViewPtr(std::move(view))](TopologyHost* h) {
            if (!h->running_ || view->generation != h->shownGeneration_) return;  // a stopped one's
            h->view_ = view;
            emit h->snapshot(view);
        });
    }

    NodeKeys listed(size_t i) {
        try {
            auto it = conns_.find(static_cast<int>(i));
            if (it == conns_.end()) {
                redis::ConnectOptions o;
                o.connectTimeout = kNodeTimeout;
                o.commandTimeout = kNodeTimeout;
                o.clientName = "lockscope-topology-view";
                it = conns_
                         .emplace(static_cast<int>(i),
                                  redis::Connection(topology_->server(i).endpoint(), o))
                         .first;
            }
            return listKeys(it->second);
        } catch (const std::exception& e) {
            conns_.erase(static_cast<int>(i));  // a restarted node gets a fresh connection
            NodeKeys k;
            k.error = e.what();
            return k;
        }
    }

    TopologyHost* host_;  // only to post to; it outlives this worker
    std::unique_ptr<sandbox::Topology> topology_;
    quint64 generation_ = 0;
    QTimer* timer_ = nullptr;
    std::map<int, redis::Connection> conns_;  // node index → key-listing connection
};

TopologyHost::TopologyHost(QObject* parent) : QObject(parent) {
    qRegisterMetaType<TopologyViewPtr>();
    qRegisterMetaType<sandbox::TopologyKind>();
    thread_.setObjectName("lockscope-sandbox");
    worker_ = new Worker(this);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();
}

TopologyHost::~TopologyHost() {
    // The worker is deleted on its thread as the loop ends, which stops every process there.
    thread_.quit();
    thread_.wait();
}

void TopologyHost::start(sandbox::TopologyOptions options) {
    ++pendingLifecycle_;
    QMetaObject::invokeMethod(
        worker_, [w = worker_, options = std::move(options)] { w->start(options); },
        Qt::QueuedConnection);
}

void TopologyHost::stop() {
    ++pendingLifecycle_;
    QMetaObject::invokeMethod(
        worker_, [w = worker_] { w->stop(); }, Qt::QueuedConnection);
}

void TopologyHost::control(Control c, int node, std::chrono::milliseconds delay) {
    QMetaObject::invokeMethod(
        worker_,
        [w = worker_, c, node, delay, gen = shownGeneration_] { w->control(c, node, delay, gen); },
        Qt::QueuedConnection);
}

void TopologyHost::stopNode(int node) { control(Control::Stop, node); }
void TopologyHost::startNode(int node) { control(Control::Start, node); }
void TopologyHost::pauseNode(int node) { control(Control::Pause, node); }
void TopologyHost::resumeNode(int node) { control(Control::Resume, node); }
void TopologyHost::killNode(int node) { control(Control::Kill, node); }
void TopologyHost::restartNode(int node, std::chrono::milliseconds delay) {
    control(Control::Restart, node, delay);
}
void TopologyHost::failover(std::optional<int> node) {
    control(Control::Failover, node.value_or(-1));
}

}  // namespace lockscope::ui

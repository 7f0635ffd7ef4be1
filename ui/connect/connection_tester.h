// "Test connection": connects to each server of a target with short timeouts, on a worker thread
// with its own redis::Connection, and asks who it is (redis_version and role from INFO). The
// answer — or the core's one-line error (wrong password, refused, timeout) — comes back as a
// queued signal; the window never waits for it. Requests are numbered; callers show the newest.
// It also reports the steps — SSH tunnel, TCP, TLS handshake, AUTH, PING / INFO — each passed or
// the one that failed with its reason: the core's error kind says which step an error belongs to.
//
// Thread contract: create, call and destroy on the GUI thread; probes run one at a time on the
// "lockscope-connection-test" thread; `finished` is emitted on the GUI thread. Destruction waits
// for a probe in flight, which the timeouts bound.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <vector>

#include "monitor/target.h"
#include "redis/url.h"
#include "ui/common/hand_over.h"

namespace lockscope::ui {

struct ConnectionTestOptions {
    std::chrono::milliseconds connectTimeout{1500};  // per node, TCP or unix connect
    std::chrono::milliseconds commandTimeout{1500};  // per reply (AUTH, PING, INFO)
};

// One step of reaching a server, as the report lists it.
struct ConnectionTestStep {
    enum class Kind { SshTunnel, Tcp, Tls, Auth, Ping };
    Kind kind = Kind::Tcp;
    bool ok = false;
    QString detail;  // passed: what it found ("TLSv1.3, certificate verified for localhost");
                     // failed: the core's one-line reason
};
QString stepName(ConnectionTestStep::Kind kind);  // "SSH tunnel", "TLS handshake", ...

class ConnectionTester : public QObject {
    Q_OBJECT
public:
    explicit ConnectionTester(QObject* parent = nullptr, ConnectionTestOptions options = {});
    ~ConnectionTester() override;

    // Starts a probe of `nodes` and returns its request number.
    int test(std::vector<redis::Endpoint> nodes);
    // Any target: a Sentinel group is asked for its master, a cluster for its masters (slot map),
    // and those are probed.
    int test(monitor::MonitorTarget target);
    bool busy() const { return inFlight_ > 0; }

signals:
    // ok: every node answered; message: "Redis 7.0.15 (master) at 127.0.0.1:6379" or the error.
    // steps: of the first server (all share one transport), or of the one that failed — ending
    // with the failed step.
    void finished(int request, bool ok, const QString& message,
                  const QList<lockscope::ui::ConnectionTestStep>& steps);

private:
    ConnectionTestOptions options_;
    WorkerThread thread_{"lockscope-connection-test"};
    QObject* worker_;      // lives on thread_; the owner of the mailbox below
    Mailbox* workerMail_;  // probes run on thread_
    Mailbox* mail_;        // their outcomes run on the GUI thread
    std::atomic<bool> stopping_{false};
    int lastRequest_ = 0;
    int inFlight_ = 0;
};

}  // namespace lockscope::ui

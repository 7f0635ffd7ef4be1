#include "ui/connect/connection_tester.h"

#include <QThread>
#include <string>

#include "redis/connection.h"
#include "redis/error.h"
#include "redis/info.h"

namespace lockscope::ui {
namespace {

struct Outcome {
    bool ok = false;
    std::string message;
};

// Runs on the worker thread. Nothing throws out of it.
Outcome probe(const std::vector<redis::Endpoint>& nodes, const ConnectionTestOptions& o,
              const std::atomic<bool>& stopping) {
    std::vector<std::string> answers;
    for (const auto& e : nodes) {
        if (stopping.load()) return {false, "cancelled"};
        const std::string where = e.display();
        try {
            redis::ConnectOptions co;
            co.connectTimeout = o.connectTimeout;
            co.commandTimeout = o.commandTimeout;
            redis::Connection c(e, co);  // AUTH and SELECT happen here
            c.command({"PING"});         // a server that wants a password says NOAUTH here
            auto server = c.raw({"INFO", "server"});
            auto replication = c.raw({"INFO", "replication"});
            if (server.isError() || !server.isString()) {
                // An ACL user without INFO still gets a working connection.
                answers.push_back("connected to " + where + " (INFO not allowed: " +
                                  std::string(server.errorMessage().substr(0, 80)) + ")");
                continue;
            }
            std::string role =
                replication.isString() ? redis::infoField(replication.str(), "role") : "";
            answers.push_back("Redis " + redis::infoField(server.str(), "redis_version") +
                              (role.empty() ? "" : " (" + role + ")") + " at " + where);
        } catch (const redis::Error& err) {
            std::string msg = err.what();
            if (err.kind() == redis::ErrorKind::Auth && e.password.empty())
                msg = where + " requires a password (" + msg + ") — type it in the password field";
            else if (msg.find(where) == std::string::npos)
                msg = where + ": " + msg;
            return {false, msg};
        }
    }
    if (answers.size() == 1) return {true, answers.front()};
    std::string all = "all " + std::to_string(answers.size()) + " nodes answer: ";
    for (size_t i = 0; i < answers.size(); ++i) all += (i ? "; " : "") + answers[i];
    return {true, all};
}

// Sentinel and cluster targets: find the data nodes first (on the worker thread), then probe them.
Outcome probeTarget(const monitor::MonitorTarget& target, const ConnectionTestOptions& o,
                    const std::atomic<bool>& stopping) {
    using K = monitor::TargetKind;
    if (target.kind == K::Single || target.kind == K::Group)
        return probe(target.nodes, o, stopping);
    monitor::ResolvedTarget resolved;
    try {
        redis::ConnectOptions co;
        co.connectTimeout = o.connectTimeout;
        co.commandTimeout = o.commandTimeout;
        resolved = monitor::resolve(target, co);
    } catch (const redis::Error& e) {
        return {false, target.display() + ": " + e.what()};
    }
    if (resolved.nodes.empty()) return {false, target.display() + ": no data node found"};
    Outcome out = probe(resolved.nodes, o, stopping);
    if (!out.ok) return out;
    std::string intro = target.kind == K::Sentinel
                            ? (resolved.notes.empty() ? "" : resolved.notes.front() + "; ")
                            : "cluster of " + std::to_string(resolved.nodes.size()) + " masters; ";
    out.message = intro + out.message;
    return out;
}

}  // namespace

ConnectionTester::ConnectionTester(QObject* parent, ConnectionTestOptions options)
    : QObject(parent), options_(options), thread_(new QThread(this)), worker_(new QObject) {
    thread_->setObjectName("lockscope-connection-test");
    worker_->moveToThread(thread_);
    connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_->start();
}

ConnectionTester::~ConnectionTester() {
    stopping_ = true;
    thread_->quit();
    thread_->wait();  // bounded by the probe's timeouts
}

int ConnectionTester::test(std::vector<redis::Endpoint> nodes) {
    return test(monitor::MonitorTarget::group(std::move(nodes)));
}

int ConnectionTester::test(monitor::MonitorTarget target) {
    const int request = ++lastRequest_;
    ++inFlight_;
    // `this` outlives every probe: the destructor joins the thread before members go away.
    QMetaObject::invokeMethod(
        worker_,
        [this, request, target = std::move(target), options = options_] {
            Outcome out = probeTarget(target, options, stopping_);
            QMetaObject::invokeMethod(
                this,
                [this, request, out] {
                    --inFlight_;
                    emit finished(request, out.ok, QString::fromStdString(out.message));
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return request;
}

}  // namespace lockscope::ui

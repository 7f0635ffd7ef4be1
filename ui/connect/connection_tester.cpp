#include "ui/connect/connection_tester.h"

#include <optional>
#include <string>
#include <string_view>

#include "redis/connection.h"
#include "redis/error.h"
#include "redis/info.h"

namespace lockscope::ui {

QString stepName(ConnectionTestStep::Kind kind) {
    using K = ConnectionTestStep::Kind;
    switch (kind) {
        case K::SshTunnel:
            return QObject::tr("SSH tunnel");
        case K::Tcp:
            return QObject::tr("TCP connect");
        case K::Tls:
            return QObject::tr("TLS handshake");
        case K::Auth:
            return QObject::tr("AUTH");
        case K::Ping:
            return QObject::tr("PING / INFO");
    }
    return {};
}

namespace {

using Step = ConnectionTestStep;
using StepKind = ConnectionTestStep::Kind;

struct Outcome {
    bool ok = false;
    std::string message;
    QList<Step> steps;
};

QString q(const std::string& s) { return QString::fromStdString(s); }

// The step an error thrown while connecting belongs to. The Connection constructor runs the
// tunnel, the TCP connect, the handshake and AUTH in that order, so every step before it passed.
StepKind failedStep(const redis::Error& e, const redis::Endpoint& endpoint, bool connected) {
    using E = redis::ErrorKind;
    if (connected) return e.kind() == E::Auth ? StepKind::Auth : StepKind::Ping;
    switch (e.kind()) {
        case E::Ssh:
            return StepKind::SshTunnel;
        case E::Tls:
            return StepKind::Tls;
        case E::Auth:
            return StepKind::Auth;
        case E::Timeout:
        case E::Closed:
        case E::Io:
            // The handshake is where a TLS port answering a plain client, or a stalled TLS
            // server, shows up; the core's message names it.
            return endpoint.tls.enabled &&
                           std::string_view(e.what()).find("TLS") != std::string_view::npos
                       ? StepKind::Tls
                       : StepKind::Tcp;
        case E::Connect:
            return StepKind::Tcp;
        default:
            return StepKind::Ping;
    }
}

// Every step up to `last`, passed, for what `endpoint` goes through.
QList<Step> stepsUpTo(StepKind last, const redis::Endpoint& e, const redis::TransportInfo* info) {
    QList<Step> out;
    auto add = [&](StepKind k, QString detail) {
        if (int(k) < int(last)) out.push_back({k, true, std::move(detail)});
    };
    if (e.ssh.enabled())
        add(StepKind::SshTunnel, QObject::tr("via %1").arg(q(
                                     info && !info->ssh.empty() ? info->ssh : e.ssh.destination)));
    add(StepKind::Tcp, q(e.display()));
    if (e.tls.enabled) {
        // Without the connection's TransportInfo (a later step failed inside the constructor)
        // only what the settings say: the handshake passed, verified unless --insecure.
        QString tls =
            info && !info->tlsVersion.empty() ? q(info->tlsVersion) : QStringLiteral("TLS");
        if (e.tls.insecure || (info && !info->verified))
            tls += QObject::tr(", certificate NOT verified (--insecure)");
        else if (info)
            tls += QObject::tr(", certificate verified for %1").arg(q(info->serverName));
        else
            tls += QObject::tr(", certificate verified");
        add(StepKind::Tls, tls);
    }
    if (!e.password.empty() || !e.user.empty())
        add(StepKind::Auth,
            QObject::tr("accepted%1")
                .arg(e.user.empty() ? QString() : QObject::tr(" as %1").arg(q(e.user))));
    return out;
}

// Runs on the worker thread. Nothing throws out of it.
Outcome probe(const std::vector<redis::Endpoint>& nodes, const ConnectionTestOptions& o,
              const std::atomic<bool>& stopping) {
    std::vector<std::string> answers;
    QList<Step> firstSteps;
    for (const auto& e : nodes) {
        if (stopping.load()) return {false, "cancelled", {}};
        const std::string where = e.display();
        std::optional<redis::Connection> c;
        try {
            redis::ConnectOptions co;
            co.connectTimeout = o.connectTimeout;
            co.commandTimeout = o.commandTimeout;
            c.emplace(e, co);      // tunnel, TCP, TLS, AUTH and SELECT happen here
            c->command({"PING"});  // a server that wants a password says NOAUTH here
            auto server = c->raw({"INFO", "server"});
            auto replication = c->raw({"INFO", "replication"});
            std::string answer;
            if (server.isError() || !server.isString()) {
                // An ACL user without INFO still gets a working connection.
                answer = "connected to " + where +
                         " (INFO not allowed: " + std::string(server.errorMessage().substr(0, 80)) +
                         ")";
            } else {
                std::string role =
                    replication.isString() ? redis::infoField(replication.str(), "role") : "";
                answer = "Redis " + redis::infoField(server.str(), "redis_version") +
                         (role.empty() ? "" : " (" + role + ")") + " at " + where;
            }
            if (answers.empty()) {
                firstSteps = stepsUpTo(StepKind::Ping, e, &c->transport());
                firstSteps.push_back(
                    {StepKind::Ping, true, q(answer.substr(0, answer.find(" at ")))});
            }
            answers.push_back(answer);
        } catch (const redis::Error& err) {
            std::string msg = err.what();
            if (err.kind() == redis::ErrorKind::Auth && e.password.empty())
                msg = where + " requires a password (" + msg + ") — type it in the password field";
            else if (msg.find(where) == std::string::npos)
                msg = where + ": " + msg;
            const StepKind failed = failedStep(err, e, c.has_value());
            QList<Step> steps = stepsUpTo(failed, e, c ? &c->transport() : nullptr);
            steps.push_back({failed, false, q(err.what())});
            return {false, msg, steps};
        }
    }
    if (answers.size() == 1) return {true, answers.front(), firstSteps};
    std::string all = "all " + std::to_string(answers.size()) + " nodes answer: ";
    for (size_t i = 0; i < answers.size(); ++i) all += (i ? "; " : "") + answers[i];
    return {true, all, firstSteps};
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
        // Asking the Sentinels / the seed nodes goes through the same steps.
        QList<Step> steps;
        if (!target.nodes.empty()) {
            const StepKind failed = failedStep(e, target.nodes.front(), false);
            steps = stepsUpTo(failed, target.nodes.front(), nullptr);
            steps.push_back({failed, false, q(e.what())});
        }
        return {false, target.display() + ": " + e.what(), steps};
    }
    if (resolved.nodes.empty()) return {false, target.display() + ": no data node found", {}};
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
    : QObject(parent),
      options_(options),
      worker_(new QObject),
      workerMail_(new Mailbox(worker_)),
      mail_(new Mailbox(this)) {
    thread_.start(worker_);
}

ConnectionTester::~ConnectionTester() {
    stopping_ = true;
    thread_.stop();  // bounded by the probe's timeouts
}

int ConnectionTester::test(std::vector<redis::Endpoint> nodes) {
    return test(monitor::MonitorTarget::group(std::move(nodes)));
}

int ConnectionTester::test(monitor::MonitorTarget target) {
    const int request = ++lastRequest_;
    ++inFlight_;
    // `this` outlives every probe: the destructor joins the thread before members go away.
    workerMail_->post([this, request, target = std::move(target), options = options_] {
        Outcome out = probeTarget(target, options, stopping_);
        mail_->post([this, request, out] {
            --inFlight_;
            emit finished(request, out.ok, QString::fromStdString(out.message), out.steps);
        });
    });
    return request;
}

}  // namespace lockscope::ui

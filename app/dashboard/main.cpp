// lockscope: the dashboard. With no arguments it runs on an embedded sandbox redis-server with
// gentle demo traffic; --url / --nodes follow real servers.
#include <sys/socket.h>
#include <unistd.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSocketNotifier>
#include <csignal>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "app/dashboard/display_check.h"
#include "monitor/target.h"
#include "redis/transport.h"
#include "sandbox/demo_traffic.h"
#include "sandbox/redis_server.h"
#include "sandbox/run_password.h"
#include "ui/common/app_icon.h"
#include "ui/common/translations.h"
#include "ui/main_window.h"
#include "ui/state_dump.h"

namespace {

int signalPipe[2];

// SIGTERM / SIGINT end the event loop normally, so the sandbox is stopped by its destructor.
void installQuitOnSignal(QApplication& app) {
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe);
    auto* notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [] {
        char c;
        (void)::read(signalPipe[1], &c, 1);
        QApplication::quit();
    });
    struct sigaction sa {};
    sa.sa_handler = [](int) {
        char c = 1;
        (void)::write(signalPipe[0], &c, 1);
    };
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
}

QString transportHelp(std::string_view flag) {
    if (flag == "tls") return "TLS for a redis:// URL or --nodes (rediss:// turns it on).";
    if (flag == "cacert") return "CA certificate to trust (PEM); default: the system's CAs.";
    if (flag == "cacertdir") return "Directory of CA certificates (made with openssl rehash).";
    if (flag == "cert") return "Client certificate (PEM), for tls-auth-clients yes.";
    if (flag == "key")
        return "Client certificate's key (PEM); passphrase from LOCKSCOPE_TLS_KEY_PASSPHRASE.";
    if (flag == "sni") return "Server name to send and verify instead of the host.";
    if (flag == "insecure")
        return "Do not verify the server's certificate (said in the status bar while in force).";
    if (flag == "ssh") return "Reach the servers through this SSH bastion: [user@]host[:port].";
    if (flag == "ssh-identity")
        return "SSH key to log in with; passphrase from LOCKSCOPE_SSH_PASSPHRASE.";
    if (flag == "ssh-known-hosts") return "known_hosts file with the bastion's host key.";
    return {};
}

bool onlyPrints(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-?" || a == "-v" ||
            a == "--version")
            return true;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    // --help and --version only print: they must work without a display (ssh, CI), where the
    // default platform plugin would abort before the parser runs.
    if (onlyPrints(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (auto problem = lockscope::app::displayProblem()) {
        std::cerr << "lockscope: " << *problem << "\n";
        return 1;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("lockscope");
    QApplication::setOrganizationName("LockScope");
    QApplication::setApplicationVersion(LOCKSCOPE_VERSION);
    QApplication::setDesktopFileName("lockscope");
    QApplication::setWindowIcon(lockscope::ui::appIcon());
    // Settings > Language, else the system locale; the command line's help stays English, as the
    // CLI's does.
    lockscope::ui::installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "LockScope: see, test and teach Redis-based distributed locks and counters.\n"
        "Without --url or --nodes it starts its own sandbox redis-server with demo traffic.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption url(
        "url",
        "Follow a server: redis://[user:pass@]host[:port][/db] (rediss:// over TLS), "
        "unix:///path/to/sock[?db=N], the master of a Sentinel group "
        "redis+sentinel://host:port[,...]/master[/db], or every master of a cluster "
        "redis+cluster://host:port[,...] (password also from LOCKSCOPE_PASSWORD).",
        "URL");
    QCommandLineOption nodes(
        "nodes", "Follow a Redlock group of independent nodes: host:port,host:port,...", "LIST");
    QCommandLineOption readOnly("read-only", "Disable every action that writes to Redis.");
    parser.addOptions({url, nodes, readOnly});
    // The transport flags are lockscope-cli's (redis/transport.h names and applies them).
    std::vector<std::pair<std::string, QCommandLineOption>> transport;
    for (const auto& f : lockscope::redis::transportFlagNames()) {
        QCommandLineOption o(QString::fromLatin1(f.name), transportHelp(f.name));
        if (f.takesValue)
            o.setValueName(std::string_view(f.name) == "ssh"         ? "DEST"
                           : std::string_view(f.name) == "sni"       ? "NAME"
                           : std::string_view(f.name) == "cacertdir" ? "DIR"
                                                                     : "FILE");
        parser.addOption(o);
        transport.emplace_back(f.name, o);
    }
    parser.process(app);

    lockscope::monitor::MonitorTarget target;
    QString description;
    std::unique_ptr<lockscope::sandbox::RedisServer> sandbox;
    std::unique_ptr<lockscope::sandbox::DemoTraffic> traffic;
    // No redis-server, or it would not start: the window still opens, says why and offers
    // File > Connect… (a launch from a menu shows no stderr).
    QString sandboxFailure;
    try {
        auto where = lockscope::monitor::ConnectionArgs::fromEnvironment();
        bool transportGiven = false;
        for (const auto& [name, option] : transport) {
            if (!parser.isSet(option)) continue;
            lockscope::redis::applyTransportFlag(name, parser.value(option).toStdString(),
                                                 where.tls, where.ssh);
            transportGiven = true;
        }
        if (transportGiven && !parser.isSet(url) && !parser.isSet(nodes))
            throw std::invalid_argument(
                "the TLS and SSH options say how to reach --url or --nodes; the sandbox is plain "
                "TCP on this machine: add --url (or --nodes), or drop them");
        if (parser.isSet(url) || parser.isSet(nodes)) {
            if (parser.isSet(url)) where.url = parser.value(url).toStdString();
            if (parser.isSet(nodes)) where.nodes = parser.value(nodes).toStdString();
            auto spec = lockscope::monitor::connectionSpec(where);
            // Every time it is in force; the status bar says it too.
            for (const auto& w : spec.warnings) std::cerr << "lockscope: warning: " << w << "\n";
            target = std::move(spec.target);
            description = QString::fromStdString(spec.description);
        } else {
            // Loopback is every local user's: a random password keeps them out of the sandbox.
            // It stays in this process; the status bar and title show only the address.
            try {
                lockscope::sandbox::RedisServerOptions so;
                so.password = lockscope::sandbox::runPassword();
                sandbox = std::make_unique<lockscope::sandbox::RedisServer>(so);
                traffic = std::make_unique<lockscope::sandbox::DemoTraffic>(sandbox->endpoint());
            } catch (const std::exception& e) {
                traffic.reset();
                sandbox.reset();
                sandboxFailure = QString::fromStdString(e.what());
                std::cerr << "lockscope: the sandbox cannot start: " << e.what()
                          << " (File > Connect… follows a server instead)\n";
            }
            if (sandbox) {
                target = lockscope::monitor::MonitorTarget::single(sandbox->endpoint());
                description = QString("sandbox %1")
                                  .arg(QString::fromStdString(sandbox->endpoint().display()));
                std::cerr << "lockscope: sandbox redis-server at " << sandbox->endpoint().display()
                          << " (random password; stopped when LockScope exits)\n";
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "lockscope: " << e.what() << "\n";
        return 2;
    }

    installQuitOnSignal(app);
    auto window = std::make_unique<lockscope::ui::MainWindow>();
    // Before connecting: the sandbox is swept without a budget, and File > Connect… can come back
    // to it.
    if (sandbox) window->setSandbox(target.nodes, description);
    if (sandboxFailure.isEmpty()) window->connectTo(target, description);
    window->setReadOnly(parser.isSet(readOnly));
    window->show();
    if (!sandboxFailure.isEmpty()) window->reportNoSandbox(sandboxFailure);
    // The chaos soak's view of the tables (bench/chaos_soak.sh): only when asked for.
    const QString statePath = qEnvironmentVariable("LOCKSCOPE_STATE_DUMP");
    if (!statePath.isEmpty()) lockscope::ui::installStateDump(window.get(), statePath);
    const int rc = app.exec();
    if (!statePath.isEmpty()) lockscope::ui::dumpWindowState(*window, statePath);
    // The window first: it gives back the leases it holds and stops its demos and topologies
    // while the servers they talk to still run; then the demo traffic, then its server.
    window.reset();
    traffic.reset();
    sandbox.reset();
    return rc;
}

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
#include <string_view>

#include "monitor/target.h"
#include "sandbox/demo_traffic.h"
#include "sandbox/redis_server.h"
#include "ui/common/app_icon.h"
#include "ui/main_window.h"

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
    QApplication app(argc, argv);
    QApplication::setApplicationName("lockscope");
    QApplication::setOrganizationName("LockScope");
    QApplication::setApplicationVersion(LOCKSCOPE_VERSION);
    QApplication::setDesktopFileName("lockscope");
    QApplication::setWindowIcon(lockscope::ui::appIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "LockScope: see, test and teach Redis-based distributed locks and counters.\n"
        "Without --url or --nodes it starts its own sandbox redis-server with demo traffic.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption url(
        "url",
        "Follow a server: redis://[user:pass@]host[:port][/db], "
        "unix:///path/to/sock[?db=N], the master of a Sentinel group "
        "redis+sentinel://host:port[,...]/master[/db], or every master of a cluster "
        "redis+cluster://host:port[,...] (password also from LOCKSCOPE_PASSWORD).",
        "URL");
    QCommandLineOption nodes(
        "nodes", "Follow a Redlock group of independent nodes: host:port,host:port,...", "LIST");
    QCommandLineOption readOnly("read-only", "Disable every action that writes to Redis.");
    parser.addOptions({url, nodes, readOnly});
    parser.process(app);

    lockscope::monitor::MonitorTarget target;
    QString description;
    std::unique_ptr<lockscope::sandbox::RedisServer> sandbox;
    std::unique_ptr<lockscope::sandbox::DemoTraffic> traffic;
    try {
        if (parser.isSet(url) || parser.isSet(nodes)) {
            auto where = lockscope::monitor::ConnectionArgs::fromEnvironment();
            if (parser.isSet(url)) where.url = parser.value(url).toStdString();
            if (parser.isSet(nodes)) where.nodes = parser.value(nodes).toStdString();
            auto spec = lockscope::monitor::connectionSpec(where);
            target = std::move(spec.target);
            description = QString::fromStdString(spec.description);
        } else {
            sandbox = std::make_unique<lockscope::sandbox::RedisServer>();
            traffic = std::make_unique<lockscope::sandbox::DemoTraffic>(sandbox->endpoint());
            target = lockscope::monitor::MonitorTarget::single(sandbox->endpoint());
            description =
                QString("sandbox %1").arg(QString::fromStdString(sandbox->endpoint().display()));
            std::cerr << "lockscope: sandbox redis-server at " << sandbox->url()
                      << " (stopped when LockScope exits)\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "lockscope: " << e.what() << "\n";
        return 2;
    }

    installQuitOnSignal(app);
    auto window = std::make_unique<lockscope::ui::MainWindow>();
    window->connectTo(target, description);
    if (sandbox)
        window->setSandbox(target.nodes, description);  // File > Connect… can come back to it
    window->setReadOnly(parser.isSet(readOnly));
    window->show();
    const int rc = app.exec();
    // The window first: it gives back the leases it holds and stops its demos and topologies
    // while the servers they talk to still run; then the demo traffic, then its server.
    window.reset();
    traffic.reset();
    sandbox.reset();
    return rc;
}

// One connection store (issue 15.3): lockscope-cli --profile NAME follows a profile the dashboard
// saved (written here with the dashboard's own ui::ConnectionProfiles into the settings file the
// real lockscope-cli binary reads), its password from LOCKSCOPE_PASSWORD or asked on a terminal
// with --askpass (a real pseudo-terminal), and a production or read-only profile refuses writes
// unless --allow-writes. Against a real redis-server with a password. No keychain here: the
// headless machine has none, and the CLI says so and goes on without one.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>

#include "redis/connection.h"
#include "sandbox/redis_server.h"
#include "test_support.h"
#include "ui/connect/connection_profiles.h"

using namespace lockscope;
using namespace std::chrono_literals;
using test::runCli;

namespace {

const char* kPassword = "s3cret-pw";

QString q(const std::string& s) { return QString::fromStdString(s); }

struct PtyRun {
    int exitCode = -1;
    std::string output;  // everything the terminal showed
};

// Runs lockscope-cli on a new pseudo-terminal (its controlling tty, so /dev/tty is that), types
// `typed` after `prompt` shows, and collects what the terminal shows until it exits.
PtyRun runOnTerminal(const std::vector<std::string>& args, const std::string& prompt,
                     const std::string& typed) {
    std::vector<std::string> argv = {test::cliPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
        ::execv(cargv[0], cargv.data());
        ::_exit(127);
    }
    PtyRun run;
    if (pid < 0) return run;
    bool typedIt = false;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 30000) {
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, 100) > 0) {
            char buf[512];
            const ssize_t n = ::read(master, buf, sizeof buf);
            if (n <= 0) break;  // EIO: the child closed the terminal
            run.output.append(buf, static_cast<size_t>(n));
        }
        if (!typedIt && run.output.find(prompt) != std::string::npos) {
            (void)!::write(master, typed.data(), typed.size());
            typedIt = true;
        }
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) run.exitCode = WEXITSTATUS(status);
    ::close(master);
    return run;
}

}  // namespace

class TestProfilesCli : public QObject {
    Q_OBJECT
    QTemporaryDir config;
    QTemporaryDir auditDir;
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    void saveProfile(ui::ConnectionProfile p) { ui::ConnectionProfiles().save(std::move(p)); }

    bool keyExists(const std::string& key) {
        redis::Connection c(server->endpoint());
        return c.command({"EXISTS", key}).integer() == 1;
    }

private slots:
    void initTestCase() {
        QVERIFY(!test::cliPath().empty());
        // The dashboard's settings file, in a temp dir: QSettings here, XDG_CONFIG_HOME for the
        // CLI, which finds <XDG_CONFIG_HOME>/LockScope/lockscope.conf as the dashboard would.
        QCoreApplication::setOrganizationName("LockScope");
        QCoreApplication::setApplicationName("lockscope");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config.path());
        ::setenv("XDG_CONFIG_HOME", config.path().toLocal8Bit().constData(), 1);
        ::setenv("LOCKSCOPE_AUDIT_LOG", auditDir.filePath("audit.log").toUtf8().constData(), 1);
        ::unsetenv("LOCKSCOPE_PASSWORD");
        // No Secret Service: the keychain answers "unavailable" at once instead of waiting.
        ::unsetenv("DBUS_SESSION_BUS_ADDRESS");

        sandbox::RedisServerOptions o;
        o.password = kPassword;
        server = std::make_unique<sandbox::RedisServer>(o);
        prefix = test::keyPrefix("profiles");
        const int port = server->port();

        ui::ConnectionProfile dev;
        dev.name = "dev box";
        dev.kind = ui::ConnectionProfile::Kind::HostPort;
        dev.host = "127.0.0.1";
        dev.port = port;
        dev.colour = "green";
        dev.rememberPassword = true;  // but no keychain here
        saveProfile(dev);
        ui::ConnectionProfile prod;
        prod.name = "prod";
        prod.kind = ui::ConnectionProfile::Kind::Url;
        prod.url = QString("redis://127.0.0.1:%1/0").arg(port);
        prod.production = true;
        prod.colour = "red";
        saveProfile(prod);
        ui::ConnectionProfile ro;
        ro.name = "staging";
        ro.kind = ui::ConnectionProfile::Kind::Nodes;
        ro.nodes = QString("127.0.0.1:%1").arg(port);
        ro.readOnly = true;
        saveProfile(ro);

        // A lock for the read commands to find.
        redis::Connection c(server->endpoint());
        c.command({"SET", prefix + "lock:orders", "holder-1", "PX", "60000"});
    }

    void profilesListsWhatTheDashboardSaved() {
        auto r = runCli({"profiles"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = q(r.out).trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QString port = QString::number(server->port());
        QCOMPARE(lines[0], "dev box\t127.0.0.1:" + port + "\tread-write\tgreen");
        QCOMPARE(lines[1], "prod\tredis://127.0.0.1:" + port + "/0\tproduction\tred");
        QCOMPARE(lines[2], "staging\t127.0.0.1:" + port + "\tread-only\t-");

        auto j = runCli({"profiles", "--json"});
        QCOMPARE(j.exitCode, 0);
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(j.out));
        QVERIFY2(doc.isArray(), j.out.c_str());
        const auto prod = doc.array().at(1).toObject();
        QCOMPARE(prod.value("name").toString(), "prod");
        QCOMPARE(prod.value("production").toBool(), true);
        QCOMPARE(prod.value("read_only").toBool(), true);
        QCOMPARE(prod.value("colour").toString(), "red");
        QCOMPARE(doc.array().at(0).toObject().value("saved_password").toBool(), true);
        QCOMPARE(doc.array().at(2).toObject().value("read_only").toBool(), true);
        QCOMPARE(doc.array().at(2).toObject().value("production").toBool(), false);
    }

    // LOCKSCOPE_PASSWORD with the profile's server: the read works; without it the server says
    // NOAUTH and the CLI says there is no keychain to take a saved one from.
    void passwordFromTheEnvironment() {
        ::setenv("LOCKSCOPE_PASSWORD", kPassword, 1);
        auto r = runCli({"--profile", "dev box", "locks", "--json", "--match", prefix + "*"});
        ::unsetenv("LOCKSCOPE_PASSWORD");
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(q(r.out).contains(q(prefix + "lock:orders")), r.out.c_str());
        QVERIFY2(q(r.out).contains("holder-1"), r.out.c_str());

        auto none = runCli({"--profile", "dev box", "locks", "--match", prefix + "*"});
        QCOMPARE(none.exitCode, 3);
        QVERIFY2(q(none.err).contains("no saved password to use"), none.err.c_str());
    }

    void passwordAskedOnTheTerminal() {
        const auto run =
            runOnTerminal({"--profile", "dev box", "--askpass", "locks", "--match", prefix + "*"},
                          "Password for profile 'dev box': ", std::string(kPassword) + "\n");
        QVERIFY2(run.exitCode == 0, run.output.c_str());
        QVERIFY2(q(run.output).contains(q(prefix + "lock:orders")), run.output.c_str());
        // Typed without echo: the terminal never shows it.
        QVERIFY2(!q(run.output).contains(kPassword), run.output.c_str());

        const auto wrong = runOnTerminal({"--profile", "dev box", "--askpass", "locks"},
                                         "Password for profile 'dev box': ", "not-the-password\n");
        QCOMPARE(wrong.exitCode, 3);
    }

    void askpassWithoutATerminalSaysSo() {
        const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY);
        if (tty >= 0) {
            ::close(tty);
            QSKIP("this test runs with a controlling terminal: the CLI would ask on it");
        }
        auto r = runCli({"--profile", "dev box", "--askpass", "locks"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(q(r.err).contains("LOCKSCOPE_PASSWORD"), r.err.c_str());
    }

    void productionAndReadOnlyProfilesRefuseWrites_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("says");
        QTest::newRow("production") << "prod"
                                    << "marked production";
        QTest::newRow("read-only default") << "staging"
                                           << "read-only by default";
    }

    void productionAndReadOnlyProfilesRefuseWrites() {
        QFETCH(QString, profile);
        QFETCH(QString, says);
        ::setenv("LOCKSCOPE_PASSWORD", kPassword, 1);
        const std::string key = prefix + "w:" + profile.toStdString();
        const std::vector<std::string> acquire = {
            "--profile",  profile.toStdString(), "lock",  "acquire", key,
            "--strategy", "set-nx-px",           "--ttl", "60000"};
        auto refused = runCli(acquire);
        auto reads = runCli({"--profile", profile.toStdString(), "locks", "--match", prefix + "*"});
        auto withFlag = acquire;
        withFlag.push_back("--allow-writes");
        const bool existedBefore = keyExists(key);
        auto allowed = runCli(withFlag);
        ::unsetenv("LOCKSCOPE_PASSWORD");

        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(q(refused.err).contains(says) && q(refused.err).contains("--allow-writes"),
                 refused.err.c_str());
        QVERIFY(!existedBefore);                           // refused before anything was written
        QVERIFY2(reads.exitCode == 0, reads.err.c_str());  // reading is what it opens for
        QVERIFY2(q(reads.out).contains(q(prefix + "lock:orders")), reads.out.c_str());
        QVERIFY2(allowed.exitCode == 0, allowed.err.c_str());
        QVERIFY(keyExists(key));
    }

    void writableProfileWrites() {
        ::setenv("LOCKSCOPE_PASSWORD", kPassword, 1);
        const std::string key = prefix + "w:dev";
        auto r = runCli({"--profile", "dev box", "lock", "acquire", key, "--strategy", "set-nx-px",
                         "--ttl", "60000"});
        ::unsetenv("LOCKSCOPE_PASSWORD");
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY(keyExists(key));
    }

    void misuseIsAUsageError_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown profile")
            << QStringList{"--profile", "nope", "locks"} << "saved: dev box, prod, staging";
        QTest::newRow("with --url")
            << QStringList{"--profile", "prod", "--url", "redis://h", "locks"} << "drop --url";
        QTest::newRow("with --sandbox") << QStringList{"--profile", "prod", "--sandbox", "locks"}
                                        << "drop --url / --nodes / --profile";
        QTest::newRow("profiles takes no argument")
            << QStringList{"profiles", "prod"} << "no arguments";
    }

    void misuseIsAUsageError() {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        std::vector<std::string> argv;
        for (const auto& a : args) argv.push_back(a.toStdString());
        auto r = runCli(argv);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(q(r.err).contains(says), r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestProfilesCli)
#include "test_profiles_cli.moc"

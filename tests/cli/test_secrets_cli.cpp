// Issue 17: where a password given to lockscope-cli could end up, checked against a real
// password-protected redis-server — every command's stdout and stderr (JSON and text, success and
// failure), the audit file of a write, the output of a `watch` that aborts (SIGABRT) or is killed
// by a fault signal — and the --sandbox server: it refuses a client without its random password.
#include <signal.h>

#include <QtTest>
#include <fstream>
#include <regex>

#include "redis/connection.h"
#include "redis/error.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPassword = "s3cret-leak-7f2c";
constexpr const char* kToken = "lockscope:set-nx-px:leak-host:4242:0123abcd:0123456789abcdef";

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool mentions(const std::string& text) { return text.find("s3cret-leak") != std::string::npos; }

}  // namespace

class TestSecretsCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string auditLog;
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    std::string url(const std::string& password = kPassword) const {
        return "redis://:" + password + "@127.0.0.1:" + std::to_string(server->port());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        auditLog = dir.filePath("audit.log").toStdString();
        ::setenv("LOCKSCOPE_AUDIT_LOG", auditLog.c_str(), 1);
        sandbox::RedisServerOptions o;
        o.password = kPassword;
        server = std::make_unique<sandbox::RedisServer>(o);
        prefix = test::keyPrefix("secrets");
        redis::Connection c(server->endpoint());
        c.command({"SET", prefix + "lock", kToken, "PX", 60000});
        c.command({"SET", prefix + "count", "41"});
    }
    void cleanupTestCase() { server.reset(); }

    // {arguments after the URL, expected exit code}; "@URL" stands for the URL with the password,
    // "@WRONG" for one with a wrong password, "@DEAD" for one where nothing listens.
    void commandOutput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("locks --json") << QStringList{"@URL", "locks", "--json"} << 0;
        QTest::newRow("locks text") << QStringList{"@URL", "locks"} << 0;
        QTest::newRow("counters --json")
            << QStringList{"@URL", "counters", "--json", "--window", "300"} << 0;
        QTest::newRow("inspect-key --json")
            << QStringList{"@URL", "inspect-key", "@PREFIXlock", "--json"} << 0;
        QTest::newRow("lock inspect --json")
            << QStringList{"@URL",       "lock",      "inspect", "@PREFIXlock",
                           "--strategy", "set-nx-px", "--json"}
            << 0;
        QTest::newRow("lock acquire --json")
            << QStringList{"@URL", "lock",       "acquire",   "@PREFIXmine", "--ttl",
                           "5000", "--strategy", "set-nx-px", "--json"}
            << 0;
        QTest::newRow("wrong password") << QStringList{"@WRONG", "locks", "--json"} << 3;
        QTest::newRow("server down") << QStringList{"@DEAD", "locks", "--json"} << 3;
        QTest::newRow("usage error after the url")
            << QStringList{"@URL", "locks", "--no-such-flag"} << 2;
    }
    void commandOutput() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        std::vector<std::string> argv;
        for (const QString& a : args) {
            std::string s = a.toStdString();
            if (s == "@URL") {
                argv.insert(argv.end(), {"--url", url()});
                continue;
            }
            if (s == "@WRONG") {
                argv.insert(argv.end(), {"--url", url("s3cret-leak-wrong")});
                continue;
            }
            if (s == "@DEAD") {
                const int port = sandbox::pickFreePort(45000, 50000, false);
                argv.insert(argv.end(), {"--url", "redis://:" + std::string(kPassword) +
                                                      "@127.0.0.1:" + std::to_string(port)});
                continue;
            }
            if (s.rfind("@PREFIX", 0) == 0) s = prefix + s.substr(7);
            argv.push_back(s);
        }
        const auto r = test::runCli(argv);
        QVERIFY2(r.exitCode == exitCode,
                 qPrintable(QString("exit %1: %2").arg(r.exitCode).arg(r.err.c_str())));
        QVERIFY2(!mentions(r.out), r.out.c_str());
        QVERIFY2(!mentions(r.err), r.err.c_str());
        QVERIFY(!r.out.empty() || !r.err.empty());  // it said something, without the password
    }

    // A confirmed write is audited with the server it went to: the address, not the URL.
    void auditFileOfAWrite() {
        const std::string key = prefix + "forced";
        redis::Connection(server->endpoint()).command({"SET", key, kToken, "PX", 60000});
        const auto r = test::runCli(
            {"--url", url(), "lock", "force-release", key, "--holder", kToken, "--yes"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(!mentions(r.out) && !mentions(r.err), (r.out + r.err).c_str());
        const std::string audit = readAll(auditLog);
        QVERIFY2(audit.find(key) != std::string::npos, audit.c_str());  // it was written
        QVERIFY2(!mentions(audit), audit.c_str());
    }

    // What a crash leaves on the terminal: a `watch` following the server, then SIGABRT (an
    // assertion, std::terminate) or SIGSEGV.
    void crashOutput_data() {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGABRT") << SIGABRT;
        QTest::newRow("SIGSEGV") << SIGSEGV;
    }
    void crashOutput() {
        QFETCH(int, signal);
        auto child = test::ChildProcess::spawn(
            {test::cliPath(), "--url", url(), "watch", "--json", "--match", prefix + "*"});
        std::string out;
        for (int i = 0; i < 50 && out.find(prefix) == std::string::npos; ++i)
            if (auto line = child.readLine(200ms)) out += *line + "\n";
        QVERIFY2(out.find(prefix) != std::string::npos, out.c_str());  // it was following
        QCOMPARE(::kill(child.pid(), signal), 0);
        const auto code = child.wait(10s);
        QVERIFY(code.has_value());
        QCOMPARE(*code, 128 + signal);
        out += child.drainStdout();
        const std::string err = child.drainStderr();
        QVERIFY2(!mentions(out), out.c_str());
        QVERIFY2(!mentions(err), err.c_str());
    }

    // --sandbox: the server started for the command has a random password, so another local user
    // on loopback is refused; the command itself reaches it.
    void sandboxRefusesOtherClients() {
        auto child = test::ChildProcess::spawn({test::cliPath(), "--sandbox", "watch", "--json"});
        std::string err;
        std::smatch m;
        const std::regex started(R"(sandbox: started 127\.0\.0\.1:(\d+))");
        for (int i = 0; i < 50 && !std::regex_search(err, m, started); ++i) {
            QTest::qWait(100);
            err += child.drainStderr();
        }
        QVERIFY2(std::regex_search(err, m, started), err.c_str());
        QVERIFY2(err.find("random password") != std::string::npos, err.c_str());
        const int port = std::stoi(m[1].str());
        try {
            redis::Connection c(redis::Endpoint::tcpEndpoint("127.0.0.1", port));
            c.command({"SET", "intruder", "1"});
            QFAIL("the sandbox accepted a client without its password");
        } catch (const redis::Error& e) {
            QVERIFY2(
                QString(e.what()).contains("NOAUTH") || QString(e.what()).contains("uthentication"),
                e.what());
        }
        child.terminate();
        QVERIFY(child.wait(10s).has_value());
        // The command itself gets in: NOAUTH would be exit 3.
        const auto r = test::runCli({"--sandbox", "locks", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSecretsCli)
#include "test_secrets_cli.moc"

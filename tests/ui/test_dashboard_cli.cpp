// The lockscope binary's command line, run as a user would: --help and --version exit 0 with the
// expected text, with or without a display; an unknown option, a malformed --url and --url given
// with --nodes are refused before any window opens; so are transport flags that do not fit (the
// core's rules, as lockscope-cli's), and --insecure is said on stderr.
#include <QtTest>

#include "test_support.h"

using namespace lockscope;

namespace {

std::string dashboard() {
#ifdef LOCKSCOPE_DASHBOARD_PATH
    return LOCKSCOPE_DASHBOARD_PATH;
#else
    return {};
#endif
}

}  // namespace

class TestDashboardCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo::exists(QString::fromStdString(dashboard())), dashboard().c_str());
    }

    void help() {
        auto r = test::runProgram({dashboard(), "--help"});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromStdString(r.out);
        QVERIFY2(out.startsWith("Usage: "), r.out.c_str());
        for (const char* option : {"--url <URL>",
                                   "--nodes <LIST>",
                                   "--read-only",
                                   "--version",
                                   "--help",
                                   "redis://[user:pass@]host[:port][/db]",
                                   "LOCKSCOPE_PASSWORD",
                                   "sandbox",
                                   "rediss://",
                                   "--tls",
                                   "--cacert <FILE>",
                                   "--cacertdir <DIR>",
                                   "--cert <FILE>",
                                   "--key <FILE>",
                                   "--sni <NAME>",
                                   "--insecure",
                                   "--ssh <DEST>",
                                   "--ssh-identity <FILE>",
                                   "--ssh-known-hosts <FILE>",
                                   "LOCKSCOPE_TLS_KEY_PASSPHRASE",
                                   "LOCKSCOPE_SSH_PASSPHRASE"})
            QVERIFY2(out.contains(option), option);
    }

    void version() {
        auto r = test::runProgram({dashboard(), "--version"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QString::fromStdString(r.out).trimmed(), QString("lockscope " LOCKSCOPE_VERSION));
    }

    // Over ssh or in CI there is no display: printing the help must not need one.
    void helpAndVersionWithoutADisplay() {
        const QByteArray platform = qgetenv("QT_QPA_PLATFORM"), display = qgetenv("DISPLAY"),
                         wayland = qgetenv("WAYLAND_DISPLAY");
        qunsetenv("QT_QPA_PLATFORM");  // inherited by the child; this test itself is GUI-less
        qunsetenv("DISPLAY");
        qunsetenv("WAYLAND_DISPLAY");
        auto version = test::runProgram({dashboard(), "--version"});
        auto help = test::runProgram({dashboard(), "-h"});
        auto restore = [](const char* name, const QByteArray& value) {
            if (!value.isNull()) qputenv(name, value);
        };
        restore("QT_QPA_PLATFORM", platform);
        restore("DISPLAY", display);
        restore("WAYLAND_DISPLAY", wayland);
        QVERIFY2(version.exitCode == 0, version.err.c_str());
        QCOMPARE(QString::fromStdString(version.out).trimmed(),
                 QString("lockscope " LOCKSCOPE_VERSION));
        QVERIFY2(help.exitCode == 0, help.err.c_str());
        QVERIFY(QString::fromStdString(help.out).contains("--url <URL>"));
    }

    void refusesBadInput_data() {
        QTest::addColumn<QString>("arg");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << "--bogus"
                                        << "" << 1 << "Unknown option 'bogus'";
        QTest::newRow("malformed url")
            << "--url"
            << "redis://127.0.0.1:notaport" << 2
            << "lockscope: invalid URL 'redis://127.0.0.1:notaport': port 'notaport'";
    }
    void refusesBadInput() {
        QFETCH(QString, arg);
        QFETCH(QString, value);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        std::vector<std::string> argv{dashboard(), arg.toStdString()};
        if (!value.isEmpty()) argv.push_back(value.toStdString());
        auto r = test::runProgram(argv, 15000);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromStdString(r.err).contains(message), r.err.c_str());
    }

    void refusesTransportThatDoesNotFit_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("tls without a server")
            << QStringList{"--tls"} << "the TLS and SSH options say how to reach --url or --nodes";
        QTest::newRow("cacert without tls")
            << QStringList{"--url", "redis://127.0.0.1:1", "--cacert", "/etc/hostname"}
            << "--cacert applies to TLS connections: add --tls, or use a rediss:// URL";
        QTest::newRow("missing CA file")
            << QStringList{"--url", "rediss://127.0.0.1:1", "--cacert", "/nonexistent/ca.crt"}
            << "--cacert /nonexistent/ca.crt: no such file";
        QTest::newRow("tls on a unix socket")
            << QStringList{"--url", "unix:///tmp/redis.sock", "--tls"}
            << "TLS does not apply to a unix:// socket";
        QTest::newRow("bad bastion")
            << QStringList{"--url", "redis://127.0.0.1:1", "--ssh", "a b"} << "invalid --ssh 'a b'";
    }
    void refusesTransportThatDoesNotFit() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv{dashboard()};
        for (const QString& a : args) argv.push_back(a.toStdString());
        auto r = test::runProgram(argv, 15000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromStdString(r.err).contains("lockscope: " + message) ||
                     QString::fromStdString(r.err).contains(message),
                 r.err.c_str());
    }

    // --insecure is said on stderr as the window opens (the status bar says it too:
    // test_connection_transport). The window runs for 3 s (scaled: a sanitizer build's dashboard
    // takes that long to start), then the test ends it.
    void insecureIsSaidOnStderr() {
        qputenv("QT_QPA_PLATFORM", "offscreen");
        const int port = sandbox::pickFreePort(20000, 45000, false);
        auto r = test::runProgram(
            {dashboard(), "--url", "rediss://127.0.0.1:" + std::to_string(port), "--insecure"},
            test::scaled(3000));
        QCOMPARE(r.exitCode, -1);  // the window ran until the test ended it
        QVERIFY2(QString::fromStdString(r.err).contains(
                     "lockscope: warning: TLS certificates are NOT verified (--insecure)"),
                 r.err.c_str());
    }

    // The same rule as lockscope-cli's (monitor::connectionSpec), in the dashboard's words.
    void refusesBothUrlAndNodes() {
        auto r = test::runProgram(
            {dashboard(), "--url", "redis://127.0.0.1:1", "--nodes", "127.0.0.1:2,127.0.0.1:3"},
            15000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromStdString(r.err).contains(
                     "lockscope: --url and --nodes both name what to follow: give one of them"),
                 r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestDashboardCli)
#include "test_dashboard_cli.moc"

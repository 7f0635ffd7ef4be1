// lockscope-cli over TLS and through an SSH bastion, as an operator types it: `lock acquire`,
// `locks`, `lock force-release`, `watch` with live keyspace events and a `demo lock` run against
// a redis-server with --tls-port (client certificates required) and behind a real sshd; the
// --insecure warning on stderr; one-line errors and exit code 3 for a refused handshake; and a
// tunnel killed in the middle of `watch`, rebuilt by the monitor and said so.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <cstdlib>

#include "locks/owner.h"
#include "redis/connection.h"
#include "sshd_fixture.h"
#include "test_support.h"
#include "tls_pki.h"
#include "watch_lines.h"

using namespace lockscope;
using namespace std::chrono_literals;
using test::runCli;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

class TestTransportCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::TestPki> pki;
    std::unique_ptr<test::TestSshd> sshd;
    std::unique_ptr<sandbox::RedisServer> server;  // TLS port with tls-auth-clients yes
    std::string prefix;

    std::vector<std::string> tlsArgs() const {
        return {"--url",    "rediss://127.0.0.1:" + std::to_string(server->tlsPort()),
                "--cacert", pki->caCert,
                "--cert",   pki->clientCert,
                "--key",    pki->clientKey};
    }
    std::vector<std::string> sshArgs() const {  // the plain port, through the bastion
        return {"--url",
                server->url(),
                "--ssh",
                sshd->destination(),
                "--ssh-identity",
                sshd->identity,
                "--ssh-known-hosts",
                sshd->knownHosts};
    }
    static std::vector<std::string> with(std::vector<std::string> a,
                                         std::initializer_list<std::string> more) {
        a.insert(a.end(), more);
        return a;
    }

    // lock acquire, locks, force-release through `where`.
    void lockRoundTrip(const std::vector<std::string>& where, const std::string& key) {
        auto a = runCli(
            with(where, {"lock", "acquire", key, "--strategy", "set-nx-px", "--ttl", "30000"}));
        QVERIFY2(a.exitCode == 0, a.err.c_str());
        const std::string token = a.out.substr(0, a.out.find('\n'));
        QVERIFY2(locks::parseToken(token), token.c_str());
        redis::Connection plain(server->endpoint());
        QCOMPARE(q(*plain.command({"GET", key}).optString()), q(token));

        auto listed = runCli(with(where, {"locks", "--match", key, "--json"}));
        QVERIFY2(listed.exitCode == 0, listed.err.c_str());
        QVERIFY2(listed.out.find(token) != std::string::npos, listed.out.c_str());

        auto released =
            runCli(with(where, {"lock", "force-release", key, "--holder", token, "--yes"}));
        QVERIFY2(released.exitCode == 0, released.err.c_str());
        QVERIFY(!plain.command({"GET", key}).optString());
    }

    void demoRun(const std::vector<std::string>& where) {
        auto r = runCli(with(where, {"demo", "lock", "--strategy", "set-nx-px", "--workers", "3",
                                     "--ops", "20", "--json"}),
                        60000);
        QVERIFY2(r.exitCode == 0, (r.err + r.out).c_str());
        const auto o = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QVERIFY2(o["acquisitions"].toInt() >= 60, r.out.c_str());
        QCOMPARE(o["lost_updates"].toInt(), 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        QDir(dir.path()).mkdir("pki");
        pki = std::make_unique<test::TestPki>((dir.path() + "/pki").toStdString());
        sshd = std::make_unique<test::TestSshd>(dir.path().toStdString());
        sandbox::RedisServerOptions o;
        o.tls = sandbox::RedisServerTls{pki->serverCert, pki->serverKey, pki->caCert, "yes", false};
        server = std::make_unique<sandbox::RedisServer>(o);
        prefix = test::keyPrefix("transport-cli");
        ::setenv("LOCKSCOPE_AUDIT_LOG", (dir.path() + "/audit.log").toLocal8Bit().constData(), 1);
    }
    void cleanupTestCase() {
        server.reset();
        sshd.reset();
    }

    void locksOverTls() { lockRoundTrip(tlsArgs(), prefix + "tls-lock"); }

    void locksThroughTheBastion() { lockRoundTrip(sshArgs(), prefix + "ssh-lock"); }

    void locksOverTlsThroughTheBastion() {
        auto where = sshArgs();
        const auto tls = tlsArgs();
        where.erase(where.begin(), where.begin() + 2);  // the --url of the plain port
        where.insert(where.end(), tls.begin(), tls.end());
        lockRoundTrip(where, prefix + "both-lock");
    }

    void watchOverTlsSeesLiveEvents() {
        const std::string key = prefix + "w:tls";
        std::vector<std::string> argv = {test::cliPath()};
        const auto tls = tlsArgs();
        argv.insert(argv.end(), tls.begin(), tls.end());
        argv.insert(argv.end(), {"watch", "--match", prefix + "w:*", "--json"});
        auto child = test::ChildProcess::spawn(argv);
        QTest::qWait(700);
        redis::Connection plain(server->endpoint());
        plain.command(
            {"SET", key, "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX", 30000});
        std::string said;
        auto seen = test::watchLineFor(child, key, said);
        QVERIFY2(seen, said.c_str());
        QCOMPARE((*seen)["format"].toString(), QString("set-nx-px"));
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
    }

    void demoOverTls() { demoRun(tlsArgs()); }

    void demoThroughTheBastion() { demoRun(sshArgs()); }

    void insecureIsSaidOnStderr() {
        auto r = runCli({"--url", "rediss://127.0.0.1:" + std::to_string(server->tlsPort()),
                         "--insecure", "--cert", pki->clientCert, "--key", pki->clientKey, "locks",
                         "--match", prefix + "nothing*"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(q(r.err).contains("warning: TLS certificates are NOT verified (--insecure)"),
                 r.err.c_str());
    }

    void refusedHandshakesExitWithOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<int>("exitCode");
        const QString tlsUrl = q("rediss://127.0.0.1:" + std::to_string(server->tlsPort()));
        QTest::newRow("unknown CA (system store)")
            << QStringList{"--url", tlsUrl,           "--cert", q(pki->clientCert),
                           "--key", q(pki->clientKey)}
            << "unknown CA" << 3;
        QTest::newRow("no client certificate")
            << QStringList{"--url", tlsUrl, "--cacert", q(pki->caCert)}
            << "requires a client certificate" << 3;
        QTest::newRow("wrong host name") << QStringList{"--url",    tlsUrl,
                                                        "--cacert", q(pki->caCert),
                                                        "--cert",   q(pki->clientCert),
                                                        "--key",    q(pki->clientKey),
                                                        "--sni",    "cache.example.com"}
                                         << "wrong host name" << 3;
        QTest::newRow("plain client on the TLS port")
            << QStringList{"--url", q("redis://127.0.0.1:" + std::to_string(server->tlsPort()))}
            << "connect with rediss:// or --tls" << 3;
        QTest::newRow("TLS client on the plain port")
            << QStringList{"--url", q(server->url()), "--tls", "--cacert", q(pki->caCert)}
            << "plain (non-TLS) port" << 3;
        QTest::newRow("unknown bastion host key") << QStringList{"--url",
                                                                 q(server->url()),
                                                                 "--ssh",
                                                                 q(sshd->destination()),
                                                                 "--ssh-identity",
                                                                 q(sshd->identity),
                                                                 "--ssh-known-hosts",
                                                                 q(sshd->emptyKnownHosts)}
                                                  << "host key is not known" << 3;
        QTest::newRow("changed bastion host key") << QStringList{"--url",
                                                                 q(server->url()),
                                                                 "--ssh",
                                                                 q(sshd->destination()),
                                                                 "--ssh-identity",
                                                                 q(sshd->identity),
                                                                 "--ssh-known-hosts",
                                                                 q(sshd->changedKnownHosts)}
                                                  << "host key has CHANGED" << 3;
        QTest::newRow("cacert without TLS")
            << QStringList{"--url", q(server->url()), "--cacert", q(pki->caCert)} << "add --tls"
            << 2;
    }
    void refusedHandshakesExitWithOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QFETCH(int, exitCode);
        std::vector<std::string> a;
        for (const auto& s : args) a.push_back(s.toStdString());
        a.insert(a.end(), {"--timeout", "2000", "locks"});
        const auto start = std::chrono::steady_clock::now();
        auto r = runCli(a);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(q(r.err).contains(mentions), r.err.c_str());
        QCOMPARE(q(r.err).trimmed().count('\n'), 0);  // one line
        QVERIFY(std::chrono::steady_clock::now() - start < 6s);
    }

    void watchThroughTheBastionSurvivesAKilledTunnel() {
        std::vector<std::string> argv = {test::cliPath()};
        const auto ssh = sshArgs();
        argv.insert(argv.end(), ssh.begin(), ssh.end());
        argv.insert(argv.end(), {"watch", "--match", prefix + "t:*", "--json"});
        auto child = test::ChildProcess::spawn(argv);
        QTest::qWait(700);
        redis::Connection plain(server->endpoint());
        const std::string value = "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef";
        plain.command({"SET", prefix + "t:before", value, "PX", 30000});
        std::string said;
        QVERIFY2(test::watchLineFor(child, prefix + "t:before", said), said.c_str());

        // The bastion connection dies under the running watch (its ssh process, by pid).
        const auto masters = test::childPids(static_cast<int>(child.pid()), "ssh");
        QCOMPARE(int(masters.size()), 1);
        QCOMPARE(::kill(masters[0], SIGKILL), 0);

        plain.command({"SET", prefix + "t:after", value, "PX", 30000});
        auto after = test::watchLineFor(child, prefix + "t:after", said);
        QVERIFY2(after, said.c_str());
        QVERIFY2(
            said.find("through a new SSH tunnel via " + sshd->destination()) != std::string::npos,
            said.c_str());
        const auto now = test::childPids(static_cast<int>(child.pid()), "ssh");
        QCOMPARE(int(now.size()), 1);
        QVERIFY(now[0] != masters[0]);
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestTransportCli)
#include "test_transport_cli.moc"

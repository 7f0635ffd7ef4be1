// redis::Connection through an SSH tunnel: a real sshd (Debian's openssh-server) on a free
// loopback port with its own host key, and the system's ssh client. Plain and TLS servers behind
// the bastion, one SSH connection shared by every forward, the host key checked strictly (unknown
// and changed keys refused, nothing written to known_hosts), a refused login, an unreachable
// bastion, a refused forward, and a tunnel killed under a live connection.
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "connect_failure.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "sandbox/redis_server.h"
#include "sshd_fixture.h"
#include "test_support.h"
#include "tls_pki.h"

using namespace lockscope;
using namespace std::chrono_literals;
using redis::Connection;
using redis::Error;
using redis::ErrorKind;
using Steady = std::chrono::steady_clock;

namespace {

using test::expectOneLine;
using Failure = test::ConnectFailure;

Failure connectFailure(const redis::Endpoint& endpoint,
                       std::chrono::milliseconds timeout = 4000ms) {
    return test::connectFailure(endpoint, timeout);
}

// Until `pid` (a child of this process: ssh) has exited, zombie or reaped.
void waitExited(long long pid) {
    for (int i = 0; i < 500; ++i) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto close = text.rfind(')');
        if (close == std::string::npos || text.substr(close + 2, 1) == "Z") return;
        std::this_thread::sleep_for(10ms);
    }
}

std::string fileText(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

class TestSshTunnel : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::TestSshd> sshd;
    std::unique_ptr<test::TestPki> pki;
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    redis::SshOptions via() const {
        redis::SshOptions s;
        s.destination = sshd->destination();
        s.identity = sshd->identity;
        s.knownHosts = sshd->knownHosts;
        return s;
    }
    redis::Endpoint behind(redis::SshOptions ssh) const {
        redis::Endpoint e = server->endpoint();
        e.ssh = std::move(ssh);
        return e;
    }
private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        sshd = std::make_unique<test::TestSshd>(dir.path().toStdString());
        QDir(dir.path()).mkdir("pki");
        pki = std::make_unique<test::TestPki>((dir.path() + "/pki").toStdString());
        sandbox::RedisServerOptions o;
        o.tls = sandbox::RedisServerTls{pki->serverCert, pki->serverKey, pki->caCert, "no", false};
        server = std::make_unique<sandbox::RedisServer>(o);
        prefix = test::keyPrefix("ssh");
    }
    void cleanupTestCase() {
        server.reset();
        sshd.reset();
    }

    void commandsThroughTheTunnel() {
        Connection c(behind(via()));
        const std::string key = prefix + "k";
        c.command({"SET", key, "through the bastion"});
        QCOMPARE(QString::fromStdString(*c.command({"GET", key}).optString()),
                 QString("through the bastion"));
        const auto& t = c.transport();
        QVERIFY(!t.tls);
        QCOMPARE(QString::fromStdString(t.ssh), QString::fromStdString(sshd->destination()));
        QVERIFY(t.tunnelId > 0);
        QVERIFY(t.sshPid > 0);
        QVERIFY2(t.describe().find("SSH tunnel via " + sshd->destination()) != std::string::npos,
                 t.describe().c_str());
        // Many connections, one SSH login: the same master carries them all.
        Connection second(behind(via()));
        second.command({"PING"});
        QCOMPARE(second.transport().tunnelId, t.tunnelId);
        QCOMPARE(second.transport().sshPid, t.sshPid);
        // The server sees the client coming from the bastion's side (sshd), not from us directly.
        std::string big(1 << 20, 'b');
        c.command({"SET", key + ":big", big});
        QVERIFY(*second.command({"GET", key + ":big"}).optString() == big);
    }

    void tlsInsideTheTunnel() {
        redis::Endpoint e = server->tlsEndpoint({});
        e.tls.caCert = pki->caCert;
        e.ssh = via();
        Connection c(e);
        QVERIFY(c.command({"PING"}).isStatus());
        QVERIFY(c.transport().tls);
        QVERIFY(c.transport().verified);
        // Verified against the name of the server behind the bastion.
        QCOMPARE(QString::fromStdString(c.transport().serverName), QString("127.0.0.1"));
        QVERIFY2(c.transport().describe().find("; SSH tunnel via") != std::string::npos,
                 c.transport().describe().c_str());
    }

    void passphraseProtectedIdentity() {
        redis::SshOptions s = via();
        s.identity = sshd->encryptedIdentity;
        s.passphrase = sshd->passphrase;
        Connection c(behind(s));
        QVERIFY(c.command({"PING"}).isStatus());

        s.passphrase.clear();  // no prompt ever: refused instead of hanging
        expectOneLine(connectFailure(behind(s)), ErrorKind::Ssh, "refused the login");
    }

    void unknownHostKeyIsRefusedAndNotRecorded() {
        redis::SshOptions s = via();
        s.knownHosts = sshd->emptyKnownHosts;
        const Failure f = connectFailure(behind(s));
        expectOneLine(f, ErrorKind::Ssh, "host key is not known");
        QVERIFY2(f.message.find("[127.0.0.1]:" + std::to_string(sshd->port())) != std::string::npos,
                 f.message.c_str());
        QCOMPARE(QString::fromStdString(fileText(sshd->emptyKnownHosts)), QString());
    }

    void changedHostKeyIsRefused() {
        redis::SshOptions s = via();
        s.knownHosts = sshd->changedKnownHosts;
        const std::string before = fileText(sshd->changedKnownHosts);
        expectOneLine(connectFailure(behind(s)), ErrorKind::Ssh, "host key has CHANGED");
        QCOMPARE(fileText(sshd->changedKnownHosts), before);
    }

    void loginRefused() {
        redis::SshOptions s = via();
        s.identity = sshd->strangerIdentity;
        expectOneLine(connectFailure(behind(s)), ErrorKind::Ssh, "refused the login");
    }

    void bastionUnreachable() {
        redis::SshOptions s = via();
        s.destination =
            "root@127.0.0.1:" + std::to_string(sandbox::pickFreePort(20000, 45000, false));
        const Failure f = connectFailure(behind(s), 2000ms);
        expectOneLine(f, ErrorKind::Ssh, "cannot reach the bastion");
        QVERIFY(f.took < 2500ms);
    }

    void nothingListeningBehindTheBastion() {
        redis::Endpoint e = behind(via());
        e.tcp.port = sandbox::pickFreePort(20000, 45000, false);
        const Failure f = connectFailure(e);
        expectOneLine(f, ErrorKind::Ssh, "the bastion could not connect to");
        QVERIFY2(f.message.find("could not connect to 127.0.0.1:" + std::to_string(e.tcp.port)) !=
                     std::string::npos,
                 f.message.c_str());
    }

    void tunnelKilledUnderAConnection() {
        Connection c(behind(via()));
        c.command({"PING"});
        const auto first = c.transport();
        QVERIFY(first.sshPid > 0);
        // Killed while idle: the next command goes out through a new SSH connection (the dead
        // socket is noticed before anything is sent, so nothing is lost or replayed).
        QCOMPARE(::kill(static_cast<pid_t>(first.sshPid), SIGKILL), 0);
        waitExited(first.sshPid);
        QCOMPARE(c.command({"INCR", prefix + "once"}).integer(), 1LL);
        const auto second = c.transport();
        QVERIFY(second.tunnelId != first.tunnelId);
        QVERIFY(second.sshPid != first.sshPid);

        // Killed under a command waiting for its reply: that command fails, naming the tunnel.
        std::thread killer([pid = second.sshPid] {
            std::this_thread::sleep_for(300ms);
            ::kill(static_cast<pid_t>(pid), SIGKILL);
        });
        std::string failure;
        ErrorKind kind = ErrorKind::Server;
        try {
            c.command({"BLPOP", prefix + "never", "3"});
        } catch (const Error& e) {
            failure = e.what();
            kind = e.kind();
        }
        killer.join();
        QVERIFY2(failure.find("the SSH connection through " + sshd->destination() + " ended") !=
                     std::string::npos,
                 failure.c_str());
        QCOMPARE(kind, ErrorKind::Closed);
        QCOMPARE(c.command({"INCR", prefix + "once"}).integer(), 2LL);
        QVERIFY(c.transport().tunnelId != second.tunnelId);
    }

    void forwardingRefusedByTheBastion() {
        sshd->stop();
        sshd->setAllowTcpForwarding(false);
        sshd->start();
        // Options of its own, so a fresh SSH connection (an open one keeps its permissions).
        redis::SshOptions s = via();
        s.knownHosts = dir.path().toStdString() + "/known_hosts_copy";
        QVERIFY(QFile::copy(QString::fromStdString(sshd->knownHosts),
                            QString::fromStdString(s.knownHosts)));
        const Failure f = connectFailure(behind(s));
        sshd->stop();
        sshd->setAllowTcpForwarding(true);
        sshd->start();
        expectOneLine(f, ErrorKind::Ssh, "refused to forward");
    }
};

QTEST_GUILESS_MAIN(TestSshTunnel)
#include "test_ssh_tunnel.moc"

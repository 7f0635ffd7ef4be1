// redis::Connection over TLS against real redis-servers (--tls-port) with certificates made by
// `openssl` in the test's temp dir: commands, pipelines, pub/sub, big values and timeouts over the
// OpenSSL stream, and each way the handshake can fail — one line naming the check, within the
// connect timeout.
#include <QTemporaryDir>
#include <QtTest>

#include "connect_failure.h"
#include "monitor/target.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "test_support.h"
#include "tls_pki.h"

using namespace lockscope;
using namespace std::chrono_literals;
using redis::Connection;
using redis::Error;
using redis::ErrorKind;
using Steady = std::chrono::steady_clock;

namespace {

sandbox::RedisServerOptions tlsServer(const test::TestPki& pki, const std::string& authClients,
                                      const std::string& cert = {}, const std::string& key = {}) {
    sandbox::RedisServerOptions o;
    o.tls =
        sandbox::RedisServerTls{cert.empty() ? pki.serverCert : cert,
                                key.empty() ? pki.serverKey : key, pki.caCert, authClients, false};
    return o;
}

// What connecting with `tls` to `endpoint` throws (kind, message, how long it took).
using test::expectOneLine;
using Failure = test::ConnectFailure;

Failure connectFailure(const redis::Endpoint& endpoint,
                       std::chrono::milliseconds timeout = 2000ms) {
    return test::connectFailure(endpoint, timeout);
}

}  // namespace

class TestTls : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::unique_ptr<test::TestPki> pki;
    std::unique_ptr<sandbox::RedisServer> server;     // tls-auth-clients no
    std::unique_ptr<sandbox::RedisServer> mutualTls;  // tls-auth-clients yes
    std::string prefix;

    redis::TlsOptions trusting() const {
        redis::TlsOptions t;
        t.caCert = pki->caCert;
        return t;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        pki = std::make_unique<test::TestPki>(dir.path().toStdString());
        server = std::make_unique<sandbox::RedisServer>(tlsServer(*pki, "no"));
        mutualTls = std::make_unique<sandbox::RedisServer>(tlsServer(*pki, "yes"));
        prefix = test::keyPrefix("tls");
    }
    void cleanupTestCase() {
        server.reset();
        mutualTls.reset();
    }

    void commandsPipelinesAndBigValues() {
        Connection c(server->tlsEndpoint(trusting()));
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
        const auto& t = c.transport();
        QVERIFY(t.tls);
        QVERIFY(t.verified);
        QCOMPARE(QString::fromStdString(t.serverName), QString("127.0.0.1"));
        QVERIFY2(t.tlsVersion == "TLSv1.3" || t.tlsVersion == "TLSv1.2", t.tlsVersion.c_str());
        QVERIFY2(t.describe().find("certificate verified for 127.0.0.1") != std::string::npos,
                 t.describe().c_str());
        // The server sees a TLS client: its connection is on the TLS port.
        Connection plain(server->endpoint());
        const std::string clients(plain.command({"CLIENT", "LIST"}).str());
        QVERIFY2(clients.find(":" + std::to_string(server->tlsPort())) != std::string::npos ||
                     clients.find("laddr=127.0.0.1:" + std::to_string(server->tlsPort())) !=
                         std::string::npos,
                 clients.c_str());

        const std::string key = prefix + "big";
        std::string big(4 << 20, 'z');  // many TLS records each way
        big[777] = '\0';
        c.command({"SET", key, big});
        QVERIFY(*c.command({"GET", key}).optString() == big);

        auto p = c.pipeline();
        for (int i = 0; i < 500; ++i) p.add({"INCR", key + ":n"});
        const auto replies = p.exec();
        QCOMPARE(replies.size(), size_t(500));
        QCOMPARE(replies.back().integer(), 500LL);
    }

    void hostNameIsVerifiedByName() {
        redis::Endpoint e = server->tlsEndpoint(trusting());
        e.tcp.host = "localhost";
        Connection c(e);
        c.command({"PING"});
        QCOMPARE(QString::fromStdString(c.transport().serverName), QString("localhost"));
    }

    void keyspaceEventsArriveOverTls() {
        Connection sub(server->tlsEndpoint(trusting()));
        const std::string key = prefix + "ev";
        sub.command({"SUBSCRIBE", "__keyspace@0__:" + key});
        Connection writer(server->tlsEndpoint(trusting()));
        writer.command({"SET", key, "1"});
        writer.command({"DEL", key});
        auto first = sub.receiveFor(2000ms);
        QVERIFY(first);
        QCOMPARE(QString::fromStdString(std::string(first->at(2).str())), QString("set"));
        auto second = sub.receiveFor(2000ms);
        QVERIFY(second);
        QCOMPARE(QString::fromStdString(std::string(second->at(2).str())), QString("del"));
        // Nothing more: returns empty after the wait, not a half-read record.
        QVERIFY(!sub.receiveFor(100ms));
    }

    void commandTimeoutAndReconnect() {
        redis::ConnectOptions co;
        co.commandTimeout = 300ms;
        Connection c(server->tlsEndpoint(trusting()), co);
        try {
            c.command({"DEBUG", "SLEEP", "1"});
            QFAIL("no timeout");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Timeout);
        }
        QVERIFY(c.broken());
        std::this_thread::sleep_for(900ms);
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    void serverClosingAnIdleConnectionIsNoticedBeforeTheNextCommand() {
        Connection c(server->tlsEndpoint(trusting()));
        c.command({"CLIENT", "SETNAME", "tls-victim"});
        Connection admin(server->endpoint());
        QCOMPARE(admin
                     .command({"CLIENT", "KILL", "SKIPME", "yes", "LADDR",
                               "127.0.0.1:" + std::to_string(server->tlsPort())})
                     .integer(),
                 1LL);
        std::this_thread::sleep_for(50ms);
        // The close_notify is read between commands: the command goes out on a new connection.
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    void clientCertificates() {
        redis::TlsOptions t = trusting();
        t.cert = pki->clientCert;
        t.key = pki->clientKey;
        Connection c(mutualTls->tlsEndpoint(t));
        QVERIFY(c.command({"PING"}).isStatus());

        t.key = pki->encryptedClientKey;
        t.keyPassphrase = pki->keyPassphrase;
        Connection withPassphrase(mutualTls->tlsEndpoint(t));
        QVERIFY(withPassphrase.command({"PING"}).isStatus());
    }

    // --- each way it fails: one line naming the cause ---

    void unknownCaWithTheSystemStore() {
        expectOneLine(connectFailure(server->tlsEndpoint({})), ErrorKind::Tls, "unknown CA");
    }

    void unknownCaGiven() {
        redis::TlsOptions t;
        t.caCert = pki->otherCaCert;
        const Failure f = connectFailure(server->tlsEndpoint(t));
        expectOneLine(f, ErrorKind::Tls, "unknown CA");
        QVERIFY2(f.message.find("LockScope Test CA") != std::string::npos, f.message.c_str());
    }

    void wrongHostName() {
        redis::TlsOptions t = trusting();
        t.sni = "redis.example.com";
        const Failure f = connectFailure(server->tlsEndpoint(t));
        expectOneLine(f, ErrorKind::Tls, "wrong host name");
        QVERIFY2(f.message.find("DNS:localhost") != std::string::npos, f.message.c_str());
    }

    void expiredCertificate() {
        sandbox::RedisServer expired(tlsServer(*pki, "no", pki->expiredCert, pki->expiredKey));
        expectOneLine(connectFailure(expired.tlsEndpoint(trusting())), ErrorKind::Tls, "expired");
    }

    void clientCertificateRequired() {
        const Failure f = connectFailure(mutualTls->tlsEndpoint(trusting()));
        expectOneLine(f, ErrorKind::Tls, "requires a client certificate");
        QVERIFY2(f.message.find("--cert") != std::string::npos, f.message.c_str());
    }

    void clientCertificateFromAnotherCa() {
        redis::TlsOptions t = trusting();
        t.cert = pki->otherClientCert;
        t.key = pki->otherClientKey;
        expectOneLine(connectFailure(mutualTls->tlsEndpoint(t)), ErrorKind::Tls,
                      "refused the client certificate");
    }

    void encryptedKeyWithoutPassphrase() {
        redis::TlsOptions t = trusting();
        t.cert = pki->clientCert;
        t.key = pki->encryptedClientKey;
        expectOneLine(connectFailure(mutualTls->tlsEndpoint(t)), ErrorKind::InvalidArgument,
                      "LOCKSCOPE_TLS_KEY_PASSPHRASE");
    }

    void plainClientOnTlsPort() {
        redis::Endpoint e = server->endpoint();
        e.tcp.port = server->tlsPort();
        const Failure f = connectFailure(e);
        QVERIFY2(f.kind == ErrorKind::Closed, f.message.c_str());
        QVERIFY2(f.message.find("TLS port") != std::string::npos, f.message.c_str());
        QVERIFY2(f.message.find("rediss://") != std::string::npos, f.message.c_str());
        QVERIFY(f.took < 2000ms);
    }

    void tlsClientOnPlainPort() {
        redis::Endpoint e = server->tlsEndpoint(trusting());
        e.tcp.port = server->port();
        const Failure f = connectFailure(e, 1000ms);
        QVERIFY2(f.kind == ErrorKind::Tls || f.kind == ErrorKind::Timeout, f.message.c_str());
        QVERIFY2(f.message.find("plain (non-TLS) port") != std::string::npos, f.message.c_str());
        QVERIFY2(f.message.find('\n') == std::string::npos, f.message.c_str());
        QVERIFY2(f.took < 1500ms, qPrintable(QString::number(f.took.count())));
    }

    void handshakeBoundedByTheConnectTimeout() {
        // A server that accepts and then says nothing (paused): the handshake gives up in time.
        sandbox::RedisServer paused(tlsServer(*pki, "no"));
        paused.pause();
        const Failure f = connectFailure(paused.tlsEndpoint(trusting()), 500ms);
        paused.resume();
        QVERIFY2(f.kind == ErrorKind::Timeout, f.message.c_str());
        QVERIFY2(f.took < 1200ms, qPrintable(QString::number(f.took.count())));
    }

    void insecureConnectsAndSaysSo() {
        redis::TlsOptions t;
        t.insecure = true;
        Connection c(server->tlsEndpoint(t));
        QVERIFY(c.command({"PING"}).isStatus());
        QVERIFY(c.transport().tls);
        QVERIFY(!c.transport().verified);
        QVERIFY2(c.transport().describe().find("NOT verified") != std::string::npos,
                 c.transport().describe().c_str());

        monitor::ConnectionArgs args;
        args.url = "rediss://127.0.0.1:" + std::to_string(server->tlsPort());
        args.tls.insecure = true;
        const auto spec = monitor::connectionSpec(args);
        QCOMPARE(spec.warnings.size(), size_t(1));
        QVERIFY(spec.warnings[0].find("NOT verified") != std::string::npos);
        QVERIFY(spec.target.nodes.at(0).tls.enabled);
        QVERIFY(spec.target.nodes.at(0).tls.insecure);
    }

    void badTransportFlagsAreUsageErrors_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("cacert without tls") << "redis://127.0.0.1:1"
                                            << "cacert"
                                            << "ca"
                                            << "add --tls";
        QTest::newRow("missing cacert") << "rediss://127.0.0.1:1"
                                        << "cacert"
                                        << "/nonexistent.pem"
                                        << "no such file";
        QTest::newRow("cert without key") << "rediss://127.0.0.1:1"
                                          << "cert"
                                          << "ca"
                                          << "--cert needs --key";
        QTest::newRow("tls on unix socket") << "unix:///tmp/x.sock"
                                            << "tls"
                                            << ""
                                            << "unix:// socket";
        QTest::newRow("bad ssh") << "redis://127.0.0.1:1"
                                 << "ssh"
                                 << "user@"
                                 << "missing host";
    }
    void badTransportFlagsAreUsageErrors() {
        QFETCH(QString, url);
        QFETCH(QString, flag);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        monitor::ConnectionArgs args;
        args.url = url.toStdString();
        std::string v = value == "ca" ? pki->caCert : value.toStdString();
        QVERIFY(redis::applyTransportFlag(flag.toStdString(), v, args.tls, args.ssh));
        try {
            monitor::connectionSpec(args);
            QFAIL("accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
            QVERIFY2(std::string(e.what()).find(mentions.toStdString()) != std::string::npos,
                     e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "test_tls.moc"

// Bad input and failing servers: every case ends in a clear redis::Error of the right kind,
// within the configured timeout, and never in a crash or a hang.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QtTest>
#include <thread>

#include "redis/connection.h"
#include "redis/error.h"
#include "sandbox/redis_server.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using redis::Connection;
using redis::Error;
using redis::ErrorKind;
using Steady = std::chrono::steady_clock;

namespace {

// A listening socket whose accept queue is full: a further connect() gets no answer at all.
struct BlackHole {
    int listener = -1;
    std::vector<int> fillers;
    int port = 0;
    BlackHole() {
        listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
        port = ntohs(addr.sin_port);
        ::listen(listener, 0);
        for (int i = 0; i < 4; ++i) {  // fill the backlog; these never get accepted
            int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
            fillers.push_back(fd);
        }
        ::usleep(50000);
    }
    ~BlackHole() {
        for (int fd : fillers) ::close(fd);
        ::close(listener);
    }
};

QString kindName(ErrorKind k) {
    return QString::fromStdString(std::string(redis::errorKindName(k)));
}

}  // namespace

class TestConnectionFaults : public QObject {
    Q_OBJECT
private slots:
    void refusedPortIsAConnectError() {
        int port = sandbox::pickFreePort(20000, 45000, false);  // nobody listens there
        try {
            Connection c(redis::Endpoint::tcpEndpoint("127.0.0.1", port));
            QFAIL("connected to a closed port");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Connect));
            QString m = e.what();
            QVERIFY2(m.contains(QString("127.0.0.1:%1").arg(port)) && m.contains("refused"),
                     qPrintable(m));
        }
    }

    void unixSocketMissing() {
        auto ep = redis::parseUrl("unix:///nonexistent/lockscope.sock").endpoint();
        QVERIFY_THROWS_EXCEPTION(Error, Connection{ep});
    }

    void unansweredConnectTimesOut() {
        BlackHole hole;
        redis::ConnectOptions o;
        o.connectTimeout = 300ms;
        auto t0 = Steady::now();
        try {
            Connection c(redis::Endpoint::tcpEndpoint("127.0.0.1", hole.port), o);
            // Some kernels still complete the handshake; then the first reply must time out.
            c.setCommandTimeout(300ms);
            c.command({"PING"});
            QFAIL("a black hole answered PING");
        } catch (const Error& e) {
            QVERIFY2(e.kind() == ErrorKind::Timeout, e.what());
        }
        auto took = Steady::now() - t0;
        QVERIFY2(took < 1500ms,
                 qPrintable(QString::number(
                     std::chrono::duration_cast<std::chrono::milliseconds>(took).count())));
    }

    void wrongPasswordAndMissingPassword() {
        sandbox::RedisServerOptions so;
        so.password = "correct horse";
        sandbox::RedisServer server(so);
        auto ep = server.endpoint();
        ep.password = "battery staple";
        try {
            Connection c(ep);
            QFAIL("wrong password accepted");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Auth));
            QString m = e.what();
            QVERIFY2(m.contains("WRONGPASS") || m.contains("invalid"), qPrintable(m));
            QVERIFY2(m.contains("LOCKSCOPE_PASSWORD"), qPrintable(m));
            QVERIFY2(!m.contains("battery"), "the message must not echo the password");
        }
        // No password at all: the first command says so, as an Auth error.
        ep.password.clear();
        Connection c(ep);
        try {
            c.command({"GET", "x"});
            QFAIL("unauthenticated GET answered");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Auth));
        }
        // A named connection finds out at connect time.
        redis::ConnectOptions named;
        named.clientName = "x";
        try {
            Connection n(ep, named);
            QFAIL("unauthenticated handshake accepted");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Auth));
        }
        // The right password works.
        Connection ok(server.endpoint());
        QCOMPARE(QString::fromStdString(std::string(ok.command({"PING"}).str())), QString("PONG"));
    }

    void pausedServerTimesOutWithinTheBound() {
        sandbox::RedisServer server;
        redis::ConnectOptions o;
        o.commandTimeout = 250ms;
        Connection c(server.endpoint(), o);
        server.pause();
        auto t0 = Steady::now();
        try {
            c.command({"PING"});
            QFAIL("a paused server answered");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Timeout));
            QVERIFY(QString(e.what()).contains("250 ms"));
        }
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0);
        QVERIFY2(took >= 240ms && took < 1000ms, qPrintable(QString::number(took.count())));
        QVERIFY(c.broken());
        server.resume();
        // The late PONG of the timed-out command must not be read as the next reply.
        QCOMPARE(QString::fromStdString(std::string(c.command({"ECHO", "fresh"}).str())),
                 QString("fresh"));
    }

    void serverKilledMidCommand() {
        sandbox::RedisServer server;
        redis::ConnectOptions o;
        o.commandTimeout = 10000ms;
        Connection c(server.endpoint(), o);
        c.send({"BLPOP", "never-filled", 0});  // the server holds the reply back
        QTest::qSleep(50);
        server.kill();
        auto t0 = Steady::now();
        try {
            c.receive();
            QFAIL("a killed server answered");
        } catch (const Error& e) {
            QVERIFY2(e.kind() == ErrorKind::Closed || e.kind() == ErrorKind::Io, e.what());
        }
        QVERIFY(Steady::now() - t0 < 2000ms);  // EOF is noticed at once, not at the timeout
        // While it is down, commands fail fast with a connect error…
        QVERIFY_THROWS_EXCEPTION(Error, c.command({"PING"}));
        // …and once it is back, the connection recovers by itself.
        server.restart();
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    // A write into a socket the server has closed raises SIGPIPE. Qt Test installs a handler for it
    // (it reports the signal and aborts), as any program may: the connection must keep it from
    // that handler and fail the command instead (test_ssh_tunnel died of it once, at random).
    void writeToAClosedSocketIsAnErrorNotASignal() {
        sandbox::RedisServer server;
        struct sigaction handler {};
        QCOMPARE(sigaction(SIGPIPE, nullptr, &handler), 0);
        QVERIFY2(
            handler.sa_handler != SIG_IGN && handler.sa_handler != SIG_DFL,
            "Qt Test's own SIGPIPE handler is expected here; without it this test checks nothing");
        Connection admin(server.endpoint());
        for (int round = 0; round < 3; ++round) {
            Connection c(server.endpoint());
            const auto id = c.command({"CLIENT", "ID"}).integer();
            // A reply still pending: the next send() goes out without the idle peer check.
            c.send({"PING"});
            QCOMPARE(admin.command({"CLIENT", "KILL", "ID", id}).integer(), 1LL);
            QTRY_VERIFY_WITH_TIMEOUT(
                std::string(admin.command({"CLIENT", "LIST"}).str())
                        .find("id=" + std::to_string(id) + " ") == std::string::npos,
                5000);
            const std::string big(8 << 20, 'x');
            try {
                for (int i = 0; i < 4; ++i) c.send({"SET", "sigpipe:big", big});
                QFAIL("writes into a closed socket were all accepted");
            } catch (const Error& e) {
                QVERIFY2(e.kind() == ErrorKind::Closed || e.kind() == ErrorKind::Io, e.what());
            }
            // The process is alive, and the connection recovers.
            QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())),
                     QString("PONG"));
        }
        QCOMPARE(sigaction(SIGPIPE, nullptr, &handler), 0);
        QVERIFY(handler.sa_handler != SIG_IGN);  // the program's own handler is left in place
    }

    void badDatabaseIndex() {
        sandbox::RedisServer server;
        auto ep = server.endpoint();
        ep.db = 99;  // default config has 16
        try {
            Connection c(ep);
            QFAIL("SELECT 99 accepted");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::InvalidArgument));
            QVERIFY2(QString(e.what()).contains("database 99"), e.what());
        }
    }

    // A server BUSY with a script answers SELECT with BUSY: the server cannot serve now (exit 3
    // in the CLI), not a usage error (it was exit 2; found by the issue-16/18 tester).
    void selectWhileBusyIsBusy() {
        sandbox::RedisServer server;
        Connection admin(server.endpoint());
        admin.command({"CONFIG", "SET", "busy-reply-threshold", 100});
        std::thread script([&] {
            redis::ConnectOptions co;
            co.commandTimeout = 10s;
            Connection c(server.endpoint(), co);
            c.command({"EVAL",
                       "local t0 = redis.call('TIME') while true do local t = redis.call('TIME') "
                       "if (t[1] - t0[1]) * 1000000 + t[2] - t0[2] > 1500000 then break end end "
                       "return 1",
                       0});
        });
        QTest::qWait(400);
        auto ep = server.endpoint();
        ep.db = 8;
        try {
            Connection c(ep);
            QFAIL("SELECT 8 accepted while BUSY");
        } catch (const Error& e) {
            QCOMPARE(kindName(e.kind()), kindName(ErrorKind::Busy));
        }
        script.join();
    }
};

QTEST_APPLESS_MAIN(TestConnectionFaults)
#include "test_connection_faults.moc"

// The sandbox fixture itself: free ports, readiness, pause/resume, kill/restart and cleanup.
#include <signal.h>

#include <QtTest>

#include "redis/connection.h"
#include "redis/error.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

class TestRedisServer : public QObject {
    Q_OBJECT
private slots:
    void startsAnswersAndCleansUp() {
        std::filesystem::path dir;
        pid_t pid = 0;
        {
            sandbox::RedisServer a, b;
            QVERIFY(a.port() != b.port());
            QVERIFY(a.port() >= 20000 && a.port() < 45000);
            redis::Connection c(a.endpoint());
            auto cfg = c.command({"CONFIG", "GET", "notify-keyspace-events"});
            QCOMPARE(cfg.size(), size_t(2));
            QVERIFY(!std::string(cfg[1].str()).empty());  // notifications on by default
            dir = a.dir();
            pid = a.pid();
            QVERIFY(std::filesystem::exists(dir));
            QCOMPARE(::kill(pid, 0), 0);
        }
        QVERIFY(!std::filesystem::exists(dir));
        QVERIFY(::kill(pid, 0) != 0);  // stopped by pid, and reaped
    }

    void pauseResumeKillRestart() {
        sandbox::RedisServer s;
        redis::ConnectOptions o;
        o.commandTimeout = 200ms;
        redis::Connection c(s.endpoint(), o);
        c.command({"SET", "k", "v"});
        s.pause();
        QVERIFY_THROWS_EXCEPTION(redis::Error, c.command({"PING"}));
        s.resume();
        QCOMPARE(QString::fromStdString(*c.command({"GET", "k"}).optString()), QString("v"));
        int port = s.port();
        pid_t oldPid = s.pid();
        s.kill();
        QVERIFY(!s.running());
        s.restart();
        QCOMPARE(s.port(), port);
        QVERIFY(s.pid() != oldPid);
        // No persistence: a restarted sandbox node has forgotten everything.
        QVERIFY(!c.command({"GET", "k"}).optString());
    }

    void gracefulStop() {
        sandbox::RedisServer s;
        auto t0 = std::chrono::steady_clock::now();
        s.stop();
        QVERIFY(!s.running());
        QVERIFY(std::chrono::steady_clock::now() - t0 < 10s);
    }

    void passwordProtected() {
        sandbox::RedisServerOptions o;
        o.password = "pw";
        sandbox::RedisServer s(o);
        QVERIFY(QString::fromStdString(s.url()).startsWith("redis://:pw@127.0.0.1:"));
        redis::Connection c(s.endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    void badOptionFailsClearly() {
        sandbox::RedisServerOptions o;
        o.extraArgs = {"--no-such-option", "1"};
        try {
            sandbox::RedisServer s(o);
            QFAIL("started with a bad option");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains("exited at start"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestRedisServer)
#include "test_redis_server.moc"

// The sandbox fixture itself: free ports, readiness, pause/resume, kill/restart and cleanup.
#include <signal.h>

#include <QtTest>
#include <fstream>

#include "redis/connection.h"
#include "redis/error.h"
#include "sandbox/run_password.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

class TestRedisServer : public QObject {
    Q_OBJECT
private slots:
    // Another test's server already on the port (it bound it between pickFreePort()'s check and
    // ours): our process exits with "Address already in use", and the PONG the other server
    // answers meanwhile is not taken for ours — it used to be, and the test then wrote to a
    // server that was not its own (suspected in two CI runs beside another suite).
    void portAnsweredByAnotherServerIsNotOurs() {
        sandbox::RedisServer first;
        sandbox::RedisServerOptions o;
        o.port = first.port();
        std::string said;
        try {
            sandbox::RedisServer second(o);
        } catch (const std::exception& e) {
            said = e.what();
        }
        QVERIFY2(!said.empty(), "a server on a taken port was taken for started");
        QCOMPARE(redis::Connection(first.endpoint()).command({"PING"}).str(), "PONG");
    }

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

    // Issue 17: another local user reads every command line (/proc/<pid>/cmdline, ps), so the
    // password of a sandbox goes to a 0600 file in its 0700 directory; restart() keeps it, a
    // client without it is refused, and a replica (masterauth) can sync from a protected master.
    void passwordNeverOnTheCommandLine() {
        sandbox::RedisServerOptions o;
        o.password = sandbox::runPassword();
        QCOMPARE(o.password.size(), size_t(32));
        QCOMPARE(sandbox::runPassword(), o.password);  // one per run
        // redis-server overwrites its own argv (proc-title) once started, so /proc alone would
        // miss the window before that: a wrapper records the exact argv it was given.
        QTemporaryDir wrapDir;
        QVERIFY(wrapDir.isValid());
        const QString argvLog = wrapDir.filePath("argv.log");
        const QString wrapper = wrapDir.filePath("redis-server");
        {
            QFile f(wrapper);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QString("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '%1'\nexec '%2' \"$@\"\n")
                        .arg(argvLog, QStandardPaths::findExecutable("redis-server"))
                        .toUtf8());
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        }
        o.executable = wrapper.toStdString();
        sandbox::RedisServer s(o);
        auto givenArgv = [&] {
            QFile f(argvLog);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        QVERIFY(givenArgv().contains("--port"));
        QVERIFY2(!givenArgv().contains(o.password.c_str()), givenArgv().constData());
        auto cmdline = [&] {
            QFile f(QString("/proc/%1/cmdline").arg(s.pid()));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        QVERIFY(!cmdline().isEmpty());
        QVERIFY2(!cmdline().contains(o.password.c_str()), cmdline().constData());
        const auto perms = std::filesystem::status(s.dir()).permissions();
        QCOMPARE(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
        bool sawSecretFile = false;
        for (const auto& entry : std::filesystem::directory_iterator(s.dir())) {
            std::ifstream in(entry.path());
            const std::string text((std::istreambuf_iterator<char>(in)), {});
            if (text.find(o.password) == std::string::npos) continue;
            sawSecretFile = true;
            QCOMPARE(entry.status().permissions() & std::filesystem::perms::all,
                     std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        }
        QVERIFY(sawSecretFile);
        auto refused = [&] {
            redis::Endpoint open = s.endpoint();
            open.password.clear();
            try {
                redis::Connection c(open);
                c.command({"SET", "intruder", "1"});
                return false;
            } catch (const redis::Error&) {
                return true;
            }
        };
        QVERIFY(refused());
        s.restart();
        QVERIFY2(!cmdline().contains(o.password.c_str()), cmdline().constData());
        QCOMPARE(givenArgv().count('\n'), 2);
        QVERIFY2(!givenArgv().contains(o.password.c_str()), givenArgv().constData());
        QVERIFY(refused());

        sandbox::RedisServerOptions ro = o;
        ro.extraArgs = {"--replicaof", "127.0.0.1", std::to_string(s.port())};
        sandbox::RedisServer replica(ro);
        redis::Connection(s.endpoint()).command({"SET", "synced", "yes"});
        redis::Connection rc(replica.endpoint());
        QTRY_COMPARE_WITH_TIMEOUT(
            QString::fromStdString(rc.command({"GET", "synced"}).optString().value_or("")),
            QString("yes"), 10000);
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

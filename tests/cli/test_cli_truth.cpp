// lockscope-cli tells the truth when it cannot see everything (issues 16 and 18): `watch --json`
// under churn of re-created keys ends equal to a fresh `locks --json` (bench/churn_check, short
// run); `locks` over a node group with a node down or refusing its password lists what it could
// read and exits 4 (partial), and a node can carry its own credentials; a database the user may
// not select is a connection error (3), not a usage error — also for `watch`, when its very
// first connection is refused; `watch` without a terminal reports its inventory's progress.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

const char* kHex = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c";

QStringList keysOf(const std::string& json) {
    QStringList keys;
    for (const auto& v : QJsonDocument::fromJson(QByteArray::fromStdString(json)).array())
        keys << v.toObject()["key"].toString();
    keys.sort();
    return keys;
}

}  // namespace

class TestCliTruth : public QObject {
    Q_OBJECT
    std::string prefix;

private slots:
    void initTestCase() { prefix = test::keyPrefix("clitruth"); }

    // Issue 16.7: locks retaken and counters reset within one publish window, a few thousand
    // operations a second; at the end `watch --json`'s last line per key equals `locks --json`
    // and `counters --json`.
    void watchUnderChurnEndsEqualToAFreshListing() {
#ifndef LOCKSCOPE_CHURN_CHECK_PATH
        QSKIP("bench/ is not built (LOCKSCOPE_BUILD_BENCH=OFF)");
#else
        sandbox::RedisServer server;
        auto r = test::runProgram(
            {LOCKSCOPE_CHURN_CHECK_PATH, "--cli", test::cliPath(), "--url", server.url(),
             "--seconds", "6", "--rate", "3000", "--keys", "60", "--prefix", prefix + "churn:"},
            60000);
        qInfo("%s", r.out.c_str());
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2(r.out.find("differences: 0") != std::string::npos, r.out.c_str());
#endif
    }

    // Issue 18.1: a node of a group that cannot be read is not "no locks there, all is well":
    // what could be read is listed, the rest is said, and the exit code is 4.
    void locksOverAGroupWithANodeDownIsPartial() {
        sandbox::RedisServer a, b;
        redis::Connection(a.endpoint()).command({"SET", prefix + "g:lock", kHex, "PX", 60000});
        const std::string nodes =
            "127.0.0.1:" + std::to_string(a.port()) + ",127.0.0.1:" + std::to_string(b.port());
        auto whole = test::runCli({"--nodes", nodes, "locks", "--match", prefix + "g:*", "--json"});
        QCOMPARE(whole.exitCode, 0);
        b.stop();
        auto part = test::runCli({"--nodes", nodes, "locks", "--match", prefix + "g:*", "--json"});
        QVERIFY2(part.exitCode == 4, (part.out + part.err).c_str());
        QCOMPARE(keysOf(part.out), QStringList{QString::fromStdString(prefix + "g:lock")});
        QVERIFY2(part.err.find(std::to_string(b.port())) != std::string::npos, part.err.c_str());
    }

    // Issue 18.7: a node that needs its own password is tolerated like an unreachable one, and
    // user:pass@host:port in --nodes gives it that password.
    void nodeWithItsOwnPassword() {
        sandbox::RedisServer open;
        sandbox::RedisServerOptions so;
        so.password = "node-secret";
        sandbox::RedisServer locked(so);
        redis::Connection(open.endpoint())
            .command({"SET", prefix + "p:open:lock", kHex, "PX", 60000});
        redis::Connection(locked.endpoint())
            .command({"SET", prefix + "p:locked:lock", kHex, "PX", 60000});
        const std::string a = "127.0.0.1:" + std::to_string(open.port());
        const std::string b = "127.0.0.1:" + std::to_string(locked.port());
        auto refused =
            test::runCli({"--nodes", a + "," + b, "locks", "--match", prefix + "p:*", "--json"});
        QVERIFY2(refused.exitCode == 4, (refused.out + refused.err).c_str());
        QCOMPARE(keysOf(refused.out), QStringList{QString::fromStdString(prefix + "p:open:lock")});
        auto given = test::runCli({"--nodes", a + ",default:node-secret@" + b, "locks", "--match",
                                   prefix + "p:*", "--json"});
        QVERIFY2(given.exitCode == 0, (given.out + given.err).c_str());
        QCOMPARE(keysOf(given.out).size(), 2);
        // The password is never echoed back.
        QVERIFY(given.err.find("node-secret") == std::string::npos);
        QVERIFY(given.out.find("node-secret") == std::string::npos);
    }

    // Issue 16.9: a database this user may not select is refused by the server (NOPERM): a
    // connection problem, exit 3 — not a usage error (2).
    void databaseTheUserMayNotSelectIsAConnectionError() {
        sandbox::RedisServer server;
        redis::Connection(server.endpoint())
            .command({"ACL", "SETUSER", "noselect", "on", ">pw", "~*", "&*", "+@all", "-select"});
        const std::string url =
            "redis://noselect:pw@127.0.0.1:" + std::to_string(server.port()) + "/3";
        auto r = test::runCli({"--url", url, "locks"});
        QVERIFY2(r.exitCode == 3, (std::to_string(r.exitCode) + " " + r.err).c_str());
    }

    // Issue 12 (brief B.4): `watch` whose very first connection is refused for good — a wrong
    // password, a database this user may not select — exits 3 with `locks`' message instead of
    // retrying forever; the password never shows.
    void watchRefusedAtTheFirstConnectionExitsLikeLocks_data() {
        QTest::addColumn<bool>("database");
        QTest::newRow("wrong password") << false;
        QTest::newRow("database not allowed") << true;
    }
    void watchRefusedAtTheFirstConnectionExitsLikeLocks() {
        QFETCH(bool, database);
        sandbox::RedisServerOptions so;
        so.password = "right-secret";
        sandbox::RedisServer server(so);
        const std::string where = "@127.0.0.1:" + std::to_string(server.port());
        std::string url = "redis://:wrong-secret" + where;
        if (database) {
            redis::Endpoint admin = server.endpoint();
            redis::Connection(admin).command(
                {"ACL", "SETUSER", "noselect", "on", ">pw", "~*", "&*", "+@all", "-select"});
            url = "redis://noselect:pw" + where + "/3";
        }
        auto locks = test::runCli({"--url", url, "locks"});
        QVERIFY2(locks.exitCode == 3, (std::to_string(locks.exitCode) + " " + locks.err).c_str());
        auto watch = test::runCli({"--url", url, "watch"}, 15000);
        QVERIFY2(watch.exitCode == 3, (std::to_string(watch.exitCode) + " " + watch.err).c_str());
        const auto lastLine = [](const std::string& text) {
            auto lines = QString::fromStdString(text).trimmed().split('\n');
            return lines.last();
        };
        QCOMPARE(lastLine(watch.err), lastLine(locks.err));
        QVERIFY(watch.err.find("secret") == std::string::npos);
    }

    // Issue 12 (brief B.3): without a terminal, a long first inventory says how far it is on
    // stderr every 5 s (stdout stays JSON lines).
    void watchWithoutATerminalReportsInventoryProgress() {
        sandbox::RedisServerOptions so;
        so.notifyKeyspaceEvents = "";
        so.extraArgs = {"--enable-debug-command", "local"};
        sandbox::RedisServer server(so);
        redis::Connection(server.endpoint())
            .command({"DEBUG", "POPULATE", 200000, prefix + "progress"});
        auto child = test::ChildProcess::spawn(
            {test::cliPath(), "--url", server.url(), "watch", "--scan-budget", "2"});
        std::string err;
        for (int i = 0; i < 120 && err.find("of 200000") == std::string::npos; ++i) {
            QTest::qWait(100);
            err += child.drainStderr();
        }
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
        QVERIFY2(err.find("lockscope-cli: progress: ") != std::string::npos, err.c_str());
        QVERIFY2(err.find(std::to_string(server.port()) + ": discovery: sweeping, ") !=
                     std::string::npos,
                 err.c_str());
        QVERIFY2(err.find("of 200000") != std::string::npos, err.c_str());
        QVERIFY(child.drainStdout().find("progress") == std::string::npos);
    }

    // ... while a connection lost after a first success (a failover, a password rotated) is
    // retried: `watch` keeps running.
    void watchRetriesWhenRefusedLater() {
        sandbox::RedisServerOptions so;
        so.password = "first-secret";
        sandbox::RedisServer server(so);
        const std::string url = "redis://:first-secret@127.0.0.1:" + std::to_string(server.port());
        auto child = test::ChildProcess::spawn({test::cliPath(), "--url", url, "watch"});
        redis::Connection admin(server.endpoint());
        QTRY_VERIFY_WITH_TIMEOUT(
            admin.command({"CLIENT", "LIST"}).str().find("lockscope") != std::string::npos, 10000);
        admin.command({"CONFIG", "SET", "requirepass", "second-secret"});
        admin.command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
        QVERIFY2(!child.wait(4000ms), child.drainStderr().c_str());
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestCliTruth)
#include "test_cli_truth.moc"

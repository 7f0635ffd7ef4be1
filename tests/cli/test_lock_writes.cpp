// The operator's writes as scripts make them — `lock release`, `lock extend`, `lock force-release`
// and `lock acquire --hold` — run as a process against real redis-servers:
//   - a --nodes group with a paused (SIGSTOP) and a stopped node: every reachable node is acted
//     on, each node reported and audited, exit 4 ("partial");
//   - keys that are not locks (a user hash, a plain counter) are refused with the reason;
//   - a setnx-getset lock is extended in its value, so it is not taken over past its original
//     expiry;
//   - the audit log: an unwritable log stops the action (exit 1, nothing changed); an ACL refusal
//     and a READONLY replica are audited with their outcome;
//   - keys printed by `locks --json` (escaped bytes, a leading '-', a backslash) are typed back
//     into force-release (after --), and "holder changed" shows the server's holder;
//   - `lock acquire --hold` on a redis+sentinel:// URL follows the new master after kill -9 of the
//     old one, says the lease survived, and exits 1 at once when it is lost;
//   - `lock acquire --wait` on a redis+sentinel:// URL follows a SENTINEL FAILOVER: it never takes
//     the lock on the old master (still a master until the Sentinels demote it) while the holder
//     holds it on the new one, and takes it there once the holder lets go; and a paused master
//     (SIGSTOP) does not end its wait.
#include <signal.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "locks/primitive_state.h"
#include "sandbox/topology.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

const std::string kToken = "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef";

// Sets LOCKSCOPE_AUDIT_LOG for the CLI processes started while it lives.
struct AuditLogAt {
    explicit AuditLogAt(const std::string& path) {
        if (const char* old = std::getenv("LOCKSCOPE_AUDIT_LOG")) previous = old;
        ::setenv("LOCKSCOPE_AUDIT_LOG", path.c_str(), 1);
    }
    ~AuditLogAt() { ::setenv("LOCKSCOPE_AUDIT_LOG", previous.c_str(), 1); }
    std::string previous;
};

}  // namespace

class TestLockWrites : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;
    QTemporaryDir dir;
    std::string auditLog;
    std::unique_ptr<sandbox::Topology> sentinel;  // shared by the waiter rows

    sandbox::Topology& sentinelGroup() {
        if (!sentinel) {
            sandbox::TopologyOptions o;
            o.kind = sandbox::TopologyKind::Sentinel;
            sentinel = std::make_unique<sandbox::Topology>(o);
        }
        sentinel->waitUntilSettled(30s);
        // The master of the last row's failover is demoted only ~10 s after it: until a replica
        // is in sync again, a failover could promote a node that never saw this row's lock.
        for (const auto until = std::chrono::steady_clock::now() + 60s;
             std::chrono::steady_clock::now() < until;) {
            const auto m = sentinel->sentinelMaster();
            if (m && test::everyReplicaHasAll(*sentinel, *m, 1s)) break;
        }
        return *sentinel;
    }

    // Everything the child printed on stderr until `wanted` shows up (or `timeout`).
    static std::string stderrUntil(test::ChildProcess& child, const QString& wanted,
                                   std::chrono::milliseconds timeout, std::string& seen) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!q(seen).contains(wanted) && std::chrono::steady_clock::now() < until) {
            seen += child.drainStderr();
            QTest::qSleep(50);
        }
        return seen;
    }

    std::vector<std::string> auditLines(const std::string& key) {
        std::ifstream in(auditLog);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);)
            if (line.find("\t" + key + "\t") != std::string::npos) lines.push_back(line);
        return lines;
    }

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("writes");
        auditLog = dir.filePath("audit.log").toStdString();
        ::setenv("LOCKSCOPE_AUDIT_LOG", auditLog.c_str(), 1);
    }

    // 16.1: B paused, then A stopped — the others are still released, each node reported and
    // audited, and the exit code says "partial".
    void nodeGroupActsOnEveryReachableNode_data() {
        QTest::addColumn<QString>("command");
        QTest::newRow("force-release") << "force-release";
        QTest::newRow("release") << "release";
    }
    void nodeGroupActsOnEveryReachableNode() {
        QFETCH(QString, command);
        sandbox::RedisServer a, b, c;
        const std::string key = prefix + "group:" + command.toStdString();
        std::vector<sandbox::RedisServer*> all = {&a, &b, &c};
        for (auto* s : all)
            redis::Connection(s->endpoint()).command({"SET", key, kToken, "PX", 60000});
        const std::string nodes = "127.0.0.1:" + std::to_string(a.port()) +
                                  ",127.0.0.1:" + std::to_string(b.port()) +
                                  ",127.0.0.1:" + std::to_string(c.port());
        auto run = [&] {
            std::vector<std::string> args = {
                "--nodes", nodes, "--timeout", "500", "lock", command.toStdString(), key};
            if (command == "force-release")
                args.insert(args.end(), {"--holder", kToken, "--yes"});
            else
                args.insert(args.end(), {"--token", kToken});
            return test::runCli(args);
        };

        b.pause();
        auto paused = run();
        b.resume();
        QCOMPARE(paused.exitCode, 4);
        QVERIFY2(q(paused.out).contains("on 2/3 nodes"), paused.out.c_str());
        QVERIFY2(
            q(paused.out).contains(q("127.0.0.1:" + std::to_string(b.port()) + "  unreachable")),
            paused.out.c_str());
        QVERIFY2(q(paused.err).contains("partial"), paused.err.c_str());
        QCOMPARE(redis::Connection(a.endpoint()).command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(redis::Connection(b.endpoint()).command({"EXISTS", key}).integer(), 1LL);
        QCOMPARE(redis::Connection(c.endpoint()).command({"EXISTS", key}).integer(), 0LL);
        auto lines = auditLines(key);
        QCOMPARE(int(lines.size()), 3);
        QVERIFY2(q(lines[1]).contains("\tunreachable: "), lines[1].c_str());

        // The first node down: nothing stops at it.
        for (auto* s : all)
            redis::Connection(s->endpoint()).command({"SET", key, kToken, "PX", 60000});
        a.stop();
        auto stopped = run();
        QCOMPARE(stopped.exitCode, 4);
        QCOMPARE(redis::Connection(b.endpoint()).command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(redis::Connection(c.endpoint()).command({"EXISTS", key}).integer(), 0LL);
        QCOMPARE(int(auditLines(key).size()), 6);

        // Every reachable node had it released: done. None reachable: a connection error.
        for (auto* s : {&b, &c})
            redis::Connection(s->endpoint()).command({"SET", key, kToken, "PX", 60000});
        c.stop();
        b.pause();
        auto none = run();
        b.resume();
        QCOMPARE(none.exitCode, 3);
        QVERIFY2(q(none.err).contains("cannot reach"), none.err.c_str());
    }

    // 16.3: only locks are touched.
    void keysThatAreNotLocksAreRefused() {
        redis::Connection c(server->endpoint());
        const std::string user = prefix + "user:42";
        c.command({"HSET", user, "name", "ann", "plan", "pro"});
        auto r = test::runCli(
            {"--url", server->url(), "lock", "release", "--accept-guess", user, "--token", "name"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("is a hash that is not a lock"), r.err.c_str());
        QCOMPARE(c.command({"HLEN", user}).integer(), 2LL);

        const std::string visits = prefix + "visits";
        c.command({"SET", visits, "1234"});
        auto f = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                               visits, "--holder", "1234", "--yes"});
        QCOMPARE(f.exitCode, 1);
        QVERIFY2(q(f.err).contains(q(visits + " is a counter, not a lock")), f.err.c_str());
        QCOMPARE(c.command({"GET", visits}).optString(), std::optional<std::string>("1234"));
        QVERIFY(q(auditLines(visits).at(0)).contains("\tnot-a-lock: "));
    }

    // Issue 14 (W1): a plain permit has no lease. Held longer than --ttl it is not "renewed",
    // not reported lost, and given back at the end: exit 0, the permit free again.
    void plainPermitHeldPastItsTtl() {
        const std::string key = prefix + "held-permit";
        auto r = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                               "semaphore", "--permits", "2", "--ttl", "200", "--hold", "900"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(!q(r.err).contains("lost"), r.err.c_str());
        QVERIFY2(q(r.err).contains("released"), r.err.c_str());
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"GET", key}).optString(), std::optional<std::string>("2"));
    }

    // Issue 14: the toolbox's writes refuse keys of another kind, say what the key is, and
    // change nothing (one function per defect, so each shows on its own).
    // W5: a semaphore acquire decremented an application's integer.
    void semaphoreAcquireRefusesACounter() {
        redis::Connection c(server->endpoint());
        const std::string counter = prefix + "cache:x";
        c.command({"SET", counter, "5"});
        auto sem = test::runCli({"--url", server->url(), "lock", "acquire", counter, "--strategy",
                                 "semaphore", "--ttl", "1000"});
        QCOMPARE(sem.exitCode, 1);
        QVERIFY2(q(sem.err).contains("is a string holding an integer, not a semaphore of "
                                     "LockScope or Redisson: nothing changed"),
                 sem.err.c_str());
        QVERIFY2(!q(sem.err).contains("f_") && !q(sem.err).contains("LOCKSCOPE_KIND"),
                 sem.err.c_str());
        QCOMPARE(c.command({"GET", counter}).optString(), std::optional<std::string>("5"));
    }

    // W2 / U5: latch count-down decremented any integer (and deleted it at 0).
    void latchCountDownRefusesACounter() {
        redis::Connection c(server->endpoint());
        const std::string counter = prefix + "jobs";
        c.command({"SET", counter, "1"});
        auto down = test::runCli({"--url", server->url(), "latch", "count-down", counter});
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(q(down.err).contains("not a latch"), down.err.c_str());
        QCOMPARE(c.command({"GET", counter}).optString(), std::optional<std::string>("1"));
    }

    // W2: a count-down of a latch that does not exist said "open".
    void missingLatchIsSaidToBeMissing() {
        auto missing =
            test::runCli({"--url", server->url(), "latch", "count-down", prefix + "no-latch"});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(q(missing.err).contains("does not exist") &&
                     q(missing.err).contains("nothing counted down") &&
                     !q(missing.out).contains("open"),
                 missing.err.c_str());
        auto await = test::runCli({"--url", server->url(), "latch", "await", prefix + "no-latch"});
        QCOMPARE(await.exitCode, 0);
        QVERIFY2(q(await.err).contains("does not exist") &&
                     q(await.err).contains("a missing latch counts as 0"),
                 await.err.c_str());
    }

    // W3: a read-write acquire wrote its fields and a TTL into an application hash.
    void readWriteAcquireRefusesAnAppHash() {
        redis::Connection c(server->endpoint());
        const std::string settings = prefix + "settings";
        c.command({"HSET", settings, "theme", "dark", "lang", "en"});
        auto rw = test::runCli({"--url", server->url(), "lock", "acquire", settings, "--strategy",
                                "read-write", "--mode", "read", "--ttl", "5000"});
        QCOMPARE(rw.exitCode, 1);
        QVERIFY2(q(rw.err).contains("is a hash that is not a lock of LockScope or Redisson"),
                 rw.err.c_str());
        QCOMPARE(c.command({"HLEN", settings}).integer(), 2LL);
        QCOMPARE(c.command({"HEXISTS", settings, "mode"}).integer(), 0LL);
        QCOMPARE(c.command({"PTTL", settings}).integer(), -1LL);
    }

    // W4: a read lock inside a fair lock's hash (an exclusive lock).
    void readLockRefusesAFairLock() {
        redis::Connection c(server->endpoint());
        const std::string fair = prefix + "fair";
        auto held = test::runCli({"--url", server->url(), "lock", "acquire", fair, "--strategy",
                                  "fair", "--ttl", "30000"});
        QVERIFY2(held.exitCode == 0, held.err.c_str());
        auto reader = test::runCli({"--url", server->url(), "lock", "acquire", fair, "--strategy",
                                    "read-write", "--mode", "read", "--ttl", "5000"});
        QCOMPARE(reader.exitCode, 1);
        QVERIFY2(q(reader.err).contains("is an exclusive lock hash"), reader.err.c_str());
        QCOMPARE(c.command({"HLEN", fair}).integer(), 1LL);
    }

    // W6: an integer beside a {k}:timeout of something else is no expirable semaphore, and its
    // force-release does not touch it.
    void lookAlikeExpirableSemaphoreIsLeftAlone() {
        redis::Connection c(server->endpoint());
        const std::string cache = prefix + "cache";
        c.command({"SET", cache, "7"});
        c.command({"ZADD", "{" + cache + "}:timeout", "123", "x"});
        auto force = test::runCli({"--url", server->url(), "lock", "force-release",
                                   "--accept-guess", cache, "--holder", "x", "--yes"});
        QCOMPARE(force.exitCode, 1);
        QCOMPARE(c.command({"GET", cache}).optString(), std::optional<std::string>("7"));
        QCOMPARE(c.command({"ZCARD", "{" + cache + "}:timeout"}).integer(), 1LL);
    }

    // U3: the token a plain-semaphore acquire printed releases that permit.
    void semaphoreTokenReleasesItsPermit() {
        redis::Connection c(server->endpoint());
        const std::string pool = prefix + "pool";
        auto got = test::runCli({"--url", server->url(), "lock", "acquire", pool, "--strategy",
                                 "semaphore", "--permits", "2", "--ttl", "1000"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        const std::string token = got.out.substr(0, got.out.find('\n'));
        QCOMPARE(c.command({"GET", pool}).optString(), std::optional<std::string>("1"));
        auto rel = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", pool,
                                 "--token", token, "--observe", "0"});
        QVERIFY2(rel.exitCode == 0, (rel.out + rel.err).c_str());
        QCOMPARE(c.command({"GET", pool}).optString(), std::optional<std::string>("2"));
    }

    // adv14b item 1: `lock release --token` of a plain permit gives back one permit, once, only
    // for a token an acquire issued: a forged token and a second release are refused (exit 1),
    // and say what to do instead. Before, both gave back a permit (4 holders of 2 permits).
    void semaphoreReleaseRefusesUnknownTokens() {
        redis::Connection c(server->endpoint());
        const std::string ps = prefix + "ps";
        std::string tokens[2];
        for (auto& t : tokens) {
            auto got = test::runCli({"--url", server->url(), "lock", "acquire", ps, "--strategy",
                                     "semaphore", "--permits", "2", "--ttl", "1000"});
            QVERIFY2(got.exitCode == 0, got.err.c_str());
            t = got.out.substr(0, got.out.find('\n'));
        }
        auto release = [&](const std::string& token) {
            return test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", ps,
                                 "--token", token, "--observe", "0"});
        };
        for (const char* forged :
             {"lockscope:semaphore:forged:1:00000000:0000000000000000", "lockscope:semaphore:x"}) {
            auto r = release(forged);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(q(r.err).contains("no permit taken with this token is recorded") &&
                         q(r.err).contains("force-release"),
                     r.err.c_str());
            QCOMPARE(c.command({"GET", ps}).optString(), std::optional<std::string>("0"));
        }
        auto r = release(tokens[0]);
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(c.command({"GET", ps}).optString(), std::optional<std::string>("1"));
        r = release(tokens[0]);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(c.command({"GET", ps}).optString(), std::optional<std::string>("1"));
    }

    // adv14c item 1: permits given back by count (force-release --permits K) leave the holders'
    // tokens in the record; a token released afterwards gave back a second permit, and N+1
    // holders got in. Now a token whose permit may be one of those given back goes without a
    // permit while the tokens left claim every permit taken; giving back all clears the tokens.
    void givenBackByCountIsNotGivenBackTwice() {
        redis::Connection c(server->endpoint());
        const std::string sem = prefix + "gbc";
        std::string tokens[3];
        for (auto& t : tokens) {
            auto got = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                     "semaphore", "--permits", "3", "--ttl", "1000"});
            QVERIFY2(got.exitCode == 0, got.err.c_str());
            t = got.out.substr(0, got.out.find('\n'));
        }
        auto back = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                                  sem, "--holder", "taken:3/3", "--permits", "2", "--yes"});
        QVERIFY2(back.exitCode == 0, (back.out + back.err).c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("2"));
        auto release = [&](const std::string& token) {
            return test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", sem,
                                 "--token", token, "--observe", "0"});
        };
        // Every holder is gone (the acquires exited): two of their tokens went with the two
        // permits given back (adv14d item 2), and their releases are refused, unchanged; the
        // token left still holds its permit.
        QVERIFY2(q(back.out).contains("2 holder(s) no longer connected"), back.out.c_str());
        int refused = 0, gaveBack = 0;
        std::string said;
        for (const auto& t : tokens) {
            auto r = release(t);
            said += r.out + r.err;
            if (r.exitCode == 1 && q(r.err).contains("no permit taken with this token"))
                ++refused;
            else if (r.exitCode == 0)
                ++gaveBack;
        }
        QVERIFY2(refused == 2 && gaveBack == 1, said.c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("3"));
        std::optional<test::CliResult> r;
        // Giving back every permit taken drops the tokens left: none can hold a permit.
        for (auto& t : tokens) {
            auto got = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                     "semaphore", "--ttl", "1000"});
            QVERIFY2(got.exitCode == 0, got.err.c_str());
            t = got.out.substr(0, got.out.find('\n'));
        }
        back = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess", sem,
                             "--holder", "taken:3/3", "--permits", "3", "--yes"});
        QVERIFY2(back.exitCode == 0, (back.out + back.err).c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("3"));
        QCOMPARE(c.command({"HLEN", "lockscope_meta:{" + sem + "}"}).integer(), 2LL);
        r = release(tokens[0]);
        QCOMPARE(r->exitCode, 1);
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("3"));
    }

    // adv14d item 2: two holders died with their permits, one lives (--hold). The operator gives
    // the 2 leaked permits back by count. The old rule kept every token and swallowed the live
    // holders' releases ("not-held", exit 1: the leak came back). Now the give-back takes the
    // dead holders' tokens (CLIENT LIST names no connection of theirs) out of the record, and
    // `lock inspect` shows which tokens are recorded and whose holder is gone.
    void liveHoldersKeepTheirPermitsAfterAGiveBack() {
        redis::Connection c(server->endpoint());
        const std::string sem = prefix + "live";
        auto acquire = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {test::cliPath(), "--url", server->url(), "lock",
                                             "acquire",       sem,     "--strategy",  "semaphore",
                                             "--permits",     "3",     "--ttl",       "1000"};
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        std::string dead[2];
        for (auto& t : dead) {
            auto got = test::runProgram(acquire({}));
            QVERIFY2(got.exitCode == 0, got.err.c_str());
            t = got.out.substr(0, got.out.find('\n'));
        }
        auto live = test::ChildProcess::spawn(acquire({"--hold", "6000"}));
        const auto liveToken = live.readLine(10s);
        QVERIFY(liveToken);
        auto shown = test::runCli(
            {"--url", server->url(), "lock", "inspect", sem, "--strategy", "semaphore"});
        QVERIFY2(q(shown.out).contains("tokens:  3 recorded"), shown.out.c_str());
        for (const auto& t : dead)
            QVERIFY2(q(shown.out).contains(q(t + "  host ")) &&
                         q(shown.out).contains("its holder is gone, its permit leaked"),
                     shown.out.c_str());
        QVERIFY2(q(shown.out).contains(q(*liveToken + "  host ")) &&
                     q(shown.out).contains(", connected"),
                 shown.out.c_str());

        auto back = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                                  sem, "--holder", "taken:3/3", "--permits", "2", "--yes"});
        QVERIFY2(back.exitCode == 0, (back.out + back.err).c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("2"));
        // A new holder's release gives its permit back.
        auto next = test::runProgram(acquire({"--hold", "300"}));
        QVERIFY2(next.exitCode == 0, (next.out + next.err).c_str());
        QVERIFY2(!q(next.err).contains("not-held"), next.err.c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("2"));
        // So does the live one's, at the end of its hold: every permit is free, nothing recorded.
        const auto code = live.wait(15s);
        const std::string liveErr = live.drainStderr();
        QVERIFY2(code && *code == 0, liveErr.c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("3"));
        QCOMPARE(c.command({"HLEN", "lockscope_meta:{" + sem + "}"}).integer(), 2LL);
    }

    // adv14d item 2: a live holder's permit given back by count (the operator gave back more than
    // had leaked): its token is counted as one given back. `lock acquire --hold`'s release said
    // "not-held" and exited 1 where `lock release --token` said the token is taken out and exited
    // 0; both now say the same and exit 0.
    void holdReleaseCountedAsGivenBackSaysSo() {
        redis::Connection c(server->endpoint());
        const std::string sem = prefix + "counted";
        auto acquire = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {test::cliPath(), "--url", server->url(), "lock",
                                             "acquire",       sem,     "--strategy",  "semaphore",
                                             "--permits",     "2",     "--ttl",       "1000"};
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        auto a = test::ChildProcess::spawn(acquire({"--hold", "3000"}));
        QVERIFY(a.readLine(10s));
        auto b = test::ChildProcess::spawn(acquire({"--hold", "3000"}));
        QVERIFY(b.readLine(10s));
        // Both holders are connected: no token goes with the permit given back.
        auto back = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                                  sem, "--holder", "taken:2/2", "--permits", "1", "--yes"});
        QVERIFY2(back.exitCode == 0, (back.out + back.err).c_str());
        QVERIFY2(!q(back.out).contains("no longer connected"), back.out.c_str());
        const auto codeA = a.wait(15s), codeB = b.wait(15s);
        const std::string errA = a.drainStderr(), errB = b.drainStderr();
        QVERIFY2(codeA && *codeA == 0 && codeB && *codeB == 0, (errA + errB).c_str());
        const QString said = q(errA + errB);
        QCOMPARE(said.count("no permit goes back"), 1);
        QCOMPARE(said.count("released " + q(sem) + " on "), 2);
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("2"));
    }

    // adv14d items 9 and 11: a latch's and a semaphore's refusals in their own words, and a
    // count-down that got no answer says it may have been applied.
    void synchroniserWords() {
        const std::string latch = prefix + "words:latch", sem = prefix + "words:sem";
        auto cli = [&](std::vector<std::string> args) {
            args.insert(args.begin(), {"--url", server->url()});
            return test::runCli(args);
        };
        QCOMPARE(cli({"latch", "set", latch, "--count", "3"}).exitCode, 0);
        QCOMPARE(cli({"latch", "count-down", latch}).exitCode, 0);
        auto refused = cli(
            {"lock", "force-release", "--accept-guess", latch, "--holder", "count:3/3", "--yes"});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(q(refused.err).contains("the count changed: 2 of 3 left") &&
                     !q(refused.err).contains("held by"),
                 refused.err.c_str());

        auto taken = cli(
            {"lock", "acquire", sem, "--strategy", "semaphore", "--permits", "1", "--ttl", "1000"});
        QCOMPARE(taken.exitCode, 0);
        auto busy = cli({"lock", "acquire", sem, "--strategy", "semaphore", "--ttl", "1000"});
        QCOMPARE(busy.exitCode, 1);
        // Issue 14 open defect 5: the permit's token is recorded, so its holder is named (the
        // acquiring process has exited: its permit leaked).
        const std::string token = taken.out.substr(0, taken.out.find('\n'));
        QVERIFY2(q(busy.err).contains(q("is busy (all 1 permits taken; by " + token + " (host ")) &&
                     q(busy.err).contains("not connected: its permit leaked") &&
                     !q(busy.err).contains("held by taken:"),
                 busy.err.c_str());

        // Writes paused (CLIENT PAUSE WRITE): the count-down's script is sent and waits; the CLI
        // gives up at its timeout, not knowing whether the server ran it (here it did not: the
        // CLI's connection closed first; a reply lost on the way back would be the other case).
        redis::Connection c(server->endpoint());
        c.command({"CLIENT", "PAUSE", "3000", "WRITE"});
        auto late = cli({"--timeout", "500", "latch", "count-down", latch});
        c.command({"CLIENT", "UNPAUSE"});
        QCOMPARE(late.exitCode, 3);
        QVERIFY2(q(late.err).contains("the count-down may have been applied"), late.err.c_str());
    }

    // Issue 14 open defect 1: `lock acquire --strategy fair` on a missing key whose queue holds
    // live waiters says who is queued ahead (it said "busy" with no holder).
    void fairAcquireSaysWhoIsQueuedAhead() {
        const std::string key = prefix + "queued-fair";
        const std::string uuid = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d";
        redis::Connection c(server->endpoint());
        const long long now = c.command({"TIME"})[0].asInteger() * 1000;
        c.command({"RPUSH", "redisson_lock_queue:{" + key + "}", uuid + ":7", uuid + ":8"});
        c.command({"ZADD", "redisson_lock_timeout:{" + key + "}", now + 600000, uuid + ":7",
                   now + 605000, uuid + ":8"});
        auto r = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy", "fair",
                               "--ttl", "5000"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("is busy: nobody holds it, but 2 waiter(s) are queued ahead") &&
                     q(r.err).contains(q("first: " + uuid + ":7")) &&
                     q(r.err).contains(q("then " + uuid + ":8")),
                 r.err.c_str());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);  // not taken past them
    }

    // Issue 14 open defect 2: `--permits M` on a semaphore that exists with N ≠ M permits is not
    // applied (it keeps its size) — said on stderr and in --json, granted or busy; nothing said
    // when M is its size or --permits is not given.
    void ignoredPermitsAreSaid_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("semaphore") << "semaphore";
        QTest::newRow("expirable-semaphore") << "expirable-semaphore";
    }
    void ignoredPermitsAreSaid() {
        QFETCH(QString, strategy);
        const std::string key = prefix + "permits-kept:" + strategy.toStdString();
        auto acquire = [&](std::vector<std::string> more) {
            std::vector<std::string> args{
                "--url",      server->url(),          "lock",  "acquire", key,
                "--strategy", strategy.toStdString(), "--ttl", "60000"};
            args.insert(args.end(), more.begin(), more.end());
            return test::runCli(args);
        };
        const QString note = "already exists with 2 permit(s): --permits 5 is not applied";
        auto first = acquire({"--permits", "2"});
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(!q(first.err).contains("not applied"), first.err.c_str());  // it made it
        auto second = acquire({"--permits", "5", "--json"});
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(q(second.err).contains(note), second.err.c_str());
        const auto j = QJsonDocument::fromJson(QByteArray::fromStdString(second.out)).object();
        QCOMPARE(j["size"].toInt(), 2);
        QCOMPARE(j["permits_not_applied"].toInt(), 5);
        // Busy now (2 of 2 taken): the note too.
        auto busy = acquire({"--permits", "5"});
        QCOMPARE(busy.exitCode, 1);
        QVERIFY2(q(busy.err).contains(note) && q(busy.err).contains("is busy"), busy.err.c_str());
        // Its own size, or no --permits: nothing to say.
        auto same = acquire({"--permits", "2"});
        QCOMPARE(same.exitCode, 1);
        QVERIFY2(!q(same.err).contains("not applied"), same.err.c_str());
        auto none = acquire({"--json"});
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(!q(none.err).contains("not applied"), none.err.c_str());
        // The size is unchanged.
        redis::Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(std::string(
                     c.command({"HGET", "lockscope_meta:{" + key + "}", "size"}).str())),
                 QString("2"));
    }

    // adv14c item 3: a permit whose lease ran out is free and names no holder: force-release of
    // the holders shown (the live ones) is not refused as "holder changed" because of it.
    void ranOutPermitIsNotAHolder() {
        redis::Connection c(server->endpoint());
        const std::string sem = prefix + "xro";
        std::string live[2];
        for (auto& t : live) {
            auto got = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                     "expirable-semaphore", "--permits", "3", "--ttl", "60000"});
            QVERIFY2(got.exitCode == 0, got.err.c_str());
            t = got.out.substr(0, got.out.find('\n'));
        }
        // A 1 ms lease runs out before the answer comes back: the acquire says so, exit 1
        // (F14e), and the permit it wrote is left to run out.
        auto out = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                 "expirable-semaphore", "--ttl", "1"});
        QVERIFY2(out.exitCode == 1, out.err.c_str());
        std::string inspected;
        for (const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
             std::chrono::steady_clock::now() < until;) {
            auto i = test::runCli({"--url", server->url(), "lock", "inspect", sem, "--strategy",
                                   "expirable-semaphore", "--json"});
            inspected = i.out;
            if (q(i.out).contains("\"lease_ran_out\":true")) break;
        }
        const auto j = QJsonDocument::fromJson(QByteArray::fromStdString(inspected)).object();
        const std::string shown = std::min(live[0], live[1]) + "," + std::max(live[0], live[1]);
        QCOMPARE(j.value("holder").toString().toStdString(), shown);
        QVERIFY2(j.value("held").toBool(), inspected.c_str());
        auto force = test::runCli({"--url", server->url(), "lock", "force-release",
                                   "--accept-guess", sem, "--holder", shown, "--yes"});
        QVERIFY2(force.exitCode == 0, (force.out + force.err).c_str());
        QCOMPARE(c.command({"GET", sem}).optString(), std::optional<std::string>("3"));
        QCOMPARE(c.command({"ZCARD", "{" + sem + "}:timeout"}).integer(), 0LL);
    }

    // adv14c item 10: a reader kept out by a waiting writer is told so — it was told the
    // readers inside hold the lock, which never keeps a reader out.
    void readerKeptOutByAWaitingWriterIsToldSo() {
        redis::Connection c(server->endpoint());
        const std::string rw = prefix + "rwpref";
        auto reader = test::runCli({"--url", server->url(), "lock", "acquire", rw, "--strategy",
                                    "read-write", "--mode", "read", "--ttl", "60000"});
        QVERIFY2(reader.exitCode == 0, reader.err.c_str());
        const long long now = c.command({"TIME"})[0].asInteger() * 1000;
        const std::string writer = "8e1f6c2a-5b7d-4e3f-9a1c-2d4b6f8e0a1c:7:write";
        c.command({"ZADD", "lockscope_rwlock_writers:{" + rw + "}", now + 60000, writer});
        auto r = test::runCli({"--url", server->url(), "lock", "acquire", rw, "--strategy",
                               "read-write", "--mode", "read", "--ttl", "10000"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            q(r.err).contains("writer(s) wait for it") && q(r.err).contains("writer preference") &&
                q(r.err).contains(QString::fromStdString(writer)) && !q(r.err).contains("held by"),
            r.err.c_str());
    }

    // adv14b item 4: an error from inside a script shows no SHA (Redis 7's "script: <sha>, on
    // @user_script:N.").
    void scriptErrorsShowNoSha() {
        redis::Connection c(server->endpoint());
        const std::string lat = prefix + "lat";
        c.command({"SET", lat, "3"});
        auto r = test::runCli({"--url", server->url(), "lock", "acquire", lat, "--strategy",
                               "reentrant", "--ttl", "1000"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(!q(r.err).contains("script:") && !q(r.err).contains("user_script"), r.err.c_str());
        QCOMPARE(c.command({"GET", lat}).optString(), std::optional<std::string>("3"));
    }

    // adv14b items 7 and 8: a plain permit and a latch have no lease — extend is refused saying
    // so (it said "heartbeat locks live by their beat"), and acquire --json's valid_ms is null
    // (it was 9223368161914).
    void noLeaseIsSaidSo() {
        const std::string sem = prefix + "nolease", lat = prefix + "nolease-latch";
        auto got = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                 "semaphore", "--ttl", "1000", "--json"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        const auto j = QJsonDocument::fromJson(QByteArray::fromStdString(got.out)).object();
        QVERIFY2(j.contains("valid_ms") && j.value("valid_ms").isNull(), got.out.c_str());
        const std::string token = j.value("token").toString().toStdString();
        auto e = test::runCli({"--url", server->url(), "lock", "extend", "--accept-guess", sem,
                               "--token", token, "--ttl", "1000"});
        QVERIFY(e.exitCode != 0);
        QVERIFY2(q(e.err).contains("no lease") && !q(e.err).contains("heartbeat"), e.err.c_str());
        auto set = test::runCli({"--url", server->url(), "latch", "set", lat, "--count", "3"});
        QVERIFY2(set.exitCode == 0, set.err.c_str());
        e = test::runCli({"--url", server->url(), "lock", "extend", "--accept-guess", lat,
                          "--token", "count:3/3", "--ttl", "1000"});
        QVERIFY(e.exitCode != 0);
        QVERIFY2(q(e.err).contains("no lease") && !q(e.err).contains("heartbeat"), e.err.c_str());
    }

    // adv14b item 6: `locks` called a semaphore with every permit free "held" by "taken:0/2";
    // now "unused", holder null (as the dashboard says).
    void unusedSemaphoreIsNotHeld() {
        const std::string key = prefix + "unused-sem";
        auto got = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                 "semaphore", "--permits", "2", "--ttl", "1000"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        const std::string token = got.out.substr(0, got.out.find('\n'));
        auto state = [&] {
            auto l = test::runCli({"--url", server->url(), "locks", "--match", key, "--json"});
            const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(l.out)).array();
            return all.size() == 1 ? all[0].toObject() : QJsonObject();
        };
        QCOMPARE(state().value("state").toString(), QString("held"));
        QCOMPARE(state().value("holder").toString(), QString("taken:1/2"));
        auto rel = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", key,
                                 "--token", token, "--observe", "0"});
        QVERIFY2(rel.exitCode == 0, rel.err.c_str());
        const auto j = state();
        QCOMPARE(j.value("state").toString(), QString("unused"));
        QVERIFY(j.contains("holder") && j.value("holder").isNull());
        auto table = test::runCli({"--url", server->url(), "locks", "--match", key});
        QVERIFY2(q(table.out).contains("unused") && !q(table.out).contains("taken:0/2"),
                 table.out.c_str());
        // adv14e item 9: its Holder is the dashboard's "(none taken)", not "-".
        QVERIFY2(q(table.out).contains("(none taken)"), table.out.c_str());
    }

    // adv14e item 9: `locks` (text) did not mention a fair lock's queue ("hold count 1"), where a
    // read-write lock says "1 writer(s) waiting".
    void fairQueueInLocksText() {
        const std::string key = prefix + "fair-queue-text";
        auto got = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                 "fair", "--ttl", "60000"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        redis::Connection c(server->endpoint());
        for (const char* waiter :
             {"b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d:9", "c2a1d8f3-4e5a-4b7c-8d2e-7f6a5b4c3d2e:7"}) {
            c.command({"RPUSH", "redisson_lock_queue:{" + key + "}", waiter});
            c.command({"ZADD", "redisson_lock_timeout:{" + key + "}",
                       std::to_string(QDateTime::currentMSecsSinceEpoch() + 60000), waiter});
        }
        auto table = test::runCli({"--url", server->url(), "locks", "--match", key});
        QVERIFY2(table.exitCode == 0, table.err.c_str());
        QVERIFY2(q(table.out).contains("2 waiting"), table.out.c_str());
    }

    // adv14b item 6 (behaviour): a permit given back (force-release --permits) or taken is the
    // semaphore's count changing, not a takeover. `locks --observe` watches it while another
    // process gives one back and takes one; the monitor's behaviour stats (the dashboard's
    // Behaviour line and Takeovers column) said "1 takeovers".
    void permitsGivenBackAreNotTakeovers() {
        const std::string key = prefix + "sem-behaviour";
        for (int i = 0; i < 2; ++i) {
            auto got = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                     "semaphore", "--permits", "3", "--ttl", "1000"});
            QVERIFY2(got.exitCode == 0, got.err.c_str());
        }
        std::thread writer([&] {
            std::this_thread::sleep_for(1500ms);
            test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess", key,
                          "--holder", "taken:2/3", "--permits", "1", "--yes"});
            std::this_thread::sleep_for(500ms);
            test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy", "semaphore",
                          "--permits", "3", "--ttl", "1000"});
        });
        auto r = test::runCli(
            {"--url", server->url(), "locks", "--observe", "4", "--match", key, "--json"}, 30000);
        writer.join();
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
        QCOMPARE(all.size(), 1);
        const auto j = all[0].toObject();
        // The watch saw both writes (the count is back at 2 after going to 1) ...
        QCOMPARE(j.value("holder").toString(), QString("taken:2/3"));
        QVERIFY2(auditLines(key).size() >= 1, r.out.c_str());
        // ... and counted no takeover.
        QVERIFY2(j.value("stats").toObject().value("takeovers").toInt() == 0, r.out.c_str());
    }

    // adv14c item 4: a fair lock's FIFO hand-over and a reader leaving a read-write lock were
    // counted as takeovers. Neither lock's scripts take it from a holder: a fair hand-over is a new
    // acquisition (no takeover), readers leaving a shared hold are the same hold.
    void handOversAreNotTakeovers_data() {
        QTest::addColumn<bool>("notifications");
        QTest::newRow("polling") << false;
        QTest::newRow("notifications") << true;
    }
    void handOversAreNotTakeovers() {
        QFETCH(bool, notifications);
        const std::string tag = notifications ? "n" : "p";
        const std::string fair = prefix + "fair-handover-" + tag, rw = prefix + "rw-readers-" + tag;
        redis::Connection c(server->endpoint());
        const auto was = c.command({"CONFIG", "GET", "notify-keyspace-events"});
        const std::string before = was.size() == 2 ? std::string(was.at(1).str()) : std::string();
        c.command({"CONFIG", "SET", "notify-keyspace-events", notifications ? "KEA" : ""});
        auto restore = qScopeGuard([&] {
            c.command({"CONFIG", "SET", "notify-keyspace-events", before});
        });
        // The holders begin only once the observer reads the server: a key its first sweep
        // finds was taken at an unknown time and is not counted, and on a loaded CI machine
        // the observer's start took long enough that holder 2's turn was found that way
        // (CI 2026-12-07: acquisitions 1, polling row).
        const auto clientIds = [&] {
            std::set<std::string> ids;
            const std::string list(c.command({"CLIENT", "LIST"}).str());
            for (size_t at = 0; (at = list.find("id=", at)) != std::string::npos;) {
                const size_t end = list.find(' ', at);
                const size_t eol = list.find('\n', at);
                if (list.substr(end, eol - end).find(" name=lockscope-monitor ") !=
                    std::string::npos)
                    ids.insert(list.substr(at, end - at));
                at = end;
            }
            return ids;
        };
        const auto monitorsBefore = clientIds();
        auto observer =
            test::ChildProcess::spawn({test::cliPath(), "--url", server->url(), "locks",
                                       "--observe", "9", "--match", prefix + "*-" + tag, "--json"});
        QTRY_VERIFY_WITH_TIMEOUT(clientIds() != monitorsBefore, 15000);
        std::vector<std::thread> clients;
        std::vector<int> fairExits(3, -1);
        for (int i = 0; i < 3; ++i)
            clients.emplace_back([&, i] {
                std::this_thread::sleep_for(std::chrono::milliseconds(500 + 100 * i));
                fairExits[size_t(i)] =
                    test::runCli({"--url", server->url(), "lock", "acquire", fair, "--strategy",
                                  "fair", "--ttl", "10000", "--wait", "20000", "--hold", "1000"},
                                 30000)
                        .exitCode;
            });
        for (int i = 0; i < 2; ++i)
            clients.emplace_back([&, i] {
                std::this_thread::sleep_for(std::chrono::milliseconds(500 + 100 * i));
                test::runCli(
                    {"--url", server->url(), "lock", "acquire", rw, "--strategy", "read-write",
                     "--mode", "read", "--ttl", "10000", "--hold", i == 0 ? "1500" : "5000"},
                    30000);
            });
        for (auto& t : clients) t.join();
        const auto observed = observer.wait(30s);
        test::CliResult r{observed.value_or(-1), observer.drainStdout(), observer.drainStderr()};
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(fairExits, std::vector<int>({0, 0, 0}));
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
        bool sawFair = false, sawRw = false;
        for (const auto& v : all) {
            const auto j = v.toObject();
            const auto stats = j.value("stats").toObject();
            const auto name = j.value("key").toString().toStdString();
            if (name == fair) {
                sawFair = true;
                // All three holders were seen taking it in turn ...
                QVERIFY2(stats.value("acquisitions").toInt() >= 2, r.out.c_str());
                // ... handed over, not taken over.
                QVERIFY2(stats.value("takeovers").toInt() == 0, r.out.c_str());
            } else if (name == rw) {
                sawRw = true;
                QVERIFY2(stats.value("takeovers").toInt() == 0, r.out.c_str());
                QVERIFY2(stats.value("acquisitions").toInt() == 1,
                         QJsonDocument(j).toJson().constData());
            }
        }
        QVERIFY2(sawFair && sawRw, r.out.c_str());
    }

    // adv14e item 5: an expirable permit whose lease ran out stayed "held" by its holder in the
    // live views (`locks --observe`, `watch`, the dashboard) until the next full sweep: the lease
    // end is a score in {k}:timeout, which no notification names. The monitor now reads the key
    // again when the earliest lease ends: the permit is free, its hold recorded, its lease
    // counted as run out.
    void expirableLeaseEndIsSeenLive_data() {
        QTest::addColumn<bool>("notifications");
        QTest::newRow("notifications") << true;
        QTest::newRow("polling") << false;
    }
    void expirableLeaseEndIsSeenLive() {
        QFETCH(bool, notifications);
        const std::string key = prefix + "lease-end-" + (notifications ? "n" : "p");
        redis::Connection c(server->endpoint());
        const auto was = c.command({"CONFIG", "GET", "notify-keyspace-events"});
        const std::string before = was.size() == 2 ? std::string(was.at(1).str()) : std::string();
        c.command({"CONFIG", "SET", "notify-keyspace-events", notifications ? "KEA" : ""});
        auto restore = qScopeGuard([&] {
            c.command({"CONFIG", "SET", "notify-keyspace-events", before});
        });
        int acquired = -1;
        std::thread holder([&] {
            std::this_thread::sleep_for(1500ms);  // after the first inventory
            acquired = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                     "expirable-semaphore", "--permits", "2", "--ttl", "2000"})
                           .exitCode;
        });
        auto r = test::runCli(
            {"--url", server->url(), "locks", "--observe", "8", "--match", key, "--json"}, 30000);
        holder.join();
        QCOMPARE(acquired, 0);
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).array();
        QCOMPARE(all.size(), 1);
        const auto j = all[0].toObject();
        const auto dump = QJsonDocument(j).toJson();
        // Its only permit's lease ran out ~2 s after the acquire: nobody holds it.
        QVERIFY2(j.value("state").toString() != "held", dump.constData());
        QCOMPARE(j.value("permits").toObject().value("taken").toInt(), 0);
        QCOMPARE(j.value("permits").toObject().value("leases_ran_out").toInt(), 1);
        const auto st = j.value("stats").toObject();
        QVERIFY2(st.value("acquisitions").toInt() == 1, dump.constData());
        QVERIFY2(st.value("holds").toInt() == 1, dump.constData());
        QVERIFY2(st.value("expired_while_held").toInt() == 1, dump.constData());
        // The hold ended with its 2 s lease, not at a later sweep (generous margin for a loaded
        // machine: the observation lasts 8 s; polled, the acquisition is seen up to 500 ms late).
        QVERIFY2(
            st.value("hold_ms_max").toDouble() >= 1000 && st.value("hold_ms_max").toDouble() < 4500,
            dump.constData());
    }

    // adv14b item 8: `lock inspect --strategy latch` read a plain counter (`SET int 42`) as a
    // latch with 42 count-downs to go, and `--strategy read-write` called a held Redisson RLock
    // "(free)". Both now say what the key is; --adopt-bare-count reads a bare integer as a
    // Redisson latch, as the writes do. hold_count: one truth for a latch (0 in inspect, none in
    // `locks`, where it used to be the latch's size).
    void inspectSaysWhatTheKeyIs() {
        redis::Connection c(server->endpoint());
        const std::string counter = prefix + "int", rlock = prefix + "rlock",
                          lat = prefix + "inspect-latch";
        c.command({"SET", counter, "42"});
        auto r = test::runCli(
            {"--url", server->url(), "lock", "inspect", counter, "--strategy", "latch", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        auto j = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QCOMPARE(j.value("held").toBool(), false);
        QVERIFY2(j.value("detail").toString().startsWith("not a latch: it is"), r.out.c_str());
        r = test::runCli(
            {"--url", server->url(), "lock", "inspect", counter, "--strategy", "semaphore"});
        QVERIFY2(q(r.out).contains("not a semaphore") && !q(r.out).contains("permits free"),
                 r.out.c_str());
        r = test::runCli({"--url", server->url(), "lock", "inspect", counter, "--strategy", "latch",
                          "--adopt-bare-count", "--json"});
        j = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QCOMPARE(j.value("held").toBool(), true);
        QCOMPARE(j.value("holder").toString(), QString("count:42"));
        QCOMPARE(c.command({"GET", counter}).optString(), std::optional<std::string>("42"));

        c.command({"HSET", rlock, "8f3a9c1e-aaaa-bbbb-cccc-0123456789ab:1", "1"});
        c.command({"PEXPIRE", rlock, 60000});
        r = test::runCli(
            {"--url", server->url(), "lock", "inspect", rlock, "--strategy", "read-write"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(!q(r.out).contains("(free)") && q(r.out).contains("not a read-write lock") &&
                     q(r.out).contains("exclusive lock hash"),
                 r.out.c_str());

        auto set = test::runCli({"--url", server->url(), "latch", "set", lat, "--count", "3"});
        QVERIFY2(set.exitCode == 0, set.err.c_str());
        r = test::runCli(
            {"--url", server->url(), "lock", "inspect", lat, "--strategy", "latch", "--json"});
        j = QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
        QCOMPARE(j.value("hold_count").toInt(), 0);
        auto l = test::runCli({"--url", server->url(), "locks", "--match", lat, "--json"});
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(l.out)).array();
        QCOMPARE(all.size(), 1);
        QVERIFY2(!all[0].toObject().contains("hold_count"), l.out.c_str());
        QCOMPARE(all[0].toObject().value("size").toInt(), 3);
    }

    // adv14b item 9, the edge displays: a value above the size was "taken:0/3 (10 of 10 permits
    // free)"; an adopted bare 0 was "busy (held by taken:1, no TTL)"; a garbage token on an
    // unused semaphore was "it is held by taken:0/3"; `lock acquire app --strategy reentrant` on
    // an application's hash was "busy (held by age, no TTL)".
    void edgeDisplaysSayWhatIs() {
        redis::Connection c(server->endpoint());
        const std::string s10 = prefix + "s10", zero = prefix + "zero", app = prefix + "app",
                          sem = prefix + "edge-sem";
        c.command({"SET", s10, "10"});
        c.command({"HSET", "lockscope_meta:{" + s10 + "}", "kind", "semaphore", "size", 3});
        auto r = test::runCli(
            {"--url", server->url(), "lock", "inspect", s10, "--strategy", "semaphore"});
        QVERIFY2(q(r.out).contains("10 permits free: 7 above its size 3"), r.out.c_str());
        auto l = test::runCli({"--url", server->url(), "locks", "--match", s10, "--json"});
        auto all = QJsonDocument::fromJson(QByteArray::fromStdString(l.out)).array();
        QCOMPARE(all.size(), 1);
        QVERIFY2(all[0].toObject().value("detail").toString().contains("7 above its size 3"),
                 l.out.c_str());

        c.command({"SET", zero, "0"});
        r = test::runCli({"--url", server->url(), "lock", "acquire", zero, "--strategy",
                          "semaphore", "--ttl", "1000", "--adopt-bare-count"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("busy (held by no permit free") && !q(r.err).contains("taken:1"),
                 r.err.c_str());

        auto got = test::runCli({"--url", server->url(), "lock", "acquire", sem, "--strategy",
                                 "semaphore", "--permits", "3", "--ttl", "1000"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        const std::string token = got.out.substr(0, got.out.find('\n'));
        r = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", sem,
                          "--token", token, "--observe", "0"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        r = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", sem,
                          "--token", "garbage", "--observe", "0"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("every permit of it is free (taken:0/3)") &&
                     !q(r.err).contains("held by"),
                 r.err.c_str());

        c.command({"HSET", app, "name", "x", "age", "3"});
        r = test::runCli({"--url", server->url(), "lock", "acquire", app, "--strategy", "reentrant",
                          "--ttl", "1000"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("not a reentrant lock: it is a hash") &&
                     !q(r.err).contains("held by"),
                 r.err.c_str());
        QCOMPARE(c.command({"HLEN", app}).integer(), 2LL);
    }

    // adv14b item 9: `latch set --count 1000000000000000000` was accepted, then count-down called
    // it "not an integer" and `locks` did not list it. Now a usage error, nothing written.
    void latchCountIsBounded() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "lbig";
        auto r = test::runCli(
            {"--url", server->url(), "latch", "set", key, "--count", "1000000000000000000"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(q(r.err).contains("--count takes at most"), r.err.c_str());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
    }

    // adv14b item 5: a permit taken with --adopt-bare-count can be given back: release (and
    // force-release) take --adopt-bare-count too (before: "a counter, not a lock" / exit 2).
    void adoptedPermitCanBeGivenBack() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "bs";
        c.command({"SET", key, "1"});
        auto got = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                 "semaphore", "--ttl", "1000", "--adopt-bare-count"});
        QVERIFY2(got.exitCode == 0, got.err.c_str());
        const std::string token = got.out.substr(0, got.out.find('\n'));
        QCOMPARE(c.command({"GET", key}).optString(), std::optional<std::string>("0"));
        // Without the flag it stays a counter: refused, unchanged.
        auto r = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", key,
                               "--token", token, "--observe", "0"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(c.command({"GET", key}).optString(), std::optional<std::string>("0"));
        r = test::runCli({"--url", server->url(), "lock", "release", "--accept-guess", key,
                          "--token", token, "--observe", "0", "--adopt-bare-count"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(c.command({"GET", key}).optString(), std::optional<std::string>("1"));
        QCOMPARE(c.command({"EXISTS", "lockscope_meta:{" + key + "}"}).integer(), 0LL);
        // A holder string that is not a plain permit's token: a usage error.
        r = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess", key,
                          "--holder", "1", "--yes", "--adopt-bare-count"});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(c.command({"GET", key}).optString(), std::optional<std::string>("1"));
    }

    // 16.4: a setnx-getset lock keeps its expiry in the value.
    void extendRewritesASetnxGetsetExpiry() {
        const std::string key = prefix + "getset:lock";  // an epoch-ms value needs a lock-like name
        auto a = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                               "setnx-getset", "--ttl", "1000"});
        QCOMPARE(a.exitCode, 0);
        const std::string token = a.out.substr(0, a.out.find('\n'));
        auto e = test::runCli({"--url", server->url(), "lock", "extend", "--accept-guess", key,
                               "--token", token, "--ttl", "6000"});
        QCOMPARE(e.exitCode, 0);
        QVERIFY2(q(e.out).contains("its holder is now"), e.out.c_str());
        // The audit names what was there before (the old expiry), not the value written.
        const auto lines = auditLines(key);
        QCOMPARE(int(lines.size()), 1);
        QVERIFY2(q(lines[0]).contains(q("found=" + token + "\t")), lines[0].c_str());
        QTest::qSleep(1500);  // past the original expiry
        auto other = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                   "setnx-getset", "--ttl", "1000"});
        QCOMPARE(other.exitCode, 1);
        QVERIFY2(q(other.err).contains("busy"), other.err.c_str());

        const std::string beat = prefix + "beat";
        redis::Connection(server->endpoint())
            .command({"HSET", beat, "owner", kToken, "beat", 1, "period_ms", 1000});
        auto h = test::runCli({"--url", server->url(), "lock", "extend", "--accept-guess", beat,
                               "--token", kToken, "--ttl", "6000"});
        QCOMPARE(h.exitCode, 1);
        QVERIFY2(q(h.err).contains("no TTL to extend"), h.err.c_str());
    }

    // A wrong per-node password in a write: that node answered and refused (the failover
    // tester saw "unreachable", which sends an operator to look at the network instead).
    void wrongNodePasswordIsARefusalNotAnOutage() {
        sandbox::RedisServer open;
        sandbox::RedisServerOptions so;
        so.password = "node-secret";
        sandbox::RedisServer locked(so);
        const std::string key = prefix + "wrong-node-password";
        const std::string token = kToken;
        for (auto* s : {&open, &locked})
            redis::Connection(s->endpoint()).command({"SET", key, token, "PX", 60000});
        const std::string b = "127.0.0.1:" + std::to_string(locked.port());
        auto r = test::runCli({"--nodes",
                               "127.0.0.1:" + std::to_string(open.port()) + ",default:wrong@" + b,
                               "lock", "release", "--accept-guess", key, "--token", token});
        QVERIFY2(r.exitCode == 4, (r.out + r.err).c_str());
        QVERIFY2(r.out.find(b + "  refused") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("unreachable") == std::string::npos, r.out.c_str());
        QVERIFY((r.out + r.err).find(":wrong@") == std::string::npos);  // never echoed
        QCOMPARE(redis::Connection(locked.endpoint()).command({"EXISTS", key}).integer(), 1LL);
        const auto lines = auditLines(key);
        QCOMPARE(int(lines.size()), 2);
        QVERIFY2(q(lines[1]).contains("\trefused: "), lines[1].c_str());
    }

    // 16.5: an action that cannot be recorded is not taken.
    void unwritableAuditLogStopsTheAction() {
        const std::string key = prefix + "unaudited";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, kToken, "PX", 60000});
        const std::string file = dir.filePath("a-file").toStdString();
        std::ofstream(file) << "not a directory\n";
        AuditLogAt unwritable(file + "/audit.log");
        auto r = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                               key, "--holder", kToken, "--yes"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("cannot open the audit log"), r.err.c_str());
        QVERIFY2(q(r.err).contains("nothing was changed"), r.err.c_str());
        QVERIFY(r.out.find("logged to") == std::string::npos);
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);

        // Opened, but the line cannot be written (a full disk): the action was taken, exit 4,
        // and stdout does not claim it was logged (the adversarial tester saw "logged to
        // /dev/full").
        AuditLogAt full("/dev/full");
        auto f = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                               key, "--holder", kToken, "--yes"});
        QCOMPARE(f.exitCode, 4);
        QVERIFY2(f.out.find("logged to") == std::string::npos, f.out.c_str());
        QVERIFY2(f.out.find("NOT logged") != std::string::npos, f.out.c_str());
        QVERIFY2(q(f.err).contains("audit log could not be written"), f.err.c_str());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
    }

    // 16.5, 18.9: refusals and error replies are audited with their outcome.
    void refusedWritesAreAudited() {
        redis::Connection c(server->endpoint());
        const std::string key = prefix + "acl";
        c.command({"SET", key, kToken, "PX", 60000});
        c.command({"ACL", "SETUSER", "nodel", "on", ">pw", "~*", "&*", "+@all", "-del"});
        auto r = test::runCli(
            {"--url", "redis://nodel:pw@127.0.0.1:" + std::to_string(server->port()), "lock",
             "force-release", "--accept-guess", key, "--holder", kToken, "--yes"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains("refused"), r.err.c_str());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);
        auto lines = auditLines(key);
        QCOMPARE(int(lines.size()), 1);
        QVERIFY2(q(lines[0]).contains("\trefused: "), lines[0].c_str());
        // What the server had is on record, also for a refused write (it was read before).
        QVERIFY2(q(lines[0]).contains(q(std::string("found=") + kToken)), lines[0].c_str());

        // A replica answers READONLY: audited too.
        sandbox::RedisServerOptions ro;
        ro.extraArgs = {"--replicaof", "127.0.0.1", std::to_string(server->port())};
        sandbox::RedisServer replica(ro);
        const std::string rkey = prefix + "on-replica";
        c.command({"SET", rkey, kToken, "PX", 60000});
        // A full sync on a loaded CI machine takes seconds: wait until the replica has
        // acknowledged the write (WAIT) rather than for a fixed number of polls.
        redis::Connection rc(replica.endpoint());
        for (int i = 0; i < 600 && !rc.command({"GET", rkey}).optString(); ++i) {
            c.command({"WAIT", 1, 100});
        }
        QVERIFY2(rc.command({"GET", rkey}).optString(), "the replica never received the key");
        auto ro1 = test::runCli({"--url", replica.url(), "lock", "force-release", "--accept-guess",
                                 rkey, "--holder", kToken, "--yes"});
        QCOMPARE(ro1.exitCode, 1);
        QVERIFY2(q(ro1.err).contains("READONLY"), ro1.err.c_str());
        auto rlines = auditLines(rkey);
        QCOMPARE(int(rlines.size()), 1);
        QVERIFY2(q(rlines[0]).contains("\trefused: READONLY"), rlines[0].c_str());
        QVERIFY2(q(rlines[0]).contains(q(std::string("found=") + kToken)), rlines[0].c_str());
    }

    // 16.6: what `locks --json` prints, force-release takes back — after "--" for a key that
    // starts with '-'.
    void printedKeysAreTypedBack() {
        redis::Connection c(server->endpoint());
        const std::string tag = test::keyPrefix("typed");
        const std::vector<std::string> keys = {tag + std::string("lock:\xff\xfe-bin", 11),
                                               "-" + tag + "dash", tag + "back\\slash"};
        for (const auto& k : keys) c.command({"SET", k, kToken, "PX", 60000});
        auto listed =
            test::runCli({"--url", server->url(), "locks", "--match", "*" + tag + "*", "--json"});
        QCOMPARE(listed.exitCode, 0);
        const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(listed.out)).array();
        QCOMPARE(all.size(), 3);
        for (const auto& v : all) {
            const auto o = v.toObject();
            const std::string key = o["key"].toString().toStdString();
            auto r = test::runCli({"--url", server->url(), "lock", "force-release",
                                   "--accept-guess", "--holder",
                                   o["holder"].toString().toStdString(), "--yes", "--", key});
            QVERIFY2(r.exitCode == 0, (key + ": " + r.err).c_str());
        }
        for (const auto& k : keys) QCOMPARE(c.command({"EXISTS", k}).integer(), 0LL);

        // "holder changed" names what the server holds, as `locks` would print it.
        const std::string key = tag + "changed";
        c.command({"HSET", key, "owner", std::string("own\xff", 4) + kToken, "beat", 1, "period_ms",
                   60000});
        auto r = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                               key, "--holder", "someone-else", "--yes"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(q(r.err).contains(q("held by own\\xff" + kToken)), r.err.c_str());
        // The holder typed is named as not holding it (it may never have: adv11d cosmetic), not
        // as the holder found.
        QVERIFY2(q(r.err).contains("not held by someone-else: it is held by own"), r.err.c_str());
        // A backslash that is not an escape is a usage error, not another key.
        auto bad = test::runCli({"--url", server->url(), "lock", "force-release", "--accept-guess",
                                 "a\\b", "--holder", "x", "--yes"});
        QCOMPARE(bad.exitCode, 2);
    }

    // 18.3: the lease follows the master after kill -9, says it survived, and is reported lost
    // (exit 1) as soon as a renewal finds it gone.
    void heldLeaseFollowsTheSentinelMaster() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Sentinel;
        sandbox::Topology topo(o);
        const std::string key = prefix + "sentinel-hold";
        auto child = test::ChildProcess::spawn({test::cliPath(), "--url", topo.url(), "lock",
                                                "acquire", key, "--strategy", "set-nx-px", "--ttl",
                                                "9000", "--hold", "120000"});
        auto token = child.readLine(10s);
        QVERIFY(token);
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        topo.killNode(*oldMaster);
        const auto killedAt = std::chrono::steady_clock::now();
        std::optional<size_t> newMaster;
        for (int i = 0; i < 300 && (!newMaster || *newMaster == *oldMaster); ++i) {
            QTest::qSleep(100);
            newMaster = topo.sentinelMaster();
        }
        QVERIFY(newMaster && *newMaster != *oldMaster);
        // Past a whole TTL after the kill, only renewals on the new master keep it.
        std::this_thread::sleep_until(killedAt + 10s);
        redis::Connection nm(topo.server(*newMaster).endpoint());
        QCOMPARE(q(nm.command({"GET", key}).optString().value_or("<gone>")), q(*token));
        QVERIFY(!child.wait(0ms));
        QVERIFY2(q(child.drainStderr()).contains("the lease survived the failover"),
                 "no word of the failover");

        // Someone deletes it there: the next renewal says it is lost, and the command fails.
        nm.command({"DEL", key});
        auto code = child.wait(6s);
        QVERIFY2(code, "still holding a lease that is gone");
        QCOMPARE(*code, 1);
        QVERIFY(q(child.drainStderr()).contains("lost lock"));
    }

    // adv14d item 1: a waiter started before a SENTINEL FAILOVER. The old code kept retrying on
    // the old master, which still accepts writes for ~10 s until the Sentinels demote it; the
    // holder's lease there ran out once it renewed on the new master, and the waiter "acquired"
    // it there and exited 0 while the holder held it on the new master.
    void waiterFollowsTheSentinelFailover_data() {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("set-nx-px") << "set-nx-px" << QStringList{};
        QTest::newRow("reentrant") << "reentrant" << QStringList{};
        QTest::newRow("fair") << "fair" << QStringList{};
        QTest::newRow("read-write") << "read-write" << QStringList{"--mode", "write"};
        QTest::newRow("expirable-semaphore")
            << "expirable-semaphore" << QStringList{"--permits", "1"};
    }
    void waiterFollowsTheSentinelFailover() {
        QFETCH(QString, strategy);
        QFETCH(QStringList, extra);
        auto& topo = sentinelGroup();
        const std::string key = prefix + "waiter:" + strategy.toStdString();
        auto command = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {
                test::cliPath(), "--url", topo.url(),   "lock",
                "acquire",       key,     "--strategy", strategy.toStdString()};
            for (const auto& e : extra) argv.push_back(e.toStdString());
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        // 4 s: long against the moment between the replica's promotion and the Sentinels'
        // switch (the holder's renewals on the old master do not reach the new one then), short
        // against the ~10 s until the Sentinels demote the old master.
        auto holder = test::ChildProcess::spawn(command({"--ttl", "4000", "--hold", "120000"}));
        QVERIFY(holder.readLine(10s));
        auto waiter = test::ChildProcess::spawn(
            command({"--ttl", "2000", "--wait", "90000", "--hold", "1000"}));
        QVERIFY2(!waiter.readLine(1500ms), "the waiter got a held lock");
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        const auto moved = topo.failover();
        const auto newMaster = topo.sentinelMaster();
        QVERIFY(newMaster && *newMaster != *oldMaster);
        std::string holderErr;
        stderrUntil(holder, "the lease survived the failover", 15s, holderErr);
        QVERIFY2(q(holderErr).contains("the lease survived the failover"), holderErr.c_str());

        // The holder holds it on the new master. Its lease on the old one (still a master until
        // the Sentinels demote it, ~10 s) runs out 4 s after its last renewal there: the waiter
        // must not take it there, nor anywhere, while the holder holds it.
        const auto early = waiter.readLine(8s);
        QVERIFY2(!early, ("the waiter acquired " + early.value_or("") +
                          " while the holder held "
                          "it on the new master " +
                          moved.to + "; waiter said: " + waiter.drainStderr())
                             .c_str());
        QVERIFY2(!waiter.wait(0ms), waiter.drainStderr().c_str());

        // The holder lets go (SIGTERM releases): the waiter gets it on the new master, within its
        // wait, and releases it there.
        holder.terminate();
        const auto holderCode = holder.wait(15s);
        QVERIFY(holderCode);
        const auto got = waiter.readLine(30s);
        QVERIFY2(got, waiter.drainStderr().c_str());
        const auto code = waiter.wait(30s);
        const std::string waiterErr = waiter.drainStderr();
        QVERIFY2(code && *code == 0, waiterErr.c_str());
        QVERIFY2(q(waiterErr).contains(q("on " + topo.address(*newMaster))), waiterErr.c_str());
    }

    // adv14d item 3: a LockScope fair / read-write holder with a long TTL reached the new master
    // only at its next renewal (TTL/3 = 20 s here); until then the new master's CLIENT LIST had
    // no connection of it and `locks` showed its lock as a Redisson client's (redisson-lock,
    // redisson-rwlock). It now asks the Sentinels every second between renewals and follows at
    // once, so its lock keeps LockScope's format.
    void holderFollowsAtOnceAndKeepsItsFormat_data() {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("fair") << "fair" << QStringList{};
        QTest::newRow("read-write") << "read-write" << QStringList{"--mode", "read"};
    }
    void holderFollowsAtOnceAndKeepsItsFormat() {
        QFETCH(QString, strategy);
        QFETCH(QStringList, extra);
        auto& topo = sentinelGroup();
        const std::string key = prefix + "format:" + strategy.toStdString();
        std::vector<std::string> argv = {
            test::cliPath(), "--url", topo.url(),   "lock",
            "acquire",       key,     "--strategy", strategy.toStdString()};
        for (const auto& e : extra) argv.push_back(e.toStdString());
        argv.insert(argv.end(), {"--ttl", "60000", "--hold", "120000"});
        auto holder = test::ChildProcess::spawn(argv);
        QVERIFY(holder.readLine(10s));
        auto format = [&] {
            auto l = test::runCli({"--url", topo.url(), "locks", "--match", key, "--json"});
            const auto all = QJsonDocument::fromJson(QByteArray::fromStdString(l.out)).array();
            return all.size() == 1 ? all[0].toObject().value("format").toString()
                                   : q("(" + l.out + l.err + ")");
        };
        const QString before = format();
        QVERIFY2(!before.startsWith("redisson") && !before.startsWith("("), qPrintable(before));
        // F14i: the monitor must not flip the format in the moment the holder takes to follow
        // (it showed LockScope's lock as Redisson's until the holder's connection reached the
        // new master's CLIENT LIST). Watched across the switch by `watch --json` (the engine the
        // dashboard uses) and by `locks --json` sampled all along, one look after another.
        auto watch = test::ChildProcess::spawn(
            {test::cliPath(), "--url", topo.url(), "watch", "--match", key, "--json"});
        std::vector<QString> watched;
        auto readWatch = [&](std::chrono::milliseconds for_) {
            const auto until = std::chrono::steady_clock::now() + for_;
            while (std::chrono::steady_clock::now() < until) {
                const auto line = watch.readLine(100ms);
                if (!line || line->rfind("{", 0) != 0) continue;  // "# ..." status lines
                const auto o = QJsonDocument::fromJson(QByteArray::fromStdString(*line)).object();
                if (o.contains("format")) watched.push_back(o.value("format").toString());
            }
        };
        for (int i = 0; i < 100 && watched.empty(); ++i) readWatch(100ms);
        QVERIFY2(!watched.empty() && watched.back() == before,
                 qPrintable(watched.empty() ? QString("watch printed nothing") : watched.back()));
        std::atomic<bool> sampling{true};
        std::mutex sampledMutex;
        std::vector<QString> sampled;  // "format", each with when it was asked
        std::vector<long long> sampledAt;
        const auto t0 = std::chrono::steady_clock::now();
        auto msSince = [&](std::chrono::steady_clock::time_point t) {
            return static_cast<long long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(t - t0).count());
        };
        std::thread sampler([&] {
            while (sampling) {
                const auto asked = std::chrono::steady_clock::now();
                const QString f = format();
                std::lock_guard<std::mutex> lock(sampledMutex);
                sampled.push_back(f);
                sampledAt.push_back(msSince(asked));
            }
        });
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        // The holder is paused over the switch, so that the moment before it follows lasts a few
        // seconds (a loaded machine, a holder that asks the Sentinels a second late) rather than
        // depending on who is faster; its connection to the old master stays open meanwhile.
        ::kill(holder.pid(), SIGSTOP);
        const long long failoverFrom = msSince(std::chrono::steady_clock::now());
        topo.failover();
        const long long failoverTo = msSince(std::chrono::steady_clock::now());
        readWatch(4s);
        ::kill(holder.pid(), SIGCONT);
        const long long resumedAt = msSince(std::chrono::steady_clock::now());
        // Well before its next renewal (20 s after the last one), the holder has followed and
        // the new master's CLIENT LIST names it.
        std::string holderErr;
        stderrUntil(holder, "the lease survived the failover", 10s, holderErr);
        const long long followedAt = msSince(std::chrono::steady_clock::now());
        readWatch(3s);
        sampling = false;
        sampler.join();
        watch.terminate();
        QVERIFY(watch.wait(15s));
        QVERIFY2(q(holderErr).contains("the lease survived the failover"), holderErr.c_str());
        // Every look before the switch and once the holder has followed: LockScope's format (a
        // look that failed while the master changed is in parentheses, and is no flip). Looks
        // from the switch until the holder said it followed (+ 500 ms) are not judged: the
        // Sentinels demote the old master a moment after the switch, which closes the paused
        // holder's connection there, and then nothing in Redis says its tag is LockScope's — a
        // one-shot `locks` cannot tell (a limit, docs/client-formats.md#orphans; it flipped once
        // in 4 runs, and failed CI). `watch` (below) remembers the tag and is judged throughout.
        // The old code still fails here: it flipped until the holder's next renewal, 20 s on.
        QStringList seen;
        int looks = 0, looksAfter = 0;
        for (size_t i = 0; i < sampled.size(); ++i) {
            const auto& f = sampled[i];
            if (f.startsWith("(")) continue;
            if (sampledAt[i] >= failoverFrom && sampledAt[i] < followedAt + 500) continue;
            ++looks;
            if (sampledAt[i] >= followedAt + 500) ++looksAfter;
            if (f != before) seen << f + " at " + QString::number(sampledAt[i]) + " ms";
        }
        QVERIFY2(looks >= 4 && looksAfter >= 2,
                 qPrintable(QString::number(looks) + " looks, " + QString::number(looksAfter) +
                            " after the holder followed"));
        QVERIFY2(
            seen.isEmpty(),
            qPrintable("locks --json said " + seen.join(", ") + " of a " + before +
                       " lock (failover from " + QString::number(failoverFrom) + " to " +
                       QString::number(failoverTo) + " ms, holder resumed at " +
                       QString::number(resumedAt) + " ms, followed at " +
                       QString::number(followedAt) + " ms); the holder said: " + q(holderErr)));
        QStringList watchSaw;
        for (const auto& f : watched)
            if (f != before) watchSaw << f;
        QVERIFY2(watchSaw.isEmpty(), qPrintable("watch --json said " + watchSaw.join(", ") +
                                                " of a " + before + " lock"));
        QCOMPARE(format(), before);
        holder.terminate();
        QVERIFY(holder.wait(15s));
    }

    // Issue 14 (F14i): a give-back by count just after a failover took a live holder's token —
    // the new master's CLIENT LIST had no connection of it yet (a plain permit's holder did not
    // follow the master at all: it stayed on the old one, and its release went there). Within
    // the orphan rule's grace after the switch the give-back is refused, nothing changed, and
    // says when to try again; the holder follows, and once the grace is over the give-back takes
    // only the dead holders' tokens: the live holder's release gives its permit back on the new
    // master.
    void giveBackRightAfterAFailoverSparesLiveHolders() {
        auto& topo = sentinelGroup();
        const std::string sem = prefix + "failover-give-back";
        auto acquire = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {test::cliPath(), "--url", topo.url(),   "lock",
                                             "acquire",       sem,     "--strategy", "semaphore",
                                             "--permits",     "3",     "--ttl",      "3000"};
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        for (int i = 0; i < 2; ++i) {  // two holders that died with their permits
            auto got = test::runProgram(acquire({}));
            QVERIFY2(got.exitCode == 0, got.err.c_str());
        }
        auto live = test::ChildProcess::spawn(acquire({"--hold", "120000"}));
        QVERIFY(live.readLine(10s));
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        // Paused over the switch: it cannot follow yet (its connection stays on the old master).
        ::kill(live.pid(), SIGSTOP);
        const auto moved = topo.failover();
        const auto newMaster = topo.sentinelMaster();
        QVERIFY(newMaster && *newMaster != *oldMaster);
        redis::Connection nm(topo.server(*newMaster).endpoint());
        const std::string meta = "lockscope_meta:{" + sem + "}";
        const long long recorded = nm.command({"HLEN", meta}).integer();
        auto giveBack = [&] {
            return test::runCli({"--url", topo.url(), "lock", "force-release", "--accept-guess",
                                 sem, "--holder", "taken:3/3", "--permits", "2", "--yes"});
        };
        auto early = giveBack();
        ::kill(live.pid(), SIGCONT);
        QVERIFY2(
            early.exitCode != 0 && q(early.out + early.err).contains("may still be reconnecting"),
            (early.out + early.err).c_str());
        QCOMPARE(nm.command({"GET", sem}).optString(), std::optional<std::string>("0"));
        QCOMPARE(nm.command({"HLEN", meta}).integer(), recorded);
        std::string liveErr;
        stderrUntil(live, "it survived the failover", 10s, liveErr);
        QVERIFY2(q(liveErr).contains("it survived the failover"), liveErr.c_str());

        // Once the grace is over (and the live holder is connected to the new master again),
        // the give-back goes through and takes the dead holders' tokens only.
        std::optional<test::CliResult> back;
        for (const auto until = std::chrono::steady_clock::now() + 60s;
             std::chrono::steady_clock::now() < until;) {
            back = giveBack();
            if (back->exitCode == 0 ||
                !q(back->out + back->err).contains("may still be reconnecting"))
                break;
            QTest::qSleep(1000);
        }
        QVERIFY2(back && back->exitCode == 0, (back->out + back->err).c_str());
        QVERIFY2(q(back->out).contains("2 holder(s) no longer connected"), back->out.c_str());
        QCOMPARE(nm.command({"GET", sem}).optString(), std::optional<std::string>("2"));
        // The live holder's release (SIGTERM) gives its permit back there.
        live.terminate();
        const auto code = live.wait(15s);
        liveErr += live.drainStderr();
        QVERIFY2(code && *code == 0, liveErr.c_str());
        QVERIFY2(q(liveErr).contains(q("on " + moved.to)) ||
                     q(liveErr).contains(q("on " + topo.address(*newMaster))),
                 liveErr.c_str());
        QCOMPARE(nm.command({"GET", sem}).optString(), std::optional<std::string>("3"));
    }

    // adv14d item 1, crash: the master is paused (SIGSTOP) while a waiter waits. The old code
    // exited 3 ("no reply") at the first attempt that timed out; the waiter must wait on through
    // the failover and get the lock on the new master once the holder lets go.
    void waiterWaitsThroughAPausedMaster() {
        auto& topo = sentinelGroup();
        const std::string key = prefix + "waiter:paused";
        auto command = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {test::cliPath(), "--url", topo.url(),   "lock",
                                             "acquire",       key,     "--strategy", "set-nx-px",
                                             "--ttl",         "15000"};
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        auto holder = test::ChildProcess::spawn(command({"--hold", "120000"}));
        QVERIFY(holder.readLine(10s));
        auto waiter = test::ChildProcess::spawn(command({"--wait", "90000", "--hold", "500"}));
        QVERIFY2(!waiter.readLine(1s), "the waiter got a held lock");
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        topo.pauseNode(*oldMaster);
        std::optional<size_t> newMaster;
        for (int i = 0; i < 300 && (!newMaster || *newMaster == *oldMaster); ++i) {
            QTest::qSleep(100);
            newMaster = topo.sentinelMaster();
        }
        QVERIFY(newMaster && *newMaster != *oldMaster);
        std::string holderErr;
        stderrUntil(holder, "the lease survived the failover", 20s, holderErr);
        const bool followed = q(holderErr).contains("the lease survived the failover");
        const auto early = waiter.readLine(1s);
        const auto waiterCode = waiter.wait(0ms);
        holder.terminate();
        holder.wait(15s);
        const auto got = waiter.readLine(30s);
        const auto code = waiter.wait(30s);
        const std::string waiterErr = waiter.drainStderr();
        topo.resumeNode(*oldMaster);
        QVERIFY2(followed, holderErr.c_str());
        QVERIFY2(!early, waiterErr.c_str());
        QVERIFY2(!waiterCode, ("the waiter gave up during the failover: " + waiterErr).c_str());
        QVERIFY2(got, waiterErr.c_str());
        QVERIFY2(code && *code == 0, waiterErr.c_str());
        QVERIFY2(q(waiterErr).contains(q("on " + topo.address(*newMaster))), waiterErr.c_str());
    }

    // adv14e item 1: a plain permit held with --hold on a Sentinel URL stayed on the old master.
    // Its release at the end went there: refused as a read-only replica (graceful failover, exit
    // 1), or taken by the old master before the Sentinels demoted it and lost with it (paused
    // master, "released … on <old master>", exit 0) — either way the permit leaked on the new
    // master. It follows the master now, says so, and gives the permit back there.
    void plainPermitHolderFollowsTheSentinelFailover_data() {
        QTest::addColumn<bool>("paused");
        QTest::newRow("graceful") << false;
        QTest::newRow("paused") << true;
    }
    void plainPermitHolderFollowsTheSentinelFailover() {
        QFETCH(bool, paused);
        auto& topo = sentinelGroup();
        const std::string key = prefix + "permit-follows:" + (paused ? "paused" : "graceful");
        auto holder = test::ChildProcess::spawn(
            {test::cliPath(), "--url", topo.url(), "lock", "acquire", key, "--strategy",
             "semaphore", "--permits", "1", "--ttl", "3000", "--hold", "120000"});
        const auto token = holder.readLine(10s);
        QVERIFY(token);
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        std::optional<size_t> newMaster;
        if (paused) {
            topo.pauseNode(*oldMaster);
            for (int i = 0; i < 300 && (!newMaster || *newMaster == *oldMaster); ++i) {
                QTest::qSleep(100);
                newMaster = topo.sentinelMaster();
            }
        } else {
            topo.failover();
            newMaster = topo.sentinelMaster();
        }
        QVERIFY(newMaster && *newMaster != *oldMaster);
        std::string holderErr;
        stderrUntil(holder, "it survived the failover", 20s, holderErr);
        // The old master back (paused row): a master until the Sentinels demote it, it would
        // take a release sent to it.
        if (paused) topo.resumeNode(*oldMaster);
        holder.terminate();
        const auto code = holder.wait(15s);
        holderErr += holder.drainStderr();
        // Given back on the master the Sentinels name: 1 of 1 free, its token gone.
        redis::Connection nm(topo.server(*newMaster).endpoint());
        QCOMPARE(q(nm.command({"GET", key}).optString().value_or("<gone>")), q("1"));
        QCOMPARE(
            nm.command({"HEXISTS", locks::lockscopeMetaKey(key), "permit:" + *token}).integer(),
            0LL);
        QVERIFY2(code && *code == 0, holderErr.c_str());
        QVERIFY2(q(holderErr).contains(q("released " + key + " on " + topo.address(*newMaster))),
                 holderErr.c_str());
        QVERIFY2(q(holderErr).contains("is recorded there: it survived the failover"),
                 holderErr.c_str());
    }

    // adv14e item 2: `latch await --wait` on a Sentinel URL stayed on the old master, missed the
    // latch opening on the new one and exited 3 ("the server closed the connection") when the
    // Sentinels demoted the old master. It follows the master and says "open" there.
    void latchAwaitFollowsTheSentinelFailover() {
        auto& topo = sentinelGroup();
        const std::string key = prefix + "latch-follows";
        auto cli = [&](std::vector<std::string> args) {
            std::vector<std::string> argv = {"--url", topo.url(), "latch"};
            argv.insert(argv.end(), args.begin(), args.end());
            return test::runCli(argv);
        };
        QCOMPARE(cli({"set", key, "--count", "2"}).exitCode, 0);
        auto awaiter = test::ChildProcess::spawn(
            {test::cliPath(), "--url", topo.url(), "latch", "await", key, "--wait", "90000"});
        QVERIFY2(!awaiter.readLine(1500ms), "open before anyone counted down");
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        topo.failover();
        const auto newMaster = topo.sentinelMaster();
        QVERIFY(newMaster && *newMaster != *oldMaster);
        // Counted down to zero on the new master (the Sentinel URL's master now).
        const auto first = cli({"count-down", key});
        QCOMPARE(q(first.out).trimmed(), q("1 to go"));
        QVERIFY2(!awaiter.readLine(500ms), "open with one count-down to go");
        const auto second = cli({"count-down", key});
        QCOMPARE(q(second.out).trimmed(), q("open"));
        const auto got = awaiter.readLine(30s);
        const auto code = awaiter.wait(10s);
        const std::string err = awaiter.drainStderr();
        QVERIFY2(got && *got == "open", err.c_str());
        QVERIFY2(code && *code == 0, err.c_str());
        QVERIFY2(q(err).contains(q("to " + topo.address(*newMaster) + "; waiting there")),
                 err.c_str());
    }

    // adv14e item 3: after a failover every fair waiter queued again under a new UUID at the
    // tail while its old entry (replicated) stayed at the head until it timed out: each waiter
    // counted twice, a release in that window handed the lock to a dead entry, and the second
    // waiter got the lock before the first. A waiter that follows keeps its identity, so its
    // entry there is its own place. read-write: one waiting writer showed as 2 writers waiting.
    void waitersKeepTheirPlaceThroughAFailover_data() {
        QTest::addColumn<QString>("strategy");
        QTest::addColumn<int>("waiters");
        QTest::newRow("fair") << "fair" << 2;
        QTest::newRow("read-write") << "read-write" << 1;
    }
    void waitersKeepTheirPlaceThroughAFailover() {
        QFETCH(QString, strategy);
        QFETCH(int, waiters);
        const bool fair = strategy == "fair";
        auto& topo = sentinelGroup();
        const std::string key = prefix + "place:" + strategy.toStdString();
        auto command = [&](std::vector<std::string> more) {
            std::vector<std::string> argv = {
                test::cliPath(),        "--url", topo.url(), "lock", "acquire", key, "--strategy",
                strategy.toStdString(), "--ttl", "15000"};
            if (!fair) argv.insert(argv.end(), {"--mode", "write"});
            argv.insert(argv.end(), more.begin(), more.end());
            return argv;
        };
        // The queue (fair) or the writers' claims (read-write) on `node`, in order.
        auto queue = [&](size_t node) {
            std::vector<std::string> out;
            try {
                redis::Connection c(topo.server(node).endpoint());
                const auto r =
                    fair ? c.command({"LRANGE", locks::fairQueueKey(key), "0", "-1"})
                         : c.command({"ZRANGE", locks::rwWritersWaitingKey(key), "0", "-1"});
                for (size_t i = 0; i < r.size(); ++i) out.emplace_back(r.at(i).str());
            } catch (const redis::Error&) {}
            return out;
        };
        auto holder = test::ChildProcess::spawn(command({"--hold", "120000"}));
        QVERIFY(holder.readLine(10s));
        const auto oldMaster = topo.sentinelMaster();
        QVERIFY(oldMaster);
        std::vector<test::ChildProcess> w;
        for (int i = 0; i < waiters; ++i) {
            w.push_back(test::ChildProcess::spawn(command({"--wait", "90000", "--hold", "3000"})));
            // In line before the next one comes.
            for (int t = 0; t < 100 && queue(*oldMaster).size() < size_t(i + 1); ++t)
                QTest::qSleep(50);
            QCOMPARE(int(queue(*oldMaster).size()), i + 1);
        }
        const auto before = queue(*oldMaster);
        QVERIFY(test::everyReplicaHasAll(topo, *oldMaster));
        topo.failover();
        const auto newMaster = topo.sentinelMaster();
        QVERIFY(newMaster && *newMaster != *oldMaster);
        std::vector<std::string> said(w.size());
        for (size_t i = 0; i < w.size(); ++i) {
            stderrUntil(w[i], "waiting there", 15s, said[i]);
            QVERIFY2(q(said[i]).contains("waiting there"), said[i].c_str());
        }
        // Each waiter once, in its place, for longer than a dead entry would last (the 5 s
        // waiter timeout): the old code showed every waiter twice here.
        size_t most = 0;
        std::vector<std::string> seen;
        for (const auto until = std::chrono::steady_clock::now() + 6s;
             std::chrono::steady_clock::now() < until;) {
            seen = queue(*newMaster);
            most = std::max(most, seen.size());
            QTest::qSleep(100);
        }
        std::string shown;
        for (const auto& e : seen) shown += e + " ";
        QVERIFY2(most == before.size(),
                 ("most entries seen: " + std::to_string(most) + "; now: " + shown).c_str());
        QVERIFY2(seen == before, shown.c_str());

        // The holder lets go: the first waiter gets it, then the second (3 s later: each holds
        // it 3 s, long against this thread's reading the first one's line).
        holder.terminate();
        QVERIFY(holder.wait(15s));
        const auto first = w[0].readLine(30s);
        QVERIFY2(first, w[0].drainStderr().c_str());
        if (w.size() > 1) {
            QVERIFY2(!w[1].readLine(0ms), "the second waiter got the lock before the first");
            QVERIFY2(w[1].readLine(30s), w[1].drainStderr().c_str());
        }
        for (auto& c : w) {
            const auto code = c.wait(30s);
            QVERIFY2(code && *code == 0, c.drainStderr().c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestLockWrites)
#include "test_lock_writes.moc"

// Looking never writes: everything lockscope-cli's read commands and the monitor engine send to a
// server, seen through the server's own MONITOR stream, is a read. A production server's data is
// changed only by the commands an operator confirms (force-release, extend, ...).
#include <QtTest>
#include <map>
#include <set>

#include "child_process.h"
#include "redis/connection.h"
#include "sandbox/redis_server.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// One MONITOR line: 1700000000.123456 [0 127.0.0.1:54321] "SCAN" "0" "COUNT" "1000"
struct Seen {
    std::string client;
    std::vector<std::string> args;
};

std::optional<Seen> parseMonitorLine(const std::string& line) {
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    if (open == std::string::npos || close == std::string::npos) return std::nullopt;
    Seen s;
    const auto space = line.find(' ', open);
    s.client = line.substr(space + 1, close - space - 1);
    for (size_t i = close; (i = line.find('"', i)) != std::string::npos;) {
        std::string arg;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] == '\\' && i + 1 < line.size()) ++i;
            arg += line[i];
        }
        s.args.push_back(arg);
        ++i;
    }
    if (s.args.empty()) return std::nullopt;
    return s;
}

// Commands that change nothing but are not flagged "readonly" by COMMAND INFO (connection
// set-up, server introspection, subscriptions), with the subcommands that are allowed.
bool allowedNonReadonly(const std::vector<std::string>& args) {
    static const std::set<std::string> plain = {
        "ping",        "info",         "select", "auth",    "hello", "subscribe", "psubscribe",
        "unsubscribe", "punsubscribe", "role",   "command", "echo",  "readonly",  "asking"};
    static const std::map<std::string, std::set<std::string>> sub = {
        {"client", {"setname", "getname", "list", "info", "id", "tracking"}},
        {"config", {"get"}},
        {"cluster", {"slots", "nodes", "shards", "info", "myid"}},
        {"object", {"idletime", "encoding", "freq", "refcount"}},
        {"memory", {"usage"}},
    };
    const std::string name = lower(args[0]);
    if (plain.count(name)) return true;
    auto it = sub.find(name);
    return it != sub.end() && args.size() > 1 && it->second.count(lower(args[1]));
}

}  // namespace

class TestReadOnly : public QObject {
    Q_OBJECT

    // Keys of many shapes, as a busy server holds them.
    static void fill(redis::Connection& c, const std::string& p) {
        c.command({"SET", p + "lock:a", "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef", "PX",
                   600000});
        c.command({"SET", p + "mylock", "1"});
        c.command({"SET", p + "lock:order:42", "1", "EX", 600});
        c.command({"SET", p + "visits", "41"});
        c.command({"HSET", p + "rlock", "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47", "1"});
        c.command({"PEXPIRE", p + "rlock", 600000});
        c.command(
            {"HSET", p + "rw", "mode", "read", "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:1", "1"});
        c.command({"HSET", p + "user:42", "name", "ann"});
        c.command({"RPUSH", p + "queue", "a"});
        c.command({"SET", p + "sg", std::to_string(4'000'000'000'000LL)});
    }

    // Runs `body` while a MONITOR connection records every command the server executes, and
    // returns the commands of clients other than `writer` (the test's own connection).
    template <typename Body>
    static std::vector<Seen> recordOthers(const sandbox::RedisServer& server,
                                          redis::Connection& writer, Body body) {
        const std::string info(writer.command({"CLIENT", "INFO"}).str());
        const auto addrAt = info.find("addr=");
        const std::string writerAddr = info.substr(addrAt + 5, info.find(' ', addrAt) - addrAt - 5);
        redis::Connection monitor(server.endpoint());
        monitor.send({"MONITOR"});
        monitor.receive();  // +OK
        body();
        std::vector<Seen> others;
        while (auto reply = monitor.receiveFor(300ms)) {
            auto seen = parseMonitorLine(std::string(reply->str()));
            if (seen && seen->client != writerAddr) others.push_back(*seen);
        }
        return others;
    }

    static void verifyReadsOnly(redis::Connection& c, const std::vector<Seen>& seen,
                                size_t atLeast) {
        QVERIFY2(seen.size() >= atLeast,
                 qPrintable(QString("only %1 commands seen").arg(seen.size())));
        std::map<std::string, bool> readonly;
        for (const auto& s : seen) {
            const std::string name = lower(s.args[0]);
            if (!readonly.count(name)) {
                auto info = c.command({"COMMAND", "INFO", name});
                bool ro = false;
                if (info.size() > 0 && info[0].size() > 2)
                    for (size_t i = 0; i < info[0][2].size(); ++i)
                        ro = ro || info[0][2][i].str() == "readonly";
                readonly[name] = ro;
            }
            QVERIFY2(
                readonly[name] || allowedNonReadonly(s.args),
                qPrintable(QString("a read command sent %1 %2")
                               .arg(QString::fromStdString(s.args[0]),
                                    QString::fromStdString(s.args.size() > 1 ? s.args[1] : ""))));
        }
    }

private slots:
    void readCommandsSendNoWrite() {
        sandbox::RedisServer server;
        redis::Connection c(server.endpoint());
        const std::string p = test::keyPrefix("ro");
        fill(c, p);
        const std::string url = "redis://127.0.0.1:" + std::to_string(server.port());
        auto seen = recordOthers(server, c, [&] {
            for (auto cmd : {"locks", "counters"}) {
                auto r = test::runCli({"--url", url, cmd, "--json"});
                QCOMPARE(r.exitCode, 0);
            }
            auto r = test::runCli(
                {"--url", url, "lock", "inspect", p + "lock:a", "--strategy", "set-nx-px"});
            QVERIFY2(r.exitCode == 0, r.err.c_str());
            // Issue 11: explaining a key reads it as the monitor does, and nothing else.
            for (const char* key : {"lock:a", "mylock", "rlock", "rw", "user:42", "queue", "sg"}) {
                auto ik = test::runCli({"--url", url, "inspect-key", p + key, "--json"});
                QVERIFY2(ik.exitCode == 0, ik.err.c_str());
            }
        });
        verifyReadsOnly(c, seen, 5);
    }

    // The engine behind watch and the dashboard, with notifications off (polling) and on, while
    // another client changes keys under it.
    void watchSendsNoWrite_data() {
        QTest::addColumn<bool>("notifications");
        QTest::newRow("notifications off") << false;
        QTest::newRow("notifications on") << true;
    }
    void watchSendsNoWrite() {
        QFETCH(bool, notifications);
        sandbox::RedisServer server;
        redis::Connection c(server.endpoint());
        c.command({"CONFIG", "SET", "notify-keyspace-events", notifications ? "KEA" : ""});
        const std::string p = test::keyPrefix("ro");
        fill(c, p);
        const std::string url = "redis://127.0.0.1:" + std::to_string(server.port());
        auto seen = recordOthers(server, c, [&] {
            auto watch =
                test::ChildProcess::spawn({test::cliPath(), "--url", url, "watch", "--json"});
            QVERIFY(watch.readLine(10s).has_value());  // the inventory has begun
            for (int i = 0; i < 20; ++i) {
                c.command({"INCR", p + "visits"});
                c.command({"SET", p + "lock:b:" + std::to_string(i), "worker-3", "PX", 400});
                QTest::qWait(100);
            }
            watch.terminate();
            QVERIFY(watch.wait(10s).has_value());
        });
        verifyReadsOnly(c, seen, 10);
    }
};

QTEST_GUILESS_MAIN(TestReadOnly)
#include "test_read_only.moc"

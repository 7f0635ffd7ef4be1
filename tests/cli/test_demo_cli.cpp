// `lockscope-cli demo counter|lock` as scripts use it: the JSON contract of docs/cli-contract.md,
// --help naming every strategy, bad input (exit 2 or 3 with one line, nothing started, nothing
// written), and Ctrl-C: workers stopped, keys removed.
#include <dirent.h>
#include <signal.h>

#include <QtTest>
#include <fstream>
#include <thread>

#include "counters/counter_strategy.h"
#include "demo/faults.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using test::runCli;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

int lineCount(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

// Live processes whose command line contains every one of `parts`.
std::vector<pid_t> processesWith(const std::vector<std::string>& parts) {
    std::vector<pid_t> found;
    DIR* d = ::opendir("/proc");
    if (!d) return found;
    while (auto* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream in(std::string("/proc/") + e->d_name + "/cmdline");
        std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (char& c : cmd)
            if (c == '\0') c = ' ';
        bool all = !cmd.empty();
        for (const auto& p : parts) all = all && cmd.find(p) != std::string::npos;
        if (all) found.push_back(static_cast<pid_t>(std::stol(e->d_name)));
    }
    ::closedir(d);
    return found;
}

}  // namespace

class TestDemoCli : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string url;

    long long dbsize() {
        return redis::Connection(server->endpoint()).command({"DBSIZE"}).integer();
    }
    std::vector<pid_t> workersOnOurServer() {
        return processesWith({" worker lock ", "127.0.0.1:" + std::to_string(server->port())});
    }

private slots:
    void initTestCase() {
        QVERIFY(!test::cliPath().empty());
        server = std::make_unique<sandbox::RedisServer>();
        url = server->url();
    }
    void cleanup() { QCOMPARE(dbsize(), 0LL); }  // every demo removes what it wrote

    void helpExplainsEveryStrategyAndFault() {
        auto r = runCli({"--help"});
        QCOMPARE(r.exitCode, 0);
        for (const auto& s : counters::counterStrategies()) {
            const std::string line = "  " + std::string(s.id) + std::string(14 - s.id.size(), ' ') +
                                     std::string(s.summary);
            QVERIFY2(r.out.find(line + "\n") != std::string::npos, line.c_str());
        }
        for (const auto& f : demo::faults())
            if (f.fault != demo::Fault::None)
                QVERIFY2(r.out.find("  " + std::string(f.name)) != std::string::npos,
                         std::string(f.name).c_str());
        QVERIFY(r.out.find("demo counter --strategy S[,S...]") != std::string::npos);
        QVERIFY(r.out.find("demo lock --strategy S") != std::string::npos);
        QVERIFY(r.out.find("Internal: the worker process") != std::string::npos);
    }

    void counterJsonContract() {
        auto r = runCli({"--url", url, "demo", "counter", "--strategy", "naive,incr,capped",
                         "--workers", "8", "--ops", "200", "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.empty(), r.err.c_str());  // no progress bar without a terminal
        auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out));
        QVERIFY2(doc.isArray(), r.out.c_str());
        const auto rows = doc.array();
        QCOMPARE(rows.size(), 4);
        QStringList labels;
        for (const auto& v : rows) {
            const auto o = v.toObject();
            for (const char* k : {"strategy", "expected", "actual", "lost_updates", "retries",
                                  "ops_per_s", "p50_us", "p99_us", "explanation"})
                QVERIFY2(o.contains(k), k);
            labels << o["label"].toString();
        }
        QCOMPARE(labels, (QStringList{"naive", "incr", "capped:naive", "capped:atomic"}));
        const auto naive = rows[0].toObject();
        QCOMPARE(naive["strategy"].toString(), QString("naive"));
        QCOMPARE(naive["expected"].toInt(), 1600);
        QVERIFY(naive["actual"].toInt() < 1600);
        QCOMPARE(naive["lost_updates"].toInt(), 1600 - naive["actual"].toInt());
        const auto incr = rows[1].toObject();
        QCOMPARE(incr["actual"].toInt(), 1600);
        QCOMPARE(incr["lost_updates"].toInt(), 0);
        QVERIFY(incr["ops_per_s"].toDouble() > 0);
        QVERIFY(incr["p99_us"].toDouble() >= incr["p50_us"].toDouble());
        QCOMPARE(rows[2].toObject()["strategy"].toString(), QString("capped"));
        QCOMPARE(rows[3].toObject()["variant"].toString(), QString("atomic"));
        QCOMPARE(rows[3].toObject()["max_per_user"].toInt(), 5);
    }

    void counterTable() {
        auto r = runCli({"--url", url, "demo", "counter", "--strategy", "watch", "--workers", "4",
                         "--ops", "100"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(q(r.out).contains("expected"));
        QVERIFY(q(r.out).contains(QRegularExpression("\\nwatch +400 +400 +0 ")));
        QVERIFY(q(r.out).contains("retried"));
    }

    void lockJsonContract() {
        auto r = runCli({"--url", url, "demo", "lock", "--strategy", "fenced", "--workers", "3",
                         "--ops", "20", "--fault", "pause-holder", "--ttl", "300", "--json"});
        QCOMPARE(r.exitCode, 0);
        auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.out));
        QVERIFY2(doc.isObject(), r.out.c_str());
        const auto o = doc.object();
        for (const char* k : {"strategy", "acquisitions", "violations", "stale_writes_rejected",
                              "lost_updates", "ops_per_s", "explanation", "events", "as_expected"})
            QVERIFY2(o.contains(k), k);
        QCOMPARE(o["strategy"].toString(), QString("fenced"));
        QCOMPARE(o["fault"].toString(), QString("pause-holder"));
        QVERIFY(o["violations"].toInt() >= 1);
        QVERIFY(o["stale_writes_rejected"].toInt() >= 1);
        QCOMPARE(o["lost_updates"].toInt(), 0);
        QVERIFY(o["as_expected"].toBool());
        QVERIFY(o["events"].toArray().size() >= 2);
        QVERIFY(workersOnOurServer().empty());
    }

    void lockSandboxRedlock() {
        auto r = runCli({"--sandbox", "demo", "lock", "--strategy", "redlock", "--workers", "3",
                         "--ops", "20", "--fault", "node-down", "--down-for", "800"},
                        60000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(q(r.out).contains("as documented: a majority of nodes still answered"),
                 r.out.c_str());
        QVERIFY(q(r.out).contains("stopped 1 of 3 nodes"));
    }

    void badInputExitsWithOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        const QStringList counter = {"demo", "counter", "--workers", "2", "--ops", "10"};
        const QStringList lock = {"demo", "lock", "--workers", "2", "--ops", "10"};
        QTest::newRow("unknown counter strategy")
            << (counter + QStringList{"--strategy", "nope"}) << 2 << "known: naive";
        QTest::newRow("unknown lock in locked")
            << (counter + QStringList{"--strategy", "locked:nope"}) << 2 << "known: setnx-expire";
        QTest::newRow("unknown lock strategy")
            << (lock + QStringList{"--strategy", "nope"}) << 2 << "known: setnx-expire";
        QTest::newRow("zero workers")
            << QStringList{"demo", "counter", "--strategy", "incr", "--workers", "0"} << 2
            << "at least 1";
        QTest::newRow("negative workers")
            << QStringList{"demo", "counter", "--strategy", "incr", "--workers", "-4"} << 2
            << "at least 1";
        QTest::newRow("zero ops") << QStringList{"demo",      "lock",  "--strategy",
                                                 "set-nx-px", "--ops", "0"}
                                  << 2 << "at least 1";
        QTest::newRow("negative ops")
            << QStringList{"demo", "counter", "--strategy", "incr", "--ops=-1"} << 2
            << "at least 1";
        QTest::newRow("ops not a number")
            << QStringList{"demo", "counter", "--strategy", "incr", "--ops", "many"} << 2
            << "whole number";
        QTest::newRow("too many processes")
            << (QStringList{"demo", "lock", "--strategy", "set-nx-px", "--workers", "65"}) << 2
            << "at most 64";
        QTest::newRow("no strategy") << QStringList{"demo", "counter"} << 2 << "needs --strategy";
        QTest::newRow("no subcommand") << QStringList{"demo"} << 2 << "counter or lock";
        QTest::newRow("unknown fault")
            << (lock + QStringList{"--strategy", "set-nx-px", "--fault", "meteor"}) << 2
            << "known: pause-holder";
        QTest::newRow("node fault without sandbox")
            << (lock + QStringList{"--strategy", "redlock", "--fault", "node-down"}) << 2
            << "add --sandbox";
        QTest::newRow("node fault on one server")
            << (lock +
                QStringList{"--strategy", "set-nx-px", "--fault", "node-restart", "--sandbox"})
            << 2 << "use --strategy redlock";
        QTest::newRow("pause with one worker")
            << QStringList{"demo",      "lock", "--strategy", "set-nx-px",
                           "--workers", "1",    "--fault",    "pause-holder"}
            << 2 << "at least 2 workers";
        QTest::newRow("worker by hand") << QStringList{"worker", "count"} << 2 << "internal";
    }
    void badInputExitsWithOneLine() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        std::vector<std::string> a = {"--url", url};
        for (const auto& s : args) a.push_back(s.toStdString());
        if (args.contains("--sandbox")) a.erase(a.begin(), a.begin() + 2);
        auto r = runCli(a);
        QCOMPARE(r.exitCode, code);
        QCOMPARE(lineCount(r.err), 1);
        QVERIFY2(q(r.err).contains(mentions), r.err.c_str());
        QVERIFY(r.out.empty());
        QVERIFY(workersOnOurServer().empty());
    }

    void unreachableRedisExitsThree_data() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("counter") << "counter";
        QTest::newRow("lock") << "lock";
    }
    void unreachableRedisExitsThree() {
        QFETCH(QString, kind);
        const int closed = sandbox::pickFreePort(20000, 45000, false);
        auto r = runCli({"--url", "redis://127.0.0.1:" + std::to_string(closed), "demo",
                         kind.toStdString(), "--strategy", kind == "lock" ? "set-nx-px" : "incr",
                         "--workers", "2", "--ops", "10"});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(lineCount(r.err), 1);
        QVERIFY2(q(r.err).contains("refused"), r.err.c_str());
        QVERIFY(processesWith({" worker lock ", "127.0.0.1:" + std::to_string(closed)}).empty());
    }

    // Ctrl-C: the CLI stops its worker processes (by pid), deletes the demo's keys and says so.
    void ctrlCStopsWorkersAndRemovesKeys_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("processes");
        QTest::newRow("lock demo")
            << QStringList{"lock", "--strategy", "set-nx-px", "--workers", "4", "--ops", "100000"}
            << true;
        QTest::newRow("lock demo, holder paused")
            << QStringList{"lock",   "--strategy", "fenced",       "--workers", "3",    "--ops",
                           "100000", "--fault",    "pause-holder", "--pause",   "60000"}
            << true;
        QTest::newRow("counter demo")
            << QStringList{"counter", "--strategy", "naive,watch", "--workers",
                           "4",       "--ops",      "100000000"}
            << false;
    }
    void ctrlCStopsWorkersAndRemovesKeys() {
        QFETCH(QStringList, args);
        QFETCH(bool, processes);
        std::vector<std::string> argv = {test::cliPath(), "--url", url, "demo"};
        for (const auto& a : args) argv.push_back(a.toStdString());
        auto child = test::ChildProcess::spawn(argv);
        // Wait until it is really at work: its keys exist (and, for lock demos, its workers).
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline &&
               (dbsize() == 0 || (processes && workersOnOurServer().size() < 3)))
            std::this_thread::sleep_for(20ms);
        QVERIFY(dbsize() > 0);
        if (processes) QVERIFY(workersOnOurServer().size() >= 3);
        std::this_thread::sleep_for(300ms);  // (the paused-holder row: let the pause begin)
        ::kill(child.pid(), SIGINT);
        auto code = child.wait(15s);
        const std::string err = child.drainStderr();
        QVERIFY2(code, "did not stop on Ctrl-C");
        QCOMPARE(*code, 1);
        QVERIFY2(q(err).contains("demo interrupted"), err.c_str());
        QCOMPARE(lineCount(err), 1);
        QVERIFY(workersOnOurServer().empty());
        QCOMPARE(dbsize(), 0LL);
    }
};

QTEST_APPLESS_MAIN(TestDemoCli)
#include "test_demo_cli.moc"

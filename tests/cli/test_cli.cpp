// lockscope-cli as scripts use it: the real binary, run as a child process, against a real
// redis-server. Exit codes 0/1/2/3, one-line errors, tokens that `lock release` accepts.
#include <signal.h>

#include <QtTest>
#include <regex>

#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using test::runCli;

namespace {

int lineCount(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string url;
    std::string prefix;

private slots:
    void initTestCase() {
        QVERIFY(!test::cliPath().empty());
        server = std::make_unique<sandbox::RedisServer>();
        url = server->url();
        prefix = test::keyPrefix("cli");
    }

    void helpAndVersion() {
        auto r = runCli({"--help"});
        QCOMPARE(r.exitCode, 0);
        for (const auto& s : locks::lockStrategies())
            QVERIFY2(r.out.find(std::string(s.id)) != std::string::npos, std::string(s.id).c_str());
        QVERIFY(r.out.find("Exit codes") != std::string::npos);
        auto v = runCli({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(q(v.out).startsWith("lockscope-cli "));
    }

    void usageErrorsExitTwoWithOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown command")
            << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
        QTest::newRow("unknown option") << QStringList{"lock",      "acquire", "k",   "--strategy",
                                                       "set-nx-px", "--ttl",   "100", "--colour"}
                                        << "--colour";
        QTest::newRow("unknown strategy")
            << QStringList{"lock", "acquire", "k", "--strategy", "nope", "--ttl", "100"}
            << "known: setnx-expire";
        QTest::newRow("missing ttl")
            << QStringList{"lock", "acquire", "k", "--strategy", "set-nx-px"} << "--ttl";
        QTest::newRow("zero ttl") << QStringList{"lock",      "acquire", "k", "--strategy",
                                                 "set-nx-px", "--ttl",   "0"}
                                  << "at least 1";
        QTest::newRow("negative ttl")
            << QStringList{"lock", "acquire", "k", "--strategy", "set-nx-px", "--ttl=-5"}
            << "at least 1";
        QTest::newRow("ttl not a number")
            << QStringList{"lock", "acquire", "k", "--strategy", "set-nx-px", "--ttl", "10s"}
            << "whole number";
        QTest::newRow("two keys") << QStringList{"lock",       "acquire",   "a",     "b",
                                                 "--strategy", "set-nx-px", "--ttl", "10"}
                                  << "exactly one KEY";
        QTest::newRow("no subcommand") << QStringList{"lock"} << "subcommand";
        QTest::newRow("malformed url")
            << QStringList{"--url", "redis://h:port", "lock",     "inspect",
                           "k",     "--strategy",     "set-nx-px"}
            << "invalid URL";
        QTest::newRow("url and nodes")
            << QStringList{"--url",   "redis://h:1", "--nodes", "h:2", "lock",
                           "release", "k",           "--token", "t"}
            << "not both";
        QTest::newRow("nodes for single-server strategy")
            << QStringList{"--nodes",   "127.0.0.1:1,127.0.0.1:2",
                           "lock",      "acquire",
                           "k",         "--strategy",
                           "set-nx-px", "--ttl",
                           "10"}
            << "--nodes is for redlock";
    }
    void usageErrorsExitTwoWithOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        std::vector<std::string> a;
        for (const auto& s : args) a.push_back(s.toStdString());
        auto r = runCli(a);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(lineCount(r.err), 1);
        QVERIFY2(q(r.err).contains(mentions), r.err.c_str());
        QVERIFY(r.out.empty());
    }

    void connectionErrorsExitThree() {
        int closed = sandbox::pickFreePort(20000, 45000, false);
        auto r = runCli({"--url", "redis://127.0.0.1:" + std::to_string(closed), "lock", "inspect",
                         "k", "--strategy", "set-nx-px"});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(lineCount(r.err), 1);
        QVERIFY2(q(r.err).contains("refused"), r.err.c_str());

        sandbox::RedisServerOptions o;
        o.password = "right";
        sandbox::RedisServer locked(o);
        auto wrong = runCli({"--url", "redis://:wrong@127.0.0.1:" + std::to_string(locked.port()),
                             "lock", "inspect", "k", "--strategy", "set-nx-px"});
        QCOMPARE(wrong.exitCode, 3);
        QVERIFY2(q(wrong.err).contains("authentication"), wrong.err.c_str());
        QVERIFY(!q(wrong.err).contains("wrong@"));  // never echo the password
    }

    void pausedServerTimesOutAtTheGivenTimeout() {
        sandbox::RedisServer paused;
        paused.pause();
        auto t0 = std::chrono::steady_clock::now();
        auto r = runCli({"--url", paused.url(), "--timeout", "300", "lock", "acquire", "k",
                         "--strategy", "set-nx-px", "--ttl", "1000"});
        auto took = std::chrono::steady_clock::now() - t0;
        paused.resume();
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(q(r.err).contains("300 ms"), r.err.c_str());
        QVERIFY(took < 3s);
    }

    void acquireReleaseExtendRoundTrip() {
        const std::string key = prefix + "roundtrip";
        auto a = runCli(
            {"--url", url, "lock", "acquire", key, "--strategy", "set-nx-px", "--ttl", "20000"});
        QCOMPARE(a.exitCode, 0);
        const std::string token = a.out.substr(0, a.out.find('\n'));
        QVERIFY2(locks::parseToken(token), token.c_str());

        auto busy = runCli(
            {"--url", url, "lock", "acquire", key, "--strategy", "set-nx-px", "--ttl", "1000"});
        QCOMPARE(busy.exitCode, 1);
        QVERIFY2(q(busy.err).contains(q(token)), busy.err.c_str());  // says who holds it

        auto wrong = runCli({"--url", url, "lock", "release", key, "--token", "not-the-token"});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(q(wrong.err).contains("held by " + q(token)), wrong.err.c_str());

        auto ext =
            runCli({"--url", url, "lock", "extend", key, "--token", token, "--ttl", "60000"});
        QCOMPARE(ext.exitCode, 0);
        redis::Connection c(server->endpoint());
        QVERIFY(c.command({"PTTL", key}).integer() > 50000);

        auto rel = runCli({"--url", url, "lock", "release", key, "--token", token});
        QCOMPARE(rel.exitCode, 0);
        QVERIFY(!c.command({"GET", key}).optString());
        auto again = runCli({"--url", url, "lock", "release", key, "--token", token});
        QCOMPARE(again.exitCode, 1);
        QVERIFY(q(again.err).contains("nobody holds it"));
    }

    void acquireJson() {
        const std::string key = prefix + "json";
        auto a = runCli({"--url", url, "lock", "acquire", key, "--strategy", "fenced", "--ttl",
                         "5000", "--json"});
        QCOMPARE(a.exitCode, 0);
        auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(a.out));
        QVERIFY2(doc.isObject(), a.out.c_str());
        auto o = doc.object();
        QCOMPARE(o["key"].toString(), q(key));
        QCOMPARE(o["strategy"].toString(), QString("fenced"));
        QVERIFY(o["fence"].toInt() >= 1);
        QCOMPARE(o["ttl_ms"].toInt(), 5000);
        auto ins = runCli({"--url", url, "lock", "inspect", key, "--strategy", "fenced", "--json"});
        QCOMPARE(ins.exitCode, 0);
        auto io = QJsonDocument::fromJson(QByteArray::fromStdString(ins.out)).object();
        QCOMPARE(io["holder"].toString(), o["token"].toString());
        QVERIFY(io["ttl_ms"].toInt() > 0);
    }

    void holdRenewsAndReleasesOnSigterm() {
        const std::string key = prefix + "hold";
        auto child = test::ChildProcess::spawn({test::cliPath(), "--url", url, "lock", "acquire",
                                                key, "--strategy", "set-nx-px", "--ttl", "300",
                                                "--hold", "60000"});
        auto token = child.readLine(5000ms);
        QVERIFY(token);
        redis::Connection c(server->endpoint());
        QTest::qSleep(900);  // three TTLs: only renewal keeps it
        QCOMPARE(q(c.command({"GET", key}).optString().value_or("")), q(*token));
        child.terminate();
        QCOMPARE(child.wait(5000ms).value_or(-1), 0);
        QVERIFY(!c.command({"GET", key}).optString());  // released on the way out
    }

    void sandboxTourStopsItsServers() {
        auto r = runCli({"--sandbox", "tour"}, 60000);
        QCOMPARE(r.exitCode, 0);
        for (const auto& s : locks::lockStrategies())
            QVERIFY2(r.out.find("lockscope:tour:" + std::string(s.id)) != std::string::npos,
                     r.out.c_str());
        QVERIFY2(r.out.find("error") == std::string::npos, r.out.c_str());
        // The sandbox said where it ran; nothing listens there any more.
        std::smatch m;
        QVERIFY2(std::regex_search(r.err, m, std::regex("127\\.0\\.0\\.1:(\\d+)")), r.err.c_str());
        int port = std::stoi(m[1]);
        QVERIFY_THROWS_EXCEPTION(
            redis::Error, redis::Connection(redis::Endpoint::tcpEndpoint("127.0.0.1", port)));
    }
};

QTEST_APPLESS_MAIN(TestCli)
#include "test_cli.moc"

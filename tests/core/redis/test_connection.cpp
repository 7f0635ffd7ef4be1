// redis::Connection against a real redis-server: commands, binary safety, pipelining, scripts,
// AUTH with ACL users, SELECT, unix sockets and client names.
#include <QtTest>

#include "redis/connection.h"
#include "redis/error.h"
#include "redis/sha1.h"
#include "test_support.h"

using namespace lockscope;
using namespace std::chrono_literals;
using redis::Connection;
using redis::Error;
using redis::ErrorKind;

class TestConnection : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

private slots:
    void initTestCase() {
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("connection");
    }
    void cleanupTestCase() { server.reset(); }

    void basicCommands() {
        Connection c(server->endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
        std::string key = prefix + "basic";
        QVERIFY(c.command({"SET", key, "v1"}).isStatus());
        QCOMPARE(QString::fromStdString(*c.command({"GET", key}).optString()), QString("v1"));
        QVERIFY(!c.command({"GET", key + ":missing"}).optString());
        QCOMPARE(c.command({"INCRBY", key + ":n", 41}).integer(), 41LL);
        QCOMPARE(c.command({"GET", key + ":n"}).asInteger(), 41LL);
        QVERIFY(c.command({"PEXPIRE", key, 5000ms}).integer() == 1);
        auto pttl = c.command({"PTTL", key}).integer();
        QVERIFY2(pttl > 4000 && pttl <= 5000, qPrintable(QString::number(pttl)));
    }

    void binarySafeKeysAndValues() {
        Connection c(server->endpoint());
        std::string key = prefix + std::string("bin\0\xff\n key", 10);
        std::string value("\0\x01\x02\xfe\xff\r\n$3\r\n", 11);
        c.command({"SET", key, value});
        auto got = c.command({"GET", key}).optString();
        QVERIFY(got);
        QCOMPARE(got->size(), value.size());
        QVERIFY(*got == value);
        // Large value: 4 MiB round trip.
        std::string big(4 << 20, 'z');
        big[12345] = '\0';
        c.command({"SET", key + "big", big});
        QVERIFY(*c.command({"GET", key + "big"}).optString() == big);
    }

    void errorRepliesAreThrownWithKind() {
        Connection c(server->endpoint());
        std::string key = prefix + "hash";
        c.command({"HSET", key, "f", "v"});
        try {
            c.command({"GET", key});
            QFAIL("GET of a hash did not throw");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::WrongType);
            QVERIFY(!e.breaksConnection());
        }
        try {
            c.command({"NOSUCHCOMMAND", "x"});
            QFAIL("unknown command did not throw");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::UnknownCommand);
        }
        // raw() hands the error over as a value, and the connection stays usable.
        auto reply = c.raw({"GET", key});
        QVERIFY(reply.isError());
        QVERIFY(QString::fromStdString(std::string(reply.errorMessage())).startsWith("WRONGTYPE"));
        QVERIFY_THROWS_EXCEPTION(Error, reply.str());  // reading data out of an error throws
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    void pipelineKeepsOrderAndErrors() {
        Connection c(server->endpoint());
        std::string key = prefix + "pipe";
        auto p = c.pipeline();
        for (int i = 0; i < 1000; ++i) p.add({"RPUSH", key, i});
        p.add({"HGET", key, "x"});  // WRONGTYPE in the middle
        p.add({"LLEN", key});
        auto replies = p.exec();
        QCOMPARE(replies.size(), size_t(1002));
        QCOMPARE(replies[999].integer(), 1000LL);
        QVERIFY(replies[1000].isError());
        QCOMPARE(replies[1001].integer(), 1000LL);
    }

    void scriptsUseEvalshaWithNoscriptFallback() {
        Connection c(server->endpoint());
        redis::Script script("return {KEYS[1], ARGV[1], 'lockscope-test-script'}");
        // Our SHA-1 is the server's name for the script.
        auto loaded = c.command({"SCRIPT", "LOAD", script.source()});
        QCOMPARE(QString::fromStdString(std::string(loaded.str())),
                 QString::fromStdString(script.sha1()));
        c.command({"SCRIPT", "FLUSH"});
        // The server no longer knows it: eval() must fall back to EVAL and succeed.
        auto r = c.eval(script, {"k"}, {"a"});
        QCOMPARE(r.size(), size_t(3));
        QCOMPARE(QString::fromStdString(std::string(r[0].str())), QString("k"));
        // Now it is loaded: a plain EVALSHA works from another connection.
        Connection other(server->endpoint());
        QVERIFY(!other.raw({"EVALSHA", script.sha1(), 1, "k", "a"}).isError());

        // Pipelined and fanned-out EVALSHA load the script first on a fresh connection.
        c.command({"SCRIPT", "FLUSH"});
        Connection fresh(server->endpoint());
        auto p = fresh.pipeline();
        p.eval(script, std::initializer_list<redis::Arg>{"k1"},
               std::initializer_list<redis::Arg>{"x"});
        p.add({"PING"});
        auto replies = p.exec();
        QCOMPARE(replies.size(), size_t(2));
        QCOMPARE(QString::fromStdString(std::string(replies[0][0].str())), QString("k1"));
        c.command({"SCRIPT", "FLUSH"});
        Connection fanout(server->endpoint());
        fanout.sendEval(script, {"k2"}, {"y"});
        auto fr = fanout.receive();
        QVERIFY2(!fr.isError(), qPrintable(QString::fromStdString(fr.describe())));
        QCOMPARE(QString::fromStdString(std::string(fr[0].str())), QString("k2"));
        // A script error is thrown as a server error.
        redis::Script bad("return redis.call('GET')");
        QVERIFY_THROWS_EXCEPTION(Error, c.eval(bad, {}, {}));
    }

    void pipelineRecoversAfterScriptFlush() {
        Connection c(server->endpoint());
        redis::Script script("return 'pipelined-" + prefix + "'");
        auto once = [&] {
            auto p = c.pipeline();
            p.eval(script, redis::Args{}, redis::Args{});
            return std::move(p.exec().at(0));
        };
        QVERIFY(!once().isError());
        Connection(server->endpoint()).command({"SCRIPT", "FLUSH"});
        // The flush is only discovered by the NOSCRIPT reply …
        auto flushed = once();
        QVERIFY(flushed.isError());
        QCOMPARE(redis::classifyServerError(flushed.errorMessage()), ErrorKind::NoScript);
        // … after which the connection loads the script again by itself.
        QVERIFY(!once().isError());
    }

    void sendReceiveFansOut() {
        Connection a(server->endpoint()), b(server->endpoint());
        a.send({"SET", prefix + "fa", "1"});
        b.send({"SET", prefix + "fb", "2"});
        QVERIFY(a.receive().isStatus());
        QVERIFY(b.receive().isStatus());
        // A command while replies are pending is a caller bug, reported without desync.
        a.send({"PING"});
        QVERIFY_THROWS_EXCEPTION(Error, a.command({"PING"}));
        QCOMPARE(QString::fromStdString(std::string(a.receive().str())), QString("PONG"));
    }

    void receiveForTimesOutWithoutBreaking() {
        Connection sub(server->endpoint());
        sub.send({"SUBSCRIBE", prefix + "chan"});
        QCOMPARE(sub.receive().size(), size_t(3));
        auto t0 = std::chrono::steady_clock::now();
        QVERIFY(!sub.receiveFor(100ms));
        QVERIFY(std::chrono::steady_clock::now() - t0 >= 95ms);
        QVERIFY(!sub.broken());
        Connection pub(server->endpoint());
        pub.command({"PUBLISH", prefix + "chan", "hello"});
        auto msg = sub.receiveFor(2000ms);
        QVERIFY(msg);
        QCOMPARE(QString::fromStdString(std::string((*msg)[2].str())), QString("hello"));
    }

    void selectDatabase() {
        auto ep = server->endpoint();
        ep.db = 3;
        Connection c3(ep);
        c3.command({"SET", prefix + "db", "three"});
        Connection c0(server->endpoint());
        QVERIFY(!c0.command({"GET", prefix + "db"}).optString());
        c0.command({"SELECT", 3});
        QCOMPARE(QString::fromStdString(*c0.command({"GET", prefix + "db"}).optString()),
                 QString("three"));
    }

    void unixSocket() {
        auto url = redis::parseUrl("unix://" + server->unixSocketPath().string());
        Connection c(url.endpoint());
        QCOMPARE(QString::fromStdString(std::string(c.command({"PING"}).str())), QString("PONG"));
    }

    void aclUserAndClientName() {
        Connection admin(server->endpoint());
        admin.command({"ACL", "SETUSER", "alice", "on", ">wonderland", "~*", "+@all", "-client"});
        auto ep = server->endpoint();
        ep.user = "alice";
        ep.password = "wonderland";
        redis::ConnectOptions named;
        named.clientName = "lockscope:test:1:abcdef01";
        // alice may not use CLIENT: she still connects, just unnamed.
        Connection alice(ep, named);
        QVERIFY(!alice.nameSet());
        QCOMPARE(QString::fromStdString(std::string(alice.command({"PING"}).str())),
                 QString("PONG"));
        // The default user gets its name.
        Connection bob(server->endpoint(), named);
        QVERIFY(bob.nameSet());
        QCOMPARE(QString::fromStdString(std::string(bob.command({"CLIENT", "GETNAME"}).str())),
                 QString::fromStdString(named.clientName));
        admin.command({"ACL", "DELUSER", "alice"});
    }

    void reconnectsAfterServerDroppedAnIdleConnection() {
        Connection c(server->endpoint(), {.connectTimeout = 1000ms,
                                          .commandTimeout = 1000ms,
                                          .clientName = "victim",
                                          .tcpKeepAlive = true});
        auto idBefore = c.command({"CLIENT", "ID"}).integer();
        Connection admin(server->endpoint());
        QCOMPARE(admin.command({"CLIENT", "KILL", "ID", idBefore}).integer(), 1LL);
        QTest::qSleep(5);  // idle longer than ConnectOptions::peerCheckIdle
        // The EOF is noticed before the next command is sent, so nothing is lost: the command
        // runs on a new connection, which carries the same name.
        QCOMPARE(QString::fromStdString(std::string(c.command({"CLIENT", "GETNAME"}).str())),
                 QString("victim"));
        QVERIFY(c.command({"CLIENT", "ID"}).integer() != idBefore);
    }
};

QTEST_APPLESS_MAIN(TestConnection)
#include "test_connection.moc"

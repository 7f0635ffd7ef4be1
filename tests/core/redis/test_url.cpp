// URL and --nodes parsing: every accepted form, and clear errors for the rest.
#include <QtTest>

#include "redis/error.h"
#include "redis/url.h"

using lockscope::redis::Error;
using lockscope::redis::ErrorKind;
using lockscope::redis::parseNodeList;
using lockscope::redis::parseUrl;
using lockscope::redis::Url;

class TestUrl : public QObject {
    Q_OBJECT
private slots:
    void accepts_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scheme");
        QTest::addColumn<QString>("hosts");  // "h:p,h:p" via HostPort::display
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("db");
        QTest::addColumn<QString>("extra");  // unix path or master name

        const int R = int(Url::Scheme::Redis), U = int(Url::Scheme::Unix),
                  S = int(Url::Scheme::Sentinel), C = int(Url::Scheme::Cluster);
        QTest::newRow("host only") << "redis://localhost" << R << "localhost:6379"
                                   << ""
                                   << "" << 0 << "";
        QTest::newRow("host port") << "redis://127.0.0.1:7000" << R << "127.0.0.1:7000"
                                   << ""
                                   << "" << 0 << "";
        QTest::newRow("db") << "redis://127.0.0.1:7000/3" << R << "127.0.0.1:7000"
                            << ""
                            << "" << 3 << "";
        QTest::newRow("user pass") << "redis://alice:s3cret@h:1/2" << R << "h:1"
                                   << "alice"
                                   << "s3cret" << 2 << "";
        QTest::newRow("password only") << "redis://:pw@h:1" << R << "h:1"
                                       << ""
                                       << "pw" << 0 << "";
        QTest::newRow("redis-cli password") << "redis://pw@h" << R << "h:6379"
                                            << ""
                                            << "pw" << 0 << "";
        QTest::newRow("percent-encoded") << "redis://a%40b:p%2Fw%3A@h:1" << R << "h:1"
                                         << "a@b"
                                         << "p/w:" << 0 << "";
        QTest::newRow("at in password") << "redis://u:p@ss@h:1" << R << "h:1"
                                        << "u"
                                        << "p@ss" << 0 << "";
        QTest::newRow("ipv6") << "redis://[::1]:6380" << R << "[::1]:6380"
                              << ""
                              << "" << 0 << "";
        QTest::newRow("ipv6 no port") << "redis://[::1]" << R << "[::1]:6379"
                                      << ""
                                      << "" << 0 << "";
        QTest::newRow("unix") << "unix:///tmp/r.sock" << U << ""
                              << ""
                              << "" << 0 << "/tmp/r.sock";
        QTest::newRow("unix db") << "unix:///tmp/r.sock?db=4" << U << ""
                                 << ""
                                 << "" << 4 << "/tmp/r.sock";
        QTest::newRow("sentinel") << "redis+sentinel://h1:26379,h2:26380/mymaster" << S
                                  << "h1:26379,h2:26380"
                                  << ""
                                  << "" << 0 << "mymaster";
        QTest::newRow("sentinel db") << "redis+sentinel://h1:26379/m/5" << S << "h1:26379"
                                     << ""
                                     << "" << 5 << "m";
        QTest::newRow("cluster") << "redis+cluster://h1:7000,h2:7001,h3:7002" << C
                                 << "h1:7000,h2:7001,h3:7002"
                                 << ""
                                 << "" << 0 << "";
    }
    void accepts() {
        QFETCH(QString, text);
        QFETCH(int, scheme);
        QFETCH(QString, hosts);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(int, db);
        QFETCH(QString, extra);
        Url url = parseUrl(text.toStdString());
        QCOMPARE(int(url.scheme), scheme);
        QStringList got;
        for (const auto& h : url.hosts) got << QString::fromStdString(h.display());
        QCOMPARE(got.join(','), hosts);
        QCOMPARE(QString::fromStdString(url.user), user);
        QCOMPARE(QString::fromStdString(url.password), password);
        QCOMPARE(url.db, db);
        QString gotExtra =
            QString::fromStdString(url.scheme == Url::Scheme::Unix ? url.unixPath : url.masterName);
        QCOMPARE(gotExtra, extra);
        // display() never reveals the password.
        if (!password.isEmpty()) QVERIFY(!QString::fromStdString(url.display()).contains(password));
    }

    // rediss:// is every form over TLS: the same parse, TLS on, and said so in display().
    void tlsSchemes_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scheme");
        QTest::newRow("rediss") << "rediss://:pw@h:1/2" << int(Url::Scheme::Redis);
        QTest::newRow("sentinel") << "rediss+sentinel://h:1/m" << int(Url::Scheme::Sentinel);
        QTest::newRow("cluster") << "rediss+cluster://h:1,h:2" << int(Url::Scheme::Cluster);
    }
    void tlsSchemes() {
        QFETCH(QString, text);
        QFETCH(int, scheme);
        const Url url = parseUrl(text.toStdString());
        QCOMPARE(int(url.scheme), scheme);
        QVERIFY(url.tls);
        QVERIFY(QString::fromStdString(url.display()).startsWith("rediss"));
        QVERIFY(!parseUrl("redis://h:1").tls);
        if (url.scheme == Url::Scheme::Redis) {
            QVERIFY(url.endpoint().tls.enabled);
            QCOMPARE(url.endpoint().db, 2);
        }
    }

    void rejects_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no scheme") << "localhost:6379"
                                   << "missing scheme";
        QTest::newRow("unknown scheme") << "http://h:1"
                                        << "unknown scheme 'http'";
        QTest::newRow("port not number") << "redis://h:abc"
                                         << "port 'abc'";
        QTest::newRow("port too big") << "redis://h:70000"
                                      << "port '70000'";
        QTest::newRow("port zero") << "redis://h:0"
                                   << "port '0'";
        QTest::newRow("empty port") << "redis://h:"
                                    << "empty port";
        QTest::newRow("no host") << "redis://"
                                 << "missing host";
        QTest::newRow("no host with port") << "redis://:6379"
                                           << "missing host";
        QTest::newRow("db not number") << "redis://h:1/x"
                                       << "database 'x'";
        QTest::newRow("bare ipv6") << "redis://::1:6379"
                                   << "brackets";
        QTest::newRow("unclosed ipv6") << "redis://[::1:6379"
                                       << "unclosed";
        QTest::newRow("two hosts") << "redis://a:1,b:2"
                                   << "--nodes";
        QTest::newRow("unix relative") << "unix://tmp/x.sock"
                                       << "absolute path";
        QTest::newRow("unix bad query") << "unix:///x.sock?foo=1"
                                        << "db=N";
        QTest::newRow("sentinel no master") << "redis+sentinel://h:26379"
                                            << "master name";
        QTest::newRow("cluster db") << "redis+cluster://h:1/2"
                                    << "database 0";
        QTest::newRow("bad escape") << "redis://u:%zz@h:1"
                                    << "%-escape";
        QTest::newRow("trailing comma") << "redis+cluster://h:1,"
                                        << "empty entry";
    }
    void rejects() {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        try {
            parseUrl(text.toStdString());
            QFAIL("accepted a malformed URL");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::InvalidArgument);
            QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(mentions), qPrintable(message));
            QVERIFY2(message.contains("expected redis://"), qPrintable(message));
        }
    }

    // Operators paste URLs with passwords; a typo in one must not print the password back.
    void errorsNeverShowThePassword_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("bad port") << "redis://u:s3cret-pw@h:abc";
        QTest::newRow("password only") << "redis://s3cret-pw@h:0";
        QTest::newRow("bad escape") << "redis://u:s3cret-pw%zz@h:1";
        QTest::newRow("no master") << "redis+sentinel://u:s3cret-pw@h:1";
        QTest::newRow("unknown scheme") << "http://u:s3cret-pw@h:1";
        QTest::newRow("two hosts") << "redis://u:s3cret-pw@a:1,b:2";
        QTest::newRow("at in password") << "redis://u:s3cret-pw@x@h:1/q";
        QTest::newRow("unix") << "unix://u:s3cret-pw@relative";
        QTest::newRow("no scheme") << "u:s3cret-pw@h:6379";
    }
    void errorsNeverShowThePassword() {
        QFETCH(QString, text);
        try {
            parseUrl(text.toStdString());
            QFAIL("accepted a malformed URL");
        } catch (const Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(!message.contains("s3cret"), qPrintable(message));
            QVERIFY2(message.contains("***"), qPrintable(message));
        }
    }

    // display() is what the status bar and the logs show: it parses back to the same URL, with
    // user names that need escaping escaped.
    void displayParsesBack() {
        const auto url = parseUrl("redis+sentinel://a%40b%3Ac%2Fd%25:pw@h:1,[::1]:2/mymaster/3");
        QCOMPARE(QString::fromStdString(url.user), QString("a@b:c/d%"));
        const auto again = parseUrl(url.display());
        QCOMPARE(QString::fromStdString(again.user), QString("a@b:c/d%"));
        QCOMPARE(QString::fromStdString(again.password), QString("***"));
        QVERIFY(again.hosts == url.hosts);
        QCOMPARE(QString::fromStdString(again.masterName), QString("mymaster"));
        QCOMPARE(again.db, 3);
        // A user without a password (found by fuzz_url: "redis://u@h" reads back as a password).
        const auto userOnly = parseUrl("redis://limited:@h:1");
        QCOMPARE(QString::fromStdString(userOnly.user), QString("limited"));
        QCOMPARE(QString::fromStdString(parseUrl(userOnly.display()).user), QString("limited"));
        QVERIFY(parseUrl(userOnly.display()).password.empty());
    }

    void endpointOnlyForSingleServers() {
        auto ep = parseUrl("redis://u:p@127.0.0.1:7001/2").endpoint();
        QCOMPARE(ep.tcp.port, 7001);
        QCOMPARE(ep.db, 2);
        QCOMPARE(QString::fromStdString(ep.password), QString("p"));
        QCOMPARE(QString::fromStdString(ep.display()), QString("127.0.0.1:7001/2"));
        QVERIFY_THROWS_EXCEPTION(Error, parseUrl("redis+cluster://h:1").endpoint());
    }

    void nodeList() {
        lockscope::redis::Endpoint base;
        base.password = "pw";
        auto nodes = parseNodeList("127.0.0.1:7000,127.0.0.1:7001,[::1]:7002", base);
        QCOMPARE(nodes.size(), size_t(3));
        QCOMPARE(nodes[1].tcp.port, 7001);
        QCOMPARE(QString::fromStdString(nodes[2].tcp.host), QString("::1"));
        QCOMPARE(QString::fromStdString(nodes[0].password), QString("pw"));
        try {
            parseNodeList("127.0.0.1:7000,nope:x");
            QFAIL("accepted a bad node list");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("'nope:x'"));
        }
        QVERIFY_THROWS_EXCEPTION(Error, parseNodeList(""));
        try {  // a URL given as a node (found by fuzz_url): its password is not repeated
            parseNodeList("127.0.0.1:7000,redis://u:s3cret-pw@h:1");
            QFAIL("accepted a URL as a node");
        } catch (const Error& e) {
            QVERIFY2(!QString(e.what()).contains("s3cret"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestUrl)
#include "test_url.moc"

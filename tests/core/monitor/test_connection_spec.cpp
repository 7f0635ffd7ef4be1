// --url / --nodes / LOCKSCOPE_PASSWORD as both programs take them (monitor::connectionSpec): every
// URL form, node lists, which password wins, and a message for each kind of bad input.
#include <QtTest>
#include <cstdlib>

#include "monitor/target.h"
#include "test_support.h"

using namespace lockscope;
using monitor::ConnectionArgs;
using monitor::TargetKind;

namespace {

const QString unset;  // a null QString: the option was not given

ConnectionArgs argsOf(const QString& url, const QString& nodes, const QString& envPassword) {
    ConnectionArgs a;
    if (!url.isNull()) a.url = url.toStdString();
    if (!nodes.isNull()) a.nodes = nodes.toStdString();
    a.envPassword = envPassword.toStdString();
    return a;
}

}  // namespace

class TestConnectionSpec : public QObject {
    Q_OBJECT
private slots:
    void accepts_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("nodes");
        QTest::addColumn<QString>("env");  // LOCKSCOPE_PASSWORD
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("endpoints");  // Endpoint::display(), comma-joined
        QTest::addColumn<QString>("passwords");  // each endpoint's, comma-joined
        QTest::addColumn<QString>("password");   // the target's, for discovered data nodes
        QTest::addColumn<QString>("master");
        QTest::addColumn<int>("db");
        QTest::addColumn<QString>("description");

        const int single = int(TargetKind::Single), group = int(TargetKind::Group),
                  sentinel = int(TargetKind::Sentinel), cluster = int(TargetKind::Cluster);
        QTest::newRow("nothing given: redis-cli's default")
            << unset << unset << "" << single << "127.0.0.1:6379"
            << ""
            << ""
            << "" << 0 << "127.0.0.1:6379";
        QTest::newRow("nothing given, password from env")
            << unset << unset << "envpw" << single << "127.0.0.1:6379"
            << "envpw"
            << "envpw"
            << "" << 0 << "127.0.0.1:6379";
        QTest::newRow("redis://") << "redis://h:7000/2" << unset << "" << single << "h:7000/2"
                                  << ""
                                  << ""
                                  << "" << 2 << "redis://h:7000/2";
        QTest::newRow("redis://, password from env")
            << "redis://h:7000" << unset << "envpw" << single << "h:7000"
            << "envpw"
            << "envpw"
            << "" << 0 << "redis://h:7000";
        QTest::newRow("redis://, the URL's password wins")
            << "redis://alice:urlpw@h:1" << unset << "envpw" << single << "h:1"
            << "urlpw"
            << "urlpw"
            << "" << 0 << "redis://alice:***@h:1";
        QTest::newRow("unix://, password from env")
            << "unix:///tmp/r.sock?db=3" << unset << "envpw" << single << "unix:/tmp/r.sock/3"
            << "envpw"
            << "envpw"
            << "" << 3 << "unix:///tmp/r.sock?db=3";
        // Sentinels are asked without AUTH first (redis/sentinel.h); the password is for the
        // master.
        QTest::newRow("redis+sentinel://, password from env")
            << "redis+sentinel://s1:26379,s2:26380/mymaster/4" << unset << "envpw" << sentinel
            << "s1:26379,s2:26380"
            << ","
            << "envpw"
            << "mymaster" << 4 << "redis+sentinel://s1:26379,s2:26380/mymaster/4";
        QTest::newRow("redis+sentinel://, the URL's password wins")
            << "redis+sentinel://:urlpw@s1:26379/m" << unset << "envpw" << sentinel << "s1:26379"
            << ""
            << "urlpw"
            << "m" << 0 << "redis+sentinel://:***@s1:26379/m";
        // Cluster seeds are data nodes: they carry the password themselves.
        QTest::newRow("redis+cluster://, password from env")
            << "redis+cluster://a:7000,b:7001" << unset << "envpw" << cluster << "a:7000,b:7001"
            << "envpw,envpw"
            << "envpw"
            << "" << 0 << "redis+cluster://a:7000,b:7001";
        QTest::newRow("--nodes") << unset << "a:1,b:2,c:3"
                                 << "" << group << "a:1,b:2,c:3"
                                 << ",,"
                                 << ""
                                 << "" << 0 << "a:1,b:2,c:3";
        QTest::newRow("--nodes, password from env") << unset << "a:1,[::1]:2"
                                                    << "envpw" << group << "a:1,[::1]:2"
                                                    << "envpw,envpw"
                                                    << "envpw"
                                                    << "" << 0 << "a:1,[::1]:2";
        QTest::newRow("--nodes with one node is one server") << unset << "a:1"
                                                             << "" << single << "a:1"
                                                             << ""
                                                             << ""
                                                             << "" << 0 << "a:1";
    }
    void accepts() {
        QFETCH(QString, url);
        QFETCH(QString, nodes);
        QFETCH(QString, env);
        QFETCH(int, kind);
        QFETCH(QString, endpoints);
        QFETCH(QString, passwords);
        QFETCH(QString, password);
        QFETCH(QString, master);
        QFETCH(int, db);
        QFETCH(QString, description);

        const auto spec = monitor::connectionSpec(argsOf(url, nodes, env));
        QCOMPARE(int(spec.target.kind), kind);
        QStringList gotEndpoints, gotPasswords;
        for (const auto& e : spec.target.nodes) {
            gotEndpoints << QString::fromStdString(e.display());
            gotPasswords << QString::fromStdString(e.password);
        }
        QCOMPARE(gotEndpoints.join(','), endpoints);
        QCOMPARE(gotPasswords.join(','), passwords);
        QCOMPARE(QString::fromStdString(spec.target.password), password);
        QCOMPARE(QString::fromStdString(spec.target.masterName), master);
        QCOMPARE(spec.target.db, db);
        QCOMPARE(QString::fromStdString(spec.description), description);
        // A password is never shown.
        for (const char* secret : {"urlpw", "envpw"})
            QVERIFY2(!QString::fromStdString(spec.description).contains(secret),
                     spec.description.c_str());
    }

    void rejects_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("nodes");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("both --url and --nodes")
            << "redis://h:1"
            << "h:2"
            << "--url and --nodes both name what to follow: give one of them";
        QTest::newRow("both, with a Sentinel URL") << "redis+sentinel://h:26379/m"
                                                   << "h:2"
                                                   << "not both";
        QTest::newRow("malformed port")
            << "redis://h:port" << unset << "invalid URL 'redis://h:port': port 'port'";
        QTest::newRow("unknown scheme") << "http://h:1" << unset << "unknown scheme 'http'";
        QTest::newRow("no scheme") << "h:6379" << unset << "missing scheme";
        QTest::newRow("sentinel without master")
            << "redis+sentinel://h:26379" << unset << "master name";
        QTest::newRow("empty --url") << "" << unset << "missing scheme";
        QTest::newRow("node without port number")
            << unset << "a:1,b:x"
            << "invalid --nodes 'a:1,b:x': entry 'b:x' is not host:port";
        QTest::newRow("empty node") << unset << "a:1,"
                                    << "entry '' is not host:port";
        QTest::newRow("empty --nodes") << unset << ""
                                       << "invalid --nodes ''";
    }
    void rejects() {
        QFETCH(QString, url);
        QFETCH(QString, nodes);
        QFETCH(QString, mentions);
        try {
            monitor::connectionSpec(argsOf(url, nodes, "envpw"));
            QFAIL("accepted bad input");
        } catch (const redis::Error& e) {
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);  // exit 2 in both programs
            QVERIFY2(QString::fromUtf8(e.what()).contains(mentions), e.what());
        }
    }

    void passwordFromTheEnvironment() {
        const QByteArray saved = qgetenv("LOCKSCOPE_PASSWORD");
        ::setenv("LOCKSCOPE_PASSWORD", "from-env", 1);
        const auto set = ConnectionArgs::fromEnvironment();
        ::unsetenv("LOCKSCOPE_PASSWORD");
        const auto unsetArgs = ConnectionArgs::fromEnvironment();
        if (!saved.isNull()) qputenv("LOCKSCOPE_PASSWORD", saved);
        QCOMPARE(QString::fromStdString(set.envPassword), QString("from-env"));
        QVERIFY(!set.url && !set.nodes);
        QVERIFY(unsetArgs.envPassword.empty());
    }
};

QTEST_APPLESS_MAIN(TestConnectionSpec)
#include "test_connection_spec.moc"

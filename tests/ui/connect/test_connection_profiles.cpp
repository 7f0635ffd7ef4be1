// Saved connection profiles: what QSettings holds (never a password, even one typed into a URL),
// names of any shape, replace/remove; URL password stripping; resolving a profile into servers
// with one-line errors for malformed input.
#include <QtTest>

#include "redis/error.h"
#include "test_support.h"
#include "ui/connect/connection_profiles.h"

using namespace lockscope;
using ui::ConnectionProfile;
using Kind = ui::ConnectionProfile::Kind;

namespace {

// Every value QSettings holds, and the raw bytes of its file: a password must be in neither.
bool settingsMention(const QString& secret) {
    QSettings s;
    for (const QString& key : s.allKeys())
        if (s.value(key).toString().contains(secret)) return true;
    s.sync();
    QFile f(s.fileName());
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(secret.toUtf8());
}

}  // namespace

class TestConnectionProfiles : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;

private slots:
    void initTestCase() {
        QVERIFY(settingsDir.isValid());
        test::isolateSettings(settingsDir.path(), "test_connection_profiles");
    }
    void init() { QSettings().clear(); }

    void stripUrlPassword_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("stripped");
        QTest::addColumn<QString>("password");
        QTest::newRow("user and password") << "redis://ops:s3cret@10.0.0.5:6380/2"
                                           << "redis://ops:@10.0.0.5:6380/2"
                                           << "s3cret";
        QTest::newRow("password only (redis-cli form)") << "redis://s3cret@h"
                                                        << "redis://h"
                                                        << "s3cret";
        QTest::newRow("empty user") << "redis://:s3cret@h:1"
                                    << "redis://h:1"
                                    << "s3cret";
        QTest::newRow("percent-encoded") << "redis://ops:p%40ss%3Aw@h"
                                         << "redis://ops:@h"
                                         << "p@ss:w";
        QTest::newRow("unix socket") << "unix://:s3cret@/run/redis.sock?db=3"
                                     << "unix:///run/redis.sock?db=3"
                                     << "s3cret";
        QTest::newRow("user, no password") << "redis://ops:@h:6379"
                                           << "redis://ops:@h:6379"
                                           << "";
        QTest::newRow("no user info") << "redis://h:6379/1"
                                      << "redis://h:6379/1"
                                      << "";
        QTest::newRow("not a URL: unchanged") << "h:6379"
                                              << "h:6379"
                                              << "";
    }
    void stripUrlPassword() {
        QFETCH(QString, url);
        QFETCH(QString, stripped);
        QFETCH(QString, password);
        QString got;
        QCOMPARE(ui::stripUrlPassword(url, &got), stripped);
        QCOMPARE(got, password);
    }

    void savedProfilesNeverHoldThePassword() {
        ui::ConnectionProfiles store;
        ConnectionProfile url;
        url.name = "prod";
        url.kind = Kind::Url;
        url.url = "redis://ops:s3cret-one@10.0.0.5:6380/2";  // typed into the URL by the user
        url.rememberPassword = true;
        store.save(url);
        ConnectionProfile group;
        group.name = "team/redlock #1";  // slashes and spaces: QSettings arrays take any name
        group.kind = Kind::Nodes;
        group.nodes = "10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000";
        group.user = "locker";
        group.db = 4;
        store.save(group);

        const auto loaded = store.load();
        QCOMPARE(loaded.size(), 2);
        QCOMPARE(loaded[0].name, QString("prod"));
        QCOMPARE(loaded[0].kind, Kind::Url);
        QCOMPARE(loaded[0].url, QString("redis://ops:@10.0.0.5:6380/2"));
        QVERIFY(loaded[0].rememberPassword);
        QCOMPARE(loaded[1], group);
        QVERIFY(!settingsMention("s3cret-one"));
        QVERIFY(QSettings().contains("connectionProfiles/size"));  // it did write somewhere

        // Same name: replaced, not duplicated. Remove: gone, and "last used" forgets it.
        group.db = 5;
        store.save(group);
        store.setLastUsed(group.name);
        QCOMPARE(store.load().size(), 2);
        QCOMPARE(store.load()[1].db, 5);
        store.remove(group.name);
        QCOMPARE(store.load().size(), 1);
        QCOMPARE(store.lastUsed(), QString());
        // A sandbox choice or a nameless form is not a profile.
        ConnectionProfile sandbox;
        sandbox.name = "s";
        sandbox.kind = Kind::Sandbox;
        store.save(sandbox);
        store.save(ConnectionProfile{});
        QCOMPARE(store.load().size(), 1);
    }

    void resolve_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("text");  // URL, host or node list
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("nodes");         // -1: expect InvalidArgument
        QTest::addColumn<QString>("expected");  // description, or a piece of the error
        QTest::newRow("url") << int(Kind::Url) << "redis://ops:@127.0.0.1:7001/3"
                             << "pw" << 1 << "ops@127.0.0.1:7001/3";
        QTest::newRow("unix url") << int(Kind::Url) << "unix:///tmp/r.sock?db=2"
                                  << "" << 1 << "unix:/tmp/r.sock/2";
        QTest::newRow("host") << int(Kind::HostPort) << "10.1.2.3"
                              << "pw" << 1 << "10.1.2.3:6379";
        QTest::newRow("nodes") << int(Kind::Nodes) << "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003"
                               << "pw" << 3
                               << "3 nodes: 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";
        QTest::newRow("empty url") << int(Kind::Url) << ""
                                   << "" << -1 << "type a URL";
        QTest::newRow("bad port") << int(Kind::Url) << "redis://127.0.0.1:99999"
                                  << "" << -1 << "port '99999' is not a number in 1..65535";
        QTest::newRow("no scheme") << int(Kind::Url) << "127.0.0.1:6379"
                                   << "" << -1 << "missing scheme";
        // Sentinel and cluster URLs name no fixed servers: the target does (found when connecting).
        QTest::newRow("sentinel") << int(Kind::Url)
                                  << "redis+sentinel://127.0.0.1:26379,127.0.0.1:26380/mymaster"
                                  << "pw" << 0
                                  << "redis+sentinel://127.0.0.1:26379,127.0.0.1:26380/mymaster";
        QTest::newRow("cluster") << int(Kind::Url)
                                 << "redis+cluster://127.0.0.1:7000,127.0.0.1:7001"
                                 << "pw" << 0 << "redis+cluster://127.0.0.1:7000,127.0.0.1:7001";
        QTest::newRow("sentinel without master")
            << int(Kind::Url) << "redis+sentinel://127.0.0.1:26379"
            << "" << -1 << "";
        QTest::newRow("empty host") << int(Kind::HostPort) << "  "
                                    << "" << -1 << "type the server's host";
        QTest::newRow("host with a space") << int(Kind::HostPort) << "my host"
                                           << "" << -1 << "is not a host name or address";
        QTest::newRow("empty nodes") << int(Kind::Nodes) << ""
                                     << "" << -1 << "host:port,host:port";
        QTest::newRow("bad node") << int(Kind::Nodes) << "127.0.0.1:7001,nope:x"
                                  << "" << -1 << "";
    }
    void resolve() {
        QFETCH(int, kind);
        QFETCH(QString, text);
        QFETCH(QString, password);
        QFETCH(int, nodes);
        QFETCH(QString, expected);
        ConnectionProfile p;
        p.kind = Kind(kind);
        p.url = p.host = p.nodes = text;
        p.user = kind == int(Kind::Url) ? "" : "ops";
        p.db = 0;
        try {
            auto t = ui::resolveTarget(p, password);
            QVERIFY2(nodes >= 0, "expected a refusal");
            QCOMPARE(int(t.nodes.size()), nodes);
            for (const auto& e : t.nodes) QCOMPARE(QString::fromStdString(e.password), password);
            QVERIFY2(t.description.endsWith(expected), qPrintable(t.description));
            QVERIFY(password.isEmpty() || !t.description.contains(password));
            // The target names the same thing, with the password.
            if (nodes > 0) QCOMPARE(int(t.target.nodes.size()), nodes);
            if (text.startsWith("redis+")) {
                QCOMPARE(t.target.kind, text.startsWith("redis+sentinel")
                                            ? monitor::TargetKind::Sentinel
                                            : monitor::TargetKind::Cluster);
                QCOMPARE(QString::fromStdString(t.target.password), password);
                QCOMPARE(int(t.target.nodes.size()), 2);
            }
        } catch (const redis::Error& e) {
            QVERIFY2(nodes < 0, e.what());
            QCOMPARE(e.kind(), redis::ErrorKind::InvalidArgument);
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains(expected), qPrintable(msg));
            QVERIFY2(!msg.contains('\n'), qPrintable(msg));  // one line
        }
    }

    void typedPasswordOverridesTheUrls() {
        ConnectionProfile p;
        p.kind = Kind::Url;
        p.url = "redis://ops:old@127.0.0.1:7001";
        QCOMPARE(ui::resolveTarget(p, "new").nodes.at(0).password, std::string("new"));
        QCOMPARE(ui::resolveTarget(p, "").nodes.at(0).password, std::string("old"));
        QCOMPARE(ui::resolveTarget(p, "").nodes.at(0).user, std::string("ops"));
        QVERIFY(!ui::resolveTarget(p, "").description.contains("old"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionProfiles)
#include "test_connection_profiles.moc"

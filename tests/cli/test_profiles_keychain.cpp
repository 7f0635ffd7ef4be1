// One connection store (issue 15.3), the keychain path: the dashboard saves a profile and its
// password in the keychain (its own ui::ConnectionProfiles and ui::PasswordStore), and the real
// lockscope-cli binary run with --profile takes the password from there, with no
// LOCKSCOPE_PASSWORD and no terminal. Runs under tests/support/with_keyring.sh: a GNOME keyring
// in a private D-Bus session, against a real redis-server with a password.
#include <QtTest>

#include "redis/connection.h"
#include "sandbox/redis_server.h"
#include "test_support.h"
#include "ui/connect/connection_profiles.h"
#include "ui/connect/password_store.h"

using namespace lockscope;
using test::runCli;

namespace {
const char* kPassword = "kc-s3cret-pw";
QString q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

class TestProfilesKeychain : public QObject {
    Q_OBJECT
    QTemporaryDir config;
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    // Writes (or, with an empty password, removes) the profile's keychain entry and waits.
    bool storePassword(const QString& profile, const QString& password) {
        ui::PasswordStore store;
        QSignalSpy wrote(&store, &ui::PasswordStore::writeFinished);
        if (password.isEmpty()) {
            // remove() answers with no signal: read until the entry is gone.
            store.remove(ui::keychainKey(profile));
            QSignalSpy read(&store, &ui::PasswordStore::readFinished);
            for (int i = 0; i < 40; ++i) {
                store.read(ui::keychainKey(profile));
                if (!read.wait(20000)) return false;
                if (!read.takeLast().at(1).toBool()) return true;
                QTest::qWait(250);
            }
            return false;
        }
        store.write(ui::keychainKey(profile), password);
        if (!wrote.wait(20000)) return false;
        if (!wrote.at(0).at(1).toBool()) qWarning() << wrote.at(0).at(2).toString();
        return wrote.at(0).at(1).toBool();
    }

private slots:
    void initTestCase() {
        QVERIFY(!test::cliPath().empty());
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "run under tests/support/with_keyring.sh");
        QCoreApplication::setOrganizationName("LockScope");
        QCoreApplication::setApplicationName("lockscope");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config.path());
        ::setenv("XDG_CONFIG_HOME", config.path().toLocal8Bit().constData(), 1);
        ::unsetenv("LOCKSCOPE_PASSWORD");

        sandbox::RedisServerOptions o;
        o.password = kPassword;
        server = std::make_unique<sandbox::RedisServer>(o);
        prefix = test::keyPrefix("profiles-kc");
        ui::ConnectionProfile p;
        p.name = "kc box";
        p.kind = ui::ConnectionProfile::Kind::HostPort;
        p.host = "127.0.0.1";
        p.port = server->port();
        p.rememberPassword = true;
        ui::ConnectionProfiles().save(p);
        redis::Connection c(server->endpoint());
        c.command({"SET", prefix + "lock:orders", "holder-kc", "PX", "60000"});
    }

    void passwordFromTheKeychain() {
        QVERIFY2(storePassword("kc box", kPassword), "the keychain refused the password");
        auto r = runCli({"--profile", "kc box", "locks", "--json", "--match", prefix + "*"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QVERIFY2(q(r.out).contains("holder-kc"), r.out.c_str());
        // The password is never printed, whatever the output.
        QVERIFY(!q(r.out + r.err).contains(kPassword));
    }

    // The CLI really read the keychain: with the entry removed, the same command has no password.
    void withoutTheEntryTheServerRefuses() {
        QVERIFY(storePassword("kc box", QString()));
        auto r = runCli({"--profile", "kc box", "locks", "--match", prefix + "*"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(q(r.err).contains("no saved password"), r.err.c_str());
    }

    // A wrong password in the keychain is the server's refusal, said as such (exit 3).
    void aWrongSavedPasswordIsRefused() {
        QVERIFY(storePassword("kc box", "not-the-password"));
        auto r = runCli({"--profile", "kc box", "locks", "--match", prefix + "*"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!q(r.out + r.err).contains("not-the-password"));
    }
};

QTEST_GUILESS_MAIN(TestProfilesKeychain)
#include "test_profiles_keychain.moc"

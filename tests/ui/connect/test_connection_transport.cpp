// The Connect dialog over TLS and through an SSH bastion, against a real redis-server with a TLS
// port (certificates made by openssl in the test's temp dir) and a real sshd: the TLS / SSH
// sections of a profile round-trip through QSettings while the passphrases never reach it; "Test
// connection" lists its steps and names the one that failed (wrong CA: the TLS handshake; an
// unknown bastion host key: the SSH tunnel); a rediss:// URL turns TLS on; --insecure is said in
// the dialog and in the status bar, and a verified connection says so there too.
//
// Set LOCKSCOPE_SCREENSHOT_DIR to save docs/screenshots/connect-tls.png.
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "sshd_fixture.h"
#include "test_support.h"
#include "tls_pki.h"
#include "ui/connect/connection_dialog.h"
#include "ui/connect/connection_tester.h"
#include "ui/connect/password_store.h"
#include "ui/main_window.h"
#include "ui/status_panel.h"

using namespace lockscope;
using ui::ConnectionDialog;
using ui::ConnectionTestStep;
using ui::PasswordStore;
using Step = ConnectionTestStep::Kind;

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

template <class W>
W* child(QWidget* parent, const char* name) {
    auto* w = parent->findChild<W*>(name);
    if (!w) qFatal("no %s in the dialog", name);
    return w;
}

void setText(QWidget* d, const char* name, const QString& text) {
    auto* e = child<QLineEdit>(d, name);
    e->clear();
    QTest::keyClicks(e, text);  // typed, as a person would
}

void fillUrl(ConnectionDialog* d, const QString& url) {
    auto* kind = child<QComboBox>(d, "kindBox");
    kind->setCurrentIndex(kind->findData(int(ui::ConnectionProfile::Kind::Url)));
    auto* edit = child<QLineEdit>(d, "urlEdit");
    edit->setText(url);
    emit edit->editingFinished();
}

void fillHost(ConnectionDialog* d, int port) {
    auto* kind = child<QComboBox>(d, "kindBox");
    kind->setCurrentIndex(kind->findData(int(ui::ConnectionProfile::Kind::HostPort)));
    child<QLineEdit>(d, "hostEdit")->setText("127.0.0.1");
    child<QSpinBox>(d, "portSpin")->setValue(port);
}

// Every value QSettings holds, and the raw bytes of its file: a secret must be in neither.
bool settingsMention(const QString& secret) {
    QSettings s;
    for (const QString& key : s.allKeys())
        if (s.value(key).toString().contains(secret)) return true;
    s.sync();
    QFile f(s.fileName());
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(secret.toUtf8());
}

// The steps the tester reported for the newest request.
QList<ConnectionTestStep> lastSteps(const QSignalSpy& spy) {
    if (spy.isEmpty()) return {};
    return spy.last().at(3).value<QList<ConnectionTestStep>>();
}

void screenshot(QWidget* w, const QString& name) {
    const QString dir = qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QVERIFY(w->grab().save(dir + "/" + name));
}

}  // namespace

class TestConnectionTransport : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QTemporaryDir settingsDir;
    std::unique_ptr<test::TestPki> pki;
    std::unique_ptr<test::TestSshd> sshd;
    std::unique_ptr<sandbox::RedisServer> server;     // TLS port, tls-auth-clients no
    std::unique_ptr<sandbox::RedisServer> mutualTls;  // TLS port, tls-auth-clients yes

    QString tlsUrl(const sandbox::RedisServer& s) const {
        return QString("rediss://127.0.0.1:%1").arg(s.tlsPort());
    }

    // Runs "Test connection" and waits for its answer; returns the tester's steps.
    QList<ConnectionTestStep> runTest(ConnectionDialog* d) {
        QSignalSpy spy(d->tester(), &ui::ConnectionTester::finished);
        QTest::mouseClick(d->testButton(), Qt::LeftButton);
        if (!spy.wait(15000)) qWarning("no answer from the tester");
        return lastSteps(spy);
    }

private slots:
    void initTestCase() {
        qRegisterMetaType<QList<ConnectionTestStep>>();
        QVERIFY(dir.isValid());
        QVERIFY(settingsDir.isValid());
        test::isolateSettings(settingsDir.path(), "test_connection_transport");
        QDir(dir.path()).mkdir("pki");
        pki = std::make_unique<test::TestPki>((dir.path() + "/pki").toStdString());
        sshd = std::make_unique<test::TestSshd>(dir.path().toStdString());
        sandbox::RedisServerOptions o;
        o.tls = sandbox::RedisServerTls{pki->serverCert, pki->serverKey, pki->caCert, "no", false};
        server = std::make_unique<sandbox::RedisServer>(o);
        o.tls->authClients = "yes";
        mutualTls = std::make_unique<sandbox::RedisServer>(o);
    }
    void cleanupTestCase() {
        server.reset();
        mutualTls.reset();
        sshd.reset();
    }
    void init() { QSettings().clear(); }

    void profileKeepsPathsAndNeverThePassphrases() {
        ConnectionDialog d;
        d.show();
        QTRY_VERIFY_WITH_TIMEOUT(d.passwordStore()->state() != PasswordStore::State::Unknown,
                                 10000);
        auto* tlsBox = child<QCheckBox>(&d, "tlsCheck");
        QVERIFY(!tlsBox->isChecked());
        fillUrl(&d, tlsUrl(*mutualTls));
        QVERIFY2(tlsBox->isChecked(), "a rediss:// URL turns TLS on");
        setText(&d, "caCertEdit", q(pki->caCert));
        setText(&d, "certEdit", q(pki->clientCert));
        setText(&d, "keyEdit", q(pki->encryptedClientKey));
        setText(&d, "tlsPassphraseEdit", q(pki->keyPassphrase));
        setText(&d, "sniEdit", "localhost");
        child<QCheckBox>(&d, "sshCheck")->setChecked(true);
        setText(&d, "sshDestinationEdit", q(sshd->destination()));
        setText(&d, "sshIdentityEdit", q(sshd->encryptedIdentity));
        setText(&d, "sshPassphraseEdit", q(sshd->passphrase));
        setText(&d, "sshKnownHostsEdit", q(sshd->knownHosts));
        setText(&d, "profileNameEdit", "prod over tls");
        auto* remember = child<QCheckBox>(&d, "rememberPassword");
        const bool keychain = d.passwordStore()->state() == PasswordStore::State::Available;
        if (keychain) remember->setChecked(true);
        QSignalSpy writes(d.passwordStore(), &PasswordStore::writeFinished);
        QTest::mouseClick(child<QPushButton>(&d, "saveProfileButton"), Qt::LeftButton);
        QVERIFY2(d.resultLabel()->text().contains("saved"), qPrintable(d.resultLabel()->text()));

        const auto profiles = ui::ConnectionProfiles().load();
        QCOMPARE(profiles.size(), 1);
        const auto& p = profiles.front();
        QVERIFY(p.tls);
        QCOMPARE(p.url, tlsUrl(*mutualTls));
        QCOMPARE(p.caCert, q(pki->caCert));
        QCOMPARE(p.cert, q(pki->clientCert));
        QCOMPARE(p.key, q(pki->encryptedClientKey));
        QCOMPARE(p.sni, QString("localhost"));
        QVERIFY(!p.insecure);
        QCOMPARE(p.sshDestination, q(sshd->destination()));
        QCOMPARE(p.sshIdentity, q(sshd->encryptedIdentity));
        QCOMPARE(p.sshKnownHosts, q(sshd->knownHosts));
        QVERIFY(!settingsMention(q(pki->keyPassphrase)));
        QVERIFY(!settingsMention(q(sshd->passphrase)));
        QVERIFY(QSettings().allKeys().join(' ').contains("tlsCaCert"));  // it did write there

        // Another dialog shows the profile again: paths from QSettings.
        ConnectionDialog again;
        again.show();
        again.selectProfile("prod over tls");
        QVERIFY(child<QCheckBox>(&again, "tlsCheck")->isChecked());
        QVERIFY(child<QCheckBox>(&again, "sshCheck")->isChecked());
        QVERIFY(child<QGroupBox>(&again, "tlsBox")->isVisible());
        QCOMPARE(child<QLineEdit>(&again, "keyEdit")->text(), q(pki->encryptedClientKey));
        QCOMPARE(child<QLineEdit>(&again, "sshKnownHostsEdit")->text(), q(sshd->knownHosts));
        QCOMPARE(again.currentProfile(), p);
        if (!keychain)
            QSKIP(
                "no system keychain here: the passphrases were kept out of QSettings (checked); "
                "their keychain round trip needs a Secret Service");
        // The passphrases went to the keychain, each under its own entry, and come back from it.
        QTRY_VERIFY_WITH_TIMEOUT(writes.size() >= 2, 10000);
        QStringList keys;
        for (const auto& w : writes) keys << w.at(0).toString();
        QVERIFY(keys.contains(ui::tlsPassphraseKey("prod over tls")));
        QVERIFY(keys.contains(ui::sshPassphraseKey("prod over tls")));
        QTRY_COMPARE(child<QLineEdit>(&again, "tlsPassphraseEdit")->text(), q(pki->keyPassphrase));
        QTRY_COMPARE(child<QLineEdit>(&again, "sshPassphraseEdit")->text(), q(sshd->passphrase));
    }

    void testOverTlsListsEveryStep() {
        ConnectionDialog d;
        d.show();
        fillUrl(&d, tlsUrl(*mutualTls));
        setText(&d, "caCertEdit", q(pki->caCert));
        setText(&d, "certEdit", q(pki->clientCert));
        setText(&d, "keyEdit", q(pki->encryptedClientKey));
        setText(&d, "tlsPassphraseEdit", q(pki->keyPassphrase));  // the encrypted key opens
        const auto steps = runTest(&d);
        const QString result = d.resultLabel()->text();
        QVERIFY2(result.contains("✔") && result.contains("Redis 7"), qPrintable(result));
        QCOMPARE(steps.size(), 3);  // no tunnel, no password: TCP, TLS, PING / INFO
        QCOMPARE(steps[0].kind, Step::Tcp);
        QCOMPARE(steps[1].kind, Step::Tls);
        QCOMPARE(steps[2].kind, Step::Ping);
        for (const auto& s : steps) QVERIFY2(s.ok, qPrintable(s.detail));
        QVERIFY2(steps[1].detail.startsWith("TLSv1.") &&
                     steps[1].detail.contains("certificate verified for 127.0.0.1"),
                 qPrintable(steps[1].detail));
        const QString shown = d.stepsLabel()->text();
        QVERIFY(d.stepsLabel()->isVisible());
        QVERIFY2(shown.contains("TCP connect") && shown.contains("TLS handshake") &&
                     shown.contains("PING / INFO") && !shown.contains("✖"),
                 qPrintable(shown));

        // Without the passphrase the key cannot be read: refused before anything connects.
        child<QLineEdit>(&d, "tlsPassphraseEdit")->clear();
        runTest(&d);
        QVERIFY2(d.resultLabel()->text().contains("✖"), qPrintable(d.resultLabel()->text()));
    }

    void wrongCaFailsAtTheTlsHandshake() {
        ConnectionDialog d;
        d.show();
        fillUrl(&d, tlsUrl(*server));
        setText(&d, "caCertEdit", q(pki->otherCaCert));
        const auto steps = runTest(&d);
        QVERIFY2(
            d.resultLabel()->text().contains("✖") && d.resultLabel()->text().contains("unknown CA"),
            qPrintable(d.resultLabel()->text()));
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps[0].kind, Step::Tcp);
        QVERIFY(steps[0].ok);
        QCOMPARE(steps[1].kind, Step::Tls);
        QVERIFY(!steps[1].ok);
        QVERIFY2(steps[1].detail.contains("unknown CA") && !steps[1].detail.contains('\n'),
                 qPrintable(steps[1].detail));
        const QString shown = d.stepsLabel()->text();
        QVERIFY2(shown.contains("✖</span> TLS handshake — ") && shown.contains("unknown CA"),
                 qPrintable(shown));
    }

    void unknownBastionKeyFailsAtTheSshTunnel() {
        ConnectionDialog d;
        d.show();
        fillHost(&d, server->port());
        child<QCheckBox>(&d, "sshCheck")->setChecked(true);
        setText(&d, "sshDestinationEdit", q(sshd->destination()));
        setText(&d, "sshIdentityEdit", q(sshd->identity));
        setText(&d, "sshKnownHostsEdit", q(sshd->emptyKnownHosts));
        const auto steps = runTest(&d);
        QVERIFY2(d.resultLabel()->text().contains("✖"), qPrintable(d.resultLabel()->text()));
        QCOMPARE(steps.size(), 1);  // nothing after the tunnel was tried
        QCOMPARE(steps[0].kind, Step::SshTunnel);
        QVERIFY(!steps[0].ok);
        QVERIFY2(steps[0].detail.contains("host key is not known"), qPrintable(steps[0].detail));
        QVERIFY(d.stepsLabel()->text().contains("✖</span> SSH tunnel — "));

        // The right known_hosts: through the bastion, every step passes.
        setText(&d, "sshKnownHostsEdit", q(sshd->knownHosts));
        const auto through = runTest(&d);
        QVERIFY2(d.resultLabel()->text().contains("✔"), qPrintable(d.resultLabel()->text()));
        QCOMPARE(through.size(), 3);
        QCOMPARE(through[0].kind, Step::SshTunnel);
        QVERIFY2(through[0].ok && through[0].detail.contains("127.0.0.1"),
                 qPrintable(through[0].detail));
    }

    void insecureIsSaidInTheDialogAndTheStatusBar() {
        ui::MainWindow w;
        w.show();
        ConnectionDialog* d = w.openConnectionDialog();
        QTRY_VERIFY(d->isVisible());
        fillUrl(d, tlsUrl(*server));
        auto* insecure = child<QCheckBox>(d, "insecureCheck");
        auto* warning = child<QLabel>(d, "insecureWarning");
        QVERIFY(!warning->isVisible());
        insecure->setChecked(true);
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains("read and change"));
        QTest::mouseClick(d->connectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!d->isVisible(), 10000);
        auto* panel = w.statusPanel();
        QTRY_VERIFY_WITH_TIMEOUT(panel->transportText().contains("NOT verified (--insecure)"),
                                 5000);
        // Once connected, with the version the handshake agreed on.
        QTRY_VERIFY_WITH_TIMEOUT(panel->transportText().contains("TLS 1."), 10000);
        QVERIFY(panel->transportText().contains("NOT verified (--insecure)"));
        QVERIFY(panel->findChild<QLabel*>("statusTransport")->toolTip().contains("anyone between"));

        // Verified against the CA: said as such, no warning left over.
        d = w.openConnectionDialog();
        QTRY_VERIFY(d->isVisible());
        fillUrl(d, tlsUrl(*server));
        child<QCheckBox>(d, "insecureCheck")->setChecked(false);
        setText(d, "caCertEdit", q(pki->caCert));
        QTest::mouseClick(d->connectButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!d->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->transportText().contains(", verified"), 10000);
        QVERIFY(!panel->transportText().contains("NOT"));

        // Through the bastion: said too.
        d = w.openConnectionDialog();
        QTRY_VERIFY(d->isVisible());
        child<QCheckBox>(d, "tlsCheck")->setChecked(false);
        fillHost(d, server->port());
        child<QCheckBox>(d, "sshCheck")->setChecked(true);
        setText(d, "sshDestinationEdit", q(sshd->destination()));
        setText(d, "sshIdentityEdit", q(sshd->identity));
        setText(d, "sshKnownHostsEdit", q(sshd->knownHosts));
        QTest::mouseClick(d->connectButton(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(!d->isVisible(), qPrintable(d->resultLabel()->text()), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(panel->transportText().contains("via SSH bastion"), 15000);
        QVERIFY(!panel->transportText().contains("TLS"));
    }

    // For the README (only with LOCKSCOPE_SCREENSHOT_DIR): the TLS section after a passed test.
    void screenshotOfTheTlsSection() {
        if (qEnvironmentVariableIsEmpty("LOCKSCOPE_SCREENSHOT_DIR"))
            QSKIP("LOCKSCOPE_SCREENSHOT_DIR not set");
        ui::MainWindow w;
        w.show();
        ConnectionDialog* d = w.openConnectionDialog();
        QTRY_VERIFY_WITH_TIMEOUT(d->passwordStore()->state() != PasswordStore::State::Unknown,
                                 10000);
        fillUrl(d, tlsUrl(*mutualTls));
        setText(d, "certEdit", q(pki->clientCert));
        setText(d, "keyEdit", q(pki->encryptedClientKey));
        setText(d, "tlsPassphraseEdit", q(pki->keyPassphrase));
        setText(d, "caCertEdit", q(pki->caCert));
        setText(d, "profileNameEdit", "payments (TLS)");
        runTest(d);
        QTRY_VERIFY_WITH_TIMEOUT(d->resultLabel()->text().contains("✔"), 5000);
        d->adjustSize();
        d->resize(760, d->height());  // the temp dir's long paths, whole
        screenshot(d, "connect-tls.png");
    }
};

QTEST_MAIN(TestConnectionTransport)
#include "test_connection_transport.moc"

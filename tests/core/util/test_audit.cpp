// The audit line of every audited action comes from one builder, whoever acts (the dashboard or
// the CLI) and however it ends (done, refused, read-only, an error): a force-release always says
// which holder and TTL the operator was shown, refused ones included; appendAudit() writes one
// tab-separated line with keys and holders escaped by the one display rule.
#include <QtTest>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/audit.h"

using namespace lockscope;

class TestAudit : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        ::setenv("LOCKSCOPE_AUDIT_LOG", qPrintable(dir_.filePath("audit.log")), 1);
    }

    void details_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("found");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("detail");
        using K = AuditedAction::Kind;
        QTest::newRow("force-release done") << int(K::ForceRelease) << "done"
                                            << "h1"
                                            << "force-release"
                                            << "holder=h1 ttl_shown_ms=4200 found=h1";
        QTest::newRow("force-release, holder changed") << int(K::ForceRelease) << "holder-changed"
                                                       << "h2"
                                                       << "force-release"
                                                       << "holder=h1 ttl_shown_ms=4200 found=h2";
        QTest::newRow("force-release refused in read-only mode")
            << int(K::ForceRelease) << "refused-read-only"
            << ""
            << "force-release"
            << "holder=h1 ttl_shown_ms=4200 found=";
        QTest::newRow("extend") << int(K::Extend) << "not-held"
                                << ""
                                << "extend"
                                << "holder=h1 ttl_ms=9000 found=";
        QTest::newRow("set counter") << int(K::SetCounter) << "done"
                                     << "5"
                                     << "set-counter"
                                     << "value=42 was=5";
        QTest::newRow("reset counter, missing") << int(K::ResetCounter) << "missing"
                                                << ""
                                                << "reset-counter"
                                                << "value=0 was=";
    }
    void details() {
        QFETCH(int, kind);
        QFETCH(QString, outcome);
        QFETCH(QString, found);
        QFETCH(QString, action);
        QFETCH(QString, detail);
        AuditedAction a;
        a.kind = AuditedAction::Kind(kind);
        a.key = "lock:k";
        a.holder = "h1";
        a.ttlShownMs = 4200;
        a.ttlMs = 9000;
        a.value = 42;
        const AuditEntry e =
            auditEntry(a, "127.0.0.1:6379", outcome.toStdString(), found.toStdString());
        QCOMPARE(QString::fromStdString(e.server), QString("127.0.0.1:6379"));
        QCOMPARE(QString::fromStdString(e.action), action);
        QCOMPARE(QString::fromStdString(e.key), QString("lock:k"));
        QCOMPARE(QString::fromStdString(e.detail), detail);
        QCOMPARE(QString::fromStdString(e.outcome), outcome);
    }

    // The CLI shows no TTL: the field is there, empty, so every force-release line has the same
    // fields.
    void forceReleaseWithoutAShownTtl() {
        AuditedAction a;
        a.kind = AuditedAction::Kind::ForceRelease;
        a.key = "lock:k";
        a.holder = "h1";
        const AuditEntry e = auditEntry(a, "s", "holder-changed", "h2");
        QCOMPARE(QString::fromStdString(e.detail), QString("holder=h1 ttl_shown_ms= found=h2"));
    }

    // One line, eight tab-separated fields; binary bytes and tabs in a key never break it.
    void appendedLine() {
        AuditedAction a;
        a.kind = AuditedAction::Kind::ForceRelease;
        a.key = std::string("bin\xff\t\\", 6);
        a.holder = "h1";
        a.ttlShownMs = -1;
        QVERIFY(!appendAudit(auditEntry(a, "127.0.0.1:1", "refused-read-only")));
        std::ifstream in(auditLogPath());
        std::stringstream all;
        all << in.rdbuf();
        const QStringList lines = QString::fromStdString(all.str()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        const QStringList f = lines[0].split('\t');
        QCOMPARE(f.size(), 8);
        QCOMPARE(f[4], QString("force-release"));
        QCOMPARE(f[5], QString("bin\\xff\\x09\\\\"));
        QCOMPARE(f[6], QString("holder=h1 ttl_shown_ms=-1 found="));
        QCOMPARE(f[7], QString("refused-read-only"));
    }
};

QTEST_APPLESS_MAIN(TestAudit)
#include "test_audit.moc"

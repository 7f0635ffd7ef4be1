// Issue 11.5: the dashboard edits the user's rules (Settings → Lock rules…): a line it cannot read
// is named and Save is refused; saved rules land in the rules file (the one lockscope-cli reads)
// and change what the running monitor lists at once, without reconnecting.
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <sstream>

#include "redis/connection.h"
#include "test_support.h"
#include "ui/locks/lock_table_model.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "ui/settings/rules_dialog.h"

using namespace lockscope;

class TestRulesDialog : public QObject {
    Q_OBJECT
    QTemporaryDir dir;  // settings and XDG_CONFIG_HOME (isolateSettings)

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        test::isolateSettings(dir.path(), "test_rules_dialog");
    }

    void badLineIsNamedAndNotSaved() {
        ui::RulesDialog d(dir.filePath("bad/rules").toStdString());
        d.editor()->setPlainText("lock jobs:*\nlocks jobs:*\n");
        QVERIFY(d.problems()->text().contains("line 2"));
        QVERIFY(!d.buttons()->button(QDialogButtonBox::Save)->isEnabled());
        d.editor()->setPlainText("lock jobs:*\nnot-lock cache:*\n");
        QVERIFY(d.buttons()->button(QDialogButtonBox::Save)->isEnabled());
        QVERIFY(!QFile::exists(dir.filePath("bad/rules")));
    }

    void savedRulesApplyLive() {
        sandbox::RedisServer server;
        const std::string p = test::keyPrefix("rules");
        redis::Connection c(server.endpoint());
        c.command({"SET", p + "jobs:nightly", "running since 3am", "EX", 600});
        c.command({"SET", p + "lock:order:42", "1", "EX", 600});
        ui::MainWindow w;
        w.connectTo({server.endpoint()}, "test");
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(p + "lock:order:42") >= 0, 5000);
        QCOMPARE(w.lockModel()->rowOf(p + "jobs:nightly"), -1);

        ui::RulesDialog* d = w.openRulesDialog();
        d->editor()->setPlainText(QString::fromStdString("# ours\nlock " + p + "jobs:*\nnot-lock " +
                                                         p + "lock:order:*\n"));
        d->buttons()->button(QDialogButtonBox::Save)->click();
        // Live: the running monitor lists the rule's lock and drops the excluded one.
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(p + "jobs:nightly") >= 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(w.lockModel()->rowOf(p + "lock:order:42"), -1, 5000);
        QCOMPARE(w.bridge()->rules().lockPatterns, std::vector<std::string>{p + "jobs:*"});
        // The same rules are in the file lockscope-cli reads.
        std::ifstream in(dir.filePath("lockscope/rules").toStdString());
        std::stringstream text;
        text << in.rdbuf();
        QVERIFY2(text.str().find("lock " + p + "jobs:*") != std::string::npos, text.str().c_str());
        QVERIFY(text.str().find("not-lock " + p + "lock:order:*") != std::string::npos);
        // Opened again, the dialog shows them.
        ui::RulesDialog again(dir.filePath("lockscope/rules").toStdString());
        QVERIFY(again.editor()->toPlainText().contains(QString::fromStdString(p + "jobs:*")));
    }

    // Issue 11.5 round 2: Save keeps the user's file as they wrote it (comments, order, blank
    // lines); only what they edited changes.
    void saveKeepsTheUsersText() {
        const QString path = dir.filePath("own/rules");
        QDir().mkpath(dir.filePath("own"));
        const std::string mine = "# production rules, ask ops\n\nnot-lock cache:*\n# jobs next\n";
        std::ofstream(path.toStdString()) << mine;
        ui::RulesDialog d(path.toStdString());
        QCOMPARE(d.editor()->toPlainText().toStdString(), mine);
        d.editor()->setPlainText(QString::fromStdString(mine + "lock jobs:*\n"));
        d.buttons()->button(QDialogButtonBox::Save)->click();
        std::ifstream in(path.toStdString());
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(text.str(), mine + "lock jobs:*\n");
        QCOMPARE(d.rules().lockPatterns, std::vector<std::string>{"jobs:*"});
    }

    // Issue 11.5 round 2: the rules file edited outside the dashboard applies live; a bad line
    // refuses the whole file and the rules in force stay.
    void rulesFileEditedElsewhereAppliesLive() {
        sandbox::RedisServer server;
        const std::string p = test::keyPrefix("ext");
        redis::Connection c(server.endpoint());
        c.command({"SET", p + "jobs:nightly", "running since 3am", "EX", 600});
        QDir().mkpath(dir.filePath("lockscope"));
        const std::string file = dir.filePath("lockscope/rules").toStdString();
        std::ofstream(file) << "# none yet\n";
        ui::MainWindow w;
        w.connectTo({server.endpoint()}, "test");
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.bridge()->rules().empty(), 5000);
        std::ofstream(file) << "# from vim\nlock " + p + "jobs:*\n";
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(p + "jobs:nightly") >= 0, 8000);
        // A bad edit: nothing of it applies, the lock rule stays.
        std::ofstream(file) << "lock " + p + "jobs:*\nnot-lock " + p + "jobs:*\nbogus\n";
        QTest::qWait(1000);
        QCOMPARE(w.bridge()->rules().lockPatterns, std::vector<std::string>{p + "jobs:*"});
        QVERIFY(w.bridge()->rules().notLockPatterns.empty());
        QVERIFY(w.lockModel()->rowOf(p + "jobs:nightly") >= 0);
        QFile::remove(dir.filePath("lockscope/rules"));
    }
    // Issue 11 adversarial round 2, item 6: on a fresh install ($XDG_CONFIG_HOME/lockscope/ not
    // there when the dashboard starts) the rules file is still followed once it is created, and
    // a bad line is said in the status bar.
    void freshInstallFollowsTheRulesFile() {
        sandbox::RedisServer server;
        const std::string p = test::keyPrefix("fresh");
        redis::Connection c(server.endpoint());
        c.command({"SET", p + "jobs:a", "worker-1", "EX", 600});
        const QString home = dir.filePath("fresh-home");
        QVERIFY(QDir().mkpath(home));
        const QByteArray saved = qgetenv("XDG_CONFIG_HOME");
        qputenv("XDG_CONFIG_HOME", home.toLocal8Bit());
        {
            ui::MainWindow w;
            w.connectTo({server.endpoint()}, "test");
            w.show();
            QTest::qWait(500);
            QVERIFY(QDir().mkpath(home + "/lockscope"));
            const std::string file = (home + "/lockscope/rules").toStdString();
            std::ofstream(file) << "lock " + p + "jobs:*\n";
            QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(p + "jobs:a") >= 0, 8000);
            std::ofstream(file) << "lock [bad\n";
            QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains("refused"), 8000);
            QCOMPARE(w.bridge()->rules().lockPatterns, std::vector<std::string>{p + "jobs:*"});
        }
        qputenv("XDG_CONFIG_HOME", saved);
    }
};

QTEST_MAIN(TestRulesDialog)
#include "test_rules_dialog.moc"

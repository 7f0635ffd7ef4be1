// Issue 17: where a password given to the dashboard could end up, checked on the real window and
// the real binary against a real password-protected redis-server: the window title, the status
// bar, every label and every table of the window (action log, events) while connected, through a
// server kill (the reconnecting message) and after a force-release; the audit file of that write;
// the dashboard's stderr up to a SIGABRT; and the embedded sandbox, which refuses a client
// without its random password.
#include <signal.h>

#include <QAbstractItemView>
#include <QAction>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <regex>

#include "monitor/target.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "test_support.h"
#include "ui/actions/action_dialogs.h"
#include "ui/actions/action_log_model.h"
#include "ui/actions/actions_controller.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/main_window.h"
#include "ui/status_panel.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

constexpr const char* kPassword = "s3cret-leak-9d41";
constexpr const char* kToken = "lockscope:set-nx-px:leak-host:4242:0123abcd:0123456789abcdef";
const QString kMarker = "s3cret-leak";

// Every text the window shows: title, labels, line edits, every cell of every view's model.
QStringList shownTexts(QWidget& w) {
    QStringList texts{w.windowTitle()};
    for (auto* l : w.findChildren<QLabel*>()) texts << l->text() << l->toolTip();
    for (auto* e : w.findChildren<QLineEdit*>()) texts << e->text();
    for (auto* v : w.findChildren<QAbstractItemView*>()) {
        const QAbstractItemModel* m = v->model();
        if (!m) continue;
        for (int r = 0; r < m->rowCount(); ++r)
            for (int c = 0; c < m->columnCount(); ++c) {
                texts << m->data(m->index(r, c)).toString()
                      << m->data(m->index(r, c), Qt::ToolTipRole).toString();
            }
    }
    return texts;
}

QString leakIn(QWidget& w) {
    for (const QString& t : shownTexts(w))
        if (t.contains(kMarker)) return t;
    return {};
}

}  // namespace

class TestSecrets : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString auditPath;

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        test::isolateSettings(dir.path(), "test_secrets");
        auditPath = dir.filePath("audit.log");
        qputenv("LOCKSCOPE_AUDIT_LOG", auditPath.toUtf8());
    }

    void windowNeverShowsThePassword() {
        sandbox::RedisServerOptions o;
        o.password = kPassword;
        sandbox::RedisServer server(o);
        const std::string prefix = test::keyPrefix("secrets-ui");
        const std::string key = prefix + "lock";
        redis::Connection(server.endpoint()).command({"SET", key, kToken, "PX", 60000});

        // As main.cpp connects for --url.
        monitor::ConnectionArgs args;
        args.url =
            "redis://:" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(server.port());
        const auto spec = monitor::connectionSpec(args);
        const QString description = QString::fromStdString(spec.description);
        QVERIFY2(!description.contains(kMarker), qPrintable(description));
        ui::MainWindow w;
        w.show();
        w.connectTo(spec.target, description);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(key) >= 0, 5000);
        QVERIFY2(leakIn(w).isEmpty(), qPrintable(leakIn(w)));
        w.setReadOnly(true);  // the title is rebuilt
        QVERIFY2(!w.windowTitle().contains(kMarker), qPrintable(w.windowTitle()));
        w.setReadOnly(false);

        // A force-release: the action log, its message line and the audit file.
        auto* ctl = w.actionsController();
        const int row = w.lockModel()->rowOf(key);
        w.locksPanel()->table()->setCurrentIndex(
            w.locksPanel()->proxy()->mapFromSource(w.lockModel()->index(row, 0)));
        ctl->forceReleaseAction()->trigger();
        auto* dialog = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        QVERIFY2(!dialog->shownText().contains(kMarker), qPrintable(dialog->shownText()));
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(ctl->logModel()->rowCount(), 1, 5000);
        // "running…" until the worker answers; the audit line is written before "done".
        QTRY_COMPARE_WITH_TIMEOUT(ctl->logModel()->outcomeAt(0), QString("done"), 5000);
        QVERIFY2(!ctl->logModel()->messageAt(0).contains(kMarker),
                 qPrintable(ctl->logModel()->messageAt(0)));
        QVERIFY2(!ctl->messageLabel()->text().contains(kMarker),
                 qPrintable(ctl->messageLabel()->text()));
        QFile audit(auditPath);
        QVERIFY(audit.open(QIODevice::ReadOnly));
        const QString auditText = QString::fromUtf8(audit.readAll());
        QVERIFY2(auditText.contains(QString::fromStdString(key)), qPrintable(auditText));
        QVERIFY2(!auditText.contains(kMarker), qPrintable(auditText));
        if (auto* box = ctl->activeDialog()) box->close();

        // The server goes away: the status bar's reconnecting message and errors.
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("reconnecting"), 8000);
        QTest::qWait(1200);  // a few failed attempts' messages
        QVERIFY2(leakIn(w).isEmpty(), qPrintable(leakIn(w)));
        server.restart();
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to"), 10000);
        QVERIFY2(leakIn(w).isEmpty(), qPrintable(leakIn(w)));
    }

    // The binary: what it printed until it aborted.
    void dashboardAbortOutput() {
        sandbox::RedisServerOptions o;
        o.password = kPassword;
        sandbox::RedisServer server(o);
        const std::string url =
            "redis://:" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(server.port());
        auto child = test::ChildProcess::spawn(
            {LOCKSCOPE_DASHBOARD_PATH, "-platform", "offscreen", "--url", url});
        // Connected: the server sees a client named by the dashboard.
        redis::Connection admin(server.endpoint());
        auto clients = [&] {
            return QString::fromStdString(std::string(admin.command({"CLIENT", "LIST"}).str()))
                .count("\n");
        };
        QTRY_VERIFY_WITH_TIMEOUT(clients() >= 2, 10000);
        QCOMPARE(::kill(child.pid(), SIGABRT), 0);
        const auto code = child.wait(10s);
        QVERIFY(code.has_value());
        QCOMPARE(*code, 128 + SIGABRT);
        const std::string err = child.drainStderr(), out = child.drainStdout();
        QVERIFY2(err.find("s3cret-leak") == std::string::npos, err.c_str());
        QVERIFY2(out.find("s3cret-leak") == std::string::npos, out.c_str());
    }

    // The embedded sandbox (no --url): loopback is every local user's, so it has a random
    // password; the line on stderr gives its address only.
    void sandboxRefusesOtherClients() {
        auto child =
            test::ChildProcess::spawn({LOCKSCOPE_DASHBOARD_PATH, "-platform", "offscreen"});
        std::string err;
        std::smatch m;
        const std::regex started(R"(sandbox redis-server at 127\.0\.0\.1:(\d+) \(random password)");
        for (int i = 0; i < 100 && !std::regex_search(err, m, started); ++i) {
            QTest::qWait(100);
            err += child.drainStderr();
        }
        QVERIFY2(std::regex_search(err, m, started), err.c_str());
        const int port = std::stoi(m[1].str());
        try {
            redis::Connection c(redis::Endpoint::tcpEndpoint("127.0.0.1", port));
            c.command({"SET", "intruder", "1"});
            QFAIL("the sandbox accepted a client without its password");
        } catch (const redis::Error& e) {
            QVERIFY2(
                QString(e.what()).contains("NOAUTH") || QString(e.what()).contains("uthentication"),
                e.what());
        }
        child.terminate();
        QVERIFY(child.wait(15s).has_value());
    }
};

QTEST_MAIN(TestSecrets)
#include "test_secrets.moc"

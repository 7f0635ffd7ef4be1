// Every write action of the dashboard, driven through the real main window (menus' QActions, the
// real dialogs, the action service on its thread) against a real redis-server:
//   - force-release of a lock whose holder changed after it was shown is refused with "holder
//     changed", the new holder keeps the lock, and the attempt is in the audit log; unchanged, the
//     lock is deleted and logged;
//   - read-only mode disables every write action and the service refuses direct calls, also ones
//     queued before the switch; nothing changes in Redis;
//   - acquire with "hold" keeps the lock past several TTLs (renewed by the service, or by the
//     strategy itself), and release from the dashboard gives it back, as closing it does;
//   - a busy lock is refused with its holder; extending someone else's lock is compare-and-act and
//     logged; a counter is set and reset (confirmed, logged), and a lock is never taken for one;
//   - a key with a backslash and a tab reads the same in the table, the dialogs, the action log
//     and the audit log, and turns back into the key.
// QAbstractItemModelTester watches the action log and the lock table in every test.
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "redis/connection.h"
#include "test_support.h"
#include "ui/actions/action_dialogs.h"
#include "ui/actions/action_log_model.h"
#include "ui/actions/action_service.h"
#include "ui/actions/actions_controller.h"
#include "ui/common/display_text.h"
#include "ui/counters/counter_table_model.h"
#include "ui/counters/counters_panel.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"

using namespace lockscope;
using namespace std::chrono_literals;
using ui::ActionsController;

namespace {

std::string tokenOf(const char* who) {
    return std::string("lockscope:set-nx-px:") + who + ":4242:0123abcd:0123456789abcdef";
}

QModelIndex lockRow(ui::MainWindow& w, const std::string& key, int column = 0) {
    const int row = w.lockModel()->rowOf(key);
    if (row < 0) return {};
    return w.locksPanel()->proxy()->mapFromSource(w.lockModel()->index(row, column));
}

QString holderShown(ui::MainWindow& w, const std::string& key) {
    const QModelIndex i = lockRow(w, key, ui::LockTableModel::Holder);
    return i.isValid() ? i.data().toString() : QString();
}

QModelIndex counterRow(ui::MainWindow& w, const std::string& key) {
    const int row = w.counterModel()->rowOf(key);
    if (row < 0) return {};
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(w.countersPanel()->table()->model());
    return proxy->mapFromSource(w.counterModel()->index(row, 0));
}

std::optional<std::string> get(const sandbox::RedisServer& s, const std::string& key) {
    redis::Connection c(s.endpoint());
    return c.command({"GET", key}).optString();
}

// The outcome column of the newest action log row.
QString lastOutcome(ActionsController* ctl) {
    const int n = ctl->logModel()->rowCount();
    return n ? ctl->logModel()->outcomeAt(n - 1) : QString();
}
QString lastMessage(ActionsController* ctl) {
    const int n = ctl->logModel()->rowCount();
    return n ? ctl->logModel()->messageAt(n - 1) : QString();
}

}  // namespace

class TestLockActions : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString auditPath;
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;

    QStringList auditLines() const {
        QFile f(auditPath);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
    }
    // Audit lines about `key` (fields: time, user, host, server, action, key, detail, outcome).
    QList<QStringList> auditFor(const std::string& key) const {
        QList<QStringList> out;
        for (const auto& line : auditLines()) {
            const auto f = line.split('\t');
            if (f.size() == 8 && f[5] == QString::fromStdString(key)) out << f;
        }
        return out;
    }

    // A main window following the test server, with model testers on the models under test.
    struct Window {
        ui::MainWindow w;
        QAbstractItemModelTester logTester;
        QAbstractItemModelTester lockTester;
        explicit Window(const sandbox::RedisServer& s)
            : logTester(w.actionsController()->logModel(),
                        QAbstractItemModelTester::FailureReportingMode::QtTest),
              lockTester(w.lockModel(), QAbstractItemModelTester::FailureReportingMode::QtTest) {
            w.connectTo({s.endpoint()}, "test");
            w.show();
        }
        ActionsController* ctl() { return w.actionsController(); }
        ui::ActionService* service() { return ctl()->service(); }
        void select(const std::string& key) {
            w.locksPanel()->table()->setCurrentIndex(lockRow(w, key));
        }
    };

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        test::isolateSettings(dir.path(), "test_lock_actions");
        auditPath = dir.filePath("audit.log");
        qputenv("LOCKSCOPE_AUDIT_LOG", auditPath.toUtf8());
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("actions");
    }
    void cleanupTestCase() { server.reset(); }

    void forceReleaseRefusedWhenHolderChanged() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "fr-changed";
        const std::string a = tokenOf("host-a"), b = tokenOf("host-b");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(a), 5000);
        win.select(key);
        QVERIFY(ctl->forceReleaseAction()->isEnabled());

        ctl->forceReleaseAction()->trigger();
        auto* dialog = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->shownHolder(), a);
        QVERIFY2(dialog->shownText().contains(QString::fromStdString(a)),
                 qPrintable(dialog->shownText()));
        QVERIFY2(dialog->shownText().contains("s when you opened this"),
                 qPrintable(dialog->shownText()));

        // While the operator reads the dialog, the lock changes hands.
        c.command({"SET", key, b, "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(b), 3000);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);  // confirms deleting A's lock

        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("holder changed"), 5000);
        QVERIFY2(lastMessage(ctl).contains("holder changed") &&
                     lastMessage(ctl).contains(QString::fromStdString(b)),
                 qPrintable(lastMessage(ctl)));
        QCOMPARE(get(*server, key), std::optional<std::string>(b));  // B still holds it
        auto* box = qobject_cast<QMessageBox*>(ctl->activeDialog());
        QVERIFY(box && box->isVisible());
        QVERIFY2(box->text().contains("holder changed"), qPrintable(box->text()));
        QCOMPARE(ctl->messageLabel()->text(), lastMessage(ctl));

        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0][4], QString("force-release"));
        QCOMPARE(audit[0][3], QString::fromStdString(server->endpoint().display()));
        QVERIFY2(audit[0][6].contains("holder=" + QString::fromStdString(a)) &&
                     audit[0][6].contains("found=" + QString::fromStdString(b)),
                 qPrintable(audit[0][6]));
        QCOMPARE(audit[0][7], QString("holder-changed"));
    }

    // F11j: a sidekiq-unique-jobs lock is shown read-only — Force-Release… and Extend… are off,
    // their tooltip saying why and what to run instead (its unlock keeps the digest's zset and
    // lists: docs/client-formats.md#format-sidekiq-unique-jobs).
    void sidekiqUniqueJobsIsReadOnly() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "uniquejobs:5f1c0a9e:LOCKED";
        redis::Connection c(server->endpoint());
        c.command({"HSET", key, "0f3c2a1b4d5e6f708192a3b4", "1796620000.5234"});
        c.command({"PEXPIRE", key, 60000});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString("0f3c2a1b4d5e6f708192a3b4"),
                                  5000);
        win.select(key);
        QVERIFY(!ctl->forceReleaseAction()->isEnabled());
        QVERIFY2(ctl->forceReleaseAction()->toolTip().contains("delete_by_digest"),
                 qPrintable(ctl->forceReleaseAction()->toolTip()));
        QVERIFY(!ctl->extendAction()->isEnabled());
        QVERIFY(ctl->extendAction()->toolTip().contains("sidekiq-unique-jobs"));
        const QByteArray shots = qgetenv("LOCKSCOPE_SCREENSHOT_DIR");
        if (!shots.isEmpty()) {
            win.w.resize(1280, 800);
            QTest::qWait(300);
            QVERIFY(win.w.grab().save(QString::fromUtf8(shots) + "/locks-sidekiq.png"));
        }
        c.command({"DEL", key});
    }

    // adv11d item 9: an integer lock without a TTL that did not move in the 3 s watch may be a
    // heartbeat beating every 5 s. The dashboard had followed it for a moment only: refused
    // ("busy", the reason in the log), nothing changed, audited as may-be-beating.
    void forceReleaseOfAStillIntegerIsRefusedAsMaybeBeating() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "slowhb:lock";
        redis::Connection c(server->endpoint());
        c.command({"SET", key, "7"});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString("7"), 5000);
        win.select(key);
        ctl->forceReleaseAction()->trigger();
        auto* dialog = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        // A guessed lock (adv11h): the operator's word first — the button is off until ticked.
        QVERIFY(dialog->guessCheck());
        QVERIFY(!dialog->confirmButton()->isEnabled());
        QVERIFY2(dialog->shownText().contains("only guessed"), qPrintable(dialog->shownText()));
        if (const QByteArray shots = qgetenv("LOCKSCOPE_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(dialog->grab().save(QString::fromUtf8(shots) + "/force-release-guess.png"));
        dialog->guessCheck()->setChecked(true);
        QVERIFY(dialog->confirmButton()->isEnabled());
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("busy"), 15000);
        QVERIFY2(lastMessage(ctl).contains("a heartbeat beating slower than that would look the "
                                           "same"),
                 qPrintable(lastMessage(ctl)));
        QCOMPARE(get(*server, key), std::optional<std::string>("7"));
        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 1);
        QVERIFY2(audit[0][7].startsWith("may-be-beating: its integer did not move"),
                 qPrintable(audit[0][7]));
    }

    void forceReleaseDeletesTheLockShown() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "fr-same";
        const std::string a = tokenOf("host-a");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(a), 5000);
        win.select(key);
        ctl->forceReleaseAction()->trigger();
        auto* dialog = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        // Cancel changes nothing.
        dialog->reject();
        QTest::qWait(300);
        QCOMPARE(get(*server, key), std::optional<std::string>(a));
        QCOMPARE(ctl->logModel()->rowCount(), 0);

        ctl->forceReleaseAction()->trigger();
        dialog = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QCOMPARE(get(*server, key), std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(lockRow(win.w, key, ui::LockTableModel::State).data().toString(),
                                  QString("free"), 3000);
        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0][7], QString("done"));
    }

    // Issue 14: an expirable semaphore's stuck permit (its holder is gone; a permit whose lease
    // ran out is free already and names no holder, round 3) is given back on its own — only
    // while that permit is still taken; the live permit stays. Nothing is chosen until the
    // operator chooses (round 3: the default was "all", live holders included). A second try on
    // the permit already returned is refused; both are audited.
    void forceReleaseOneStuckPermit() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "fr-permits";
        const std::string leases = "{" + key + "}:timeout";
        const std::string live = "0a1b2c3d4e5f6a7b", stuck = "ffeeddccbbaa9988";
        redis::Connection c(server->endpoint());
        const long long now = c.command({"TIME"})[0].asInteger() * 1000;
        c.command({"SET", key, 0});
        c.command({"ZADD", leases, now + 600000, live, now + 500000, stuck});
        // The Holder column shows a list count first, whole ids (F14e).
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key),
                                  QString::fromStdString("2 permits: " + live + ", " + stuck),
                                  5000);
        win.select(key);
        QVERIFY(ctl->forceReleaseAction()->isEnabled());

        auto open = [&]() -> ui::ForceReleaseDialog* {
            ctl->forceReleaseAction()->trigger();
            return qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        };
        auto* dialog = open();
        QVERIFY(dialog && dialog->whichBox());
        QCOMPARE(dialog->whichBox()->count(), 4);  // choose one…, each permit, all
        QCOMPARE(dialog->whichBox()->currentIndex(), 0);
        QVERIFY(dialog->request().holder.empty());
        QVERIFY(!dialog->confirmButton()->isEnabled());
        // Each entry is the permit id and whose it is (issue 14: " — host …, pid …"); its data is
        // the id alone.
        const int stuckIndex = dialog->whichBox()->findData(QByteArray::fromStdString(stuck));
        QVERIFY(stuckIndex > 0);
        QVERIFY(dialog->whichBox()->itemText(stuckIndex).startsWith(QString::fromStdString(stuck)));
        dialog->whichBox()->setCurrentIndex(stuckIndex);
        QVERIFY(dialog->confirmButton()->isEnabled());
        const auto req = dialog->request();
        QCOMPARE(req.holder, stuck);
        QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QCOMPARE(c.command({"GET", key}).str(), std::string_view("1"));  // the permit is back
        QVERIFY(c.command({"ZSCORE", leases, stuck}).isNil());
        QVERIFY(!c.command({"ZSCORE", leases, live}).isNil());  // the live holder keeps its own

        // The table now shows the live permit alone; a stale request for the returned permit
        // (what the dialog above still holds) is compared first and refused.
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(live), 5000);
        win.service()->forceRelease(key, req.holder, req.ttlMs);
        // Its final outcome, not "running…" (the audit line is written when it is known).
        QTRY_VERIFY_WITH_TIMEOUT(
            lastOutcome(ctl) != QString("done") && lastOutcome(ctl) != QString("running…"), 5000);
        QCOMPARE(c.command({"GET", key}).str(), std::string_view("1"));
        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 2);
        QVERIFY2(audit[0][6].contains("holder=" + QString::fromStdString(stuck)),
                 qPrintable(audit[0][6]));
        QCOMPARE(audit[0][7], QString("done"));
        QVERIFY(audit[1][7] != QString("done"));
    }

    // adv14d item 11: force-releasing one reader of a read-write lock left the other reader in,
    // yet the Action Log said only "Force-released rw3". It says for whom, and who still holds
    // it, as the CLI does.
    void partialReleaseSaysWhoStillHoldsIt() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "rw-partial";
        const std::string a = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47",
                          b = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d:12";
        redis::Connection c(server->endpoint());
        c.command({"HSET", key, "mode", "read", a, 1, b, 1});
        for (const auto& field : {a, b})
            c.command({"SET", "{" + key + "}:" + field + ":rwlock_timeout:1", 1, "PX", 60000});
        c.command({"PEXPIRE", key, 60000});
        QTRY_VERIFY_WITH_TIMEOUT(lockRow(win.w, key).isValid(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!win.service()->nodes().empty(), 5000);
        win.service()->forceRelease(key, a, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QCOMPARE(c.command({"HEXISTS", key, b}).integer(), 1LL);  // b still reads
        const QString message = lastMessage(ctl);
        QVERIFY2(message.contains(QString::fromStdString("for " + a)) &&
                     message.contains(QString::fromStdString("still held by " + b)),
                 qPrintable(message));
    }

    // A key with a backslash and a tab reads the same in the Locks table, the Acquire dialog, the
    // action log, the result message and the audit log (the one display rule, util/text.h), and
    // what the table shows turns back into the key.
    void oddKeysReadTheSameEverywhere() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "odd\\key\ttab";
        const std::string a = tokenOf("host-a");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 60000});
        QTRY_VERIFY_WITH_TIMEOUT(lockRow(win.w, key).isValid(), 5000);
        const QString shown = lockRow(win.w, key).data().toString();
        QCOMPARE(shown, QString::fromStdString(prefix) + "odd\\\\key\\x09tab");
        QCOMPARE(ui::parseDisplayText(shown), std::optional<std::string>(key));

        win.select(key);
        ctl->acquireAction()->trigger();
        auto* acquire = qobject_cast<ui::AcquireDialog*>(ctl->activeDialog());
        QVERIFY(acquire);
        QCOMPARE(acquire->request().key, key);  // starts from the selected lock's key
        acquire->reject();

        win.service()->forceRelease(key, a, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        const int n = ctl->logModel()->rowCount();
        QCOMPARE(ctl->logModel()->index(n - 1, ui::ActionLogModel::Key).data().toString(), shown);
        QVERIFY2(lastMessage(ctl).contains(shown), qPrintable(lastMessage(ctl)));
        QCOMPARE(auditFor(shown.toStdString()).size(), 1);
    }

    void readOnlyBlocksEveryWrite() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "ro-lock";
        const std::string counter = prefix + "ro-counter";
        const std::string a = tokenOf("host-a");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 60000});
        c.command({"SET", counter, 7});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(a), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(counterRow(win.w, counter).isValid(), 5000);
        win.select(key);
        win.w.countersPanel()->table()->selectRow(counterRow(win.w, counter).row());
        QVERIFY(ctl->forceReleaseAction()->isEnabled());
        QVERIFY(ctl->setCounterAction()->isEnabled());

        // Actions > Read-only mode, as the user switches it.
        auto* toggle = win.w.findChild<QAction*>("actionReadOnly");
        QVERIFY(toggle);
        toggle->trigger();
        QVERIFY(win.w.readOnly());
        for (QAction* action : ctl->writeActions())
            QVERIFY2(!action->isEnabled(), qPrintable(action->objectName() + " is still enabled"));
        QVERIFY(!ctl->acquireAction()->isEnabled());
        // A disabled action's slot invoked anyway opens nothing.
        ctl->openForceRelease();
        ctl->openAcquire();
        QVERIFY(!ctl->activeDialog());

        // The service refuses direct calls too.
        auto* svc = win.service();
        svc->forceRelease(key, a, 1000);
        svc->setCounter(counter, 0);
        svc->acquire(prefix + "ro-new", "set-nx-px", 10000, false);
        QTRY_COMPARE_WITH_TIMEOUT(ctl->logModel()->rowCount(), 3, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(svc->pending(), 0, 3000);
        for (int r = 0; r < 3; ++r) QCOMPARE(ctl->logModel()->outcomeAt(r), QString("read-only"));
        QCOMPARE(get(*server, key), std::optional<std::string>(a));
        QCOMPARE(get(*server, counter), std::optional<std::string>("7"));
        QCOMPARE(get(*server, prefix + "ro-new"), std::nullopt);
        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0][7], QString("refused-read-only"));
        // Refused or not, the line says what the operator was shown.
        QCOMPARE(audit[0][6], "holder=" + QString::fromStdString(a) + " ttl_shown_ms=1000 found=");
        QVERIFY(!win.w.findChild<QWidget*>("readOnlyNote")->isHidden());  // the log dock says why

        // Off again: the actions come back.
        toggle->trigger();
        QVERIFY(ctl->forceReleaseAction()->isEnabled());
        QVERIFY(ctl->setCounterAction()->isEnabled());

        // A request already queued when read-only mode is switched on is refused as well: it waits
        // behind an acquire that waits 1.5 s for the busy lock.
        svc->acquire(key, "set-nx-px", 10000, false, 1500);
        svc->forceRelease(key, a, 1000);
        win.w.setReadOnly(true);
        QTRY_COMPARE_WITH_TIMEOUT(svc->pending(), 0, 10000);
        const int n = ctl->logModel()->rowCount();
        // The acquire may have started before the switch (then it ends busy) or not.
        QVERIFY2(QStringList({"busy", "read-only"}).contains(ctl->logModel()->outcomeAt(n - 2)),
                 qPrintable(ctl->logModel()->outcomeAt(n - 2)));
        QCOMPARE(ctl->logModel()->outcomeAt(n - 1), QString("read-only"));
        QCOMPARE(get(*server, key), std::optional<std::string>(a));
        win.w.setReadOnly(false);
    }

    void acquireHoldAndRelease_data() {
        QTest::addColumn<QString>("strategy");
        QTest::newRow("set-nx-px: renewed by the service") << "set-nx-px";
        QTest::newRow("reentrant: watchdog renews") << "reentrant";
        QTest::newRow("heartbeat: beats") << "heartbeat";
    }

    void acquireHoldAndRelease() {
        QFETCH(QString, strategy);
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "hold-" + strategy.toStdString();
        QVERIFY(ctl->acquireAction()->isEnabled());
        ctl->acquireAction()->trigger();
        auto* dialog = qobject_cast<ui::AcquireDialog*>(ctl->activeDialog());
        QVERIFY(dialog && dialog->isVisible());
        dialog->keyEdit()->setText("");
        QVERIFY(!dialog->okButton()->isEnabled());  // no key, no acquire
        dialog->keyEdit()->setText(QString::fromStdString(key));
        dialog->strategyBox()->setCurrentIndex(dialog->strategyBox()->findData(strategy));
        dialog->ttlSpin()->setValue(1500);
        dialog->holdCheck()->setChecked(true);
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(int(win.service()->leases().size()), 1, 2000);
        const auto lease = win.service()->leases().front();
        QCOMPARE(lease.key, key);
        QVERIFY(lease.renewing);
        QTRY_VERIFY_WITH_TIMEOUT(
            holderShown(win.w, key).contains(QString::fromStdString(lease.token)), 5000);

        // Three TTLs later it is still ours: renewed while held.
        QTest::qWait(4500);
        redis::Connection c(server->endpoint());
        QCOMPARE(c.command({"EXISTS", key}).integer(), 1LL);
        QVERIFY(holderShown(win.w, key).contains(QString::fromStdString(lease.token)));
        QCOMPARE(int(win.service()->leases().size()), 1);

        // Release from the dashboard.
        win.select(key);
        QTRY_VERIFY_WITH_TIMEOUT(ctl->releaseAction()->isEnabled(), 2000);
        ctl->releaseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(c.command({"EXISTS", key}).integer(), 0LL, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(int(win.service()->leases().size()), 0, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(!ctl->releaseAction()->isEnabled(), 3000);
    }

    void heldLeasesAreReleasedOnExit() {
        const std::string key = prefix + "exit";
        {
            Window win(*server);
            win.service()->acquire(key, "set-nx-px", 60000, true);
            QTRY_COMPARE_WITH_TIMEOUT(int(win.service()->leases().size()), 1, 5000);
            QVERIFY(get(*server, key).has_value());
        }                                           // the window closes
        QCOMPARE(get(*server, key), std::nullopt);  // given back, not left to its 60 s TTL
    }

    void leaseWithoutHoldRunsOut() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "no-hold";
        win.service()->acquire(key, "set-nx-px", 600, false);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(int(win.service()->leases().size()), 1, 2000);
        // Not renewed: gone after its TTL, and the dashboard says so.
        QTRY_COMPARE_WITH_TIMEOUT(int(win.service()->leases().size()), 0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("expired"), 3000);
        QCOMPARE(get(*server, key), std::nullopt);
    }

    void busyLockIsRefusedWithItsHolder() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "busy";
        const std::string a = tokenOf("host-a");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 60000});
        win.service()->acquire(key, "set-nx-px", 5000, true);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("busy"), 5000);
        QVERIFY2(lastMessage(ctl).contains(QString::fromStdString(a)),
                 qPrintable(lastMessage(ctl)));
        QCOMPARE(int(win.service()->leases().size()), 0);
        QCOMPARE(get(*server, key), std::optional<std::string>(a));
        // Bad input is refused before anything is sent.
        win.service()->acquire(prefix + "bad", "no-such-strategy", 5000, false);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("bad input"), 5000);
        QVERIFY2(lastMessage(ctl).contains("Unknown lock strategy 'no-such-strategy'"),
                 qPrintable(lastMessage(ctl)));
        // adv14c item 11: set-nx-px on a fair lock's hash says what the key is (the kind
        // check's words), not Redis's raw WRONGTYPE; nothing changes.
        const std::string fair = prefix + "busy-fair";
        const std::string field = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:51";
        c.command({"HSET", fair, field, 1});
        c.command({"PEXPIRE", fair, 60000});
        win.service()->acquire(fair, "set-nx-px", 5000, false);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("bad input"), 5000);
        QVERIFY2(lastMessage(ctl).contains("is not a set-nx-px lock: it is") &&
                     !lastMessage(ctl).contains("WRONGTYPE"),
                 qPrintable(lastMessage(ctl)));
        QCOMPARE(c.command({"HGET", fair, field}).str(), std::string_view("1"));
    }

    void extendSomeoneElsesLock() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string key = prefix + "extend";
        const std::string a = tokenOf("host-a");
        redis::Connection c(server->endpoint());
        c.command({"SET", key, a, "PX", 5000});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, key), QString::fromStdString(a), 5000);
        win.select(key);
        ctl->extendAction()->trigger();
        auto* dialog = qobject_cast<ui::ExtendDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        dialog->ttlSpin()->setValue(120000);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QVERIFY(c.command({"PTTL", key}).integer() > 100000);
        QCOMPARE(get(*server, key), std::optional<std::string>(a));
        const auto audit = auditFor(key);
        QCOMPARE(audit.size(), 1);
        QCOMPARE(audit[0][4], QString("extend"));
        QCOMPARE(audit[0][7], QString("done"));
    }

    // adv14b items 7 and 10: Extend… is not offered for a plain semaphore or a latch (no lease;
    // the tooltip says so); for an expirable semaphore it is, and its dialog says what happens
    // (each permit's lease is reset), which is what the core does. The expirable force-release
    // dialog names the one permit it returns (it said "the permit chosen above" with nothing to
    // choose).
    void synchronisersExtendTruthfully() {
        Window win(*server);
        auto* ctl = win.ctl();
        redis::Connection c(server->endpoint());
        const std::string sem = prefix + "ext-sem", lat = prefix + "ext-latch",
                          exp = prefix + "ext-exp", leases = "{" + exp + "}:timeout";
        c.command({"SET", sem, 2});
        c.command({"HSET", "lockscope_meta:{" + sem + "}", "kind", "semaphore", "size", 3});
        c.command({"SET", lat, 2});
        c.command({"HSET", "lockscope_meta:{" + lat + "}", "kind", "latch", "size", 3});
        const std::string permit = "0a1b2c3d4e5f6a7b";
        const long long now = c.command({"TIME"})[0].asInteger() * 1000;
        c.command({"SET", exp, 0});
        c.command({"ZADD", leases, now + 5000, permit});
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, sem), QString("taken:1/3"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, lat), QString("count:2/3"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(holderShown(win.w, exp), QString::fromStdString(permit), 5000);

        win.select(sem);
        QVERIFY(ctl->forceReleaseAction()->isEnabled());
        QVERIFY(!ctl->extendAction()->isEnabled());
        QVERIFY2(ctl->extendAction()->toolTip().contains("no lease"),
                 qPrintable(ctl->extendAction()->toolTip()));
        win.select(lat);
        QVERIFY(ctl->forceReleaseAction()->isEnabled());
        QVERIFY(!ctl->extendAction()->isEnabled());
        QVERIFY2(ctl->extendAction()->toolTip().contains("latch has no lease"),
                 qPrintable(ctl->extendAction()->toolTip()));

        win.select(exp);
        QVERIFY(ctl->extendAction()->isEnabled());
        ctl->forceReleaseAction()->trigger();
        auto* fr = qobject_cast<ui::ForceReleaseDialog*>(ctl->activeDialog());
        QVERIFY(fr && !fr->whichBox());
        QVERIFY2(fr->shownText().contains("Returns permit " + QString::fromStdString(permit)) &&
                     !fr->shownText().contains("chosen above"),
                 qPrintable(fr->shownText()));
        fr->reject();
        ctl->extendAction()->trigger();
        auto* dialog = qobject_cast<ui::ExtendDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        auto* note = dialog->findChild<QLabel*>("extendNote");
        QVERIFY(note);
        QVERIFY2(note->text().contains("lease of the permit shown") &&
                     !note->text().contains("the TTL is reset"),
                 qPrintable(note->text()));
        dialog->ttlSpin()->setValue(120000);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        const long long until = c.command({"ZSCORE", leases, permit}).asInteger();
        QVERIFY2(until > now + 100000, std::to_string(until - now).c_str());
        QCOMPARE(c.command({"PTTL", exp}).integer(), -1LL);  // the key itself stays without a TTL
    }

    void counterSetAndReset() {
        Window win(*server);
        auto* ctl = win.ctl();
        const std::string counter = prefix + "hits";
        redis::Connection c(server->endpoint());
        c.command({"SET", counter, 5});
        QTRY_VERIFY_WITH_TIMEOUT(counterRow(win.w, counter).isValid(), 5000);
        win.w.countersPanel()->table()->selectRow(counterRow(win.w, counter).row());
        QVERIFY(ctl->setCounterAction()->isEnabled());

        ctl->setCounterAction()->trigger();
        auto* dialog = qobject_cast<ui::SetCounterDialog*>(ctl->activeDialog());
        QVERIFY(dialog);
        dialog->valueEdit()->setText("12x");
        QVERIFY(!dialog->okButton()->isEnabled());
        dialog->valueEdit()->setText("99999999999999999999");  // past the 64-bit range
        QVERIFY(!dialog->okButton()->isEnabled());
        dialog->valueEdit()->setText("42");
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 5000);
        QCOMPARE(get(*server, counter), std::optional<std::string>("42"));

        QTRY_COMPARE_WITH_TIMEOUT(
            win.w.counterModel()->recordAt(win.w.counterModel()->rowOf(counter))->number, 42LL,
            3000);
        ctl->resetCounterAction()->trigger();
        auto* box = qobject_cast<QMessageBox*>(ctl->activeDialog());
        QVERIFY(box && box->isVisible());
        QVERIFY2(box->text().contains("(now 42) to 0"), qPrintable(box->text()));
        QTest::mouseClick(box->findChild<QPushButton*>("confirmButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(get(*server, counter), std::optional<std::string>("0"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("done"), 3000);

        const auto audit = auditFor(counter);
        QCOMPARE(audit.size(), 2);
        QCOMPARE(audit[0][4], QString("set-counter"));
        QVERIFY2(audit[0][6].contains("value=42") && audit[0][6].contains("was=5"),
                 qPrintable(audit[0][6]));
        QCOMPARE(audit[1][4], QString("reset-counter"));
        QVERIFY2(audit[1][6].contains("was=42"), qPrintable(audit[1][6]));

        // A lock is not a counter: refused, unchanged.
        const std::string lockKey = prefix + "not-a-counter";
        c.command({"SET", lockKey, tokenOf("host-a"), "PX", 60000});
        win.service()->setCounter(lockKey, 3);
        QTRY_COMPARE_WITH_TIMEOUT(lastOutcome(ctl), QString("not a counter"), 5000);
        QCOMPARE(get(*server, lockKey), std::optional<std::string>(tokenOf("host-a")));
    }
};

QTEST_MAIN(TestLockActions)
#include "test_lock_actions.moc"

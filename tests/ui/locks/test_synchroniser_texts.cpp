// Issue 14's untrue displays, on records the monitor's own inspector and classifier made from a
// real redis-server: the detail pane and the table call a semaphore with every permit free
// "unused", not "held" (U4), and a semaphore's or latch's hold is not one "with a TTL" (U1); the
// force-release dialog says what it does for a plain permit (how many, and that a leaked permit
// cannot be told from a live holder's: W7), an expirable permit (which, whose, what happens: U2)
// and a latch. With LOCKSCOPE_SHOTS=DIR set, each widget is also saved there as a PNG.
#include <unistd.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QtTest>

#include "locks/latch.h"
#include "locks/lock_strategy.h"
#include "monitor/classifier.h"
#include "monitor/inspector.h"
#include "monitor/monitor.h"
#include "test_support.h"
#include "ui/actions/action_dialogs.h"
#include "ui/actions/action_service.h"
#include "ui/locks/holder_history.h"
#include "ui/locks/lock_detail_pane.h"
#include "ui/locks/lock_table_model.h"
#include "ui/monitor_bridge.h"
#include "util/clock.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

monitor::KeyRecord recordOf(redis::Connection& c, const std::string& key) {
    monitor::Inspector inspector;
    auto inspected = inspector.inspect(c, {key});
    auto& seen = inspected.front();
    monitor::ClassifyContext ctx;
    ctx.wallNowMs = systemClock().wallMillis();
    ctx.now = monitor::Steady::now();
    ctx.companions = seen.companions;
    return monitor::classify(std::move(seen.observation), ctx);
}

void shot(QWidget& w, const QString& name) {
    const QString dir = qEnvironmentVariable("LOCKSCOPE_SHOTS");
    if (dir.isEmpty()) return;
    w.resize(w.sizeHint().expandedTo(QSize(720, 420)));
    w.show();
    QTest::qWait(50);
    w.grab().save(dir + "/" + name);
}

QString paneText(ui::LockDetailPane& pane) {
    return pane.findChild<QTextBrowser*>("lockDetail")->toPlainText();
}

QString valueCells(ui::LockDetailPane& pane) {
    QStringList out;
    for (int r = 0; r < pane.valueTable()->rowCount(); ++r)
        if (auto* item = pane.valueTable()->item(r, 1))
            out << item->text() + " = " +
                       (pane.valueTable()->item(r, 2) ? pane.valueTable()->item(r, 2)->text()
                                                      : QString());
    return out.join('\n');
}

// The action's answer, as the dashboard's worker gives it (refusals compare-and-act).
ui::ActionResult runAction(const sandbox::RedisServer& server, const ui::ActionRequest& q) {
    ui::ActionService service;
    service.setNodes({server.endpoint()});
    QSignalSpy finished(&service, &ui::ActionService::finished);
    service.submit(q);
    if (!finished.wait(15000)) return {};
    return finished.takeFirst().at(0).value<ui::ActionResult>();
}

ui::ActionRequest forceRelease(const std::string& key, const std::string& holder) {
    ui::ActionRequest q;
    q.kind = ui::ActionRequest::Kind::ForceRelease;
    q.key = key;
    q.holder = holder;
    q.ttlMs = -1;
    return q;
}

}  // namespace

class TestSynchroniserTexts : public QObject {
    Q_OBJECT
    std::unique_ptr<sandbox::RedisServer> server;
    std::string prefix;
    QTemporaryDir dir;

    locks::LockContext ctx(int permits) {
        auto c = test::contextFor(*server);
        c.config.permits = permits;
        return c;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir.isValid());
        test::isolateSettings(dir.path(), "test_synchroniser_texts");
        qputenv("LOCKSCOPE_AUDIT_LOG", dir.filePath("audit.log").toLocal8Bit());
        server = std::make_unique<sandbox::RedisServer>();
        prefix = test::keyPrefix("synctexts");
    }

    void unusedSemaphoreIsNotHeld() {
        const std::string key = prefix + "idle";
        auto s = locks::makeLockStrategy("semaphore", ctx(3));
        auto lease = s->tryAcquire(key, 1000ms);
        QVERIFY(lease);
        QCOMPARE(s->release(*lease), locks::ReleaseResult::Released);
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        QCOMPARE(r.format, monitor::Format::Semaphore);
        QCOMPARE(ui::LockTableModel::stateText(r), QString("unused"));
        ui::LockDetailPane pane;
        pane.showRecord(&r);
        const QString text = paneText(pane);
        QVERIFY2(text.contains("Unused: every permit is free") && !text.contains("with a TTL"),
                 qPrintable(text));
        shot(pane, "detail-semaphore-unused.png");
    }

    void semaphoreAndLatchHoldsHaveNoTtl() {
        const std::string key = prefix + "pool";
        auto s = locks::makeLockStrategy("semaphore", ctx(3));
        QVERIFY(s->tryAcquire(key, 1000ms));
        QVERIFY(s->tryAcquire(key, 1000ms));
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        QCOMPARE(r.format, monitor::Format::Semaphore);
        ui::LockDetailPane pane;
        pane.showRecord(&r);
        QString text = paneText(pane);
        QVERIFY2(text.contains("2 permit(s) taken") && text.contains("no TTL by design") &&
                     !text.contains("with a TTL"),
                 qPrintable(text));
        shot(pane, "detail-semaphore-taken.png");

        // The operator's dialog: how many to give back, and why not all.
        ui::ForceReleaseDialog dialog(r);
        QVERIFY(dialog.permitsBox());
        QCOMPARE(dialog.permitsBox()->value(), 1);
        QCOMPARE(dialog.permitsBox()->maximum(), 2);
        dialog.permitsBox()->setValue(2);
        QCOMPARE(dialog.request().permits, 2LL);
        text = dialog.shownText();
        QVERIFY2(text.contains("only if the number taken is still 2") &&
                     text.contains("does not tell a leaked permit from a live holder's") &&
                     !text.contains("The lock is deleted"),
                 qPrintable(text));
        shot(dialog, "force-release-semaphore.png");

        const std::string latchKey = prefix + "latch";
        locks::CountDownLatch latch(ctx(1));
        QVERIFY(latch.trySetCount(latchKey, 3));
        const auto l = recordOf(c, latchKey);
        QCOMPARE(l.format, monitor::Format::Latch);
        pane.showRecord(&l);
        text = paneText(pane);
        QVERIFY2(text.contains("3 count-down(s) to go") && !text.contains("with a TTL"),
                 qPrintable(text));
        ui::ForceReleaseDialog latchDialog(l);
        QVERIFY2(latchDialog.shownText().contains("Opens the latch"),
                 qPrintable(latchDialog.shownText()));

        // adv14c item 8: once it opened (its key deleted: the store marks the record free, with
        // what it last showed), it is "open" — not "free, nobody holds it" beside a count to go.
        auto opened = l;
        opened.state = monitor::LockState::Free;
        QCOMPARE(ui::LockTableModel::stateText(opened), QString("open"));
        pane.showRecord(&opened);
        text = paneText(pane);
        QVERIFY2(text.contains("(open)") && text.contains("Open: its count reached zero") &&
                     !text.contains("count-downs to go") && !text.contains("count:3/3") &&
                     !text.contains("Nobody holds it"),
                 qPrintable(text));
        shot(pane, "detail-latch-open.png");
    }

    void expirablePermitDialogSaysWhichAndWhose() {
        const std::string key = prefix + "leases";
        auto s = locks::makeLockStrategy("expirable-semaphore", ctx(2));
        auto lease = s->tryAcquire(key, 60000ms);
        QVERIFY(lease);
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        QCOMPARE(r.format, monitor::Format::ExpirableSemaphore);
        ui::ForceReleaseDialog dialog(r);
        const QString text = dialog.shownText();
        const auto token = locks::parseToken(lease->token);
        QVERIFY(token);
        // One permit, no chooser: the text names it (adv14b item 10: "the permit chosen above").
        QVERIFY2(text.contains("Returns permit " + QString::fromStdString(lease->token)) &&
                     !text.contains("chosen above") &&
                     text.contains(QString("pid %1").arg(token->pid)) &&
                     text.contains("The semaphore itself stays") &&
                     !text.contains("The lock is deleted"),
                 qPrintable(text));
        QVERIFY(!dialog.permitsBox());
        shot(dialog, "force-release-expirable.png");
    }

    // adv14c item 9: the force-release dialog of a read-write lock with several readers says
    // that one reader chosen leaves and the others keep the lock (it said the lock is deleted),
    // names the ids' kind truly (it said "another client's"), and chooses nothing by itself
    // (item 2). A fair lock's says that the first waiter takes it next.
    void partialReleaseIsSaidSo() {
        const std::string key = prefix + "readers";
        auto c1 = ctx(1);
        c1.config.rwMode = locks::LockConfig::RwMode::Read;
        auto a = locks::makeLockStrategy("read-write", c1);
        auto b = locks::makeLockStrategy("read-write", c1);
        QVERIFY(a->tryAcquire(key, 60000ms) && b->tryAcquire(key, 60000ms));
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        QVERIFY2(r.holder.find(',') != std::string::npos, r.holder.c_str());
        ui::ForceReleaseDialog dialog(r);
        QVERIFY(dialog.whichBox());
        QVERIFY(dialog.request().holder.empty());
        QVERIFY(!dialog.confirmButton()->isEnabled());
        QString labels;
        for (int i = 0; i < dialog.whichBox()->count(); ++i)
            labels += dialog.whichBox()->itemText(i) + "\n";
        QVERIFY2(!labels.contains("another client") && labels.contains("uuid:thread"),
                 qPrintable(labels));
        const QString text = dialog.shownText();
        QVERIFY2(text.contains("one reader leaves and the other holders keep the lock") &&
                     !text.contains("Deleting a lock that is still in use"),
                 qPrintable(text));
        dialog.whichBox()->setCurrentIndex(1);
        QVERIFY(dialog.confirmButton()->isEnabled());
        shot(dialog, "force-release-reader.png");

        const std::string fairKey = prefix + "fairq";
        auto fair = locks::makeLockStrategy("fair", ctx(1));
        QVERIFY(fair->tryAcquire(fairKey, 60000ms));
        const std::string waiter = "b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d:9";
        c.command({"RPUSH", "redisson_lock_queue:{" + fairKey + "}", waiter});
        c.command({"ZADD", "redisson_lock_timeout:{" + fairKey + "}",
                   systemClock().wallMillis() + 60000, waiter});
        // The survey tells a fair lock by its queue (the inspector alone reads the hash): the
        // record as the dashboard has it.
        auto f = recordOf(c, fairKey);
        f.format = monitor::Format::Fair;
        ui::ForceReleaseDialog fairDialog(f);
        QVERIFY2(fairDialog.shownText().contains("the first in line takes it next"),
                 qPrintable(fairDialog.shownText()));
    }

    // Issue 14 open defect 3: a latch in its own words — `closed` while counts are left (not
    // `held`), and an opened one's Holder cell "(open)" as the detail pane says (it read
    // "(free)"). Open defect 1: a fair lock listed from its queue (key missing, waiters live)
    // says so in the table and the pane.
    void latchAndQueueInTheirOwnWords() {
        redis::Connection c(server->endpoint());
        const std::string latchKey = prefix + "words-latch";
        locks::CountDownLatch latch(ctx(1));
        QVERIFY(latch.trySetCount(latchKey, 3));
        const auto closed = recordOf(c, latchKey);
        QCOMPARE(closed.format, monitor::Format::Latch);
        QCOMPARE(closed.state, monitor::LockState::Held);
        QCOMPARE(ui::LockTableModel::stateText(closed), QString("closed"));
        ui::LockDetailPane pane;
        pane.showRecord(&closed);
        QVERIFY2(paneText(pane).contains("closed") && !paneText(pane).contains("held"),
                 qPrintable(paneText(pane)));
        shot(pane, "detail-latch-closed.png");
        auto opened = closed;
        opened.state = monitor::LockState::Free;
        QCOMPARE(ui::LockTableModel::noHolderText(opened), QString("(open)"));
        ui::LockTableModel model;
        monitor::MonitorUpdate update;
        update.changed = {opened};
        model.apply(update);
        const int holderCol = ui::LockTableModel::Holder;
        QCOMPARE(model.data(model.index(0, holderCol), Qt::DisplayRole).toString(),
                 QString("(open)"));
        QCOMPARE(model.data(model.index(0, ui::LockTableModel::State), Qt::DisplayRole).toString(),
                 QString("open"));

        // A fair lock between a release and its first waiter's grant: listed from its queue.
        const std::string fairKey = prefix + "words-fair";
        const std::string uuid = "b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d";
        const long long now = systemClock().wallMillis();
        c.command({"RPUSH", "redisson_lock_queue:{" + fairKey + "}", uuid + ":1", uuid + ":2"});
        c.command({"ZADD", "redisson_lock_timeout:{" + fairKey + "}", now + 60000, uuid + ":1",
                   now + 65000, uuid + ":2"});
        monitor::Inspector inspector;
        auto seen = inspector.inspect(c, {"redisson_lock_queue:{" + fairKey + "}"});
        QVERIFY(seen.front().fairQueue);
        monitor::ClassifyContext cctx;
        cctx.wallNowMs = now;
        cctx.now = monitor::Steady::now();
        const auto queued = monitor::lockOfFairQueue(*seen.front().fairQueue, cctx);
        QVERIFY(queued && queued->queueOnly);
        QCOMPARE(queued->key, fairKey);
        QCOMPARE(ui::LockTableModel::noHolderText(*queued), QString("(free: 2 waiting)"));
        update.changed = {*queued};
        update.removed = {latchKey};
        model.apply(update);
        QCOMPARE(model.data(model.index(0, holderCol), Qt::DisplayRole).toString(),
                 QString("(free: 2 waiting)"));
        QCOMPARE(model.data(model.index(0, ui::LockTableModel::State), Qt::DisplayRole).toString(),
                 QString("free"));
        pane.showRecord(&*queued);
        const QString text = paneText(pane);
        QVERIFY2(text.contains("(free: 2 waiting)") &&
                     text.contains("2 live waiter(s) while the lock's key is missing") &&
                     text.contains("2 waiting in its queue, nobody holds it") &&
                     text.contains("the first in the queue takes it next") &&
                     !text.contains("Nobody holds it any more"),
                 qPrintable(text));
        shot(pane, "detail-fair-queued.png");
    }

    // adv14e item 6: the dashboard said a plain semaphore's Give-back "cannot tell a leaked
    // permit from a live holder's" while `lock inspect` lists each recorded token as connected or
    // gone. The detail pane lists the tokens, the dialog too, and offers a gone holder's token to
    // give back by itself (compare-and-act on the token, audited).
    void semaphoreTokensShownAndAGoneOneGivenBack() {
        const std::string key = prefix + "tokens";
        // A holder that is gone: the CLI took a permit and exited.
        auto cli = test::runCli({"--url", server->url(), "lock", "acquire", key, "--strategy",
                                 "semaphore", "--permits", "3", "--ttl", "1000"});
        QVERIFY2(cli.exitCode == 0, cli.err.c_str());
        const std::string goneToken = cli.out.substr(0, cli.out.find('\n'));
        QVERIFY2(locks::parseToken(goneToken), goneToken.c_str());
        // A live one: this process's connection stays.
        auto s = locks::makeLockStrategy("semaphore", ctx(3));
        auto live = s->tryAcquire(key, 1000ms);
        QVERIFY(live);
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        QCOMPARE(r.format, monitor::Format::Semaphore);
        QCOMPARE(r.holder, std::string("taken:2/3"));

        ui::MonitorBridge bridge;
        bridge.start({server->endpoint()}, {});
        ui::HolderHistory history;
        ui::LockDetailPane pane;
        pane.attach(&bridge, &history);
        pane.showRecord(&r);
        QTRY_VERIFY_WITH_TIMEOUT(pane.recordedPermits().size() == 2, 10000);
        const QString cells = valueCells(pane);
        QVERIFY2(cells.contains("token (gone) = " + QString::fromStdString(goneToken)) &&
                     cells.contains("token (connected) = " + QString::fromStdString(live->token)) &&
                     cells.contains("not connected: its holder is gone, its permit leaked") &&
                     cells.contains(QString::fromStdString(live->token) + "  host ") &&
                     cells.contains(", connected"),
                 qPrintable(cells));
        const auto goneInfo = locks::parseToken(goneToken);
        QTRY_VERIFY2_WITH_TIMEOUT(
            paneText(pane).contains(QString("Recorded tokens")) &&
                paneText(pane).contains(
                    QString("pid %1: gone, its permit leaked").arg(goneInfo->pid)) &&
                paneText(pane).contains(QString("pid %1: connected").arg(::getpid())),
            qPrintable(paneText(pane)), 5000);
        shot(pane, "detail-semaphore-tokens.png");

        ui::ForceReleaseDialog dialog(r, nullptr, nullptr, &pane.recordedPermits());
        const QString text = dialog.shownText();
        QVERIFY2(!text.contains("cannot tell a leaked permit") &&
                     !text.contains("does not tell a leaked permit") &&
                     text.contains("takes the tokens of holders that are gone first") &&
                     text.contains(QString::fromStdString(goneToken)) &&
                     text.contains("not connected: its holder is gone"),
                 qPrintable(text));
        // By count first (nothing chosen for the operator); the live holder's token is not
        // offered.
        QVERIFY(dialog.tokenBox());
        QCOMPARE(dialog.tokenBox()->count(), 2);
        QCOMPARE(dialog.request().holder, std::string("taken:2/3"));
        dialog.tokenBox()->setCurrentIndex(1);
        QVERIFY(!dialog.permitsBox()->isEnabled());
        shot(dialog, "force-release-semaphore-tokens.png");
        const auto request = dialog.request();
        QCOMPARE(request.holder, goneToken);
        QCOMPARE(request.permits, 0LL);

        const auto done = runAction(*server, request);
        QVERIFY2(done.outcome == ui::ActionResult::Outcome::Done, qPrintable(done.message));
        // That permit came back, the live one's stays recorded.
        QCOMPARE(std::string(c.command({"GET", key}).str()), std::string("2"));
        QCOMPARE(
            c.command({"HEXISTS", "lockscope_meta:{" + key + "}", "permit:" + goneToken}).integer(),
            0LL);
        QCOMPARE(s->release(*live), locks::ReleaseResult::Released);
        QCOMPARE(std::string(c.command({"GET", key}).str()), std::string("3"));
    }

    // adv14e item 8: the dashboard's refusals said "the holder changed — it is now held by
    // count:1/1" of a latch, "…held by taken:3/3" of a plain semaphore, and "held by <another
    // permit>" of an expirable permit that had been given back.
    void synchroniserRefusalsInTheirOwnWords() {
        redis::Connection c(server->endpoint());
        const std::string latchKey = prefix + "refused-latch";
        locks::CountDownLatch latch(ctx(1));
        QVERIFY(latch.trySetCount(latchKey, 3));
        const auto seenLatch = recordOf(c, latchKey).holder;  // count:3/3
        QCOMPARE(latch.countDown(latchKey), 2LL);
        auto r = runAction(*server, forceRelease(latchKey, seenLatch));
        QVERIFY2(r.outcome == ui::ActionResult::Outcome::HolderChanged, qPrintable(r.message));
        QVERIFY2(
            r.message.contains("the count changed: 2 of 3 left") && !r.message.contains("held by"),
            qPrintable(r.message));

        const std::string semKey = prefix + "refused-sem";
        auto sem = locks::makeLockStrategy("semaphore", ctx(3));
        QVERIFY(sem->tryAcquire(semKey, 1000ms) && sem->tryAcquire(semKey, 1000ms));
        const auto seenSem = recordOf(c, semKey).holder;  // taken:2/3
        QVERIFY(sem->tryAcquire(semKey, 1000ms));
        r = runAction(*server, forceRelease(semKey, seenSem));
        QVERIFY2(r.outcome == ui::ActionResult::Outcome::HolderChanged, qPrintable(r.message));
        QVERIFY2(r.message.contains("the permits taken changed: now 3 of 3") &&
                     !r.message.contains("held by"),
                 qPrintable(r.message));
        QCOMPARE(std::string(c.command({"GET", semKey}).str()), std::string("0"));

        const std::string expKey = prefix + "refused-exp";
        auto a = locks::makeLockStrategy("expirable-semaphore", ctx(2));
        auto b = locks::makeLockStrategy("expirable-semaphore", ctx(2));
        auto pa = a->tryAcquire(expKey, 60000ms);
        auto pb = b->tryAcquire(expKey, 60000ms);
        QVERIFY(pa && pb);
        QCOMPARE(a->release(*pa), locks::ReleaseResult::Released);  // given back meanwhile
        r = runAction(*server, forceRelease(expKey, pa->token));
        QVERIFY2(r.outcome == ui::ActionResult::Outcome::HolderChanged ||
                     r.outcome == ui::ActionResult::Outcome::NotHeld,
                 qPrintable(r.message));
        QVERIFY2(r.message.contains("that permit was given back") && !r.message.contains("held by"),
                 qPrintable(r.message));
        QCOMPARE(c.command({"ZSCORE", locks::permitLeaseKey(expKey), pb->token}).isNil(), false);
    }

    // adv14e item 9: an expirable permit's dropdown says whether its holder is a LockScope
    // client and connected, as a reader's does; a fair lock's Details line says how many wait.
    void expirableDropdownSaysConnectedAndFairQueueCounts() {
        const std::string key = prefix + "two-leases";
        auto a = locks::makeLockStrategy("expirable-semaphore", ctx(2));
        auto b = locks::makeLockStrategy("expirable-semaphore", ctx(2));
        auto pa = a->tryAcquire(key, 60000ms);
        auto pb = b->tryAcquire(key, 60000ms);
        QVERIFY(pa && pb);
        redis::Connection c(server->endpoint());
        const auto r = recordOf(c, key);
        const auto ta = locks::parseToken(pa->token), tb = locks::parseToken(pb->token);
        QVERIFY(ta && tb);
        // CLIENT LIST as the pane read it: a's connection is there, b's was looked for and is
        // not (gone: ""). A tag not looked for (a holder newer than the read) is not judged.
        std::unordered_map<std::string, std::string> clients{{ta->tag, ta->clientName()},
                                                             {tb->tag, ""}};
        ui::ForceReleaseDialog dialog(r, nullptr, &clients);
        QVERIFY(dialog.whichBox());
        QString labels;
        for (int i = 0; i < dialog.whichBox()->count(); ++i)
            labels += dialog.whichBox()->itemText(i) + "\n";
        QVERIFY2(
            labels.contains(QString::fromStdString(pa->token) +
                            QString(" — LockScope client, host %1, pid %2, connected")
                                .arg(QString::fromStdString(ta->host))
                                .arg(ta->pid)) &&
                labels.contains(QString::fromStdString(pb->token) + " — LockScope client, host ") &&
                labels.contains(", not connected: its holder is gone"),
            qPrintable(labels));
        clients.erase(tb->tag);
        ui::ForceReleaseDialog unread(r, nullptr, &clients);
        QString unreadLabels;
        for (int i = 0; i < unread.whichBox()->count(); ++i)
            unreadLabels += unread.whichBox()->itemText(i) + "\n";
        QVERIFY2(!unreadLabels.contains("not connected"), qPrintable(unreadLabels));
        dialog.whichBox()->setCurrentIndex(dialog.whichBox()->findText(
            "not connected", Qt::MatchContains));  // shown in the picture
        shot(dialog, "force-release-expirable-connected.png");

        const std::string fairKey = prefix + "fair-waiting";
        auto fair = locks::makeLockStrategy("fair", ctx(1));
        QVERIFY(fair->tryAcquire(fairKey, 60000ms));
        const std::string waiter = "b1f0c7e2-3f4d-4a6b-9c1d-6e5f4a3b2c1d:9";
        c.command({"RPUSH", "redisson_lock_queue:{" + fairKey + "}", waiter});
        c.command({"ZADD", "redisson_lock_timeout:{" + fairKey + "}",
                   systemClock().wallMillis() + 60000, waiter});
        auto f = recordOf(c, fairKey);
        f.format = monitor::Format::Fair;  // as the survey tells it (by its queue)
        ui::MonitorBridge bridge;
        bridge.start({server->endpoint()}, {});
        ui::HolderHistory history;
        ui::LockDetailPane pane;
        pane.attach(&bridge, &history);
        pane.showRecord(&f);
        QTRY_VERIFY_WITH_TIMEOUT(paneText(pane).contains("1 waiting"), 10000);
        shot(pane, "detail-fair-waiting.png");
    }

    // adv14c item 11: the Acquire dialog sets up the new primitives — the strategy that fits
    // the selected lock, a Mode for read-write, Permits for semaphores, no TTL for a plain one.
    void acquireDialogFitsThePrimitive() {
        using F = monitor::Format;
        const std::pair<F, QString> fits[] = {{F::Fair, "fair"},
                                              {F::RedissonFairLock, "fair"},
                                              {F::RedissonRwLock, "read-write"},
                                              {F::Semaphore, "semaphore"},
                                              {F::ExpirableSemaphore, "expirable-semaphore"},
                                              {F::Unknown, "set-nx-px"}};
        for (const auto& [format, id] : fits) {
            ui::AcquireDialog d("k", 1, nullptr, format);
            QCOMPARE(d.strategyBox()->currentData().toString(), id);
        }
        ui::AcquireDialog d("k", 1, nullptr, F::RedissonRwLock);
        QVERIFY(d.modeBox()->isVisibleTo(&d) && !d.permitsSpin()->isVisibleTo(&d));
        d.modeBox()->setCurrentIndex(1);
        QVERIFY(d.request().readMode);
        shot(d, "acquire-read-write.png");
        d.strategyBox()->setCurrentIndex(d.strategyBox()->findData("semaphore"));
        QVERIFY(!d.modeBox()->isVisibleTo(&d) && d.permitsSpin()->isVisibleTo(&d));
        QVERIFY(!d.ttlSpin()->isVisibleTo(&d) && !d.holdCheck()->isVisibleTo(&d));
        d.permitsSpin()->setValue(3);
        QCOMPARE(d.request().permits, 3LL);
        QVERIFY(!d.request().readMode);
        shot(d, "acquire-semaphore.png");
        d.strategyBox()->setCurrentIndex(d.strategyBox()->findData("expirable-semaphore"));
        QVERIFY(d.permitsSpin()->isVisibleTo(&d) && d.ttlSpin()->isVisibleTo(&d));
    }
};

QTEST_MAIN(TestSynchroniserTexts)
#include "test_synchroniser_texts.moc"

// The status bar of the real main window against real redis-servers: server version and role,
// rtt, keys and events/s; the one-click "Enable" only where notifications are off and CONFIG is
// allowed — and it enables them; "reconnecting…" across a server kill and restart; colours that
// stay readable when the palette turns dark.
//
// Set LOCKSCOPE_SCREENSHOT_DIR to save the status bar in its polling state (status-polling.png).
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QStatusBar>
#include <QtTest>

#include "redis/connection.h"
#include "test_support.h"
#include "ui/common/palette_colours.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "ui/status_panel.h"

using namespace lockscope;

namespace {

QString label(ui::MainWindow& w, const char* name) {
    return w.statusPanel()->findChild<QLabel*>(name)->text();
}

QString notifyFlags(const sandbox::RedisServer& server) {
    redis::Connection c(server.endpoint());
    auto r = c.command({"CONFIG", "GET", "notify-keyspace-events"});
    return QString::fromStdString(std::string(r.at(1).str()));
}

// The colour of the connection dot ("<span style='color:#rrggbb'>●</span> ...").
QColor dotColour(ui::MainWindow& w) {
    auto m = QRegularExpression("color:(#[0-9a-fA-F]{6})").match(w.statusPanel()->connectionText());
    return m.hasMatch() ? QColor(m.captured(1)) : QColor();
}

}  // namespace

class TestStatusPanel : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;

private slots:
    void initTestCase() {
        QVERIFY(settingsDir.isValid());
        test::isolateSettings(settingsDir.path(), "test_status_panel");
    }

    void showsServerRttKeysAndEvents() {
        sandbox::RedisServer server;
        {
            redis::Connection c(server.endpoint());
            c.command({"SET", "lock:a", "lockscope:set-nx-px:elsewhere:1:0123abcd:0123456789abcdef",
                       "PX", 60000});
            c.command({"SET", "lock:b", "lockscope:set-nx-px:elsewhere:2:0123abcd:fedcba9876543210",
                       "PX", 60000});
            c.command({"SET", "hits", 41});
        }
        ui::MainWindow w;
        w.show();
        w.connectTo({server.endpoint()}, "probe");
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to probe"),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(QRegularExpression("^Redis 7\\.\\d+\\.\\d+ \\(master\\)$")
                                     .match(label(w, "statusServer"))
                                     .hasMatch(),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(QRegularExpression("^rtt \\d+\\.\\d\\d ms$")
                                     .match(label(w, "statusLatency"))
                                     .hasMatch(),
                                 5000);
        QTRY_COMPARE_WITH_TIMEOUT(label(w, "statusKeys"), QString("2 locks, 1 counters"), 5000);
        QCOMPARE(w.statusPanel()->notificationsText(), QString("notifications on"));
        QVERIFY(!w.statusPanel()->enableButton()->isVisible());  // nothing to enable
        // Events per second follow what the server does.
        QTimer writer;
        redis::Connection c(server.endpoint());
        connect(&writer, &QTimer::timeout, [&] { c.command({"INCR", "hits"}); });
        writer.start(20);
        QTRY_VERIFY_WITH_TIMEOUT(
            QRegularExpression("^[1-9]\\d* events/s$").match(label(w, "statusEvents")).hasMatch(),
            5000);
        writer.stop();
    }

    // Notifications off, on a budget: the sweep's progress (keys of DBSIZE), then how old the last
    // full sweep is and how long one takes; the tooltip names the budget and the way to live
    // discovery. The budget is a setting.
    void discoveryShowsTheSweepAtTheBudget() {
        sandbox::RedisServerOptions o;
        o.notifyKeyspaceEvents = "";
        o.extraArgs = {"--enable-debug-command", "local"};
        sandbox::RedisServer server(o);
        redis::Connection(server.endpoint()).command({"DEBUG", "POPULATE", 30000, "filler"});
        ui::MainWindow w;
        w.setScanBudget(5);
        QCOMPARE(ui::MainWindow::scanBudgetSetting(), 5.0);
        w.show();
        w.connectTo({server.endpoint()}, "budget");
        QTRY_VERIFY_WITH_TIMEOUT(QRegularExpression("^sweeping \\d+ of 30000 keys \\(\\d+%\\)$")
                                     .match(w.statusPanel()->discoveryText())
                                     .hasMatch(),
                                 20000);  // 5 s was too short in a loaded full-suite run
        QVERIFY2(label(w, "statusDiscovery") == w.statusPanel()->discoveryText(),
                 qPrintable(label(w, "statusDiscovery")));
        const QString tip = w.statusPanel()->findChild<QLabel*>("statusDiscovery")->toolTip();
        QVERIFY2(tip.contains("a 5% budget") && tip.contains("Enable keyspace notifications"),
                 qPrintable(tip));
        QTRY_VERIFY_WITH_TIMEOUT(
            QRegularExpression("last full sweep [\\d.]+ s ago, takes [\\d.]+ s")
                .match(w.statusPanel()->discoveryText())
                .hasMatch(),
            60000);
    }

    void enableButtonTurnsNotificationsOn() {
        sandbox::RedisServerOptions o;
        o.notifyKeyspaceEvents = "";
        sandbox::RedisServer server(o);
        ui::MainWindow w;
        w.resize(1100, 650);
        w.show();
        w.connectTo({server.endpoint()}, QString("127.0.0.1:%1").arg(server.port()));
        QPushButton* enable = w.statusPanel()->enableButton();
        QTRY_VERIFY_WITH_TIMEOUT(enable->isVisible(), 5000);
        QCOMPARE(w.statusPanel()->notificationsText(), QString("notifications off — polling"));
        QVERIFY(enable->isEnabled());
        QCOMPARE(notifyFlags(server), QString());  // only changed when asked
        if (!qEnvironmentVariableIsEmpty("LOCKSCOPE_SCREENSHOT_DIR")) {
            QTRY_VERIFY_WITH_TIMEOUT(label(w, "statusLatency").startsWith("rtt"), 5000);
            QVERIFY(w.statusBar()->grab().save(qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR") +
                                               "/status-polling.png"));
        }

        QTest::mouseClick(enable, Qt::LeftButton);
        QVERIFY(!enable->isEnabled());  // one click, one request
        QTRY_VERIFY_WITH_TIMEOUT(!enable->isVisible(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(w.statusPanel()->notificationsText(), QString("notifications on"),
                                  5000);
        const QString flags = notifyFlags(server);
        QVERIFY2(flags.contains('K') && (flags.contains('A') || flags.contains('g')),
                 qPrintable(flags));
        // Live now: a lock set from outside shows without waiting for a poll.
        redis::Connection c(server.endpoint());
        c.command({"SET", "lock:live", "lockscope:set-nx-px:elsewhere:3:0123abcd:0123456789abcdef",
                   "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(label(w, "statusKeys"), QString("1 locks, 0 counters"), 5000);
    }

    // Issue 16.8: notifications switched off on the server while the dashboard watches: the
    // status bar says they went away, and it polls (a lock taken after that shows).
    void notificationsSwitchedOffWhileWatchingAreSaid() {
        sandbox::RedisServer server;
        ui::MainWindow w;
        w.show();
        w.connectTo({server.endpoint()}, "probe");
        QTRY_COMPARE_WITH_TIMEOUT(w.statusPanel()->notificationsText(), QString("notifications on"),
                                  5000);
        redis::Connection c(server.endpoint());
        c.command({"CONFIG", "SET", "notify-keyspace-events", ""});
        QTRY_COMPARE_WITH_TIMEOUT(w.statusPanel()->notificationsText(),
                                  QString("notifications switched off — polling"), 6000);
        c.command({"SET", "lock:after", "lockscope:set-nx-px:elsewhere:4:0123abcd:0123456789abcdef",
                   "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(label(w, "statusKeys"), QString("1 locks, 0 counters"), 5000);
    }

    void noEnableButtonWithoutConfigRights() {
        sandbox::RedisServerOptions o;
        o.notifyKeyspaceEvents = "";
        sandbox::RedisServer server(o);
        {
            redis::Connection admin(server.endpoint());
            admin.command(
                {"ACL", "SETUSER", "watcher", "on", ">watch-pw", "~*", "&*", "+@all", "-config"});
        }
        redis::Endpoint e = server.endpoint();
        e.user = "watcher";
        e.password = "watch-pw";
        ui::MainWindow w;
        w.show();
        w.connectTo({e}, "watcher");
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to watcher"),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(label(w, "statusKeys").startsWith("0 locks"), 5000);
        // Absence over time: several updates and at least one poll round (1 s) go by.
        QTest::qWait(1500);
        QVERIFY(!w.statusPanel()->enableButton()->isVisible());
        QVERIFY2(w.statusPanel()->notificationsText().contains("polling"),
                 qPrintable(w.statusPanel()->notificationsText()));
        QCOMPARE(notifyFlags(server), QString());
    }

    void reconnectingThenConnectedAcrossAKillAndRestart() {
        sandbox::RedisServer server;
        ui::MainWindow w;
        w.show();
        w.connectTo({server.endpoint()}, "victim");
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to victim"),
                                 5000);
        const QColor good = dotColour(w);
        server.kill();
        QTRY_VERIFY_WITH_TIMEOUT(
            w.statusPanel()->connectionText().contains("reconnecting to victim…"), 8000);
        QVERIFY(dotColour(w) != good);                   // red, not green
        QCOMPARE(label(w, "statusLatency"), QString());  // no rtt while down
        server.restart();
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to victim"),
                                 10000);
        QVERIFY(!w.statusPanel()->connectionText().contains("reconnecting"));
        QTRY_VERIFY_WITH_TIMEOUT(label(w, "statusLatency").startsWith("rtt"), 5000);
        QCOMPARE(w.bridge()->lastStatus().nodes.at(0).reconnects, 1LL);
    }

    void coloursFollowThePalette() {
        sandbox::RedisServer server;
        ui::MainWindow w;
        w.show();
        w.connectTo({server.endpoint()}, "palette");
        QTRY_VERIFY_WITH_TIMEOUT(w.statusPanel()->connectionText().contains("connected to palette"),
                                 5000);
        for (const QColor& window : {QColor("#f0f0f0"), QColor("#2a2a2a")}) {
            QPalette p = w.palette();
            p.setColor(QPalette::Window, window);
            p.setColor(QPalette::WindowText, window.lightness() > 128 ? Qt::black : Qt::white);
            w.setPalette(
                p);  // a theme change: the panel repaints its colours at once, no update needed
            if (!qEnvironmentVariableIsEmpty(
                    "LOCKSCOPE_SCREENSHOT_DIR"))  // to look at, not for the README
                w.statusBar()->grab().save(qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR") +
                                           "/status-" + window.name().mid(1) + ".png");
            const double ratio = ui::contrastRatio(dotColour(w), window);
            QVERIFY2(
                ratio >= 4.5,
                qPrintable(
                    QString("%1 on %2: %3").arg(dotColour(w).name(), window.name()).arg(ratio)));
        }
    }
};

QTEST_MAIN(TestStatusPanel)
#include "test_status_panel.moc"

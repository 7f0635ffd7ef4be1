// The Topology view, driven through its real widgets against real sandbox topologies: Start shows
// the nodes with their roles and asks the dashboard to follow; a key written to a node shows in
// what that node holds; per-node controls (pause, resume, kill, restart empty, fail over) change
// what the table shows, and a control that cannot apply is disabled or says why and changes
// nothing; Stop, or destroying the panel, leaves no process behind. QAbstractItemModelTester
// watches the nodes model throughout.
//
// Set LOCKSCOPE_SCREENSHOT_DIR to save the panel with a running Sentinel group
// (topology_panel.png).
#include <signal.h>
#include <unistd.h>

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QListWidget>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>
#include <bitset>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "redis/cluster.h"
#include "redis/connection.h"
#include "test_support.h"
#include "ui/topology/topology_diagram.h"
#include "ui/topology/topology_host.h"
#include "ui/topology/topology_model.h"
#include "ui/topology/topology_panel.h"

using namespace lockscope;
using sandbox::TopologyKind;
using ui::TopologyModel;
using ui::TopologyPanel;

namespace {

constexpr int kFormTimeout = 20000;  // a Sentinel group or a cluster forms in 2–3 s here

QString cell(const TopologyPanel& p, int row, int column, int role = Qt::DisplayRole) {
    return p.model()->index(row, column).data(role).toString();
}

int countRole(const TopologyPanel& p, const QString& role) {
    int n = 0;
    for (int r = 0; r < p.model()->rowCount(); ++r)
        n += cell(p, r, TopologyModel::Role) == role ? 1 : 0;
    return n;
}

void choose(TopologyPanel& p, TopologyKind kind) {
    p.kindBox()->setCurrentIndex(p.kindBox()->findData(int(kind)));
    QCOMPARE(TopologyKind(p.kindBox()->currentData().toInt()), kind);
}

void click(QAbstractButton* b) {
    QVERIFY2(b->isEnabled(), qPrintable(b->text() + " is disabled"));
    QTest::mouseClick(b, Qt::LeftButton);
}

redis::Connection connectTo(const QString& address) {
    const auto host = address.section(':', 0, 0).toStdString();
    const int port = address.section(':', 1, 1).toInt();
    redis::ConnectOptions o;
    o.commandTimeout = std::chrono::milliseconds(2000);
    return redis::Connection(redis::Endpoint::tcpEndpoint(host, port), o);
}

std::vector<pid_t> pidsOf(const TopologyPanel& p) {
    std::vector<pid_t> pids;
    for (int r = 0; r < p.model()->rowCount(); ++r)
        if (const auto* n = p.model()->node(r); n && n->pid > 0) pids.push_back(n->pid);
    return pids;
}

// The diagram's lines for `node` ("" when it has no box).
QString boxText(const TopologyPanel& p, int node) {
    for (const auto& b : p.diagram()->boxes())
        if (b.node == node) return b.lines.join('|');
    return {};
}

bool gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

// This process's children (their pid and name): none may outlive a topology.
QStringList childProcesses() {
    QStringList out;
    const std::string self = std::to_string(::getpid());
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream in(e.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        std::string state, ppid;
        rest >> state >> ppid;
        if (ppid == self) out << QString::fromStdString(stat.substr(0, close + 1));
    }
    return out;
}

// Whether slot ranges like "0-5460,10923" cover every slot exactly once.
bool coverEverySlotOnce(const QStringList& ranges, QString* why) {
    std::bitset<redis::kClusterSlots> seen;
    for (const QString& list : ranges)
        for (const QString& range : list.split(',', Qt::SkipEmptyParts)) {
            const int first = range.section('-', 0, 0).toInt();
            const int last = range.contains('-') ? range.section('-', 1, 1).toInt() : first;
            for (int s = first; s <= last; ++s) {
                if (seen.test(size_t(s))) return *why = QString("slot %1 twice").arg(s), false;
                seen.set(size_t(s));
            }
        }
    if (!seen.all())
        return *why = QString("%1 slots unserved").arg(redis::kClusterSlots - seen.count()), false;
    return true;
}

bool servesSlot(const QString& ranges, int slot) {
    for (const QString& range : ranges.split(',', Qt::SkipEmptyParts)) {
        const int first = range.section('-', 0, 0).toInt();
        const int last = range.contains('-') ? range.section('-', 1, 1).toInt() : first;
        if (slot >= first && slot <= last) return true;
    }
    return false;
}

const QList<QVariant>* lastControl(const QSignalSpy& spy, const QString& what) {
    for (auto it = spy.crbegin(); it != spy.crend(); ++it)
        if ((*it)[0].toString() == what) return &*it;
    return nullptr;
}

}  // namespace

class TestTopologyPanel : public QObject {
    Q_OBJECT
    std::string prefix;

private slots:
    void initTestCase() { prefix = test::keyPrefix("topopanel"); }

    // The diagram alone, on made-up snapshots: every box inside the widget, none overlapping,
    // replicas under their masters, at any width.
    void diagramLayoutFits_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("width");
        for (int w : {320, 700, 1400}) {
            QTest::newRow(qPrintable(QString("redlock 9 at %1").arg(w)))
                << int(TopologyKind::Redlock) << w;
            QTest::newRow(qPrintable(QString("cluster at %1").arg(w)))
                << int(TopologyKind::Cluster) << w;
            QTest::newRow(qPrintable(QString("sentinel at %1").arg(w)))
                << int(TopologyKind::Sentinel) << w;
        }
    }
    void diagramLayoutFits() {
        QFETCH(int, kind);
        QFETCH(int, width);
        auto view = std::make_shared<ui::TopologyView>();
        view->snapshot.kind = TopologyKind(kind);
        auto add = [&](sandbox::NodeRole role, const std::string& masterOf = {},
                       const std::vector<redis::SlotRange>& served = {}) {
            sandbox::NodeView n;
            n.index = int(view->snapshot.nodes.size());
            n.address = "127.0.0.1:" + std::to_string(30000 + n.index);
            n.role = role;
            n.reachable = true;
            n.masterOf = masterOf;
            n.ranges = served;
            n.keys = 0;
            view->snapshot.nodes.push_back(n);
        };
        using R = sandbox::NodeRole;
        if (kind == int(TopologyKind::Redlock)) {
            for (int i = 0; i < 9; ++i) add(R::Master);
        } else if (kind == int(TopologyKind::Cluster)) {
            add(R::Master, {}, {{10923, 16383}});
            add(R::Master, {}, {{0, 5460}});
            add(R::Master, {}, {{5461, 10922}});
            for (int m = 0; m < 3; ++m) add(R::Replica, "127.0.0.1:" + std::to_string(30000 + m));
        } else {
            add(R::Master);
            add(R::Replica, "127.0.0.1:30000");
            for (int i = 0; i < 3; ++i) add(R::Sentinel);
            view->snapshot.sentinelMaster = "127.0.0.1:30000";
        }
        view->keys.resize(view->snapshot.nodes.size());
        ui::TopologyDiagram d;
        d.setView(view);
        d.resize(width, 10);
        d.show();
        QCOMPARE(d.width(), width);
        const auto boxes = d.boxes();
        QCOMPARE(boxes.size(), view->snapshot.nodes.size());
        for (size_t i = 0; i < boxes.size(); ++i) {
            QVERIFY2(boxes[i].rect.left() >= 0 && boxes[i].rect.right() <= width,
                     qPrintable(QString("box %1 at %2..%3")
                                    .arg(i)
                                    .arg(boxes[i].rect.left())
                                    .arg(boxes[i].rect.right())));
            QVERIFY(boxes[i].rect.bottom() <= d.heightForWidth(width));
            QVERIFY(boxes[i].rect.bottom() <= d.minimumHeight());  // a scroll area shows them all
            for (size_t j = i + 1; j < boxes.size(); ++j)
                QVERIFY(!boxes[i].rect.intersects(boxes[j].rect));
        }
        auto rectOf = [&](int node) {
            for (const auto& b : boxes)
                if (b.node == node) return b.rect;
            return QRectF();
        };
        for (const auto& link : d.links()) {
            if (link.watch)
                QVERIFY(rectOf(link.from).bottom() < rectOf(link.to).top());  // Sentinels above
            else
                QVERIFY(rectOf(link.from).top() > rectOf(link.to).bottom());  // replicas below
        }
        if (kind == int(TopologyKind::Cluster) && width >= 700) {
            // Masters left to right by slot, each replica straight under its master.
            QVERIFY(rectOf(1).left() < rectOf(2).left() && rectOf(2).left() < rectOf(0).left());
            for (int m = 0; m < 3; ++m) QCOMPARE(rectOf(3 + m).left(), rectOf(m).left());
        }
    }

    void standaloneShowsWhatItHoldsAndStopsItsProcess() {
        TopologyPanel panel(nullptr);
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy follow(&panel, &TopologyPanel::followRequested);
        QSignalSpy unfollow(&panel, &TopologyPanel::stopFollowing);
        panel.resize(1000, 700);
        panel.show();
        QVERIFY(!panel.stopButton()->isEnabled());
        QVERIFY(!panel.followButton()->isEnabled());
        choose(panel, TopologyKind::Standalone);
        QVERIFY(!panel.redlockNodesBox()->isEnabled());  // N is for Redlock only
        click(panel.startButton());
        QVERIFY2(panel.statusLabel()->text().startsWith("starting standalone"),
                 qPrintable(panel.statusLabel()->text()));

        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 1, kFormTimeout);
        QCOMPARE(cell(panel, 0, TopologyModel::Role), QString("standalone"));
        QCOMPARE(cell(panel, 0, TopologyModel::State), QString("running"));
        QCOMPARE(cell(panel, 0, TopologyModel::Reachable), QString("yes"));
        QCOMPARE(follow.count(), 1);
        const QString url = follow[0][0].toString();
        QVERIFY2(url.startsWith("redis://127.0.0.1:"), qPrintable(url));
        QVERIFY(follow[0][1].toString().isEmpty());
        QVERIFY(url.endsWith(cell(panel, 0, TopologyModel::Address)));
        QVERIFY2(panel.statusLabel()->text() == "running: " + url,
                 qPrintable(panel.statusLabel()->text()));
        QVERIFY(panel.followButton()->isEnabled());

        // Only what applies to a running standalone server is offered.
        panel.selectNode(0);
        QVERIFY(panel.pauseButton()->isEnabled());
        QVERIFY(panel.killButton()->isEnabled());
        QVERIFY(!panel.resumeButton()->isEnabled());
        QVERIFY(!panel.startNodeButton()->isEnabled());
        QVERIFY(!panel.failoverButton()->isEnabled());  // nothing to fail over to

        const pid_t pid = panel.model()->node(0)->pid;
        QVERIFY(pid > 0 && !gone(pid));
        redis::Connection c = connectTo(cell(panel, 0, TopologyModel::Address));
        const std::string lock = prefix + "lock:invoice-42";
        const std::string counter = prefix + "counter:orders";
        c.command({"SET", lock, "lockscope:set-nx-px:elsewhere:4242:0123abcd:0123456789abcdef",
                   "PX", 60000});
        c.command({"SET", counter, "17"});
        QTRY_VERIFY_WITH_TIMEOUT(
            cell(panel, 0, TopologyModel::Holds).contains(QString::fromStdString(lock)), 5000);
        QCOMPARE(cell(panel, 0, TopologyModel::Keys), QString("2"));
        QVERIFY2(!cell(panel, 0, TopologyModel::Holds).contains("counter"),
                 qPrintable(cell(panel, 0, TopologyModel::Holds)));
        const QString tip = cell(panel, 0, TopologyModel::Holds, Qt::ToolTipRole);
        QVERIFY2(tip.contains(QString::fromStdString(counter)) &&
                     tip.contains(QString::fromStdString(lock)),
                 qPrintable(tip));
        const auto boxes = panel.diagram()->boxes();
        QCOMPARE(boxes.size(), size_t(1));
        QVERIFY2(boxes[0].lines.join('|').contains("2 keys · 1 lock-like"),
                 qPrintable(boxes[0].lines.join('|')));

        click(panel.stopButton());
        QTRY_COMPARE_WITH_TIMEOUT(unfollow.count(), 1, 10000);
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(panel.diagram()->boxes().empty());
        QVERIFY2(gone(pid), "the server outlived Stop");
        QCOMPARE(panel.statusLabel()->text(), QString("stopped"));
        QVERIFY(!panel.host()->running());
    }

    void redlockKillRestartEmptyAndRefusedControls() {
        TopologyPanel panel(nullptr);
        QAbstractItemModelTester tester(panel.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy follow(&panel, &TopologyPanel::followRequested);
        QSignalSpy done(panel.host(), &ui::TopologyHost::controlDone);
        panel.show();
        choose(panel, TopologyKind::Redlock);
        QVERIFY(panel.redlockNodesBox()->isEnabled());
        panel.redlockNodesBox()->setValue(3);
        click(panel.startButton());
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 3, kFormTimeout);
        QCOMPARE(countRole(panel, "master"), 3);
        QTRY_COMPARE(follow.count(), 1);
        QVERIFY(follow[0][0].toString().isEmpty());  // a group is --nodes, not a URL
        QCOMPARE(follow[0][1].toString().count(','), 2);
        QVERIFY(panel.statusLabel()->text().startsWith("running: --nodes 127.0.0.1:"));
        const std::vector<pid_t> pids = pidsOf(panel);
        QCOMPARE(pids.size(), size_t(3));

        // (e) A control that does not apply says so and changes nothing.
        panel.selectNode(0);
        QVERIFY(!panel.failoverButton()->isEnabled());
        panel.host()->failover(0);
        QTRY_VERIFY(lastControl(done, "failover"));
        QCOMPARE((*lastControl(done, "failover"))[1].toBool(), false);
        QVERIFY2(
            (*lastControl(done, "failover"))[2].toString().contains("no replicas to fail over to"),
            qPrintable((*lastControl(done, "failover"))[2].toString()));
        QVERIFY(!panel.resumeButton()->isEnabled());
        panel.host()->resumeNode(0);
        panel.host()->killNode(99);
        QTRY_VERIFY(lastControl(done, "kill"));
        QCOMPARE((*lastControl(done, "resume"))[1].toBool(), false);
        QVERIFY((*lastControl(done, "resume"))[2].toString().contains("is not paused"));
        QCOMPARE((*lastControl(done, "kill"))[1].toBool(), false);
        QVERIFY((*lastControl(done, "kill"))[2].toString().contains("there is no node 99"));
        QCOMPARE(pidsOf(panel), pids);
        QCOMPARE(countRole(panel, "master"), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(cell(panel, r, TopologyModel::State), QString("running"));
        QVERIFY(panel.log()->count() >= 3);
        QVERIFY(
            panel.log()->item(panel.log()->count() - 1)->text().contains("there is no node 99"));

        // Kill node 1 (a crash), then bring it back empty after a delay.
        redis::Connection c = connectTo(cell(panel, 1, TopologyModel::Address));
        c.command(
            {"SET", prefix + "lock:redlock", "0123456789abcdef0123456789abcdef", "PX", 60000});
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, TopologyModel::Keys), QString("1"), 5000);
        panel.selectNode(1);
        click(panel.killButton());
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, TopologyModel::State), QString("stopped"), 5000);
        QVERIFY(gone(pids[1]));
        QVERIFY(!panel.killButton()->isEnabled());
        QVERIFY(!panel.pauseButton()->isEnabled());
        QVERIFY(panel.startNodeButton()->isEnabled());
        QVERIFY(panel.restartButton()->isEnabled());
        QVERIFY(boxText(panel, 1).contains("stopped"));

        panel.restartDelayBox()->setValue(400);
        QElapsedTimer clock;
        clock.start();
        const auto before = done.count();
        click(panel.restartButton());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() > before && lastControl(done, "restart"), 10000);
        QVERIFY2(clock.elapsed() >= 400, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2((*lastControl(done, "restart"))[1].toBool(),
                 qPrintable((*lastControl(done, "restart"))[2].toString()));
        QVERIFY((*lastControl(done, "restart"))[2].toString().contains("empty after 400 ms down"));
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, TopologyModel::State), QString("running"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(panel, 1, TopologyModel::Keys), QString("0"), 5000);
        QCOMPARE(cell(panel, 1, TopologyModel::Holds), QString("nothing"));
        const pid_t restarted = panel.model()->node(1)->pid;
        QVERIFY(restarted > 0 && restarted != pids[1]);

        click(panel.stopButton());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.host()->running(), 10000);
        for (pid_t p : {pids[0], restarted, pids[2]}) QVERIFY(gone(p));
    }

    void clusterShowsSlotsAndWhereAKeyLives() {
        auto panel = std::make_unique<TopologyPanel>(nullptr);
        QAbstractItemModelTester tester(panel->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy follow(panel.get(), &TopologyPanel::followRequested);
        QSignalSpy done(panel->host(), &ui::TopologyHost::controlDone);
        panel->resize(1100, 800);
        panel->show();
        choose(*panel, TopologyKind::Cluster);
        click(panel->startButton());
        QVERIFY(panel->statusLabel()->text().startsWith("starting cluster"));
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 6, kFormTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            countRole(*panel, "master") == 3 && countRole(*panel, "replica") == 3, 10000);
        QCOMPARE(follow.count(), 1);
        QVERIFY(follow[0][0].toString().startsWith("redis+cluster://127.0.0.1:"));

        QStringList ranges;
        for (int r = 0; r < 6; ++r)
            if (cell(*panel, r, TopologyModel::Role) == "master")
                ranges << cell(*panel, r, TopologyModel::Slots);
        QString why;
        QVERIFY2(coverEverySlotOnce(ranges, &why), qPrintable(ranges.join(" ") + ": " + why));
        int slotted = 0;
        for (const auto& b : panel->diagram()->boxes())
            slotted += b.lines.join('|').contains("slots ") ? 1 : 0;
        QCOMPARE(slotted, 3);
        QCOMPARE(panel->diagram()->links().size(), size_t(3));  // each replica → its master

        // A key lands on the master serving its slot, and on that master's replica.
        const std::string key = prefix + "lock:cluster";
        const int slot = redis::keyHashSlot(key);
        int owner = -1;
        for (int r = 0; r < 6; ++r)
            if (cell(*panel, r, TopologyModel::Role) == "master" &&
                servesSlot(cell(*panel, r, TopologyModel::Slots), slot))
                owner = r;
        QVERIFY(owner >= 0);
        redis::Connection c = connectTo(cell(*panel, owner, TopologyModel::Address));
        c.command({"SET", key, "lockscope:set-nx-px:elsewhere:4242:0123abcd:0123456789abcdef", "PX",
                   60000});
        const QString k = QString::fromStdString(key);
        QTRY_VERIFY_WITH_TIMEOUT(cell(*panel, owner, TopologyModel::Holds).contains(k), 5000);
        int replica = -1;
        for (int r = 0; r < 6; ++r)
            if (cell(*panel, r, TopologyModel::ReplicatesFrom)
                    .startsWith(cell(*panel, owner, TopologyModel::Address) + " "))
                replica = r;
        QVERIFY(replica >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(cell(*panel, replica, TopologyModel::Holds).contains(k), 5000);
        for (int r = 0; r < 6; ++r)
            if (r != owner && r != replica)
                QVERIFY(!cell(*panel, r, TopologyModel::Holds).contains(k));

        // CLUSTER FAILOVER from the replica: it takes over the slots (and the key).
        const QString ownerSlots = cell(*panel, owner, TopologyModel::Slots);
        panel->selectNode(replica);
        click(panel->failoverButton());
        QTRY_VERIFY_WITH_TIMEOUT(lastControl(done, "failover"), kFormTimeout);
        QVERIFY2((*lastControl(done, "failover"))[1].toBool(),
                 qPrintable((*lastControl(done, "failover"))[2].toString()));
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, replica, TopologyModel::Role), QString("master"),
                                  5000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, replica, TopologyModel::Slots), ownerSlots, 10000);

        if (const QByteArray shots = qgetenv("LOCKSCOPE_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(panel->grab().save(
                QDir(QString::fromLocal8Bit(shots)).filePath("topology_cluster.png")));

        // Destroying the panel stops every process.
        const auto pids = pidsOf(*panel);
        QCOMPARE(pids.size(), size_t(6));
        panel.reset();
        for (pid_t p : pids)
            QVERIFY2(gone(p), qPrintable(QString("pid %1 outlived the panel").arg(p)));
    }

    void sentinelPauseResumeAndFailover() {
        auto panel = std::make_unique<TopologyPanel>(nullptr);
        QAbstractItemModelTester tester(panel->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy follow(panel.get(), &TopologyPanel::followRequested);
        QSignalSpy done(panel->host(), &ui::TopologyHost::controlDone);
        panel->resize(1100, 820);
        panel->show();
        choose(*panel, TopologyKind::Sentinel);
        click(panel->startButton());
        QVERIFY(panel->statusLabel()->text().startsWith("starting sentinel"));
        QVERIFY(!panel->startButton()
                     ->isEnabled());  // the window does not wait, but one start at a time
        QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 5, kFormTimeout);
        QCOMPARE(cell(*panel, 0, TopologyModel::Role), QString("master"));
        QCOMPARE(cell(*panel, 1, TopologyModel::Role), QString("replica"));
        for (int r = 2; r < 5; ++r)
            QCOMPARE(cell(*panel, r, TopologyModel::Role), QString("sentinel"));
        const QString master = cell(*panel, 0, TopologyModel::Address);
        const QString replica = cell(*panel, 1, TopologyModel::Address);
        QVERIFY(cell(*panel, 1, TopologyModel::ReplicatesFrom).startsWith(master));
        QCOMPARE(follow.count(), 1);
        QVERIFY(follow[0][0].toString().startsWith("redis+sentinel://127.0.0.1:"));
        QVERIFY(follow[0][0].toString().endsWith("/mymaster"));
        int watches = 0, replicates = 0;
        for (const auto& l : panel->diagram()->links()) (l.watch ? watches : replicates) += 1;
        QCOMPARE(watches, 3);
        QCOMPARE(replicates, 1);

        // Pause the replica for a moment (well under down-after-milliseconds), then resume it.
        panel->selectNode(1);
        QVERIFY(!panel->resumeButton()->isEnabled());
        click(panel->pauseButton());
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, 1, TopologyModel::State), QString("paused"), 5000);
        QVERIFY(boxText(*panel, 1).contains("replica · paused"));
        const QByteArray shots = qgetenv("LOCKSCOPE_SCREENSHOT_DIR");
        if (!shots.isEmpty())
            QVERIFY(panel->grab().save(
                QDir(QString::fromLocal8Bit(shots)).filePath("topology_panel_paused.png")));
        QVERIFY(panel->resumeButton()->isEnabled());
        QVERIFY(!panel->pauseButton()->isEnabled());
        click(panel->resumeButton());
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, 1, TopologyModel::State), QString("running"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            cell(*panel, 1, TopologyModel::ReplicatesFrom).endsWith("(connected)"), 5000);

        if (!shots.isEmpty()) {
            const QDir dir(QString::fromLocal8Bit(shots));
            QVERIFY(panel->grab().save(dir.filePath("topology_panel.png")));
            // The same on a dark palette: the colours must stay readable.
            const QPalette light = QApplication::palette();
            QPalette dark;
            dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
            dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
            dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Button, QColor(0x3a, 0x3a, 0x3a));
            dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
            dark.setColor(QPalette::Mid, QColor(0x70, 0x70, 0x70));
            QApplication::setPalette(dark);
            QCoreApplication::processEvents();  // the palette-change events, before the grab
            QVERIFY(panel->grab().save(dir.filePath("topology_panel_dark.png")));
            QApplication::setPalette(light);
            QCoreApplication::processEvents();
        }

        // Fail over: the Sentinels promote the replica; the old master is demoted a few seconds on.
        QVERIFY(panel->failoverButton()->isEnabled());
        click(panel->failoverButton());
        QTRY_VERIFY_WITH_TIMEOUT(lastControl(done, "failover"), kFormTimeout);
        const auto& result = *lastControl(done, "failover");
        QVERIFY2(result[1].toBool(), qPrintable(result[2].toString()));
        QVERIFY2(result[2].toString().startsWith(
                     QString("failed over mymaster from %1 to %2 in ").arg(master, replica)),
                 qPrintable(result[2].toString()));
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, 1, TopologyModel::Role), QString("master"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(*panel, 0, TopologyModel::Role), QString("replica"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(cell(*panel, 0, TopologyModel::ReplicatesFrom).startsWith(replica),
                                 5000);

        const auto pids = pidsOf(*panel);
        QCOMPARE(pids.size(), size_t(5));
        panel.reset();
        for (pid_t p : pids)
            QVERIFY2(gone(p), qPrintable(QString("pid %1 outlived the panel").arg(p)));
    }

    void stopWhileStartingFollowsNothing() {
        TopologyPanel panel(nullptr);
        QSignalSpy follow(&panel, &TopologyPanel::followRequested);
        QSignalSpy unfollow(&panel, &TopologyPanel::stopFollowing);
        panel.show();
        choose(panel, TopologyKind::Standalone);
        click(panel.startButton());
        click(panel.stopButton());  // queued behind the start
        QVERIFY(panel.statusLabel()->text().startsWith("stopping"));
        QTRY_COMPARE_WITH_TIMEOUT(panel.statusLabel()->text(), QString("stopped"), 10000);
        QTRY_VERIFY(!panel.host()->busy());
        QCOMPARE(follow.count(), 0);
        QCOMPARE(unfollow.count(), 1);
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(panel.startButton()->isEnabled());
        QVERIFY(!panel.stopButton()->isEnabled());
        QVERIFY2(childProcesses().isEmpty(), qPrintable(childProcesses().join(", ")));
    }

    void failedStartSaysWhyAndLeavesNothing() {
        TopologyPanel panel(nullptr);
        QSignalSpy error(panel.host(), &ui::TopologyHost::error);
        QSignalSpy follow(&panel, &TopologyPanel::followRequested);
        panel.show();
        sandbox::TopologyOptions bad;
        bad.kind = TopologyKind::Redlock;
        bad.redlockNodes = 17;  // the engine allows 1 to 16
        panel.host()->start(bad);
        QTRY_COMPARE_WITH_TIMEOUT(error.count(), 1, 5000);
        const QString message = error[0][0].toString();
        QVERIFY2(message.contains("could not start the redlock topology") &&
                     message.contains("1 to 16 nodes"),
                 qPrintable(message));
        QCOMPARE(panel.statusLabel()->text(), message);
        QVERIFY(panel.log()->item(panel.log()->count() - 1)->text().endsWith(message));
        QVERIFY(!panel.host()->running() && !panel.host()->busy());
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(follow.count(), 0);
        QVERIFY(panel.startButton()->isEnabled());
        QVERIFY2(childProcesses().isEmpty(), qPrintable(childProcesses().join(", ")));
    }

    void destroyedWhileFormingLeavesNoProcess() {
        QVERIFY2(childProcesses().isEmpty(), qPrintable(childProcesses().join(", ")));
        auto panel = std::make_unique<TopologyPanel>(nullptr);
        panel->show();
        choose(*panel, TopologyKind::Sentinel);
        click(panel->startButton());
        // Formation under way: its first servers run, the Sentinels have not agreed yet.
        QTRY_VERIFY_WITH_TIMEOUT(!childProcesses().isEmpty(), 5000);
        QVERIFY(panel->host()->busy() && !panel->host()->running());
        QElapsedTimer clock;
        clock.start();
        panel.reset();
        QVERIFY2(clock.elapsed() < kFormTimeout, qPrintable(QString("%1 ms").arg(clock.elapsed())));
        QVERIFY2(childProcesses().isEmpty(), qPrintable(childProcesses().join(", ")));
    }
};

QTEST_MAIN(TestTopologyPanel)
#include "test_topology_panel.moc"

// The real dashboard beyond one server, against topologies of real processes:
//   - following a Redis Cluster: locks from all three masters, each with the master that holds it
//     in the Nodes column; the Events pane names the node of each event; acquire and force-release
//     go to the master serving the key's slot;
//   - the Topology tab: a Sentinel group started there is followed by the whole window; a lock
//     written to the master is listed; a failover started from the tab moves the window to the
//     new master with the lock still listed; stopping the topology goes back to the server the
//     window followed before.
#include <QAbstractButton>
#include <QComboBox>
#include <QDialog>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QtTest>
#include <set>

#include "redis/cluster.h"
#include "sandbox/topology.h"
#include "test_support.h"
#include "ui/actions/action_service.h"
#include "ui/actions/actions_controller.h"
#include "ui/events/event_log_model.h"
#include "ui/locks/lock_detail_pane.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "ui/topology/topology_model.h"
#include "ui/topology/topology_panel.h"

using namespace lockscope;
using namespace std::chrono_literals;

namespace {

const std::string kToken = "lockscope:set-nx-px:host:1:0123abcd:";

QString cell(ui::MainWindow& w, const std::string& key, int column) {
    const int row = w.lockModel()->rowOf(key);
    return row < 0 ? QString() : w.lockModel()->index(row, column).data().toString();
}

}  // namespace

class TestDashboardTopologies : public QObject {
    Q_OBJECT

private slots:
    void clusterLocksFromEveryMasterWithTheirNode() {
        sandbox::TopologyOptions o;
        o.kind = sandbox::TopologyKind::Cluster;
        sandbox::Topology cluster(o);
        const redis::ClusterMap map = redis::discoverCluster(cluster.dataEndpoints(), {});
        QCOMPARE(int(map.masters.size()), 3);

        ui::MainWindow w;
        w.resize(1280, 800);
        w.show();
        w.connectTo(monitor::MonitorTarget::fromUrl(redis::parseUrl(cluster.url())), "cluster");
        QTRY_VERIFY_WITH_TIMEOUT(w.bridge()->lastStatus().nodes.size() == 3 &&
                                     w.bridge()->lastStatus().inventoryComplete,
                                 15000);

        // Keys until every master holds at least two, each written to the master of its slot.
        const std::string prefix = test::keyPrefix("cluster-dash");
        std::map<std::string, std::string> ownerOf;  // key → "host:port"
        std::map<std::string, int> perMaster;
        for (int i = 0; perMaster.size() < 3 || std::any_of(perMaster.begin(), perMaster.end(),
                                                            [](auto& kv) { return kv.second < 2; });
             ++i) {
            const std::string key = prefix + "lock:" + std::to_string(i);
            const auto* m = map.ownerOf(redis::keyHashSlot(key));
            QVERIFY(m);
            redis::Connection c(redis::Endpoint::tcpEndpoint(m->address.host, m->address.port));
            c.command(
                {"SET", key, kToken + std::to_string(1000000000000000LL + i), "PX", "600000"});
            ownerOf[key] = m->address.display();
            ++perMaster[m->address.display()];
        }
        for (const auto& [key, owner] : ownerOf) {
            QTRY_COMPARE_WITH_TIMEOUT(cell(w, key, ui::LockTableModel::Nodes),
                                      QString::fromStdString(owner), 10000);
            QCOMPARE(cell(w, key, ui::LockTableModel::Format), QString("set-nx-px"));
        }
        // Events from each master, named by node.
        std::set<QString> eventNodes;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto* ev = w.eventModel();
                for (int r = 0; r < ev->rowCount(); ++r)
                    if (ev->index(r, ui::EventLogModel::Key)
                            .data()
                            .toString()
                            .startsWith(QString::fromStdString(prefix)))
                        eventNodes.insert(ev->index(r, ui::EventLogModel::Node).data().toString());
                return eventNodes.size() == 3;
            }(),
            10000);
        for (const auto& [owner, n] : perMaster)
            QVERIFY(eventNodes.count(QString::fromStdString(owner)));

        // Writes go to the key's master: acquire a new key, force-release one of each master.
        auto* svc = w.actionsController()->service();
        std::vector<ui::ActionResult> results;
        connect(svc, &ui::ActionService::finished, this,
                [&](const ui::ActionResult& r) { results.push_back(r); });
        const std::string fresh = prefix + "acquired";
        svc->acquire(fresh, "set-nx-px", 60000, false);
        QTRY_COMPARE_WITH_TIMEOUT(int(results.size()), 1, 10000);
        QVERIFY2(results[0].ok(), qPrintable(results[0].message));
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(w, fresh, ui::LockTableModel::Nodes),
            QString::fromStdString(map.ownerOf(redis::keyHashSlot(fresh))->address.display()),
            10000);
        std::set<std::string> released;
        for (const auto& [key, owner] : ownerOf) {
            if (released.count(owner)) continue;
            released.insert(owner);
            const auto holder = cell(w, key, ui::LockTableModel::Holder).toStdString();
            const size_t before = results.size();
            svc->forceRelease(key, holder, 600000);
            QTRY_COMPARE_WITH_TIMEOUT(results.size(), before + 1, 10000);
            QVERIFY2(results.back().ok(), qPrintable(results.back().message));
            redis::HostPort hp = redis::parseNodeList(owner).front().tcp;
            redis::Connection c(redis::Endpoint::tcpEndpoint(hp.host, hp.port));
            QCOMPARE(c.command({"EXISTS", key}).integer(), 0LL);
        }
        QCOMPARE(int(released.size()), 3);
    }

    void topologyTabIsFollowedUntilItStops() {
        sandbox::RedisServer first;
        ui::MainWindow w;
        w.resize(1280, 800);
        w.show();
        w.connectTo({first.endpoint()}, "first server");
        QTRY_VERIFY_WITH_TIMEOUT(w.bridge()->lastStatus().inventoryComplete, 10000);

        ui::TopologyPanel* panel = w.topologyPanel();
        w.tabs()->setCurrentWidget(panel);
        panel->kindBox()->setCurrentIndex(
            panel->kindBox()->findData(int(sandbox::TopologyKind::Sentinel)));
        QTest::mouseClick(panel->startButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.bridge()->target().kind, monitor::TargetKind::Sentinel, 20000);
        QVERIFY2(w.description().startsWith("topology"), qPrintable(w.description()));
        QVERIFY(w.windowTitle().contains("topology"));
        QTRY_VERIFY_WITH_TIMEOUT(
            !w.bridge()->lastStatus().nodes.empty() && !w.bridge()->nodes().empty(), 10000);
        const std::string master = w.bridge()->lastStatus().nodes[0].display();

        // A lock on the master, replicated, is listed.
        const std::string key = test::keyPrefix("sentinel-dash") + "lock";
        {
            redis::Connection c(w.bridge()->nodes().front());
            c.command({"SET", key, kToken + "00000000000000aa", "PX", "600000"});
            QCOMPARE(c.command({"WAIT", "1", "2000"}).integer(), 1LL);
        }
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(key) >= 0, 10000);
        // Issue 18.6: the Events pane names the node each event happened on — also after the
        // failover renames the node.
        auto eventNodesOf = [&](const std::string& k) {
            QStringList nodes;
            auto* ev = w.eventModel();
            for (int r = 0; r < ev->rowCount(); ++r)
                if (ev->index(r, ui::EventLogModel::Key).data().toString() ==
                    QString::fromStdString(k))
                    nodes << ev->index(r, ui::EventLogModel::Node).data().toString();
            return nodes;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!eventNodesOf(key).isEmpty(), 10000);
        const QStringList beforeFailover = eventNodesOf(key);
        for (const auto& n : beforeFailover) QCOMPARE(n, QString::fromStdString(master));

        // Fail over from the tab: the window follows the new master and still lists the lock.
        int masterRow = -1;
        for (int r = 0; r < panel->model()->rowCount(); ++r)
            if (panel->model()->index(r, 1).data().toString() == QString::fromStdString(master))
                masterRow = r;
        QVERIFY(masterRow >= 0);
        panel->selectNode(masterRow);
        QTRY_VERIFY_WITH_TIMEOUT(panel->failoverButton()->isEnabled(), 5000);
        QTest::mouseClick(panel->failoverButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            !w.bridge()->lastStatus().nodes.empty() &&
                w.bridge()->lastStatus().nodes[0].display() != master &&
                w.bridge()->lastStatus().nodes[0].link == monitor::NodeStatus::Link::Connected,
            20000);
        // (Its made-up holder names no live connection: the monitor calls it orphaned, never free.)
        QTRY_VERIFY_WITH_TIMEOUT(w.lockModel()->rowOf(key) >= 0 &&
                                     w.lockModel()->recordAt(w.lockModel()->rowOf(key))->state !=
                                         monitor::LockState::Free &&
                                     w.bridge()->lastStatus().inventoryComplete,
                                 10000);
        QCOMPARE(cell(w, key, ui::LockTableModel::Holder),
                 QString::fromStdString(kToken + "00000000000000aa"));
        QCOMPARE(w.bridge()->nodes().front().display(),
                 w.bridge()->lastStatus().nodes[0].display());
        {
            const QStringList after = eventNodesOf(key);
            QVERIFY2(after.count(QString::fromStdString(master)) >= beforeFailover.size(),
                     qPrintable(after.join(", ")));
        }

        // The lock selected in the Locks view; the pane shows it until the window follows another
        // server, then nothing (it must not keep a lock of the old target).
        w.tabs()->setCurrentWidget(w.locksPanel());
        {
            auto* table = w.locksPanel()->table();
            const QModelIndex i = w.locksPanel()->proxy()->mapFromSource(
                w.lockModel()->index(w.lockModel()->rowOf(key), 0));
            table->selectionModel()->setCurrentIndex(
                i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        QCOMPARE(w.locksPanel()->detailPane()->key(), key);
        w.tabs()->setCurrentWidget(panel);

        // Stopped: back to the first server.
        QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.bridge()->target().kind, monitor::TargetKind::Single, 20000);
        QCOMPARE(w.description(), QString("first server"));
        QCOMPARE(w.bridge()->nodes().front().display(), first.endpoint().display());
        QCOMPARE(w.locksPanel()->detailPane()->key(), std::string());
    }
};

QTEST_MAIN(TestDashboardTopologies)
#include "test_dashboard_topologies.moc"

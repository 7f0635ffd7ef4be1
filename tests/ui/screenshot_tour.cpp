// screenshot_tour DIR: drives the real dashboard through its main views and saves what the
// screen shows — run by scripts/screenshots.sh under Xvfb (the xcb platform: a real X server,
// captured with ImageMagick's `import -window root`; QWidget::grab() where no X display is set).
// In the system's language, as the dashboard (LANG=zh_CN.UTF-8: the Chinese screens).
// Not a test: it asserts nothing, it makes the README's pictures. Each step waits for what it
// shows and gives up with a message after a minute.
//
//   locks.png        the embedded sandbox with demo traffic, a lock selected (timeline, raw value)
//   locks-fair.png, locks-rwlock.png, locks-semaphore.png
//                    a fair lock with two waiters, a read-write lock with two readers, an
//                    expirable semaphore with a permit whose lease ran out, each selected
//   connect-dialog.png  File > Connect… over the window
//   counters.png     the Counters view with two counters charted
//   lab-counters.png the Demo Lab after naive, incr, watch, lua and versioned side by side
//   lab-lock.png     the Demo Lab after set-nx-px with a paused holder
//   lab-fair.png     the Demo Lab after set-nx-px and fair racing (contention): per-worker
//                    acquisitions and the waits
//   topology.png     the Topology tab with a Sentinel group, followed by the window
//   cluster.png      the Locks view following a Redis Cluster started in the Topology tab
#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QItemSelectionModel>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>

#include "locks/lock_strategy.h"
#include "redis/cluster.h"
#include "redis/connection.h"
#include "sandbox/demo_traffic.h"
#include "sandbox/redis_server.h"
#include "ui/actions/actions_controller.h"
#include "ui/common/core_text.h"
#include "ui/common/translations.h"
#include "ui/connect/connection_dialog.h"
#include "ui/counters/counter_table_model.h"
#include "ui/counters/counters_panel.h"
#include "ui/demo_lab/demo_lab_panel.h"
#include "ui/demo_lab/demo_setup_form.h"
#include "ui/demo_lab/demo_verdict_model.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "ui/topology/topology_model.h"
#include "ui/topology/topology_panel.h"

using namespace lockscope;

namespace {

QString outDir;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "screenshot_tour: gave up waiting for %s\n", what);
    std::exit(1);
}

void waitFor(const char* what, const std::function<bool()>& ready, int ms = 60000) {
    if (!QTest::qWaitFor(ready, ms)) fail(what);
}

void shoot(ui::MainWindow& w, const QString& name) {
    QTest::qWait(700);  // the 250 ms countdown and the chart's timer have repainted
    const QString path = outDir + "/" + name;
    bool ok = false;
    if (!qEnvironmentVariableIsEmpty("DISPLAY") && QGuiApplication::platformName() == "xcb")
        ok = QProcess::execute("import", {"-window", "root", path}) == 0;
    if (!ok) ok = w.grab().save(path);
    std::printf("%s %s\n", ok ? "saved" : "FAILED", qPrintable(path));
}

void selectRows(QTableView* table, const QAbstractItemModel* source, const std::vector<int>& rows) {
    auto* proxy = qobject_cast<QSortFilterProxyModel*>(table->model());
    QItemSelection sel;
    for (int r : rows) {
        const QModelIndex i = proxy->mapFromSource(source->index(r, 0));
        sel.select(i, i);
    }
    table->selectionModel()->select(
        sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (!rows.empty())
        table->selectionModel()->setCurrentIndex(
            proxy->mapFromSource(source->index(rows.front(), 0)), QItemSelectionModel::NoUpdate);
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName("LockScopeScreenshots");  // its own settings: default layout
    QApplication::setApplicationName("screenshot_tour");
    ui::installTranslations(app);
    if (argc < 2) {
        std::fprintf(stderr, "usage: screenshot_tour DIR [LOCKSCOPE-CLI]\n");
        return 2;
    }
    outDir = QString::fromLocal8Bit(argv[1]);
    QDir().mkpath(outDir);

    sandbox::RedisServer server;
    sandbox::DemoTraffic traffic(server.endpoint());
    ui::MainWindow w;
    if (argc > 2) w.demoLabPanel()->setWorkerExecutable(argv[2]);
    w.connectTo({server.endpoint()},
                QString("sandbox %1").arg(QString::fromStdString(server.endpoint().display())));
    w.setSandbox({server.endpoint()}, "sandbox");
    w.resize(1400, 900);
    w.move(0, 0);
    w.show();

    // Locks: a lock of the demo traffic selected, after its holder changed a few times.
    waitFor("demo:lock:set-nx-px",
            [&] { return w.lockModel()->rowOf("demo:lock:set-nx-px") >= 0; });
    QTest::qWait(30000);
    waitFor("a held set-nx-px lock", [&] {
        const int r = w.lockModel()->rowOf("demo:lock:set-nx-px");
        return r >= 0 && w.lockModel()->recordAt(r)->state == monitor::LockState::Held;
    });
    selectRows(w.locksPanel()->table(), w.lockModel(),
               {w.lockModel()->rowOf("demo:lock:set-nx-px")});
    shoot(w, "locks.png");

    // Issue 14's synchronisers in the detail pane: a fair lock with two waiters queued, a
    // read-write lock held by two readers, an expirable semaphore with two of three permits taken.
    {
        auto make = [&](const char* id, const std::function<void(locks::LockConfig&)>& tweak) {
            locks::LockContext c;
            c.nodes = {server.endpoint()};
            tweak(c.config);
            return locks::makeLockStrategy(id, c);
        };
        using std::chrono::milliseconds;
        const milliseconds lease(120000);
        auto fairHolder = make("fair", [](auto&) {});
        auto held = fairHolder->tryAcquire("tour:fair", lease);
        std::atomic<bool> stop{false};
        std::vector<std::unique_ptr<locks::LockStrategy>> waiters;
        std::vector<std::thread> threads;
        for (int i = 0; i < 2; ++i) {
            waiters.push_back(make("fair", [](auto&) {}));
            auto* waiter = waiters.back().get();
            threads.emplace_back([waiter, &stop, lease] {
                waiter->acquire("tour:fair", lease,
                                {.timeout = milliseconds(300000), .cancel = &stop});
            });
        }
        std::vector<std::unique_ptr<locks::LockStrategy>> holders;
        std::vector<locks::Lease> leases;
        for (int i = 0; i < 2; ++i) {
            holders.push_back(make("read-write", [](locks::LockConfig& c) {
                c.rwMode = locks::LockConfig::RwMode::Read;
            }));
            if (auto l = holders.back()->tryAcquire("tour:rwlock", lease)) leases.push_back(*l);
        }
        for (int i = 0; i < 2; ++i) {
            holders.push_back(
                make("expirable-semaphore", [](locks::LockConfig& c) { c.permits = 3; }));
            if (auto l = holders.back()->tryAcquire("tour:permits",
                                                    milliseconds(i == 0 ? 600000 : 1500)))
                leases.push_back(*l);
        }
        if (!held || leases.size() != 4) fail("the synchronisers");
        for (const auto& [key, file] : {std::pair{"tour:fair", "locks-fair.png"},
                                        std::pair{"tour:rwlock", "locks-rwlock.png"},
                                        std::pair{"tour:permits", "locks-semaphore.png"}}) {
            waitFor(key, [&, key = key] { return w.lockModel()->rowOf(key) >= 0; });
            selectRows(w.locksPanel()->table(), w.lockModel(), {w.lockModel()->rowOf(key)});
            QTest::qWait(2500);  // the value fetch, and the short permit's lease running out
            shoot(w, file);
        }
        stop = true;
        for (auto& t : threads) t.join();
    }

    // File > Connect… as a newcomer sees it, over the window.
    {
        ui::ConnectionDialog* dialog = w.openConnectionDialog();
        waitFor("the connection dialog", [&] { return dialog->isVisible(); });
        shoot(w, "connect-dialog.png");
        dialog->reject();
    }

    // Counters: two charted.
    w.tabs()->setCurrentWidget(w.countersPanel());
    waitFor("the demo counters", [&] {
        return w.counterModel()->rowOf("demo:counter:orders") >= 0 &&
               w.counterModel()->rowOf("demo:counter:page-views") >= 0;
    });
    selectRows(w.countersPanel()->table(), w.counterModel(),
               {w.counterModel()->rowOf("demo:counter:orders"),
                w.counterModel()->rowOf("demo:counter:page-views")});
    QTest::qWait(15000);
    shoot(w, "counters.png");

    // Demo Lab and Topology have room without the Events dock (View > Events).
    auto* events = w.findChild<QDockWidget*>("eventsDock");
    QDockWidget* log = w.actionsController()->logDock();
    events->hide();
    log->hide();

    // Demo Lab: counter strategies side by side.
    ui::DemoLabPanel* lab = w.demoLabPanel();
    w.tabs()->setCurrentWidget(lab);
    auto* form = lab->form();
    form->modeCombo()->setCurrentIndex(0);
    const QStringList specs{"naive", "incr", "watch", "lua", "versioned"};
    for (int i = 0; i < form->strategyList()->count(); ++i) {
        auto* item = form->strategyList()->item(i);
        item->setCheckState(specs.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
    form->workersSpin()->setValue(8);
    form->opsSpin()->setValue(2000);
    QTest::mouseClick(lab->runButton(), Qt::LeftButton);
    waitFor(
        "the counter verdicts",
        [&] {
            return lab->verdictModel()->rowCount() == specs.size() && !lab->runner()->running();
        },
        180000);
    shoot(w, "lab-counters.png");

    // Demo Lab: a lock whose holder is paused past its TTL.
    form->modeCombo()->setCurrentIndex(1);
    form->lockStrategyCombo()->setCurrentIndex(form->lockStrategyCombo()->findText("set-nx-px"));
    form->faultCombo()->setCurrentIndex(form->faultCombo()->findText("pause-holder"));
    QTest::mouseClick(lab->runButton(), Qt::LeftButton);
    waitFor("the lock demo to start", [&] { return lab->runner()->running(); });
    waitFor(
        "the lock verdict",
        [&] { return !lab->runner()->running() && lab->verdictModel()->rowCount() >= 1; }, 180000);
    shoot(w, "lab-lock.png");

    // Demo Lab: starvation and its cure — set-nx-px and fair racing with 8 workers.
    form->lockStrategyCombo()->setCurrentIndex(form->lockStrategyCombo()->findText("fair"));
    form->faultCombo()->setCurrentIndex(form->faultCombo()->findText("contention"));
    form->workersSpin()->setValue(8);
    form->opsSpin()->setValue(150);
    lab->verdictModel()->clear();
    QTest::mouseClick(lab->runButton(), Qt::LeftButton);
    waitFor("the contention demo to start", [&] { return lab->runner()->running(); });
    waitFor(
        "both contention verdicts",
        [&] { return !lab->runner()->running() && lab->verdictModel()->rowCount() >= 2; }, 240000);
    shoot(w, "lab-fair.png");

    // Topology: a Sentinel group, followed by the window; the master selected.
    ui::TopologyPanel* topo = w.topologyPanel();
    w.tabs()->setCurrentWidget(topo);
    topo->kindBox()->setCurrentIndex(
        topo->kindBox()->findData(int(sandbox::TopologyKind::Sentinel)));
    QTest::mouseClick(topo->startButton(), Qt::LeftButton);
    waitFor("the Sentinel group", [&] {
        return w.bridge()->target().kind == monitor::TargetKind::Sentinel &&
               !w.bridge()->nodes().empty() && topo->model()->rowCount() == 5;
    });
    {
        redis::Connection c(w.bridge()->nodes().front());
        c.command({"SET", "orders:lock:invoice-42",
                   "lockscope:set-nx-px:worker-7:4711:0badcafe:1c2d3e4f5a6b7c8d", "PX", "600000"});
        c.command({"SET", "jobs:lock:nightly-report", "5f0c3b1e6a7d4c2b9e8f7a6b5c4d3e2f", "PX",
                   "300000"});
    }
    for (int r = 0; r < topo->model()->rowCount(); ++r)
        if (topo->model()->index(r, ui::TopologyModel::Role).data().toString() ==
            ui::nodeRoleText(sandbox::NodeRole::Master))
            topo->selectNode(r);
    QTest::qWait(2500);
    shoot(w, "topology.png");

    // A cluster: started from the tab, locks on every master, the Locks view names their node.
    QTest::mouseClick(topo->stopButton(), Qt::LeftButton);
    waitFor("the Sentinel group to stop",
            [&] { return w.bridge()->target().kind == monitor::TargetKind::Single; });
    topo->kindBox()->setCurrentIndex(
        topo->kindBox()->findData(int(sandbox::TopologyKind::Cluster)));
    QTest::mouseClick(topo->startButton(), Qt::LeftButton);
    waitFor("the cluster", [&] {
        return w.bridge()->target().kind == monitor::TargetKind::Cluster &&
               w.bridge()->lastStatus().nodes.size() == 3;
    });
    const auto map = redis::discoverCluster(w.bridge()->nodes(), {});
    const char* names[] = {"invoice-42",  "invoice-43",    "payout-7",   "report:daily", "mailer",
                           "billing-run", "index-rebuild", "cache-warm", "export:csv"};
    int i = 0;
    for (const char* n : names) {
        const std::string key = std::string("lock:") + n;
        const auto* m = map.ownerOf(redis::keyHashSlot(key));
        redis::Connection c(redis::Endpoint::tcpEndpoint(m->address.host, m->address.port));
        // node-redlock's value: 32 random hex digits.
        char token[33];
        std::snprintf(token, sizeof token, "%08x%08x%08x%08x",
                      0x5eed0000u + unsigned(i) * 2654435761u, 0x9e3779b9u * unsigned(i + 1),
                      0x7f4a7c15u ^ unsigned(i * 40503), 0xc0ffee00u + unsigned(i));
        c.command({"SET", key, token, "PX", std::to_string(60000 + i * 30000)});
        ++i;
    }
    w.tabs()->setCurrentWidget(w.locksPanel());
    events->show();
    events->raise();
    waitFor("the cluster's locks",
            [&] { return w.lockModel()->rowCount() >= int(std::size(names)); });
    selectRows(w.locksPanel()->table(), w.lockModel(), {w.lockModel()->rowOf("lock:invoice-42")});
    QTest::qWait(2000);
    shoot(w, "cluster.png");
    return 0;
}

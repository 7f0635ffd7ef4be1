#include "ui/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <ctime>
#include <tuple>

#include "ui/actions/actions_controller.h"
#include "ui/common/app_icon.h"
#include "ui/common/translations.h"
#include "ui/connect/connection_dialog.h"
#include "ui/counters/counter_table_model.h"
#include "ui/counters/counters_panel.h"
#include "ui/counters/rate_chart.h"
#include "ui/demo_lab/demo_lab_panel.h"
#include "ui/events/event_log_model.h"
#include "ui/events/events_panel.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/monitor_bridge.h"
#include "ui/settings/rules_dialog.h"
#include "ui/status_panel.h"
#include "ui/topology/topology_panel.h"

#ifndef LOCKSCOPE_VERSION
#define LOCKSCOPE_VERSION "unknown"
#endif

namespace lockscope::ui {
namespace {

double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName("LockScopeMainWindow");
    setWindowTitle(tr("LockScope"));
    setWindowIcon(appIcon());
    bridge_ = new MonitorBridge(this);
    // The user's rules (docs/rules.md), shared with lockscope-cli through the rules file.
    bridge_->setRules(monitor::loadRulesFile(monitor::rulesFilePath()).rules);
    followRulesFile();
    lockModel_ = new LockTableModel(this);
    counterModel_ = new CounterTableModel(this);
    eventModel_ = new EventLogModel(10000, this);

    tabs_ = new QTabWidget(this);
    tabs_->setObjectName("mainTabs");
    locksPanel_ = new LocksPanel(lockModel_, tabs_);
    locksPanel_->attach(bridge_);
    countersPanel_ = new CountersPanel(counterModel_, tabs_);
    demoLab_ = new DemoLabPanel(tabs_);
    demoLab_->setObjectName("demoLabPanel");
    topology_ = new TopologyPanel(tabs_);
    topology_->setObjectName("topologyPanel");
    tabs_->addTab(locksPanel_, tr("&Locks"));
    tabs_->addTab(countersPanel_, tr("&Counters"));
    tabs_->addTab(demoLab_, tr("&Demo Lab"));
    tabs_->addTab(topology_, tr("&Topology"));
    connect(topology_, &TopologyPanel::followRequested, this, &MainWindow::followTopology);
    connect(topology_, &TopologyPanel::stopFollowing, this, &MainWindow::unfollowTopology);
    countersPanel_->chart()->setBridge(bridge_);
    setCentralWidget(tabs_);

    eventsPanel_ = new EventsPanel(eventModel_, this);
    eventsDock_ = new QDockWidget(tr("Events"), this);
    eventsDock_->setObjectName("eventsDock");
    eventsDock_->setWidget(eventsPanel_);
    addDockWidget(Qt::BottomDockWidgetArea, eventsDock_);

    status_ = new StatusPanel(this);
    statusBar()->addWidget(status_, 1);
    // The saved profile followed, with its colour tag and how it opened (hidden without one).
    profileBadge_ = new QLabel(this);
    profileBadge_->setObjectName("profileBadge");
    profileBadge_->hide();
    statusBar()->addPermanentWidget(profileBadge_);
    connect(status_, &StatusPanel::enableNotificationsRequested, bridge_,
            &MonitorBridge::requestEnableNotifications);

    connect(bridge_, &MonitorBridge::updated, this, [this](const UpdatePtr& u) {
        QElapsedTimer took;
        took.start();
        const double cpu0 = threadCpuMs();
        lockModel_->apply(*u);
        counterModel_->apply(*u);
        eventModel_->apply(*u);
        eventsPanel_->refreshSummary();
        status_->show(u->status);
        const double ms = double(took.nsecsElapsed()) / 1e6;
        const double cpu = threadCpuMs() - cpu0;
        applyStats_.totalCpuMs += cpu;
        applyStats_.worstCpuMs = std::max(applyStats_.worstCpuMs, cpu);
        ++applyStats_.updates;
        applyStats_.totalMs += ms;
        if (ms > applyStats_.worstMs) {
            applyStats_.worstMs = ms;
            applyStats_.worstRecords = u->changed.size() + u->removed.size();
        }
    });

    actionsController_ = new ActionsController(this);
    buildMenus();
    restoreLayout();
}

MainWindow::~MainWindow() { bridge_->stop(); }

// Rules edited elsewhere (a text editor, lockscope-cli's user, another dashboard) apply live; a
// file with a line that cannot be read is refused whole and the rules in force stay. The file is
// watched with its directory: an atomic save replaces it (a new inode the file watch would miss).
void MainWindow::followRulesFile() {
    const QString path = QString::fromStdString(monitor::rulesFilePath());
    if (path.isEmpty()) return;
    auto* watcher = new QFileSystemWatcher(this);
    // On a fresh install the directory ($XDG_CONFIG_HOME/lockscope) does not exist yet: its
    // nearest existing parent is watched instead, so its creation (by an editor, or by Lock
    // rules… saving) is seen, and the directory and the file are watched from then on.
    auto rewatch = [watcher, path] {
        const QString dir = QFileInfo(path).absolutePath();
        QString ancestor = dir;
        while (!QFileInfo::exists(ancestor)) {
            const QString up = QFileInfo(ancestor).absolutePath();
            if (up == ancestor) break;
            ancestor = up;
        }
        if (QFileInfo::exists(ancestor) && !watcher->directories().contains(ancestor))
            watcher->addPath(ancestor);
        if (QFileInfo::exists(path) && !watcher->files().contains(path)) watcher->addPath(path);
    };
    rewatch();
    auto reload = [this, path, rewatch] {
        rewatch();
        auto loaded = monitor::loadRulesFile(path.toStdString());
        if (!loaded.errors.empty()) {
            statusBar()->showMessage(tr("Rules file refused, the rules in force stay: %1")
                                         .arg(QString::fromStdString(loaded.errors.front())),
                                     20000);
            return;
        }
        if (loaded.rules == bridge_->rules()) return;
        bridge_->setRules(std::move(loaded.rules));
        statusBar()->showMessage(tr("Rules file changed: applied"), 5000);
    };
    // Read once the writing settled: an editor that truncates and then writes would otherwise
    // be read empty (no rules) in between.
    auto* settle = new QTimer(this);
    settle->setSingleShot(true);
    settle->setInterval(250);
    connect(settle, &QTimer::timeout, this, reload);
    connect(watcher, &QFileSystemWatcher::fileChanged, settle, qOverload<>(&QTimer::start));
    connect(watcher, &QFileSystemWatcher::directoryChanged, settle, qOverload<>(&QTimer::start));
}

RulesDialog* MainWindow::openRulesDialog() {
    auto* d = new RulesDialog(monitor::rulesFilePath(), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    connect(d, &QDialog::accepted, this, [this, d] { bridge_->setRules(d->rules()); });
    d->open();
    return d;
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* connectAction =
        file->addAction(tr("&Connect…"), this, [this] { openConnectionDialog(); });
    connectAction->setShortcut(QKeySequence::Open);
    connectAction->setObjectName("actionConnect");
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    const std::tuple<Table, ExportFormat, QString, const char*> exports[] = {
        {Table::Locks, ExportFormat::Csv, tr("&Locks as CSV…"), "actionExportLocksCsv"},
        {Table::Locks, ExportFormat::Json, tr("Locks as &JSON…"), "actionExportLocksJson"},
        {Table::Counters, ExportFormat::Csv, tr("&Counters as CSV…"), "actionExportCountersCsv"},
        {Table::Counters, ExportFormat::Json, tr("Counters as J&SON…"),
         "actionExportCountersJson"}};
    for (const auto& [table, format, text, name] : exports) {
        QAction* a = exportMenu->addAction(text, this, [this, table = table, format = format] {
            exportInteractive(table, format);
        });
        a->setObjectName(name);
    }
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* refresh = view->addAction(tr("&Refresh"), bridge_, &MonitorBridge::requestRescan);
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setObjectName("actionRefresh");
    QAction* find = view->addAction(tr("&Find"), this, [this] {
        if (tabs_->currentWidget() == countersPanel_)
            countersPanel_->focusFilter();
        else
            locksPanel_->focusFilter();
    });
    find->setShortcut(QKeySequence::Find);
    view->addSeparator();
    view->addAction(eventsDock_->toggleViewAction());
    view->addAction(actionsController_->logDock()->toggleViewAction());
    view->addAction(actionsController_->toolBar()->toggleViewAction());
    view->addSeparator();
    QAction* budget = view->addAction(tr("Scan &budget…"), this, &MainWindow::openScanBudgetDialog);
    budget->setObjectName("actionScanBudget");

    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    settings->addAction(tr("Lock &rules…"), this, [this] { openRulesDialog(); })
        ->setObjectName("actionLockRules");
    buildLanguageMenu(settings->addMenu(tr("&Language")));

    QMenu* actions = menuBar()->addMenu(tr("&Actions"));
    actionsController_->addToMenu(actions);
    readOnlyAction_ = actions->addAction(tr("&Read-only mode"));
    readOnlyAction_->setObjectName("actionReadOnly");
    readOnlyAction_->setCheckable(true);
    connect(readOnlyAction_, &QAction::toggled, this, [this](bool on) {
        // A production profile is unlocked only when the operator says so (setReadOnly(false)
        // after "Allow writes" unticks this too: by then there is nothing left to ask).
        if (!on && production_ && readOnly_)
            confirmWrites();
        else
            setReadOnly(on);
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* shortcuts =
        help->addAction(tr("&Keyboard Shortcuts"), this, [this] { openShortcutsDialog(); });
    shortcuts->setShortcut(QKeySequence::HelpContents);
    shortcuts->setObjectName("actionShortcuts");
    help->addAction(tr("&About LockScope"), this, [this] {
        QMessageBox::about(
            this, tr("About LockScope"),
            tr("<b>LockScope %1</b><p>See, test and teach Redis-based distributed locks "
               "and counters.</p>")
                .arg(LOCKSCOPE_VERSION));
    });
}

// System / English / each shipped translation, named in its own language; applied on restart
// (the widgets' texts are set once, when they are built).
void MainWindow::buildLanguageMenu(QMenu* menu) {
    menu->setObjectName("menuLanguage");
    auto* group = new QActionGroup(menu);
    const QString current = languageSetting();
    auto add = [&](const QString& text, const QString& value) {
        QAction* a = menu->addAction(text);
        a->setCheckable(true);
        a->setChecked(value == current);
        a->setData(value);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, value] {
            if (value == languageSetting()) return;
            setLanguageSetting(value);
            auto* box = new QMessageBox(QMessageBox::Information, tr("Language"),
                                        tr("The language changes when LockScope starts next."),
                                        QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
    };
    add(tr("System"), QString());
    add(QStringLiteral("English"), QStringLiteral("en"));
    for (const QString& lang : shippedLanguages()) {
        const QString name = lang == "zh_CN"   ? QStringLiteral("简体中文")
                             : lang == "zh_TW" ? QStringLiteral("繁體中文")
                                               : QLocale(lang).nativeLanguageName();
        add(name, lang);
    }
}

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 800);
    restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* e) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    bridge_->stop();
    e->accept();
}

void MainWindow::connectTo(std::vector<redis::Endpoint> nodes, const QString& description) {
    connectTo(monitor::MonitorTarget::group(std::move(nodes)), description);
}

void MainWindow::connectTo(monitor::MonitorTarget target, const QString& description) {
    description_ = description;
    target_ = target;
    setWindowTitle(
        tr("LockScope — %1%2").arg(description, readOnly_ ? tr(" (read-only)") : QString()));
    lockModel_->clear();
    counterModel_->clear();
    eventModel_->clear();
    status_->setTarget(description);
    // --insecure (from the command line or a profile): said in the status bar while in force.
    QStringList warnings;
    for (const auto& w : monitor::transportWarnings(target.tls))
        warnings << QString::fromStdString(w);
    status_->setTransportWarnings(warnings);
    // The Demo Lab can run there too — on one server or a group; a Sentinel group or a cluster
    // has no fixed servers to run a demo on.
    const bool fixed =
        target.kind == monitor::TargetKind::Single || target.kind == monitor::TargetKind::Group;
    demoLab_->setConnectedTarget(fixed ? target.nodes : std::vector<redis::Endpoint>{},
                                 description);
    monitor::MonitorOptions options;
    options.rules = bridge_->rules();
    options.scanBudgetPercent = isSandbox(target) ? 0 : scanBudgetSetting();
    status_->setScanBudget(options.scanBudgetPercent);
    bridge_->start(std::move(target), std::move(options));
}

// The embedded sandbox is ours: it is swept at full speed. Any other server gets the budget.
bool MainWindow::isSandbox(const monitor::MonitorTarget& target) const {
    if (sandboxNodes_.empty() || target.nodes.size() != sandboxNodes_.size()) return false;
    for (size_t i = 0; i < target.nodes.size(); ++i)
        if (target.nodes[i].display() != sandboxNodes_[i].display()) return false;
    return true;
}

double MainWindow::scanBudgetSetting() {
    return QSettings()
        .value("monitor/scanBudgetPercent", monitor::MonitorOptions{}.scanBudgetPercent)
        .toDouble();
}

void MainWindow::setScanBudget(double percent) {
    QSettings().setValue("monitor/scanBudgetPercent", percent);
    if (!target_.nodes.empty() || target_.kind != monitor::TargetKind::Single)
        connectTo(target_, description_);  // in force at once
}

void MainWindow::openScanBudgetDialog() {
    auto* d = new QInputDialog(this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->setObjectName("scanBudgetDialog");
    d->setWindowTitle(tr("Scan budget"));
    d->setLabelText(
        tr("Share of the watched server's time LockScope may use while polling, in percent\n"
           "(0 = unlimited, for sandboxes and staging). Known locks and counters are read\n"
           "first; new keys are found by a background sweep within the rest."));
    d->setInputMode(QInputDialog::DoubleInput);
    d->setDoubleRange(0, 100);
    d->setDoubleDecimals(1);
    d->setDoubleValue(scanBudgetSetting());
    connect(d, &QInputDialog::doubleValueSelected, this,
            [this](double v) { setScanBudget(v >= 100 ? 0 : v); });
    d->open();
}

void MainWindow::followTopology(const QString& url, const QString& nodesArg,
                                const QString& description) {
    monitor::MonitorTarget t;
    try {
        t = nodesArg.isEmpty()
                ? monitor::MonitorTarget::fromUrl(redis::parseUrl(url.toStdString()))
                : monitor::MonitorTarget::group(redis::parseNodeList(nodesArg.toStdString()));
    } catch (const std::exception& e) {
        statusBar()->showMessage(
            tr("Cannot follow the topology: %1").arg(QString::fromUtf8(e.what())), 10000);
        return;
    }
    if (!beforeTopology_) beforeTopology_.emplace(target_, description_);
    profileName_.clear();  // a sandbox topology is no saved profile
    production_ = false;
    updateProfileBadge();
    connectTo(std::move(t), tr("topology %1").arg(description));
}

void MainWindow::unfollowTopology() {
    if (!beforeTopology_) return;
    auto [target, description] = std::move(*beforeTopology_);
    beforeTopology_.reset();
    connectTo(std::move(target), description);
}

void MainWindow::setReadOnly(bool readOnly) {
    if (readOnly_ == readOnly) return;
    readOnly_ = readOnly;
    if (readOnlyAction_ && readOnlyAction_->isChecked() != readOnly)
        readOnlyAction_->setChecked(readOnly);
    setWindowTitle(
        tr("LockScope — %1%2").arg(description_, readOnly ? tr(" (read-only)") : QString()));
    if (profileBadge_) updateProfileBadge();
    emit readOnlyChanged(readOnly);
}

void MainWindow::applyProfile(const ConnectionTarget& t) {
    profileName_ = t.profileName;
    production_ = t.production;
    // A profile that opens read-only does so on every connect; one that does not leaves the mode
    // as it was (connecting never turns writes on by itself).
    lastColour_ = t.colour;
    if (t.readOnly) setReadOnly(true);
    updateProfileBadge();
}

void MainWindow::updateProfileBadge() {
    if (profileName_.isEmpty()) {
        profileBadge_->hide();
        return;
    }
    const QString hex = profileColourHex(lastColour_);
    QString text =
        hex.isEmpty() ? QString() : QString("<span style='color:%1'>\u25CF</span> ").arg(hex);
    text += profileName_.toHtmlEscaped();
    if (production_) text += " — <b>" + tr("production").toHtmlEscaped() + "</b>";
    if (readOnly_) text += " · " + tr("read-only").toHtmlEscaped();
    profileBadge_->setText(text);
    profileBadge_->setToolTip(production_ ? tr("A production profile opens read-only: "
                                               "Actions > Read-only mode unlocks the write "
                                               "actions after you confirm.")
                                          : QString());
    profileBadge_->show();
}

QByteArray MainWindow::exportTable(Table table, ExportFormat format) const {
    std::vector<monitor::KeyRecord> records;
    if (table == Table::Locks) {
        for (int row = 0; row < lockModel_->rowCount(); ++row)
            if (const auto* r = lockModel_->recordAt(row)) records.push_back(*r);
    } else {
        for (int row = 0; row < counterModel_->rowCount(); ++row)
            if (const auto* r = counterModel_->recordAt(row)) records.push_back(*r);
    }
    // The node of each record where `locks --json` names it: Sentinel groups and clusters.
    std::vector<std::string> nodeNames;
    const auto& status = bridge_->lastStatus();
    if (status.kind == monitor::TargetKind::Cluster || status.kind == monitor::TargetKind::Sentinel)
        for (const auto& n : status.nodes) nodeNames.push_back(n.display());
    return exportRecords(records, format, nodeNames);
}

bool MainWindow::exportTable(Table table, ExportFormat format, const QString& path,
                             QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(exportTable(table, format)) < 0 ||
        !file.commit()) {
        if (error) *error = file.errorString();
        return false;
    }
    return true;
}

void MainWindow::exportInteractive(Table table, ExportFormat format) {
    const bool csv = format == ExportFormat::Csv;
    const QString suffix = csv ? "csv" : "json";
    const QString what = table == Table::Locks ? tr("Export Locks") : tr("Export Counters");
    const QString name =
        (table == Table::Locks ? "lockscope-locks." : "lockscope-counters.") + suffix;
    QString path = QFileDialog::getSaveFileName(
        this, what,
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(name),
        csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += "." + suffix;
    QString error;
    if (!exportTable(table, format, path, &error))
        QMessageBox::warning(this, what, tr("Could not write %1: %2").arg(path, error));
    else
        statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
}

QDialog* MainWindow::openShortcutsDialog() {
    auto* dialog = new QDialog(this);
    dialog->setObjectName("shortcutsDialog");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard Shortcuts"));
    auto* table = new QTableWidget(dialog);
    table->setObjectName("shortcutsTable");
    table->setColumnCount(2);
    table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    QSet<QString> seen;
    for (QAction* a : findChildren<QAction*>()) {
        if (a->shortcut().isEmpty()) continue;
        QString text = a->text();
        text.remove(QRegularExpression("&(?!&)")).replace("&&", "&");
        const QString keys = a->shortcut().toString(QKeySequence::NativeText);
        if (text.isEmpty() || seen.contains(text + keys)) continue;
        seen.insert(text + keys);
        const int row = table->rowCount();
        table->insertRow(row);
        table->setItem(row, 0, new QTableWidgetItem(text));
        table->setItem(row, 1, new QTableWidgetItem(keys));
    }
    table->sortItems(0);
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    layout->addWidget(buttons);
    dialog->resize(460, 420);
    dialog->show();
    return dialog;
}

QMessageBox* MainWindow::reportNoSandbox(const QString& why) {
    status_->setTarget(tr("not connected"));
    setWindowTitle(tr("LockScope — not connected"));
    auto* box = new QMessageBox(
        QMessageBox::Warning, tr("The sandbox could not start"),
        tr("Without --url or --nodes LockScope starts its own redis-server with demo traffic, "
           "and that failed:\n\n%1\n\n"
           "Install redis-server (Debian: apt install redis-server) and start LockScope again, or "
           "connect to a server you have with File > Connect…")
            .arg(why),
        QMessageBox::NoButton, this);
    box->setObjectName("noSandboxBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* connectButton = box->addButton(tr("&Connect…"), QMessageBox::AcceptRole);
    connectButton->setObjectName("noSandboxConnectButton");
    QPushButton* quit = box->addButton(tr("&Quit"), QMessageBox::RejectRole);
    quit->setObjectName("noSandboxQuitButton");
    box->setDefaultButton(connectButton);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, connectButton, quit](QAbstractButton* b) {
                // After the box has closed: the connection dialog is window-modal too.
                if (b == connectButton)
                    QMetaObject::invokeMethod(
                        this, [this] { openConnectionDialog(); }, Qt::QueuedConnection);
                else if (b == quit)
                    QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
            });
    box->open();
    return box;
}

QMessageBox* MainWindow::confirmWrites() {
    // Until the operator answers, the window stays read-only and the menu says so.
    if (readOnlyAction_) {
        const QSignalBlocker block(readOnlyAction_);
        readOnlyAction_->setChecked(true);
    }
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Allow writes to production?"),
                                tr("Profile “%1” is marked production and opened read-only.\n\n"
                                   "Allow the write actions (release, extend, force-release, "
                                   "set and reset counters, demos) on it?")
                                    .arg(profileName_),
                                QMessageBox::NoButton, this);
    box->setObjectName("confirmWritesBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* allow = box->addButton(tr("Allow writes"), QMessageBox::AcceptRole);
    allow->setObjectName("allowWritesButton");
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, allow](QAbstractButton* b) {
        if (b == allow) setReadOnly(false);
    });
    box->open();
    return box;
}

void MainWindow::setSandbox(std::vector<redis::Endpoint> nodes, const QString& description) {
    sandboxNodes_ = std::move(nodes);
    sandboxDescription_ = description;
}

ConnectionDialog* MainWindow::openConnectionDialog() {
    if (!connectionDialog_) {
        connectionDialog_ = new ConnectionDialog(this);
        connect(connectionDialog_, &ConnectionDialog::connectRequested, this,
                [this](const ConnectionTarget& t) {
                    beforeTopology_.reset();  // chosen by hand: a topology stopping later keeps it
                    connectTo(t.target, t.description);
                    applyProfile(t);
                });
    }
    std::optional<ConnectionTarget> sandbox;
    if (!sandboxNodes_.empty()) {
        sandbox.emplace();
        sandbox->nodes = sandboxNodes_;
        sandbox->description = sandboxDescription_;
        sandbox->sandbox = true;
        sandbox->target = monitor::MonitorTarget::group(sandboxNodes_);
    }
    connectionDialog_->setSandbox(std::move(sandbox));
    connectionDialog_->open();
    return connectionDialog_;
}

}  // namespace lockscope::ui

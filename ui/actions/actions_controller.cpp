#include "ui/actions/actions_controller.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include "ui/actions/action_dialogs.h"
#include "ui/actions/action_log_model.h"
#include "ui/common/display_text.h"
#include "ui/counters/counter_table_model.h"
#include "ui/counters/counters_panel.h"
#include "ui/locks/lock_detail_pane.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/locks_panel.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "util/audit.h"

namespace lockscope::ui {

ActionsController::ActionsController(MainWindow* window) : QObject(window), window_(window) {
    service_ = new ActionService(this);
    log_ = new ActionLogModel(1000, this);
    log_->attach(service_);

    acquire_ = new QAction(tr("&Acquire Lock…"), this);
    acquire_->setObjectName("actionAcquire");
    acquire_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    acquire_->setToolTip(tr("Take a lock with a strategy and TTL of your choice"));
    release_ = new QAction(tr("&Release My Lease"), this);
    release_->setObjectName("actionRelease");
    release_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    release_->setToolTip(tr("Release the selected lock, which this dashboard holds"));
    extend_ = new QAction(tr("&Extend…"), this);
    extend_->setObjectName("actionExtend");
    extend_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    extend_->setToolTip(tr("Reset the selected lock's TTL, if its holder is still the one shown"));
    forceRelease_ = new QAction(tr("&Force-Release…"), this);
    forceRelease_->setObjectName("actionForceRelease");
    forceRelease_->setToolTip(
        tr("Delete the selected lock if it is still held by the holder shown "
           "(asks first, logged)"));
    setCounter_ = new QAction(tr("&Set Counter Value…"), this);
    setCounter_->setObjectName("actionSetCounter");
    resetCounter_ = new QAction(tr("Re&set Counter…"), this);
    resetCounter_->setObjectName("actionResetCounter");
    resetCounter_->setToolTip(tr("Set the selected counter to 0 (asks first, logged)"));
    releaseAll_ = new QAction(tr("Release &All My Leases"), this);
    releaseAll_->setObjectName("actionReleaseAll");
    connect(acquire_, &QAction::triggered, this, &ActionsController::openAcquire);
    connect(release_, &QAction::triggered, this, &ActionsController::releaseSelected);
    connect(extend_, &QAction::triggered, this, &ActionsController::openExtend);
    connect(forceRelease_, &QAction::triggered, this, &ActionsController::openForceRelease);
    connect(setCounter_, &QAction::triggered, this, &ActionsController::openSetCounter);
    connect(resetCounter_, &QAction::triggered, this, &ActionsController::openResetCounter);
    connect(releaseAll_, &QAction::triggered, this, &ActionsController::releaseAll);
    leasesMenu_ = new QMenu(tr("&My Leases"), window_);
    leasesMenu_->setObjectName("leasesMenu");
    connect(leasesMenu_, &QMenu::aboutToShow, this, &ActionsController::rebuildLeasesMenu);

    // The Action log dock: what was attempted, and how it ended.
    auto* panel = new QWidget(window_);
    readOnlyNote_ = new QLabel(tr("<b>Read-only mode:</b> every write is disabled. Actions > "
                                  "Read-only mode turns it off."),
                               panel);
    readOnlyNote_->setObjectName("readOnlyNote");
    readOnlyNote_->setVisible(false);
    message_ = new QLabel(panel);
    message_->setObjectName("actionMessage");
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    logTable_ = new QTableView(panel);
    logTable_->setObjectName("actionLogTable");
    logTable_->setModel(log_);
    logTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    logTable_->setAlternatingRowColors(true);
    logTable_->setWordWrap(false);
    logTable_->verticalHeader()->hide();
    logTable_->horizontalHeader()->setStretchLastSection(true);
    logTable_->setColumnWidth(ActionLogModel::Time, 80);
    logTable_->setColumnWidth(ActionLogModel::Action, 110);
    logTable_->setColumnWidth(ActionLogModel::Key, 260);
    connect(log_, &QAbstractItemModel::rowsInserted, logTable_, &QTableView::scrollToBottom);
    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(readOnlyNote_);
    layout->addWidget(message_);
    layout->addWidget(logTable_, 1);
    dock_ = new QDockWidget(tr("Action Log"), window_);
    dock_->setObjectName("actionLogDock");
    dock_->setWidget(panel);
    window_->addDockWidget(Qt::BottomDockWidgetArea, dock_);
    if (auto* events = window_->findChild<QDockWidget*>("eventsDock")) {
        window_->tabifyDockWidget(events, dock_);
        events->raise();
    }

    toolBar_ = new QToolBar(tr("Actions"), window_);
    toolBar_->setObjectName("actionsToolBar");
    toolBar_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar_->addAction(acquire_);
    toolBar_->addAction(release_);
    toolBar_->addAction(extend_);
    toolBar_->addAction(forceRelease_);
    window_->addToolBar(Qt::TopToolBarArea, toolBar_);

    // Context menus on the tables.
    QTableView* locks = window_->locksPanel()->table();
    locks->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(locks, &QWidget::customContextMenuRequested, this, &ActionsController::showLocksMenu);
    QTableView* counters = window_->countersPanel()->table();
    counters->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(counters, &QWidget::customContextMenuRequested, this,
            &ActionsController::showCountersMenu);

    // Follow what decides whether an action makes sense.
    connect(window_->locksPanel(), &LocksPanel::selectedKeyChanged, this,
            &ActionsController::updateEnabled);
    connect(window_->countersPanel(), &CountersPanel::selectionChanged, this,
            &ActionsController::updateEnabled);
    // After each update (not on the 250 ms countdown, which touches the time columns alone).
    connect(window_->lockModel(), &LockTableModel::applied, this,
            &ActionsController::updateEnabled);
    connect(window_->lockModel(), &QAbstractItemModel::rowsRemoved, this,
            &ActionsController::updateEnabled);
    connect(window_->lockModel(), &QAbstractItemModel::modelReset, this,
            &ActionsController::updateEnabled);
    connect(service_, &ActionService::leasesChanged, this, &ActionsController::updateEnabled);
    connect(service_, &ActionService::finished, this, &ActionsController::onFinished);
    connect(service_, &ActionService::leaseEvent, this,
            [this](const ActionResult& r) { message_->setText(r.message); });
    MonitorBridge* bridge = window_->bridge();
    if (bridge->running()) {
        service_->setTarget(bridge->target());
        service_->setNodes(bridge->nodes());
    }
    connect(bridge, &MonitorBridge::started, this, [this, bridge] {
        service_->setTarget(bridge->target());
        service_->setNodes(bridge->nodes());
        updateEnabled();
    });
    // Sentinel: the master moves with a failover; cluster: each key goes to its slot's master.
    connect(bridge, &MonitorBridge::nodesChanged, this,
            [this, bridge] { service_->setNodes(bridge->nodes()); });
    service_->setRouter([bridge](const std::string& key) { return bridge->nodesFor(key); });
    connect(window_, &MainWindow::readOnlyChanged, this, &ActionsController::setReadOnly);
    setReadOnly(window_->readOnly());
}

void ActionsController::addToMenu(QMenu* menu) {
    QAction* first = menu->actions().isEmpty() ? nullptr : menu->actions().first();
    menu->insertActions(first, {acquire_, release_, extend_, forceRelease_});
    menu->insertMenu(first, leasesMenu_);
    menu->insertSeparator(first);
    menu->insertActions(first, {setCounter_, resetCounter_});
    menu->insertSeparator(first);
}

QList<QAction*> ActionsController::writeActions() const {
    return {acquire_, release_, extend_, forceRelease_, setCounter_, resetCounter_, releaseAll_};
}

const monitor::KeyRecord* ActionsController::selectedLock() const {
    const std::string key = window_->locksPanel()->selectedKey();
    if (key.empty()) return nullptr;
    return window_->lockModel()->recordAt(window_->lockModel()->rowOf(key));
}

const monitor::KeyRecord* ActionsController::selectedCounter() const {
    const auto keys = window_->countersPanel()->selectedKeys();
    if (keys.size() != 1) return nullptr;
    return window_->counterModel()->recordAt(window_->counterModel()->rowOf(keys.front()));
}

void ActionsController::setReadOnly(bool readOnly) {
    readOnly_ = readOnly;
    service_->setReadOnly(readOnly);
    readOnlyNote_->setVisible(readOnly);
    // A dialog opened before the switch must not write either (the service would refuse anyway).
    if (readOnly && dialog_) dialog_->reject();
    updateEnabled();
}

void ActionsController::updateEnabled() {
    const bool can = !readOnly_ && !service_->nodes().empty();
    const auto* lock = selectedLock();
    const bool held = lock && lock->state != monitor::LockState::Free && !lock->holder.empty();
    const bool own = held && service_->leaseFor(lock->key, lock->holder);
    acquire_->setEnabled(can);
    release_->setEnabled(can && own);
    // A plain permit and a latch have no lease: nothing to extend (the core refuses it too).
    const bool noLease = lock && (lock->format == monitor::Format::Semaphore ||
                                  lock->format == monitor::Format::Latch);
    // sidekiq-unique-jobs: shown, never changed — its own unlock keeps the digest's zset and
    // lists (docs/client-formats.md#format-sidekiq-unique-jobs).
    const bool libraryOnly = lock && lock->format == monitor::Format::SidekiqUniqueJobs;
    const QString libraryOnlyTip =
        tr("A sidekiq-unique-jobs lock: LockScope shows it but does not change it — its unlock "
           "also clears the digest from uniquejobs:digests and its lists. Unlock it with the "
           "library: SidekiqUniqueJobs::Digests.new.delete_by_digest(digest), or Delete on the "
           "Locks page of Sidekiq's web UI");
    extend_->setEnabled(can && held && !noLease && !libraryOnly);
    extend_->setToolTip(
        libraryOnly ? libraryOnlyTip
        : !noLease  ? tr("Reset the selected lock's TTL, if its holder is still the one shown")
        : lock->format == monitor::Format::Latch
            ? tr("A latch has no lease to extend: it stays until its count reaches zero")
            : tr("A plain semaphore's permit has no lease to extend: it is held until it is "
                 "given back (an expirable semaphore's permits have one)"));
    forceRelease_->setEnabled(can && held && !libraryOnly);
    forceRelease_->setToolTip(libraryOnly ? libraryOnlyTip
                                          : tr("Delete the selected lock if it is still held by "
                                               "the holder shown (asks first, logged)"));
    const bool counter = selectedCounter() != nullptr;
    setCounter_->setEnabled(can && counter);
    resetCounter_->setEnabled(can && counter);
    releaseAll_->setEnabled(can && !service_->leases().empty());
    leasesMenu_->setEnabled(!service_->leases().empty());
}

void ActionsController::showDialog(QDialog* dialog) {
    if (dialog_) dialog_->reject();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog_ = dialog;
    dialog->open();  // window-modal, no nested event loop
}

void ActionsController::openAcquire() {
    if (!acquire_->isEnabled()) return;
    const auto* lock = selectedLock();
    auto* d = new AcquireDialog(lock ? lock->key : std::string(), service_->nodes().size(), window_,
                                lock ? lock->format : monitor::Format::Unknown);
    connect(d, &QDialog::accepted, this, [this, d] { service_->submit(d->request()); });
    showDialog(d);
}

void ActionsController::openExtend() {
    const auto* lock = selectedLock();
    if (!lock || !extend_->isEnabled()) return;
    auto* d =
        new ExtendDialog(*lock, service_->leaseFor(lock->key, lock->holder) != nullptr, window_);
    connect(d, &QDialog::accepted, this, [this, d] { service_->submit(d->request()); });
    showDialog(d);
}

void ActionsController::openForceRelease() {
    const auto* lock = selectedLock();
    if (!lock || !forceRelease_->isEnabled()) return;
    // The dialog keeps the holder and TTL of this moment: that is what the operator confirms.
    // The processes behind a reader's "<uuid>:<thread>", as the detail pane read them with the
    // value of this lock.
    const LockDetailPane* pane = window_->locksPanel()->detailPane();
    // A plain semaphore's recorded permit tokens too (adv14e item 6).
    const bool sameKey = pane->key() == lock->key;
    auto* d = new ForceReleaseDialog(
        *lock, window_, sameKey && pane->holderClientsKnown() ? &pane->holderClients() : nullptr,
        sameKey ? &pane->recordedPermits() : nullptr);
    connect(d, &QDialog::accepted, this, [this, d] { service_->submit(d->request()); });
    showDialog(d);
}

void ActionsController::releaseSelected() {
    const auto* lock = selectedLock();
    if (!lock || !release_->isEnabled()) return;
    if (const auto* lease = service_->leaseFor(lock->key, lock->holder))
        service_->release(lease->id);
}

void ActionsController::releaseAll() {
    if (!releaseAll_->isEnabled()) return;
    for (const auto& lease : service_->leases()) service_->release(lease.id);
}

void ActionsController::openSetCounter() {
    const auto* counter = selectedCounter();
    if (!counter || !setCounter_->isEnabled()) return;
    auto* d = new SetCounterDialog(counter->key, counter->number, window_);
    connect(d, &QDialog::accepted, this, [this, d] { service_->submit(d->request()); });
    showDialog(d);
}

void ActionsController::openResetCounter() {
    const auto* counter = selectedCounter();
    if (!counter || !resetCounter_->isEnabled()) return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Reset a counter"),
                                tr("Set %1 (now %2) to 0?")
                                    .arg(displayText(counter->key).toHtmlEscaped())
                                    .arg(counter->number),
                                QMessageBox::NoButton, window_);
    box->setObjectName("resetCounterConfirm");
    box->setInformativeText(tr("Clients counting on it continue from 0. The reset is logged to %1.")
                                .arg(QString::fromStdString(auditLogPath())));
    QPushButton* reset = box->addButton(tr("Reset to 0"), QMessageBox::AcceptRole);
    reset->setObjectName("confirmButton");
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    const std::string key = counter->key;
    connect(box, &QMessageBox::accepted, this, [this, key] { service_->resetCounter(key); });
    showDialog(box);
}

void ActionsController::onFinished(const ActionResult& r) {
    message_->setText(r.message);
    if (r.ok()) return;
    dock_->show();
    dock_->raise();
    if (r.kind == ActionRequest::Kind::ForceRelease &&
        r.outcome == ActionResult::Outcome::HolderChanged) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Not released"), r.message,
                                    QMessageBox::Ok, window_);
        box->setObjectName("holderChangedMessage");
        showDialog(box);
    }
}

void ActionsController::showLocksMenu(const QPoint& pos) {
    QTableView* table = window_->locksPanel()->table();
    // popup(), not exec(): no nested event loop; the menu deletes itself when closed.
    auto* popup = new QMenu(table);
    popup->setAttribute(Qt::WA_DeleteOnClose);
    popup->addActions({acquire_, release_, extend_, forceRelease_});
    if (const auto* lock = selectedLock()) {
        popup->addSeparator();
        const std::string key = lock->key, holder = lock->holder;
        popup->addAction(tr("Copy Key"), popup,
                         [key] { QApplication::clipboard()->setText(displayText(key)); });
        if (!holder.empty())
            popup->addAction(tr("Copy Holder"), popup,
                             [holder] { QApplication::clipboard()->setText(displayText(holder)); });
    }
    popup->popup(table->viewport()->mapToGlobal(pos));
}

void ActionsController::showCountersMenu(const QPoint& pos) {
    QTableView* table = window_->countersPanel()->table();
    auto* popup = new QMenu(table);
    popup->setAttribute(Qt::WA_DeleteOnClose);
    popup->addActions({setCounter_, resetCounter_});
    if (const auto* counter = selectedCounter()) {
        popup->addSeparator();
        const std::string key = counter->key;
        popup->addAction(tr("Copy Key"), popup,
                         [key] { QApplication::clipboard()->setText(displayText(key)); });
    }
    popup->popup(table->viewport()->mapToGlobal(pos));
}

void ActionsController::rebuildLeasesMenu() {
    leasesMenu_->clear();
    for (const auto& lease : service_->leases()) {
        const quint64 id = lease.id;
        QAction* a = leasesMenu_->addAction(
            tr("Release %1 (%2%3)")
                .arg(displayText(lease.key), QString::fromStdString(lease.strategy),
                     !lease.renewing ? QString()
                     : lease.problem.empty()
                         ? tr(", renewing on %1").arg(QString::fromStdString(lease.node))
                         : tr(", RENEWAL FAILING: %1").arg(QString::fromStdString(lease.problem))),
            this, [this, id] { service_->release(id); });
        a->setEnabled(!readOnly_);
    }
    leasesMenu_->addSeparator();
    leasesMenu_->addAction(releaseAll_);
}

}  // namespace lockscope::ui

#include "ui/topology/topology_panel.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/common/core_text.h"
#include "ui/topology/topology_diagram.h"
#include "ui/topology/topology_model.h"

namespace lockscope::ui {
namespace {

using sandbox::NodeRole;
using sandbox::NodeState;
using sandbox::TopologyKind;

constexpr int kMaxLogLines = 500;

QToolButton* actionButton(QAction* action, const QString& objectName, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setObjectName(objectName);
    return b;
}

}  // namespace

TopologyPanel::TopologyPanel(QWidget* parent)
    : QWidget(parent), host_(new TopologyHost(this)), model_(new TopologyModel(this)) {
    setObjectName("topologyPanel");
    buildUi();
    connect(host_, &TopologyHost::started, this, &TopologyPanel::onStarted);
    connect(host_, &TopologyHost::stopped, this, &TopologyPanel::onStopped);
    connect(host_, &TopologyHost::snapshot, this, &TopologyPanel::onSnapshot);
    connect(host_, &TopologyHost::error, this, &TopologyPanel::onError);
    connect(host_, &TopologyHost::controlDone, this,
            [this](const QString&, bool ok, const QString& message) { appendLog(message, ok); });
    updateControls();
}

TopologyPanel::~TopologyPanel() = default;

void TopologyPanel::buildUi() {
    kind_ = new QComboBox(this);
    kind_->setObjectName("topologyKind");
    kind_->addItem(tr("Standalone"), int(TopologyKind::Standalone));
    kind_->addItem(tr("Redlock (N independent masters)"), int(TopologyKind::Redlock));
    kind_->addItem(tr("Sentinel (master + replica + 3 Sentinels)"), int(TopologyKind::Sentinel));
    kind_->addItem(tr("Cluster (3 masters + 3 replicas)"), int(TopologyKind::Cluster));
    redlockNodes_ = new QSpinBox(this);
    redlockNodes_->setObjectName("redlockNodes");
    redlockNodes_->setRange(3, 9);
    redlockNodes_->setValue(5);
    redlockNodes_->setPrefix(tr("N = "));
    redlockNodes_->setToolTip(tr("Independent masters in the Redlock group"));

    auto* startAction = new QAction(tr("Start"), this);
    startAction->setToolTip(
        tr("Start the topology on free loopback ports (a running one is stopped first)"));
    auto* stopAction = new QAction(tr("Stop"), this);
    stopAction->setToolTip(tr("Stop every process of the topology"));
    auto* followAction = new QAction(tr("Follow in dashboard"), this);
    followAction->setToolTip(tr("Point the dashboard's monitor at this topology"));
    connect(startAction, &QAction::triggered, this, &TopologyPanel::startClicked);
    connect(stopAction, &QAction::triggered, this, &TopologyPanel::stopClicked);
    connect(followAction, &QAction::triggered, this,
            [this] { emit followRequested(url_, nodesArg_, description_); });
    start_ = actionButton(startAction, "topologyStart", this);
    stop_ = actionButton(stopAction, "topologyStop", this);
    follow_ = actionButton(followAction, "topologyFollow", this);

    status_ = new QLabel(this);
    status_->setObjectName("topologyStatus");
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Topology:"), this));
    top->addWidget(kind_);
    top->addWidget(redlockNodes_);
    top->addWidget(start_);
    top->addWidget(stop_);
    top->addStretch(1);
    top->addWidget(follow_);

    diagram_ = new TopologyDiagram(this);
    connect(diagram_, &TopologyDiagram::nodeClicked, this, &TopologyPanel::selectNode);

    table_ = new QTableView(this);
    table_->setObjectName("topologyNodes");
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    // A handful of rows: sizing every column to its contents costs nothing and clips no address.
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setWordWrap(false);
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, &TopologyPanel::showContextMenu);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        diagram_->setSelectedNode(selectedNode());
        updateControls();
    });
    // A reset (new topology) drops the selection without currentRowChanged.
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        diagram_->setSelectedNode(selectedNode());
        updateControls();
    });

    static const char* names[] = {QT_TR_NOOP("Stop"),     QT_TR_NOOP("Start"),
                                  QT_TR_NOOP("Pause"),    QT_TR_NOOP("Resume"),
                                  QT_TR_NOOP("Kill"),     QT_TR_NOOP("Restart empty"),
                                  QT_TR_NOOP("Fail over")};
    static const char* objectNames[] = {"nodeStop", "nodeStart",   "nodePause",   "nodeResume",
                                        "nodeKill", "nodeRestart", "nodeFailover"};
    static const char* tips[] = {
        QT_TR_NOOP("Stop the node cleanly (SIGTERM)"),
        QT_TR_NOOP(
            "Start the stopped node again (same port; a Sentinel group's data node comes back as a "
            "replica "
            "of the current master)"),
        QT_TR_NOOP("Freeze the node (SIGSTOP): it keeps its sockets open but answers nothing"),
        QT_TR_NOOP("Let the paused node run again (SIGCONT)"),
        QT_TR_NOOP("Crash the node (SIGKILL)"),
        QT_TR_NOOP(
            "Kill the node and start it again without persistence, after the delay: it comes back "
            "empty"),
        QT_TR_NOOP("Sentinel: SENTINEL FAILOVER; cluster: CLUSTER FAILOVER on the selected "
                   "replica, or on a "
                   "replica of "
                   "the selected master")};
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Selected node:"), this));
    for (int a = 0; a < NodeActionCount; ++a) {
        actions_[a] = new QAction(tr(names[a]), this);
        actions_[a]->setToolTip(tr(tips[a]));
        connect(actions_[a], &QAction::triggered, this,
                [this, a] { runNodeAction(NodeAction(a)); });
        nodeButtons_[a] = actionButton(actions_[a], objectNames[a], this);
        controls->addWidget(nodeButtons_[a]);
        if (a == Restart) {
            restartDelay_ = new QSpinBox(this);
            restartDelay_->setObjectName("restartDelay");
            restartDelay_->setRange(0, 600000);
            restartDelay_->setSingleStep(500);
            restartDelay_->setSuffix(tr(" ms"));
            restartDelay_->setPrefix(tr("down for "));
            restartDelay_->setToolTip(
                tr("How long the node stays down before it comes back empty: a delay past "
                   "the longest lock TTL keeps it from granting a lock twice"));
            controls->addWidget(restartDelay_);
        }
    }
    controls->addStretch(1);

    log_ = new QListWidget(this);
    log_->setObjectName("topologyLog");
    log_->setUniformItemSizes(true);

    auto* tablePane = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(table_, 1);
    tableLayout->addLayout(controls);

    auto* split = split_ = new QSplitter(Qt::Vertical, this);
    split->setObjectName("topologySplitter");
    auto* diagramScroll = new QScrollArea(this);
    diagramScroll->setObjectName("topologyDiagramScroll");
    diagramScroll->setWidget(diagram_);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    diagramScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the diagram wraps
    diagramScroll_ = diagramScroll;
    split->addWidget(diagramScroll);
    split->addWidget(tablePane);
    split->addWidget(log_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 1);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(status_);
    layout->addWidget(split, 1);

    connect(kind_, &QComboBox::currentIndexChanged, this, [this] { updateControls(); });
    setStatus(tr("No topology running."), Tone::Neutral);
}

int TopologyPanel::selectedNode() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    const auto* n = current.isValid() ? model_->node(current.row()) : nullptr;
    return n ? n->index : -1;
}

void TopologyPanel::selectNode(int node) {
    if (node < 0 || node >= model_->rowCount()) return table_->clearSelection();
    table_->selectRow(node);  // rows are nodes in start order
}

void TopologyPanel::startClicked() {
    sandbox::TopologyOptions o;
    o.kind = TopologyKind(kind_->currentData().toInt());
    o.redlockNodes = redlockNodes_->value();
    o.readyTimeout =
        std::chrono::milliseconds(20000);  // bounds how long closing can wait for a start
    startingKind_ = topologyKindText(o.kind);
    phase_ = Phase::Starting;
    setStatus(tr("starting %1…").arg(startingKind_), Tone::Neutral);
    host_->start(o);
    updateControls();
}

void TopologyPanel::stopClicked() {
    phase_ = Phase::Stopping;
    setStatus(tr("stopping…"), Tone::Neutral);
    host_->stop();
    updateControls();
}

void TopologyPanel::runNodeAction(NodeAction a) {
    const int node = selectedNode();
    switch (a) {
        case StopNode:
            host_->stopNode(node);
            break;
        case StartNode:
            host_->startNode(node);
            break;
        case Pause:
            host_->pauseNode(node);
            break;
        case Resume:
            host_->resumeNode(node);
            break;
        case Kill:
            host_->killNode(node);
            break;
        case Restart:
            host_->restartNode(node, std::chrono::milliseconds(restartDelay_->value()));
            break;
        case Failover:
            host_->failover(node >= 0 ? std::optional<int>(node) : std::nullopt);
            appendLog(tr("failing over…"), true);
            break;
        case NodeActionCount:
            break;
    }
}

void TopologyPanel::onStarted(TopologyKind kind, const QString& url, const QString& nodesArg,
                              const QString& description) {
    url_ = url;
    nodesArg_ = nodesArg;
    description_ = description;
    // A stop queued behind this start is still to come.
    if (phase_ != Phase::Stopping) phase_ = Phase::Running;
    const QString where = url.isEmpty() ? tr("--nodes %1").arg(nodesArg) : url;
    if (phase_ == Phase::Running) {
        setStatus(tr("running: %1").arg(where), Tone::Good);
        status_->setToolTip(description);
    }
    appendLog(tr("started %1: %2").arg(topologyKindText(kind), description), true);
    updateControls();
    if (phase_ == Phase::Running) emit followRequested(url, nodesArg, description);
}

void TopologyPanel::onStopped() {
    const bool wasRunning = !url_.isEmpty() || !nodesArg_.isEmpty();
    url_.clear();
    nodesArg_.clear();
    description_.clear();
    model_->clear();
    diagram_->setView(nullptr);
    if (wasRunning) appendLog(tr("stopped every process of the topology"), true);
    if (phase_ == Phase::Starting) {
        setStatus(tr("starting %1…").arg(startingKind_), Tone::Neutral);  // the old one made way
    } else {
        phase_ = Phase::Idle;
        setStatus(tr("stopped"), Tone::Neutral);
    }
    status_->setToolTip({});
    updateControls();
    emit stopFollowing();
}

void TopologyPanel::onSnapshot(TopologyViewPtr view) {
    const bool first = view && view->generation != fittedGeneration_;
    model_->apply(view);
    diagram_->setView(view);
    if (first) {
        fittedGeneration_ = view->generation;
        fitSplitter();
    }
    updateControls();
}

// A new topology: give the diagram and the table the room they need (the log takes the rest), so
// the whole picture shows without scrolling where the window is tall enough. Later snapshots
// leave the user's splitter alone.
void TopologyPanel::fitSplitter() {
    const int total = split_->height() - split_->handleWidth() * 2;
    const int diagram = diagram_->heightForWidth(diagramScroll_->viewport()->width()) + 2;
    const int table = table_->horizontalHeader()->height() + table_->frameWidth() * 2 +
                      model_->rowCount() * table_->verticalHeader()->defaultSectionSize() +
                      nodeButtons_[StopNode]->sizeHint().height() + 24;
    const int log = std::max(80, total - diagram - table);
    const int diagramShown = std::max(100, std::min(diagram, total - table - log));
    split_->setSizes({diagramShown, std::max(120, total - diagramShown - log), log});
}

void TopologyPanel::onError(const QString& message) {
    if (phase_ == Phase::Starting) phase_ = Phase::Idle;
    setStatus(message, Tone::Bad);
    appendLog(message, false);
    updateControls();
}

void TopologyPanel::appendLog(const QString& message, bool ok) {
    auto* item = new QListWidgetItem(
        QString("%1  %2").arg(QDateTime::currentDateTime().toString("HH:mm:ss"), message));
    item->setToolTip(message);
    if (!ok) item->setForeground(toneColour(Tone::Bad, palette(), QPalette::Base));
    log_->addItem(item);
    while (log_->count() > kMaxLogLines) delete log_->takeItem(0);
    log_->scrollToBottom();
}

void TopologyPanel::setStatus(const QString& text, Tone tone) {
    status_->setText(text);
    QPalette p = status_->palette();
    p.setColor(QPalette::WindowText, tone == Tone::Neutral ? palette().color(QPalette::WindowText)
                                                           : toneColour(tone, palette()));
    status_->setPalette(p);
}

bool TopologyPanel::enabledFor(NodeAction a, const sandbox::NodeView* n) const {
    if (phase_ != Phase::Running || !host_->running()) return false;
    const auto view = model_->view();
    if (!view) return false;
    const auto kind = view->snapshot.kind;
    if (a == Failover) {
        if (kind == TopologyKind::Sentinel) return true;  // the Sentinels pick the replica
        if (kind != TopologyKind::Cluster || !n || n->state != NodeState::Running) return false;
        return n->role == NodeRole::Replica ||
               (n->role == NodeRole::Master && !n->replicas.empty());
    }
    if (!n) return false;
    switch (a) {
        case StopNode:
        case Kill:
            return n->state != NodeState::Stopped;
        case StartNode:
            return n->state == NodeState::Stopped;
        case Pause:
            return n->state == NodeState::Running;
        case Resume:
            return n->state == NodeState::Paused;
        case Restart:
            return n->role != NodeRole::Sentinel;  // "empty" is about data
        default:
            return false;
    }
}

void TopologyPanel::updateControls() {
    const bool lifecycleBusy = phase_ == Phase::Starting || phase_ == Phase::Stopping;
    const auto kind = TopologyKind(kind_->currentData().toInt());
    kind_->setEnabled(!lifecycleBusy);
    redlockNodes_->setEnabled(!lifecycleBusy && kind == TopologyKind::Redlock);
    start_->defaultAction()->setEnabled(!lifecycleBusy);
    stop_->defaultAction()->setEnabled(phase_ == Phase::Running || phase_ == Phase::Starting);
    follow_->defaultAction()->setEnabled(phase_ == Phase::Running &&
                                         (!url_.isEmpty() || !nodesArg_.isEmpty()));
    const auto* n = model_->node(table_->selectionModel()->currentIndex().row());
    if (!table_->selectionModel()->currentIndex().isValid()) n = nullptr;
    for (int a = 0; a < NodeActionCount; ++a) actions_[a]->setEnabled(enabledFor(NodeAction(a), n));
    restartDelay_->setEnabled(actions_[Restart]->isEnabled());
}

void TopologyPanel::showContextMenu(const QPoint& pos) {
    const QModelIndex at = table_->indexAt(pos);
    if (!at.isValid()) return;
    table_->selectRow(at.row());
    QMenu menu(this);
    for (int a = 0; a < NodeActionCount; ++a) menu.addAction(actions_[a]);
    menu.exec(table_->viewport()->mapToGlobal(pos));
}

}  // namespace lockscope::ui

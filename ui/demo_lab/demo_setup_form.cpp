#include "ui/demo_lab/demo_setup_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "locks/lock_strategy.h"
#include "ui/common/core_text.h"

namespace lockscope::ui {
namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

enum Mode { CounterMode = 0, LockMode = 1 };
enum TargetIndex { OwnSandboxIndex = 0, ConnectedIndex = 1 };

// Every spec the counter demo takes, in registry order: bare `locked` (set-nx-px) and its other
// lock variants, `capped` as its two rows.
std::vector<std::pair<QString, QString>> counterSpecs() {
    std::vector<std::pair<QString, QString>> out;  // spec, tooltip
    for (const auto& s : counters::counterStrategies()) {
        const QString tip =
            QObject::tr("%1\nUnder contention: %2").arg(counterSummary(s), counterContention(s));
        if (s.id == "capped") {
            out.emplace_back("capped:naive",
                             tip + QObject::tr("\nnaive: GET the count, then INCR"));
            out.emplace_back("capped:atomic",
                             tip + QObject::tr("\natomic: check and INCR in one script"));
        } else if (s.id == "locked") {
            out.emplace_back("locked", tip + QObject::tr("\nThe lock: set-nx-px"));
            for (const auto& l : locks::lockStrategies())
                if (l.id != "set-nx-px" && l.kind != locks::LockKind::Latch)
                    out.emplace_back(
                        "locked:" + q(l.id),
                        tip + QObject::tr("\nThe lock: %1 — %2").arg(q(l.id), lockSummary(l)));
        } else {
            out.emplace_back(q(s.id), tip);
        }
    }
    return out;
}

}  // namespace

DemoSetupForm::DemoSetupForm(QWidget* parent) : QWidget(parent) {
    mode_ = new QComboBox(this);
    mode_->setObjectName("demoMode");
    mode_->addItem(tr("Counter demo"));
    mode_->setItemData(CounterMode,
                       tr("Workers increment one shared counter; which recipes lose updates?"),
                       Qt::ToolTipRole);
    mode_->addItem(tr("Lock demo"));
    mode_->setItemData(LockMode,
                       tr("Worker processes take one lock around a non-atomic update, "
                          "optionally with a fault; does the lock keep them apart?"),
                       Qt::ToolTipRole);

    pages_ = new QStackedWidget(this);
    pages_->addWidget(makeCounterPage());
    pages_->addWidget(makeLockPage());

    workers_ = new QSpinBox(this);
    workers_->setObjectName("demoWorkers");
    workers_->setRange(1, 1024);
    workers_->setValue(workersOf_[CounterMode]);
    workers_->setToolTip(tr("Counter demo: threads, one connection each. Lock demo: processes."));
    ops_ = new QSpinBox(this);
    ops_->setObjectName("demoOps");
    ops_->setRange(1, 10'000'000);
    ops_->setValue(opsOf_[CounterMode]);
    ops_->setToolTip(
        tr("Per worker: increments (counter) or critical sections (lock). "
           "Expected = workers × ops."));
    target_ = new QComboBox(this);
    target_->setObjectName("demoTarget");
    target_->addItem(tr("Own sandbox"));
    target_->setItemData(
        OwnSandboxIndex,
        tr("The demo starts throwaway redis-servers for the run (and Sentinels for "
           "the failover) and stops them when it ends"),
        Qt::ToolTipRole);
    target_->addItem(tr("Server the dashboard follows"));
    setConnectedTarget(false, {});

    auto* common = new QFormLayout;
    common->addRow(tr("Workers"), workers_);
    common->addRow(tr("Ops per worker"), ops_);
    common->addRow(tr("Run on"), target_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mode_);
    layout->addWidget(pages_, 1);
    layout->addLayout(common);

    connect(mode_, &QComboBox::currentIndexChanged, this, &DemoSetupForm::onModeChanged);
    connect(counters_, &QListWidget::itemChanged, this, &DemoSetupForm::changed);
    for (auto* combo : {lockStrategy_, fault_, nodes_, target_})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            updateLockControls();
            emit changed();
        });
    for (auto* spin : {ttl_, waitReplicas_, down_, workers_, ops_})
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            updateLockControls();
            emit changed();
        });
    updateLockControls();
}

QWidget* DemoSetupForm::makeCounterPage() {
    auto* page = new QWidget(this);
    counters_ = new QListWidget(page);
    counters_->setObjectName("counterStrategies");
    counters_->setToolTip(
        tr("Tick the strategies to run; they run one after another, each with "
           "the same workers and ops"));
    for (const auto& [spec, tip] : counterSpecs()) {
        auto* item = new QListWidgetItem(spec, counters_);
        item->setData(Qt::UserRole, spec);
        item->setToolTip(tip);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(spec == "naive" || spec == "incr" ? Qt::Checked : Qt::Unchecked);
    }
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Counter strategies"), page));
    layout->addWidget(counters_, 1);
    return page;
}

QWidget* DemoSetupForm::makeLockPage() {
    auto* page = new QWidget(this);
    lockStrategy_ = new QComboBox(page);
    lockStrategy_->setObjectName("lockStrategy");
    for (const auto& s : locks::lockStrategies()) {
        if (s.kind == locks::LockKind::Latch) continue;  // not a lock: nothing to contend for
        lockStrategy_->addItem(q(s.id), q(s.id));
        const QString tip = s.hazard.empty()
                                ? lockSummary(s)
                                : tr("%1\nHazard: %2").arg(lockSummary(s), lockHazard(s));
        lockStrategy_->setItemData(lockStrategy_->count() - 1, tip, Qt::ToolTipRole);
    }
    lockStrategy_->setCurrentIndex(
        std::max(0, lockStrategy_->findData(QStringLiteral("set-nx-px"))));
    fault_ = new QComboBox(page);
    fault_->setObjectName("fault");
    for (const auto& f : demo::faults()) {  // "none" comes first in the table
        fault_->addItem(q(f.name), int(f.fault));
        fault_->setItemData(fault_->count() - 1, faultSummary(f), Qt::ToolTipRole);
    }
    ttl_ = new QSpinBox(page);
    ttl_->setObjectName("ttl");
    ttl_->setRange(0, 600'000);
    ttl_->setSingleStep(100);
    ttl_->setSuffix(tr(" ms"));
    ttl_->setToolTip(
        tr("The lock's TTL; 0 takes the fault's default, chosen to show its effect quickly"));
    waitReplicas_ = new QSpinBox(page);
    waitReplicas_->setObjectName("waitReplicas");
    waitReplicas_->setRange(0, 1);  // the sandbox's Sentinel group has one replica
    waitReplicas_->setToolTip(
        tr("failover-before-replication with set-nx-px: WAIT for this many "
           "replicas after SET, and give the grant back when none acknowledged"));
    down_ = new QSpinBox(page);
    down_->setObjectName("nodesDown");
    down_->setRange(0, 15);
    down_->setToolTip(
        tr("node-down: how many redlock nodes to stop; 0 stops a minority (N − quorum)"));
    nodes_ = new QComboBox(page);
    nodes_->setObjectName("sandboxNodes");
    nodes_->addItem(tr("3 nodes"), 3);
    nodes_->addItem(tr("5 nodes"), 5);
    nodes_->setToolTip(
        tr("Own sandbox: independent redis-servers for redlock (5 shows node-down "
           "with 2 of 5 down — it keeps working — against 3 of 5 — it stops)"));
    expectation_ = new QLabel(page);
    expectation_->setObjectName("demoExpectation");
    expectation_->setWordWrap(true);
    expectation_->setTextFormat(Qt::PlainText);

    auto* form = new QFormLayout;
    form->addRow(tr("Strategy"), lockStrategy_);
    form->addRow(tr("Fault"), fault_);
    form->addRow(tr("TTL"), ttl_);
    form->addRow(tr("Wait for replicas"), waitReplicas_);
    form->addRow(tr("Nodes down"), down_);
    form->addRow(tr("Redlock nodes"), nodes_);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(expectation_);
    layout->addStretch(1);
    return page;
}

void DemoSetupForm::onModeChanged(int index) {
    workersOf_[shownMode_] = workers_->value();
    opsOf_[shownMode_] = ops_->value();
    shownMode_ = index == LockMode ? LockMode : CounterMode;
    pages_->setCurrentIndex(shownMode_);
    // Lock-demo workers are processes.
    workers_->setMaximum(shownMode_ == LockMode ? 64 : 1024);
    workers_->setValue(workersOf_[shownMode_]);
    ops_->setValue(opsOf_[shownMode_]);
    updateLockControls();
    emit changed();
}

void DemoSetupForm::updateLockControls() {
    const auto fault = demo::Fault(fault_->currentData().toInt());
    const auto& info = demo::faultInfo(fault);
    const std::string strategy = lockStrategy_->currentData().toString().toStdString();
    const auto* lock = locks::findLockStrategy(strategy);
    const bool own = target_->currentIndex() == OwnSandboxIndex;
    ttl_->setSpecialValueText(tr("fault's default (%1 ms)").arg(info.defaultTtl.count()));
    waitReplicas_->setEnabled(info.sentinel && strategy == "set-nx-px");
    down_->setEnabled(fault == demo::Fault::NodeDown);
    nodes_->setEnabled(own && lock && lock->multiNode);

    // Node 0 holds the resource and stays up. A followed group's size is the runner's to check.
    const int n = nodes_->currentData().toInt();
    down_->setMaximum(own ? n - 1 : 15);
    std::string scope;
    if (fault == demo::Fault::NodeDown) {
        const int downCount = down_->value() > 0 ? down_->value() : n - (n / 2 + 1);
        scope = downCount >= n / 2 + 1 ? "majority" : "minority";
    }
    if (info.sentinel && strategy == "set-nx-px" && waitReplicas_->value() > 0) scope = "wait";
    const auto& e = demo::expectationFor(fault, strategy, scope);
    QString expected = tr("Expected: %1").arg(expectedOutcome(e));
    if (fault == demo::Fault::Contention && strategy != "set-nx-px")
        expected += QLatin1Char('\n') + tr("set-nx-px runs first, for comparison.");
    expectation_->setText(expected);
}

DemoRequest::Kind DemoSetupForm::mode() const {
    return mode_->currentIndex() == LockMode ? DemoRequest::Kind::Lock : DemoRequest::Kind::Counter;
}

DemoRequest DemoSetupForm::request() const {
    DemoRequest r;
    r.kind = mode();
    r.target = target_->currentIndex() == ConnectedIndex ? DemoRequest::Target::Connected
                                                         : DemoRequest::Target::OwnSandbox;
    r.workers = workers_->value();
    r.opsPerWorker = ops_->value();
    for (int i = 0; i < counters_->count(); ++i) {
        const auto* item = counters_->item(i);
        if (item->checkState() == Qt::Checked)
            r.counters.push_back(
                counters::parseCounterSpec(item->data(Qt::UserRole).toString().toStdString()));
    }
    r.lockStrategy = lockStrategy_->currentData().toString().toStdString();
    r.fault = demo::Fault(fault_->currentData().toInt());
    r.ttl = std::chrono::milliseconds(ttl_->value());
    // What a disabled control shows does not apply (isEnabled() would also be false while the
    // whole form is disabled during a run).
    const bool waitApplies = demo::faultInfo(r.fault).sentinel && r.lockStrategy == "set-nx-px";
    r.replicaAcks = waitApplies ? waitReplicas_->value() : 0;
    r.down = r.fault == demo::Fault::NodeDown ? down_->value() : 0;
    r.sandboxNodes = nodes_->currentData().toInt();
    return r;
}

QString DemoSetupForm::selectionProblem() const {
    if (mode() == DemoRequest::Kind::Counter) {
        for (int i = 0; i < counters_->count(); ++i)
            if (counters_->item(i)->checkState() == Qt::Checked) return {};
        return tr("Tick at least one counter strategy to run.");
    }
    return lockStrategy_->currentIndex() < 0 ? tr("Choose a lock strategy.") : QString();
}

void DemoSetupForm::setConnectedTarget(bool available, const QString& description) {
    auto* model = qobject_cast<QStandardItemModel*>(target_->model());
    auto* item = model ? model->item(ConnectedIndex) : nullptr;
    if (!item) return;
    item->setText(available && !description.isEmpty()
                      ? tr("Server the dashboard follows (%1)").arg(description)
                      : tr("Server the dashboard follows"));
    item->setToolTip(
        available ? tr("The demo writes only under lockscope:demo:<run>: and deletes "
                       "its keys when it ends. Faults that stop servers are not offered here.")
                  : tr("The dashboard follows no server now"));
    item->setEnabled(available);
    if (!available && target_->currentIndex() == ConnectedIndex)
        target_->setCurrentIndex(OwnSandboxIndex);
}

void DemoSetupForm::setEditable(bool editable) {
    mode_->setEnabled(editable);
    pages_->setEnabled(editable);
    workers_->setEnabled(editable);
    ops_->setEnabled(editable);
    target_->setEnabled(editable);
}

QListWidgetItem* DemoSetupForm::counterItem(const QString& spec) const {
    for (int i = 0; i < counters_->count(); ++i)
        if (counters_->item(i)->data(Qt::UserRole).toString() == spec) return counters_->item(i);
    return nullptr;
}

void DemoSetupForm::checkCounters(const QStringList& specs) {
    for (int i = 0; i < counters_->count(); ++i) {
        auto* item = counters_->item(i);
        item->setCheckState(specs.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked
                                                                                : Qt::Unchecked);
    }
}

}  // namespace lockscope::ui

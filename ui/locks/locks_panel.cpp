#include "ui/locks/locks_panel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "locks/owner.h"
#include "ui/common/core_text.h"
#include "ui/common/delegates.h"
#include "ui/common/table_proxy.h"
#include "ui/locks/holder_history.h"
#include "ui/locks/lock_detail_pane.h"
#include "ui/locks/lock_table_model.h"
#include "util/clock.h"

namespace lockscope::ui {

LocksPanel::LocksPanel(LockTableModel* model, QWidget* parent) : QWidget(parent), model_(model) {
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter locks by key, format, holder or state (Ctrl+F)"));
    filter_->setClearButtonEnabled(true);
    filter_->setObjectName("lockFilter");

    auto* proxy = new TableProxy(this);
    proxy->setRowFilter([m = model_](int row, std::string_view needle) {
        const auto* r = m->recordAt(row);
        return r &&
               (TableProxy::contains(r->key, needle) || TableProxy::contains(r->holder, needle) ||
                TableProxy::contains(monitor::formatName(r->format), needle) ||
                TableProxy::contains(monitor::lockStateName(r->state), needle) ||
                TableProxy::contains(lockStateText(r->state).toStdString(), needle));
    });
    proxy_ = proxy;
    // Connected before the proxy follows the model: the model's own removal is told apart from
    // the filter hiding a row (below).
    connect(model_, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this] { modelRemoving_ = true; });
    connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] { modelRemoving_ = false; });
    proxy_->setSourceModel(model_);
    connect(filter_, &QLineEdit::textChanged, proxy, &TableProxy::setNeedle);

    table_ = new QTableView(this);
    table_->setObjectName("lockTable");
    // The selected row going away (the lock freed and gone, or hidden by the filter) takes the
    // selection with it. Qt would move it to the next row: the detail pane, Force-Release… and
    // Extend… then belonged to a lock the operator never picked (adv14d item 6). Connected before
    // the view gets the model, so this runs before the view moves the current row.
    connect(
        proxy_, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex& at, int first, int last) {
            QItemSelectionModel* selection = table_->selectionModel();
            const QModelIndex current = selection ? selection->currentIndex() : QModelIndex();
            if (at.isValid() || !current.isValid() || current.row() < first || current.row() > last)
                return;
            const std::string key = detail_->key();
            selection->clear();  // the detail pane empties, the actions disable
            if (modelRemoving_ && !key.empty()) detail_->showGone(key);
        });
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(LockTableModel::Key, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->setTextElideMode(Qt::ElideMiddle);  // tokens differ at both ends
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->setItemDelegateForColumn(LockTableModel::Ttl, new TtlBarDelegate(table_));
    // A list of holders is cut at the right, a single token in the middle
    // (LockTableModel::ElideRole).
    table_->setItemDelegateForColumn(LockTableModel::Holder, new ElideByRoleDelegate(table_));
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // No stretched last section: the right-aligned Takeovers numbers stayed off-screen at the far
    // end of a stretched column (seen in a 1400 px screenshot).
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->setColumnWidth(LockTableModel::Key, 200);
    table_->setColumnWidth(LockTableModel::Format, 110);
    table_->setColumnWidth(LockTableModel::Holder, 260);
    table_->setColumnWidth(LockTableModel::Ttl, 90);
    {
        // Sized to its widest text ("≥ 4873 ms" was elided to "≥ 4… ms" in 70 px), header too.
        int age =
            table_->horizontalHeader()->fontMetrics().horizontalAdvance(LockTableModel::tr("Age"));
        for (const auto& text : LockTableModel::ageSamples())
            age = std::max(age, table_->fontMetrics().horizontalAdvance(text));
        table_->setColumnWidth(LockTableModel::Age, age + 20);  // the cell's margins
    }
    table_->setColumnWidth(LockTableModel::Heartbeat, 120);
    table_->setColumnWidth(LockTableModel::Nodes, 90);  // "3/5", or a cluster master's address
    table_->setColumnWidth(LockTableModel::State, 110);
    // Issue 11.6: behaviour stats, shown by default (they are the point of following a lock) and
    // narrow: numbers only, the header tooltips say what each counts.
    table_->setColumnWidth(LockTableModel::Acquisitions,
                           table_->horizontalHeader()->fontMetrics().horizontalAdvance(
                               LockTableModel::tr("Acquisitions")) +
                               20);
    table_->setColumnWidth(LockTableModel::HoldP50, 70);
    table_->setColumnWidth(LockTableModel::HoldP99, 70);
    table_->setColumnWidth(LockTableModel::RanOut, 60);
    table_->setColumnWidth(LockTableModel::Takeovers, 75);

    history_ = new HolderHistory({}, this);
    detail_ = new LockDetailPane(this);
    detail_->setObjectName("lockDetailPane");

    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setObjectName("locksSplitter");
    splitter_->addWidget(table_);
    splitter_->addWidget(detail_);
    splitter_->setStretchFactor(0, 3);
    splitter_->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_);
    layout->addWidget(splitter_);

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        showDetail();
        emit selectedKeyChanged(selectedKey());
    });
    // Following another server empties the table: the pane must not keep the old lock.
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        showDetail();
        emit selectedKeyChanged(selectedKey());
    });
    connect(model_, &LockTableModel::applied, this, [this] {
        // Refresh the detail when the selected lock itself changed (not on countdown ticks, not
        // for other locks).
        const std::string key = selectedKey();
        if (!key.empty() && model_->changedInLastApply(key)) showDetail();
    });
}

std::string LocksPanel::selectedKey() const {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    if (!current.isValid()) return {};
    const auto* r = model_->recordAt(proxy_->mapToSource(current).row());
    return r ? r->key : std::string();
}

void LocksPanel::focusFilter() {
    filter_->setFocus();
    filter_->selectAll();
}

void LocksPanel::attach(MonitorBridge* bridge) {
    history_->attach(bridge);
    detail_->attach(bridge, history_);
}

void LocksPanel::showDetail() {
    const QModelIndex current = table_->selectionModel()->currentIndex();
    detail_->showRecord(current.isValid() ? model_->recordAt(proxy_->mapToSource(current).row())
                                          : nullptr);
}

}  // namespace lockscope::ui

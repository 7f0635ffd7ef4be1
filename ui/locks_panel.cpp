#include "locks_panel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "delegates.h"
#include "holder_history.h"
#include "lock_detail_pane.h"
#include "lock_table_model.h"
#include "locks/owner.h"
#include "table_proxy.h"
#include "util/clock.h"

namespace lockscope::ui {

LocksPanel::LocksPanel(LockTableModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter locks by key, format, holder or state (Ctrl+F)"));
    filter_->setClearButtonEnabled(true);
    filter_->setObjectName("lockFilter");

    auto* proxy = new TableProxy(this);
    proxy->setRowLessThan([m = model_](int a, int b, int column) { return m->lessThan(a, b, column); });
    proxy_ = proxy;
    proxy_->setSourceModel(model_);
    proxy_->setFilterKeyColumn(-1);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy_->setSortRole(Qt::UserRole);
    connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

    table_ = new QTableView(this);
    table_->setObjectName("lockTable");
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
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(LockTableModel::Key, 220);
    table_->setColumnWidth(LockTableModel::Format, 130);
    table_->setColumnWidth(LockTableModel::Holder, 330);
    table_->setColumnWidth(LockTableModel::Ttl, 90);
    table_->setColumnWidth(LockTableModel::Age, 70);
    table_->setColumnWidth(LockTableModel::Heartbeat, 150);
    table_->setColumnWidth(LockTableModel::Nodes, 55);

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
    connect(model_, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& tl, const QModelIndex& br) {
        // Refresh the detail when the selected lock itself changed (not on countdown ticks, not
        // for other locks).
        if (tl.column() != 0 || br.column() != LockTableModel::ColumnCount - 1) return;
        const QModelIndex current = table_->selectionModel()->currentIndex();
        const int row = current.isValid() ? proxy_->mapToSource(current).row() : -1;
        if (row >= tl.row() && row <= br.row()) showDetail();
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
    detail_->showRecord(current.isValid() ? model_->recordAt(proxy_->mapToSource(current).row()) : nullptr);
}

}  // namespace lockscope::ui

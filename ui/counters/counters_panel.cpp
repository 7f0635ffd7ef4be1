#include "ui/counters/counters_panel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/common/delegates.h"
#include "ui/common/table_proxy.h"
#include "ui/counters/counter_table_model.h"
#include "ui/counters/rate_chart.h"

namespace lockscope::ui {

CountersPanel::CountersPanel(CounterTableModel* model, QWidget* parent)
    : QWidget(parent), model_(model) {
    filter_ = new QLineEdit(this);
    filter_->setObjectName("counterFilter");
    filter_->setPlaceholderText(tr("Filter counters (Ctrl+F)"));
    filter_->setClearButtonEnabled(true);
    auto* proxy = new TableProxy(this);
    proxy->setRowFilter([m = model_](int row, std::string_view needle) {
        const auto* r = m->recordAt(row);
        return r && TableProxy::contains(r->key, needle);
    });
    proxy_ = proxy;
    proxy_->setSourceModel(model_);
    connect(filter_, &QLineEdit::textChanged, proxy, &TableProxy::setNeedle);

    table_ = new QTableView(this);
    table_->setObjectName("counterTable");
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(CounterTableModel::Key, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->setItemDelegateForColumn(CounterTableModel::Trend, new SparklineDelegate(table_));
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(CounterTableModel::Key, 260);
    table_->setColumnWidth(CounterTableModel::Value, 130);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &CountersPanel::selectionChanged);

    chart_ = new RateChart(this);
    chart_->setObjectName("counterChart");
    // The chart follows the selection, in the order the rows were selected.
    connect(this, &CountersPanel::selectionChanged, chart_, [this] {
        std::vector<RateChart::Counter> counters;
        for (const auto& idx : table_->selectionModel()->selectedRows())
            if (const auto* r = model_->recordAt(proxy_->mapToSource(idx).row()))
                counters.push_back({r->key, double(r->ratePerSecond)});
        chart_->setCounters(counters);
    });
    splitter_ = new QSplitter(Qt::Vertical, this);
    splitter_->setObjectName("countersSplitter");
    splitter_->addWidget(table_);
    splitter_->addWidget(chart_);
    splitter_->setStretchFactor(0, 1);
    splitter_->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filter_);
    layout->addWidget(splitter_);
}

std::vector<std::string> CountersPanel::selectedKeys() const {
    std::vector<std::string> keys;
    for (const auto& idx : table_->selectionModel()->selectedRows())
        if (const auto* r = model_->recordAt(proxy_->mapToSource(idx).row()))
            keys.push_back(r->key);
    return keys;
}

void CountersPanel::focusFilter() {
    filter_->setFocus();
    filter_->selectAll();
}

}  // namespace lockscope::ui

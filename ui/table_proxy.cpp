#include "table_proxy.h"

namespace lockscope::ui {

TableProxy::TableProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

void TableProxy::setSourceModel(QAbstractItemModel* source) {
    for (const auto& c : connections_) disconnect(c);
    connections_.clear();
    batching_ = false;
    // Connected before QSortFilterProxyModel's own handlers: with dynamic sorting off while a big
    // batch goes in, the base class appends the new rows as one block.
    if (source)
        connections_ << connect(source, &QAbstractItemModel::rowsAboutToBeInserted, this,
                                [this](const QModelIndex& parent, int first, int last) {
                                    if (parent.isValid() || last - first + 1 < kBatchRows) return;
                                    if (!dynamicSortFilter() || sortColumn() < 0) return;
                                    batching_ = true;
                                    setDynamicSortFilter(false);
                                });
    QSortFilterProxyModel::setSourceModel(source);
    // Connected after them: the block is in, sort once (setDynamicSortFilter(true) sorts).
    if (source)
        connections_ << connect(source, &QAbstractItemModel::rowsInserted, this, [this] {
            if (!batching_) return;
            batching_ = false;
            setDynamicSortFilter(true);
            ++batchesSorted_;
        });
}

bool TableProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (!rowLessThan_ || left.model() != sourceModel() || right.model() != sourceModel())
        return QSortFilterProxyModel::lessThan(left, right);
    return rowLessThan_(left.row(), right.row(), left.column());
}

}  // namespace lockscope::ui

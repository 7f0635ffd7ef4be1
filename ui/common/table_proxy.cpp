#include "ui/common/table_proxy.h"

#include <QString>

namespace lockscope::ui {

TableProxy::TableProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

void TableProxy::setNeedle(const QString& needle) {
    if (needle == needle_) return;
    needle_ = needle;
    lowerNeedle_ = needle.toLower().toStdString();
    invalidateRowsFilter();
}

void TableProxy::sort(int column, Qt::SortOrder order) {
    // The proxy's own sort column stays -1: the source order is the table's order.
    if (sourceModel()) sourceModel()->sort(column, order);
}

bool TableProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (needle_.isEmpty()) return true;
    if (!rowFilter_) return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
    return rowFilter_(sourceRow, lowerNeedle_);
}

bool TableProxy::contains(std::string_view haystack, std::string_view lowerNeedle) {
    if (lowerNeedle.empty()) return true;
    if (haystack.size() < lowerNeedle.size()) return false;
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    for (size_t i = 0; i + lowerNeedle.size() <= haystack.size(); ++i) {
        size_t j = 0;
        while (j < lowerNeedle.size() && lower(haystack[i + j]) == lowerNeedle[j]) ++j;
        if (j == lowerNeedle.size()) return true;
    }
    return false;
}

}  // namespace lockscope::ui

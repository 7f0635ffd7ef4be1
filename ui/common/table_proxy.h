// The filtering proxy of the Locks and Counters tables, made for tables of 100,000 rows fed in
// batches. It never sorts: sort() (the header's clicks) goes to the source model, which keeps its
// rows sorted itself (sorted_rows_model.h) — QSortFilterProxyModel's own sorting re-sorted the
// whole table per batch and per changed row. Filtering uses a predicate over the model's own
// records (setRowFilter) instead of building a QString per cell per row.
//
// Thread contract: GUI thread only.
#pragma once

#include <QSortFilterProxyModel>
#include <functional>
#include <string>
#include <string_view>

namespace lockscope::ui {

class TableProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    // Whether source row `row` matches `needle`: never empty, UTF-8, lower case (see contains()).
    using RowFilter = std::function<bool(int row, std::string_view needle)>;

    explicit TableProxy(QObject* parent = nullptr);
    void setRowFilter(RowFilter filter) { rowFilter_ = std::move(filter); }
    void setNeedle(const QString& needle);
    const QString& needle() const { return needle_; }

    // `haystack` contains `lowerNeedle`, ignoring the case of ASCII letters.
    static bool contains(std::string_view haystack, std::string_view lowerNeedle);

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    RowFilter rowFilter_;
    QString needle_;
    std::string lowerNeedle_;
};

}  // namespace lockscope::ui

// The sorting and filtering proxy of the Locks and Counters tables, made for tables of 100,000
// rows fed in batches:
//  - a batch of new rows (the first inventory, a storm of new keys) is appended unsorted and the
//    table re-sorted once, instead of QSortFilterProxyModel inserting each new row at its own
//    sorted place — one insertion, linear in the table's size, per new row: 20,000 new rows into
//    a sorted table of 80,000 held the GUI thread for seconds;
//  - rows are compared by a comparator over the model's own data (setRowLessThan), not by
//    building two QVariants per comparison.
// Otherwise it is a QSortFilterProxyModel (filtering, mapToSource, the header's sort indicator).
//
// Thread contract: GUI thread only.
#pragma once

#include <QList>
#include <QSortFilterProxyModel>
#include <functional>

namespace lockscope::ui {

class TableProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    // Source rows `left` < `right` when sorted by `column` (ascending).
    using RowLessThan = std::function<bool(int left, int right, int column)>;
    // From this many rows inserted at once, the table is sorted once after the insertion.
    static constexpr int kBatchRows = 64;

    explicit TableProxy(QObject* parent = nullptr);
    void setRowLessThan(RowLessThan lessThan) { rowLessThan_ = std::move(lessThan); }
    void setSourceModel(QAbstractItemModel* source) override;
    int batchesSorted() const { return batchesSorted_; }  // tests

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    RowLessThan rowLessThan_;
    QList<QMetaObject::Connection> connections_;
    bool batching_ = false;
    int batchesSorted_ = 0;
};

}  // namespace lockscope::ui

// The base of the Locks and Counters tables: a table model that keeps its own rows sorted (by the
// column the header asks for, then by key), with a key → row index, and that takes each monitor
// update as one batch whose cost is linear in the table's size — whatever the update holds:
//
//   - new rows: a few are inserted at their sorted places; a batch is appended as one block and
//     merged into place by one layout change;
//   - changed rows: one dataChanged over their span (without the key column, which never
//     changes); when the table is sorted by another column, one layout change merges them back
//     into order;
//   - removed rows: a few contiguous runs are removed as such; scattered ones are moved to the end
//     by the same layout change and removed as one block.
//
// QSortFilterProxyModel sorting 100,000 rows did none of this: it re-sorted everything per batch
// of new rows and per changed row, and held the GUI thread for 100–600 ms per update in a
// notification storm (bench/gui_bench). The tables' proxy (table_proxy.h) only filters and hands
// sort() to this model.
//
// Row: a struct with a `monitor::KeyRecord record` member. Subclasses give the column order. Rows
// live in slots that do not move: a layout change moves pointers and renumbers the slots, and the
// key index points at slots — re-sorting never rebuilds it.
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QHash>
#include <algorithm>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/monitor.h"

namespace lockscope::ui {

template <class Row>
class SortedRowsModel : public QAbstractTableModel {
public:
    static constexpr int kKeyColumn = 0;
    // Up to this many rows are inserted (or runs removed) one by one; more go in as a batch. Each
    // single insertion costs views and the proxy about as much as a whole batch (~1 ms at 100k
    // rows, bench/gui_bench).
    static constexpr size_t kFewRows = 2;

    // The key index is sized for this many rows from the start: growing it rehashes every key at
    // once, 11 ms at 33k rows and 23 ms at 66k (bench/gui_bench) — past this size each doubling
    // still costs one such step.
    static constexpr qsizetype kIndexReserve = 1 << 17;

    explicit SortedRowsModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {
        index_.reserve(kIndexReserve);
    }

    int rowCount(const QModelIndex& parent = {}) const override {
        return parent.isValid() ? 0 : static_cast<int>(rows_.size());
    }
    int rowOf(const std::string& key) const {
        const Slot* s = index_.value(rawKey(key), nullptr);
        return s ? s->pos : -1;
    }
    int sortColumn() const { return sortColumn_; }
    Qt::SortOrder sortOrder() const { return sortOrder_; }

    // One re-sort (n log n) when the header asks for another order.
    void sort(int column, Qt::SortOrder order) override {
        if (column < 0 || column >= columnCount()) column = kKeyColumn;
        if (column == sortColumn_ && order == sortOrder_) return;
        sortColumn_ = column;
        sortOrder_ = order;
        std::vector<int> order_(rows_.size());
        std::iota(order_.begin(), order_.end(), 0);
        std::stable_sort(order_.begin(), order_.end(),
                         [this](int a, int b) { return less(row(a), row(b)); });
        permute(order_);
    }

protected:
    struct Slot {
        Row row;
        int pos = 0;  // its row number now
    };

    // a < b by `column`, ascending; ties are broken by key here.
    virtual bool columnLess(const Row& a, const Row& b, int column) const = 0;

    static QByteArray keyBytes(const std::string& key) {
        return QByteArray(key.data(), static_cast<qsizetype>(key.size()));
    }
    // For lookups only: no copy, valid while `key` is.
    static QByteArray rawKey(const std::string& key) {
        return QByteArray::fromRawData(key.data(), static_cast<qsizetype>(key.size()));
    }
    const Row& row(int r) const { return rows_[static_cast<size_t>(r)]->row; }
    Row& row(int r) { return rows_[static_cast<size_t>(r)]->row; }
    // The slot of `key` (its row and row number), nullptr when the table has none.
    Slot* findSlot(const std::string& key) { return index_.value(rawKey(key), nullptr); }
    size_t size() const { return rows_.size(); }

    // The rows the caller has just modified in place (`changed`), the rows to remove and the new
    // rows, as one batch: afterwards the table is sorted again and the index up to date. Rows
    // may appear in both `changed` and `removed` (removal wins); duplicates are fine.
    void commit(std::vector<int> changed, std::vector<int> removed, std::vector<Row> added) {
        sortUnique(changed);
        sortUnique(removed);
        if (!changed.empty())
            emit dataChanged(index(changed.front(), kKeyColumn + 1),
                             index(changed.back(), columnCount() - 1));
        if (sortColumn_ == kKeyColumn) changed.clear();  // still in place: keys never change
        std::vector<int> moved;  // changed and kept: they may be out of place now
        std::set_difference(changed.begin(), changed.end(), removed.begin(), removed.end(),
                            std::back_inserter(moved));
        if (!moved.empty() || runs(removed) > kFewRows)
            reorder(moved, removed);
        else
            removeRuns(removed);
        insert(std::move(added));
    }

    // An update's records as one batch: records this table shows (`belongs`) become new rows
    // (`make`) or refresh theirs (`refresh(row, record, isNew)`; isNew for a key that is new and
    // appears again in the same update); records that no longer belong and removed keys drop
    // their rows — unless the key also has a record in the update, which wins. Then commit().
    template <class Belongs, class Make, class Refresh>
    void applyUpdate(const monitor::MonitorUpdate& u, Belongs belongs, Make make, Refresh refresh) {
        std::vector<Row> added;
        QHash<QByteArray, size_t> addedAt;  // a key twice in one update is one row
        std::vector<int> changed, gone;
        for (const auto& r : u.changed) {
            Slot* mine = findSlot(r.key);
            const auto a = addedAt.constFind(rawKey(r.key));
            if (!belongs(r)) {
                if (mine)
                    gone.push_back(mine->pos);
                else if (a != addedAt.constEnd())
                    added[a.value()].record.kind = r.kind;  // dropped below
            } else if (mine) {
                refresh(mine->row, r, false);
                changed.push_back(mine->pos);
            } else if (a != addedAt.constEnd()) {
                refresh(added[a.value()], r, true);
            } else {
                addedAt.insert(keyBytes(r.key), added.size());
                added.push_back(make(r));
            }
        }
        // A key in both lists (the engine sends none) keeps the record: the newest state.
        std::sort(changed.begin(), changed.end());
        for (const auto& key : u.removed)
            if (Slot* s = findSlot(key);
                s && !std::binary_search(changed.begin(), changed.end(), s->pos))
                gone.push_back(s->pos);
        std::erase_if(added, [&](const Row& x) { return !belongs(x.record); });
        commit(std::move(changed), std::move(gone), std::move(added));
    }

    void clearRows() {
        beginResetModel();
        rows_.clear();
        index_.clear();
        index_.reserve(kIndexReserve);
        endResetModel();
    }

private:
    std::vector<std::unique_ptr<Slot>> rows_;
    QHash<QByteArray, Slot*> index_;

    bool less(const Row& a, const Row& b) const {
        const bool lt = sortOrder_ == Qt::AscendingOrder ? columnLess(a, b, sortColumn_)
                                                         : columnLess(b, a, sortColumn_);
        if (lt) return true;
        const bool gt = sortOrder_ == Qt::AscendingOrder ? columnLess(b, a, sortColumn_)
                                                         : columnLess(a, b, sortColumn_);
        return !gt && a.record.key < b.record.key;
    }

    static void sortUnique(std::vector<int>& v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    static size_t runs(const std::vector<int>& sorted) {
        size_t n = 0;
        for (size_t i = 0; i < sorted.size(); ++i)
            if (i == 0 || sorted[i] != sorted[i - 1] + 1) ++n;
        return n;
    }

    void renumberFrom(int first) {
        for (int r = std::max(0, first); r < static_cast<int>(rows_.size()); ++r)
            rows_[static_cast<size_t>(r)]->pos = r;
    }

    // `base` and `extra` (rows, each in order) merged: each of the few `extra` rows finds its place
    // by binary search, so a batch costs k log n comparisons instead of n + k.
    std::vector<int> mergeInto(const std::vector<int>& base, const std::vector<int>& extra) const {
        std::vector<int> out;
        out.reserve(base.size() + extra.size());
        auto from = base.begin();
        for (int e : extra) {
            const auto at = std::upper_bound(from, base.end(), e,
                                             [this](int a, int b) { return less(row(a), row(b)); });
            out.insert(out.end(), from, at);
            out.push_back(e);
            from = at;
        }
        out.insert(out.end(), from, base.end());
        return out;
    }

    // order[newRow] = oldRow, a permutation of every row: one layout change.
    void permute(const std::vector<int>& order) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        std::vector<int> newRow(order.size());
        for (size_t i = 0; i < order.size(); ++i)
            newRow[static_cast<size_t>(order[i])] = static_cast<int>(i);
        std::vector<std::unique_ptr<Slot>> next;
        next.reserve(rows_.size());
        for (int old : order) next.push_back(std::move(rows_[static_cast<size_t>(old)]));
        rows_.swap(next);
        const QModelIndexList from = persistentIndexList();
        QModelIndexList to;
        to.reserve(from.size());
        for (const QModelIndex& i : from)
            to << index(newRow[static_cast<size_t>(i.row())], i.column());
        changePersistentIndexList(from, to);
        renumberFrom(0);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }

    // Merges the out-of-place rows `moved` back into order and moves `removed` to the end, in one
    // layout change; then removes that tail as one block. Both lists sorted, disjoint.
    void reorder(const std::vector<int>& moved, const std::vector<int>& removed) {
        const int n = static_cast<int>(rows_.size());
        std::vector<char> mark(static_cast<size_t>(n), 0);  // 1 moved, 2 removed
        for (int r : moved) mark[static_cast<size_t>(r)] = 1;
        for (int r : removed) mark[static_cast<size_t>(r)] = 2;
        std::vector<int> kept, resorted(moved);
        kept.reserve(static_cast<size_t>(n));
        for (int r = 0; r < n; ++r)
            if (mark[static_cast<size_t>(r)] == 0) kept.push_back(r);
        std::stable_sort(resorted.begin(), resorted.end(),
                         [this](int a, int b) { return less(row(a), row(b)); });
        std::vector<int> order = mergeInto(kept, resorted);
        order.insert(order.end(), removed.begin(), removed.end());
        permute(order);
        if (removed.empty()) return;
        const int first = n - static_cast<int>(removed.size());
        beginRemoveRows({}, first, n - 1);
        for (int r = first; r < n; ++r) index_.remove(rawKey(row(r).record.key));
        rows_.erase(rows_.begin() + first, rows_.end());
        endRemoveRows();
    }

    // Contiguous runs, bottom up: one signal per run, and the rows above each run keep their
    // numbers.
    void removeRuns(const std::vector<int>& removed) {
        if (removed.empty()) return;
        for (size_t hi = removed.size(); hi > 0;) {
            size_t lo = hi - 1;
            while (lo > 0 && removed[lo - 1] == removed[lo] - 1) --lo;
            const int first = removed[lo], last = removed[hi - 1];
            beginRemoveRows({}, first, last);
            for (int r = first; r <= last; ++r) index_.remove(rawKey(row(r).record.key));
            rows_.erase(rows_.begin() + first, rows_.begin() + last + 1);
            endRemoveRows();
            hi = lo;
        }
        renumberFrom(removed.front());
    }

    void insert(std::vector<Row> added) {
        if (added.empty()) return;
        std::stable_sort(added.begin(), added.end(),
                         [this](const Row& a, const Row& b) { return less(a, b); });
        const int n = static_cast<int>(rows_.size());
        auto slotFor = [this](Row&& r) {
            auto slot = std::make_unique<Slot>(Slot{std::move(r), 0});
            index_.insert(keyBytes(slot->row.record.key), slot.get());
            return slot;
        };
        if (added.size() <= kFewRows) {
            for (auto& a : added) {
                const auto at =
                    std::upper_bound(rows_.begin(), rows_.end(), a,
                                     [this](const Row& x, const std::unique_ptr<Slot>& y) {
                                         return less(x, y->row);
                                     });
                const int r = static_cast<int>(at - rows_.begin());
                beginInsertRows({}, r, r);
                rows_.insert(at, slotFor(std::move(a)));
                renumberFrom(r);
                endInsertRows();
            }
            return;
        }
        beginInsertRows({}, n, n + static_cast<int>(added.size()) - 1);
        for (auto& a : added) rows_.push_back(slotFor(std::move(a)));
        renumberFrom(n);
        endInsertRows();
        std::vector<int> old(static_cast<size_t>(n)), fresh(rows_.size() - static_cast<size_t>(n));
        std::iota(old.begin(), old.end(), 0);
        std::iota(fresh.begin(), fresh.end(), n);
        permute(mergeInto(old, fresh));
    }

    int sortColumn_ = kKeyColumn;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

}  // namespace lockscope::ui

#include "counter_table_model.h"

#include <QDateTime>
#include <algorithm>

#include "lock_table_model.h"

namespace lockscope::ui {
namespace {
QByteArray k(const std::string& key) { return QByteArray(key.data(), static_cast<qsizetype>(key.size())); }
}  // namespace

CounterTableModel::CounterTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int CounterTableModel::rowCount(const QModelIndex& p) const { return p.isValid() ? 0 : int(rows_.size()); }
int CounterTableModel::columnCount(const QModelIndex& p) const { return p.isValid() ? 0 : ColumnCount; }

QVariant CounterTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"Key", "Format", "Value", "Rate/s", "Trend"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

const monitor::KeyRecord* CounterTableModel::recordAt(int row) const {
    return row >= 0 && row < int(rows_.size()) ? &rows_[size_t(row)].record : nullptr;
}

const std::deque<RateSample>* CounterTableModel::samplesAt(int row) const {
    return row >= 0 && row < int(rows_.size()) ? &rows_[size_t(row)].samples : nullptr;
}

int CounterTableModel::rowOf(const std::string& key) const { return index_.value(k(key), -1); }

QVariant CounterTableModel::data(const QModelIndex& idx, int role) const {
    if (!idx.isValid() || idx.row() >= int(rows_.size())) return {};
    const Row& row = rows_[size_t(idx.row())];
    const auto& r = row.record;
    if (role == HistoryRole) {
        QVariantList l;
        for (const auto& s : row.samples) l << s.rate;
        return l;
    }
    if (role == Qt::UserRole) {
        switch (idx.column()) {
            case Value: return qlonglong(r.number);
            case Rate:
            case Trend: return double(r.ratePerSecond);
            default: break;
        }
    }
    if (role == Qt::DisplayRole || role == Qt::UserRole) {
        switch (idx.column()) {
            case Key: return LockTableModel::keyText(r.key);
            case Format: return QString::fromUtf8(monitor::formatName(r.format).data());
            case Value: return QLocale().toString(qlonglong(r.number));
            case Rate: return QString::number(r.ratePerSecond, 'f', 1);
            case Trend: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && (idx.column() == Value || idx.column() == Rate))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool CounterTableModel::lessThan(int leftRow, int rightRow, int column) const {
    const auto* a = recordAt(leftRow);
    const auto* b = recordAt(rightRow);
    if (!a || !b) return false;
    switch (column) {
        case Key: return a->key < b->key;
        case Format: return monitor::formatName(a->format) < monitor::formatName(b->format);
        case Value: return a->number < b->number;
        case Rate:
        case Trend: return a->ratePerSecond < b->ratePerSecond;
    }
    return false;
}

void CounterTableModel::dropRows(std::vector<int> rows) {
    if (rows.empty()) return;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // Contiguous runs, bottom up: one signal per run, and the row numbers of the runs above stay
    // valid. (Moving the last row into the hole instead would be a move the views are never told
    // of: they would show and select the wrong rows.)
    for (size_t hi = rows.size(); hi > 0;) {
        size_t lo = hi - 1;
        while (lo > 0 && rows[lo - 1] == rows[lo] - 1) --lo;
        const int first = rows[lo], last = rows[hi - 1];
        beginRemoveRows({}, first, last);
        for (int r = first; r <= last; ++r) index_.remove(k(rows_[size_t(r)].record.key));
        rows_.erase(rows_.begin() + first, rows_.begin() + last + 1);
        endRemoveRows();
        hi = lo;
    }
    for (int r = rows.front(); r < int(rows_.size()); ++r) index_[k(rows_[size_t(r)].record.key)] = r;
}

void CounterTableModel::apply(const monitor::MonitorUpdate& u) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<const monitor::KeyRecord*> added;
    std::vector<int> gone;
    for (const auto& r : u.changed) {
        auto it = index_.find(k(r.key));
        if (!r.isCounter()) {
            if (it != index_.end()) gone.push_back(it.value());
            continue;
        }
        if (it == index_.end()) {
            added.push_back(&r);
            continue;
        }
        Row& row = rows_[size_t(it.value())];
        row.record = r;
        row.samples.push_back({now, r.ratePerSecond});
        while (row.samples.size() > kHistory) row.samples.pop_front();
        emit dataChanged(index(it.value(), 0), index(it.value(), ColumnCount - 1));
    }
    if (!added.empty()) {
        const int first = int(rows_.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const auto* r : added) {
            index_.insert(k(r->key), int(rows_.size()));
            rows_.push_back({*r, {{now, r->ratePerSecond}}});
        }
        endInsertRows();
    }
    for (const auto& key : u.removed) {
        auto it = index_.find(k(key));
        if (it != index_.end()) gone.push_back(it.value());
    }
    dropRows(std::move(gone));
}

void CounterTableModel::clear() {
    beginResetModel();
    rows_.clear();
    index_.clear();
    endResetModel();
}

}  // namespace lockscope::ui

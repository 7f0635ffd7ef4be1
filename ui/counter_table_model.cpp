#include "counter_table_model.h"

#include <QDateTime>

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

void CounterTableModel::remove(const std::string& key) {
    auto it = index_.find(k(key));
    if (it == index_.end()) return;
    const int row = it.value();
    beginRemoveRows({}, row, row);
    index_.erase(it);
    const int last = int(rows_.size()) - 1;
    if (row != last) {
        rows_[size_t(row)] = std::move(rows_.back());
        index_[k(rows_[size_t(row)].record.key)] = row;
    }
    rows_.pop_back();
    endRemoveRows();
    if (row != last) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void CounterTableModel::apply(const monitor::MonitorUpdate& u) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<const monitor::KeyRecord*> added;
    for (const auto& r : u.changed) {
        auto it = index_.find(k(r.key));
        if (!r.isCounter()) {
            if (it != index_.end()) remove(r.key);
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
    for (const auto& key : u.removed) remove(key);
}

void CounterTableModel::clear() {
    beginResetModel();
    rows_.clear();
    index_.clear();
    endResetModel();
}

}  // namespace lockscope::ui

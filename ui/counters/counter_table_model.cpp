#include "ui/counters/counter_table_model.h"

#include <QDateTime>
#include <algorithm>

#include "ui/common/core_text.h"
#include "ui/common/display_text.h"

namespace lockscope::ui {

CounterTableModel::CounterTableModel(QObject* parent) : SortedRowsModel<CounterRow>(parent) {}

int CounterTableModel::columnCount(const QModelIndex& p) const {
    return p.isValid() ? 0 : ColumnCount;
}

QVariant CounterTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {QT_TR_NOOP("Key"), QT_TR_NOOP("Format"), QT_TR_NOOP("Value"),
                                  QT_TR_NOOP("Rate/s"), QT_TR_NOOP("Trend")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

const monitor::KeyRecord* CounterTableModel::recordAt(int r) const {
    return r >= 0 && r < int(size()) ? &row(r).record : nullptr;
}

const std::deque<RateSample>* CounterTableModel::samplesAt(int r) const {
    return r >= 0 && r < int(size()) ? &row(r).samples : nullptr;
}

QVariant CounterTableModel::data(const QModelIndex& idx, int role) const {
    if (!idx.isValid() || idx.row() >= int(size())) return {};
    const CounterRow& entry = row(idx.row());
    const auto& r = entry.record;
    if (role == HistoryRole) {
        QVariantList l;
        for (const auto& s : entry.samples) l << s.rate;
        return l;
    }
    if (role == Qt::UserRole) {
        switch (idx.column()) {
            case Value:
                return qlonglong(r.number);
            case Rate:
            case Trend:
                return double(r.ratePerSecond);
            default:
                break;
        }
    }
    if (role == Qt::DisplayRole || role == Qt::UserRole) {
        switch (idx.column()) {
            case Key:
                return displayText(r.key);
            case Format:
                return QString::fromUtf8(monitor::formatName(r.format).data());
            case Value:
                // The last value read, flagged, while the key cannot be read now.
                if (r.isStale() && role == Qt::DisplayRole)
                    return tr("%1 (stale)").arg(QLocale().toString(qlonglong(r.number)));
                return QLocale().toString(qlonglong(r.number));
            case Rate:
                return QString::number(r.ratePerSecond, 'f', 1);
            case Trend:
                return {};
        }
    }
    if (role == Qt::ToolTipRole && r.isStale())
        return tr("Stale: LockScope cannot read this key now (%1); this is its last known value.")
            .arg(stalenessText(r.stale));
    if (role == Qt::TextAlignmentRole && (idx.column() == Value || idx.column() == Rate))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool CounterTableModel::columnLess(const CounterRow& left, const CounterRow& right,
                                   int column) const {
    const auto* a = &left.record;
    const auto* b = &right.record;
    switch (column) {
        case Key:
            return a->key < b->key;
        case Format:
            return monitor::formatName(a->format) < monitor::formatName(b->format);
        case Value:
            return a->number < b->number;
        case Rate:
        case Trend:
            return a->ratePerSecond < b->ratePerSecond;
    }
    return false;
}

void CounterTableModel::apply(const monitor::MonitorUpdate& u) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    applyUpdate(  // sorted_rows_model.h
        u, [](const monitor::KeyRecord& r) { return r.isCounter(); },
        [now](const monitor::KeyRecord& r) {
            return CounterRow{r, {{now, r.ratePerSecond}}};
        },
        [now](CounterRow& row, const monitor::KeyRecord& r, bool isNew) {
            row.record = r;
            if (isNew) return;
            row.samples.push_back({now, r.ratePerSecond});
            while (row.samples.size() > kHistory) row.samples.pop_front();
        });
}

void CounterTableModel::clear() { clearRows(); }

}  // namespace lockscope::ui

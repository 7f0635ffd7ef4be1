// The locks the monitor follows, one row each, for the Locks view.
//
// Columns: key, format, holder, TTL (a live countdown: views repaint it from a 250 ms timer,
// nothing is re-read from Redis), age, heartbeat, nodes, state (coloured, explained in the
// tooltip). Qt::UserRole gives sortable raw values; RecordRole the whole KeyRecord.
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QTimer>
#include <vector>

#include "monitor/key_record.h"
#include "monitor_bridge.h"

namespace lockscope::ui {

class LockTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Key, Format, Holder, Ttl, Age, Heartbeat, Nodes, State, ColumnCount };
    static constexpr int RecordRole = Qt::UserRole + 1;
    static constexpr int TtlFractionRole = Qt::UserRole + 2;  // 0..1 of the longest TTL seen

    explicit LockTableModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void apply(const monitor::MonitorUpdate& update);
    void clear();
    const monitor::KeyRecord* recordAt(int row) const;
    int rowOf(const std::string& key) const;
    // The order of the Qt::UserRole sort keys, from the records themselves (the tables' proxy
    // sorts 100k rows with it; building QVariants per comparison took seconds).
    bool lessThan(int leftRow, int rightRow, int column) const;

    static QString keyText(const std::string& key);
    static QColor stateColor(monitor::LockState s);

private:
    void dropRows(std::vector<int> rows);  // any order, duplicates allowed

    std::vector<monitor::KeyRecord> rows_;
    std::vector<long long> fullTtl_;  // longest TTL seen for the row's current holder
    QHash<QByteArray, int> index_;
    QTimer tick_;
};

}  // namespace lockscope::ui

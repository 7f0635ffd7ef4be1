// The counters the monitor follows: key, value, rate/s and a sparkline of the recent rate. Each
// counter keeps its last `kHistory` rate samples (one per update that moved it) for the sparkline;
// the big chart asks the engine for the longer history.
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <deque>
#include <vector>

#include "monitor/key_record.h"
#include "monitor_bridge.h"

namespace lockscope::ui {

struct RateSample {
    qint64 wallMs;
    double rate;
};

class CounterTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Key, Format, Value, Rate, Trend, ColumnCount };
    static constexpr int HistoryRole = Qt::UserRole + 1;  // QVariantList of rates, oldest first
    static constexpr size_t kHistory = 60;

    explicit CounterTableModel(QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void apply(const monitor::MonitorUpdate& update);
    void clear();
    const monitor::KeyRecord* recordAt(int row) const;
    const std::deque<RateSample>* samplesAt(int row) const;
    int rowOf(const std::string& key) const;
    // The order of the Qt::UserRole sort keys, from the records themselves (see TableProxy).
    bool lessThan(int leftRow, int rightRow, int column) const;

private:
    struct Row {
        monitor::KeyRecord record;
        std::deque<RateSample> samples;
    };
    void dropRows(std::vector<int> rows);  // any order, duplicates allowed

    std::vector<Row> rows_;
    QHash<QByteArray, int> index_;
};

}  // namespace lockscope::ui

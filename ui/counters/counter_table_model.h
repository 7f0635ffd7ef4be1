// The counters the monitor follows: key, value, rate/s and a sparkline of the recent rate. Each
// counter keeps its last `kHistory` rate samples (one per update that moved it) for the sparkline;
// the big chart asks the engine for the longer history.
//
// Thread contract: GUI thread only.
#pragma once

#include <deque>
#include <vector>

#include "monitor/key_record.h"
#include "ui/common/sorted_rows_model.h"
#include "ui/monitor_bridge.h"

namespace lockscope::ui {

struct RateSample {
    qint64 wallMs;
    double rate;
};

struct CounterRow {
    monitor::KeyRecord record;
    std::deque<RateSample> samples;
};

class CounterTableModel : public SortedRowsModel<CounterRow> {
    Q_OBJECT
public:
    enum Column { Key, Format, Value, Rate, Trend, ColumnCount };
    static constexpr int HistoryRole = Qt::UserRole + 1;  // QVariantList of rates, oldest first
    static constexpr size_t kHistory = 60;

    explicit CounterTableModel(QObject* parent = nullptr);
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void apply(const monitor::MonitorUpdate& update);
    void clear();
    const monitor::KeyRecord* recordAt(int row) const;
    const std::deque<RateSample>* samplesAt(int row) const;

protected:
    bool columnLess(const CounterRow& a, const CounterRow& b, int column) const override;
};

}  // namespace lockscope::ui

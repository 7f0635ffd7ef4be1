// The locks the monitor follows, one row each, for the Locks view.
//
// Columns: key, format, holder, TTL (a live countdown: views repaint it from a 250 ms timer,
// nothing is re-read from Redis), age, heartbeat, nodes (k/N of a Redlock group; a cluster key's
// master), state (coloured, explained in the tooltip), then how the lock behaved while followed
// (issue 11.6: holds, hold p50/p99 — flagged where p99 nears the TTL —, leases that ran out while
// held, takeovers; from the engine's stats, carried by the updates, so no lookup on paint).
// Qt::UserRole gives sortable raw values; RecordRole the whole KeyRecord.
//
// Thread contract: GUI thread only.
#pragma once

#include <QSet>
#include <QTimer>
#include <unordered_map>
#include <vector>

#include "monitor/key_record.h"
#include "ui/common/sorted_rows_model.h"
#include "ui/monitor_bridge.h"

namespace lockscope::ui {

struct LockRow {
    monitor::KeyRecord record;
    long long fullTtl = 0;            // longest TTL seen for the row's current holder
    monitor::LockStatsSummary stats;  // empty key: nothing seen happen to it yet
};

class LockTableModel : public SortedRowsModel<LockRow> {
    Q_OBJECT
public:
    enum Column {
        Key,
        Format,
        Holder,
        Ttl,
        Age,
        Heartbeat,
        Nodes,
        State,
        // Acquisitions seen while followed (`acquisitions` in `locks --json`; its `holds` are
        // the completed ones).
        Acquisitions,
        HoldP50,
        HoldP99,
        RanOut,
        Takeovers,
        ColumnCount
    };
    static constexpr int RecordRole = Qt::UserRole + 1;
    static constexpr int TtlFractionRole = Qt::UserRole + 2;  // 0..1 of the longest TTL seen
    // How a cell's text is shortened to fit (Qt::TextElideMode; none: the view's own, in the
    // middle). A list of holders is cut at the right: "3 readers: <id>, <id>, …" (cut in the
    // middle it joined one reader's start to another's end, an id that does not exist).
    static constexpr int ElideRole = Qt::UserRole + 3;

    explicit LockTableModel(QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // Changed rows are announced by one dataChanged over their span, columns Format..State;
    // `applied` follows every apply().
    void apply(const monitor::MonitorUpdate& update);
    // The lock changed (holder, TTL, state...) in the last apply(); new rows are not "changed".
    bool changedInLastApply(const std::string& key) const;
    void clear();
    const monitor::KeyRecord* recordAt(int row) const;

    // The widest texts the Age column shows ("≥ 9999 ms", "unknown", in the current language):
    // the view sizes the column to them.
    static QStringList ageSamples();
    static QColor stateColor(monitor::LockState s);
    // The state column's words, and what they mean, for a record: the state's own, except for
    // the synchronisers that have no TTL by design (issue 14) — a semaphore with every permit free
    // is "unused", not "held"; a semaphore's or latch's hold is not one "with a TTL".
    static QString stateText(const monitor::KeyRecord& r);
    // The Holder cell (and the detail pane's Holder row) of a record that names nobody: an open
    // latch "(open)", an unused semaphore "(none taken)", a fair lock's queue without its key
    // "(free: 2 waiting)", anything else free "(free)"; empty when it has a holder to show.
    static QString noHolderText(const monitor::KeyRecord& r);
    static QString stateMeaning(const monitor::KeyRecord& r);

signals:
    void applied();

protected:
    // The order of the Qt::UserRole sort keys, from the records themselves (no QVariants).
    bool columnLess(const LockRow& a, const LockRow& b, int column) const override;

private:
    QVariant statsData(const monitor::LockStatsSummary& s, int column, int role) const;

    QSet<QByteArray> changedKeys_;  // by the last apply()
    // The newest stats per lock, also for rows not shown yet (a later slice brings the record).
    std::unordered_map<std::string, monitor::LockStatsSummary> stats_;
    std::vector<std::string>
        clusterNodes_;  // a cluster's masters (MonitorStatus::nodes); else empty
    QTimer tick_;
};

}  // namespace lockscope::ui

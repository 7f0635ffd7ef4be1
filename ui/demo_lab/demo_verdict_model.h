// The Demo Lab's verdict table: what each strategy did, in numbers, and whether that was right.
//
// Counter rows (one per strategy of the last counter run): strategy, expected, actual, lost
// updates, over cap, retries, ops/s, p50/p99 µs, verdict ("exact", "lost N", "over cap by N").
// Lock rows (one per lock run; earlier lock runs stay for comparison until cleared or a counter
// run replaces them): strategy, fault, acquisitions, violations, stale writes rejected, lost
// updates, ops/s, expected outcome, as expected ("yes", or "no: <what did not match>").
// The column set follows the kind of rows shown. Verdicts are coloured (palette_colours.h).
//
// Thread contract: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "demo/counter_demo.h"
#include "demo/lock_demo.h"

namespace lockscope::ui {

class DemoVerdictModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Kind { Counter, Lock };
    enum CounterColumn {
        CStrategy,
        CExpected,
        CActual,
        CLost,
        COverCap,
        CRetries,
        COpsPerSecond,
        CP50,
        CP99,
        CVerdict,
        CounterColumnCount
    };
    enum LockColumn {
        LStrategy,
        LFault,
        LAcquisitions,
        LViolations,
        LStaleRejected,
        LLost,
        LOpsPerSecond,
        LExpectedOutcome,
        LAsExpected,
        LockColumnCount
    };
    // The number behind a numeric cell (the shown text is rounded); other cells: the text.
    static constexpr int RawRole = Qt::UserRole + 1;

    explicit DemoVerdictModel(QObject* parent = nullptr);

    Kind kind() const { return kind_; }
    // Replaces every row with the results of one counter run.
    void setCounterResults(const std::vector<demo::CounterDemoResult>& results);
    // Appends one lock run (replacing counter rows, if those were shown).
    void addLockResult(const demo::LockDemoResult& result);
    void clear();

    const std::vector<demo::CounterDemoResult>& counterResults() const { return counters_; }
    const std::vector<demo::LockDemoResult>& lockResults() const { return locks_; }

    // "exact", "lost N", "over cap by N".
    static QString counterVerdict(const demo::CounterDemoResult& r);
    // "yes", or "no: <mismatch>".
    static QString lockVerdict(const demo::LockDemoResult& r);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant counterData(const demo::CounterDemoResult& r, int column, int role) const;
    QVariant lockData(const demo::LockDemoResult& r, int column, int role) const;

    Kind kind_ = Kind::Counter;
    std::vector<demo::CounterDemoResult> counters_;
    std::vector<demo::LockDemoResult> locks_;
};

}  // namespace lockscope::ui

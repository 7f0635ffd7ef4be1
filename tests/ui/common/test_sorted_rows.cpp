// The Locks table's model keeps its rows sorted by itself (sorted_rows_model.h), through batches of
// new, changed and removed rows, whatever the sort column and order: after every update the rows
// are in order, rowOf() finds each key, a selected row stays on its key across layout changes,
// and QAbstractItemModelTester (fatal mode) sees every signal it expects. The filter proxy never
// sorts by itself and matches key, holder, format and state.
#include <QAbstractItemModelTester>
#include <QFont>
#include <QItemSelectionModel>
#include <QPersistentModelIndex>
#include <QtTest>
#include <map>
#include <random>
#include <set>

#include "ui/common/table_proxy.h"
#include "ui/locks/lock_table_model.h"

using namespace lockscope;
using monitor::KeyRecord;

namespace {

KeyRecord lockRecord(const std::string& key, const std::string& holder, long long ttlMs,
                     monitor::LockState state) {
    KeyRecord r;
    r.key = key;
    r.kind = monitor::Kind::Lock;
    r.format = monitor::Format::SetNxPx;
    r.holder = holder;
    r.ttlMs = ttlMs;
    r.state = state;
    r.observedAt = monitor::Steady::now();
    r.lastChange = r.observedAt;
    return r;
}

// What the table must hold: key → holder.
using Truth = std::map<std::string, std::string>;

}  // namespace

class TestSortedRows : public QObject {
    Q_OBJECT

    // Rows in the model's order, compared by the column the model is sorted by.
    static void checkInvariants(ui::LockTableModel& m, const Truth& truth) {
        QCOMPARE(m.rowCount(), int(truth.size()));
        for (int r = 0; r < m.rowCount(); ++r) {
            const auto* rec = m.recordAt(r);
            QVERIFY(rec);
            QCOMPARE(m.rowOf(rec->key), r);
            auto it = truth.find(rec->key);
            QVERIFY2(it != truth.end(), rec->key.c_str());
            QCOMPARE(rec->holder, it->second);
        }
        const int col = m.sortColumn();
        const bool asc = m.sortOrder() == Qt::AscendingOrder;
        for (int r = 1; r < m.rowCount(); ++r) {
            const QVariant a = m.data(m.index(r - 1, col), Qt::UserRole),
                           b = m.data(m.index(r, col), Qt::UserRole);
            const auto ka = m.recordAt(r - 1)->key, kb = m.recordAt(r)->key;
            if (col == ui::LockTableModel::Key) {
                QVERIFY2(asc ? ka < kb : ka > kb, (ka + " / " + kb).c_str());
            } else if (col == ui::LockTableModel::Holder) {
                const auto& ha = m.recordAt(r - 1)->holder;
                const auto& hb = m.recordAt(r)->holder;
                QVERIFY2(
                    asc ? (ha < hb || (ha == hb && ka < kb)) : (ha > hb || (ha == hb && ka < kb)),
                    (ha + " / " + hb).c_str());
            }
        }
    }

private slots:
    // Random batches of every kind, sorted by key and by holder, both orders.
    void randomBatchesStaySorted_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::newRow("key ascending") << int(ui::LockTableModel::Key) << int(Qt::AscendingOrder);
        QTest::newRow("key descending") << int(ui::LockTableModel::Key) << int(Qt::DescendingOrder);
        QTest::newRow("holder ascending")
            << int(ui::LockTableModel::Holder) << int(Qt::AscendingOrder);
        QTest::newRow("holder descending")
            << int(ui::LockTableModel::Holder) << int(Qt::DescendingOrder);
    }
    void randomBatchesStaySorted() {
        QFETCH(int, column);
        QFETCH(int, order);
        ui::LockTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        m.sort(column, Qt::SortOrder(order));
        std::mt19937 rng(1234 + column * 2 + order);
        Truth truth;
        auto key = [&](int i) { return "k:" + std::to_string(i); };
        // Batch sizes either side of kFewRows, so both the one-by-one and the batch paths run.
        const int sizes[] = {1, 5, 31, 33, 200, 1000, 3, 700, 64, 2};
        for (int round = 0; round < 40; ++round) {
            monitor::MonitorUpdate u;
            const int n = sizes[round % 10];
            std::set<std::string> touched;  // the engine names a key once per update
            for (int i = 0; i < n; ++i) {
                const std::string k = key(int(rng() % 3000));
                if (!touched.insert(k).second) continue;
                const int what = int(rng() % 10);
                if (what < 2 && truth.count(k)) {
                    u.removed.push_back(k);
                    truth.erase(k);
                } else if (what < 3 && truth.count(k)) {
                    KeyRecord c;  // turned into a non-lock (a counter): leaves the table
                    c.key = k;
                    c.kind = monitor::Kind::Counter;
                    u.changed.push_back(c);
                    truth.erase(k);
                } else {
                    const std::string h = "holder-" + std::to_string(rng() % 50);
                    u.changed.push_back(
                        lockRecord(k, h, 1000 + long(rng() % 5000), monitor::LockState::Held));
                    truth[k] = h;
                }
            }
            m.apply(u);
            checkInvariants(m, truth);
            if (QTest::currentTestFailed()) {
                qWarning("round %d", round);
                return;
            }
        }
        QVERIFY(truth.size() > 500);
    }

    // Issue 16.7: a key removed and re-created within one update (a lock retaken): the record
    // wins, the row stays — whichever list the model reads first.
    void keyRemovedAndRecreatedInOneUpdateStays() {
        ui::LockTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        monitor::MonitorUpdate first;
        first.changed.push_back(lockRecord("k:1", "old", 5000, monitor::LockState::Held));
        first.changed.push_back(lockRecord("k:2", "other", 5000, monitor::LockState::Held));
        m.apply(first);
        monitor::MonitorUpdate both;
        both.removed.push_back("k:1");
        both.changed.push_back(lockRecord("k:1", "new", 5000, monitor::LockState::Held));
        m.apply(both);
        checkInvariants(m, Truth{{"k:1", "new"}, {"k:2", "other"}});
    }

    // Issue 18.1: a lock that cannot be read now shows its last known state, flagged stale with
    // the reason — never as free.
    void staleLockShowsItsLastStateFlagged() {
        ui::LockTableModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::Fatal);
        monitor::MonitorUpdate u;
        auto r = lockRecord("k:stale", "alice", 5000, monitor::LockState::Held);
        r.stale = monitor::Staleness::ClusterDown;
        u.changed.push_back(r);
        m.apply(u);
        const QModelIndex state = m.index(m.rowOf("k:stale"), ui::LockTableModel::State);
        QCOMPARE(state.data().toString(), QString("held · stale (clusterdown)"));
        QVERIFY(state.data(Qt::ToolTipRole).toString().contains("cannot read this key now"));
        QVERIFY(state.data(Qt::FontRole).value<QFont>().italic());
    }

    // A selected row follows its key through inserts, moves and removals of other rows.
    void selectionFollowsItsKey() {
        ui::LockTableModel m;
        ui::TableProxy proxy;
        proxy.setSourceModel(&m);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        proxy.sort(ui::LockTableModel::Holder, Qt::AscendingOrder);
        QCOMPARE(proxy.sortColumn(), -1);  // the proxy never sorts: the model does
        QCOMPARE(m.sortColumn(), int(ui::LockTableModel::Holder));
        monitor::MonitorUpdate u;
        for (int i = 0; i < 100; ++i)
            u.changed.push_back(lockRecord("k:" + std::to_string(i), "h" + std::to_string(1000 + i),
                                           5000, monitor::LockState::Held));
        m.apply(u);
        QItemSelectionModel sel(&proxy);
        const QModelIndex picked = proxy.mapFromSource(m.index(m.rowOf("k:50"), 0));
        sel.setCurrentIndex(picked, QItemSelectionModel::SelectCurrent | QItemSelectionModel::Rows);
        QPersistentModelIndex current(sel.currentIndex());

        // 100 new rows that sort before it (a batch), k:50's holder moves it to the end, others go.
        monitor::MonitorUpdate v;
        for (int i = 100; i < 200; ++i)
            v.changed.push_back(lockRecord("k:" + std::to_string(i), "a" + std::to_string(i), 5000,
                                           monitor::LockState::Held));
        v.changed.push_back(lockRecord("k:50", "z-last", 5000, monitor::LockState::Held));
        for (int i = 0; i < 40; i += 3) v.removed.push_back("k:" + std::to_string(i));
        m.apply(v);
        QVERIFY(current.isValid());
        QCOMPARE(m.recordAt(proxy.mapToSource(current).row())->key, std::string("k:50"));
        QCOMPARE(proxy.mapToSource(current).row(), m.rowCount() - 1);
        QVERIFY(m.changedInLastApply("k:50"));
        QVERIFY(!m.changedInLastApply("k:150"));  // new, not changed
    }

    // The filter matches key, holder, format and state, ignoring ASCII case, and updates keep it.
    void filterMatchesRecordsNotCells() {
        ui::LockTableModel m;
        ui::TableProxy proxy;
        proxy.setSourceModel(&m);
        proxy.setRowFilter([&m](int row, std::string_view needle) {
            const auto* r = m.recordAt(row);
            return r && (ui::TableProxy::contains(r->key, needle) ||
                         ui::TableProxy::contains(r->holder, needle) ||
                         ui::TableProxy::contains(monitor::lockStateName(r->state), needle));
        });
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        monitor::MonitorUpdate u;
        u.changed.push_back(lockRecord("invoice:42", "worker-A", 5000, monitor::LockState::Held));
        u.changed.push_back(lockRecord("report:7", "worker-b", -1, monitor::LockState::StuckNoTtl));
        u.changed.push_back(lockRecord("mail:1", "cron", 5000, monitor::LockState::Held));
        m.apply(u);
        proxy.setNeedle("WORKER");
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setNeedle("stuck");
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data().toString(), QString("report:7"));
        monitor::MonitorUpdate v;
        v.changed.push_back(lockRecord("mail:1", "cron", -1, monitor::LockState::StuckNoTtl));
        m.apply(v);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setNeedle("");
        QCOMPARE(proxy.rowCount(), 3);
        QVERIFY(ui::TableProxy::contains("Invoice:42", "invoice"));
        QVERIFY(!ui::TableProxy::contains("inv", "invoice"));
    }
};

QTEST_MAIN(TestSortedRows)
#include "test_sorted_rows.moc"

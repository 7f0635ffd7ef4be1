// The Demo Lab's verdict model on its own, under QAbstractItemModelTester: counter rows with
// their verdicts ("exact", "lost N", "over cap by N") and colours, lock rows that accumulate run
// after run with "yes" / "no: <mismatch>", and the switch between the two column sets.
#include <QAbstractItemModelTester>
#include <QtTest>

#include "ui/demo_lab/demo_verdict_model.h"

using namespace lockscope;
using ui::DemoVerdictModel;

namespace {

QVariant cell(const DemoVerdictModel& m, int row, int column, int role = Qt::DisplayRole) {
    return m.index(row, column).data(role);
}

demo::CounterDemoResult counterResult(const std::string& label, long long expected,
                                      long long actual) {
    demo::CounterDemoResult r;
    const auto colon = label.find(':');
    r.strategy = label.substr(0, colon);
    r.variant = colon == std::string::npos ? "" : label.substr(colon + 1);
    r.label = label;
    r.expected = expected;
    r.actual = actual;
    r.lostUpdates = std::max(0LL, expected - actual);
    r.overCap = r.strategy == "capped" ? std::max(0LL, actual - expected) : 0;
    r.exact = expected == actual;
    r.explanation = "because " + label;
    return r;
}

}  // namespace

class TestDemoVerdictModel : public QObject {
    Q_OBJECT

private slots:
    void verdictModelRowsVerdictsAndColumns() {
        DemoVerdictModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setCounterResults({counterResult("naive", 2400, 505),
                                 counterResult("incr", 2400, 2400),
                                 counterResult("capped:naive", 100, 103)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(DemoVerdictModel::CounterColumnCount));
        QCOMPARE(cell(model, 0, DemoVerdictModel::CVerdict).toString(),
                 QString("lost %1").arg(QLocale().toString(1895LL)));
        QCOMPARE(cell(model, 0, DemoVerdictModel::CLost, DemoVerdictModel::RawRole).toLongLong(),
                 1895LL);
        QCOMPARE(cell(model, 1, DemoVerdictModel::CVerdict).toString(), QString("exact"));
        QCOMPARE(cell(model, 2, DemoVerdictModel::CVerdict).toString(), QString("over cap by 3"));
        // Only capped has a cap column value.
        QVERIFY(cell(model, 1, DemoVerdictModel::COverCap).toString().isEmpty());
        QCOMPARE(cell(model, 2, DemoVerdictModel::COverCap).toString(), QString("3"));
        // A wrong count and an exact one are told apart by colour too.
        QVERIFY(cell(model, 0, DemoVerdictModel::CVerdict, Qt::ForegroundRole).value<QColor>() !=
                cell(model, 1, DemoVerdictModel::CVerdict, Qt::ForegroundRole).value<QColor>());
        QCOMPARE(cell(model, 0, 0, Qt::ToolTipRole).toString(), QString("because naive"));

        demo::LockDemoResult lock;
        lock.strategy = "set-nx-px";
        lock.fault = "pause-holder";
        lock.violations = 2;
        lock.asExpected = true;
        lock.expectedOutcome = "a second holder gets in";
        model.addLockResult(lock);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(DemoVerdictModel::LockColumnCount));
        QCOMPARE(cell(model, 0, DemoVerdictModel::LAsExpected).toString(), QString("yes"));
        lock.strategy = "fenced";
        lock.asExpected = false;
        lock.mismatch = "stale writes rejected 0, expected >= 1";
        model.addLockResult(lock);  // lock runs accumulate for comparison
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(cell(model, 1, DemoVerdictModel::LAsExpected).toString(),
                 QString("no: stale writes rejected 0, expected >= 1"));
        QCOMPARE(cell(model, 1, DemoVerdictModel::LExpectedOutcome).toString(),
                 QString("a second holder gets in"));
        model.setCounterResults({counterResult("lua", 10, 10)});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(DemoVerdictModel::CounterColumnCount));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestDemoVerdictModel)
#include "test_demo_verdict_model.moc"

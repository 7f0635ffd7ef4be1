// The stall probe that the GUI tests and the benchmark measure the event loop with: a loop held
// 300 ms (a blocking sleep on the GUI thread, as a join would be) shows as one tick about 300 ms
// late, and as held — the probe's allowance for a machine that did not run the thread must never
// hide a block of the thread's own making; an idle loop is never held long.
#include <QtTest>
#include <chrono>
#include <thread>

#include "ui/common/stall_probe.h"

using namespace lockscope;
using namespace std::chrono_literals;

class TestStallProbe : public QObject {
    Q_OBJECT
private slots:
    void aBlockedLoopIsHeld_data() {
        QTest::addColumn<bool>("attributing");
        QTest::newRow("lateness only") << false;
        QTest::newRow("held") << true;
    }
    void aBlockedLoopIsHeld() {
        QFETCH(bool, attributing);
        ui::StallProbe probe(10ms, attributing ? ui::StallProbe::Attribution::Held
                                               : ui::StallProbe::Attribution::Off);
        probe.start();
        QTRY_VERIFY(probe.ticks() >= 10);
        std::this_thread::sleep_for(300ms);  // the GUI thread blocked, as in a join
        const size_t ticks = probe.ticks();
        QTRY_VERIFY(probe.ticks() >= ticks + 10);
        probe.stop();
        QVERIFY2(probe.worstMs() >= 280, qPrintable(QString::number(probe.worstMs())));
        QVERIFY2(probe.worstHeldMs() >= 280, qPrintable(QString::number(probe.worstHeldMs())));
        QVERIFY(probe.worstHeldMs() <= probe.worstMs());
        // The block is one tick that late (on a loaded machine another may be late too).
        QVERIFY(probe.over(280) >= 1);
    }

    // Not recording: the time the caller itself takes is not a stall.
    void stoppedProbeRecordsNothing() {
        ui::StallProbe probe(10ms, ui::StallProbe::Attribution::Held);
        probe.start();
        QTRY_VERIFY(probe.ticks() >= 5);
        probe.stop();
        std::this_thread::sleep_for(200ms);
        QTest::qWait(50);
        probe.resume();
        const size_t ticks = probe.ticks();
        QTRY_VERIFY(probe.ticks() >= ticks + 5);
        QVERIFY2(probe.worstHeldMs() < 150, qPrintable(QString::number(probe.worstHeldMs())));
    }
};

QTEST_MAIN(TestStallProbe)
#include "test_stall_probe.moc"

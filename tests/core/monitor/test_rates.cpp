// Counter rates from successive values: steady rates, decay when a counter stops, resets, and
// the bounded history — time moved by hand, nothing sleeps.
#include <QtTest>
#include <limits>

#include "monitor/rates.h"

using namespace lockscope::monitor;
using namespace std::chrono_literals;
using Tp = std::chrono::steady_clock::time_point;

class TestRates : public QObject {
    Q_OBJECT
private slots:
    void steadyRate_data() {
        QTest::addColumn<int>("perSecond");
        QTest::addColumn<int>("sampleEveryMs");
        QTest::newRow("100/s seen every 100 ms") << 100 << 100;
        QTest::newRow("100/s seen every second") << 100 << 1000;
        QTest::newRow("5000/s seen every 20 ms") << 5000 << 20;
        QTest::newRow("1/s seen every second") << 1 << 1000;
    }
    void steadyRate() {
        QFETCH(int, perSecond);
        QFETCH(int, sampleEveryMs);
        RateTracker r(3000ms);
        Tp t(10s);
        for (int ms = 0; ms <= 6000; ms += sampleEveryMs)
            r.add(t + std::chrono::milliseconds(ms), static_cast<long long>(perSecond) * ms / 1000);
        double got = r.rateAt(t + 6000ms);
        QVERIFY2(std::abs(got - perSecond) <= 0.05 * perSecond, qPrintable(QString::number(got)));
    }

    void stoppedCounterDecaysToZero() {
        RateTracker r(2000ms);
        Tp t(10s);
        for (int s = 0; s <= 4; ++s) r.add(t + std::chrono::seconds(s), 100LL * s);
        QVERIFY(std::abs(r.rateAt(t + 4s) - 100) < 1);
        QVERIFY(r.rateAt(t + 5s) < 60);       // halfway through the window
        QCOMPARE(r.rateAt(t + 6500ms), 0.0);  // a full window without change
    }

    void longIdleCounterIsNotAveragedOverItsIdleTime() {
        RateTracker r(2000ms);
        Tp t(10s);
        r.add(t, 0);  // seen once, then silent for a minute
        for (int ms = 100; ms <= 2000; ms += 100)
            r.add(t + 60s + std::chrono::milliseconds(ms), ms / 10);
        QVERIFY(std::abs(r.rateAt(t + 62s) - 100) < 10);
    }

    // A gap in the reads across the window's start (an inspector stalled under load): the baseline
    // before the window counts only its share. 100/s came out as 117/s (129/s in a live run).
    void sparseBaselineIsNotCountedTwice() {
        RateTracker r(3000ms);
        Tp t(10s);
        for (int ms = 0; ms <= 1000; ms += 50) r.add(t + std::chrono::milliseconds(ms), ms / 10);
        for (int ms = 1900; ms <= 4500; ms += 50) r.add(t + std::chrono::milliseconds(ms), ms / 10);
        const double got = r.rateAt(t + 4500ms);
        QVERIFY2(std::abs(got - 100) <= 5, qPrintable(QString::number(got)));
    }

    void resetRestartsTheRate() {
        RateTracker r(2000ms);
        Tp t(10s);
        r.add(t, 1000);
        r.add(t + 1s, 2000);
        r.add(t + 2s, 5);  // DEL / SET 0 happened
        QCOMPARE(r.rateAt(t + 2s), 0.0);
        r.add(t + 3s, 105);
        QVERIFY(std::abs(r.rateAt(t + 3s) - 100) < 1);
    }

    // A counter from INT64_MIN to INT64_MAX in one second (a tester's edge): the difference
    // overflowed a long long and the rate came out as -1.66.
    void extremeValuesDoNotOverflow() {
        RateTracker r(2000ms);
        Tp t(10s);
        r.add(t, std::numeric_limits<long long>::min());
        r.add(t + 1s, std::numeric_limits<long long>::max());
        const double got = r.rateAt(t + 1s);
        QVERIFY2(got > 1.8e19 && got < 1.9e19, qPrintable(QString::number(got)));
    }

    void historyIsBounded() {
        RateTracker r(1000ms, 5);
        for (int i = 0; i < 12; ++i) r.sampleHistory(1000 + i, i);
        QCOMPARE(r.history().size(), size_t(5));
        QCOMPARE(r.history().front().wallMs, 1007LL);
        QCOMPARE(r.history().back().perSecond, 11.0);
    }
};

QTEST_APPLESS_MAIN(TestRates)
#include "test_rates.moc"

// State colours stay readable on light and dark palettes: every tone and every lock state as the
// table shows it reaches WCAG AA contrast (4.5) against the background it is drawn on, and keeps
// its hue (a red stays red).
#include <QApplication>
#include <QtTest>

#include "ui/common/palette_colours.h"
#include "ui/locks/lock_table_model.h"

using namespace lockscope;
using ui::Tone;

namespace {

QPalette paletteOn(const QColor& window, const QColor& base, const QColor& text) {
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Text, text);
    return p;
}

QPalette lightPalette() { return paletteOn(QColor("#efefef"), QColor("#ffffff"), Qt::black); }
QPalette darkPalette() {
    return paletteOn(QColor("#2d2d2d"), QColor("#1e1e1e"), QColor("#e0e0e0"));
}

int hueDistance(const QColor& a, const QColor& b) {
    const int d = std::abs(a.hslHue() - b.hslHue());
    return std::min(d, 360 - d);
}

}  // namespace

class TestPaletteColours : public QObject {
    Q_OBJECT
private slots:
    void contrastRatioMatchesWcag() {
        QCOMPARE(qRound(ui::contrastRatio(Qt::black, Qt::white) * 10), 210);
        QCOMPARE(ui::contrastRatio(QColor("#777777"), QColor("#777777")), 1.0);
        // #767676 on white is the classic 4.54:1 grey.
        QCOMPARE(qRound(ui::contrastRatio(QColor("#767676"), Qt::white) * 100), 454);
    }

    void tonesReadable_data() {
        QTest::addColumn<int>("tone");
        QTest::addColumn<bool>("dark");
        for (int t : {int(Tone::Good), int(Tone::Warning), int(Tone::Bad), int(Tone::Neutral)})
            for (bool dark : {false, true})
                QTest::addRow("tone %d on %s", t, dark ? "dark" : "light") << t << dark;
    }
    void tonesReadable() {
        QFETCH(int, tone);
        QFETCH(bool, dark);
        const QPalette p = dark ? darkPalette() : lightPalette();
        const QColor c = ui::toneColour(Tone(tone), p);
        const double ratio = ui::contrastRatio(c, p.color(QPalette::Window));
        QVERIFY2(ratio >= 4.5, qPrintable(QString("%1 on %2: %3")
                                              .arg(c.name(), p.color(QPalette::Window).name())
                                              .arg(ratio)));
        if (Tone(tone) != Tone::Neutral) {  // grey has no hue to keep
            const QColor base =
                ui::toneColour(Tone(tone), paletteOn(Qt::white, Qt::white, Qt::black));
            QVERIFY2(hueDistance(c, base) <= 12, qPrintable(c.name() + " vs " + base.name()));
        }
    }

    void colourAlreadyReadableIsKept() {
        const QColor navy("#0d47a1");
        QCOMPARE(ui::readableOn(navy, Qt::white).name(), navy.name());
    }

    // What the Locks table shows in its State column, on the application's palette.
    void lockStatesReadableInBothPalettes() {
        using S = monitor::LockState;
        const std::vector<S> states{
            S::Held,     S::Expiring, S::StuckNoTtl, S::ExpiredTimestamp, S::HeartbeatStale,
            S::Orphaned, S::Split,    S::Free,       S::Unknown};
        ui::LockTableModel model;
        monitor::MonitorUpdate u;
        for (S s : states) {
            monitor::KeyRecord r;
            r.key = "lock:" + std::to_string(int(s));
            r.kind = monitor::Kind::Lock;
            r.format = monitor::Format::SetNxPx;
            r.holder = "h";
            r.state = s;
            r.ttlMs = 5000;
            r.observedAt = r.lastChange = monitor::Steady::now();
            u.changed.push_back(r);
        }
        model.apply(u);
        QCOMPARE(model.rowCount(), int(states.size()));
        for (bool dark : {false, true}) {
            const QPalette p = dark ? darkPalette() : lightPalette();
            QApplication::setPalette(p);
            for (int row = 0; row < model.rowCount(); ++row) {
                const QModelIndex i = model.index(row, ui::LockTableModel::State);
                const QColor shown = i.data(Qt::ForegroundRole).value<QBrush>().color();
                const double ratio = ui::contrastRatio(shown, p.color(QPalette::Base));
                QVERIFY2(ratio >= 4.5,
                         qPrintable(QString("%1 on %2: %3 (%4)")
                                        .arg(i.data().toString(), dark ? "dark" : "light")
                                        .arg(ratio)
                                        .arg(shown.name())));
            }
        }
        // On the dark palette the raw colours would not do: the adjustment is what makes them
        // readable.
        QVERIFY(ui::contrastRatio(ui::LockTableModel::stateColor(S::Orphaned),
                                  darkPalette().color(QPalette::Base)) < 4.5);
        QVERIFY(ui::contrastRatio(ui::LockTableModel::stateColor(S::Expiring),
                                  lightPalette().color(QPalette::Base)) < 4.5);
    }
};

QTEST_MAIN(TestPaletteColours)
#include "test_palette_colours.moc"

// Desktop conventions of the main window: its size and dock layout are remembered across runs
// (QSettings, written on close), a first run gets a sensible default size, and the window and its
// dialogs carry LockScope's icon in every size shipped.
#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QRegularExpression>
#include <QTableWidget>
#include <QtTest>

#include "test_support.h"
#include "ui/main_window.h"

using namespace lockscope;

class TestWindowLayout : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir;

private slots:
    void initTestCase() {
        QVERIFY(settingsDir.isValid());
        test::isolateSettings(settingsDir.path(), "test_window_layout");
    }
    void init() { QSettings().clear(); }

    void firstRunGetsTheDefaultSize() {
        ui::MainWindow w;
        QCOMPARE(w.size(), QSize(1280, 800));
        auto* dock = w.findChild<QDockWidget*>("eventsDock");
        QVERIFY(dock && !dock->isHidden());
    }

    void sizeAndDocksAreRememberedAcrossRuns() {
        {
            ui::MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            // A size of the user's other than the default, above the window's minimum (the
            // minimum height grew from at most 640 to 650 px with the panes' new rows).
            w.resize(960, 700);
            QTRY_COMPARE(w.size(), QSize(960, 700));
            w.findChild<QDockWidget*>("eventsDock")->hide();  // the user closed the Events pane
            QVERIFY(w.close());
        }
        QVERIFY(QSettings().contains("window/geometry"));
        QVERIFY(QSettings().contains("window/state"));
        ui::MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QTRY_COMPARE(again.size(), QSize(960, 700));
        QVERIFY(again.findChild<QDockWidget*>("eventsDock")->isHidden());
    }

    // Help > Keyboard Shortcuts (F1) lists every action that has one, read from the actions.
    void helpListsTheKeyboardShortcuts() {
        ui::MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* help = w.findChild<QAction*>("actionShortcuts");
        QVERIFY(help);
        QCOMPARE(help->shortcut(), QKeySequence(QKeySequence::HelpContents));  // F1
        help->trigger();
        QDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<QDialog*>("shortcutsDialog")) && dialog->isVisible());
        auto* table = dialog->findChild<QTableWidget*>("shortcutsTable");
        QVERIFY(table);
        QMap<QString, QString> listed;
        for (int row = 0; row < table->rowCount(); ++row)
            listed.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
        auto keys = [](QKeySequence::StandardKey k) {
            return QKeySequence(k).toString(QKeySequence::NativeText);
        };
        QCOMPARE(listed.value("Connect…"), keys(QKeySequence::Open));
        QCOMPARE(listed.value("Refresh"), keys(QKeySequence::Refresh));
        QCOMPARE(listed.value("Find"), keys(QKeySequence::Find));
        QCOMPARE(listed.value("Quit"), keys(QKeySequence::Quit));
        QCOMPARE(listed.value("Keyboard Shortcuts"), keys(QKeySequence::HelpContents));
        // Every action of the window with a shortcut is there.
        for (QAction* a : w.findChildren<QAction*>()) {
            if (a->shortcut().isEmpty()) continue;
            QString text = a->text();
            text.remove(QRegularExpression("&(?!&)")).replace("&&", "&");
            if (!text.isEmpty()) QVERIFY2(listed.contains(text), qPrintable(text));
        }
        const QString dir = qEnvironmentVariable("LOCKSCOPE_SCREENSHOT_DIR");
        if (!dir.isEmpty()) dialog->grab().save(dir + "/shortcuts.png");
        dialog->close();
    }

    void iconInEverySize() {
        ui::MainWindow w;
        const QIcon icon = w.windowIcon();
        QVERIFY(!icon.isNull());
        for (int size : {64, 128, 256})
            QVERIFY2(icon.availableSizes().contains(QSize(size, size)),
                     qPrintable(QString::number(size)));
        // A 2x screen asking for 48 px gets a 96 px or larger image, drawn from the 128 px file:
        // sharp.
        const QPixmap pm = icon.pixmap(QSize(48, 48), 2.0);
        QVERIFY2(pm.width() >= 96, qPrintable(QString::number(pm.width())));
        QCOMPARE(pm.devicePixelRatio(), 2.0);
    }
};

QTEST_MAIN(TestWindowLayout)
#include "test_window_layout.moc"

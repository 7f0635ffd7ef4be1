// Thread names as `top -H` and gdb show them: set as given, cut to the 15 bytes Linux keeps.
#include <pthread.h>

#include <QtTest>
#include <thread>

#include "util/thread_name.h"

class TestThreadName : public QObject {
    Q_OBJECT
private slots:
    void name_data() {
        QTest::addColumn<QString>("given");
        QTest::addColumn<QString>("shown");
        auto row = [](const char* name, const char* given, const char* shown) {
            QTest::newRow(name) << QString(given) << QString(shown);
        };
        row("short", "ls-mon-engine", "ls-mon-engine");
        row("exactly 15", "ls-mon-insp/123", "ls-mon-insp/123");
        row("too long: cut", "ls-mon-insp/123456", "ls-mon-insp/123");
    }
    void name() {
        QFETCH(QString, given);
        QFETCH(QString, shown);
        char seen[32] = {};
        // On a thread of its own: the test's main thread keeps its name.
        std::thread t([&] {
            lockscope::setThreadName(given.toStdString());
            pthread_getname_np(pthread_self(), seen, sizeof(seen));
        });
        t.join();
        QCOMPARE(QString::fromLatin1(seen), shown);
    }
};

QTEST_APPLESS_MAIN(TestThreadName)
#include "test_thread_name.moc"

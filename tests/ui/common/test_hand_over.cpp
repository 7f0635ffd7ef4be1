// Mailbox and WorkerThread (ui/common/hand_over.h): a posted call runs in the mailbox's thread, in
// the order posted, with what the poster built; calls queued to a mailbox that is gone are
// dropped; the worker is deleted in its own thread as the loop ends, before stop() returns.
#include <QtTest>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "ui/common/hand_over.h"

using lockscope::ui::Mailbox;
using lockscope::ui::WorkerThread;

namespace {

// Records the thread it was destroyed in.
class Probe : public QObject {
public:
    explicit Probe(std::atomic<QThread*>* diedIn) : diedIn_(diedIn) {}
    ~Probe() override { diedIn_->store(QThread::currentThread()); }

private:
    std::atomic<QThread*>* diedIn_;
};

}  // namespace

class TestHandOver : public QObject {
    Q_OBJECT
private slots:
    void callsRunInTheWorkersThreadInOrder() {
        std::atomic<QThread*> diedIn{nullptr};
        auto* worker = new Probe(&diedIn);
        auto* toWorker = new Mailbox(worker);
        Mailbox toHere(nullptr);
        std::vector<int> seen;  // written on the worker's thread, read here after the answer
        std::vector<QThread*> threads;
        bool answered = false;
        {
            WorkerThread thread("test-hand-over");
            thread.start(worker);
            for (int i = 0; i < 100; ++i) {
                auto payload = std::make_shared<std::string>(std::to_string(i));
                toWorker->post([&, payload] {
                    seen.push_back(std::stoi(*payload));
                    threads.push_back(QThread::currentThread());
                });
            }
            toWorker->post([&] { toHere.post([&] { answered = true; }); });
            QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
            QCOMPARE(seen.size(), size_t(100));
            for (int i = 0; i < 100; ++i) QCOMPARE(seen[size_t(i)], i);
            for (QThread* t : threads) {
                QVERIFY(t != QThread::currentThread());
                QCOMPARE(t, threads.front());
            }
            QVERIFY(thread.stop());
            QCOMPARE(diedIn.load(), threads.front());  // deleted on its own thread, before stop()
        }
    }

    void callsToAGoneMailboxAreDropped() {
        bool ran = false;
        auto* box = new Mailbox(nullptr);
        box->post([&] { ran = true; });
        delete box;
        QCoreApplication::processEvents();
        QTest::qWait(50);
        QVERIFY(!ran);
    }

    void stopWithADeadlineSaysWhetherTheThreadEnded() {
        std::atomic<QThread*> diedIn{nullptr};
        auto* worker = new Probe(&diedIn);
        auto* toWorker = new Mailbox(worker);
        std::atomic<bool> release{false}, inside{false};
        WorkerThread thread("test-hand-over-busy");
        thread.start(worker);
        toWorker->post([&] {
            inside.store(true);
            while (!release.load()) QThread::msleep(5);
        });
        // Once inside (a quit() that came first would end the loop before the call ran).
        QTRY_VERIFY_WITH_TIMEOUT(inside.load(), 10000);
        QVERIFY(!thread.stop(QDeadlineTimer(100)));  // still inside the call
        QVERIFY(diedIn.load() == nullptr);
        release.store(true);
        QVERIFY(thread.stop());
        QVERIFY(diedIn.load() != nullptr);
    }
};

QTEST_GUILESS_MAIN(TestHandOver)
#include "test_hand_over.moc"

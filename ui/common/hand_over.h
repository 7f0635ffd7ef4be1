// Hand-overs between the dashboard's threads that ThreadSanitizer can see. Mailbox::post may be
// called from any thread; the call runs in the mailbox's thread. WorkerThread is used from its
// owner's thread only.
//
// Why not QMetaObject::invokeMethod(obj, lambda, Qt::QueuedConnection): Qt's post-event queue is
// guarded by a futex-based QMutex inside the (uninstrumented) Qt library, so TSan sees the lambda
// written in one thread and read in another with nothing in between, and reports a race on every
// captured value. Here the call is built completely, then released (__tsan_release) on its own
// event, and acquired on delivery: the order Qt guarantees, stated where TSan can read it. The
// same for a thread's end: what the worker did before its loop ended is acquired after wait().
// Outside TSan builds the annotations are nothing.
#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QThread>
#include <functional>

namespace lockscope::ui {

// Runs posted calls in its thread, in the order posted. A child of its owner: it lives in the
// owner's thread, moves with it, and dies with it (calls still queued then are dropped, as with
// invokeMethod on a deleted context object).
class Mailbox final : public QObject {
public:
    explicit Mailbox(QObject* owner);
    void post(std::function<void()> call) const;

protected:
    bool event(QEvent* e) override;
};

// A named QThread running one worker object. The worker is deleted in the thread as the loop
// ends; stop() ends the loop and waits for it.
class WorkerThread {
public:
    explicit WorkerThread(const char* name);
    ~WorkerThread();  // stop()s if still running
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    // Moves `worker` (no parent) to the thread and starts it.
    void start(QObject* worker);
    // Asks the loop to end and waits until `deadline`; true once the thread has ended.
    bool stop(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever));

private:
    QThread thread_;
};

}  // namespace lockscope::ui

#include "ui/common/hand_over.h"

#include <QCoreApplication>
#include <QEvent>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define LOCKSCOPE_TSAN_RELEASE(p) __tsan_release(p)
#define LOCKSCOPE_TSAN_ACQUIRE(p) __tsan_acquire(p)
#else
#define LOCKSCOPE_TSAN_RELEASE(p) static_cast<void>(p)
#define LOCKSCOPE_TSAN_ACQUIRE(p) static_cast<void>(p)
#endif

namespace lockscope::ui {
namespace {

const QEvent::Type kCallEvent = static_cast<QEvent::Type>(QEvent::registerEventType());

struct CallEvent final : QEvent {
    explicit CallEvent(std::function<void()> c) : QEvent(kCallEvent), call(std::move(c)) {}
    // A call never delivered (its mailbox went first) is destroyed by Qt wherever that happened.
    ~CallEvent() override { LOCKSCOPE_TSAN_ACQUIRE(this); }
    std::function<void()> call;
};

}  // namespace

Mailbox::Mailbox(QObject* owner) : QObject(owner) {}

void Mailbox::post(std::function<void()> call) const {
    auto* e = new CallEvent(std::move(call));
    LOCKSCOPE_TSAN_RELEASE(e);  // after the call is built, before Qt's queue sees it
    QCoreApplication::postEvent(const_cast<Mailbox*>(this), e);
}

bool Mailbox::event(QEvent* e) {
    LOCKSCOPE_TSAN_ACQUIRE(e);  // before the first read of it, its type included
    if (e->type() != kCallEvent) return QObject::event(e);
    static_cast<CallEvent*>(e)->call();
    return true;
}

WorkerThread::WorkerThread(const char* name) { thread_.setObjectName(QString::fromUtf8(name)); }

WorkerThread::~WorkerThread() { stop(); }

void WorkerThread::start(QObject* worker) {
    worker->moveToThread(&thread_);
    // Direct: runs in the ending thread, before wait() returns; the worker's destructor and
    // everything it did are released for the thread that waits.
    QObject::connect(
        &thread_, &QThread::finished, &thread_,
        [this, worker] {
            delete worker;
            LOCKSCOPE_TSAN_RELEASE(&thread_);
        },
        Qt::DirectConnection);
    thread_.start();
}

bool WorkerThread::stop(QDeadlineTimer deadline) {
    thread_.quit();
    if (!thread_.wait(deadline)) return false;
    LOCKSCOPE_TSAN_ACQUIRE(&thread_);
    return true;
}

}  // namespace lockscope::ui

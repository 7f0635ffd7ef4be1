#include "ui/common/reaper.h"

#include <pthread.h>

namespace lockscope::ui {

Reaper::~Reaper() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Reaper::post(std::shared_ptr<void> object) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(object));
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    wake_.notify_one();
}

size_t Reaper::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size() + (busy_ ? 1 : 0);
}

void Reaper::run() {
    ::pthread_setname_np(::pthread_self(), "lockscope-reap");
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything handed over is gone
        std::shared_ptr<void> next = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        next.reset();  // may block: joins the object's threads
        lock.lock();
        busy_ = false;
    }
}

}  // namespace lockscope::ui

// Destroys what it is handed on a thread of its own, in the order handed over, so that a
// destructor that joins threads — a monitor engine whose threads wait out a command timeout on a
// paused server — never holds up the caller's event loop. Its own destructor waits for everything
// handed over to be destroyed: owners destroy it at the very end (the dashboard: with its window,
// after the event loop has returned), before the servers those objects talk to are stopped.
//
// Thread contract: dispose() from any thread; create and destroy on the owner's thread (destroying
// joins the reaper's thread).
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace lockscope::ui {

class Reaper {
public:
    Reaper() = default;
    ~Reaper();
    Reaper(const Reaper&) = delete;
    Reaper& operator=(const Reaper&) = delete;

    template <typename T>
    void dispose(std::unique_ptr<T> object) {
        if (object) post(std::shared_ptr<void>(std::move(object)));  // keeps T's deleter
    }
    // Objects handed over and not destroyed yet (tests).
    size_t pending() const;

private:
    void post(std::shared_ptr<void> object);
    void run();

    mutable std::mutex mutex_;  // guards queue_, busy_ and stopping_
    std::condition_variable wake_;
    std::deque<std::shared_ptr<void>> queue_;
    bool busy_ = false;  // the thread is destroying one now
    bool stopping_ = false;
    std::thread thread_;  // started by the first dispose()
};

}  // namespace lockscope::ui

// How late an event loop runs a timer: a precise QTimer fires every `interval` and, while
// recording, each tick notes its lateness (time since the previous tick − interval, at least 0).
// A loop held for 300 ms shows as one tick about 300 ms late. The GUI benchmark and the GUI tests
// measure stalls with it; the dashboard itself does not use it.
//
// Lateness has two causes: the thread was held (busy, or blocked in a join, on a lock, on I/O), or
// the machine did not run it — it was ready and waited for a CPU other processes had, or the whole
// virtual machine stood still (on the shared 2-core VMs both reach 100 ms under load). With
// `Attribution::Held` the probe tells them apart: the thread's run-queue delay comes from the
// kernel (/proc/thread-self/schedstat), and a reference thread per CPU, pinned there, that only
// sleeps 1 ms at a time notes the spans it, too, woke far too late (over 20 ms) without having
// waited for its CPU — the CPU stood still; worstHeldMs() is the lateness neither explains.
//
// Thread contract: create, use and destroy on the thread whose event loop it measures.
#pragma once

#include <QObject>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lockscope::ui {

class StallProbe : public QObject {
    Q_OBJECT
public:
    enum class Attribution {
        Off,   // lateness only, as a user feels it (and no reference thread)
        Held,  // also what the thread itself was held for: worstHeldMs()
    };
    // The timer runs from construction; lateness is recorded between start() and stop().
    explicit StallProbe(std::chrono::milliseconds interval = std::chrono::milliseconds(10),
                        Attribution attribution = Attribution::Off, QObject* parent = nullptr);
    ~StallProbe() override;

    // Forgets what was recorded and records from now (time before this is not a stall).
    void start();
    void stop();
    // Records again from now, keeping what was recorded (the caller itself held the loop).
    void resume();
    bool recording() const { return recording_; }

    std::chrono::milliseconds interval() const { return interval_; }
    size_t ticks() const { return ticks_.size(); }  // recorded ones
    double worstMs() const;
    double quantileMs(double q) const;  // q in [0, 1]
    size_t over(double ms) const;       // ticks later than `ms`
    // Attribution::Held: the worst lateness the machine does not explain (else worstMs()).
    double worstHeldMs() const;
    // The span of the tick that came latest (from the tick before it): what held the loop then.
    std::pair<std::chrono::steady_clock::time_point, std::chrono::steady_clock::time_point>
    worstSpan() const;

signals:
    void ticked();  // every tick, recorded or not

private:
    using Steady = std::chrono::steady_clock;
    struct Tick {
        Steady::time_point from, to;  // the previous tick, this one
        double lateMs;
        double runQueueMs;  // Attribution::Held: of the gap, waited for a CPU
    };
    struct Stall {
        unsigned cpu;
        Steady::time_point from, to;  // a reference thread slept 1 ms over this span
    };
    void reference(unsigned cpu, unsigned cpus);  // a reference thread's loop

    std::chrono::milliseconds interval_;
    QTimer timer_;
    Steady::time_point last_{};
    bool recording_ = false;
    std::vector<Tick> ticks_;
    double lastRunQueueMs_ = 0;
    // Attribution::Held: one reference thread per CPU and the spans they stood still.
    std::atomic<bool> stopping_{false};
    mutable std::mutex stallsMutex_;  // guards stalls_ (reference threads ↔ this thread)
    std::vector<Stall> stalls_;
    std::vector<std::thread> references_;
};

}  // namespace lockscope::ui

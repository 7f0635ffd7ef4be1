#include "ui/common/stall_probe.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <cstdio>

namespace lockscope::ui {
namespace {

using Ms = std::chrono::duration<double, std::milli>;

// How long this thread has waited, ready, for a CPU (ms): the second field of
// /proc/thread-self/schedstat (ns). 0 where the kernel does not say.
double runQueueDelayMs() {
    std::FILE* f = std::fopen("/proc/thread-self/schedstat", "r");
    if (!f) return 0;
    unsigned long long cpuNs = 0, waitNs = 0;
    const int n = std::fscanf(f, "%llu %llu", &cpuNs, &waitNs);
    std::fclose(f);
    return n == 2 ? double(waitNs) / 1e6 : 0;
}

}  // namespace

StallProbe::StallProbe(std::chrono::milliseconds interval, Attribution attribution, QObject* parent)
    : QObject(parent), interval_(interval) {
    if (attribution == Attribution::Held) {
        // One per CPU, pinned there: a virtual CPU the host stops holds only what runs on it.
        const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned cpu = 0; cpu < cpus; ++cpu)
            references_.emplace_back([this, cpu, cpus] { reference(cpu, cpus); });
    }
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(interval_);
    connect(&timer_, &QTimer::timeout, this, [this] {
        const auto now = Steady::now();
        if (recording_) {
            const double late = std::max(0.0, Ms(now - last_).count() - double(interval_.count()));
            const double runQueue = references_.empty() ? 0 : runQueueDelayMs();
            ticks_.push_back({last_, now, late, runQueue - lastRunQueueMs_});
            lastRunQueueMs_ = runQueue;
        }
        last_ = now;
        emit ticked();
    });
    timer_.start();
}

StallProbe::~StallProbe() {
    stopping_ = true;
    for (auto& t : references_) t.join();  // each sleeps 1 ms at a time
}

void StallProbe::reference(unsigned cpu, unsigned cpus) {
    if (cpus > 1) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        ::pthread_setaffinity_np(::pthread_self(), sizeof set, &set);
    }
    // A reference thread that woke late either stood in its CPU's run queue (the CPU ran other
    // processes: that explains only a measured thread that was itself ready, which its own
    // run-queue delay already says) or its CPU stood still (the host did not run it): only the
    // second is the machine's. Its run-queue delay is read at each late wake and every 64 wakes
    // (a read costs a few µs), so the part a late wake waited ready is known to within the
    // ordinary jitter of the wakes in between. A stall counted as the CPU's standing still when
    // other processes had it hid a 300 ms block of the measured thread's own making (held
    // 214–229 ms in a clean-clone CI run at load 6).
    auto before = Steady::now();
    double waited = runQueueDelayMs();
    for (unsigned wakes = 1; !stopping_.load(); ++wakes) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto now = Steady::now();
        // Ordinary wake-up jitter is not noted: only a reference thread held far too long says
        // its CPU stood still.
        if (now - before > std::chrono::milliseconds(20)) {
            const double nowWaited = runQueueDelayMs();
            const auto ready =
                std::chrono::duration_cast<Steady::duration>(Ms(std::max(0.0, nowWaited - waited)));
            waited = nowWaited;
            // The wait for the CPU came last (the timer fired, then the thread queued).
            if (now - ready - before > std::chrono::milliseconds(20)) {
                std::lock_guard lock(stallsMutex_);
                stalls_.push_back({cpu, before, now - ready});
            }
        } else if (wakes % 64 == 0) {
            waited = runQueueDelayMs();
        }
        before = now;
    }
}

void StallProbe::start() {
    ticks_.clear();
    resume();
}

void StallProbe::stop() { recording_ = false; }

void StallProbe::resume() {
    last_ = Steady::now();
    if (!references_.empty()) lastRunQueueMs_ = runQueueDelayMs();
    recording_ = true;
}

double StallProbe::worstMs() const {
    double worst = 0;
    for (const auto& t : ticks_) worst = std::max(worst, t.lateMs);
    return worst;
}

std::pair<StallProbe::Steady::time_point, StallProbe::Steady::time_point> StallProbe::worstSpan()
    const {
    const Tick* worst = nullptr;
    for (const auto& t : ticks_)
        if (!worst || t.lateMs > worst->lateMs) worst = &t;
    if (!worst) return {};
    return {worst->from, worst->to};
}

double StallProbe::worstHeldMs() const {
    if (references_.empty()) return worstMs();
    std::vector<Stall> stalls;
    {
        std::lock_guard lock(stallsMutex_);
        stalls = stalls_;
    }
    double worst = 0;
    for (const auto& t : ticks_) {
        // The machine's part of this tick: its wait for a CPU, or the longest a CPU stood still
        // while it waited (the causes overlap: the larger, not the sum).
        std::vector<double> stoodStill(references_.size(), 0);
        for (const auto& s : stalls) {
            const auto from = std::max(s.from, t.from), to = std::min(s.to, t.to);
            if (from < to) stoodStill[s.cpu] += Ms(to - from).count();
        }
        const double machine =
            std::max(t.runQueueMs, *std::max_element(stoodStill.begin(), stoodStill.end()));
        worst = std::max(worst, t.lateMs - machine);
    }
    return worst;
}

double StallProbe::quantileMs(double q) const {
    if (ticks_.empty()) return 0;
    std::vector<double> v;
    for (const auto& t : ticks_) v.push_back(t.lateMs);
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * double(v.size())))];
}

size_t StallProbe::over(double ms) const {
    return size_t(
        std::count_if(ticks_.begin(), ticks_.end(), [&](const Tick& t) { return t.lateMs > ms; }));
}

}  // namespace lockscope::ui

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
    auto before = Steady::now();
    while (!stopping_.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        const auto now = Steady::now();
        // Ordinary wake-up jitter is not noted: only a reference thread held far too long says
        // its CPU stood still.
        if (now - before > std::chrono::milliseconds(20)) {
            std::lock_guard lock(stallsMutex_);
            stalls_.push_back({cpu, before, now});
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

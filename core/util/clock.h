// Injectable time, so anything that reasons about TTLs, heartbeats or rates can be tested by
// moving time instead of sleeping, and so a demo can give one worker a skewed wall clock.
//
// Thread contract: SystemClock and OffsetClock are immutable and safe to share; ManualClock is
// guarded by an atomic and may be advanced from any thread.
#pragma once

#include <atomic>
#include <chrono>

namespace lockscope {

class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock time, as a client would write it into a lock value (ms since the epoch).
    virtual std::chrono::system_clock::time_point wallNow() const = 0;
    // Monotonic time for measuring elapsed intervals.
    virtual std::chrono::steady_clock::time_point steadyNow() const = 0;

    long long wallMillis() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(wallNow().time_since_epoch())
            .count();
    }
};

class SystemClock final : public Clock {
public:
    std::chrono::system_clock::time_point wallNow() const override {
        return std::chrono::system_clock::now();
    }
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::now();
    }
};

// The process-wide real clock.
const Clock& systemClock();

// A wall clock running `offset` ahead (positive) or behind (negative) the real one: a client
// whose NTP went wrong. Elapsed time is unaffected.
class OffsetClock final : public Clock {
public:
    explicit OffsetClock(std::chrono::milliseconds offset) : offset_(offset) {}
    std::chrono::system_clock::time_point wallNow() const override {
        return std::chrono::system_clock::now() + offset_;
    }
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::now();
    }

private:
    std::chrono::milliseconds offset_;
};

// Time that moves only when told to (tests of rates, heartbeats and countdowns).
class ManualClock final : public Clock {
public:
    std::chrono::system_clock::time_point wallNow() const override {
        return std::chrono::system_clock::time_point(std::chrono::milliseconds(wallMs_.load()));
    }
    std::chrono::steady_clock::time_point steadyNow() const override {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(steadyMs_.load()));
    }
    void advance(std::chrono::milliseconds d) {
        wallMs_ += d.count();
        steadyMs_ += d.count();
    }
    void setWall(std::chrono::milliseconds sinceEpoch) { wallMs_ = sinceEpoch.count(); }

private:
    std::atomic<long long> wallMs_{1'700'000'000'000};
    std::atomic<long long> steadyMs_{1'000'000};
};

}  // namespace lockscope

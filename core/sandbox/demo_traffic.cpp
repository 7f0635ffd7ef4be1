#include "sandbox/demo_traffic.h"

#include <chrono>
#include <random>

#include "locks/lock_strategy.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "util/thread_name.h"

namespace lockscope::sandbox {

using namespace std::chrono_literals;

DemoTraffic::DemoTraffic(redis::Endpoint endpoint) : endpoint_(std::move(endpoint)) {
    try {
        // What a crash between SETNX and EXPIRE leaves behind: held forever, by a dead process.
        redis::Connection c(endpoint_);
        c.command({"SET", "demo:lock:stuck-report",
                   "lockscope:setnx-expire:batch-host:4242:0badc0de:00000000deadbeef"});
    } catch (const redis::Error&) {}
    unsigned seed = 1;
    for (const char* s : {"set-nx-px", "fenced", "reentrant", "setnx-expire"}) {
        threads_.emplace_back([this, s, seed] {
            setThreadName("ls-sbx-lock/" + std::to_string(seed));
            lockCycler(s, seed);
        });
        ++seed;
    }
    threads_.emplace_back([this] {
        setThreadName("ls-sbx-beat");
        heartbeatLeader();
    });
    threads_.emplace_back([this] {
        setThreadName("ls-sbx-count");
        counters();
    });
}

DemoTraffic::~DemoTraffic() {
    stop_ = true;
    for (auto& t : threads_) t.join();
}

bool DemoTraffic::sleepFor(int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stop_.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    return !stop_.load();
}

// Takes "demo:lock:<strategy>" for a few seconds, extends it once, releases it, rests.
void DemoTraffic::lockCycler(const char* strategy, unsigned seed) {
    std::mt19937 rng(seed * 7919u);
    std::uniform_int_distribution<int> hold(2000, 7000), rest(800, 3000);
    const std::string key = std::string("demo:lock:") + strategy;
    while (!stop_.load()) {
        try {
            locks::LockContext ctx;
            ctx.nodes = {endpoint_};
            auto lock = locks::makeLockStrategy(strategy, ctx);
            while (!stop_.load()) {
                const int ms = hold(rng);
                auto lease = lock->tryAcquire(key, std::chrono::milliseconds(ms + 4000));
                if (lease) {
                    if (!sleepFor(ms / 2)) {
                        lock->release(*lease);
                        return;
                    }
                    lock->extend(*lease, std::chrono::milliseconds(ms + 4000));
                    sleepFor(ms / 2);
                    lock->release(*lease);
                }
                sleepFor(rest(rng));
            }
        } catch (const redis::Error&) {
            sleepFor(1000);  // the sandbox is going away, or restarting
        }
    }
}

void DemoTraffic::heartbeatLeader() {
    while (!stop_.load()) {
        try {
            locks::LockContext ctx;
            ctx.nodes = {endpoint_};
            auto lock = locks::makeLockStrategy("heartbeat", ctx);
            auto lease = lock->tryAcquire("demo:leader", 3000ms);  // a beat every second
            // Lead for 20 s, then step down for a moment.
            sleepFor(20000);
            if (lease) lock->release(*lease);
            sleepFor(2000);
        } catch (const redis::Error&) {
            sleepFor(1000);
        }
    }
}

// Counters at known rates: orders ~20/s, page views ~50/s in bursts, signups ~1/s.
void DemoTraffic::counters() {
    while (!stop_.load()) {
        try {
            redis::Connection c(endpoint_);
            int tick = 0;
            while (sleepFor(50)) {
                ++tick;
                c.command({"INCR", "demo:counter:orders"});
                if ((tick / 100) % 2 == 0) c.command({"INCRBY", "demo:counter:page-views", 5});
                if (tick % 20 == 0) c.command({"INCR", "demo:counter:signups"});
            }
        } catch (const redis::Error&) {
            sleepFor(1000);
        }
    }
}

}  // namespace lockscope::sandbox

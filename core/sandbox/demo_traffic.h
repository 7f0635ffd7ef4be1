// Gentle, varied traffic for the dashboard's embedded sandbox, so a newcomer sees life at once:
// a few locks of different strategies taken, extended and released; a heartbeat leader; a lock
// stuck without TTL (as a crash between SETNX and EXPIRE leaves it); counters ticking at known
// rates. Keys live under "demo:".
//
// Thread contract: construct and destroy on one thread; the traffic runs on threads of its own,
// each with its own connections, and stops (releasing what it holds) in the destructor.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

#include "redis/url.h"

namespace lockscope::sandbox {

class DemoTraffic {
public:
    explicit DemoTraffic(redis::Endpoint endpoint);
    ~DemoTraffic();
    DemoTraffic(const DemoTraffic&) = delete;
    DemoTraffic& operator=(const DemoTraffic&) = delete;

private:
    void lockCycler(const char* strategy, unsigned seed);
    void heartbeatLeader();
    void counters();
    bool sleepFor(int ms);

    redis::Endpoint endpoint_;
    std::atomic<bool> stop_{false};
    std::vector<std::thread> threads_;
};

}  // namespace lockscope::sandbox

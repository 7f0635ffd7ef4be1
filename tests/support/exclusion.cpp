#include "exclusion.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "redis/error.h"

namespace lockscope::test {

ExclusionRun runMutualExclusion(const std::string& strategy,
                                const std::function<locks::LockContext()>& makeContext,
                                const redis::Endpoint& resourceServer, const std::string& lockKey,
                                const std::string& resourceKey, int threads, int sections,
                                std::chrono::milliseconds ttl) {
    ExclusionRun run;
    run.expected = static_cast<long long>(threads) * sections;
    std::atomic<int> timeouts{0}, releaseFailures{0};
    std::mutex errorMutex;
    {
        redis::Connection setup(resourceServer);
        setup.command({"SET", resourceKey, 0});
    }
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            try {
                auto lock = locks::makeLockStrategy(strategy, makeContext());
                redis::Connection resource(resourceServer);
                locks::WaitOptions wait;
                wait.timeout = std::chrono::seconds(30);
                for (int i = 0; i < sections; ++i) {
                    auto lease = lock->acquire(lockKey, ttl, wait);
                    if (!lease) {
                        ++timeouts;
                        continue;
                    }
                    // The unprotected read-modify-write the lock must serialise.
                    long long v = resource.command({"GET", resourceKey}).asInteger();
                    resource.command({"SET", resourceKey, v + 1});
                    if (lock->release(*lease) != locks::ReleaseResult::Released) ++releaseFailures;
                }
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> g(errorMutex);
                if (run.firstError.empty()) run.firstError = e.what();
            }
        });
    }
    for (auto& w : workers) w.join();
    redis::Connection check(resourceServer);
    run.actual = check.command({"GET", resourceKey}).asInteger();
    run.acquireTimeouts = timeouts;
    run.releaseFailures = releaseFailures;
    return run;
}

}  // namespace lockscope::test

// The mutual-exclusion check every safe lock strategy must pass: K threads, each with its own
// strategy instance (own connections), each doing M critical sections of a non-atomic GET + SET
// on a shared resource key. Any lost update means two holders overlapped.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "locks/lock_strategy.h"

namespace lockscope::test {

struct ExclusionRun {
    long long expected = 0;
    long long actual = 0;
    int acquireTimeouts = 0;  // sections skipped because acquire() gave up
    int releaseFailures = 0;  // release() answered something other than Released
    std::string firstError;   // the first redis::Error a worker hit, if any
};

ExclusionRun runMutualExclusion(const std::string& strategy,
                                const std::function<locks::LockContext()>& makeContext,
                                const redis::Endpoint& resourceServer, const std::string& lockKey,
                                const std::string& resourceKey, int threads, int sections,
                                std::chrono::milliseconds ttl);

}  // namespace lockscope::test

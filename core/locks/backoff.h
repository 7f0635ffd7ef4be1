// Retry delays for lock waiters: exponential growth with "decorrelated jitter" (each delay is
// uniform in [min, 3 × previous], capped), so waiters neither stampede nor sleep blindly.
//
// Thread contract: one owner thread.
#pragma once

#include <chrono>

namespace lockscope::locks {

class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
    std::chrono::microseconds next();

private:
    std::chrono::microseconds min_;
    std::chrono::microseconds max_;
    std::chrono::microseconds previous_;
};

}  // namespace lockscope::locks

#include "locks/backoff.h"

#include <algorithm>

#include "util/random.h"

namespace lockscope::locks {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(std::chrono::microseconds(min), std::chrono::microseconds(100))),
      max_(std::max(std::chrono::microseconds(max), min_)),
      previous_(min_) {}

std::chrono::microseconds Backoff::next() {
    auto upper = std::min(max_.count(), previous_.count() * 3);
    previous_ = std::chrono::microseconds(randomBetween(min_.count(), upper));
    return previous_;
}

}  // namespace lockscope::locks

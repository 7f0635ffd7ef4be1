#include "counters/batched.h"

namespace lockscope::counters {

BatchedCounter::BatchedCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)),
      conn_(connectCounter(context)),
      clock_(context.clock),
      interval_(context.config.batchInterval),
      max_(context.config.batchMax) {}

Outcome BatchedCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    const auto now = clock_->steadyNow();
    if (pendingOps_ == 0) oldest_ = now;
    pending_ += by;
    ++pendingOps_;
    if (now - oldest_ >= interval_ || (max_ > 0 && static_cast<long long>(pendingOps_) >= max_)) {
        flush();
        return Outcome::Applied;
    }
    return Outcome::Queued;
}

void BatchedCounter::flush() {
    if (pendingOps_ == 0) return;
    const long long amount = pending_;
    const std::uint64_t ops = pendingOps_;
    pending_ = 0;  // dropped even if the INCRBY throws: never replay a command (see header)
    pendingOps_ = 0;
    conn_.command({"INCRBY", key(), amount});
    ++stats_.roundTrips;
    ++flushes_;
    stats_.applied += ops;
}

long long BatchedCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void BatchedCounter::reset() {
    pending_ = 0;
    pendingOps_ = 0;
    conn_.command({"DEL", key()});
}

}  // namespace lockscope::counters

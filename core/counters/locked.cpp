#include "counters/locked.h"

#include "locks/fenced.h"

namespace lockscope::counters {
namespace {

locks::LockContext lockContextFor(const CounterContext& context) {
    locks::LockContext lc;
    lc.nodes = context.nodes;
    lc.connect = context.connect;
    lc.clock = context.clock;
    lc.owner = context.owner;
    lc.config = context.config.lock;
    return lc;
}

}  // namespace

LockedCounter::LockedCounter(std::string spec, std::string key, std::string lockStrategy,
                             const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)),
      lockKey_(this->key() + ":lock"),
      config_(context.config),
      lock_(locks::makeLockStrategy(lockStrategy, lockContextFor(context))),
      conn_(connectCounter(context)) {}

Outcome LockedCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    const auto attemptsBefore = lock_->stats().attempts;
    locks::WaitOptions wait;
    wait.timeout = config_.lockWait;
    wait.cancel = config_.cancel;
    auto lease = lock_->acquire(lockKey_, config_.lockTtl, wait);
    const auto attempts = lock_->stats().attempts - attemptsBefore;
    stats_.roundTrips += attempts;  // one per attempt (a redlock attempt fans out in one)
    stats_.retries += lease ? attempts - 1 : attempts;
    if (!lease) {
        ++stats_.rejected;
        return Outcome::Rejected;
    }
    // The same GET + SET as `naive`: only the lock keeps others out between the two.
    const long long value = integerOrZero(conn_.command({"GET", key()}));
    conn_.command({"SET", key(), value + by});
    lock_->release(*lease);
    stats_.roundTrips += 3;
    ++stats_.applied;
    return Outcome::Applied;
}

long long LockedCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void LockedCounter::reset() { conn_.command({"DEL", key(), lockKey_, locks::fenceKey(lockKey_)}); }

}  // namespace lockscope::counters

#include "counters/watch.h"

#include "redis/error.h"

namespace lockscope::counters {

WatchCounter::WatchCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)),
      conn_(connectCounter(context)),
      cancel_(context.config.cancel) {}

Outcome WatchCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    while (true) {
        conn_.command({"WATCH", key()});
        long long value = 0;
        try {
            value = integerOrZero(conn_.command({"GET", key()}));
        } catch (const redis::Error& e) {
            if (!e.breaksConnection()) conn_.command({"UNWATCH"});
            throw;
        }
        auto tx = conn_.pipeline();
        tx.add({"MULTI"}).add({"SET", key(), value + by}).add({"EXEC"});
        auto replies = tx.exec();
        stats_.roundTrips += 3;
        for (const auto& r : replies) r.throwIfError();
        if (!replies[2].isNil()) break;  // committed
        ++stats_.retries;                // someone wrote in between: EXEC aborted, nothing set
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
            ++stats_.rejected;
            return Outcome::Rejected;
        }
    }
    ++stats_.applied;
    return Outcome::Applied;
}

long long WatchCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void WatchCounter::reset() { conn_.command({"DEL", key()}); }

}  // namespace lockscope::counters

#include "counters/incr.h"

namespace lockscope::counters {

IncrCounter::IncrCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)), conn_(connectCounter(context)) {}

Outcome IncrCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    conn_.command({"INCRBY", key(), by});
    ++stats_.roundTrips;
    ++stats_.applied;
    return Outcome::Applied;
}

long long IncrCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void IncrCounter::reset() { conn_.command({"DEL", key()}); }

}  // namespace lockscope::counters

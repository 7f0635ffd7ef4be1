#include "counters/naive.h"

namespace lockscope::counters {

NaiveCounter::NaiveCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)), conn_(connectCounter(context)) {}

Outcome NaiveCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    // A missing key reads as 0 (the seed's int(None) would crash here).
    const long long value = integerOrZero(conn_.command({"GET", key()}));
    conn_.command({"SET", key(), value + by});
    stats_.roundTrips += 2;
    ++stats_.applied;
    return Outcome::Applied;
}

long long NaiveCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void NaiveCounter::reset() { conn_.command({"DEL", key()}); }

}  // namespace lockscope::counters

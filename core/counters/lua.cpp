#include "counters/lua.h"

namespace lockscope::counters {
namespace {

// KEYS[1] = counter; ARGV[1] = increment. Returns the new value. string.format('%d'): tostring()
// of a Lua number turns 1e15 into "1e+15", which INCR and GET readers could not parse back.
const redis::Script& addScript() {
    static const redis::Script script(R"lua(
local v = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%d', v))
return v
)lua");
    return script;
}

}  // namespace

LuaCounter::LuaCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)), conn_(connectCounter(context)) {}

Outcome LuaCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    conn_.eval(addScript(), {key()}, {by});
    ++stats_.roundTrips;
    ++stats_.applied;
    return Outcome::Applied;
}

long long LuaCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

void LuaCounter::reset() { conn_.command({"DEL", key()}); }

}  // namespace lockscope::counters

#include "counters/versioned.h"

namespace lockscope::counters {
namespace {

// KEYS[1] = hash; ARGV[1] = the version the client read, ARGV[2] = its new value.
// 1 written (version + 1), 0 conflict: the version moved since the client read it.
const redis::Script& compareAndSetScript() {
    static const redis::Script script(R"lua(
local version = redis.call('HGET', KEYS[1], 'version') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', string.format('%d', tonumber(version) + 1))
return 1
)lua");
    return script;
}

}  // namespace

VersionedCounter::VersionedCounter(std::string spec, std::string key, const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)),
      conn_(connectCounter(context)),
      cancel_(context.config.cancel) {}

Outcome VersionedCounter::increment(long long by, std::string_view) {
    ++stats_.ops;
    while (true) {
        auto current = conn_.command({"HMGET", key(), "value", "version"});
        const long long value = integerOrZero(current[0]);
        // The version goes back exactly as read (as text), so the script compares like for like.
        const std::string version = current[1].isNil() ? "0" : std::string(current[1].str());
        const long long written =
            conn_.eval(compareAndSetScript(), {key()}, {version, value + by}).integer();
        stats_.roundTrips += 2;
        if (written == 1) break;
        ++stats_.retries;
        if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
            ++stats_.rejected;
            return Outcome::Rejected;
        }
    }
    ++stats_.applied;
    return Outcome::Applied;
}

long long VersionedCounter::read() {
    return integerOrZero(conn_.command({"HGET", key(), "value"}));
}

long long VersionedCounter::version() {
    return integerOrZero(conn_.command({"HGET", key(), "version"}));
}

void VersionedCounter::reset() { conn_.command({"DEL", key()}); }

}  // namespace lockscope::counters

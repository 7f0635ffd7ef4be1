#include "locks/latch.h"

#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// KEYS: latch, meta; ARGV: count, channel. 1 set, 0 already set.
const redis::Script& setScript() {
    static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'kind', 'latch', 'size', ARGV[1])
redis.call('PUBLISH', ARGV[2], '1')
return 1
)lua");
    return script;
}

// KEYS: latch, meta; ARGV: channel. What is left; at zero the latch (and its record) is deleted
// and the waiters are told.
const redis::Script& countDownScript() {
    static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local left = redis.call('DECR', KEYS[1])
if left <= 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
if left == 0 then redis.call('PUBLISH', ARGV[1], '0') end
return math.max(left, 0)
)lua");
    return script;
}

}  // namespace

std::string CountDownLatch::channel(std::string_view key) {
    return "redisson_countdownlatch__channel__{" + std::string(key) + "}";
}

CountDownLatch::CountDownLatch(LockContext context)
    : context_(std::move(context)),
      conn_(connectAsOwner(context_)),
      wake_([this] { return connectAsOwner(context_); }) {}

bool CountDownLatch::trySetCount(std::string_view key, long long count) {
    if (count < 1)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "latch: the count must be at least 1");
    const std::string meta = lockscopeMetaKey(key), ch = channel(key);
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {count, ch};
    return conn_.eval(setScript(), keys, argv).integer() == 1;
}

long long CountDownLatch::countDown(std::string_view key) {
    const std::string meta = lockscopeMetaKey(key), ch = channel(key);
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {ch};
    return conn_.eval(countDownScript(), keys, argv).integer();
}

long long CountDownLatch::count(std::string_view key) {
    auto v = conn_.command({"GET", key});
    return v.isNil() ? 0 : v.asInteger();
}

bool CountDownLatch::await(std::string_view key, const WaitOptions& wait) {
    if (count(key) == 0) return true;
    if (wait.timeout <= milliseconds(0)) return false;
    const auto deadline = Steady::now() + wait.timeout;
    // Subscribed before the count is read again: a zero message cannot slip in between.
    WakeSubscription subscribed(wake_, channel(key));
    while (true) {
        if (count(key) == 0) return true;
        if (Steady::now() >= deadline || (wait.cancel && wait.cancel->load())) return false;
        wake_.waitUntil(deadline, wait.cancel);
    }
}

LockInfo CountDownLatch::inspect(std::string_view key) {
    LockInfo info;
    PrimitiveState s = readPrimitiveState(conn_, key, PrimitiveKind::Latch);
    info.ttl = milliseconds(s.ttlMs);
    const long long left = s.count.value_or(0);
    info.held = left > 0;
    info.holder = info.held ? latchHolder(left, s.size) : "";
    info.detail = left > 0 ? std::to_string(left) + " count-down(s) to go" : "open";
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

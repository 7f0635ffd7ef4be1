#include "locks/latch.h"

#include "locks/kind_check.h"
#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// Every script checks first that the key is a latch (kind_check.h): nothing is written to a key
// of another kind. ARGV's last: "1" to adopt a bare integer (a Redisson RCountDownLatch).

// KEYS: latch, meta; ARGV: count, channel, adopt. 1 set, 0 already set.
const redis::Script& setScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[2], nil)
if kind == 'latch' or (kind == 'integer' and detail == '' and ARGV[3] == '1') then return 0 end
if kind ~= 'none' then return ls_refuse(kind, detail) end
if not ls_meta_free(KEYS[2]) then return ls_refuse('none', 'meta') end
redis.call('SET', KEYS[1], ARGV[1])
ls_new_record(KEYS[2], 'latch', ARGV[1])
redis.call('PUBLISH', ARGV[2], '1')
return 1
)lua"));
    return script;
}

// KEYS: latch, meta; ARGV: channel, adopt. What is left; -1: no such latch (nothing counted).
// At zero the latch (and its record) is deleted and the waiters are told.
const redis::Script& countDownScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[2], nil)
if kind == 'none' then return -1 end
if not (kind == 'latch' or (kind == 'integer' and detail == '' and ARGV[2] == '1')) then
  return ls_refuse(kind, detail)
end
local left = redis.call('DECR', KEYS[1])
if left <= 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
if left == 0 then redis.call('PUBLISH', ARGV[1], '0') end
return math.max(left, 0)
)lua"));
    return script;
}

// KEYS: latch, meta; ARGV: adopt. The count; -1: no such latch. Reads only.
const redis::Script& countScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[2], nil)
if kind == 'none' then return -1 end
if not (kind == 'latch' or (kind == 'integer' and detail == '' and ARGV[1] == '1')) then
  return ls_refuse(kind, detail)
end
return tonumber(redis.call('GET', KEYS[1]))
)lua"));
    return script;
}

constexpr std::string_view kWanted = "a latch of LockScope or Redisson";

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
    // The kind check reads at most 18 digits as a count: a larger one could never count down.
    if (count > 999'999'999'999'999'999LL)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "latch: the count must be at most 999999999999999999");
    const std::string meta = lockscopeMetaKey(key), ch = channel(key);
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {count, ch, context_.config.adoptBareCount ? "1" : "0"};
    return evalChecked(conn_, setScript(), keys, argv, key, kWanted).integer() == 1;
}

long long CountDownLatch::countDown(std::string_view key) {
    const std::string meta = lockscopeMetaKey(key), ch = channel(key);
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {ch, context_.config.adoptBareCount ? "1" : "0"};
    const long long left =
        evalChecked(conn_, countDownScript(), keys, argv, key, kWanted).integer();
    return left < 0 ? -1 : left;
}

std::optional<long long> CountDownLatch::countIfSet(std::string_view key) {
    const std::string meta = lockscopeMetaKey(key);
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {context_.config.adoptBareCount ? "1" : "0"};
    const long long n = evalChecked(conn_, countScript(), keys, argv, key, kWanted).integer();
    if (n < 0) return std::nullopt;
    return n;
}

long long CountDownLatch::count(std::string_view key) { return countIfSet(key).value_or(0); }

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
    if (auto refused = unadoptedBareCount(s, PrimitiveKind::Latch, context_.config.adoptBareCount,
                                          "latch", "RCountDownLatch")) {
        info.detail = std::move(*refused);
        info.primitive = std::move(s);
        return info;
    }
    const long long left = s.count.value_or(0);
    info.held = left > 0;
    info.holder = info.held ? latchHolder(left, s.size) : "";
    info.detail = left > 0 ? std::to_string(left) + " count-down(s) to go"
                  : s.kind == PrimitiveKind::Latch
                      ? "open (no such key: a missing latch counts as open)"
                      : notOfKind(s, "a latch").value_or("open");
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

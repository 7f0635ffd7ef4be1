#include "locks/read_write.h"

#include <algorithm>

#include "locks/holder_ops.h"
#include "locks/kind_check.h"
#include "locks/redisson_names.h"
#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// KEYS: lock, this reader's timeout prefix, writers' claims. ARGV: lease ms, read field,
// write field, "1" for writer preference. {1, holds} acquired; {0, retry ms} (-1: wait for a
// message).
const redis::Script& readAcquireScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind ~= 'none' and kind ~= 'read-write' then return ls_refuse(kind, detail) end
-- The companions this script may touch, before any write: the claims, this hold's lease.
local bad = ls_companion(KEYS[3], 'zset') or
            ls_companion(KEYS[2] .. ':' .. ((tonumber(redis.call('HGET', KEYS[1], ARGV[2])) or 0) + 1),
                         'string')
if bad then return bad end
local mode = redis.call('HGET', KEYS[1], 'mode')
local writing = mode == 'write' and redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1
if mode == 'write' and not writing then return {0, redis.call('PTTL', KEYS[1])} end
if ARGV[4] == '1' and not writing and redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then
  -- A live writer's claim keeps new readers out (nested reads go on: they would deadlock).
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  if first[1] then return {0, tonumber(first[2]) - now} end
end
if not mode then redis.call('HSET', KEYS[1], 'mode', 'read') end
local holds = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
redis.call('SET', KEYS[2] .. ':' .. holds, 1, 'PX', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(ARGV[1])))
return {1, holds}
)lua"));
    return script;
}

// KEYS: lock, this reader's timeout prefix, the lock's timeout-key prefix ("{key}");
// ARGV: read field, channel. 1 our hold is gone, 2 a nested hold released, 0 no such lock,
// -1 not ours. The last holder out deletes the lock and says so ("0").
const redis::Script& readReleaseScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind == 'none' then return 0 end
if kind ~= 'read-write' then return ls_refuse(kind, detail) end
local mode = redis.call('HGET', KEYS[1], 'mode')
if not mode then return 0 end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
local bad = ls_companion(KEYS[2] .. ':' .. redis.call('HGET', KEYS[1], ARGV[1]), 'string')
if bad then return bad end
local holds = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if holds == 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('DEL', KEYS[2] .. ':' .. (holds + 1))
local result = holds > 0 and 2 or 1
if redis.call('HLEN', KEYS[1]) > 1 then
  -- Others still hold: the lock lives as long as the longest remaining read lease.
  local longest = -3
  for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
    local n = tonumber(redis.call('HGET', KEYS[1], f))
    if n then
      for i = n, 1, -1 do
        longest = math.max(longest,
                           redis.call('PTTL', KEYS[3] .. ':' .. f .. ':rwlock_timeout:' .. i))
      end
    end
  end
  if longest > 0 then
    redis.call('PEXPIRE', KEYS[1], longest)
    return result
  end
  if mode == 'write' then return result end
end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], '0')
return result
)lua"));
    return script;
}

// KEYS: lock, writers' claims. ARGV: lease ms, write field, "1" for writer preference, claim
// lifetime ms, "1" to claim when refused. {1, holds} / {0, retry ms}.
const redis::Script& writeAcquireScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind ~= 'none' and kind ~= 'read-write' then return ls_refuse(kind, detail) end
local bad = ls_companion(KEYS[2], 'zset')  -- the writers' claims, before any write
if bad then return bad end
local mode = redis.call('HGET', KEYS[1], 'mode')
if not mode then
  redis.call('HSET', KEYS[1], 'mode', 'write', ARGV[2], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
  return {1, 1}
end
if mode == 'write' and redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  local holds = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {1, holds}
end
if ARGV[3] == '1' and ARGV[5] == '1' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[2])
end
return {0, redis.call('PTTL', KEYS[1])}
)lua"));
    return script;
}

// KEYS: lock; ARGV: write field, lease ms, channel. Codes as readReleaseScript's.
const redis::Script& writeReleaseScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind == 'none' then return 0 end
if kind ~= 'read-write' then return ls_refuse(kind, detail) end
local mode = redis.call('HGET', KEYS[1], 'mode')
if not mode then return 0 end
if mode ~= 'write' or redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 1 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'mode', 'read')  -- our own read holds remain: a downgrade
end
redis.call('PUBLISH', ARGV[3], '1')
return 1
)lua"));
    return script;
}

// A writer that gave up. KEYS: claims; ARGV: write field, channel.
const redis::Script& withdrawScript() {
    static const redis::Script script(withKindCheck(R"lua(
local bad = ls_companion(KEYS[1], 'zset')
if bad then return bad end
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], '1') end
return 1
)lua"));
    return script;
}

// KEYS: lock, this reader's timeout prefix; ARGV: lease ms, read field. 1 renewed, 0 not ours.
const redis::Script& readRenewScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind == 'none' then return 0 end
if kind ~= 'read-write' then return ls_refuse(kind, detail) end
local holds = tonumber(redis.call('HGET', KEYS[1], ARGV[2]))
if not holds then return 0 end
for i = 1, holds do redis.call('PEXPIRE', KEYS[2] .. ':' .. i, ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], math.max(redis.call('PTTL', KEYS[1]), tonumber(ARGV[1])))
return 1
)lua"));
    return script;
}

// KEYS[1] = lock; ARGV = lease ms, write field.
const redis::Script& writeRenewScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], nil, nil)
if kind == 'none' then return 0 end
if kind ~= 'read-write' then return ls_refuse(kind, detail) end
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0
)lua"));
    return script;
}

constexpr std::string_view kWriteSuffix = ":write";

// Every script but the writer's withdrawal checks first that the key is a read-write lock (or
// missing): an application's hash or an exclusive lock's hash is refused, unchanged
// (kind_check.h).
constexpr std::string_view kWanted = "a read-write lock of LockScope or Redisson";

// The prefix every reader's timeout keys share: "{key}" (or the key itself when it has a tag).
std::string timeoutBase(std::string_view key) {
    std::string s = redissonSuffixName(key, "");
    s.pop_back();
    return s;
}

ReleaseResult resultOf(long long code) {
    switch (code) {
        case 1:
            return ReleaseResult::Released;
        case 2:
            return ReleaseResult::StillHeld;
        case 0:
            return ReleaseResult::NotHeld;
        default:
            return ReleaseResult::NotOwner;
    }
}

}  // namespace

ReadWriteLock::ReadWriteLock(LockContext context)
    : context_(std::move(context)),
      mode_(context_.config.rwMode),
      instanceId_(context_.config.redissonInstanceId.empty() ? redissonInstanceId(context_.owner)
                                                             : context_.config.redissonInstanceId),
      conn_(connectAsOwner(context_)),
      wake_([this] { return connectAsOwner(context_); }) {
    if (context_.config.waiterTimeout < milliseconds(3))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "read-write: waiterTimeout must be at least 3 ms");
}

std::string ReadWriteLock::fieldForThisThread() const { return redissonThreadField(instanceId_); }

std::string ReadWriteLock::channel(std::string_view key) { return redissonRwLockChannel(key); }

bool ReadWriteLock::isWriteToken(std::string_view token) {
    return token.size() > kWriteSuffix.size() &&
           token.substr(token.size() - kWriteSuffix.size()) == kWriteSuffix;
}

ReadWriteLock::Attempt ReadWriteLock::attempt(std::string_view key, milliseconds ttl, bool claim) {
    if (ttl <= milliseconds(0))
        throw redis::Error(
            redis::ErrorKind::InvalidArgument,
            "read-write: give a lease (ttl > 0) and extend() it; there is no watchdog");
    const std::string field = fieldForThisThread();
    const std::string writeField = field + std::string(kWriteSuffix);
    const std::string writers = rwWritersWaitingKey(key);
    const char* preference = context_.config.writerPreference ? "1" : "0";
    const auto now = context_.clock->steadyNow();
    ++stats_.attempts;
    const bool write = mode_ == LockConfig::RwMode::Write;
    auto reply = [&] {
        if (write) {
            const redis::Arg keys[] = {key, writers};
            const redis::Arg argv[] = {ttl, writeField, preference, context_.config.waiterTimeout,
                                       claim ? "1" : "0"};
            return evalChecked(conn_, writeAcquireScript(), keys, argv, key, kWanted);
        }
        const std::string prefix = readerTimeoutPrefix(key, field);
        const redis::Arg keys[] = {key, prefix, writers};
        const redis::Arg argv[] = {ttl, field, writeField, preference};
        return evalChecked(conn_, readAcquireScript(), keys, argv, key, kWanted);
    }();
    Attempt a;
    if (reply.at(0).integer() != 1) {
        a.retryMs = reply.at(1).integer();
        return a;
    }
    Lease lease;
    lease.key = std::string(key);
    lease.token = write ? writeField : field;
    lease.ttl = ttl;
    lease.acquiredAt = now;
    lease.validUntil = now + ttl;
    lease.holdCount = static_cast<int>(reply.at(1).integer());
    ++stats_.acquisitions;
    a.lease = std::move(lease);
    return a;
}

std::optional<Lease> ReadWriteLock::tryAcquire(std::string_view key, milliseconds ttl) {
    return attempt(key, ttl, false).lease;
}

std::optional<Lease> ReadWriteLock::acquire(std::string_view key, milliseconds ttl,
                                            const WaitOptions& wait) {
    if (wait.timeout <= milliseconds(0)) return tryAcquire(key, ttl);
    const auto deadline = Steady::now() + wait.timeout;
    const bool claims = mode_ == LockConfig::RwMode::Write && context_.config.writerPreference;
    const std::string writeField = fieldForThisThread() + std::string(kWriteSuffix);
    const milliseconds renewEvery = std::max(milliseconds(1), context_.config.waiterTimeout / 3);
    auto cancelled = [&] { return wait.cancel && wait.cancel->load(); };

    WakeSubscription subscribed(wake_, channel(key));
    try {
        while (true) {
            Attempt a = attempt(key, ttl, true);
            if (a.lease) return a.lease;
            if (Steady::now() >= deadline || cancelled()) break;
            // A writer renews its claim every renewEvery; +1 ms: a key expires once its time
            // has passed.
            const milliseconds next =
                a.retryMs >= 0 ? std::min(renewEvery, milliseconds(a.retryMs + 1)) : renewEvery;
            wake_.waitUntil(std::min(deadline, Steady::now() + next), wait.cancel);
            if (cancelled()) break;
        }
    } catch (...) {
        if (claims) withdrawClaim(key, writeField);
        throw;
    }
    if (claims) withdrawClaim(key, writeField);
    return std::nullopt;
}

void ReadWriteLock::withdrawClaim(std::string_view key, const std::string& writeField) noexcept {
    try {
        const std::string writers = rwWritersWaitingKey(key), ch = channel(key);
        const redis::Arg keys[] = {writers};
        const redis::Arg argv[] = {writeField, ch};
        conn_.eval(withdrawScript(), keys, argv);
    } catch (...) {
        // Unreachable server: the claim runs out after waiterTimeout.
    }
}

ReleaseResult ReadWriteLock::release(const Lease& lease) {
    const std::string ch = channel(lease.key);
    if (isWriteToken(lease.token)) {
        const redis::Arg keys[] = {lease.key};
        const redis::Arg argv[] = {lease.token, lease.ttl, ch};
        return resultOf(
            evalChecked(conn_, writeReleaseScript(), keys, argv, lease.key, kWanted).integer());
    }
    const std::string prefix = readerTimeoutPrefix(lease.key, lease.token);
    const std::string base = timeoutBase(lease.key);
    const redis::Arg keys[] = {lease.key, prefix, base};
    const redis::Arg argv[] = {lease.token, ch};
    return resultOf(
        evalChecked(conn_, readReleaseScript(), keys, argv, lease.key, kWanted).integer());
}

bool ReadWriteLock::extend(Lease& lease, milliseconds ttl) {
    if (ttl <= milliseconds(0)) return false;
    const auto now = context_.clock->steadyNow();
    long long renewed = 0;
    if (isWriteToken(lease.token)) {
        const redis::Arg keys[] = {lease.key};
        const redis::Arg argv[] = {ttl, lease.token};
        renewed = evalChecked(conn_, writeRenewScript(), keys, argv, lease.key, kWanted).integer();
    } else {
        const std::string prefix = readerTimeoutPrefix(lease.key, lease.token);
        const redis::Arg keys[] = {lease.key, prefix};
        const redis::Arg argv[] = {ttl, lease.token};
        renewed = evalChecked(conn_, readRenewScript(), keys, argv, lease.key, kWanted).integer();
    }
    if (renewed != 1) return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo ReadWriteLock::inspect(std::string_view key) {
    LockInfo info;
    PrimitiveState s = readPrimitiveState(conn_, key, PrimitiveKind::ReadWriteLock);
    info.ttl = milliseconds(s.ttlMs);
    // The holder string the monitor shows: every holder field, sorted and joined with ','.
    for (const auto& [field, holds] : s.holders) {
        info.holder += (info.holder.empty() ? "" : ",") + field;
        info.holdCount += static_cast<int>(holds);
    }
    info.held = !s.holders.empty();
    info.detail = s.mode.empty() ? "free"
                  : s.mode == "write"
                      ? "write-locked"
                      : "read-locked by " + std::to_string(s.readers.size()) + " reader(s)";
    if (!s.writersWaiting.empty())
        info.detail += ", " + std::to_string(s.writersWaiting.size()) + " writer(s) waiting";
    if (auto other = notOfKind(s, "a read-write lock")) info.detail = *other;
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

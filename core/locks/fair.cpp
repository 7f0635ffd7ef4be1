#include "locks/fair.h"

#include <algorithm>

#include "locks/holder_ops.h"
#include "locks/kind_check.h"
#include "locks/redisson_names.h"
#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// Every script first drops waiters whose deadline passed (and queue entries without one), so a
// dead waiter is gone as soon as anyone looks. Time is the server's.
constexpr std::string_view kPrune = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  redis.call('LREM', KEYS[2], 0, w)
  redis.call('ZREM', KEYS[3], w)
end
while true do
  local head = redis.call('LINDEX', KEYS[2], 0)
  if not head or redis.call('ZSCORE', KEYS[3], head) then break end
  redis.call('LPOP', KEYS[2])
end
)lua";

std::string withPrune(std::string_view body) { return std::string(kPrune) + std::string(body); }

// Before anything (the queue's clean-up too): the key must be an exclusive lock hash or missing —
// a read-write lock or an application's hash is refused, unchanged (kind_check.h). `missing`: what
// to return when it is gone ("" to go on). `queue`: KEYS[2] and KEYS[3] are the queue (a list)
// and the waiters' deadlines (a zset): anything else there is refused too, before any write.
std::string checkedFirst(std::string_view missing, std::string_view body, bool queue = true) {
    std::string check =
        "local kind, detail = ls_kind(KEYS[1], nil, nil)\n"
        "if kind ~= 'none' and kind ~= 'lock-hash' then return ls_refuse(kind, detail) end\n";
    if (queue)
        check +=
            "local bad = ls_companion(KEYS[2], 'list') or ls_companion(KEYS[3], 'zset')\n"
            "if bad then return bad end\n";
    if (!missing.empty())
        check += "if kind == 'none' then return " + std::string(missing) + " end\n";
    return withKindCheck(check + std::string(body));
}

constexpr std::string_view kWanted = "a fair (exclusive) lock of LockScope or Redisson";

// KEYS: lock, queue, timeouts; ARGV: lease ms, field, waiter timeout ms, "1" to queue, unlock
// channel prefix, message.
// {1, holds}: acquired; {0, retry ms}: not now — retry after that long (-1: wait for a message).
// A grant to the head tells the new head: it last asked while second in line, so it would sleep
// to its next renewal, not to this lease's end (a holder that dies publishes nothing).
const redis::Script& acquireScript() {
    static const redis::Script script(checkedFirst("", withPrune(R"lua(
local head = redis.call('LINDEX', KEYS[2], 0)
if redis.call('EXISTS', KEYS[1]) == 0 and (not head or head == ARGV[2]) then
  if head then
    redis.call('LPOP', KEYS[2])
    local nextHead = redis.call('LINDEX', KEYS[2], 0)
    if nextHead then redis.call('PUBLISH', ARGV[5] .. ':' .. nextHead, ARGV[6]) end
  end
  redis.call('ZREM', KEYS[3], ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[2], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {1, 1}
end
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  local holds = redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {1, holds}
end
if ARGV[4] ~= '1' then return {0, -1} end
-- Queue at the tail, or renew our deadline where we stand.
if redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[2])
end
head = redis.call('LINDEX', KEYS[2], 0)
if head == ARGV[2] then return {0, redis.call('PTTL', KEYS[1])} end
return {0, tonumber(redis.call('ZSCORE', KEYS[3], head)) - now}
)lua")));
    return script;
}

// KEYS: lock, queue, timeouts; ARGV: field, lease ms, unlock channel prefix, message.
// 1 released (the head was told), 2 one nested hold released, 0 no such lock, -1 not ours.
const redis::Script& releaseScript() {
    static const redis::Script script(checkedFirst("", withPrune(R"lua(
local function tellHead()
  local head = redis.call('LINDEX', KEYS[2], 0)
  if head then redis.call('PUBLISH', ARGV[3] .. ':' .. head, ARGV[4]) end
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  if redis.call('EXISTS', KEYS[1]) == 0 then
    tellHead()
    return 0
  end
  return -1
end
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
redis.call('DEL', KEYS[1])
tellHead()
return 1
)lua")));
    return script;
}

// A waiter that gives up. KEYS: lock, queue, timeouts; ARGV: field, channel prefix, message.
const redis::Script& leaveScript() {
    static const redis::Script script(
        withKindCheck("local bad = ls_companion(KEYS[2], 'list') or ls_companion(KEYS[3], 'zset')\n"
                      "if bad then return bad end\n" +
                      withPrune(R"lua(
redis.call('LREM', KEYS[2], 0, ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- The release may have told us, not the one behind us: pass it on.
  local head = redis.call('LINDEX', KEYS[2], 0)
  if head then redis.call('PUBLISH', ARGV[2] .. ':' .. head, ARGV[3]) end
end
return 1
)lua")));
    return script;
}

// KEYS[1] = lock; ARGV = lease ms, field. 1 renewed, 0 not ours.
const redis::Script& renewScript() {
    static const redis::Script script(checkedFirst("0", R"lua(
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0
)lua",
                                                   false));
    return script;
}

constexpr std::string_view kUnlockMessage = "0";  // Redisson's LockPubSub.UNLOCK_MESSAGE

}  // namespace

FairLock::FairLock(LockContext context)
    : context_(std::move(context)),
      instanceId_(context_.config.redissonInstanceId.empty() ? redissonInstanceId(context_.owner)
                                                             : context_.config.redissonInstanceId),
      conn_(connectAsOwner(context_)),
      wake_([this] { return connectAsOwner(context_); }) {
    if (context_.config.waiterTimeout < milliseconds(3))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "fair: waiterTimeout must be at least 3 ms");
}

std::string FairLock::fieldForThisThread() const { return redissonThreadField(instanceId_); }

std::string FairLock::waiterChannel(std::string_view key, std::string_view field) {
    return redissonUnlockChannel(key) + ":" + std::string(field);
}

FairLock::Attempt FairLock::attempt(std::string_view key, milliseconds ttl, bool enqueue) {
    if (ttl <= milliseconds(0))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "fair: give a lease (ttl > 0) and extend() it; there is no watchdog");
    const std::string field = fieldForThisThread();
    const std::string queue = fairQueueKey(key), timeouts = fairTimeoutKey(key);
    const auto now = context_.clock->steadyNow();
    const std::string prefix = redissonUnlockChannel(key);
    const redis::Arg keys[] = {key, queue, timeouts};
    const redis::Arg argv[] = {
        ttl, field, context_.config.waiterTimeout, enqueue ? "1" : "0", prefix, kUnlockMessage};
    ++stats_.attempts;
    auto reply = evalChecked(conn_, acquireScript(), keys, argv, key, kWanted);
    Attempt a;
    if (reply.at(0).integer() != 1) {
        a.retryMs = reply.at(1).integer();
        return a;
    }
    Lease lease;
    lease.key = std::string(key);
    lease.token = field;
    lease.ttl = ttl;
    lease.acquiredAt = now;
    lease.validUntil = now + ttl;
    lease.holdCount = static_cast<int>(reply.at(1).integer());
    ++stats_.acquisitions;
    a.lease = std::move(lease);
    return a;
}

std::optional<Lease> FairLock::tryAcquire(std::string_view key, milliseconds ttl) {
    return attempt(key, ttl, false).lease;
}

std::optional<Lease> FairLock::acquire(std::string_view key, milliseconds ttl,
                                       const WaitOptions& wait) {
    if (wait.timeout <= milliseconds(0)) return tryAcquire(key, ttl);
    const auto deadline = Steady::now() + wait.timeout;
    const std::string field = fieldForThisThread();
    // A waiter renews its place three times per timeout: two renewals may be late before it
    // counts as gone.
    const milliseconds renewEvery = std::max(milliseconds(1), context_.config.waiterTimeout / 3);
    auto cancelled = [&] { return wait.cancel && wait.cancel->load(); };

    WakeSubscription subscribed(wake_, waiterChannel(key, field));
    bool queued = false;
    try {
        while (true) {
            Attempt a = attempt(key, ttl, true);
            if (a.lease) return a.lease;
            queued = true;
            if (Steady::now() >= deadline || cancelled()) break;
            // +1 ms: Redis expires a key (or passes a deadline) only once its time has passed.
            const milliseconds next =
                a.retryMs >= 0 ? std::min(renewEvery, milliseconds(a.retryMs + 1)) : renewEvery;
            wake_.waitUntil(std::min(deadline, Steady::now() + next), wait.cancel);
            if (cancelled()) break;
        }
    } catch (...) {
        if (queued) leaveQueue(key, field);
        throw;
    }
    leaveQueue(key, field);
    return std::nullopt;
}

void FairLock::leaveQueue(std::string_view key, const std::string& field) noexcept {
    try {
        const std::string queue = fairQueueKey(key), timeouts = fairTimeoutKey(key);
        const std::string prefix = redissonUnlockChannel(key);
        const redis::Arg keys[] = {key, queue, timeouts};
        const redis::Arg argv[] = {field, prefix, kUnlockMessage};
        conn_.eval(leaveScript(), keys, argv);
    } catch (...) {
        // Unreachable server: our deadline runs out and the next attempt by anyone drops us.
    }
}

ReleaseResult FairLock::release(const Lease& lease) {
    const std::string queue = fairQueueKey(lease.key), timeouts = fairTimeoutKey(lease.key);
    const std::string prefix = redissonUnlockChannel(lease.key);
    const redis::Arg keys[] = {lease.key, queue, timeouts};
    const redis::Arg argv[] = {lease.token, lease.ttl, prefix, kUnlockMessage};
    switch (evalChecked(conn_, releaseScript(), keys, argv, lease.key, kWanted).integer()) {
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

bool FairLock::extend(Lease& lease, milliseconds ttl) {
    if (ttl <= milliseconds(0)) return false;
    const auto now = context_.clock->steadyNow();
    const redis::Arg keys[] = {lease.key};
    const redis::Arg argv[] = {ttl, lease.token};
    if (evalChecked(conn_, renewScript(), keys, argv, lease.key, kWanted).integer() != 1)
        return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo FairLock::inspect(std::string_view key) {
    LockInfo info;
    PrimitiveState s = readPrimitiveState(conn_, key, PrimitiveKind::FairLock);
    info.ttl = milliseconds(s.ttlMs);
    if (!s.holders.empty()) {
        info.held = true;
        info.holder = s.holders.front().first;
        info.holdCount = static_cast<int>(s.holders.front().second);
    }
    info.detail = s.queue.empty() ? "nobody waiting"
                                  : std::to_string(s.queue.size()) + " waiting in the queue";
    if (auto other = notOfKind(s, "a fair lock")) info.detail = *other;
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

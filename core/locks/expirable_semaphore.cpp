#include "locks/expirable_semaphore.h"

#include <algorithm>

#include "locks/kind_check.h"
#include "locks/semaphore.h"
#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

constexpr std::string_view kNow = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
)lua";

std::string withNow(std::string_view body) { return std::string(kNow) + std::string(body); }

// KEYS: permits, leases, meta; ARGV: size for a new semaphore, lease ms, permit id, channel,
// "1" to adopt a bare integer. {1, permits reclaimed}: taken; {0, ms until the nearest lease ends
// (-1: none ends)}. A key of another kind is refused before anything is written (kind_check.h).
const redis::Script& acquireScript() {
    static const redis::Script script(withKindCheck(withNow(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[3], KEYS[2])
if kind == 'none' then
  -- A lease set without its semaphore is not ours to count permits from (nor to delete).
  if redis.call('EXISTS', KEYS[2]) == 1 then return ls_refuse('none', 'leases') end
  if not ls_meta_free(KEYS[3]) then return ls_refuse('none', 'meta') end
  redis.call('SET', KEYS[1], ARGV[1])
  ls_new_record(KEYS[3], 'expirable-semaphore', ARGV[1])
elseif not (kind == 'expirable-semaphore' or
            (kind == 'integer' and detail == '' and ARGV[5] == '1')) then
  return ls_refuse(kind, detail)
end
-- Leases that ran out: their permits come back first.
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('PUBLISH', ARGV[4], redis.call('INCRBY', KEYS[1], #expired))
end
local free = tonumber(redis.call('GET', KEYS[1]))
if free and free >= 1 then
  redis.call('DECR', KEYS[1])
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[3])
  return {1, #expired}
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if first[1] and tonumber(first[2]) < 922337203685477 then
  return {0, tonumber(first[2]) - now}
end
return {0, -1}
)lua")));
    return script;
}

// KEYS: permits, leases, meta; ARGV: permit id, channel. 1 returned, 2 returned but its lease
// had run out, 0 not there (reclaimed after its lease ran out, or never ours).
const redis::Script& releaseScript() {
    static const redis::Script script(withKindCheck(withNow(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[3], KEYS[2])
if kind == 'none' then return 0 end
if kind ~= 'expirable-semaphore' then return ls_refuse(kind, detail) end
local deadline = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not deadline then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[2], redis.call('INCR', KEYS[1]))
if tonumber(deadline) <= now then return 2 end
return 1
)lua")));
    return script;
}

// KEYS: permits, leases, meta; ARGV: permit id, lease ms. 1 renewed, 0 gone or ran out.
const redis::Script& renewScript() {
    static const redis::Script script(withKindCheck(withNow(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[3], KEYS[2])
if kind == 'none' then return 0 end
if kind ~= 'expirable-semaphore' then return ls_refuse(kind, detail) end
local deadline = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not deadline or tonumber(deadline) <= now then return 0 end
redis.call('ZADD', KEYS[2], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
)lua")));
    return script;
}

constexpr std::string_view kWanted = "an expirable semaphore of LockScope or Redisson";

}  // namespace

ExpirableSemaphoreLock::ExpirableSemaphoreLock(LockContext context)
    : context_(std::move(context)),
      conn_(connectAsOwner(context_)),
      wake_([this] { return connectAsOwner(context_); }) {
    if (context_.config.permits < 1)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "expirable-semaphore: permits must be at least 1");
}

ExpirableSemaphoreLock::Attempt ExpirableSemaphoreLock::attempt(std::string_view key,
                                                                milliseconds ttl) {
    if (ttl <= milliseconds(0))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "expirable-semaphore: every permit needs a lease (ttl > 0)");
    const std::string leases = permitLeaseKey(key), meta = lockscopeMetaKey(key);
    const std::string channel = semaphoreChannel(key);
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    ++stats_.attempts;
    const redis::Arg keys[] = {key, leases, meta};
    const redis::Arg argv[] = {context_.config.permits, ttl, lease.token, channel,
                               context_.config.adoptBareCount ? "1" : "0"};
    auto reply = evalChecked(conn_, acquireScript(), keys, argv, key, kWanted);
    Attempt a;
    if (reply.at(0).integer() != 1) {
        a.retryMs = reply.at(1).integer();
        return a;
    }
    lease.validUntil = lease.acquiredAt + ttl;
    ++stats_.acquisitions;
    a.lease = std::move(lease);
    return a;
}

std::optional<Lease> ExpirableSemaphoreLock::tryAcquire(std::string_view key, milliseconds ttl) {
    return attempt(key, ttl).lease;
}

std::optional<Lease> ExpirableSemaphoreLock::acquire(std::string_view key, milliseconds ttl,
                                                     const WaitOptions& wait) {
    if (wait.timeout <= milliseconds(0)) return tryAcquire(key, ttl);
    const auto deadline = Steady::now() + wait.timeout;
    WakeSubscription subscribed(wake_, semaphoreChannel(key));
    while (true) {
        Attempt a = attempt(key, ttl);
        if (a.lease) return a.lease;
        if (Steady::now() >= deadline || (wait.cancel && wait.cancel->load())) return std::nullopt;
        // Woken by a release, or when the nearest lease ends (+1 ms: it must have passed).
        const auto until = a.retryMs >= 0
                               ? std::min(deadline, Steady::now() + milliseconds(a.retryMs + 1))
                               : deadline;
        wake_.waitUntil(until, wait.cancel);
    }
}

ReleaseResult ExpirableSemaphoreLock::release(const Lease& lease) {
    const std::string leases = permitLeaseKey(lease.key), channel = semaphoreChannel(lease.key);
    const std::string meta = lockscopeMetaKey(lease.key);
    const redis::Arg keys[] = {lease.key, leases, meta};
    const redis::Arg argv[] = {lease.token, channel};
    return evalChecked(conn_, releaseScript(), keys, argv, lease.key, kWanted).integer() == 1
               ? ReleaseResult::Released
               : ReleaseResult::NotHeld;
}

bool ExpirableSemaphoreLock::extend(Lease& lease, milliseconds ttl) {
    if (ttl <= milliseconds(0)) return false;
    const auto now = context_.clock->steadyNow();
    const std::string leases = permitLeaseKey(lease.key), meta = lockscopeMetaKey(lease.key);
    const redis::Arg keys[] = {lease.key, leases, meta};
    const redis::Arg argv[] = {lease.token, ttl};
    if (evalChecked(conn_, renewScript(), keys, argv, lease.key, kWanted).integer() != 1)
        return false;
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    return true;
}

LockInfo ExpirableSemaphoreLock::inspect(std::string_view key) {
    LockInfo info;
    PrimitiveState s = readPrimitiveState(conn_, key, PrimitiveKind::ExpirableSemaphore);
    info.ttl = milliseconds(s.ttlMs);
    // A permit whose lease ran out is free (the next acquire takes it back): no holder.
    std::vector<std::string> ids;
    for (const auto& p : s.permits)
        if (!p.expires || p.leaseLeftMs > 0) ids.push_back(p.id);
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) info.holder += (info.holder.empty() ? "" : ",") + id;
    info.held = !ids.empty();
    info.holdCount = static_cast<int>(ids.size());
    info.detail = s.free ? std::to_string(*s.free) +
                               (s.size ? " of " + std::to_string(*s.size) : std::string()) +
                               " permits free"
                         : notOfKind(s, "an expirable semaphore").value_or("no such semaphore");
    if (const long long expired = s.expiredPermits(); expired > 0)
        info.detail += " (" + std::to_string(expired) + " whose lease ran out)";
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

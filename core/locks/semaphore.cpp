#include "locks/semaphore.h"

#include "locks/kind_check.h"
#include "locks/redisson_names.h"
#include "redis/error.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// KEYS: permits, meta; ARGV: size for a new semaphore, "1" to adopt a bare integer, the token.
// 1 taken (the token recorded as "permit:<token>" in the record), 0 none free; a key of another
// kind, or an application's key where the record of a new one goes, is refused (kind_check.h)
// before anything is written. A bare integer adopted has no record: nothing is recorded.
const redis::Script& acquireScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[2], nil)
if kind == 'none' then
  if not ls_meta_free(KEYS[2]) then return ls_refuse('none', 'meta') end
  redis.call('SET', KEYS[1], ARGV[1])
  ls_new_record(KEYS[2], 'semaphore', ARGV[1])
  kind = 'semaphore'
elseif not (kind == 'semaphore' or (kind == 'integer' and detail == '' and ARGV[2] == '1')) then
  return ls_refuse(kind, detail)
end
local free = tonumber(redis.call('GET', KEYS[1]))
if free and free >= 1 then
  redis.call('DECR', KEYS[1])
  if kind == 'semaphore' then redis.call('HSET', KEYS[2], 'permit:' .. ARGV[3], 1) end
  return 1
end
return 0
)lua"));
    return script;
}

// KEYS: permits, meta; ARGV: channel, "1" to adopt a bare integer, the token. The permits free
// afterwards; -1 when all were already back or the semaphore is gone; -2 when the record holds no
// such token (never issued, or given back already): nothing changes; -3 - (tokens still
// recorded) when permits given back by count left tokens behind and those tokens claim every
// permit taken: the token goes, its permit counts as one of those given back
// (client-formats.md#plain-permit-record). A bare integer adopted keeps no record: its release is
// taken on trust (the caller said
// --adopt-bare-count).
const redis::Script& releaseScript() {
    static const redis::Script script(withKindCheck(R"lua(
local kind, detail = ls_kind(KEYS[1], KEYS[2], nil)
if kind == 'none' then return -1 end
if not (kind == 'semaphore' or (kind == 'integer' and detail == '' and ARGV[2] == '1')) then
  return ls_refuse(kind, detail)
end
if kind == 'semaphore' and redis.call('HDEL', KEYS[2], 'permit:' .. ARGV[3]) == 0 then
  return -2
end
local size = tonumber(redis.call('HGET', KEYS[2], 'size'))
local free = tonumber(redis.call('GET', KEYS[1])) or 0
if size and free >= size then return -1 end
if kind == 'semaphore' and size then
  local others = redis.call('HLEN', KEYS[2]) - redis.call('HEXISTS', KEYS[2], 'kind') -
                 redis.call('HEXISTS', KEYS[2], 'size')
  if size - free <= others then return -3 - others end
end
free = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], free)
return free
)lua"));
    return script;
}

constexpr std::string_view kWanted = "a semaphore of LockScope or Redisson";

}  // namespace

std::string permitCountedAsGivenBack(long long others) {
    return "the token is taken out, but no permit goes back: permits were given back by count "
           "(force-release --permits) since it was issued, and the " +
           std::to_string(others) +
           " token(s) still recorded claim every permit taken, so its permit is counted as one of "
           "those given back (never more holders than permits)";
}

std::string semaphoreChannel(std::string_view key) {
    return redissonPrefixName("redisson_sc", key);
}

SemaphoreLock::SemaphoreLock(LockContext context)
    : context_(std::move(context)),
      conn_(connectAsOwner(context_)),
      wake_([this] { return connectAsOwner(context_); }) {
    if (context_.config.permits < 1)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "semaphore: permits must be at least 1");
}

std::optional<Lease> SemaphoreLock::tryAcquire(std::string_view key, milliseconds ttl) {
    const std::string meta = lockscopeMetaKey(key);
    const auto now = context_.clock->steadyNow();
    ++stats_.attempts;
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken(id());
    const redis::Arg keys[] = {key, meta};
    const redis::Arg argv[] = {context_.config.permits, context_.config.adoptBareCount ? "1" : "0",
                               lease.token};
    if (evalChecked(conn_, acquireScript(), keys, argv, key, kWanted).integer() != 1)
        return std::nullopt;
    lease.ttl = ttl;
    lease.acquiredAt = now;
    // A plain permit never runs out: valid for as long as the holder lives.
    lease.validUntil = Steady::time_point::max();
    ++stats_.acquisitions;
    return lease;
}

std::optional<Lease> SemaphoreLock::acquire(std::string_view key, milliseconds ttl,
                                            const WaitOptions& wait) {
    if (wait.timeout <= milliseconds(0)) return tryAcquire(key, ttl);
    const auto deadline = Steady::now() + wait.timeout;
    // Permits come back only by a release, which publishes: nothing to look at in between.
    WakeSubscription subscribed(wake_, semaphoreChannel(key));
    while (true) {
        if (auto lease = tryAcquire(key, ttl)) return lease;
        if (Steady::now() >= deadline || (wait.cancel && wait.cancel->load())) return std::nullopt;
        wake_.waitUntil(deadline, wait.cancel);
    }
}

ReleaseResult SemaphoreLock::release(const Lease& lease) {
    const std::string meta = lockscopeMetaKey(lease.key), channel = semaphoreChannel(lease.key);
    const redis::Arg keys[] = {lease.key, meta};
    const redis::Arg argv[] = {channel, context_.config.adoptBareCount ? "1" : "0", lease.token};
    releaseNote_.clear();
    const long long r =
        evalChecked(conn_, releaseScript(), keys, argv, lease.key, kWanted).integer();
    if (r <= -3) {
        // The hold ended as `lock release --token` ends it (adv14d item 2: --hold said
        // "not-held", exit 1, where lock release said the token is taken out, exit 0).
        releaseNote_ = permitCountedAsGivenBack(-r - 3);
        return ReleaseResult::Released;
    }
    return r < 0 ? ReleaseResult::NotHeld : ReleaseResult::Released;
}

bool SemaphoreLock::holds(const Lease& lease) {
    if (context_.config.adoptBareCount) return true;
    const std::string meta = lockscopeMetaKey(lease.key), field = "permit:" + lease.token;
    return conn_.command({"HEXISTS", meta, field}).integer() == 1;
}

bool SemaphoreLock::isMaster() {
    const auto r = conn_.command({"ROLE"});
    return r.isArray() && r.size() > 0 && r.at(0).str() == "master";
}

LockInfo SemaphoreLock::inspect(std::string_view key) {
    LockInfo info;
    PrimitiveState s = readPrimitiveState(conn_, key, PrimitiveKind::Semaphore);
    info.ttl = milliseconds(s.ttlMs);
    if (auto refused =
            unadoptedBareCount(s, PrimitiveKind::Semaphore, context_.config.adoptBareCount,
                               "semaphore", "RSemaphore")) {
        info.detail = std::move(*refused);
        info.primitive = std::move(s);
        return info;
    }
    const long long taken = s.taken().value_or(s.free && *s.free == 0 ? 1 : 0);
    info.held = taken > 0;
    if (s.free && !s.size && *s.free == 0) {
        // A bare integer at 0 (adopted as a Redisson RSemaphore): no permit free, and with no
        // size nobody can say how many are taken (adv14b item 9: it said "taken:1").
        info.holder = "no permit free";
        info.detail =
            "0 permits free (a bare integer keeps no size: how many are taken is "
            "unknown)";
    } else if (s.free) {
        info.holder = info.held ? plainPermitsHolder(taken, s.size) : "";
        info.holdCount = static_cast<int>(taken);
        info.detail =
            s.size && *s.free > *s.size
                ? std::to_string(*s.free) + " permits free: " + std::to_string(*s.free - *s.size) +
                      " above its size " + std::to_string(*s.size) +
                      " (given back more often than taken, or added by a Redisson client)"
                : std::to_string(*s.free) +
                      (s.size ? " of " + std::to_string(*s.size) : std::string()) + " permits free";
    } else {
        info.detail = notOfKind(s, "a semaphore").value_or("no such semaphore");
    }
    info.primitive = std::move(s);
    return info;
}

}  // namespace lockscope::locks

#include "locks/holder_ops.h"

#include "redis/error.h"
#include "redis/script.h"

namespace lockscope::locks {
namespace {

// KEYS[1] = lock, KEYS[2] = python-redis-lock's signal list (only for a "lock:<name>" key);
// ARGV[1] = holder, ARGV[2] = "del" | "pexpire", ARGV[3] = ttl ms, ARGV[4] = Redisson lock
// channel, ARGV[5] = Redisson read-write lock channel. Channels are not keys: in a cluster every
// key of a script must hash to one slot, and PUBLISH reaches every node anyway.
// Returns {code, holder, type}: 1 done, -1 holder changed, 0 absent, -2 not a lock type,
// -3 no TTL to extend.
const redis::Script& holderOpScript() {
    static const redis::Script script(R"lua(
local key, holder, op = KEYS[1], ARGV[1], ARGV[2]
local t = redis.call('TYPE', key).ok
if t == 'none' then return {0, '', t} end
if t == 'string' then
  local v = redis.call('GET', key)
  if v ~= holder then return {-1, v, t} end
  if op == 'del' then
    redis.call('DEL', key)
    if KEYS[2] then
      -- python-redis-lock wakes its waiters through this list (its own unlock does the same)
      redis.call('DEL', KEYS[2])
      redis.call('LPUSH', KEYS[2], 1)
      redis.call('PEXPIRE', KEYS[2], 1000)
    end
  else
    redis.call('PEXPIRE', key, ARGV[3])
  end
  return {1, v, t}
end
if t == 'hash' then
  local owner = redis.call('HGET', key, 'owner')
  if owner and redis.call('HEXISTS', key, 'beat') == 1 then
    if owner ~= holder then return {-1, owner, t} end
    if op ~= 'del' then return {-3, owner, t} end
    redis.call('DEL', key)
    return {1, owner, t}
  end
  local fields = {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if f ~= 'mode' then fields[#fields + 1] = f end
  end
  table.sort(fields)
  local joined = table.concat(fields, ',')
  if holder ~= 'mode' and (joined == holder or redis.call('HEXISTS', key, holder) == 1) then
    if op == 'del' then
      local rw = redis.call('HEXISTS', key, 'mode') == 1
      redis.call('DEL', key)
      -- Redisson's UNLOCK_MESSAGE, so its waiters retry at once instead of at their timeout
      redis.call('PUBLISH', rw and ARGV[5] or ARGV[4], '0')
    else
      redis.call('PEXPIRE', key, ARGV[3])
    end
    return {1, holder, t}
  end
  return {-1, joined, t}
end
return {-2, '', t}
)lua");
    return script;
}

HolderOpResult run(redis::Connection& c, std::string_view key, std::string_view holder,
                   std::string_view op, long long ttlMs) {
    const std::string signal =
        key.substr(0, 5) == "lock:" ? "lock-signal:" + std::string(key.substr(5)) : std::string();
    const std::string channel = redissonUnlockChannel(key), rwChannel = redissonRwLockChannel(key);
    const redis::Arg args[] = {holder, op, ttlMs, channel, rwChannel};
    const redis::Arg withSignal[] = {key, signal};
    auto reply = [&] {
        if (signal.empty()) return c.eval(holderOpScript(), {withSignal, 1}, args);
        try {
            return c.eval(holderOpScript(), withSignal, args);
        } catch (const redis::Error& e) {
            // A cluster refuses a script whose keys live in different slots before running any of
            // it: act on the lock alone (python-redis-lock waiters then wake at their own timeout).
            if (std::string_view(e.what()).find("CROSSSLOT") == std::string_view::npos) throw;
            return c.eval(holderOpScript(), {withSignal, 1}, args);
        }
    }();
    HolderOpResult r;
    switch (reply[0].integer()) {
        case 1:
            r.outcome = HolderOpResult::Outcome::Done;
            break;
        case -1:
            r.outcome = HolderOpResult::Outcome::HolderChanged;
            break;
        case 0:
            r.outcome = HolderOpResult::Outcome::NotHeld;
            break;
        case -3:
            r.outcome = HolderOpResult::Outcome::NoTtl;
            break;
        default:
            r.outcome = HolderOpResult::Outcome::NotALock;
            break;
    }
    r.currentHolder = std::string(reply[1].str());
    r.type = std::string(reply[2].str());
    return r;
}

}  // namespace

std::string_view outcomeName(HolderOpResult::Outcome o) {
    switch (o) {
        case HolderOpResult::Outcome::Done:
            return "done";
        case HolderOpResult::Outcome::HolderChanged:
            return "holder-changed";
        case HolderOpResult::Outcome::NotHeld:
            return "not-held";
        case HolderOpResult::Outcome::NotALock:
            return "not-a-lock";
        case HolderOpResult::Outcome::NoTtl:
            return "no-ttl";
    }
    return "unknown";
}

std::string redissonRwLockChannel(std::string_view key) {
    if (key.find('{') != std::string_view::npos) return "redisson_rwlock:" + std::string(key);
    return "redisson_rwlock:{" + std::string(key) + "}";
}

std::string redissonUnlockChannel(std::string_view key) {
    // Redisson's prefixName(): a key that already carries a hash tag keeps it as is.
    if (key.find('{') != std::string_view::npos)
        return "redisson_lock__channel:" + std::string(key);
    return "redisson_lock__channel:{" + std::string(key) + "}";
}

HolderOpResult deleteIfHolder(redis::Connection& c, std::string_view key, std::string_view holder) {
    return run(c, key, holder, "del", 0);
}

HolderOpResult extendIfHolder(redis::Connection& c, std::string_view key, std::string_view holder,
                              std::chrono::milliseconds ttl) {
    return run(c, key, holder, "pexpire", ttl.count());
}

}  // namespace lockscope::locks

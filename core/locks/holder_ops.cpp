#include "locks/holder_ops.h"

#include "locks/primitive_ops.h"
#include "redis/error.h"
#include "redis/script.h"

namespace lockscope::locks {
namespace {

// KEYS[1] = the lock; KEYS[2] = python-redis-lock's signal list (PythonRedisLock only).
// ARGV: 1 layout, 2 holder, 3 op (release | force | extend), 4 ttl ms, 5 wall clock now (ms),
// 6 the Redisson channel (the lock's, or the read-write lock's), 7 the Redisson key prefix of the
// read-write lock's timeout keys ("{k}"), 8 the fair lock's queue, 9 its timeout zset, 10 the
// expiry a Timestamp extend writes (decimal: Lua's numbers would print 1.7e+12).
// Channels are not keys: PUBLISH reaches every node of a cluster anyway. The Redisson keys derived
// from the lock's name share its hash slot (the same hash tag), as in Redisson's own scripts.
// Returns {outcome, holder, type[, holds left, holders that remain]}.
const redis::Script& holderOpScript() {
    static const redis::Script script(R"lua(
local key, layout, holder, op = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local ttl, now = tonumber(ARGV[4]), tonumber(ARGV[5])
local t = redis.call('TYPE', key).ok
if t == 'none' then return {'not-held', '', t} end

if layout == 'token' or layout == 'python-redis-lock' or layout == 'timestamp' then
  if t ~= 'string' then return {'wrong-layout', '', t} end
  local v = redis.call('GET', key)
  if v ~= holder then return {'holder-changed', v, t} end
  if op == 'extend' then
    if layout == 'timestamp' then
      -- the expiry lives in the value; a TTL some clients add as well must not cut it short
      local left = redis.call('PTTL', key)
      redis.call('SET', key, ARGV[10], 'KEEPTTL')
      if left >= 0 and left < ttl then redis.call('PEXPIRE', key, ttl) end
      return {'done', ARGV[10], t}
    end
    redis.call('PEXPIRE', key, ttl)
    return {'done', v, t}
  end
  redis.call('DEL', key)
  if KEYS[2] then
    -- python-redis-lock wakes its waiters through this list (its own release does the same)
    redis.call('DEL', KEYS[2])
    redis.call('LPUSH', KEYS[2], 1)
    redis.call('PEXPIRE', KEYS[2], 1000)
  end
  return {'done', v, t}
end

if layout == 'symfony' then
  if t ~= 'zset' then return {'wrong-layout', '', t} end
  -- the holders: tokens whose lease (score) has not run out, sorted
  local function live()
    local list = {}
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. ARGV[5], '+inf')) do
      if m ~= '__write__' then list[#list + 1] = m end
    end
    table.sort(list)
    return list
  end
  local all = live()
  local inTime = {}
  for _, m in ipairs(all) do inTime[m] = true end
  -- one token, or every holder joined with ',' (compared as a set)
  local named = nil
  if inTime[holder] then
    named = {holder}
  elseif #all > 1 then
    local seen, parts = {}, {}
    for part in string.gmatch(holder, '[^,]+') do
      if seen[part] or not inTime[part] then
        parts = nil
        break
      end
      seen[part] = true
      parts[#parts + 1] = part
    end
    if parts and #parts == #all then named = parts end
  end
  if not named then return {'holder-changed', table.concat(all, ','), t} end
  if op == 'release' and #named > 1 then return {'several-holders', table.concat(all, ','), t} end
  local write = redis.call('ZSCORE', key, '__write__')
  if op == 'extend' then
    local at = now + ttl
    for _, m in ipairs(named) do redis.call('ZADD', key, 'XX', at, m) end
    if write then redis.call('ZADD', key, 'XX', at, '__write__') end
  else
    for _, m in ipairs(named) do redis.call('ZREM', key, m) end
    redis.call('ZREM', key, '__write__')
  end
  local latest = redis.call('ZREVRANGE', key, 0, 0, 'WITHSCORES')[2]
  if latest then
    redis.call('PEXPIREAT', key, latest)
  else
    redis.call('DEL', key)
  end
  if op == 'extend' then return {'done', holder, t} end
  return {'done', holder, t, 0, table.concat(live(), ',')}
end

if t ~= 'hash' then return {'wrong-layout', '', t} end
if layout == 'hash-owner' then
  -- the owner field as the classifier picks it: the best rank, then the first normalised name
  -- (lower case, no '_', '-' or ' '), then the first raw name (monitor/classifier.cpp hashOwner)
  local ranks = {owner = 3, holder = 3, lockedby = 3, lockowner = 3, ownerid = 3,
    holderidentity = 3, holderid = 3, acquiredby = 3, heldby = 3, lockholder = 3, lockedbyid = 3,
    worker = 2, workerid = 2, instance = 2, instanceid = 2, client = 2, clientid = 2, node = 2,
    nodeid = 2, nodename = 2, server = 2, servername = 2, process = 2, processname = 2, pod = 2,
    podname = 2, machine = 2, consumer = 2, consumerid = 2,
    host = 1, hostname = 1, pid = 1, processid = 1, thread = 1, threadid = 1, threadname = 1}
  -- the other fields of the holder's identity (classifier.cpp isHashIdentityWord)
  local ids = {token = true, locktoken = true, lockid = true, id = true, nonce = true,
    uuid = true, sessionid = true, session = true, fence = true, fencingtoken = true,
    leaseid = true, acquisitionid = true, user = true, username = true, userid = true, by = true,
    who = true, identity = true, acquiredat = true, acquired = true, lockedat = true,
    since = true, startedat = true, started = true, createdat = true, created = true}
  -- bytewise, as the classifier orders (Lua's '<' follows the server's collation locale)
  local function before(a, b)
    local n = math.min(#a, #b)
    for k = 1, n do
      local x, y = string.byte(a, k), string.byte(b, k)
      if x ~= y then return x < y end
    end
    return #a < #b
  end
  local all = redis.call('HGETALL', key)
  local best, bestRank, bestWord, bestName = nil, 0, nil, nil
  for i = 1, #all, 2 do
    local w = string.lower((string.gsub(all[i], '[-_ ]', '')))
    local r = ranks[w] or 0
    if r > 0 and (r > bestRank or (r == bestRank and (before(w, bestWord) or
        (w == bestWord and before(all[i], bestName))))) then
      best, bestRank, bestWord, bestName = all[i + 1], r, w, all[i]
    end
  end
  if not best then return {'wrong-layout', '', t} end
  -- the whole identity shown: the owner, then '; <name>=<value>' for every other identity field
  -- ordered by normalised name, then raw name (classifier.cpp hashOwner)
  local parts = {}
  for i = 1, #all, 2 do
    local w = string.lower((string.gsub(all[i], '[-_ ]', '')))
    if all[i] ~= bestName and ((ranks[w] or 0) > 0 or ids[w]) then
      parts[#parts + 1] = {w, all[i], all[i + 1]}
    end
  end
  table.sort(parts, function(a, b)
    if a[1] ~= b[1] then return before(a[1], b[1]) end
    return before(a[2], b[2])
  end)
  -- '\\', ';' and '=' inside a name or value escaped with a backslash (classifier.cpp
  -- escapeHolderPart): an owner "web-1; pid=7" is not the owner web-1 beside a pid field
  local function esc(v) return (string.gsub(v, '[\\;=]', '\\%0')) end
  best = esc(best)
  for _, p in ipairs(parts) do best = best .. '; ' .. esc(p[2]) .. '=' .. esc(p[3]) end
  if best ~= holder then return {'holder-changed', best, t} end
  if op == 'extend' then
    redis.call('PEXPIRE', key, ttl)
  else
    redis.call('DEL', key)
  end
  return {'done', best, t}
end
if layout == 'heartbeat' then
  local owner = redis.call('HGET', key, 'owner')
  if not owner then return {'wrong-layout', '', t} end
  if owner ~= holder then return {'holder-changed', owner, t} end
  if op == 'extend' then return {'cannot-extend', owner, t} end
  redis.call('DEL', key)
  return {'done', owner, t}
end

local rw = layout == 'redisson-rw'
local mode = redis.call('HGET', key, 'mode')
if rw ~= (mode ~= false) then return {'wrong-layout', '', t} end
local function holders()
  local list = {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    if f ~= 'mode' then list[#list + 1] = f end
  end
  table.sort(list)
  return list
end
local all = holders()
-- The fields the holder names: one field, or every holder joined with ',' (compared as a set).
local named = nil
if holder ~= 'mode' and redis.call('HEXISTS', key, holder) == 1 then
  named = {holder}
elseif #all > 1 then
  local seen, parts = {}, {}
  for part in string.gmatch(holder, '[^,]+') do
    if part == 'mode' or seen[part] or redis.call('HEXISTS', key, part) == 0 then
      parts = nil
      break
    end
    seen[part] = true
    parts[#parts + 1] = part
  end
  if parts and #parts == #all then named = parts end
end
if not named then return {'holder-changed', table.concat(all, ','), t} end
if op == 'release' and #named > 1 then return {'several-holders', table.concat(all, ','), t} end

local function isWriter(f) return string.sub(f, -6) == ':write' end
local function timeoutKey(f, i) return ARGV[7] .. ':' .. f .. ':rwlock_timeout:' .. i end

if op == 'extend' then
  local left = redis.call('PTTL', key)
  if rw then
    for _, f in ipairs(named) do
      local n = tonumber(redis.call('HGET', key, f)) or 0
      if not isWriter(f) then
        for i = 1, n do redis.call('PEXPIRE', timeoutKey(f, i), ttl) end
      end
    end
  end
  -- holders not named keep at least the lease they had
  if #named < #all then ttl = math.max(left, ttl) end
  redis.call('PEXPIRE', key, ttl)
  return {'done', holder, t}
end

local wake, holdsLeft = '0', 0
if op == 'release' then
  -- as the holder's own unlock: give back one hold
  local f = named[1]
  holdsLeft = redis.call('HINCRBY', key, f, -1)
  if holdsLeft <= 0 then
    holdsLeft = 0
    redis.call('HDEL', key, f)
  end
  if rw and isWriter(f) then wake = '1' end
  if rw and not isWriter(f) then redis.call('DEL', timeoutKey(f, holdsLeft + 1)) end
else
  -- the operator's: the holder goes entirely, with every hold it had
  for _, f in ipairs(named) do
    local n = tonumber(redis.call('HGET', key, f)) or 0
    redis.call('HDEL', key, f)
    if rw and isWriter(f) then wake = '1' end
    if rw and not isWriter(f) then
      for i = 1, n do redis.call('DEL', timeoutKey(f, i)) end
    end
  end
end

local rest = holders()
if #rest == 0 then
  redis.call('DEL', key)
  if layout == 'redisson-fair' then
    -- RedissonFairLock's unlock: drop waiters whose wait ran out, wake the first one left
    while true do
      local first = redis.call('LINDEX', ARGV[8], 0)
      if not first then break end
      local timeout = tonumber(redis.call('ZSCORE', ARGV[9], first))
      if timeout == nil or timeout > now then break end
      redis.call('ZREM', ARGV[9], first)
      redis.call('LPOP', ARGV[8])
    end
    local nextWaiter = redis.call('LINDEX', ARGV[8], 0)
    if nextWaiter then redis.call('PUBLISH', ARGV[6] .. ':' .. nextWaiter, '0') end
  else
    -- Redisson's UNLOCK_MESSAGE ("0": one waiter) or, after a writer, READ_UNLOCK_MESSAGE ("1": all)
    redis.call('PUBLISH', ARGV[6], wake)
  end
  return {'done', holder, t, 0, ''}
end

if rw then
  local writer = false
  for _, f in ipairs(rest) do
    if isWriter(f) then writer = true end
  end
  if mode == 'write' and not writer then
    -- the writer's own read holds remain: it goes on as a read lock, other readers may join
    redis.call('HSET', key, 'mode', 'read')
    redis.call('PUBLISH', ARGV[6], '1')
  end
  if not writer then
    -- a read lock lives as long as its longest remaining reader lease
    local longest = -3
    for _, f in ipairs(rest) do
      local n = tonumber(redis.call('HGET', key, f))
      if n then
        for i = n, 1, -1 do longest = math.max(longest, redis.call('PTTL', timeoutKey(f, i))) end
      end
    end
    if longest > 0 then redis.call('PEXPIRE', key, longest) end
  end
end
if holdsLeft > 0 then return {'still-held', holder, t, holdsLeft, table.concat(rest, ',')} end
return {'done', holder, t, 0, table.concat(rest, ',')}
)lua");
    return script;
}

std::string_view layoutArg(HolderLayout l) {
    switch (l) {
        case HolderLayout::Token:
            return "token";
        case HolderLayout::PythonRedisLock:
            return "python-redis-lock";
        case HolderLayout::Timestamp:
            return "timestamp";
        case HolderLayout::Heartbeat:
            return "heartbeat";
        case HolderLayout::RedissonLock:
            return "redisson";
        case HolderLayout::RedissonFairLock:
            return "redisson-fair";
        case HolderLayout::RedissonRwLock:
            return "redisson-rw";
        case HolderLayout::SymfonyLock:
            return "symfony";
        case HolderLayout::HashOwner:
            return "hash-owner";
        case HolderLayout::Semaphore:
            return "semaphore";
        case HolderLayout::ExpirableSemaphore:
            return "expirable-semaphore";
        case HolderLayout::Latch:
            return "latch";
    }
    return "token";
}

std::string_view opArg(HolderOp op) {
    switch (op) {
        case HolderOp::Release:
            return "release";
        case HolderOp::ForceRelease:
            return "force";
        case HolderOp::Extend:
            return "extend";
    }
    return "release";
}

// Redisson's prefixName() / suffixName(): a key that already carries a hash tag keeps it as is.
std::string braced(std::string_view key) {
    if (key.find('{') != std::string_view::npos) return std::string(key);
    return "{" + std::string(key) + "}";
}

HolderOpResult::Outcome outcomeOf(std::string_view code) {
    using O = HolderOpResult::Outcome;
    if (code == "done") return O::Done;
    if (code == "still-held") return O::StillHeld;
    if (code == "holder-changed") return O::HolderChanged;
    if (code == "wrong-layout") return O::WrongLayout;
    if (code == "cannot-extend") return O::CannotExtend;
    if (code == "several-holders") return O::SeveralHolders;
    return O::NotHeld;
}

}  // namespace

std::string_view outcomeName(HolderOpResult::Outcome o) {
    switch (o) {
        case HolderOpResult::Outcome::Done:
            return "done";
        case HolderOpResult::Outcome::StillHeld:
            return "still-held";
        case HolderOpResult::Outcome::HolderChanged:
            return "holder-changed";
        case HolderOpResult::Outcome::NotHeld:
            return "not-held";
        case HolderOpResult::Outcome::WrongLayout:
            return "wrong-layout";
        case HolderOpResult::Outcome::CannotExtend:
            return "cannot-extend";
        case HolderOpResult::Outcome::SeveralHolders:
            return "several-holders";
    }
    return "unknown";
}

std::string redissonRwLockChannel(std::string_view key) { return "redisson_rwlock:" + braced(key); }

std::string redissonUnlockChannel(std::string_view key) {
    return "redisson_lock__channel:" + braced(key);
}

HolderOpResult applyHolderOp(redis::Connection& c, HolderLayout layout, HolderOp op,
                             std::string_view key, std::string_view holder,
                             std::chrono::milliseconds ttl, long long wallNowMs, long long permits,
                             bool adoptBareCount) {
    // Semaphores and latches have rules of their own (primitive_ops.h).
    if (layout == HolderLayout::Semaphore || layout == HolderLayout::ExpirableSemaphore ||
        layout == HolderLayout::Latch)
        return primitiveHolderOp(c, layout, op, key, holder, ttl, permits, adoptBareCount);
    const bool signals = layout == HolderLayout::PythonRedisLock && key.substr(0, 5) == "lock:";
    const std::string signal = signals ? "lock-signal:" + std::string(key.substr(5)) : "";
    const std::string name = braced(key);
    const std::string channel = layout == HolderLayout::RedissonRwLock ? redissonRwLockChannel(key)
                                                                       : redissonUnlockChannel(key);
    const std::string queue = "redisson_lock_queue:" + name;
    const std::string timeouts = "redisson_lock_timeout:" + name;
    const std::string expiry = std::to_string(wallNowMs + ttl.count());
    const redis::Arg args[] = {layoutArg(layout), holder, opArg(op), ttl.count(), wallNowMs,
                               channel,           name,   queue,     timeouts,    expiry};
    const redis::Arg keys[] = {key, signal};
    auto reply = [&] {
        if (!signals) return c.eval(holderOpScript(), {keys, 1}, args);
        try {
            return c.eval(holderOpScript(), keys, args);
        } catch (const redis::Error& e) {
            // A cluster refuses a script whose keys live in different slots before running any of
            // it: act on the lock alone (python-redis-lock waiters then wake at their own timeout).
            if (std::string_view(e.what()).find("CROSSSLOT") == std::string_view::npos) throw;
            return c.eval(holderOpScript(), {keys, 1}, args);
        }
    }();
    HolderOpResult r;
    r.outcome = outcomeOf(reply[0].str());
    r.currentHolder = std::string(reply[1].str());
    r.type = std::string(reply[2].str());
    if (reply.size() > 3) r.holdsLeft = reply[3].integer();
    if (reply.size() > 4) r.others = std::string(reply[4].str());
    return r;
}

}  // namespace lockscope::locks

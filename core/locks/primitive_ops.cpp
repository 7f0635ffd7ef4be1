#include "locks/primitive_ops.h"

#include <algorithm>
#include <unordered_set>

#include "locks/kind_check.h"
#include "locks/latch.h"
#include "locks/owner.h"
#include "locks/primitive_state.h"
#include "locks/semaphore.h"
#include "redis/script.h"

namespace lockscope::locks {
namespace {

// KEYS: key, lockscope_meta, lease set. ARGV: layout, holder, op, ttl ms, semaphore channel,
// latch channel, permits to return (semaphore force-release), "1" to adopt a bare integer, then
// (a give-back by count) the recorded tokens whose holders are not connected.
// {outcome, current holder, type, what the key is when it is not of the layout} with holder_ops'
// outcome names. The key must be of the layout by the monitor's own rules (kind_check.h), checked
// in this same script.
const redis::Script& script() {
    static const redis::Script s(withKindCheck(R"lua(
local key, layout, holder, op = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local t = redis.call('TYPE', key).ok
local kind, detail = ls_kind(key, KEYS[2], KEYS[3])
if kind == 'none' then return {'not-held', '', t, ''} end
if layout == 'semaphore' and kind == 'integer' and detail == '' and ARGV[8] == '1' and
   op ~= 'extend' and string.sub(holder, 1, 20) == 'lockscope:semaphore:' then
  -- A bare integer the caller says is a Redisson RSemaphore: no record, no size to check the
  -- token or the count against — one permit back on trust (as SemaphoreLock::release adopted).
  redis.call('PUBLISH', ARGV[5], redis.call('INCR', key))
  return {'done', holder, t, ''}
end
if kind ~= layout then return {'wrong-layout', '', t, kind .. ' ' .. detail} end
local value = tonumber(redis.call('GET', key))
local size = tonumber(redis.call('HGET', KEYS[2], 'size'))
local sizeText = size and ('/' .. size) or ''
if layout == 'latch' then
  local now = 'count:' .. value .. sizeText
  if holder ~= now then return {'holder-changed', now, t, ''} end
  if op == 'extend' then return {'cannot-extend', now, t, ''} end
  redis.call('DEL', key, KEYS[2])
  redis.call('PUBLISH', ARGV[6], '0')
  return {'done', now, t, ''}
end
if layout == 'semaphore' then
  local taken = math.max(0, size - value)
  local now = 'taken:' .. taken .. sizeText
  if op == 'extend' then return {'cannot-extend', now, t, ''} end
  -- By the token `lock acquire` printed (release, or force-release of that one permit): one
  -- permit comes back, once, and only for a token the record holds (acquire recorded it), never
  -- past the size (as SemaphoreLock::release does).
  if (op == 'release' or op == 'force') and string.sub(holder, 1, 20) == 'lockscope:semaphore:' then
    if redis.call('HDEL', KEYS[2], 'permit:' .. holder) == 0 then
      return {'not-issued', now, t, ''}
    end
    -- Permits given back by count left tokens behind (nobody can tell whose permits they were):
    -- while the tokens still recorded claim every permit taken, this token's permit is counted
    -- as one of those already given back — the token goes, the count stays
    -- (client-formats.md#plain-permit-record). Never more holders than permits.
    local others = redis.call('HLEN', KEYS[2]) - redis.call('HEXISTS', KEYS[2], 'kind') -
                   redis.call('HEXISTS', KEYS[2], 'size')
    if taken <= others then return {'already-back', now, t, tostring(others)} end
    redis.call('PUBLISH', ARGV[5], redis.call('INCR', key))
    return {'done', now, t, ''}
  end
  if holder ~= now then return {'holder-changed', now, t, ''} end
  if taken == 0 then return {'not-held', now, t, ''} end
  -- Exactly the number the operator chose, never more than are taken (the compare above saw
  -- them taken).
  local k = math.min(tonumber(ARGV[7]) or 1, taken)
  redis.call('PUBLISH', ARGV[5], redis.call('INCRBY', key, k))
  local removed = 0
  if k == taken then
    -- Every permit is back: no token recorded can still hold one.
    for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do
      if string.sub(f, 1, 7) == 'permit:' then redis.call('HDEL', KEYS[2], f) end
    end
  else
    -- The permits given back are those of holders that are gone: up to k of the recorded tokens
    -- whose owners CLIENT LIST did not name (ARGV[9]...) go with them, so a live holder's token
    -- keeps its permit (client-formats.md#plain-permit-record; adv14d item 2).
    for i = 9, #ARGV do
      if removed >= k then break end
      removed = removed + redis.call('HDEL', KEYS[2], 'permit:' .. ARGV[i])
    end
  end
  return {'done', now, t, tostring(removed)}
end
-- An expirable semaphore (LockScope's, or Redisson's with its lease set). Leases that ran out
-- are free: taken back first, as every acquire does, so the holders compared are the live ones
-- (the monitor's holder names only those).
local tm = redis.call('TIME')
local now = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
if redis.call('ZCOUNT', KEYS[3], '-inf', now) > 0 then
  local back = redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  redis.call('PUBLISH', ARGV[5], redis.call('INCRBY', key, back))
end
local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
table.sort(ids)
local all = table.concat(ids, ',')
if #ids == 0 then return {'not-held', '', t, ''} end
local chosen = {}
if holder == all then
  chosen = ids
elseif redis.call('ZSCORE', KEYS[3], holder) then
  chosen = {holder}
else
  return {'holder-changed', all, t, ''}
end
if op == 'extend' then
  for _, id in ipairs(chosen) do
    redis.call('ZADD', KEYS[3], 'XX', now + tonumber(ARGV[4]), id)
  end
  return {'done', holder, t, ''}
end
for _, id in ipairs(chosen) do redis.call('ZREM', KEYS[3], id) end
redis.call('PUBLISH', ARGV[5], redis.call('INCRBY', key, #chosen))
return {'done', holder, t, ''}
)lua"));
    return s;
}

std::string_view layoutArg(HolderLayout l) {
    switch (l) {
        case HolderLayout::Semaphore:
            return "semaphore";
        case HolderLayout::Latch:
            return "latch";
        default:
            return "expirable-semaphore";
    }
}

std::string_view opArg(HolderOp op) {
    switch (op) {
        case HolderOp::Extend:
            return "extend";
        case HolderOp::Release:
            return "release";
        case HolderOp::ForceRelease:
            break;
    }
    return "force";
}

HolderOpResult::Outcome outcomeOf(std::string_view code) {
    using O = HolderOpResult::Outcome;
    if (code == "done") return O::Done;
    if (code == "holder-changed") return O::HolderChanged;
    if (code == "wrong-layout") return O::WrongLayout;
    if (code == "cannot-extend") return O::CannotExtend;
    return O::NotHeld;
}

// Connected client names in CLIENT LIST output ("... name=<name> ...", one client a line).
std::unordered_set<std::string> clientNames(std::string_view text) {
    std::unordered_set<std::string> names;
    while (!text.empty()) {
        const auto eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        const auto at = line.find(" name=");
        if (at == std::string_view::npos) continue;
        line.remove_prefix(at + 6);
        names.emplace(line.substr(0, line.find(' ')));
    }
    return names;
}

}  // namespace

std::vector<RecordedPermit> recordedPermits(redis::Connection& c, std::string_view key) {
    std::vector<RecordedPermit> out;
    auto fields = c.raw({"HKEYS", lockscopeMetaKey(key)});
    if (!fields.isArray()) return out;
    auto list = c.raw({"CLIENT", "LIST"});
    std::optional<std::unordered_set<std::string>> names;
    if (!list.isError()) names = clientNames(list.str());
    for (size_t i = 0; i < fields.size(); ++i) {
        const std::string_view f = fields.at(i).str();
        if (f.substr(0, 7) != "permit:") continue;
        RecordedPermit p;
        p.token = std::string(f.substr(7));
        if (const auto t = parseToken(p.token)) {
            p.host = t->host;
            p.pid = t->pid;
            if (names) p.connected = names->contains(t->clientName());
        }
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(),
              [](const RecordedPermit& a, const RecordedPermit& b) { return a.token < b.token; });
    return out;
}

HolderOpResult primitiveHolderOp(redis::Connection& c, HolderLayout layout, HolderOp op,
                                 std::string_view key, std::string_view holder,
                                 std::chrono::milliseconds ttl, long long permits,
                                 bool adoptBareCount) {
    const std::string meta = lockscopeMetaKey(key), leases = permitLeaseKey(key);
    const std::string semaphore = semaphoreChannel(key), latch = CountDownLatch::channel(key);
    const redis::Arg keys[] = {key, meta, leases};
    std::vector<redis::Arg> argv = {
        layoutArg(layout), holder, opArg(op), ttl.count(),
        semaphore,         latch,  permits,   adoptBareCount ? "1" : "0"};
    // A give-back by count: the tokens of holders no longer connected go with the permits.
    std::vector<std::string> gone;
    if (layout == HolderLayout::Semaphore && op == HolderOp::ForceRelease &&
        parsePlainPermitsHolder(holder)) {
        for (auto& p : recordedPermits(c, key))
            if (p.connected && !*p.connected) gone.push_back(std::move(p.token));
        for (const auto& g : gone) argv.emplace_back(g);
    }
    auto reply = c.eval(script(), keys, argv);
    HolderOpResult r;
    r.outcome = outcomeOf(reply.at(0).str());
    r.currentHolder = std::string(reply.at(1).str());
    r.type = std::string(reply.at(2).str());
    if (reply.at(0).str() == "already-back") {
        r.outcome = HolderOpResult::Outcome::Done;
        r.seen = permitCountedAsGivenBack(std::stoll(std::string(reply.at(3).str())));
    }
    if (!gone.empty() && r.outcome == HolderOpResult::Outcome::Done) {
        const std::string removed(reply.at(3).str());
        if (removed != "" && removed != "0")
            r.seen = "the record's tokens of " + removed +
                     " holder(s) no longer connected went with them (`lock inspect` lists the "
                     "tokens still recorded)";
    }
    if (reply.at(0).str() == "not-issued") {
        r.outcome = HolderOpResult::Outcome::HolderChanged;
        r.seen =
            "no permit taken with this token is recorded (never issued by LockScope, or given back "
            "already): nothing changed. A permit that leaked (its holder gone, or taken by a "
            "Redisson client, which keeps no token) is given back by force-release --holder "
            "taken:<n>/<size> --permits <k>";
    }
    if (r.outcome == HolderOpResult::Outcome::WrongLayout) {
        const std::string seen(reply.at(3).str());
        const auto space = seen.find(' ');
        r.seen = describeKind(seen.substr(0, space),
                              space == std::string::npos ? "" : seen.substr(space + 1));
    }
    return r;
}

}  // namespace lockscope::locks

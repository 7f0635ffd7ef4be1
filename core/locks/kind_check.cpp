#include "locks/kind_check.h"

#include <optional>

#include "redis/error.h"
#include "util/text.h"

namespace lockscope::locks {
namespace {

// Keep in step with kind_check.h's table (and the monitor's rules: classifier.cpp's
// isRedissonField, primitive_formats.cpp's matchPrimitive).
constexpr std::string_view kLua = R"lua(
-- As Redis reads an integer: no sign but '-', no leading zeros, no "-0".
local function ls_int(v)
  return type(v) == 'string' and #v <= 18 and
         (v == '0' or v:match('^%-?[1-9]%d*$') ~= nil)
end
local ls_uuid = '^%x%x%x%x%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x:%d+'
local function ls_field(f)
  return f:match(ls_uuid .. '$') ~= nil or f:match(ls_uuid .. ':write$') ~= nil
end
local function ls_permit(id)
  return (#id >= 16 and #id <= 64 and id:match('^%x+$') ~= nil) or
         id:match('^lockscope:expirable%-semaphore:') ~= nil
end
-- Every member up to kLeaseIdsChecked (10000, kind_check.h says why not all), 1000 at a time.
local function ls_leases_ok(leases)
  local n = math.min(redis.call('ZCARD', leases), 10000)
  for from = 0, n - 1, 1000 do
    for _, id in ipairs(redis.call('ZRANGE', leases, from, math.min(from + 999, n - 1))) do
      if not ls_permit(id) then return false end
    end
  end
  return true
end
local function ls_kind(key, meta, leases)
  local t = redis.call('TYPE', key).ok
  if t == 'none' then return 'none', '' end
  if t == 'string' then
    local v = redis.call('GET', key)
    if not ls_int(v) then return 'string', '' end
    local n = tonumber(v)
    local mk, ms = false, false
    if meta and redis.call('TYPE', meta).ok == 'hash' then
      mk = redis.call('HGET', meta, 'kind')
      ms = redis.call('HGET', meta, 'size')
    elseif meta and redis.call('EXISTS', meta) == 1 then
      return 'integer', 'bad-meta'
    end
    local lt = leases and redis.call('TYPE', leases).ok or 'none'
    if mk == 'semaphore' or mk == 'latch' or mk == 'expirable-semaphore' then
      if not ls_int(ms) or tonumber(ms) < 1 or n < 0 then return 'integer', 'bad-meta' end
      if mk == 'latch' then
        if n < 1 or n > tonumber(ms) then return 'integer', 'bad-meta' end
        return 'latch', ''
      end
      if mk == 'semaphore' then return 'semaphore', '' end
      if lt ~= 'none' and (lt ~= 'zset' or not ls_leases_ok(leases)) then
        return 'integer', 'bad-leases'
      end
      return 'expirable-semaphore', ''
    end
    if mk then return 'integer', 'meta:' .. mk end
    if lt == 'zset' then
      if n >= 0 and ls_leases_ok(leases) then return 'expirable-semaphore', 'redisson' end
      return 'integer', 'bad-leases'
    end
    return 'integer', ''
  end
  if t == 'hash' then
    if redis.call('HLEN', key) > 1000 then return 'hash', '' end
    local all = redis.call('HGETALL', key)
    local mode = false
    for i = 1, #all, 2 do
      if all[i] == 'mode' then
        mode = all[i + 1]
      elseif not ls_field(all[i]) or not ls_int(all[i + 1]) then
        return 'hash', ''
      end
    end
    if mode then
      if (mode == 'read' or mode == 'write') and #all > 2 then return 'read-write', mode end
      return 'hash', ''
    end
    return 'lock-hash', ''
  end
  return t, ''
end
local function ls_refuse(kind, detail)
  return redis.error_reply('LOCKSCOPE_KIND ' .. kind .. ' ' .. detail)
end
-- A companion key (a queue, a claims or lease set, a reader's lease) must be missing or of the
-- type LockScope and Redisson keep there: otherwise the refusal, before anything is written.
local function ls_companion(key, want)
  local t = redis.call('TYPE', key).ok
  if t == 'none' or t == want then return nil end
  return redis.error_reply('LOCKSCOPE_COMPANION ' .. t .. ' ' .. want .. ' ' .. key)
end
-- Whether lockscope_meta:{k} may be (re)written for a synchroniser created where nothing is:
-- only when it is missing or exactly LockScope's record ({kind, size}, and a plain semaphore's
-- "permit:<token>" fields) — an application's key there is refused (ls_refuse('none', 'meta')).
local function ls_meta_free(meta)
  local t = redis.call('TYPE', meta).ok
  if t == 'none' then return true end
  if t ~= 'hash' then return false end
  local all = redis.call('HGETALL', meta)
  local kind, size = false, false
  for i = 1, #all, 2 do
    local f, v = all[i], all[i + 1]
    if f == 'kind' then
      kind = v
    elseif f == 'size' then
      size = v
    elseif not (f:sub(1, 7) == 'permit:' and v == '1') then
      return false
    end
  end
  return (kind == 'semaphore' or kind == 'expirable-semaphore' or kind == 'latch') and
         ls_int(size)
end
local function ls_new_record(meta, kind, size)
  redis.call('DEL', meta)
  redis.call('HSET', meta, 'kind', kind, 'size', size)
end
)lua";

constexpr std::string_view kRefusalPrefix = "LOCKSCOPE_KIND ";
constexpr std::string_view kCompanionPrefix = "LOCKSCOPE_COMPANION ";

std::string quoted(std::string_view key) { return "`" + displayBytes(std::string(key)) + "`"; }

}  // namespace

std::string_view kindCheckLua() { return kLua; }

std::string withKindCheck(std::string_view body) { return std::string(kLua) + std::string(body); }

std::string describeKind(std::string_view kind, std::string_view detail) {
    if (kind == "none" && detail == "meta")
        return "missing, with a lockscope_meta:{key} beside it that is not LockScope's record "
               "(another application's key, or a record changed by hand)";
    if (kind == "none")
        return detail == "leases"
                   ? "missing, with a {key}:timeout beside it (a lease set without its semaphore, "
                     "or another application's key)"
                   : "missing (no such key)";
    if (kind == "semaphore") return "a semaphore (LockScope's, with its size record)";
    if (kind == "expirable-semaphore")
        return detail == "redisson" ? "an expirable semaphore (Redisson's layout)"
                                    : "an expirable semaphore";
    if (kind == "latch") return "a latch";
    if (kind == "integer") {
        std::string s = "a string holding an integer";
        if (detail == "bad-meta")
            s += " whose lockscope_meta record does not fit it (damaged, or out of range)";
        else if (detail.substr(0, 5) == "meta:")
            s += " whose lockscope_meta record names an unknown kind '" +
                 displayBytes(std::string(detail.substr(5))) + "'";
        else if (detail == "bad-leases")
            s += " beside a {key}:timeout that is not a lease set of permit ids";
        return s;
    }
    if (kind == "string") return "a string that is not an integer";
    if (kind == "read-write") return "a read-write lock (mode " + std::string(detail) + ")";
    if (kind == "lock-hash")
        return "an exclusive lock hash (Redisson RLock or fair lock, LockScope reentrant or fair)";
    if (kind == "hash") return "a hash that is not a lock of LockScope or Redisson";
    return "a " + std::string(kind);
}

std::string kindRefusal(std::string_view key, std::string_view kind, std::string_view detail,
                        std::string_view wanted) {
    std::string s =
        quoted(key) + " is " + describeKind(kind, detail) + ", not " + std::string(wanted);
    s += ": nothing changed";
    if (kind == "integer" && detail.empty())
        s += " (a Redisson RSemaphore or RCountDownLatch is a bare integer too, and nothing tells "
             "one from a counter; if you know this one is, --adopt-bare-count uses it as one)";
    return s;
}

bool isScriptError(std::string_view message) {
    return message.find("Error running script") != std::string_view::npos ||
           message.find("@user_script:") != std::string_view::npos;
}

std::string readableScriptError(std::string_view message) {
    // Redis 7: "ERR Error running script (call to f_<sha>): @user_script:12: <error>";
    // Redis 6: "ERR Error running script (call to f_<sha>): @user_script:12: <error> script: …".
    // Redis 7, an error from a command the script called: "<error> script: <sha>, on
    // @user_script:12." (the error's own code first: WRONGTYPE, READONLY, ERR …).
    constexpr std::string_view kRunning = "Error running script";
    if (message.find(kRunning) == std::string_view::npos) {
        const auto script = message.find(" script: ");
        if (script == std::string_view::npos ||
            message.find("@user_script:", script) == std::string_view::npos)
            return std::string(message);
        return std::string(message.substr(0, script));
    }
    std::string_view rest = message;
    if (auto at = rest.find("@user_script:"); at != std::string_view::npos) {
        rest = rest.substr(at + 13);
        if (auto colon = rest.find(": "); colon != std::string_view::npos)
            rest = rest.substr(colon + 2);
    } else if (auto close = rest.find("): "); close != std::string_view::npos) {
        rest = rest.substr(close + 3);
    }
    if (auto script = rest.find(" script: "); script != std::string_view::npos)
        rest = rest.substr(0, script);
    return std::string(rest);
}

redis::Error scriptError(const redis::Connection& c, const redis::Error& e, std::string_view key) {
    const std::string readable = readableScriptError(e.what());
    const redis::ErrorKind kind =
        e.kind() == redis::ErrorKind::Server ? redis::classifyServerError(readable) : e.kind();
    if (kind == redis::ErrorKind::ReadOnly)
        return redis::Error(kind, quoted(key) + ": " + c.endpoint().display() +
                                      " is a read-only replica; connect to the master (nothing "
                                      "changed)");
    // Connection::eval has dropped Redis 7's "script: <sha>, on @user_script:N." already.
    return redis::Error(kind, quoted(key) + ": the server stopped LockScope's script: " + readable);
}

redis::Reply evalChecked(redis::Connection& c, const redis::Script& script,
                         std::span<const redis::Arg> keys, std::span<const redis::Arg> argv,
                         std::string_view key, std::string_view wanted) {
    try {
        return c.eval(script, keys, argv);
    } catch (const redis::Error& e) {
        const std::string_view m = e.what();
        if (m.substr(0, kRefusalPrefix.size()) == kRefusalPrefix) {
            std::string_view rest = m.substr(kRefusalPrefix.size());
            const auto space = rest.find(' ');
            const std::string_view kind = rest.substr(0, space);
            const std::string_view detail =
                space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
            throw redis::Error(redis::ErrorKind::WrongType, kindRefusal(key, kind, detail, wanted));
        }
        if (m.substr(0, kCompanionPrefix.size()) == kCompanionPrefix) {
            // "<type> <wanted type> <companion key>" (the key last: it may hold spaces).
            std::string_view rest = m.substr(kCompanionPrefix.size());
            const auto a = rest.find(' ');
            const auto b = rest.find(' ', a + 1);
            const std::string_view type = rest.substr(0, a);
            const std::string_view want = rest.substr(a + 1, b - a - 1);
            const std::string_view companion = rest.substr(b + 1);
            throw redis::Error(redis::ErrorKind::WrongType,
                               quoted(companion) + " beside " + quoted(key) + " is a " +
                                   std::string(type) + ", where " + std::string(wanted) +
                                   " keeps a " + std::string(want) +
                                   " (another application's key?): nothing changed");
        }
        if (isScriptError(m) || e.kind() == redis::ErrorKind::ReadOnly)
            throw scriptError(c, e, key);
        throw;
    }
}

namespace {

// As ls_int: as Redis reads an integer (no leading zeros, no "-0").
bool isInt(std::string_view v) {
    if (v.empty() || v.size() > 18) return false;
    if (v == "0") return true;
    size_t i = v[0] == '-' ? 1 : 0;
    if (i == v.size() || v[i] == '0') return false;
    for (; i < v.size(); ++i)
        if (v[i] < '0' || v[i] > '9') return false;
    return true;
}

bool isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// "<uuid>:<threadId>" or "...:write" — as ls_field (Lua's %x takes either case).
bool isHolderField(std::string_view f) {
    if (f.size() < 38 || f[36] != ':') return false;
    for (size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? f[i] != '-' : !isHex(f[i])) return false;
    }
    std::string_view rest = f.substr(37);
    constexpr std::string_view kWrite = ":write";
    if (rest.size() > kWrite.size() && rest.substr(rest.size() - kWrite.size()) == kWrite)
        rest.remove_suffix(kWrite.size());
    if (rest.empty()) return false;
    for (char c : rest)
        if (c < '0' || c > '9') return false;
    return true;
}

bool isPermitId(std::string_view id) {
    if (id.size() >= 16 && id.size() <= 64) {
        bool hex = true;
        for (char c : id) hex = hex && isHex(c);
        if (hex) return true;
    }
    return id.substr(0, 30) == "lockscope:expirable-semaphore:";
}

}  // namespace

KeyKind recogniseKind(const KindEvidence& e) {
    if (e.type == "none") return {"none", ""};
    if (e.type == "string") {
        if (!isInt(e.value)) return {"string", ""};
        const long long n = std::stoll(e.value);
        if (e.metaType != "none" && e.metaType != "hash") return {"integer", "bad-meta"};
        const bool leasesOk = [&] {
            for (const auto& id : e.leaseIds)
                if (!isPermitId(id)) return false;
            return true;
        }();
        const std::string& mk = e.metaKind;
        if (mk == "semaphore" || mk == "latch" || mk == "expirable-semaphore") {
            if (!isInt(e.metaSize) || std::stoll(e.metaSize) < 1 || n < 0)
                return {"integer", "bad-meta"};
            const long long size = std::stoll(e.metaSize);
            if (mk == "latch") {
                if (n < 1 || n > size) return {"integer", "bad-meta"};
                return {"latch", ""};
            }
            if (mk == "semaphore") return {"semaphore", ""};
            if (e.leaseType != "none" && (e.leaseType != "zset" || !leasesOk))
                return {"integer", "bad-leases"};
            return {"expirable-semaphore", ""};
        }
        if (!mk.empty()) return {"integer", "meta:" + mk};
        if (e.leaseType == "zset") {
            if (n >= 0 && leasesOk) return {"expirable-semaphore", "redisson"};
            return {"integer", "bad-leases"};
        }
        return {"integer", ""};
    }
    if (e.type == "hash") {
        if (e.fields.size() > 1000) return {"hash", ""};
        std::optional<std::string> mode;
        for (const auto& [f, v] : e.fields) {
            if (f == "mode")
                mode = v;
            else if (!isHolderField(f) || !isInt(v))
                return {"hash", ""};
        }
        if (mode) {
            if ((*mode == "read" || *mode == "write") && e.fields.size() > 1)
                return {"read-write", *mode};
            return {"hash", ""};
        }
        return {"lock-hash", ""};
    }
    return {e.type, ""};
}

}  // namespace lockscope::locks

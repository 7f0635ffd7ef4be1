#include "monitor/classifier.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "locks/owner.h"

namespace lockscope::monitor {
namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool isLowerHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<long long> parseInteger(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    // Redis itself treats "+5" or "05" as not an integer encoding; so do we.
    if (s.size() > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0'))) return std::nullopt;
    return v;
}

// "<uuid>:<digits>" or "<uuid>:<digits>:write" (Redisson field names).
bool isRedissonField(std::string_view f) {
    if (f.size() < 38 || f[36] != ':') return false;
    std::string_view uuid = f.substr(0, 36);
    for (size_t i = 0; i < 36; ++i) {
        char c = uuid[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    std::string_view rest = f.substr(37);
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
        if (rest.substr(colon) != ":write") return false;
        rest = rest.substr(0, colon);
    }
    return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool isBase64Of18Bytes(std::string_view v) {
    return v.size() == 24 && std::all_of(v.begin(), v.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
           });
}

// A value that looks like a generated token: no spaces, mixed letters and digits, varied.
bool looksRandom(std::string_view v) {
    if (v.size() < 16 || v.size() > 128) return false;
    bool digit = false, alpha = false;
    std::string seen;
    for (char c : v) {
        auto u = static_cast<unsigned char>(c);
        if (std::isdigit(u))
            digit = true;
        else if (std::isalpha(u))
            alpha = true;
        else if (!(c == '-' || c == '_' || c == ':' || c == '.' || c == '+' || c == '/' ||
                   c == '='))
            return false;
        if (seen.find(c) == std::string::npos) seen += c;
    }
    return digit && alpha && seen.size() >= 8;
}

bool lockishName(std::string_view key) {
    std::string lower(key.substr(0, 256));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::string_view w : {"lock", "mutex", "leader", "semaphore", "lease"})
        if (lower.find(w) != std::string::npos) return true;
    return false;
}

constexpr long long kEpochMsMin = 1'000'000'000'000;  // 2001-09-09
constexpr long long kEpochMsMax = 4'102'444'800'000;  // 2100-01-01

std::optional<Format> formatOfStrategy(std::string_view id) {
    if (auto f = formatFromName(id)) {
        switch (*f) {
            case Format::SetnxExpire:
            case Format::SetNxPx:
            case Format::Redlock:
            case Format::Fenced:
            case Format::UnsafeDel:
                return f;
            default:
                break;
        }
    }
    return std::nullopt;
}

std::string braced(std::string_view key) {
    // Redisson's prefixName(): a key that already carries a hash tag keeps it as is.
    if (key.find('{') != std::string_view::npos) return std::string(key);
    return "{" + std::string(key) + "}";
}

// Fills state and orphan information common to every lock.
void finishLock(KeyRecord& r, const ClassifyContext& ctx, std::optional<std::string> ownerTag,
                bool noTtlByDesign) {
    r.kind = Kind::Lock;
    r.state = LockState::Held;
    if (ownerTag && ctx.lockscopeClientsByTag) {
        const bool connected = ctx.lockscopeClientsByTag->count(*ownerTag) > 0;
        // Missing, but perhaps only not back yet after a failover: not judged (orphanChecked
        // stays false) rather than called orphaned while it is alive.
        if (connected || !ctx.holderMayReconnect || !ctx.holderMayReconnect(*ownerTag, r.ttlMs)) {
            r.orphanChecked = true;
            if (!connected) r.state = LockState::Orphaned;
        }
    }
    // A stuck lock is the more urgent news: it will not heal, orphaned or not.
    if (r.ttlMs == -1 && !noTtlByDesign) r.state = LockState::StuckNoTtl;
    if (r.state == LockState::Held) refreshState(r, ctx.now, ctx.wallNowMs, ctx.expiringSoon);
}

void trackChange(KeyRecord& r, const Observation& obs, const ClassifyContext& ctx) {
    // First sight: the key has not been touched for idleSeconds (read before our GETRANGE).
    // Clamped to [0, 100 years]: a reply out of that range (a proxy, a corrupt reply) must not
    // overflow the clock's nanoseconds.
    constexpr long long kMaxIdle = 100LL * 365 * 24 * 3600;
    const long long idle = obs.idleSeconds ? std::clamp(*obs.idleSeconds, 0LL, kMaxIdle) : 0;
    r.lastChange = ctx.now - std::chrono::seconds(idle);
}

}  // namespace

void carryOver(const KeyState& previous, KeyState& fresh) {
    if (previous.holder == fresh.holder && previous.number == fresh.number &&
        previous.format == fresh.format && previous.lastChange < fresh.lastChange)
        fresh.lastChange = previous.lastChange;
}

bool refreshState(KeyState& r, Steady::time_point now, long long wallNowMs,
                  std::chrono::milliseconds expiringSoon) {
    if (r.kind != Kind::Lock) return false;
    switch (r.state) {
        case LockState::StuckNoTtl:
        case LockState::Orphaned:
        case LockState::Split:
        case LockState::Free:
            return false;
        default:
            break;
    }
    LockState s = LockState::Held;
    if (r.format == Format::Heartbeat) {
        // Stale after one and a half beat periods without a beat.
        if (r.periodMs > 0 && now - r.lastChange > std::chrono::milliseconds(r.periodMs * 3 / 2))
            s = LockState::HeartbeatStale;
    } else if (r.format == Format::SetnxGetset) {
        if (r.number <= wallNowMs) s = LockState::ExpiredTimestamp;
    } else {
        long long left = r.ttlNow(now);
        if (left >= 0 && left < expiringSoon.count()) s = LockState::Expiring;
    }
    if (s == r.state) return false;
    r.state = s;
    return true;
}

// Redisson's read-write lock keeps one lease key per read hold:
// "{name}:<uuid>:<threadId>:rwlock_timeout:<n>" (or "name:<uuid>:..." when the name carries a
// hash tag already).
bool isRedissonRwTimeoutKey(std::string_view key) {
    constexpr std::string_view kMarker = ":rwlock_timeout:";
    const auto at = key.rfind(kMarker);
    if (at == std::string_view::npos) return false;
    const std::string_view count = key.substr(at + kMarker.size());
    if (count.empty() || !std::all_of(count.begin(), count.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        return false;
    // Before the marker: "<lock name>:<uuid>:<threadId>", the uuid 36 characters long.
    const std::string_view head = key.substr(0, at);
    const auto tidColon = head.rfind(':');
    if (tidColon == std::string_view::npos || tidColon < 37 || head[tidColon - 37] != ':')
        return false;
    return isRedissonField(head.substr(tidColon - 36));
}

bool isCompanionKey(std::string_view key) {
    return startsWith(key, "lockscope_fence:{") || startsWith(key, "redisson_lock_token:") ||
           startsWith(key, "redisson_lock_queue:") || startsWith(key, "redisson_lock_timeout:") ||
           startsWith(key, "redisson_unlock_latch:") || startsWith(key, "lock-signal:") ||
           isRedissonRwTimeoutKey(key);
}

std::vector<std::string> companionKeys(const Observation& obs) {
    if (obs.type == "hash" && !obs.fields.empty() && isRedissonField(obs.fields.front().first))
        return {"redisson_lock_token:" + braced(obs.key), "redisson_lock_queue:" + braced(obs.key)};
    if (obs.type == "string" && startsWith(obs.value, "lockscope:fenced:"))
        return {"lockscope_fence:{" + obs.key + "}"};
    return {};
}

std::optional<std::string> lockscopeTagOfClientName(std::string_view name) {
    // lockscope:<host>:<pid>:<tag>
    if (!startsWith(name, locks::kTokenPrefix)) return std::nullopt;
    auto colon = name.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view tag = name.substr(colon + 1);
    if (tag.size() != 8 || !isLowerHex(tag)) return std::nullopt;
    if (std::count(name.begin(), name.end(), ':') != 3) return std::nullopt;
    return std::string(tag);
}

std::unordered_map<std::string, std::string> lockscopeClientsFromClientList(std::string_view text) {
    std::unordered_map<std::string, std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
        auto n = line.find(" name=");
        if (n == std::string_view::npos) continue;
        std::string_view name = line.substr(n + 6);
        name = name.substr(0, name.find(' '));
        if (auto tag = lockscopeTagOfClientName(name)) out.emplace(*tag, std::string(name));
    }
    return out;
}

KeyRecord classify(Observation obs, const ClassifyContext& ctx) {
    KeyRecord r;
    r.key = std::move(obs.key);
    r.ttlMs = obs.pttlMs;
    r.observedAt = ctx.now;
    // Not read (CLUSTERDOWN, BUSY, LOADING, NOPERM...): nothing is known now — which is not "gone".
    if (obs.type == "unreadable") {
        r.stale = stalenessOf(obs.error);
        return r;
    }
    if (obs.type == "none" || obs.pttlMs == -2) {
        r.state = LockState::Free;  // gone: the engine turns a followed lock into `free`
        return r;
    }
    if (isCompanionKey(r.key)) {
        r.kind = Kind::Companion;
        return r;
    }

    if (obs.type == "hash") {
        auto field = [&](std::string_view name) -> const std::string* {
            for (const auto& [f, v] : obs.fields)
                if (f == name) return &v;
            return nullptr;
        };
        // heartbeat: {owner, beat, period_ms}
        if (const auto* owner = field("owner"); owner && field("beat") && field("period_ms")) {
            r.format = Format::Heartbeat;
            r.holder = *owner;
            r.number = parseInteger(*field("beat")).value_or(-1);
            r.periodMs = static_cast<std::int32_t>(parseInteger(*field("period_ms")).value_or(0));
            trackChange(r, obs, ctx);
            auto info = locks::parseTokenView(*owner);
            finishLock(r, ctx, info ? std::optional<std::string>(info->tag) : std::nullopt, true);
            return r;
        }
        // versioned counter: {value, version}
        if (obs.fields.size() == 2 && field("value") && field("version")) {
            if (auto v = parseInteger(*field("value"))) {
                r.kind = Kind::Counter;
                r.format = Format::VersionedCounter;
                r.number = *v;
                trackChange(r, obs, ctx);
                return r;
            }
        }
        // Redisson-style lock hash.
        bool mode = false, any = false;
        std::vector<std::string> holders;
        long long holds = 0;
        for (const auto& [f, v] : obs.fields) {
            if (f == "mode") {
                mode = true;
                continue;
            }
            if (!isRedissonField(f)) {
                any = false;
                break;
            }
            any = true;
            holders.push_back(f);
            holds += parseInteger(v).value_or(0);
        }
        if (any) {
            // Sorted, so the holder string is stable and what force-release compares against.
            std::sort(holders.begin(), holders.end());
            for (const auto& h : holders) r.holder += (r.holder.empty() ? "" : ",") + h;
            r.holdCount = static_cast<std::int32_t>(holds);
            std::optional<std::string> tag;
            std::string firstTag = r.holder.substr(0, 8);
            if (ctx.lockscopeClientsByTag && ctx.lockscopeClientsByTag->count(firstTag))
                tag = firstTag;  // a connected LockScope `reentrant` client owns it
            if (mode)
                r.format = Format::RedissonRwLock;
            else if (ctx.companions.redissonQueue)
                r.format = Format::RedissonFairLock;
            else if (ctx.companions.redissonToken)
                r.format = Format::RedissonFencedLock;
            else
                r.format = tag ? Format::Reentrant : Format::RedissonLock;
            if (ctx.companions.redissonToken) r.number = *ctx.companions.redissonToken;
            trackChange(r, obs, ctx);
            finishLock(r, ctx, tag, false);
            return r;
        }
        return r;  // some other hash
    }

    if (obs.type != "string") return r;
    std::string& v = obs.value;  // moved into the holder once classified

    if (!obs.truncated) {
        if (auto info = locks::parseTokenView(v)) {
            r.format = formatOfStrategy(info->strategy).value_or(Format::Token);
            std::string tag(info->tag);  // views into v, which moves next
            r.holder = std::move(v);
            if (r.format == Format::Fenced && ctx.companions.lockscopeFence)
                r.number = *ctx.companions.lockscopeFence;
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::move(tag), false);
            return r;
        }
        if (startsWith(r.key, "lock:") && isBase64Of18Bytes(v)) {
            r.format = Format::PythonRedisLock;
            r.holder = std::move(v);
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, false);
            return r;
        }
        if (v.size() == 32 && isLowerHex(v)) {
            const bool uuid1 =
                v[12] == '1' && (v[16] == '8' || v[16] == '9' || v[16] == 'a' || v[16] == 'b');
            r.format = uuid1 ? Format::RedisPy : Format::NodeRedlock;
            r.holder = std::move(v);
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, false);
            return r;
        }
        if (auto n = parseInteger(v)) {
            // A timestamp lock keeps its expiry in the value; a TTL on the key (a client that sets
            // one as a safety net, or an extend that ran PEXPIRE) does not make it a counter.
            if (*n >= kEpochMsMin && *n <= kEpochMsMax) {
                r.format = Format::SetnxGetset;
                r.holder = std::move(v);
                r.number = *n;
                trackChange(r, obs, ctx);
                finishLock(r, ctx, std::nullopt, true);
                return r;
            }
            r.kind = Kind::Counter;
            r.format = Format::Counter;
            r.number = *n;
            trackChange(r, obs, ctx);
            return r;
        }
    }
    if (!obs.truncated && looksRandom(v) && (obs.pttlMs >= 0 || lockishName(r.key))) {
        r.format = Format::Token;
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    return r;
}

}  // namespace lockscope::monitor

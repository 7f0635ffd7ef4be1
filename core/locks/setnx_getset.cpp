#include "locks/setnx_getset.h"

#include <charconv>

namespace lockscope::locks {
namespace {

std::optional<long long> parseMillis(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    long long v = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
    return v;
}

// Extend = move our own expiry forward, only while the value is still the one we wrote.
const redis::Script& compareAndSetScript() {
    static const redis::Script script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
return 0
)lua");
    return script;
}

}  // namespace

SetnxGetsetLock::SetnxGetsetLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {}

Lease SetnxGetsetLock::makeLease(std::string_view key, milliseconds ttl,
                                 long long expiresMs) const {
    Lease lease;
    lease.key = std::string(key);
    lease.token = std::to_string(expiresMs);
    lease.ttl = ttl;
    lease.acquiredAt = context_.clock->steadyNow();
    lease.validUntil = lease.acquiredAt + ttl;
    return lease;
}

std::optional<Lease> SetnxGetsetLock::tryAcquire(std::string_view key, milliseconds ttl) {
    ++stats_.attempts;
    const long long now = context_.clock->wallMillis();
    const long long expires = now + ttl.count();
    if (conn_.command({"SETNX", key, expires}).integer() == 1) {
        ++stats_.acquisitions;
        return makeLease(key, ttl, expires);
    }
    auto seen = parseMillis(conn_.command({"GET", key}).optString());
    // A value that is not a timestamp is not this recipe's lock: never take it over.
    if (!seen || *seen >= now) return std::nullopt;
    auto previous = parseMillis(conn_.command({"GETSET", key, expires}).optString());
    // Ours only if nobody else took it over between our GET and our GETSET. A missing key (the
    // holder released meanwhile) is also ours now: GETSET has just written our expiry.
    if (!previous || *previous == *seen) {
        ++stats_.acquisitions;
        return makeLease(key, ttl, expires);
    }
    return std::nullopt;
}

ReleaseResult SetnxGetsetLock::release(const Lease& lease) {
    // The seed's release: delete if the lock has not expired yet *by this client's clock*. It
    // never looks at whose expiry is stored — that is the documented hazard.
    auto current = parseMillis(conn_.command({"GET", lease.key}).optString());
    if (!current || *current <= context_.clock->wallMillis()) return ReleaseResult::NotHeld;
    conn_.command({"DEL", lease.key});
    return ReleaseResult::Released;
}

bool SetnxGetsetLock::extend(Lease& lease, milliseconds ttl) {
    const long long expires = context_.clock->wallMillis() + ttl.count();
    if (conn_.eval(compareAndSetScript(), {lease.key}, {lease.token, expires}).integer() != 1)
        return false;
    lease = makeLease(lease.key, ttl, expires);
    return true;
}

LockInfo SetnxGetsetLock::inspect(std::string_view key) {
    auto p = conn_.pipeline();
    p.add({"GET", key}).add({"PTTL", key});
    auto replies = p.exec();
    LockInfo info;
    auto value = replies[0].optString();
    info.ttl = milliseconds(replies[1].integer());
    if (!value) return info;
    info.holder = *value;
    auto expires = parseMillis(value);
    if (!expires) {
        info.held = true;
        info.detail = "not a timestamp: not a setnx-getset lock";
        return info;
    }
    const long long left = *expires - context_.clock->wallMillis();
    info.held = left > 0;
    info.detail = left > 0 ? "expires in " + std::to_string(left) + " ms by this client's clock"
                           : "expired " + std::to_string(-left) +
                                 " ms ago by this client's clock; the next waiter takes it over";
    return info;
}

}  // namespace lockscope::locks

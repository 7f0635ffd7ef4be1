#include "monitor/key_record.h"

#include <array>

namespace lockscope::monitor {
namespace {

constexpr std::array<std::string_view, 33> kFormatNames = {
    "unknown",
    "setnx-expire",
    "setnx-getset",
    "set-nx-px",
    "heartbeat",
    "redlock",
    "reentrant",
    "fenced",
    "unsafe-del",
    "fair",
    "read-write",
    "semaphore",
    "expirable-semaphore",
    "latch",
    "redisson-lock",
    "redisson-fenced-lock",
    "redisson-rwlock",
    "redisson-fair-lock",
    "redisson-expirable-semaphore",
    "redis-py",
    "python-redis-lock",
    "node-redlock",
    "shedlock",
    "node-redis-lock",
    "token",
    "flag",
    "heartbeat-counter",
    "expiry-timestamp",
    "identity",
    "json",
    "rule",
    "counter",
    "versioned",
};
static_assert(kFormatNames.size() == static_cast<size_t>(Format::VersionedCounter) + 1);

}  // namespace

std::string_view formatName(Format f) { return kFormatNames.at(static_cast<size_t>(f)); }

std::optional<Format> formatFromName(std::string_view name) {
    for (size_t i = 0; i < kFormatNames.size(); ++i)
        if (kFormatNames[i] == name) return static_cast<Format>(i);
    return std::nullopt;
}

bool isKnownLayout(Format f) {
    switch (f) {
        case Format::Unknown:
        case Format::Token:
        case Format::Flag:
        case Format::HeartbeatCounter:
        case Format::ExpiryTimestamp:
        case Format::Identity:
        case Format::JsonOwner:
        case Format::UserRule:
        case Format::Counter:
            return false;
        default:
            return true;
    }
}

std::string_view valueShapeText(ValueShape s) {
    switch (s) {
        case ValueShape::Other:
            return "";
        case ValueShape::Layout:
            return "a known layout";
        case ValueShape::Token:
            return "a random token";
        case ValueShape::Uuid:
            return "a UUID";
        case ValueShape::Identity:
            return "a host or process name";
        case ValueShape::Flag:
            return "a flag";
        case ValueShape::Integer:
            return "an integer";
        case ValueShape::EpochSeconds:
            return "an epoch time in seconds";
        case ValueShape::EpochMillis:
            return "an epoch time in ms";
        case ValueShape::Json:
            return "JSON with an owner";
        case ValueShape::Text:
            return "text";
        case ValueShape::Number:
            return "a number, which names no holder";
    }
    return "";
}

std::string_view lockStateName(LockState s) {
    switch (s) {
        case LockState::Held:
            return "held";
        case LockState::Expiring:
            return "expiring";
        case LockState::StuckNoTtl:
            return "stuck-no-ttl";
        case LockState::ExpiredTimestamp:
            return "expired-timestamp";
        case LockState::HeartbeatStale:
            return "heartbeat-stale";
        case LockState::Orphaned:
            return "orphaned";
        case LockState::Split:
            return "split";
        case LockState::Free:
            return "free";
        case LockState::Unknown:
            return "unknown";
    }
    return "unknown";
}

std::string_view lockStateExplanation(LockState s) {
    switch (s) {
        case LockState::Held:
            return "Held, with a TTL: it frees itself when the holder stops renewing it.";
        case LockState::Expiring:
            return "Held, but its TTL is about to run out: the holder has not renewed it.";
        case LockState::StuckNoTtl:
            return "Held without a TTL: if the holder is gone, nobody will ever get it. Check the "
                   "holder, then force-release it.";
        case LockState::ExpiredTimestamp:
            return "The expiry timestamp stored in the value is in the past: the next waiter will "
                   "take it over (setnx-getset).";
        case LockState::HeartbeatStale:
            return "The heartbeat stopped moving for longer than its beat period: the holder is "
                   "paused or dead, and waiters will take over.";
        case LockState::Orphaned:
            return "The holder's own connection is gone from CLIENT LIST: the process that took it "
                   "has died or lost its connection.";
        case LockState::Split:
            return "The nodes of the Redlock group disagree: some hold another value or none.";
        case LockState::Free:
            return "Nobody holds it any more: the key was deleted or expired.";
        case LockState::Unknown:
            return "An integer lock without a TTL: a process id (stuck if its holder is gone) or a "
                   "live heartbeat counter. One look cannot tell: watch it for a few beats "
                   "(locks --observe) to see whether it moves.";
    }
    return "";
}

std::string_view stalenessName(Staleness s) {
    switch (s) {
        case Staleness::Fresh:
            return "";
        case Staleness::Unreachable:
            return "unreachable";
        case Staleness::ClusterDown:
            return "clusterdown";
        case Staleness::Busy:
            return "busy";
        case Staleness::Loading:
            return "loading";
        case Staleness::TryAgain:
            return "tryagain";
        case Staleness::MasterDown:
            return "masterdown";
        case Staleness::NoPermission:
            return "no-permission";
        case Staleness::Redirect:
            return "redirect";
        case Staleness::Error:
            return "error";
    }
    return "error";
}

Staleness stalenessOf(std::string_view m) {
    auto starts = [&](std::string_view p) { return m.substr(0, p.size()) == p; };
    if (starts("CLUSTERDOWN")) return Staleness::ClusterDown;
    if (starts("BUSY")) return Staleness::Busy;
    if (starts("LOADING")) return Staleness::Loading;
    if (starts("TRYAGAIN")) return Staleness::TryAgain;
    if (starts("MASTERDOWN")) return Staleness::MasterDown;
    if (starts("NOPERM")) return Staleness::NoPermission;
    if (starts("MOVED") || starts("ASK ")) return Staleness::Redirect;
    return Staleness::Error;
}

long long KeyState::ttlNow(Steady::time_point now) const {
    if (ttlMs < 0) return ttlMs;
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - observedAt).count();
    return ttlMs > elapsed ? ttlMs - elapsed : 0;
}

std::string spanText(long long ms) {
    constexpr long long kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                        kDay = 24 * kHour;
    if (ms < 0) ms = -ms;
    if (ms < kSecond) return std::to_string(ms) + " ms";
    if (ms < 120 * kSecond) return std::to_string((ms + kSecond / 2) / kSecond) + " s";
    if (ms < 120 * kMinute) return std::to_string((ms + kMinute / 2) / kMinute) + " min";
    if (ms < 48 * kHour) return std::to_string((ms + kHour / 2) / kHour) + " h";
    if (ms < 3653 * kDay) return std::to_string((ms + kDay / 2) / kDay) + " days";
    return {};
}

std::string describe(const KeyState& r, long long wallNowMs) {
    std::string d;
    auto add = [&](const std::string& part) { d += (d.empty() ? "" : "; ") + part; };
    switch (r.format) {
        case Format::Heartbeat:
            add("beat " + std::to_string(r.number) + ", period " + std::to_string(r.periodMs) +
                " ms");
            break;
        case Format::ShedLock:
            // lockAtLeastFor: the unlock only shortens the TTL, so the key outlives the task.
            add("may outlive its task (lockAtLeastFor)");
            break;
        case Format::HeartbeatCounter:
            add("beat " + std::to_string(r.number) +
                (r.periodMs > 0 ? ", period " + std::to_string(r.periodMs) + " ms"
                                : ", period not measured yet"));
            break;
        case Format::ExpiryTimestamp:
        case Format::NodeRedisLock:
        case Format::SetnxGetset: {
            const long long left = r.number - wallNowMs;
            const std::string span = spanText(left > 0 ? left : -left);
            if (span.empty())  // a time more than ten years off is a value, not a deadline
                add(left > 0 ? "expires more than ten years from now by this clock"
                             : "expired long ago (over ten years) by this clock");
            else
                add(left > 0 ? "expires in " + span + " by this clock"
                             : "expired " + span + " ago by this clock");
            break;
        }
        case Format::Fenced:
        case Format::RedissonFencedLock:
            if (r.number > 0) add("fencing token " + std::to_string(r.number));
            break;
        case Format::Reentrant:
        case Format::RedissonLock:
            if (r.holdCount > 0) add("hold count " + std::to_string(r.holdCount));
            break;
        case Format::Fair:
        case Format::RedissonFairLock:
            if (r.holdCount > 0) add("hold count " + std::to_string(r.holdCount));
            break;
        case Format::ReadWrite:
        case Format::RedissonRwLock: {
            // The holder is every field, joined by ','; a writer's ends in ":write".
            int readers = 0;
            bool writer = false;
            for (size_t b = 0, e = 0; b < r.holder.size(); b = e + 1) {
                e = r.holder.find(',', b);
                if (e == std::string::npos) e = r.holder.size();
                const std::string_view f(r.holder.data() + b, e - b);
                if (f.size() > 6 && f.substr(f.size() - 6) == ":write")
                    writer = true;
                else
                    ++readers;
            }
            add(writer ? std::string("write-locked")
                       : "read-locked by " + std::to_string(readers) + " reader(s)");
            if (r.queued > 0) add(std::to_string(r.queued) + " writer(s) waiting");
            break;
        }
        case Format::Semaphore:
        case Format::ExpirableSemaphore:
        case Format::RedissonExpirableSemaphore:
            add(std::to_string(r.number) + " of " + std::to_string(r.number + r.holdCount) +
                " permits free");
            if (r.queued > 0) add(std::to_string(r.queued) + " lease(s) ran out");
            break;
        case Format::Latch:
            add(r.holdCount > 0 ? std::to_string(r.number) + " of " + std::to_string(r.holdCount) +
                                      " count-downs to go"
                                : std::to_string(r.number) + " count-downs to go");
            break;
        default:
            break;
    }
    if (r.state == LockState::Unknown)
        add("may be a heartbeat (observe " + std::to_string(kObserveHintSeconds) + " s to tell)");
    if (r.nodesTotal > 1)
        add(std::to_string(r.nodesHolding) + " of " + std::to_string(r.nodesTotal) + " nodes");
    return d;
}

}  // namespace lockscope::monitor

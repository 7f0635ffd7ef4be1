#include "monitor/key_record.h"

#include <array>
#include <cstdlib>

#include "monitor/why_text.h"

namespace lockscope::monitor {
namespace {

constexpr std::array<std::string_view, 40> kFormatNames = {
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
    "symfony-lock",
    "sidekiq-unique-jobs",
    "bullmq",
    "activejob-uniqueness",
    "celery-once",
    "laravel-cache-lock",
    "token",
    "flag",
    "heartbeat-counter",
    "expiry-timestamp",
    "identity",
    "json",
    "hash-owner",
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
        case Format::HashOwner:
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
            return "a name (a host's, a process's or a person's)";
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
        case ValueShape::HashOwner:
            return "a hash with an owner field";
        case ValueShape::Time:
            return "a time (epoch µs or ns, or ISO-8601), read as its expiry";
        case ValueShape::Serialized:
            return "binary (a Python pickle / Ruby Marshal value) holding true or a short string";
        case ValueShape::ProcessNonce:
            return "a process's identity host:pid:nonce (as Sidekiq's)";
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
            return "Held, with a TTL: it frees itself when the TTL runs out, unless the holder "
                   "renews it "
                   "first.";
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

namespace {

// describe()'s clauses, each under a message id (util/message.h): the dashboard translates them.
constexpr MessageText kDetailBeatPeriod{"details.beat-period", "beat %1, period %2 ms"};
constexpr MessageText kDetailBeatUnmeasured{"details.beat-unmeasured",
                                            "beat %1, period not measured yet"};
constexpr MessageText kDetailShedLock{"details.shedlock",
                                      "may outlive its task: lockAtLeastFor keeps it"};
constexpr MessageText kDetailExpiresFar{"details.expires-far",
                                        "expires more than ten years from now by this clock"};
constexpr MessageText kDetailExpiredLongAgo{"details.expired-long-ago",
                                            "expired long ago (over ten years) by this clock"};
// "expires in " + spanText + " by this clock", one per unit of spanText().
constexpr MessageText kDetailExpiresIn[] = {
    {"details.expires-in.ms", "expires in %1 ms by this clock"},
    {"details.expires-in.s", "expires in %1 s by this clock"},
    {"details.expires-in.min", "expires in %1 min by this clock"},
    {"details.expires-in.h", "expires in %1 h by this clock"},
    {"details.expires-in.days", "expires in %1 days by this clock"},
};
constexpr MessageText kDetailExpiredAgo[] = {
    {"details.expired-ago.ms", "expired %1 ms ago by this clock"},
    {"details.expired-ago.s", "expired %1 s ago by this clock"},
    {"details.expired-ago.min", "expired %1 min ago by this clock"},
    {"details.expired-ago.h", "expired %1 h ago by this clock"},
    {"details.expired-ago.days", "expired %1 days ago by this clock"},
};
// A past time in the value of a lock its TTL ends, or of a stuck one: when it was taken.
constexpr MessageText kDetailTakenAgo[] = {
    {"details.taken-ago.ms", "its value's time is %1 ms ago by this clock (when it was taken)"},
    {"details.taken-ago.s", "its value's time is %1 s ago by this clock (when it was taken)"},
    {"details.taken-ago.min", "its value's time is %1 min ago by this clock (when it was taken)"},
    {"details.taken-ago.h", "its value's time is %1 h ago by this clock (when it was taken)"},
    {"details.taken-ago.days", "its value's time is %1 days ago by this clock (when it was taken)"},
};
constexpr MessageText kDetailFencingToken{"details.fencing-token", "fencing token %1"};
constexpr MessageText kDetailHoldCount{"details.hold-count", "hold count %1"};
constexpr MessageText kDetailWriteLocked{"details.write-locked", "write-locked"};
constexpr MessageText kDetailReadLocked{"details.read-locked", "read-locked by %1 reader(s)"};
constexpr MessageText kDetailWritersWaiting{"details.writers-waiting", "%1 writer(s) waiting"};
constexpr MessageText kDetailPermitsFree{"details.permits-free", "%1 of %2 permits free"};
constexpr MessageText kDetailPermitsAboveSize{
    "details.permits-above-size",
    "%1 permits free: %2 above its size %3 (given back more often than taken, or added by a "
    "Redisson client)"};
constexpr MessageText kDetailLeasesRanOut{"details.leases-ran-out", "%1 lease(s) ran out"};
constexpr MessageText kDetailCountDownsOf{"details.count-downs-of", "%1 of %2 count-downs to go"};
constexpr MessageText kDetailCountDowns{"details.count-downs", "%1 count-downs to go"};
constexpr MessageText kDetailMaybeHeartbeat{"details.maybe-heartbeat",
                                            "may be a heartbeat (observe %1 s to tell)"};
constexpr MessageText kDetailNodes{"details.nodes", "%1 of %2 nodes"};
constexpr MessageText kDetailQueuedNoHolder{"details.queued-no-holder",
                                            "%1 waiting in its queue, nobody holds it"};

constexpr const MessageText* kDetailTexts[] = {
    &kDetailBeatPeriod,     &kDetailBeatUnmeasured, &kDetailShedLock,
    &kDetailExpiresFar,     &kDetailExpiredLongAgo, &kDetailExpiresIn[0],
    &kDetailExpiresIn[1],   &kDetailExpiresIn[2],   &kDetailExpiresIn[3],
    &kDetailExpiresIn[4],   &kDetailExpiredAgo[0],  &kDetailExpiredAgo[1],
    &kDetailExpiredAgo[2],  &kDetailExpiredAgo[3],  &kDetailExpiredAgo[4],
    &kDetailFencingToken,   &kDetailHoldCount,      &kDetailWriteLocked,
    &kDetailReadLocked,     &kDetailWritersWaiting, &kDetailPermitsFree,
    &kDetailLeasesRanOut,   &kDetailCountDownsOf,   &kDetailCountDowns,
    &kDetailMaybeHeartbeat, &kDetailNodes,          &kDetailPermitsAboveSize,
    &kDetailQueuedNoHolder, &kDetailTakenAgo[0],    &kDetailTakenAgo[1],
    &kDetailTakenAgo[2],    &kDetailTakenAgo[3],    &kDetailTakenAgo[4],
};

// spanText() as {number, unit index into kDetailExpiresIn}; unit -1 past ten years.
std::pair<long long, int> spanParts(long long ms) {
    constexpr long long kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute,
                        kDay = 24 * kHour;
    if (ms < 0) ms = -ms;
    if (ms < kSecond) return {ms, 0};
    if (ms < 120 * kSecond) return {(ms + kSecond / 2) / kSecond, 1};
    if (ms < 120 * kMinute) return {(ms + kMinute / 2) / kMinute, 2};
    if (ms < 48 * kHour) return {(ms + kHour / 2) / kHour, 3};
    if (ms < 3653 * kDay) return {(ms + kDay / 2) / kDay, 4};
    return {0, -1};
}

}  // namespace

std::string spanText(long long ms) {
    static constexpr const char* kUnits[] = {" ms", " s", " min", " h", " days"};
    const auto [n, unit] = spanParts(ms);
    return unit < 0 ? std::string() : std::to_string(n) + kUnits[unit];
}

std::span<const MessageText* const> describeTexts() { return kDetailTexts; }

std::vector<Message> describeParts(const KeyState& r, long long wallNowMs) {
    std::vector<Message> d;
    auto add = [&](const MessageText& t, std::vector<std::string> args = {}) {
        d.push_back(message(t, std::move(args)));
    };
    using std::to_string;
    // Free: nobody holds it, its key is gone — what the last value said (a hold count, a
    // ShedLock's lockAtLeastFor, an expiry) is no detail of it now.
    // A fair lock's queue without its key (issue 14): who waits is all there is to say.
    if (r.queueOnly) {
        add(kDetailQueuedNoHolder, {to_string(r.queued)});
        return d;
    }
    if (r.state == LockState::Free) return d;
    switch (r.format) {
        case Format::Heartbeat:
            add(kDetailBeatPeriod, {to_string(r.number), to_string(r.periodMs)});
            break;
        case Format::ShedLock:
            // lockAtLeastFor: the unlock only shortens the TTL, so the key outlives the task.
            add(kDetailShedLock);
            break;
        case Format::HeartbeatCounter:
            if (r.periodMs > 0)
                add(kDetailBeatPeriod, {to_string(r.number), to_string(r.periodMs)});
            else
                add(kDetailBeatUnmeasured, {to_string(r.number)});
            break;
        case Format::ExpiryTimestamp:
        case Format::NodeRedisLock:
        case Format::SetnxGetset: {
            const long long left = r.number - wallNowMs;
            const auto [n, unit] = spanParts(left > 0 ? left : -left);
            // A past time in a lock its TTL ends (or a stuck one's): when it was taken, not an
            // expiry that passed (classifier.cpp timedState).
            const bool taken = left <= 0 && (r.ttlMs >= 0 || r.state == LockState::StuckNoTtl);
            if (unit < 0)  // a time more than ten years off is a value, not a deadline
                add(left > 0 ? kDetailExpiresFar : kDetailExpiredLongAgo);
            else if (taken)
                add(kDetailTakenAgo[unit], {to_string(n)});
            else
                add(left > 0 ? kDetailExpiresIn[unit] : kDetailExpiredAgo[unit], {to_string(n)});
            break;
        }
        case Format::JsonOwner: {
            // An expiry inside the value ({"expires_at": ...}) and no TTL: when it ends or
            // ended, as a timestamp lock says (issue 11 round 6 item 8). `number` is the
            // value's length when the holder is cut.
            if (r.holderCut || r.number <= 0 || r.ttlMs != -1 || r.state == LockState::StuckNoTtl)
                break;
            const long long left = r.number - wallNowMs;
            const auto [n, unit] = spanParts(left);
            if (unit < 0)
                add(left > 0 ? kDetailExpiresFar : kDetailExpiredLongAgo);
            else
                add(left > 0 ? kDetailExpiresIn[unit] : kDetailExpiredAgo[unit], {to_string(n)});
            break;
        }
        case Format::Fenced:
        case Format::RedissonFencedLock:
            if (r.number > 0) add(kDetailFencingToken, {to_string(r.number)});
            break;
        case Format::Reentrant:
        case Format::RedissonLock:
        case Format::Fair:
        case Format::RedissonFairLock:
            if (r.holdCount > 0) add(kDetailHoldCount, {to_string(r.holdCount)});
            break;
        case Format::SidekiqUniqueJobs: {
            // number: when the first job locked it (epoch ms, the hash's time).
            if (r.number <= 0) break;
            const long long ago = wallNowMs - r.number;
            const auto [n, unit] = spanParts(ago > 0 ? ago : 0);
            if (unit >= 0) add(kDetailTakenAgo[unit], {to_string(n)});
            if (r.holdCount > 1) add(kDetailHoldCount, {to_string(r.holdCount)});
            break;
        }
        case Format::SymfonyLock:
            // number 1: `__write__` is there (one exclusive holder); else readers sharing it.
            if (r.number == 1)
                add(kDetailWriteLocked);
            else
                add(kDetailReadLocked, {to_string(r.holdCount)});
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
            if (writer)
                add(kDetailWriteLocked);
            else
                add(kDetailReadLocked, {to_string(readers)});
            if (r.queued > 0) add(kDetailWritersWaiting, {to_string(r.queued)});
            break;
        }
        case Format::Semaphore:
        case Format::ExpirableSemaphore:
        case Format::RedissonExpirableSemaphore: {
            // A plain semaphore's size is in its holder (taken:<n>/<size>). A value above it is
            // not "10 of 10 permits free" (adv14b item 9): say it is above the size.
            long long size = -1;
            if (const auto slash = r.holder.rfind('/');
                r.format == Format::Semaphore && slash != std::string::npos)
                size = std::atoll(r.holder.c_str() + slash + 1);
            if (size > 0 && r.number > size) {
                add(kDetailPermitsAboveSize,
                    {to_string(r.number), to_string(r.number - size), to_string(size)});
                break;
            }
            add(kDetailPermitsFree, {to_string(r.number), to_string(r.number + r.holdCount)});
            if (r.queued > 0) add(kDetailLeasesRanOut, {to_string(r.queued)});
            break;
        }
        case Format::Latch:
            if (r.state == LockState::Free) break;  // open: its key is gone, nothing to go
            if (r.holdCount > 0)
                add(kDetailCountDownsOf, {to_string(r.number), to_string(r.holdCount)});
            else
                add(kDetailCountDowns, {to_string(r.number)});
            break;
        default:
            break;
    }
    if (r.state == LockState::Unknown) add(kDetailMaybeHeartbeat, {to_string(kObserveHintSeconds)});
    if (r.nodesTotal > 1) add(kDetailNodes, {to_string(r.nodesHolding), to_string(r.nodesTotal)});
    return d;
}

std::string describe(const KeyState& r, long long wallNowMs) {
    return render(describeParts(r, wallNowMs), "; ");
}

}  // namespace lockscope::monitor

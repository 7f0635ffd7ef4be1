#include "locks/heartbeat.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "locks/compare.h"
#include "redis/error.h"
#include "util/thread_name.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// KEYS[1] = lock; ARGV = token, period_ms, observed owner ("" = no takeover), observed beat.
// Returns {1} created, {2} taken over, or {0, owner, beat, period_ms} when busy. A key of another
// type raises WRONGTYPE: never ours to overwrite. A hash without `owner` (someone else's format)
// can never match a non-empty observed owner, so it is never taken over.
const redis::Script& acquireScript() {
    static const redis::Script script(R"lua(
local owner = redis.call('HGET', KEYS[1], 'owner')
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'beat', 0, 'period_ms', ARGV[2])
  return {1}
end
local beat = redis.call('HGET', KEYS[1], 'beat')
if ARGV[3] ~= '' and owner == ARGV[3] and beat == ARGV[4] then
  redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'beat', 0, 'period_ms', ARGV[2])
  return {2}
end
return {0, owner or '', beat or '', redis.call('HGET', KEYS[1], 'period_ms') or ''}
)lua");
    return script;
}

// KEYS[1] = lock; ARGV = token, new period_ms ("" keeps it). Returns the new beat (>= 1), or 0
// when the lock is no longer ours: the holder learns it lost the lock.
const redis::Script& beatScript() {
    static const redis::Script script(R"lua(
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'period_ms', ARGV[2]) end
return redis.call('HINCRBY', KEYS[1], 'beat', 1)
)lua");
    return script;
}

// KEYS[1] = lock; ARGV[1] = token. 1 deleted, 0 no such key, -1 held by another owner.
const redis::Script& releaseScript() {
    static const redis::Script script(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return -1
)lua");
    return script;
}

long long beatOnce(redis::Connection& c, std::string_view key, std::string_view token,
                   std::string_view period) {
    const redis::Arg keys[] = {key};
    const redis::Arg argv[] = {token, period};
    return c.eval(beatScript(), keys, argv).integer();
}

std::optional<long long> parseMillis(std::string_view s) {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

}  // namespace

HeartbeatLock::HeartbeatLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {
    if (context_.config.missedBeats < 1)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "heartbeat: missedBeats must be at least 1");
}

HeartbeatLock::~HeartbeatLock() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (beater_.joinable()) beater_.join();
}

milliseconds HeartbeatLock::periodFor(milliseconds ttl) const {
    return std::max(milliseconds(1), ttl / context_.config.missedBeats);
}

std::optional<Lease> HeartbeatLock::tryAcquire(std::string_view key, milliseconds ttl) {
    const milliseconds period = periodFor(ttl);
    const auto now = context_.clock->steadyNow();
    const std::string keyString(key);

    // Offer a takeover only of what we have watched stand still for missedBeats of the holder's
    // own periods; the script re-checks owner and beat atomically.
    std::string expectOwner, expectBeat;
    if (auto seen = observed_.find(keyString); seen != observed_.end()) {
        const Observation& o = seen->second;
        if (now - o.since >= o.period * context_.config.missedBeats) {
            expectOwner = o.owner;
            expectBeat = o.beat;
        }
    }

    Lease lease;
    lease.key = keyString;
    lease.token = context_.owner.newToken(id());
    lease.ttl = ttl;
    lease.acquiredAt = now;
    ++stats_.attempts;
    const redis::Arg keys[] = {key};
    const redis::Arg argv[] = {lease.token, period, expectOwner, expectBeat};
    auto reply = conn_.eval(acquireScript(), keys, argv);
    if (reply.at(0).integer() == 0) {
        Observation o;
        o.owner = std::string(reply.at(1).str());
        o.beat = std::string(reply.at(2).str());
        // An unreadable period (not our format) falls back to ours; such a hash has no owner we
        // could match anyway.
        o.period = milliseconds(parseMillis(reply.at(3).str()).value_or(period.count()));
        o.since = now;
        auto [it, first] = observed_.try_emplace(keyString, o);
        if (!first && (it->second.owner != o.owner || it->second.beat != o.beat))
            it->second = o;  // it moved: the holder is alive, start counting again
        else
            it->second.period = o.period;
        return std::nullopt;
    }

    observed_.erase(keyString);
    lease.validUntil = now + ttl;
    ++stats_.acquisitions;
    if (context_.config.autoBeat) {
        {
            std::lock_guard lock(mutex_);
            held_[keyString] = Held{lease.token, period, Steady::now() + period};
            if (!beater_.joinable())
                beater_ = std::thread([this] {
                    setThreadName("ls-lock-beat");
                    beatLoop();
                });
        }
        wake_.notify_all();
    }
    return lease;
}

ReleaseResult HeartbeatLock::release(const Lease& lease) {
    {
        // Stop beating first, so a beat racing with the DEL is not mistaken for a takeover.
        std::lock_guard lock(mutex_);
        if (auto it = held_.find(lease.key); it != held_.end() && it->second.token == lease.token)
            held_.erase(it);
        lost_.erase(lease.token);
    }
    const redis::Arg keys[] = {lease.key};
    const redis::Arg argv[] = {lease.token};
    return releaseResultFromCode(conn_.eval(releaseScript(), keys, argv).integer());
}

bool HeartbeatLock::extend(Lease& lease, milliseconds ttl) {
    const milliseconds period = periodFor(ttl);
    const auto now = context_.clock->steadyNow();
    const std::string periodText = std::to_string(period.count());
    if (beatOnce(conn_, lease.key, lease.token, periodText) == 0) {
        noteLost(lease.key, lease.token);
        return false;
    }
    lease.ttl = ttl;
    lease.validUntil = now + ttl;
    {
        std::lock_guard lock(mutex_);
        if (auto it = held_.find(lease.key); it != held_.end() && it->second.token == lease.token) {
            it->second.period = period;
            it->second.nextBeat = Steady::now() + period;
        }
    }
    wake_.notify_all();
    return true;
}

LockInfo HeartbeatLock::inspect(std::string_view key) {
    auto p = conn_.pipeline();
    p.add({"HMGET", key, "owner", "beat", "period_ms"}).add({"PTTL", key});
    auto replies = p.exec();
    for (auto& r : replies) r.throwIfError();
    LockInfo info;
    info.ttl = milliseconds(replies[1].integer());
    if (info.ttl == milliseconds(-2)) return info;
    info.held = true;
    info.holder = replies[0].at(0).optString().value_or("");
    const std::string beat = replies[0].at(1).optString().value_or("?");
    const std::string period = replies[0].at(2).optString().value_or("?");
    info.detail = "beat " + beat + ", period " + period + " ms";
    return info;
}

bool HeartbeatLock::isLost(const Lease& lease) const {
    std::lock_guard lock(mutex_);
    return lost_.count(lease.token) > 0;
}

std::uint64_t HeartbeatLock::lostLeases() const {
    std::lock_guard lock(mutex_);
    return lostCount_;
}

std::uint64_t HeartbeatLock::beatErrors() const {
    std::lock_guard lock(mutex_);
    return beatErrors_;
}

std::string HeartbeatLock::lastBeatError() const {
    std::lock_guard lock(mutex_);
    return lastBeatError_;
}

void HeartbeatLock::noteLost(const std::string& key, const std::string& token) {
    std::lock_guard lock(mutex_);
    if (auto it = held_.find(key); it != held_.end() && it->second.token == token) held_.erase(it);
    if (lost_.insert(token).second) ++lostCount_;
}

void HeartbeatLock::beatLoop() noexcept {
    struct Due {
        std::string key;
        std::string token;
    };
    std::optional<redis::Connection> conn;  // created here, so a connect failure stays here
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (held_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto next = Steady::time_point::max();
        for (const auto& [key, h] : held_) next = std::min(next, h.nextBeat);
        if (Steady::now() < next) {
            wake_.wait_until(lock, next);  // woken early by new leases, extend() or stop
            continue;
        }
        const auto now = Steady::now();
        std::vector<Due> due;
        for (auto& [key, h] : held_) {
            if (h.nextBeat > now) continue;
            due.push_back({key, h.token});
            h.nextBeat = now + h.period;  // from now: a late beat does not cause a burst
        }
        lock.unlock();
        for (const Due& d : due) {
            long long beat = -1;  // unknown
            std::string error;
            try {
                if (!conn) conn.emplace(connectAsOwner(context_));
                beat = beatOnce(*conn, d.key, d.token, "");
            } catch (const std::exception& e) {
                error = e.what();  // the connection reconnects by itself at the next beat
            }
            if (beat == 0) {
                // Only a lease still registered was lost: release() unregisters before its DEL,
                // so a beat racing with a release is not mistaken for a takeover.
                std::lock_guard relock(mutex_);
                auto it = held_.find(d.key);
                if (it != held_.end() && it->second.token == d.token) {
                    held_.erase(it);
                    if (lost_.insert(d.token).second) ++lostCount_;
                }
            } else if (!error.empty()) {
                std::lock_guard relock(mutex_);
                ++beatErrors_;
                lastBeatError_ = std::move(error);
            }
        }
        lock.lock();
    }
}

}  // namespace lockscope::locks

#include "locks/reentrant.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "locks/holder_ops.h"
#include "locks/kind_check.h"
#include "redis/error.h"
#include "util/random.h"
#include "util/thread_name.h"

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;

// Redisson's tryLockInnerAsync. KEYS[1] = lock; ARGV = lease ms, field.
// nil: acquired (or re-entered); otherwise the holder's PTTL.
const redis::Script& lockScript() {
    static const redis::Script script(R"lua(
if (redis.call('exists', KEYS[1]) == 0) or (redis.call('hexists', KEYS[1], ARGV[2]) == 1) then
  redis.call('hincrby', KEYS[1], ARGV[2], 1)
  redis.call('pexpire', KEYS[1], ARGV[1])
  return nil
end
return redis.call('pttl', KEYS[1])
)lua");
    return script;
}

// Redisson's unlockInnerAsync, except that "not ours" is split in two: 0 the key is gone, -1
// another field holds it. KEYS = lock, channel; ARGV = unlock message, lease ms, field.
// 2: one nested hold released (lease reset), 1: deleted and the waiters told.
const redis::Script& unlockScript() {
    static const redis::Script script(R"lua(
if redis.call('exists', KEYS[1]) == 0 then return 0 end
if redis.call('hexists', KEYS[1], ARGV[3]) == 0 then return -1 end
local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1)
if counter > 0 then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 2
end
redis.call('del', KEYS[1])
redis.call('publish', KEYS[2], ARGV[1])
return 1
)lua");
    return script;
}

// Redisson's renewExpirationAsync. KEYS[1] = lock; ARGV = lease ms, field. 1 renewed, 0 gone.
const redis::Script& renewScript() {
    static const redis::Script script(R"lua(
if redis.call('hexists', KEYS[1], ARGV[2]) == 1 then
  redis.call('pexpire', KEYS[1], ARGV[1])
  return 1
end
return 0
)lua");
    return script;
}

// LockPubSub.UNLOCK_MESSAGE.
constexpr std::string_view kUnlockMessage = "0";

bool isLowerHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

int parseCount(std::string_view s) {
    int v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && ptr == s.data() + s.size() ? v : 0;
}

bool isPubSubMessage(const redis::Reply& r) {
    return r.isArray() && r.size() == 3 && r.at(0).isString() && r.at(0).str() == "message";
}

}  // namespace

ReentrantLock::ReentrantLock(LockContext context)
    : context_(std::move(context)), conn_(connectAsOwner(context_)) {
    if (context_.config.watchdogTimeout < milliseconds(3))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "reentrant: watchdogTimeout must be at least 3 ms");
    // The tag prefix lets a monitor match the field to our connection name (see header). A tag
    // that is not 8 hex digits would break Redisson's UUID shape, so it is then left out.
    instanceId_ = randomUuid4();
    const std::string& tag = context_.owner.tag;
    if (tag.size() == 8 && isLowerHex(tag)) instanceId_.replace(0, 8, tag);
}

ReentrantLock::~ReentrantLock() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (watchdog_.joinable()) watchdog_.join();
}

std::string ReentrantLock::fieldForThisThread() const {
    return instanceId_ + ":" + std::to_string(static_cast<long long>(::gettid()));
}

std::string ReentrantLock::unlockChannel(std::string_view key) {
    return redissonUnlockChannel(key);
}

milliseconds ReentrantLock::leaseFor(milliseconds ttl) const {
    return ttl > milliseconds(0) ? ttl : context_.config.watchdogTimeout;
}

std::optional<Lease> ReentrantLock::tryAcquire(std::string_view key, milliseconds ttl) {
    return attempt(key, ttl, nullptr);
}

std::optional<Lease> ReentrantLock::attempt(std::string_view key, milliseconds ttl,
                                            milliseconds* pttl) {
    const milliseconds lease = leaseFor(ttl);
    const std::string field = fieldForThisThread();
    const auto now = context_.clock->steadyNow();
    const redis::Arg keys[] = {key};
    const redis::Arg argv[] = {lease, field};
    ++stats_.attempts;
    // The script answers nil like Redisson's; the HGET queued behind it reads the new hold count
    // in the same round trip (only this thread of this instance writes our field).
    auto p = conn_.pipeline();
    p.eval(lockScript(), keys, argv).add({"HGET", key, field});
    auto replies = p.exec();
    if (replies[0].isError() &&
        redis::classifyServerError(replies[0].errorMessage()) == redis::ErrorKind::NoScript) {
        // SCRIPT FLUSH since this connection loaded it: eval() sends the source again.
        replies.clear();
        replies.push_back(conn_.eval(lockScript(), keys, argv));
        replies.push_back(conn_.command({"HGET", key, field}));
    }
    replies[0].throwIfError();
    if (!replies[0].isNil()) {
        if (pttl) *pttl = milliseconds(replies[0].integer());
        return std::nullopt;
    }

    Lease out;
    out.key = std::string(key);
    out.token = field;
    out.ttl = lease;
    out.acquiredAt = now;
    out.validUntil = now + lease;
    auto count = replies[1].optString();
    out.holdCount = count ? std::max(1, parseCount(*count)) : 1;
    ++stats_.acquisitions;
    if (ttl <= milliseconds(0)) {
        {
            std::lock_guard lock(mutex_);
            watched_[{out.key, field}].releasing = false;
            if (!watchdog_.joinable())
                watchdog_ = std::thread([this] {
                    setThreadName("ls-lock-wdog");
                    watchdogLoop();
                });
        }
        wake_.notify_all();
    }
    return out;
}

std::optional<Lease> ReentrantLock::acquire(std::string_view key, milliseconds ttl,
                                            const WaitOptions& wait) {
    if (wait.timeout <= milliseconds(0)) return tryAcquire(key, ttl);
    const auto deadline = Steady::now() + wait.timeout;
    const std::string channel = unlockChannel(key);
    auto cancelled = [&] { return wait.cancel && wait.cancel->load(); };

    // Subscribe before the first try: a release between a failed try and the SUBSCRIBE would
    // otherwise go unheard.
    redis::Connection& sub = subscriber();
    try {
        sub.send({"SUBSCRIBE", channel});
        auto confirm = sub.receive();
        confirm.throwIfError();
        if (!confirm.isArray() || confirm.size() < 1 || confirm.at(0).str() != "subscribe")
            throw redis::Error(redis::ErrorKind::Protocol,
                               "unexpected answer to SUBSCRIBE: " + confirm.describe());
    } catch (...) {
        sub.disconnect();  // in an unknown pub/sub state: start afresh next time
        throw;
    }

    std::optional<Lease> lease;
    try {
        while (true) {
            milliseconds pttl{-1};
            if ((lease = attempt(key, ttl, &pttl))) break;
            if (Steady::now() >= deadline || cancelled()) break;
            // Sleep until the unlock message, or until the holder's lease runs out (a holder
            // that dies publishes nothing); pttl -1 (a lock without TTL) waits for the message.
            // +1 ms: Redis expires a key only once its deadline has passed, so retrying at
            // exactly pttl would spin through that last millisecond.
            const auto retryAt = pttl >= milliseconds(0)
                                     ? std::min(deadline, Steady::now() + pttl + milliseconds(1))
                                     : deadline;
            bool woken = false;
            while (!woken && !cancelled()) {
                const auto now = Steady::now();
                if (now >= retryAt) break;
                auto slice = std::chrono::ceil<milliseconds>(retryAt - now);
                slice = std::min(slice, milliseconds(wait.cancel ? 50 : 60000));
                if (auto message = sub.receiveFor(slice)) woken = isPubSubMessage(*message);
            }
            if (cancelled()) break;
        }
    } catch (...) {
        unsubscribe(channel);
        throw;
    }
    unsubscribe(channel);
    return lease;
}

void ReentrantLock::unsubscribe(const std::string& channel) noexcept {
    if (!subscriber_) return;
    try {
        subscriber_->send({"UNSUBSCRIBE", channel});
        // Messages published before the UNSUBSCRIBE took effect arrive first: drop them.
        for (int i = 0; i < 10000; ++i) {
            auto r = subscriber_->receive();
            if (r.isArray() && r.size() >= 1 && r.at(0).isString() &&
                r.at(0).str() == "unsubscribe")
                return;
        }
    } catch (...) {}
    subscriber_->disconnect();  // could not tell: a fresh connection is never subscribed
}

redis::Connection& ReentrantLock::subscriber() {
    if (!subscriber_) subscriber_.emplace(connectAsOwner(context_));
    return *subscriber_;
}

ReleaseResult ReentrantLock::release(const Lease& lease) {
    const auto id = std::make_pair(lease.key, lease.token);
    auto settle = [&](bool stillHeld) {
        std::lock_guard lock(mutex_);
        auto it = watched_.find(id);
        if (it == watched_.end()) return;
        if (stillHeld)
            it->second.releasing = false;
        else
            watched_.erase(it);
    };
    {
        std::lock_guard lock(mutex_);
        if (auto it = watched_.find(id); it != watched_.end()) it->second.releasing = true;
    }
    const std::string channel = unlockChannel(lease.key);
    const redis::Arg keys[] = {lease.key, channel};
    const redis::Arg argv[] = {kUnlockMessage, leaseFor(lease.ttl), lease.token};
    long long code = 0;
    try {
        code = conn_.eval(unlockScript(), keys, argv).integer();
    } catch (...) {
        settle(true);  // unknown outcome: keep renewing; a lost field shows at the next renewal
        throw;
    }
    settle(code == 2);
    switch (code) {
        case 1:
            return ReleaseResult::Released;
        case 2:
            return ReleaseResult::StillHeld;
        case 0:
            return ReleaseResult::NotHeld;
        default:
            return ReleaseResult::NotOwner;
    }
}

bool ReentrantLock::extend(Lease& lease, milliseconds ttl) {
    const milliseconds newLease = leaseFor(ttl);
    const auto now = context_.clock->steadyNow();
    const redis::Arg keys[] = {lease.key};
    const redis::Arg argv[] = {newLease, lease.token};
    if (conn_.eval(renewScript(), keys, argv).integer() != 1) return false;
    lease.ttl = newLease;
    lease.validUntil = now + newLease;
    return true;
}

LockInfo ReentrantLock::inspect(std::string_view key) {
    LockInfo info;
    const std::string type(conn_.command({"TYPE", key}).str());
    if (type != "hash") {
        info.ttl = milliseconds(conn_.command({"PTTL", key}).integer());
        if (type != "none") info.detail = "not a reentrant lock: it is a " + type;
        return info;
    }
    auto p = conn_.pipeline();
    p.add({"HGETALL", key}).add({"PTTL", key});
    auto replies = p.exec();
    for (auto& r : replies) r.throwIfError();
    info.ttl = milliseconds(replies[1].integer());
    if (info.ttl == milliseconds(-2)) return info;
    // An application's hash is nobody's lock (adv14b item 9: `lock acquire app --strategy
    // reentrant` on {name, age} said "held by age"): by the monitor's own recognition.
    KindEvidence e;
    e.type = "hash";
    for (size_t i = 0; i + 1 < replies[0].size(); i += 2)
        e.fields.emplace_back(std::string(replies[0].at(i).str()),
                              std::string(replies[0].at(i + 1).str()));
    if (const auto kind = recogniseKind(e); kind.kind == "hash") {
        info.detail = "not a reentrant lock: it is " + describeKind(kind.kind, kind.detail);
        return info;
    }
    info.held = true;
    // Every field but Redisson's read-write "mode" is a holder; an RLock has exactly one.
    int holders = 0;
    const auto& all = replies[0];
    for (size_t i = 0; i + 1 < all.size(); i += 2) {
        const std::string_view field = all.at(i).str();
        if (field == "mode") continue;
        ++holders;
        if (info.holder.empty() || field < info.holder) {
            info.holder = std::string(field);
            info.holdCount = parseCount(all.at(i + 1).str());
        }
    }
    info.detail = holders <= 1 ? "hold count " + std::to_string(info.holdCount)
                               : std::to_string(holders) + " holders";
    return info;
}

std::uint64_t ReentrantLock::lostLeases() const {
    std::lock_guard lock(mutex_);
    return lostCount_;
}

std::uint64_t ReentrantLock::watchdogErrors() const {
    std::lock_guard lock(mutex_);
    return watchdogErrors_;
}

void ReentrantLock::watchdogLoop() noexcept {
    // Redisson renews at internalLockLeaseTime / 3: two renewals may fail before the lease ends.
    const milliseconds period = context_.config.watchdogTimeout / 3;
    const std::string lease = std::to_string(context_.config.watchdogTimeout.count());
    std::optional<redis::Connection> conn;  // created here, so a connect failure stays here
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (watched_.empty()) {
            wake_.wait(lock);
            continue;
        }
        if (wake_.wait_for(lock, period, [this] { return stopping_; })) break;
        std::vector<std::pair<std::string, std::string>> due;
        for (const auto& [id, w] : watched_)
            if (!w.releasing) due.push_back(id);
        lock.unlock();
        for (const auto& [key, field] : due) {
            long long renewed = -1;
            try {
                if (!conn) conn.emplace(connectAsOwner(context_));
                const redis::Arg keys[] = {key};
                const redis::Arg argv[] = {lease, field};
                renewed = conn->eval(renewScript(), keys, argv).integer();
            } catch (...) {
                // Caught here (nothing throws across threads); the next period tries again and
                // the connection reconnects by itself.
            }
            std::lock_guard relock(mutex_);
            if (renewed < 0) {
                ++watchdogErrors_;
            } else if (renewed == 0) {
                // Expired or force-released: stop renewing it. A release in flight is no loss.
                auto it = watched_.find({key, field});
                if (it != watched_.end() && !it->second.releasing) {
                    watched_.erase(it);
                    ++lostCount_;
                }
            }
        }
        lock.lock();
    }
}

}  // namespace lockscope::locks

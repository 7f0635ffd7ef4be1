#include "locks/fenced.h"

#include "locks/compare.h"

namespace lockscope::locks {
namespace {

// KEYS[1] = lock, KEYS[2] = fence counter; ARGV[1] = token, ARGV[2] = ttl ms.
// Returns the new fencing token, or nil when the lock is busy.
const redis::Script& acquireScript() {
    static const redis::Script script(R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false
)lua");
    return script;
}

// KEYS[1] = resource hash; ARGV[1] = fence, ARGV[2] = value, ARGV[3] = lease ("" = unknown).
// 1 accepted, 0 stale. A token equal to the highest is accepted only from the lease that wrote
// it: a lock server that restarts without persistence hands out the same tokens again, and the
// second holder of token N must not write beside the first (the safety run found this).
const redis::Script& fencedWriteScript() {
    static const redis::Script script(R"lua(
local highest = tonumber(redis.call('HGET', KEYS[1], 'fence') or '-1')
local fence = tonumber(ARGV[1])
if fence < highest then return 0 end
if fence == highest and ARGV[3] ~= '' and redis.call('HGET', KEYS[1], 'lease') ~= ARGV[3] then
  return 0
end
redis.call('HSET', KEYS[1], 'fence', ARGV[1], 'value', ARGV[2], 'lease', ARGV[3])
return 1
)lua");
    return script;
}

}  // namespace

std::string fenceKey(std::string_view lockKey) {
    return "lockscope_fence:{" + std::string(lockKey) + "}";
}

std::optional<Lease> FencedLock::tryAcquire(std::string_view key, milliseconds ttl) {
    Lease lease = beginAttempt(key, ttl);
    auto reply = conn_.eval(acquireScript(), {key, fenceKey(key)}, {lease.token, ttl.count()});
    if (reply.isNil()) return std::nullopt;
    lease.fence = reply.integer();
    return acquired(std::move(lease));
}

LockInfo FencedLock::inspect(std::string_view key) {
    LockInfo info = TokenLock::inspect(key);
    auto last = conn_.command({"GET", fenceKey(key)});
    if (!last.isNil()) {
        info.fence = last.asInteger();
        info.detail = "last fencing token " + std::to_string(*info.fence);
    }
    return info;
}

FencedResource::FencedResource(redis::Connection& connection, std::string key)
    : conn_(&connection), key_(std::move(key)) {}

FencedResource::Write FencedResource::write(long long fence, std::string_view value,
                                            std::string_view lease) {
    return conn_->eval(fencedWriteScript(), {key_}, {fence, value, lease}).integer() == 1
               ? Write::Accepted
               : Write::RejectedStale;
}

std::optional<std::string> FencedResource::value() {
    return conn_->command({"HGET", key_, "value"}).optString();
}

long long FencedResource::highestFence() {
    auto f = conn_->command({"HGET", key_, "fence"});
    return f.isNil() ? -1 : f.asInteger();
}

}  // namespace lockscope::locks

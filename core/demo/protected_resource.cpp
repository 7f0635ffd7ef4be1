#include "demo/protected_resource.h"

#include "counters/counter_strategy.h"
#include "locks/fenced.h"

namespace lockscope::demo {
namespace {

// KEYS: occupants, stats; ARGV: pid, token. Returns how many others were inside.
const redis::Script& enterScript() {
    static const redis::Script script(R"lua(
local others = redis.call('HLEN', KEYS[1]) - redis.call('HEXISTS', KEYS[1], ARGV[1])
if others > 0 then redis.call('HINCRBY', KEYS[2], 'violations', 1) end
redis.call('HSET', KEYS[1], ARGV[1], 'entered ' .. ARGV[2])
redis.call('HINCRBY', KEYS[2], 'enters', 1)
return others
)lua");
    return script;
}

// KEYS: occupants, data; ARGV: pid, token, fence ("" = unfenced). Returns the value. A fence
// higher than any seen is remembered: a holder that reads with an older token afterwards can
// no longer write (otherwise a stale holder's write could land between a newer holder's read
// and write, and be lost without a rejection).
const redis::Script& readScript() {
    static const redis::Script script(R"lua(
if ARGV[3] ~= '' then
  local highest = tonumber(redis.call('HGET', KEYS[2], 'fence') or '-1')
  if tonumber(ARGV[3]) > highest then redis.call('HSET', KEYS[2], 'fence', ARGV[3]) end
end
redis.call('HSET', KEYS[1], ARGV[1], 'read ' .. ARGV[2])
return redis.call('HGET', KEYS[2], 'value') or '0'
)lua");
    return script;
}

// KEYS: data, stats, occupants; ARGV: value, fence ("" = unfenced), pid, token. 1 accepted, 0
// rejected (stale). The fencing rule is Kleppmann's textbook one (a token below the highest is
// stale), on purpose without locks::FencedResource's same-lease check for a repeated token: the
// failover demo teaches that fencing needs a counter that survives the failover. Done here with the
// write count. The occupant's phase becomes "wrote": the engine only pauses or kills holders that
// have read but not yet written, so a fault always hits a stale read.
const redis::Script& writeScript() {
    static const redis::Script script(R"lua(
if redis.call('HEXISTS', KEYS[3], ARGV[3]) == 1 then
  redis.call('HSET', KEYS[3], ARGV[3], 'wrote ' .. ARGV[4])
end
if ARGV[2] ~= '' then
  local highest = tonumber(redis.call('HGET', KEYS[1], 'fence') or '-1')
  if tonumber(ARGV[2]) < highest then
    redis.call('HINCRBY', KEYS[2], 'rejected', 1)
    return 0
  end
  redis.call('HSET', KEYS[1], 'fence', ARGV[2])
end
redis.call('HSET', KEYS[1], 'value', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'writes', 1)
return 1
)lua");
    return script;
}

std::string fenceArg(std::optional<long long> fence) {
    return fence ? std::to_string(*fence) : std::string();
}

}  // namespace

ProtectedResource::ProtectedResource(redis::Connection& connection, std::string prefix)
    : conn_(&connection),
      occupants_(prefix + "occupants"),
      stats_(prefix + "stats"),
      data_(prefix + "data") {}

long long ProtectedResource::enter(long long pid, const std::string& token) {
    return conn_->eval(enterScript(), {occupants_, stats_}, {pid, token}).integer();
}

long long ProtectedResource::read(long long pid, const std::string& token,
                                  std::optional<long long> fence) {
    return conn_->eval(readScript(), {occupants_, data_}, {pid, token, fenceArg(fence)})
        .asInteger();
}

ProtectedResource::Write ProtectedResource::write(long long pid, const std::string& token,
                                                  long long value, std::optional<long long> fence) {
    return conn_->eval(writeScript(), {data_, stats_, occupants_},
                       {value, fenceArg(fence), pid, token})
                       .integer() == 1
               ? Write::Accepted
               : Write::RejectedStale;
}

void ProtectedResource::exit(long long pid) { conn_->command({"HDEL", occupants_, pid}); }

void ProtectedResource::forget(long long pid) { exit(pid); }

std::vector<ProtectedResource::Occupant> ProtectedResource::occupants() {
    auto all = conn_->command({"HGETALL", occupants_});
    std::vector<Occupant> out;
    for (size_t i = 0; i + 1 < all.size(); i += 2) {
        Occupant o;
        o.pid = all[i].asInteger();
        const std::string v(all[i + 1].str());
        const auto space = v.find(' ');
        o.phase = v.substr(0, space);
        if (space != std::string::npos) o.token = v.substr(space + 1);
        out.push_back(std::move(o));
    }
    return out;
}

ProtectedResource::Snapshot ProtectedResource::snapshot() {
    auto stats = conn_->command({"HMGET", stats_, "enters", "violations", "writes", "rejected"});
    Snapshot s;
    s.enters = counters::integerOrZero(stats[0]);
    s.violations = counters::integerOrZero(stats[1]);
    s.writes = counters::integerOrZero(stats[2]);
    s.rejected = counters::integerOrZero(stats[3]);
    // The data hash is locks::FencedResource's {value, fence}: read it back through it.
    locks::FencedResource data(*conn_, data_);
    const auto value = data.value();
    s.value = value ? std::stoll(*value) : 0;
    s.highestFence = data.highestFence();
    return s;
}

std::vector<std::string> ProtectedResource::keys() const { return {occupants_, stats_, data_}; }

}  // namespace lockscope::demo

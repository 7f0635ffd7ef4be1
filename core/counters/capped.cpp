#include "counters/capped.h"

#include <algorithm>
#include <cstdio>

namespace lockscope::counters {
namespace {

// KEYS[1] = user's count today, KEYS[2] = total; ARGV = weight, cap, ms until it expires.
// 1 counted, 0 over the cap (nothing written).
const redis::Script& voteScript() {
    static const redis::Script script(R"lua(
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('INCRBY', KEYS[2], ARGV[1])
return 1
)lua");
    return script;
}

using Days = std::chrono::duration<long long, std::ratio<86400>>;

// Until the next UTC midnight by the client's clock, as a relative TTL: PEXPIREAT would carry
// any difference between the client's and the server's clocks into the expiry.
long long msUntilUtcMidnight(const Clock& clock) {
    const auto now = clock.wallNow();
    const auto midnight = std::chrono::floor<Days>(now) + Days(1);
    return std::max<long long>(1, std::chrono::duration_cast<milliseconds>(midnight - now).count());
}

}  // namespace

CappedCounter::CappedCounter(std::string spec, std::string key, bool atomic,
                             const CounterContext& context)
    : CounterStrategy(std::move(spec), std::move(key)),
      conn_(connectCounter(context)),
      clock_(context.clock),
      cap_(context.config.cap),
      atomic_(atomic) {}

std::string CappedCounter::userKey(std::string_view actor) const {
    const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(clock_->wallNow())};
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return key() + ":user:" + std::string(actor) + ":" + date;
}

Outcome CappedCounter::increment(long long by, std::string_view actor) {
    ++stats_.ops;
    const std::string user = userKey(actor);
    const long long expireIn = msUntilUtcMidnight(*clock_);
    bool counted = false;
    if (atomic_) {
        counted = conn_.eval(voteScript(), {user, key()}, {by, cap_, expireIn}).integer() == 1;
        ++stats_.roundTrips;
    } else {
        // Check, then act: the gap between these two requests is the bug.
        const long long votes = integerOrZero(conn_.command({"GET", user}));
        ++stats_.roundTrips;
        if (votes + by <= cap_) {
            auto p = conn_.pipeline();
            p.add({"INCRBY", user, by}).add({"PEXPIRE", user, expireIn}).add({"INCRBY", key(), by});
            for (const auto& r : p.exec()) r.throwIfError();
            ++stats_.roundTrips;
            counted = true;
        }
    }
    if (!counted) {
        ++stats_.rejected;
        return Outcome::Rejected;
    }
    ++stats_.applied;
    return Outcome::Applied;
}

long long CappedCounter::read() { return integerOrZero(conn_.command({"GET", key()})); }

long long CappedCounter::votesOf(std::string_view actor) {
    return integerOrZero(conn_.command({"GET", userKey(actor)}));
}

void CappedCounter::reset() {
    conn_.command({"DEL", key()});
    deleteByPrefix(conn_, key() + ":user:");
}

}  // namespace lockscope::counters

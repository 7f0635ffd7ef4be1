// The one interface every counter strategy implements, the registry of strategies, and how to
// make one from a spec.
//
// Strategies (one file each; docs/seed-recipes.md#counter-strategies has the recipes and what each
// does under contention):
//   naive  incr  watch  locked[:<lock strategy>]  lua  versioned  batched  capped[:naive|:atomic]
//
// A spec is a strategy id with an optional variant after ':' — the lock strategy that `locked`
// uses (default set-nx-px), or which of seed 001's two vote limits `capped` runs. The demo runs
// bare `capped` as both variants, one result row each.
//
// Errors follow redis/error.h: connection failures throw redis::Error; "over the cap" and "lock
// not acquired in time" are ordinary outcomes (Outcome::Rejected), not errors.
//
// Thread contract: an instance is used by one thread at a time and owns its connections; run one
// instance per worker (that is what makes them contend like separate clients).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "locks/lock_strategy.h"
#include "locks/owner.h"
#include "redis/connection.h"
#include "util/clock.h"

namespace lockscope::counters {

using std::chrono::milliseconds;

struct CounterStats {
    std::uint64_t ops = 0;      // increment() calls
    std::uint64_t applied = 0;  // increments acknowledged by Redis (batched: once flushed)
    // watch: transactions whose EXEC aborted; versioned: writes refused because the version had
    // moved; locked: lock attempts that found the lock busy. Each is followed by another try.
    std::uint64_t retries = 0;
    std::uint64_t roundTrips = 0;  // requests that waited for a reply (a pipeline counts once)
    std::uint64_t rejected = 0;    // capped: over the limit; locked: no lock within lockWait
};

enum class Outcome {
    Applied,   // Redis acknowledged the increment
    Queued,    // batched: held locally until the next flush
    Rejected,  // not counted (see CounterStats::rejected)
};

// Knobs of individual strategies. Defaults are what a user of the recipe would pick.
struct CounterConfig {
    // locked: the lock's TTL, how long to wait for it, and the lock's own knobs.
    milliseconds lockTtl{2000};
    milliseconds lockWait{10000};
    locks::LockConfig lock;
    // batched: flush when the oldest unflushed increment is this old (checked on increment())…
    milliseconds batchInterval{50};
    // …or when this many increments are pending; 0 means no count limit.
    long long batchMax = 0;
    // capped: votes one user may cast per (UTC) day. Seed 001's story says "3 or 5".
    long long cap = 5;
    // Checked between lock attempts and watch retries; may be null.
    const std::atomic<bool>* cancel = nullptr;
};

// Everything a strategy needs to create its connections.
struct CounterContext {
    // The counter lives on nodes[0]; `locked` over redlock takes its lock on all of them.
    std::vector<redis::Endpoint> nodes;
    redis::ConnectOptions connect;  // clientName is set to owner.clientName()
    const Clock* clock = &systemClock();
    locks::Owner owner = locks::Owner::create();
    CounterConfig config;
};

class CounterStrategy {
public:
    virtual ~CounterStrategy() = default;
    CounterStrategy(const CounterStrategy&) = delete;
    CounterStrategy& operator=(const CounterStrategy&) = delete;

    virtual std::string_view id() const = 0;
    // The spec it was made from ("locked:fenced", "capped:naive", "incr").
    const std::string& spec() const { return spec_; }
    const std::string& key() const { return key_; }

    // Adds `by` to the counter. `actor` says on whose behalf: capped counts it against that
    // user's daily limit; the others ignore it.
    virtual Outcome increment(long long by = 1, std::string_view actor = {}) = 0;
    // batched: sends what is pending now. The others have nothing pending.
    virtual void flush() {}
    // The value in Redis (batched: without what is still pending here).
    virtual long long read() = 0;
    // Deletes every key this strategy wrote for its counter.
    virtual void reset() = 0;

    const CounterStats& stats() const { return stats_; }

protected:
    CounterStrategy(std::string spec, std::string key)
        : spec_(std::move(spec)), key_(std::move(key)) {}
    CounterStats stats_;

private:
    std::string spec_;
    std::string key_;
};

struct CounterStrategyInfo {
    std::string_view id;
    std::string_view summary;  // one line for --help
    std::string_view
        contention;  // what happens under contention (docs/seed-recipes.md#counter-strategies)
    std::string_view source;  // which seed recipe it implements
    bool exact;               // ends exact under contention without faults
};

std::span<const CounterStrategyInfo> counterStrategies();
const CounterStrategyInfo* findCounterStrategy(std::string_view id);

struct CounterSpec {
    std::string id;       // registry id
    std::string variant;  // locked: lock strategy id; capped: "naive" | "atomic"; else ""
    std::string text() const { return variant.empty() ? id : id + ":" + variant; }
};

// "locked" → {locked, set-nx-px}; "capped" → {capped, atomic}; "naive" → {naive, ""}. Throws
// redis::Error(InvalidArgument) naming the known strategies / variants.
CounterSpec parseCounterSpec(std::string_view text);
// A comma-separated list as the demo takes it; bare "capped" becomes capped:naive and
// capped:atomic (the two rows seed 001's story compares). Throws like parseCounterSpec, and for
// an empty list.
std::vector<CounterSpec> expandCounterSpecs(std::string_view list);

// Makes the strategy for `spec` on counter `key` and connects it. Throws redis::Error.
std::unique_ptr<CounterStrategy> makeCounterStrategy(std::string_view spec, std::string key,
                                                     CounterContext context);

// A connection to context.nodes[0], named after the owner.
redis::Connection connectCounter(const CounterContext& context);

// An integer reply or bulk string, 0 for nil (a counter nobody has written yet).
long long integerOrZero(const redis::ReplyView& reply);

// `text` with Redis glob characters escaped, for SCAN MATCH.
std::string globEscape(std::string_view text);
// Deletes every key that starts with `prefix` (SCAN MATCH, never KEYS); returns how many.
long long deleteByPrefix(redis::Connection& connection, std::string_view prefix);

}  // namespace lockscope::counters

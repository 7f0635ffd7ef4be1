#include "counters/counter_strategy.h"

#include "counters/batched.h"
#include "counters/capped.h"
#include "counters/incr.h"
#include "counters/locked.h"
#include "counters/lua.h"
#include "counters/naive.h"
#include "counters/versioned.h"
#include "counters/watch.h"
#include "redis/error.h"

namespace lockscope::counters {
namespace {

// The "seed NNN" sources are the articles summarised in docs/seed-recipes.md.
constexpr CounterStrategyInfo kStrategies[] = {
    {"naive", "GET, add in the client, SET: two commands with a gap between them",
     "loses updates: a SET overwrites the increments made since its GET", "seed 000 (the problem)",
     false},
    {"incr", "INCRBY: the server adds, one atomic command", "exact", "seed 001", true},
    {"watch", "WATCH/GET/MULTI/SET/EXEC, retried whenever EXEC aborts",
     "exact, with retries: EXEC aborts when another client wrote since the WATCH", "seed 000 (#1)",
     true},
    {"locked", "GET+SET inside a lock; locked:<lock strategy> picks it (default set-nx-px)",
     "exact while the lock holds; inherits the lock's hazards", "seed 000 (#2, #3)", true},
    {"lua", "read-modify-write in one Lua script", "exact", "(standard)", true},
    {"versioned", "hash {value, version}; write only if the version is unchanged (optimistic)",
     "exact, with conflicts: a write whose version moved is refused and retried", "seed 003 (#5)",
     true},
    {"batched", "merge increments locally; one INCRBY per interval (request merging)",
     "exact after the final flush, with far fewer round trips; unflushed increments die with "
     "the process",
     "seed 003 (#4)", true},
    {"capped", "per-user daily vote limit: capped:naive checks then INCRs, capped:atomic in Lua",
     "naive over-votes past the cap; atomic never exceeds it", "seed 001 (voting)", false},
};

[[noreturn]] void invalid(const std::string& message) {
    throw redis::Error(redis::ErrorKind::InvalidArgument, message);
}

std::string knownIds() {
    std::string known;
    for (const auto& s : kStrategies) known += (known.empty() ? "" : ", ") + std::string(s.id);
    return known;
}

}  // namespace

std::span<const CounterStrategyInfo> counterStrategies() { return kStrategies; }

const CounterStrategyInfo* findCounterStrategy(std::string_view id) {
    for (const auto& s : kStrategies)
        if (s.id == id) return &s;
    return nullptr;
}

CounterSpec parseCounterSpec(std::string_view text) {
    CounterSpec spec;
    const auto colon = text.find(':');
    spec.id = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) spec.variant = std::string(text.substr(colon + 1));
    if (!findCounterStrategy(spec.id))
        invalid("unknown counter strategy '" + std::string(text) + "'; known: " + knownIds());
    if (spec.id == "locked") {
        if (spec.variant.empty()) spec.variant = "set-nx-px";
        const auto* lock = locks::findLockStrategy(spec.variant);
        if (!lock || lock->kind == locks::LockKind::Latch) {
            std::string known;
            for (const auto& l : locks::lockStrategies())
                if (l.kind != locks::LockKind::Latch)
                    known += (known.empty() ? "" : ", ") + std::string(l.id);
            invalid("unknown lock strategy '" + spec.variant + "' in '" + std::string(text) +
                    "'; known: " + known);
        }
    } else if (spec.id == "capped") {
        if (spec.variant.empty()) spec.variant = "atomic";
        if (spec.variant != "naive" && spec.variant != "atomic")
            invalid("'capped' comes as capped:naive or capped:atomic, not '" + std::string(text) +
                    "'");
    } else if (!spec.variant.empty()) {
        invalid("counter strategy '" + spec.id + "' has no variants ('" + std::string(text) + "')");
    }
    return spec;
}

std::vector<CounterSpec> expandCounterSpecs(std::string_view list) {
    std::vector<CounterSpec> specs;
    while (true) {
        const auto comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        if (item.empty()) invalid("empty strategy in the list '" + std::string(list) + "'");
        if (item == "capped") {
            specs.push_back({"capped", "naive"});
            specs.push_back({"capped", "atomic"});
        } else {
            specs.push_back(parseCounterSpec(item));
        }
        if (comma == std::string_view::npos) break;
        list = list.substr(comma + 1);
    }
    return specs;
}

std::unique_ptr<CounterStrategy> makeCounterStrategy(std::string_view specText, std::string key,
                                                     CounterContext context) {
    const CounterSpec spec = parseCounterSpec(specText);
    if (context.nodes.empty()) invalid("no Redis server given");
    if (spec.id != "locked" || !locks::findLockStrategy(spec.variant)->multiNode)
        context.nodes.resize(1);  // single-server recipes use the first node
    const std::string text = spec.text();
    if (spec.id == "naive") return std::make_unique<NaiveCounter>(text, std::move(key), context);
    if (spec.id == "incr") return std::make_unique<IncrCounter>(text, std::move(key), context);
    if (spec.id == "watch") return std::make_unique<WatchCounter>(text, std::move(key), context);
    if (spec.id == "lua") return std::make_unique<LuaCounter>(text, std::move(key), context);
    if (spec.id == "versioned")
        return std::make_unique<VersionedCounter>(text, std::move(key), context);
    if (spec.id == "batched")
        return std::make_unique<BatchedCounter>(text, std::move(key), context);
    if (spec.id == "locked")
        return std::make_unique<LockedCounter>(text, std::move(key), spec.variant, context);
    if (spec.id == "capped")
        return std::make_unique<CappedCounter>(text, std::move(key), spec.variant == "atomic",
                                               context);
    invalid("counter strategy '" + spec.id + "' is not built into this binary");
}

redis::Connection connectCounter(const CounterContext& context) {
    redis::ConnectOptions options = context.connect;
    options.clientName = context.owner.clientName();
    return redis::Connection(context.nodes.at(0), options);
}

long long integerOrZero(const redis::ReplyView& reply) {
    return reply.isNil() ? 0 : reply.asInteger();
}

std::string globEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

long long deleteByPrefix(redis::Connection& connection, std::string_view prefix) {
    const std::string pattern = globEscape(prefix) + "*";
    std::string cursor = "0";
    long long deleted = 0;
    do {
        auto page = connection.command({"SCAN", cursor, "MATCH", pattern, "COUNT", 1000});
        cursor = std::string(page[0].str());
        const auto keys = page[1];
        if (keys.size() == 0) continue;
        redis::Command del{"UNLINK"};
        std::vector<std::string> names;
        names.reserve(keys.size());
        for (size_t i = 0; i < keys.size(); ++i) names.emplace_back(keys[i].str());
        for (const auto& n : names) del << n;
        deleted += connection.command(del).integer();
    } while (cursor != "0");
    return deleted;
}

}  // namespace lockscope::counters

// `lua`: the read-modify-write as one Lua script. Redis runs a script to completion before any
// other command, so GET + add + SET cannot interleave with another client's — exact, in one round
// trip (EVALSHA), and the shape to copy for updates INCRBY cannot express.
//
// Thread contract: see CounterStrategy.
#pragma once

#include "counters/counter_strategy.h"

namespace lockscope::counters {

class LuaCounter final : public CounterStrategy {
public:
    LuaCounter(std::string spec, std::string key, const CounterContext& context);
    std::string_view id() const override { return "lua"; }
    Outcome increment(long long by, std::string_view actor) override;
    long long read() override;
    void reset() override;

private:
    redis::Connection conn_;
};

}  // namespace lockscope::counters

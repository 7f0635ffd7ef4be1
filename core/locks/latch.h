// `latch`: a countdown latch in Redisson's RCountDownLatch layout
// (docs/client-formats.md#format-latch): waiters block until N count-downs have happened.
//
//     <key>                  string  what is left to count down; deleted when it reaches 0
//     lockscope_meta:{<key>} hash    {kind: latch, size: N} (LockScope's record; Redisson keeps
//                                    none), deleted with the latch
//     PUBLISH "redisson_countdownlatch__channel__{<key>}" "0" when it reaches zero (Redisson's
//             ZERO_COUNT_MESSAGE), "1" when a count is set (NEW_COUNT_MESSAGE)
//
// Why not a LockStrategy: nobody holds a latch. There is nothing to acquire, release or extend,
// and no owner to compare — its operations are set, count down and wait for zero, so it gets this
// small class of its own. It is still listed with the strategies (LockKind::Latch), inspected like
// them (LockInfo: holder "count:<left>/<size>") and force-released by the monitor (opened).
//
// A missing key is an open latch (count 0), as in Redisson: await() on a latch nobody set returns
// at once (countIfSet() tells "open" from "never set": the key is gone either way).
//
// Every operation first checks that the key is a latch (locks/kind_check.h) and refuses anything
// else with redis::Error(WrongType) naming what the key is — an application's integer is not
// counted down. A bare integer (Redisson's RCountDownLatch keeps no record) is used only with
// LockConfig::adoptBareCount.
//
// Thread contract: an instance is used by one thread at a time (it owns its connections).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "locks/lock_strategy.h"
#include "locks/wake_channel.h"

namespace lockscope::locks {

class CountDownLatch {
public:
    explicit CountDownLatch(LockContext context);

    // Sets the count if the latch is open (the key does not exist); false if it was set already.
    // count must be at least 1 (redis::Error InvalidArgument).
    bool trySetCount(std::string_view key, long long count);
    // One count-down; returns what is left (0: the latch opened now), or -1 when there is no
    // such latch (nothing was counted down: it was never set, or it is open already).
    long long countDown(std::string_view key);
    // What is left; 0 when the key does not exist (Redisson's reading: a missing latch is open).
    long long count(std::string_view key);
    // The same, nullopt when the key does not exist.
    std::optional<long long> countIfSet(std::string_view key);
    // Blocks until the count is 0 (true), or the timeout passes / wait.cancel is set (false).
    // Woken by Redisson's zero message: nobody polls.
    bool await(std::string_view key, const WaitOptions& wait);
    LockInfo inspect(std::string_view key);

    // Redisson's "redisson_countdownlatch__channel__{<key>}" (braces always, unlike prefixName).
    static std::string channel(std::string_view key);

private:
    LockContext context_;
    redis::Connection conn_;
    WakeChannel wake_;
};

}  // namespace lockscope::locks

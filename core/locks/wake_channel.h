// How a blocking acquire sleeps: on a pub/sub channel the releasing side publishes to, with a
// deadline for what no message announces (a holder's lease running out, a dead waiter's turn).
// Used by every strategy whose waiters are woken by a message — reentrant, fair, read-write, the
// semaphores and the latch — so they do not poll.
//
//   WakeChannel wake(connect);         // the subscriber connection is made on first use and kept
//   wake.subscribe(channel);           // BEFORE the first attempt: no release can go unheard
//   while (!attempt()) wake.waitUntil(retryAt, cancel);
//   wake.unsubscribe();                // also done by the destructor
//
// A connection in an unknown pub/sub state (an error mid-subscribe, an UNSUBSCRIBE whose reply
// never came) is dropped: a fresh connection is never subscribed to anything.
//
// Thread contract: one thread at a time, like the strategy that owns it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "redis/connection.h"

namespace lockscope::locks {

class WakeChannel {
public:
    using Steady = std::chrono::steady_clock;

    explicit WakeChannel(std::function<redis::Connection()> connect);
    ~WakeChannel();
    WakeChannel(const WakeChannel&) = delete;
    WakeChannel& operator=(const WakeChannel&) = delete;

    // SUBSCRIBE and wait for its confirmation; throws redis::Error (the connection is dropped).
    void subscribe(const std::string& channel);
    // Sleeps until a message arrives on the channel (true), `until` passes or *cancel is set
    // (false). Wakes every 50 ms to look at `cancel` when there is one.
    bool waitUntil(Steady::time_point until, const std::atomic<bool>* cancel);
    // UNSUBSCRIBE, dropping messages that raced it. Never throws.
    void unsubscribe() noexcept;
    // The last message's payload ("0", a permit count, ...).
    const std::string& lastMessage() const { return lastMessage_; }

private:
    std::function<redis::Connection()> connect_;
    std::optional<redis::Connection> conn_;
    std::string channel_;  // subscribed now; "" when not
    std::string lastMessage_;
};

// Subscribes for a scope: the destructor unsubscribes (also when the scope is left by an error).
class WakeSubscription {
public:
    WakeSubscription(WakeChannel& channel, const std::string& name) : channel_(channel) {
        channel_.subscribe(name);
    }
    ~WakeSubscription() { channel_.unsubscribe(); }
    WakeSubscription(const WakeSubscription&) = delete;
    WakeSubscription& operator=(const WakeSubscription&) = delete;

private:
    WakeChannel& channel_;
};

}  // namespace lockscope::locks

// `redlock`: antirez's Redlock over N independent masters (LockContext::nodes).
//
//   acquire  SET key token NX PX ttl, written to every node before any reply is read; held iff
//            at least N/2+1 nodes said OK and validity = ttl - elapsed - drift > 0, where
//            drift = driftFactor * ttl + driftConstant (LockConfig). Otherwise the attempt
//            compare-and-deletes its token on every node again.
//   release  compare-and-delete on every node, fanned out.
//   extend   compare-and-PEXPIRE on every node; held again only with a quorum and validity > 0.
//   acquire(wait) retries after a random delay (decorrelated jitter, locks/backoff.h).
//
// Node failures: each node has its own connection, connected lazily and with every connect and
// reply bounded by LockConfig::nodeTimeout, so a down or paused (SIGSTOPped) node costs at most
// that long and counts as one failed node, never as a failed call. Only when fewer than a quorum
// of nodes answered at all — when it cannot be known whether the lock is free — does a call throw
// redis::Error (naming every node that failed); a blocking acquire() keeps retrying such
// failures until its timeout.
//
// Hazard the demos show: a node that restarts without persistence (or whose clock jumps) forgets
// or expires the lock early, and a second client can assemble a second majority.
//
// Thread contract: see LockStrategy (one thread at a time; it owns one connection per node).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "locks/lock_strategy.h"
#include "redis/error.h"

namespace lockscope::locks {

class RedlockLock final : public LockStrategy {
public:
    explicit RedlockLock(LockContext context);
    std::string_view id() const override { return "redlock"; }
    std::optional<Lease> tryAcquire(std::string_view key, milliseconds ttl) override;
    std::optional<Lease> acquire(std::string_view key, milliseconds ttl,
                                 const WaitOptions& wait = {}) override;
    ReleaseResult release(const Lease& lease) override;
    bool extend(Lease& lease, milliseconds ttl) override;
    LockInfo inspect(std::string_view key) override;

    int quorum() const { return static_cast<int>(nodes_.size()) / 2 + 1; }
    // drift = driftFactor * ttl + driftConstant: what validity subtracts besides elapsed time.
    std::chrono::microseconds driftFor(milliseconds ttl) const;

private:
    // What one node answered to a fanned-out command: its replies (error replies included), or
    // the failure that kept it from answering. Fixed-size, so a fan-out allocates once, not per
    // node (it runs twice per acquire + release cycle).
    struct NodeOutcome {
        static constexpr int kMaxReplies = 2;  // inspect sends GET + PTTL
        std::array<std::optional<redis::Reply>, kMaxReplies> replies;
        int received = 0;
        int pending = 0;                                  // sent, not read yet
        redis::ErrorKind failure = redis::ErrorKind::Io;  // meaningful when !answered()
        std::string error;                                // "" when the node answered
        bool answered() const { return error.empty(); }
        const redis::Reply& reply(int i = 0) const { return *replies[static_cast<size_t>(i)]; }
    };
    struct Node {
        redis::Endpoint endpoint;
        std::optional<redis::Connection> conn;  // empty until a connect succeeds; then it
                                                // reconnects by itself after a failure
    };

    // Connects node i if it has no Connection yet; throws redis::Error when that fails.
    redis::Connection& connection(size_t i);
    // Lets `send` write its commands to every node (it returns how many), then reads every
    // reply. Connect and reply waits are bounded by nodeTimeout; a node that fails is reported
    // in its outcome, never thrown.
    template <typename Send>
    std::vector<NodeOutcome> fanOut(Send&& send);
    // EVALSHA of `script` on every node; nodes that answer NOSCRIPT (SCRIPT FLUSH) get EVAL.
    std::vector<NodeOutcome> evalEverywhere(const redis::Script& script, redis::Args keys,
                                            redis::Args argv);
    // Throws the "fewer than a quorum answered" error for `what`.
    [[noreturn]] void throwUnreachable(std::string_view what, std::string_view key,
                                       const std::vector<NodeOutcome>& outcomes) const;

    LockContext context_;
    redis::ConnectOptions options_;  // per node: timeouts = nodeTimeout, named after the owner
    std::vector<Node> nodes_;
};

}  // namespace lockscope::locks

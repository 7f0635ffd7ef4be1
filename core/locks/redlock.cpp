#include "locks/redlock.h"

#include <algorithm>
#include <map>
#include <thread>

#include "locks/backoff.h"
#include "locks/compare.h"
#include "redis/error.h"

// How this differs from seed 002's Python sample (docs/seed-recipes.md#seed-002-redlock), which is
// not Redlock:
//   - it returns after the FIRST node that accepts the SET: one node is not a majority, so two
//     clients can each "hold" the lock on different nodes. Here a lock needs N/2+1 nodes.
//   - it never measures how long acquiring took, so its lock may already be (almost) expired on
//     the nodes when it returns. Here validity = ttl - elapsed - drift must stay positive, and
//     the lease says until when (Lease::validUntil).
//   - a failed attempt leaves its SETs behind, blocking everyone until they expire. Here a failed
//     attempt deletes its token again on every node.
//   - it asks the nodes one after another (N round trips; a dead node stalls the rest for the
//     socket timeout). Here the SET is written to every node before any reply is read (one
//     round trip), and every node wait is bounded by nodeTimeout.
//   - its unlock embeds a wall-clock expiry in the value and skips unexpired locks (inverted:
//     it only "releases" locks that are already gone), again stopping after the first node.
//     Here release is a token compare-and-delete on every node.

namespace lockscope::locks {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::microseconds;

// Failures that may pass by themselves (a node restarting, failing over, still loading): a
// blocking acquire retries them. Others (wrong password, ACL, renamed commands) are reported.
bool transient(redis::ErrorKind kind) {
    using K = redis::ErrorKind;
    return kind == K::Connect || kind == K::Timeout || kind == K::Closed || kind == K::Io ||
           kind == K::Busy || kind == K::ReadOnly;
}

}  // namespace

RedlockLock::RedlockLock(LockContext context) : context_(std::move(context)) {
    const milliseconds nodeTimeout = context_.config.nodeTimeout;
    if (context_.nodes.empty())
        throw redis::Error(redis::ErrorKind::InvalidArgument, "redlock needs at least one node");
    if (nodeTimeout <= milliseconds(0))
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "redlock nodeTimeout must be positive: a paused node would block "
                           "every call forever");
    options_ = context_.connect;
    options_.clientName = context_.owner.clientName();
    // A node that cannot connect or answer within nodeTimeout is useless to this attempt anyway
    // (Redlock: "the client uses a timeout which is small compared to the auto-release time").
    options_.commandTimeout = nodeTimeout;
    if (options_.connectTimeout <= milliseconds(0) || options_.connectTimeout > nodeTimeout)
        options_.connectTimeout = nodeTimeout;
    nodes_.reserve(context_.nodes.size());
    for (const auto& endpoint : context_.nodes) nodes_.push_back(Node{endpoint, std::nullopt});
    // Connect now so the first attempt does not pay N handshakes; a node that is down now is
    // simply tried again on the next call.
    for (size_t i = 0; i < nodes_.size(); ++i) {
        try {
            connection(i);
        } catch (const redis::Error&) {}
    }
}

microseconds RedlockLock::driftFor(milliseconds ttl) const {
    const std::chrono::duration<double, std::micro> proportional =
        std::chrono::duration<double, std::micro>(ttl) * context_.config.driftFactor;
    return std::chrono::ceil<microseconds>(proportional) + context_.config.driftConstant;
}

redis::Connection& RedlockLock::connection(size_t i) {
    Node& node = nodes_[i];
    if (!node.conn) {
        node.conn.emplace(node.endpoint, options_);  // stays empty if this throws
    } else if (node.conn->commandTimeout() != context_.config.nodeTimeout) {
        node.conn->setCommandTimeout(context_.config.nodeTimeout);  // fanOut shortened it
    }
    return *node.conn;
}

template <typename Send>
std::vector<RedlockLock::NodeOutcome> RedlockLock::fanOut(Send&& send) {
    const size_t n = nodes_.size();
    std::vector<NodeOutcome> outcomes(n);
    // Should anything unexpected unwind past the read loop, drop the connections that still
    // have replies pending, so none is ever reused with a stale reply in its stream.
    struct PendingGuard {
        std::vector<Node>& nodes;
        std::vector<NodeOutcome>& outcomes;
        ~PendingGuard() {
            for (size_t i = 0; i < outcomes.size(); ++i)
                if (outcomes[i].pending > 0) nodes[i].conn->disconnect();
        }
    } guard{nodes_, outcomes};
    auto fail = [&](size_t i, const redis::Error& e) {
        outcomes[i].failure = e.kind();
        outcomes[i].error = e.what();
    };

    // 1. Write to every node. Connecting (or reconnecting) a node happens here, bounded by
    //    nodeTimeout, and fails that node alone.
    for (size_t i = 0; i < n; ++i) {
        try {
            redis::Connection& c = connection(i);
            outcomes[i].pending = send(c);
        } catch (const redis::Error& e) {
            fail(i, e);  // a send that failed half way has broken (reset) the connection
        }
    }

    // 2. Read every reply. The nodes work in parallel, so all replies share one deadline: two
    //    slow nodes cost one nodeTimeout, not two.
    const milliseconds nodeTimeout = context_.config.nodeTimeout;
    const auto deadline = Steady::now() + nodeTimeout;
    for (size_t i = 0; i < n; ++i) {
        auto& o = outcomes[i];
        if (o.pending == 0) continue;
        redis::Connection& c = *nodes_[i].conn;
        try {
            auto left = std::chrono::ceil<milliseconds>(deadline - Steady::now());
            left = std::clamp(left, milliseconds(1), nodeTimeout);  // 1 ms: take what has arrived
            if (c.commandTimeout() != left) c.setCommandTimeout(left);
            for (; o.pending > 0; --o.pending)
                o.replies[static_cast<size_t>(o.received++)].emplace(c.receive());
        } catch (const redis::Error& e) {
            // receive() failed on I/O or timeout: Connection has dropped the socket (and what
            // was pending on it) and reconnects on the next send.
            o.pending = 0;
            fail(i, e);
        }
    }
    return outcomes;
}

std::vector<RedlockLock::NodeOutcome> RedlockLock::evalEverywhere(const redis::Script& script,
                                                                  redis::Args keys,
                                                                  redis::Args argv) {
    auto outcomes = fanOut([&](redis::Connection& c) {
        c.sendEval(script, keys, argv);
        return 1;
    });
    // Rare: a node lost its scripts (SCRIPT FLUSH) while connected. Retry that node alone with
    // Connection::eval, which falls back to EVAL; better than leaving a lock behind on it.
    for (size_t i = 0; i < outcomes.size(); ++i) {
        auto& o = outcomes[i];
        if (!o.answered() || !o.reply().isError() ||
            redis::classifyServerError(o.reply().errorMessage()) != redis::ErrorKind::NoScript)
            continue;
        try {
            o.replies[0].emplace(connection(i).eval(script, keys, argv));
        } catch (const redis::Error& e) {
            o.failure = e.kind();
            o.error = e.what();
        }
    }
    return outcomes;
}

void RedlockLock::throwUnreachable(std::string_view what, std::string_view key,
                                   const std::vector<NodeOutcome>& outcomes) const {
    int answered = 0;
    std::optional<redis::ErrorKind> kind;
    std::string why;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const auto& o = outcomes[i];
        redis::ErrorKind k = o.failure;
        std::string text = o.error;
        if (o.answered()) {
            int bad = 0;
            while (bad < o.received && !o.reply(bad).isError()) ++bad;
            if (bad == o.received) {
                ++answered;
                continue;
            }
            k = redis::classifyServerError(o.reply(bad).errorMessage());
            text = nodes_[i].endpoint.display() + ": " + std::string(o.reply(bad).errorMessage());
        }
        // Report a configuration problem (wrong password, ACL) before a node that is just down.
        if (!kind || (transient(*kind) && !transient(k))) kind = k;
        why += "; " + text;
    }
    throw redis::Error(kind.value_or(redis::ErrorKind::Io),
                       "redlock " + std::string(what) + " of '" + std::string(key) + "': only " +
                           std::to_string(answered) + " of " + std::to_string(outcomes.size()) +
                           " nodes answered (a quorum is " + std::to_string(quorum()) + ")" + why);
}

std::optional<Lease> RedlockLock::tryAcquire(std::string_view key, milliseconds ttl) {
    const microseconds drift = driftFor(ttl);
    if (ttl <= drift)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "redlock ttl " + std::to_string(ttl.count()) +
                               " ms leaves no validity after the clock-drift allowance of " +
                               std::to_string(drift.count()) + " us");
    Lease lease;
    lease.key = std::string(key);
    lease.token = context_.owner.newToken("redlock");
    lease.ttl = ttl;
    const auto start = context_.clock->steadyNow();
    lease.acquiredAt = start;
    ++stats_.attempts;

    const redis::Arg command[] = {"SET", key, lease.token, "NX", "PX", ttl.count()};
    auto outcomes = fanOut([&](redis::Connection& c) {
        c.send(command);
        return 1;
    });
    int set = 0, answered = 0;  // answered: OK or nil, i.e. the node's state is known
    for (const auto& o : outcomes) {
        if (!o.answered() || o.reply().isError()) continue;
        ++answered;
        if (o.reply().isStatus()) ++set;  // +OK; nil means another value is there
    }
    const auto validity = ttl - (context_.clock->steadyNow() - start) - drift;
    if (set >= quorum() && validity > Steady::duration::zero()) {
        lease.validUntil = start + validity;
        lease.nodesHeld = set;
        ++stats_.acquisitions;
        return lease;
    }
    // Not acquired: take the token back on EVERY node, not only where the SET said OK — a node
    // whose reply was lost or came too late may have set it all the same.
    const redis::Arg keys[] = {key}, argv[] = {lease.token};
    evalEverywhere(compareAndDeleteScript(), keys, argv);
    if (answered < quorum()) throwUnreachable("acquire", key, outcomes);
    return std::nullopt;
}

std::optional<Lease> RedlockLock::acquire(std::string_view key, milliseconds ttl,
                                          const WaitOptions& wait) {
    // Redlock retries after a random delay so that clients which split the nodes between them
    // do not collide again in lockstep. Backoff's decorrelated jitter is such a delay (uniform
    // in [min, 3 x previous], capped at maxBackoff). Unlike the default acquire(), a quorum
    // that is unreachable right now (nodes restarting) is retried too, until the timeout.
    const auto deadline = Steady::now() + wait.timeout;
    Backoff backoff(wait.minBackoff, wait.maxBackoff);
    std::optional<redis::Error> unreachable;
    while (true) {
        try {
            if (auto lease = tryAcquire(key, ttl)) return lease;
            unreachable.reset();
        } catch (const redis::Error& e) {
            if (!transient(e.kind())) throw;
            unreachable = e;
        }
        const auto now = Steady::now();
        if (wait.cancel && wait.cancel->load()) return std::nullopt;
        if (now >= deadline) {
            if (unreachable) throw *unreachable;
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::min<Steady::duration>(backoff.next(), deadline - now));
    }
}

ReleaseResult RedlockLock::release(const Lease& lease) {
    const redis::Arg keys[] = {lease.key}, argv[] = {lease.token};
    auto outcomes = evalEverywhere(compareAndDeleteScript(), keys, argv);
    int deleted = 0, otherToken = 0, answered = 0;
    for (const auto& o : outcomes) {
        if (!o.answered() || !o.reply().isInteger()) continue;
        ++answered;
        switch (releaseResultFromCode(o.reply().integer())) {
            case ReleaseResult::Released:
                ++deleted;
                break;
            case ReleaseResult::NotOwner:
                ++otherToken;
                break;
            default:
                break;
        }
    }
    if (deleted > 0) return ReleaseResult::Released;  // the rest expire by their TTL
    if (answered == 0) throwUnreachable("release", lease.key, outcomes);
    return otherToken > 0 ? ReleaseResult::NotOwner : ReleaseResult::NotHeld;
}

bool RedlockLock::extend(Lease& lease, milliseconds ttl) {
    const microseconds drift = driftFor(ttl);
    if (ttl <= drift)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "redlock ttl " + std::to_string(ttl.count()) +
                               " ms leaves no validity after the clock-drift allowance");
    const auto start = context_.clock->steadyNow();
    const redis::Arg keys[] = {lease.key}, argv[] = {lease.token, ttl.count()};
    auto outcomes = evalEverywhere(compareAndExpireScript(), keys, argv);
    int extended = 0, answered = 0;
    for (const auto& o : outcomes) {
        if (!o.answered() || !o.reply().isInteger()) continue;
        ++answered;
        if (o.reply().integer() == 1) ++extended;
    }
    const auto validity = ttl - (context_.clock->steadyNow() - start) - drift;
    if (extended >= quorum() && validity > Steady::duration::zero()) {
        lease.ttl = ttl;
        lease.validUntil = start + validity;
        lease.nodesHeld = extended;
        return true;
    }
    // Not ours any more (or too slow). Nodes that did extend keep the token until it expires;
    // the caller decides whether to release() it.
    if (answered < quorum()) throwUnreachable("extend", lease.key, outcomes);
    return false;
}

LockInfo RedlockLock::inspect(std::string_view key) {
    auto outcomes = fanOut([&](redis::Connection& c) {
        c.send({"GET", key});
        c.send({"PTTL", key});
        return 2;
    });
    LockInfo info;
    info.nodesTotal = static_cast<int>(nodes_.size());
    std::map<std::string, int> votes;
    std::vector<std::string> order;  // values in node order, so ties go to the first node's
    int unreachable = 0;
    for (size_t i = 0; i < outcomes.size(); ++i) {
        const auto& o = outcomes[i];
        NodeHolding node;
        node.node = nodes_[i].endpoint.display();
        // GET of a non-string (WRONGTYPE) is an error reply: not a lock we can read.
        node.reachable = o.answered() && !o.reply(0).isError() && o.reply(1).isInteger();
        if (node.reachable) {
            node.value = o.reply(0).optString();
            node.ttl = milliseconds(o.reply(1).integer());
            if (node.value && votes[*node.value]++ == 0) order.push_back(*node.value);
        } else {
            ++unreachable;
        }
        info.nodes.push_back(std::move(node));
    }
    for (const auto& value : order) {
        if (votes[value] > info.nodesHeld) {
            info.nodesHeld = votes[value];
            info.holder = value;
        }
    }
    // The lock is held when a quorum agrees; a minority copy only blocks until it expires.
    info.held = info.nodesHeld >= quorum();
    // TTL: the shortest one among the nodes holding the holder's value (-1 only if none has one).
    for (const auto& node : info.nodes) {
        if (!node.value || *node.value != info.holder) continue;
        if (info.ttl == milliseconds(-2) || info.ttl == milliseconds(-1) ||
            (node.ttl >= milliseconds(0) && node.ttl < info.ttl))
            info.ttl = node.ttl;
    }
    info.detail = std::to_string(info.nodesHeld) + " of " + std::to_string(info.nodesTotal) +
                  " nodes hold it (quorum " + std::to_string(quorum()) + ")";
    if (unreachable > 0) info.detail += ", " + std::to_string(unreachable) + " unreachable";
    return info;
}

}  // namespace lockscope::locks

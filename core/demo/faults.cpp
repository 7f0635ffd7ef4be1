#include "demo/faults.h"

#include <cstdio>

#include "demo/run_text.h"

namespace lockscope::demo {
namespace {

using std::chrono::milliseconds;

constexpr FaultInfo kFaults[] = {
    {Fault::None, "none", "no fault: plain contention", false, false, 1, milliseconds(2000)},
    {Fault::PauseHolder, "pause-holder",
     "SIGSTOP the holder inside its critical section for longer than the TTL, then SIGCONT", false,
     false, 2, milliseconds(500)},
    {Fault::CrashHolder, "crash-holder",
     "SIGKILL the holder while it holds the lock (setnx-expire: between SETNX and EXPIRE)", false,
     false, 2, milliseconds(500)},
    {Fault::ClockSkew, "clock-skew",
     "one worker's wall clock runs ahead (--skew MS, negative: behind) of everyone else's", false,
     false, 2, milliseconds(1000)},
    {Fault::NodeDown, "node-down",
     "pause K of the N redlock nodes (--down K, --down-for MS), then resume them", true, true, 1,
     milliseconds(1000)},
    {Fault::NodeRestart, "node-restart",
     "restart one redlock node without persistence under a holder with a bare majority", true, true,
     2, milliseconds(5000)},
    {Fault::NodeRestartDelayed, "node-restart-delayed",
     "node-restart, but the node stays down longer than the TTL before it restarts empty", true,
     true, 2, milliseconds(3000)},
    // The TTL outlives the whole scenario: a second grant is then an overlap, never an expiry.
    {Fault::FailoverBeforeReplication, "failover-before-replication",
     "on master + replica + Sentinels: fail over before the lock replicated (--wait-replicas 1: "
     "WAIT)",
     true, false, 1, milliseconds(30000), true},
    {Fault::Contention, "contention",
     "no fault: the workers race for the lock until the first is done; who got how many", false,
     false, 2, milliseconds(2000)},
    {Fault::ReadersWriters, "readers-writers",
     "read-write: throughput as the read share grows; writers' waits with and without preference",
     false, false, 2, milliseconds(2000)},
};

constexpr Expect Z = Expect::Zero;
constexpr Expect P = Expect::AtLeastOne;
constexpr Expect A = Expect::Any;

// Specific rows first; the "*" row of a fault is its default. Outcomes are written for the
// verdict table: what happened, and why.
constexpr Expectation kExpectations[] = {
    {Fault::None, "*", "", Z, Z, Z, Flow::Continues,
     "no fault: the lock keeps holders apart, every update lands."},

    {Fault::PauseHolder, "fenced", "", P, Z, P, Flow::Continues,
     "the lease ran out during the pause and the next holder got in while the paused one was "
     "still inside (an overlap) — but its fencing token was older, so the resource rejected its "
     "stale write: nothing lost."},
    {Fault::PauseHolder, "heartbeat", "", P, P, Z, Flow::Continues,
     "a paused process beats no more: the waiters took over after the missed beats while the "
     "holder was still inside; on SIGCONT it wrote its stale value (overwriting the increments "
     "made meanwhile) and only learned at its next beat that it had lost the lock."},
    {Fault::PauseHolder, "reentrant", "", P, P, Z, Flow::Continues,
     "SIGSTOP stops the watchdog too, so the lease ran out and a waiter got in while the holder "
     "was still inside; on SIGCONT its stale write overwrote the increments made meanwhile."},
    {Fault::PauseHolder, "setnx-getset", "", P, P, Z, Flow::Continues,
     "the expiry timestamp passed during the pause and a waiter took the lock over with GETSET; "
     "the paused holder's stale write then overwrote the increments made meanwhile, and its "
     "release (which checks the time, not the owner) deleted the new holder's lock."},
    {Fault::PauseHolder, "unsafe-del", "", P, P, Z, Flow::Continues,
     "the TTL ran out during the pause and a waiter got in; the paused holder's stale write "
     "overwrote the increments made meanwhile, and its plain DEL then removed the new holder's "
     "lock, letting a third one in."},
    {Fault::PauseHolder, "*", "", P, P, Z, Flow::Continues,
     "the TTL ran out while the holder was paused, so the next holder got in while it was still "
     "inside; on SIGCONT it wrote the value it had read before the pause, overwriting every "
     "increment made meanwhile. Only its release noticed the lock was no longer its own."},

    {Fault::CrashHolder, "setnx-expire", "", Z, Z, Z, Flow::Stuck,
     "killed between SETNX and EXPIRE: the lock has no TTL and nobody can ever take it — every "
     "other worker waits until it gives up."},
    {Fault::CrashHolder, "heartbeat", "", Z, Z, Z, Flow::Continues,
     "a dead holder beats no more: a waiter took over after the missed beats, and the half-done "
     "section wrote nothing."},
    {Fault::CrashHolder, "reentrant", "", Z, Z, Z, Flow::Continues,
     "the watchdog died with the process, so the lease ran out and the others carried on; the "
     "half-done section wrote nothing."},
    {Fault::CrashHolder, "semaphore", "", Z, Z, Z, Flow::Stuck,
     "a permit names no holder and has no lease: the killed holder's permit never came back, "
     "and with it gone the one-permit semaphore let nobody in again — every other worker waited "
     "until it gave up. The semaphore shrinks by one for good with every crash."},
    {Fault::CrashHolder, "expirable-semaphore", "", Z, Z, Z, Flow::Continues,
     "each permit has its own lease: the killed holder's permit came back when its lease ran out, "
     "and the next acquisition reclaimed it; the others carried on, and the half-done section "
     "wrote nothing."},
    {Fault::CrashHolder, "*", "", Z, Z, Z, Flow::Continues,
     "the lock expired after its TTL and the others carried on; the killed holder's half-done "
     "section wrote nothing."},

    // Scopes (ClockSkew::scope()): "behind" — the skewed clock is behind by at least the TTL;
    // "small" — off by less than the TTL either way; "" — ahead by at least the TTL.
    {Fault::ClockSkew, "setnx-getset", "behind", P, A, Z, Flow::Continues,
     "the lock's value is an expiry time from the client's clock, and the skewed client's clock "
     "is behind by at least the TTL: the expiry it wrote into its own lock was already past by "
     "everyone else's clock, so the others took its lock over with GETSET while it was still "
     "inside — and its release, judging the time by its slow clock, could delete the lock of the "
     "client that had taken over."},
    {Fault::ClockSkew, "setnx-getset", "small", A, A, Z, Flow::Continues,
     "the lock's value is an expiry time from the client's clock, but the skew is smaller than "
     "the TTL: a lock is judged expired early only in the last skew-sized part of its lease, and "
     "holders that finish sooner are never taken over — the skew may change nothing. With a skew "
     "of at least the TTL, it always does."},
    {Fault::ClockSkew, "setnx-getset", "", P, A, Z, Flow::Continues,
     "the lock's value is an expiry time from the client's clock, and the skewed client's clock "
     "is ahead by at least the TTL: it judged the others' live locks expired by its own clock and "
     "took them over with GETSET while their holders were inside."},
    {Fault::ClockSkew, "*", "", Z, Z, Z, Flow::Continues,
     "this recipe's expiry is kept by the Redis server (a TTL) or by elapsed time, never by a "
     "client's wall clock: the skew changed nothing."},

    {Fault::NodeDown, "redlock", "minority", Z, Z, Z, Flow::Continues,
     "a majority of nodes still answered: acquisitions went on (each a little slower, waiting "
     "out the unreachable nodes' timeout) and mutual exclusion held."},
    {Fault::NodeDown, "redlock", "majority", Z, Z, Z, Flow::StallsThenResumes,
     "without a majority nobody can acquire: the demo stalled while the nodes were down and "
     "resumed when they came back — unavailable, but never unsafe."},

    {Fault::NodeRestart, "redlock", "", P, P, Z, Flow::Continues,
     "the holder had a bare majority; the restarted node forgot its key, and with the nodes that "
     "had crashed and come back empty another client assembled a second majority while the "
     "first still held a valid lease — two holders at once."},

    {Fault::NodeRestartDelayed, "redlock", "", Z, Z, Z, Flow::Continues,
     "the holder had a bare majority and one of its nodes crashed — but it stayed down longer "
     "than the TTL before coming back empty: while the lease was valid nobody could assemble a "
     "majority without that node, and by the time it returned every lease it had granted had "
     "expired. No second holder; the others carried on once the holder released."},

    // Scope "wait": the lock client WAITs for a replica's acknowledgement after SET.
    {Fault::FailoverBeforeReplication, "*", "wait", Z, Z, Z, Flow::Continues,
     "with WAIT after SET, the master's grant that no replica had acknowledged (WAIT returned 0) "
     "was given back instead of used; after the failover only the client that acquired on the "
     "new master entered — no double grant. The price is availability: the new master's grants "
     "count only once a replica acknowledges them, so the second client waited until the old "
     "master had rejoined as its replica (~10 s). WAIT narrows the window, it does not close it "
     "in general: with several replicas Sentinel may promote one that did not acknowledge."},
    {Fault::Contention, "fair", "", Z, Z, Z, Flow::Continues,
     "the fair lock grants in arrival order: each waiter queues once and is handed the lock by "
     "message when its turn comes, so every worker got about as many acquisitions as the others "
     "and nobody's wait was much longer than a round of the queue.",
     0.8},
    {Fault::Contention, "*", "", Z, Z, Z, Flow::Continues,
     "no order among waiters: after each release whoever retries first wins, so a worker that "
     "just released (or one whose backoff happened to be short) often takes the lock again while "
     "another keeps losing — uneven acquisitions and a long tail of waits. The fair lock is the "
     "cure."},

    {Fault::ReadersWriters, "read-write", "", Z, Z, Z, Flow::Continues,
     "readers held the lock together, so throughput grew with the share of reads, and no writer "
     "ever overlapped anyone. With writer preference a waiting writer stops new readers and gets "
     "in as soon as the readers inside leave; without it (Redisson's policy) readers keep joining "
     "readers, and under a read-heavy load a writer waits far longer — writer starvation."},

    {Fault::FailoverBeforeReplication, "*", "", P, P, Z, Flow::Continues,
     "the lock was granted on the master, but the replica had not applied the write when "
     "Sentinel promoted it: the new master had never seen the lock and granted it again — two "
     "holders at once; the first holder's stale write then overwrote the second's increment."},
};

bool satisfies(Expect e, long long v) {
    switch (e) {
        case Expect::Zero:
            return v == 0;
        case Expect::AtLeastOne:
            return v >= 1;
        case Expect::Any:
            return true;
    }
    return true;
}

std::string describe(Expect e) {
    switch (e) {
        case Expect::Zero:
            return "0";
        case Expect::AtLeastOne:
            return ">= 1";
        case Expect::Any:
            return "any";
    }
    return "?";
}

}  // namespace

std::span<const FaultInfo> faults() { return kFaults; }

const FaultInfo& faultInfo(Fault fault) {
    for (const auto& f : kFaults)
        if (f.fault == fault) return f;
    return kFaults[0];
}

std::optional<Fault> parseFault(std::string_view name) {
    for (const auto& f : kFaults)
        if (f.name == name) return f.fault;
    return std::nullopt;
}

std::string faultNames() {
    std::string s;
    for (const auto& f : kFaults)
        if (f.fault != Fault::None) s += (s.empty() ? "" : ", ") + std::string(f.name);
    return s;
}

std::span<const Expectation> expectations() { return kExpectations; }

const Expectation& expectationFor(Fault fault, std::string_view strategy, std::string_view scope) {
    const Expectation* star = nullptr;
    const Expectation* first = nullptr;
    for (const auto& e : kExpectations) {
        if (e.fault != fault) continue;
        const bool scopeFits = e.scope.empty() || e.scope == scope;
        if (e.strategy == strategy && scopeFits) return e;
        if (e.strategy == "*" && scopeFits && !star) star = &e;
        if (!first) first = &e;
    }
    return star ? *star : first ? *first : kExpectations[0];
}

std::vector<Message> mismatchParts(const Expectation& e, const FaultObservation& o) {
    std::vector<Message> why;
    if (e.fault != Fault::None && !o.injected) {
        why.push_back(message(kMmNotInjected));
        return why;
    }
    auto check = [&](const MessageText& what, Expect want, long long got) {
        if (!satisfies(want, got))
            why.push_back(message(what, {std::to_string(got), describe(want)}));
    };
    check(kMmViolations, e.violations, o.violations);
    check(kMmLostUpdates, e.lostUpdates, o.lostUpdates);
    check(kMmStaleWrites, e.staleWritesRejected, o.staleWritesRejected);
    if (e.minFairness > 0 && o.fairness >= 0 && o.fairness < e.minFairness) {
        auto fixed2 = [](double v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.2f", v);
            return std::string(buf);
        };
        why.push_back(message(kMmFairness, {fixed2(o.fairness), fixed2(e.minFairness)}));
    }
    switch (e.flow) {
        case Flow::Continues:
            if (e.fault != Fault::None && o.acquisitionsAfterFault == 0)
                why.push_back(message(kMmNobodyAfter));
            if (e.fault == Fault::NodeDown && o.acquisitionsDuringFault == 0)
                why.push_back(message(kMmNobodyDuring));
            break;
        case Flow::Stuck:
            if (!o.stuck || o.acquisitionsAfterFault > 0) why.push_back(message(kMmNotStuck));
            break;
        case Flow::StallsThenResumes:
            if (o.acquisitionsDuringFault > 0)
                why.push_back(
                    message(kMmAcquiredWhileDown, {std::to_string(o.acquisitionsDuringFault)}));
            if (o.acquisitionsAfterFault == 0) why.push_back(message(kMmNobodyAfterBack));
            break;
    }
    return why;
}

std::string mismatch(const Expectation& e, const FaultObservation& o) {
    return render(mismatchParts(e, o), "; ");
}

}  // namespace lockscope::demo

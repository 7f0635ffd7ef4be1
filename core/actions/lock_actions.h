// The operator's writes on a lock that someone else may hold — `lockscope-cli lock release /
// extend / force-release` and the dashboard's Force-Release and Extend — one loop for both:
//
//   1. The audit log is opened first: an action whose record cannot be written is not taken.
//   2. Every node of the target is tried (a --nodes group: each of them, whatever the others
//      answered): a node that cannot be reached is reported as such, and the next one is tried.
//   3. On each node the key is read fresh by the monitor's own inspector and classified
//      (monitor/classifier.h); only a lock of a format LockScope knows is touched, anything else
//      is refused with the reason ("visits is a counter, not a lock").
//   4. The format's own semantics act, in one script (locks/holder_ops.h).
//   5. Each node's outcome — done or refused, error replies and unreachable nodes included — is
//      appended to the audit log before anything is reported.
//
// Thread contract: a free function; blocking I/O on the caller's thread, on connections of its own.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/rules.h"
#include "redis/connection.h"

namespace lockscope::actions {

enum class LockAction { Release, ForceRelease, Extend };

// How long a release watches an integer lock before deleting it, unless told (a few beats of the
// usual 1 s heartbeat; a slower one needs a longer watch: `--observe MS`, or the period measured).
constexpr std::chrono::milliseconds kDefaultIntegerWatch{3000};
// An integer lock without a TTL is deleted only once its value is known to have stood still this
// long — the window after which the monitor calls a heartbeat whose period it has not measured
// `heartbeat-stale` — unless the watch's length was chosen for the lock (observeChosen). Three
// seconds unchanged rule out a 1 s beat, not a 5 s one (adv11d item 9: the default watch deleted
// a live 5 s heartbeat). Known from the watch, what the caller saw before it (quietSeen) and the
// server's idle time where it means something (not for a shared integer, 0-9999).
constexpr std::chrono::milliseconds kIntegerQuiet{60000};

struct LockActionRequest {
    LockAction action = LockAction::ForceRelease;
    std::string key;
    std::string holder;                // the holder the operator saw, or the token given
    std::chrono::milliseconds ttl{0};  // Extend: the new lease (≥ 1 ms)
    // ForceRelease from the dashboard: the TTL the operator was shown (-1: none); the CLI shows
    // none, so it is unknown.
    std::optional<long long> ttlShownMs;
    // The user's rules (docs/rules.md): a key a `lock` rule makes a lock is acted on as a string
    // lock; one a `not-lock` rule keeps out is refused as not a lock.
    monitor::LockRules rules;
    // Release / ForceRelease of an integer lock (a flag `1`, a process id or seed 001's heartbeat
    // counter: one look cannot tell them apart) watches its value this long first and refuses if
    // it moved — a live heartbeat (0: not watched).
    std::chrono::milliseconds observe = kDefaultIntegerWatch;
    // `observe` was chosen for this lock (the operator's --observe: the slowest beat they rule
    // out; the dashboard's 1.5 measured beat periods): unchanged that long is enough. Otherwise
    // the value must be known unchanged for kIntegerQuiet in all.
    bool observeChosen = false;
    // How long the caller had already seen the value unchanged (the dashboard following the lock).
    std::chrono::milliseconds quietSeen{0};
    // ForceRelease of a plain semaphore ("taken:<n>/<size>"): how many permits to give back
    // (default 1, at most n). Its permits name no holder, so LockScope cannot tell a leaked permit
    // from a live holder's: the operator says how many leaked, and never more than that return.
    std::optional<long long> permits;
    // Release / ForceRelease by a plain permit's token of a bare integer the operator says is a
    // Redisson RSemaphore (--adopt-bare-count): it keeps no record, so the permit is given back
    // on trust.
    bool adoptBareCount = false;
    // Release / ForceRelease / Extend of a lock LockScope only guessed (a lock word and a value's
    // shape: no library's layout, no rule): a day's ban (`user:42:lock_chat` = 1 EX 86400), a login
    // lockout
    // (`login:lock:user:42` = 1 EX 900) and a hand-rolled lock are the same bytes, so the operator
    // says they checked it (--accept-guess; the dashboard's check box). Refused (Guessed) without.
    bool acceptGuess = false;
    // A holder that is the start of a longer value (KeyState::holderCut): the value's whole
    // length the operator was shown (the dashboard). Unset: the length read before acting.
    std::optional<long long> valueLengthShown;
    // A Sentinel group: how long the node acted on has been its master (monitor::masterNamedFor;
    // unset: not a Sentinel group, or unknown). A give-back by count takes the recorded tokens of
    // holders missing from CLIENT LIST; just after a failover a live holder may not have
    // followed yet, so within the orphan rule's grace (kGiveBackGrace) such a give-back is
    // refused, nothing changed, and the reason says when to try again (issue 14, F14i).
    std::optional<std::chrono::milliseconds> masterFor;
};

// How long after a master switch a holder's absence from CLIENT LIST is no
// evidence for a give-back by count: the orphan rule's window for a lock without a TTL (a plain
// permit has none), monitor::orphanWindow(-1, 2 s) — docs/client-formats.md#orphans.
extern const std::chrono::milliseconds kGiveBackGrace;

// How one node answered.
struct NodeResult {
    enum class Outcome {
        Done,            // released / removed / extended
        StillHeld,       // release: one hold of a reentrant count given back; it is still held
        HolderChanged,   // the lock has another holder (found)
        NotHeld,         // no such key on this node
        NotALock,        // not a lock of a known format (reason)
        Guessed,         // a guessed lock, not acted on without acceptGuess (reason)
        CannotExtend,    // the format has nothing to extend (reason)
        SeveralHolders,  // release names one holder; the holder string named several (found)
        MayBeBeating,    // an integer lock not known unchanged for kIntegerQuiet (reason)
        Refused,         // the server refused the write: ACL (NOPERM), a replica (READONLY)
        Unreachable,     // no connection, timeout, authentication, busy or loading
        Error,           // any other error reply
    };
    std::string node;  // Endpoint::display()
    Outcome outcome = Outcome::NotHeld;
    // What the server had: the holder acted on (read before the write, so also on a refusal);
    // HolderChanged / SeveralHolders: the holder(s) it has instead.
    std::string found;
    // Done: the holder after the action — for an extend of a setnx-getset lock its new expiry,
    // otherwise the same as `found`.
    std::string after;
    std::string reason;  // NotALock, CannotExtend, Refused, Unreachable, Error: why, for people
    std::string others;  // hash locks: the holders that remain after a release
    long long holdsLeft = 0;
    std::optional<monitor::Format> format;  // what the classifier recognised
    // HolderChanged on an integer lock whose value went up between the read and the write: a live
    // heartbeat (seed 001) beat, the same holder; `reason` says so.
    bool beating = false;
    // HolderChanged whose `reason` says all there is (a plain permit's token the semaphore never
    // issued or already took back): shown as it is, not as "the lock changed".
    bool reasonSaysAll = false;
    // Acted on a lock LockScope only guessed, the operator having said they checked it
    // (LockActionRequest::acceptGuess): said in the audit line.
    bool guessAccepted = false;
    // NotALock of a string (a counter, a value of no lock shape, a name that is no lock's): a
    // `lock` rule in the rules file would make it one for this action (the CLI says how).
    bool ruleWouldMakeLock = false;
    // An integer lock's value was watched this long before acting (0: not watched).
    std::chrono::milliseconds watched{0};
    // ...and was known unchanged this long in all (the watch, what the caller saw before, the
    // server's idle time).
    std::chrono::milliseconds quiet{0};
    bool acted() const { return outcome == Outcome::Done || outcome == Outcome::StillHeld; }
};
// For the audit log and scripts: "done", "still-held", "holder-changed", "not-held",
// "not-a-lock", "cannot-extend", "several-holders", "may-be-beating", "refused", "unreachable",
// "error".
std::string_view outcomeName(NodeResult::Outcome outcome);

struct LockActionReport {
    std::vector<NodeResult> nodes;  // empty when the audit log could not be opened
    // The audit log could not be opened (nothing was done), or a line could not be written after
    // acting. auditOpened tells which.
    std::optional<std::string> auditProblem;
    bool auditOpened = false;
    std::string auditPath;

    enum class Verdict {
        Done,         // acted on every node that had the lock; no node failed
        Partial,      // acted on some nodes; others were unreachable, refused or held otherwise
        Refused,      // acted nowhere; some node answered (holder changed, not a lock, READONLY…)
        Unreachable,  // acted nowhere; no node could be reached
        NotAudited,   // not tried: the audit log cannot be written
    };
    Verdict verdict() const;
    int acted() const;
    // The node whose answer says best why nothing was done (the first holder changed, not a lock,
    // refusal, error, unreachable, not held — in that order).
    const NodeResult* mainRefusal() const;
};

LockActionReport runLockAction(const LockActionRequest& request,
                               const std::vector<redis::Endpoint>& nodes,
                               const redis::ConnectOptions& options);

// Why `r` is not a lock LockScope acts on, e.g. "visits is a counter, not a lock"; nullopt for a
// lock. (The key is shown with displayBytes().)
std::optional<std::string> notALockReason(const monitor::KeyRecord& r, std::string_view type);

}  // namespace lockscope::actions

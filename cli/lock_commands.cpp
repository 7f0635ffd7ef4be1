// `lockscope-cli lock acquire|release|extend|inspect|force-release`.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iostream>
#include <ostream>
#include <thread>

#include "actions/lock_actions.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/primitive_commands.h"
#include "cli/session.h"
#include "counters/counter_strategy.h"
#include "locks/lease_keeper.h"
#include "locks/lock_strategy.h"
#include "locks/primitive_ops.h"
#include "locks/semaphore.h"
#include "monitor/rules.h"
#include "redis/error.h"
#include "util/text.h"

namespace lockscope::cli {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

// KEY, --token and --holder are typed as `locks` prints them (util/text.h): "\xHH" is that byte,
// "\\" a backslash, anything else itself — so what LockScope prints can be pasted back.
std::string typedBytes(const std::string& text, const std::string& what) {
    auto bytes = parseDisplayedBytes(text);
    if (!bytes)
        throw UsageError(what + " '" + text +
                         "' has a backslash that is not an escape: write \\\\ for a backslash and "
                         "\\xHH for a byte (as `locks` prints keys and holders)");
    return *bytes;
}

std::string singleKey(const Parsed& p, const std::string& command) {
    if (p.positional.size() != 1)
        throw UsageError("'" + command +
                         "' takes exactly one KEY (a KEY starting with '-' goes after --; see "
                         "lockscope-cli --help)");
    return typedBytes(p.positional[0], "KEY");
}

std::string checkedStrategy(const Parsed& p, const std::string& command) {
    std::string id = p.require("strategy", command);
    if (!locks::findLockStrategy(id)) {
        std::string known;
        for (const auto& s : locks::lockStrategies())
            known += (known.empty() ? "" : ", ") + std::string(s.id);
        throw UsageError("unknown strategy '" + id + "'; known: " + known);
    }
    return id;
}

std::string ttlText(milliseconds ttl) {
    if (ttl.count() == -1) return "no TTL";
    if (ttl.count() < 0) return "-";
    return std::to_string(ttl.count()) + " ms";
}

// Sleeps up to `d` in short slices; false when Ctrl-C / SIGTERM asked us to stop.
bool sleepUnlessStopped(milliseconds d) {
    const auto until = Steady::now() + d;
    while (Steady::now() < until) {
        if (stopRequested().load()) return false;
        std::this_thread::sleep_for(
            std::min<Steady::duration>(milliseconds(20), until - Steady::now()));
    }
    return !stopRequested().load();
}

// --hold: renew every TTL/3 through a LeaseKeeper, which follows a Sentinel group's master, until
// the hold ends or Ctrl-C; then release. Exit 1 when the lease was lost.
int holdLease(locks::LeaseKeeper& keeper, milliseconds ttl, milliseconds holdFor,
              std::ostream& err) {
    using Result = locks::LeaseKeeper::Renewal::Result;
    const std::string key = displayBytes(keeper.lease().key);
    const auto until = Steady::now() + holdFor;
    const milliseconds renewEvery = std::max(milliseconds(1), ttl / 3);
    // While no renewal gets through, ask again soon: the new master may be named any moment.
    const milliseconds retryEvery = std::min(renewEvery, milliseconds(250));
    // On a Sentinel URL the master is asked every second between renewals, and a move is
    // followed at once (adv14d item 3: the holder reached the new master only at its next
    // renewal, up to TTL/3 later; until then the new master's CLIENT LIST had no connection of
    // it and the monitor showed its fair / read-write lock as a Redisson client's).
    // A plain permit too (adv14e item 1): it has no lease, but it lives on the master, and its
    // release must go where the Sentinels point.
    const bool follow = keeper.follows();
    const bool permitKind = !keeper.lock().supportsExtend();
    const milliseconds followEvery = std::min(renewEvery, milliseconds(1000));
    milliseconds next = renewEvery;
    auto renewAt = Steady::now() + next;
    bool failing = false;
    while (Steady::now() < until && !stopRequested().load()) {
        const auto now = Steady::now();
        auto wake = std::min(renewAt, until);
        if (follow) wake = std::min(wake, now + followEvery);
        if (!sleepUnlessStopped(std::chrono::duration_cast<milliseconds>(wake - now))) break;
        if (Steady::now() >= until) break;
        if (Steady::now() < renewAt && !(follow && keeper.masterMoved())) continue;
        const auto r = keeper.renew(ttl);
        switch (r.result) {
            case Result::Renewed:
                if (failing)
                    err << "lockscope-cli: renewed " << key << " on " << r.node
                        << " again: the lease survived\n";
                failing = false;
                next = renewEvery;
                break;
            case Result::Moved:
                err << "lockscope-cli: the master moved from " << r.from << " to " << r.node
                    << (permitKind ? "; the permit of " + key +
                                         " is recorded there: it survived the failover"
                                   : "; renewed " + key + " there: the lease survived the failover")
                    << "\n";
                failing = false;
                next = renewEvery;
                break;
            case Result::Unconfirmed:
                if (!failing && permitKind)
                    err << "lockscope-cli: could not check the permit of " << key << ": "
                        << r.reason
                        << "; a plain permit has no lease, it stays taken — asking for the "
                           "current master again\n";
                else if (!failing)
                    err << "lockscope-cli: could not renew " << key << ": " << r.reason
                        << "; it is ours for " << r.validFor.count()
                        << " ms more — asking for the current master again\n";
                failing = true;
                next = retryEvery;
                break;
            case Result::Lost:
                err << "lockscope-cli: lost " << (permitKind ? "the permit of " : "lock ") << key
                    << ": " << r.reason << "\n";
                return kFailed;
        }
        err.flush();
        renewAt = Steady::now() + next;
    }
    const auto result = keeper.release();
    // A plain permit counted as one given back by count: the words `lock release --token` says.
    const auto* permit = dynamic_cast<const locks::SemaphoreLock*>(&keeper.lock());
    if (!keeper.movedBeforeRelease().empty())
        err << "lockscope-cli: the master moved from " << keeper.movedBeforeRelease() << " to "
            << keeper.node() << "; releasing " << key << " there\n";
    err << "lockscope-cli: " << releaseResultName(result) << " " << key
        << (keeper.node().empty() ? "" : " on " + keeper.node())
        << (permit && !permit->releaseNote().empty() ? ": " + permit->releaseNote() : "") << "\n";
    return result == locks::ReleaseResult::Released ? kOk : kFailed;
}

// " (held by …)" of a busy lock; a plain semaphore names no holder, only its permits taken
// (adv14d item 11: "held by taken:1/1, no TTL") — and the holders its record names, where
// LockScope clients took them (`recorded`: lockscope_meta:{k}'s tokens; issue 14 open defect 5).
std::string busyHolderText(const locks::LockInfo& info,
                           const std::vector<locks::RecordedPermit>& recorded = {}) {
    if (const auto t = locks::parsePlainPermitsHolder(info.holder); t && t->size) {
        std::string text = t->count >= *t->size
                               ? " (all " + std::to_string(*t->size) + " permits taken"
                               : " (" + std::to_string(t->count) + " of " +
                                     std::to_string(*t->size) + " permits taken";
        constexpr size_t kNamed = 3;
        for (size_t i = 0; i < recorded.size() && i < kNamed; ++i) {
            const auto& r = recorded[i];
            text += (i == 0 ? "; by " : ", ") + displayBytes(r.token);
            if (r.pid)
                text += " (host " + r.host + ", pid " + std::to_string(r.pid) +
                        (!r.connected   ? ""
                         : *r.connected ? ", connected"
                                        : ", not connected: its permit leaked") +
                        ")";
        }
        if (recorded.size() > kNamed)
            text += " and " + std::to_string(recorded.size() - kNamed) + " more";
        // Permits beyond the tokens recorded: Redisson clients (RSemaphore keeps no token) or
        // permits given back by count whose tokens went with them.
        const long long unnamed = t->count - static_cast<long long>(recorded.size());
        if (!recorded.empty() && unnamed > 0)
            text += "; " + std::to_string(unnamed) + " by client(s) that record no token";
        return text + ")";
    }
    return " (held by " + displayBytes(info.holder) + ", " + ttlText(info.ttl) + ")";
}

// `lock acquire --permits M` on a semaphore that exists with another size: M is not applied (an
// existing semaphore keeps its size; issue 14 open defect 2). The size it has, when recorded and
// different from M; nullopt otherwise.
std::optional<long long> permitsNotApplied(const Parsed& p, const locks::LockContext& ctx,
                                           const locks::LockInfo& info) {
    if (!p.has("permits") || !info.primitive || !info.primitive->size) return std::nullopt;
    const auto kind = info.primitive->kind;
    if (kind != locks::PrimitiveKind::Semaphore && kind != locks::PrimitiveKind::ExpirableSemaphore)
        return std::nullopt;
    if (*info.primitive->size == ctx.config.permits) return std::nullopt;
    return *info.primitive->size;
}

void notePermitsNotApplied(std::ostream& err, const std::string& key, long long size, int asked) {
    err << "lockscope-cli: note: semaphore " << displayBytes(key) << " already exists with " << size
        << " permit(s): --permits " << asked
        << " is not applied (an existing semaphore keeps its size)\n";
}

int acquire(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "lock acquire";
    std::vector<OptionSpec> own = {
        {"strategy", true}, {"ttl", true}, {"hold", true}, {"wait", true}, {"json", false}};
    for (auto& o : primitiveAcquireOptions()) own.push_back(o);  // --mode, --permits
    Parsed p = parseOptions(args, withGlobal(own), cmd);
    const std::string key = singleKey(p, cmd);
    const std::string strategy = checkedStrategy(p, cmd);
    const milliseconds ttl(p.millis("ttl", -1, 1));
    if (ttl.count() < 0) throw UsageError("'lock acquire' needs --ttl MS");
    const bool hold = p.has("hold");
    const milliseconds holdFor(p.millis("hold", 0));
    const milliseconds waitFor(p.millis("wait", 0));

    Session session(p, locks::findLockStrategy(strategy)->multiNode ? 3 : 1, err);
    session.requireWrites("'" + cmd + "'");
    locks::LockContext ctx = session.lockContext(strategy);
    applyPrimitiveOptions(p, strategy, ctx);  // --mode, --permits
    // Held, the keeper renews every TTL/3 — a heartbeat's beat and a reentrant lease too — so that
    // each renewal can follow the master.
    if (hold) {
        ctx.config.autoBeat = false;
        // A renewal blocked on a hung server must not outlive the lease: each call gives up
        // within a third of the TTL, so the keeper can say "lost" in time.
        const auto bound = std::max(milliseconds(100), ttl / 3);
        ctx.connect.connectTimeout = std::min(ctx.connect.connectTimeout, bound);
        ctx.connect.commandTimeout = std::min(ctx.connect.commandTimeout, bound);
    }
    auto lock = locks::makeLockStrategy(strategy, ctx);

    // On a Sentinel URL every attempt goes to the master the Sentinels name now, and a grant is
    // reported only if they still name the node it was made on (adv14d item 1: a waiter
    // "acquired" on the old master after a failover while the holder held it on the new one).
    locks::WaitOptions wait;
    wait.timeout = waitFor;  // 0: one try
    wait.cancel = &stopRequested();
    locks::FollowingWait following;
    following.note = [&err](const std::string& line) {
        err << "lockscope-cli: " << line << "\n";
        err.flush();
    };
    const auto where = session.leaseResolver(key);
    std::optional<locks::Lease> lease =
        locks::acquireFollowing(lock, ctx, key, ttl, wait, where, following);
    if (!lease) {
        auto info = lock->inspect(key);
        // Not busy: not this strategy's lock at all (an application's hash under reentrant).
        if (!info.held && info.detail.rfind("not a ", 0) == 0) {
            err << "lockscope-cli: " << displayBytes(key) << " is " << info.detail
                << ": nothing changed\n";
            return kFailed;
        }
        // A reader is kept out by a waiting writer (writer preference), not by the readers
        // inside: say so (adv14c item 10: it said the readers hold it).
        const auto* rw =
            info.primitive && info.primitive->kind == locks::PrimitiveKind::ReadWriteLock
                ? &*info.primitive
                : nullptr;
        const bool writerFirst = rw && ctx.config.rwMode == locks::LockConfig::RwMode::Read &&
                                 rw->mode == "read" && !rw->writersWaiting.empty();
        // A fair lock nobody holds, with waiters queued (issue 14: it said "busy" with no
        // holder): the lock goes to the first of them, not to a newcomer — say who is ahead.
        std::string queuedAhead;
        if (!info.held && info.primitive &&
            info.primitive->kind == locks::PrimitiveKind::FairLock) {
            std::vector<const locks::QueuedWaiter*> live;
            for (const auto& w : info.primitive->queue)
                if (w.leftMs > 0) live.push_back(&w);
            if (!live.empty()) {
                queuedAhead = ": nobody holds it, but " + std::to_string(live.size()) +
                              " waiter(s) are queued ahead and the lock goes to the first of "
                              "them (between a release and that waiter's grant, or its holder's "
                              "lease ran out while they wait); first: " +
                              displayBytes(live.front()->id) + ", its wait runs out in " +
                              std::to_string(live.front()->leftMs) + " ms";
                constexpr size_t kNamed = 3;
                for (size_t i = 1; i < live.size() && i < kNamed; ++i)
                    queuedAhead += (i == 1 ? "; then " : ", ") + displayBytes(live[i]->id);
                if (live.size() > kNamed)
                    queuedAhead += " and " + std::to_string(live.size() - kNamed) + " more";
            }
        }
        if (const auto size = permitsNotApplied(p, ctx, info))
            notePermitsNotApplied(err, key, *size, ctx.config.permits);
        // A plain semaphore's permits taken by LockScope clients are recorded by token: name them.
        std::vector<locks::RecordedPermit> recorded;
        if (info.held && info.primitive &&
            info.primitive->kind == locks::PrimitiveKind::Semaphore) {
            try {
                auto c = session.connect();
                recorded = locks::recordedPermits(c, key);
            } catch (const redis::Error&) {
                // The busy line without names: the permits taken are still said.
            }
        }
        err << "lockscope-cli: lock " << displayBytes(key) << " is busy"
            << (writerFirst
                    ? ": " + std::to_string(rw->writersWaiting.size()) +
                          " writer(s) wait for it, and readers let a waiting writer go first "
                          "(writer preference) — the " +
                          std::to_string(rw->readers.size()) +
                          " reader(s) inside do not keep readers out; first waiting: " +
                          displayBytes(rw->writersWaiting.front().id)
                : info.held ? busyHolderText(info, recorded)
                            : queuedAhead)
            << (waitFor.count() > 0 ? " after waiting " + std::to_string(waitFor.count()) + " ms"
                                    : "; add --wait MS to wait for it")
            << "\n";
        return kFailed;
    }
    // A lease shorter than the round trip that granted it is lost before anyone can use it
    // (`--ttl 1` printed "valid_ms": -5 and exit 0: adv14c item 3). Say so and fail: the key
    // was written, but what is left of the lease (under a millisecond) holds nothing; it runs
    // out by itself (docs/cli-contract.md#lock-acquire).
    const auto granted = Steady::now();
    if (lease->validUntil != std::chrono::steady_clock::time_point::max() &&
        lease->validUntil - granted < milliseconds(1)) {
        // Tenths of a millisecond: a loopback round trip is well under one.
        const auto tenths =
            std::chrono::duration_cast<std::chrono::microseconds>(granted - lease->acquiredAt)
                .count() /
            100;
        const std::string took = std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
        err << "lockscope-cli: lock " << displayBytes(key) << " was granted a "
            << lease->ttl.count() << " ms lease that ran out before the answer came back (" << took
            << " ms after asking): it is not held; give a --ttl well above the round trip\n";
        return kFailed;
    }
    // An existing semaphore of another size: --permits is not applied (said, not silent).
    std::optional<long long> sizeKept;
    if (p.has("permits")) {
        try {
            sizeKept = permitsNotApplied(p, ctx, lock->inspect(key));
        } catch (const redis::Error&) {}
        if (sizeKept) notePermitsNotApplied(err, key, *sizeKept, ctx.config.permits);
    }
    if (p.has("json")) {
        Json j = leaseJson(strategy, *lease, granted);
        if (sizeKept) {
            j["size"] = *sizeKept;
            j["permits_not_applied"] = ctx.config.permits;
        }
        printJsonLine(out, std::move(j));
    } else
        out << displayBytes(lease->token) << "\n";
    out.flush();
    if (!hold) return kOk;
    locks::LeaseKeeper keeper(std::move(lock), ctx, *lease, where);
    return holdLease(keeper, ttl, holdFor, err);
}

// What one node answered, for the per-node lines of a node group.
std::string nodeText(const actions::NodeResult& n, actions::LockAction action) {
    using O = actions::NodeResult::Outcome;
    switch (n.outcome) {
        case O::Done:
            return action == actions::LockAction::Extend         ? "extended"
                   : action == actions::LockAction::ForceRelease ? "force-released"
                                                                 : "released";
        case O::StillHeld:
            return "one hold released, " + std::to_string(n.holdsLeft) + " left";
        case O::HolderChanged:
            if (n.beating || n.reasonSaysAll)
                return (action == actions::LockAction::ForceRelease ? "not force-released: "
                                                                    : "not released: ") +
                       n.reason;
            return n.found.empty() ? "holder changed: " + n.reason
                                   : "holder changed: held by " + displayBytes(n.found);
        case O::NotHeld:
            return "not held";
        default:
            return std::string(actions::outcomeName(n.outcome)) + ": " + n.reason;
    }
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// A rules-file glob that matches `key` alone: glob characters and blanks escaped.
std::string ruleGlob(const std::string& key) {
    std::string out;
    for (char c : counters::globEscape(key)) {
        if (c == ' ') out += '\\';
        out += c;
    }
    return displayBytes(out);
}

// Why nothing was done, in one clause.
std::string refusalText(const actions::NodeResult& n, actions::LockAction action,
                        const std::string& given, const std::string& key) {
    using O = actions::NodeResult::Outcome;
    switch (n.outcome) {
        case O::HolderChanged:
            if (n.beating || n.reasonSaysAll) return n.reason;
            if (n.found.empty() || !n.reason.empty()) return "the lock changed: " + n.reason;
            if (action == actions::LockAction::ForceRelease) {
                // Typed without its white space (`vm` for `vm\n`): nothing changed, say both.
                if (trimmed(n.found) == trimmed(given))
                    return "the holder is " + displayBytes(n.found) + ", not " +
                           displayBytes(given) +
                           " (they differ in white space only; pass it as `locks` prints it)";
                // A latch's holder is its count, a plain semaphore's the permits taken: say it in
                // their words (adv14d item 9: "it is now held by count:1/3").
                if (const auto c = locks::parseLatchHolder(n.found))
                    return "the count changed: " + std::to_string(c->count) +
                           (c->size ? " of " + std::to_string(*c->size) : std::string()) +
                           " left; look again before opening it";
                if (const auto t = locks::parsePlainPermitsHolder(n.found))
                    return "the permits taken changed — now " + std::to_string(t->count) +
                           (t->size ? " of " + std::to_string(*t->size) : std::string()) +
                           "; look again before giving any back";
                // The value read just now is not the one given: it may never have been (a
                // holder mistyped), or it changed since the operator looked — say what is known.
                return "not held by " + displayBytes(given) + ": it is held by " +
                       displayBytes(n.found) +
                       " (if `locks` showed you the other, its holder changed since); look again "
                       "before releasing";
            }
            // A plain semaphore is held by no one in particular: say what it is (adv14b item 9:
            // an unused one was "held by taken:0/3").
            if (const auto permits = locks::parsePlainPermitsHolder(n.found))
                return (permits->count == 0 ? "every permit of it is free (" + n.found + ")"
                                            : "its permits are " + n.found) +
                       "; the token given is not a permit token this semaphore issued "
                       "(lockscope:semaphore:…)";
            return "it is held by " + displayBytes(n.found) + ", not by the token given";
        case O::NotHeld:
            return "nobody holds it (it expired or was released)";
        case O::NotALock:
            if (n.ruleWouldMakeLock)
                return n.reason + "; `lockscope-cli " +
                       (action == actions::LockAction::Extend         ? std::string("lock extend")
                        : action == actions::LockAction::ForceRelease ? "lock force-release"
                                                                      : "lock release") +
                       "` takes no --lock-pattern: it reads the rules file (" +
                       monitor::rulesFilePath() + "): the line `lock " + ruleGlob(key) +
                       "` there makes it a lock for this command (docs/rules.md)";
            return n.reason;
        case O::CannotExtend:
        case O::MayBeBeating:
        case O::Guessed:
            return n.reason;
        case O::SeveralHolders:
            return "it has several holders (" + displayBytes(n.found) + "); " + n.reason;
        case O::Refused:
            return n.node + " refused it: " + n.reason;
        case O::Unreachable:
            return "cannot reach " + n.node + ": " + n.reason;
        case O::Error:
            return n.node + " answered: " + n.reason;
        case O::Done:
        case O::StillHeld:
            break;
    }
    return std::string(actions::outcomeName(n.outcome));
}

// `lock release`, `lock extend` and `lock force-release`: the same loop (actions/lock_actions.h),
// over every node of the target, audited.
int holderCommand(const std::string& sub, const std::vector<std::string>& args, std::ostream& out,
                  std::ostream& err) {
    const std::string cmd = "lock " + sub;
    using actions::LockAction;
    const LockAction action = sub == "extend"          ? LockAction::Extend
                              : sub == "force-release" ? LockAction::ForceRelease
                                                       : LockAction::Release;
    const bool force = action == LockAction::ForceRelease;
    const std::string holderOption = force ? "holder" : "token";
    std::vector<OptionSpec> own = {{holderOption, true}};
    if (action == LockAction::Extend) own.push_back({"ttl", true});
    if (force) {
        own.push_back({"yes", false});
        own.push_back({"permits", true});  // a plain semaphore: how many to give back
    }
    // A lock LockScope only guessed: the operator says they checked it (LockActionRequest).
    own.push_back({"accept-guess", false});
    // A holder printed with holder_cut (the start of a longer value): the value_length printed
    // beside it, compared too.
    own.push_back({"value-length", true});
    if (action != LockAction::Extend) {
        own.push_back({"observe", true});
        own.push_back({"adopt-bare-count", false});  // a permit taken from a bare integer
    }
    Parsed p = parseOptions(args, withGlobal(own), cmd);
    actions::LockActionRequest q;
    q.action = action;
    q.key = singleKey(p, cmd);
    q.holder = typedBytes(p.require(holderOption, cmd), "--" + holderOption);
    if (action == LockAction::Extend) {
        q.ttl = milliseconds(p.millis("ttl", -1, 1));
        if (q.ttl.count() < 0) throw UsageError("'lock extend' needs --ttl MS");
    } else {
        // An integer lock is watched this long for a beat before it is deleted (0: not watched).
        // A bare number is ms here (seconds for `locks --observe`): a unit says which.
        q.observe = milliseconds(p.span("observe", actions::kDefaultIntegerWatch.count(), 1, 0));
        // `--observe 60` watched for 60 ms (seconds were meant, as for `locks --observe`) and a
        // live 5 s heartbeat was deleted (adv11g item 3): a bare number under a second, too short
        // to see any beat, asks for its unit. 0 (not watched) and `500ms` stay as written.
        if (const auto v = p.value("observe");
            v && !v->empty() &&
            std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            q.observe.count() > 0 && q.observe.count() < 1000)
            throw UsageError("--observe " + *v + " would watch for " + *v +
                             " ms (a bare number is milliseconds here), too short to see a "
                             "heartbeat: write the unit — " +
                             *v + "s, or " + *v + "ms if you mean it");
        q.observeChosen = p.has("observe");  // the operator's window: unchanged that long will do
    }
    if (p.has("value-length")) q.valueLengthShown = p.integer("value-length", 0, 1);
    q.acceptGuess = p.has("accept-guess");
    if (p.has("permits")) {
        // A plain semaphore's permits name no holder: the operator says how many leaked.
        const auto seen = locks::parsePlainPermitsHolder(q.holder);
        if (!seen)
            throw UsageError("--permits applies to a plain semaphore's holder taken:<n>/<size>");
        q.permits = p.integer("permits", 1, 1);
        if (*q.permits > seen->count)
            throw UsageError("--permits " + std::to_string(*q.permits) + " is more than the " +
                             std::to_string(seen->count) + " permits taken (" + q.holder +
                             "): nothing changed");
    }
    if (p.has("adopt-bare-count")) {
        if (q.holder.rfind("lockscope:semaphore:", 0) != 0)
            throw UsageError(
                "--adopt-bare-count applies to a plain semaphore's token "
                "(lockscope:semaphore:…), as lock acquire --adopt-bare-count printed");
        q.adoptBareCount = true;
    }
    if (p.has("sandbox")) throw UsageError("'" + cmd + "' acts on an existing server: use --url");
    // The rules file (docs/rules.md): a key a rule makes a lock can be released like one.
    auto rules = monitor::loadRulesFile(monitor::rulesFilePath());
    for (const auto& e : rules.errors) err << "lockscope-cli: note: rules file: " << e << "\n";
    q.rules = std::move(rules.rules);
    Session session(p, 1, err);
    session.requireWrites("'" + cmd + "'");
    const std::string key = displayBytes(q.key);
    const std::string verb = action == LockAction::Extend ? "extended"
                             : force                      ? "force-released"
                                                          : "released";

    // Interactive use asks first; scripts (no terminal) state the holder they saw and proceed.
    if (force && !p.has("yes") && ::isatty(STDIN_FILENO) && ::isatty(STDERR_FILENO)) {
        if (const auto seen = locks::parsePlainPermitsHolder(q.holder))
            err << "Give back " << q.permits.value_or(1) << " of the " << seen->count
                << " permits taken of semaphore " << key << " on " << session.describe()
                << ", if the number taken is still " << seen->count
                << "? The count alone does not tell a leaked permit from a live holder's; "
                   "recorded tokens whose holders are no longer connected go with them (`lock "
                   "inspect` lists them). [y/N] ";
        else
            err << "Delete lock " << key << " on " << session.describe()
                << " if it is still held by " << displayBytes(q.holder) << "? [y/N] ";
        err.flush();
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "y" && answer != "Y" && answer != "yes") {
            err << "lockscope-cli: not released (not confirmed)\n";
            return kFailed;
        }
    }

    const auto& nodes = session.nodes();
    // A give-back by count just after a failover is refused while holders may be reconnecting:
    // how long the Sentinels have named this master.
    if (force && locks::parsePlainPermitsHolder(q.holder) && nodes.size() == 1)
        q.masterFor =
            monitor::masterNamedFor(session.target(), nodes.front(), session.connectOptions());
    const auto report = actions::runLockAction(q, nodes, session.connectOptions());
    using V = actions::LockActionReport::Verdict;
    const V verdict = report.verdict();
    const std::string notDone = action == LockAction::Extend ? "not extended" : "not released";
    if (verdict == V::NotAudited) {
        err << "lockscope-cli: " << key << " " << notDone << ": " << *report.auditProblem
            << "; nothing was changed (LOCKSCOPE_AUDIT_LOG names another file)\n";
        return kFailed;
    }
    const bool multi = nodes.size() > 1;
    auto perNode = [&](std::ostream& to) {
        if (!multi) return;
        for (const auto& n : report.nodes)
            to << "  " << n.node << "  " << nodeText(n, action) << "\n";
    };
    if (verdict == V::Refused || verdict == V::Unreachable) {
        const auto* why = report.mainRefusal();
        perNode(out);
        err << "lockscope-cli: " << key << " " << notDone << ": "
            << (why ? refusalText(*why, action, q.holder, q.key) : "no node answered")
            << (multi ? " (every node above)" : "") << "\n";
        if (report.auditProblem)
            err << "lockscope-cli: and the audit log could not be written: " << *report.auditProblem
                << "\n";
        return verdict == V::Unreachable ? kConnection : kFailed;
    }

    // Done on at least one node.
    const actions::NodeResult* first = nullptr;
    for (const auto& n : report.nodes)
        if (n.acted() && !first) first = &n;
    std::string what = verb + " " + key;
    if (first->outcome == actions::NodeResult::Outcome::StillHeld)
        what = "released one hold of " + key + ": " + displayBytes(q.holder) + " still holds it (" +
               std::to_string(first->holdsLeft) + " left)";
    else if (action != LockAction::Extend && !first->others.empty())
        what += " for " + displayBytes(q.holder) + "; still held by " + displayBytes(first->others);
    if (first->format == monitor::Format::Semaphore && !first->reason.empty())
        what += ": " + first->reason;
    if (first->watched.count() > 0)
        what += " (its integer did not move in " + std::to_string(first->watched.count()) +
                " ms watched; --observe MS watches longer for a slower heartbeat)";
    if (action == LockAction::Extend) {
        what += " to " + std::to_string(q.ttl.count()) + " ms";
        if (first->after != q.holder)  // a setnx-getset lock: the expiry is the holder
            what += "; its holder is now " + displayBytes(first->after);
    }
    out << what
        << (multi ? " on " + std::to_string(report.acted()) + "/" + std::to_string(nodes.size()) +
                        " nodes"
                  : "")
        << (report.auditProblem ? std::string(" (NOT logged: the audit log could not be written)")
                                : " (logged to " + report.auditPath + ")")
        << "\n";
    perNode(out);
    out.flush();
    int code = kOk;
    if (verdict == V::Partial) {
        std::string missed;
        for (const auto& n : report.nodes)
            if (!n.acted() && n.outcome != actions::NodeResult::Outcome::NotHeld)
                missed += (missed.empty() ? "" : ", ") + n.node + " (" + nodeText(n, action) + ")";
        err << "lockscope-cli: partial: " << key << " " << verb << " on " << report.acted()
            << " of " << nodes.size() << " nodes; not on " << missed << "\n";
        code = kPartial;
    }
    if (report.auditProblem) {
        err << "lockscope-cli: " << key << " was " << verb
            << ", but the audit log could not be written: " << *report.auditProblem << "\n";
        code = kPartial;
    }
    return code;
}

int inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "lock inspect";
    Parsed p = parseOptions(
        args, withGlobal({{"strategy", true}, {"json", false}, {"adopt-bare-count", false}}), cmd);
    const std::string key = singleKey(p, cmd);
    const std::string strategy = checkedStrategy(p, cmd);
    const auto* known = locks::findLockStrategy(strategy);
    // A bare integer is read as a Redisson RSemaphore / RCountDownLatch (they keep no record)
    // only when the user says it is one, as the writes do (adv14b item 8).
    const bool adopt = p.has("adopt-bare-count");
    if (adopt && known->kind != locks::LockKind::Latch && known->kind != locks::LockKind::Permits)
        throw UsageError(
            "--adopt-bare-count applies to --strategy semaphore, "
            "expirable-semaphore or latch");
    Session session(p, known->multiNode ? 3 : 1, err);
    auto ctx = session.lockContext(strategy);
    ctx.config.adoptBareCount = adopt;
    const auto info = known->kind == locks::LockKind::Latch
                          ? inspectLatch(session, key, adopt)
                          : locks::makeLockStrategy(strategy, std::move(ctx))->inspect(key);
    if (p.has("json")) {
        printJsonLine(out, lockInfoJson(key, strategy, info));
        return kOk;
    }
    // A key of another kind is not free: it is not this strategy's lock at all (adv14b item 8:
    // a held Redisson RLock read as a read-write lock said "(free)"). The detail says what it is.
    const bool otherKind = !info.held && info.primitive &&
                           info.primitive->kind == locks::PrimitiveKind::None &&
                           !info.primitive->seenKind.empty() && info.primitive->seenKind != "none";
    out << "key:     " << displayBytes(key) << "\n"
        << "holder:  "
        << (info.held   ? displayBytes(info.holder)
            : otherKind ? "(none: not a " + strategy + " — see detail)"
                        : std::string("(free)"))
        << "\n"
        << "ttl:     " << ttlText(info.ttl) << "\n";
    if (info.holdCount) out << "holds:   " << info.holdCount << "\n";
    if (info.fence) out << "fence:   " << *info.fence << "\n";
    if (info.nodesTotal > 1) out << "nodes:   " << info.nodesHeld << "/" << info.nodesTotal << "\n";
    for (const auto& n : info.nodes)
        out << "  " << n.node << "  "
            << (!n.reachable ? "unreachable"
                : n.value    ? displayBytes(*n.value)
                             : "(free)")
            << "  " << ttlText(n.ttl) << "\n";
    if (!info.detail.empty()) out << "detail:  " << info.detail << "\n";
    if (info.primitive)  // queue, readers and writer, permits, count
        for (const auto& line : locks::describePrimitiveState(*info.primitive)) out << line << "\n";
    // A plain semaphore's recorded tokens, with the process each names and whether it is still
    // connected: which permits leaked (adv14d item 2).
    if (strategy == "semaphore" && info.primitive &&
        info.primitive->kind == locks::PrimitiveKind::Semaphore) {
        auto c = session.connect();
        const auto recorded = locks::recordedPermits(c, key);
        out << "tokens:  " << recorded.size()
            << " recorded (one permit each, taken by LockScope clients; a Redisson client's "
               "permit has no token)\n";
        for (const auto& r : recorded)
            out << "  " << displayBytes(r.token) << "  "
                << (r.pid ? "host " + r.host + ", pid " + std::to_string(r.pid) + ", "
                          : std::string())
                << (!r.connected
                        ? "connection unknown (CLIENT LIST refused, or the token names no process)"
                    : *r.connected ? "connected"
                                   : "not connected: its holder is gone, its permit leaked")
                << "\n";
    }
    return kOk;
}

}  // namespace

int lockCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto sub = splitCommand(args, globalOptions());
    if (!sub)
        throw UsageError(
            "'lock' needs a subcommand: acquire, release, extend, inspect or force-release");
    const auto& rest = sub->rest;
    if (sub->word == "acquire") return acquire(rest, out, err);
    if (sub->word == "release" || sub->word == "extend" || sub->word == "force-release")
        return holderCommand(sub->word, rest, out, err);
    if (sub->word == "inspect") return inspect(rest, out, err);
    throw UsageError("unknown subcommand 'lock " + sub->word +
                     "'; use acquire, release, extend, inspect or force-release");
}

}  // namespace lockscope::cli

#include "actions/lock_actions.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <thread>

#include "locks/holder_ops.h"
#include "locks/primitive_ops.h"
#include "locks/primitive_state.h"
#include "monitor/classifier.h"
#include "monitor/inspector.h"
#include "redis/error.h"
#include "util/audit.h"
#include "util/clock.h"
#include "util/text.h"

namespace lockscope::actions {

const std::chrono::milliseconds kGiveBackGrace = monitor::orphanWindow(-1, std::chrono::seconds(2));

namespace {

using locks::HolderLayout;
using monitor::Format;
using Outcome = NodeResult::Outcome;

// The layout to act on for what the classifier recognised; nullopt: not a lock we act on.
// This is where the user's rules (a later issue) come in: a key a rule declares a lock of some
// format gets that format's layout here instead of the refusal.
std::optional<long long> integerValue(std::string_view s) {
    long long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<HolderLayout> layoutFor(const monitor::KeyRecord& r) {
    if (r.kind != monitor::Kind::Lock) return std::nullopt;
    switch (r.format) {
        case Format::SetnxExpire:
        case Format::SetNxPx:
        case Format::Redlock:
        case Format::Fenced:
        case Format::UnsafeDel:
        case Format::RedisPy:
        case Format::NodeRedlock:
        case Format::ShedLock:
        case Format::BullMq:
        case Format::ActiveJobUniqueness:
        case Format::CeleryOnce:
        case Format::LaravelCacheLock:
        case Format::Token:
        // Hand-rolled string locks: the value is the holder, compared whole (a heartbeat counter
        // that beat since the operator looked has another holder: "holder changed").
        case Format::Flag:
        case Format::HeartbeatCounter:
        case Format::ExpiryTimestamp:
        case Format::Identity:
        case Format::JsonOwner:
            return HolderLayout::Token;
        case Format::UserRule:  // a string a rule made a lock; a hash or list has no holder
            if (r.holder.empty()) return std::nullopt;
            return HolderLayout::Token;
        case Format::PythonRedisLock:
            return HolderLayout::PythonRedisLock;
        // Seed 000's protocol (no TTL): the value IS the expiry, and extend rewrites it. An
        // epoch-ms value under a TTL is when it was taken, or a token its holder compares on
        // release (adv11d item 5): the TTL is the lease, extended by PEXPIRE, the value kept.
        case Format::SetnxGetset:
            return r.ttlMs >= 0 ? HolderLayout::Token : HolderLayout::Timestamp;
        case Format::NodeRedisLock:
            return HolderLayout::Timestamp;
        case Format::Heartbeat:
            return HolderLayout::Heartbeat;
        case Format::Reentrant:
        case Format::RedissonLock:
        case Format::RedissonFencedLock:
            return HolderLayout::RedissonLock;
        case Format::Fair:  // LockScope's fair lock is Redisson's layout
        case Format::RedissonFairLock:
            return HolderLayout::RedissonFairLock;
        case Format::ReadWrite:
        case Format::RedissonRwLock:
            return HolderLayout::RedissonRwLock;
        case Format::SymfonyLock:
            return HolderLayout::SymfonyLock;
        case Format::HashOwner:
            return HolderLayout::HashOwner;
        case Format::Semaphore:
            return HolderLayout::Semaphore;
        case Format::ExpirableSemaphore:
        case Format::RedissonExpirableSemaphore:
            return HolderLayout::ExpirableSemaphore;
        case Format::Latch:
            return HolderLayout::Latch;
        // Shown only: the library's unlock keeps bookkeeping a delete here would not
        // (notALockReason says what to run instead).
        case Format::SidekiqUniqueJobs:
        case Format::Unknown:
        case Format::Counter:
        case Format::VersionedCounter:
            break;
    }
    return std::nullopt;
}

locks::HolderOp holderOp(LockAction a) {
    switch (a) {
        case LockAction::Release:
            return locks::HolderOp::Release;
        case LockAction::ForceRelease:
            return locks::HolderOp::ForceRelease;
        case LockAction::Extend:
            return locks::HolderOp::Extend;
    }
    return locks::HolderOp::Release;
}

AuditedAction audited(const LockActionRequest& q) {
    AuditedAction a;
    switch (q.action) {
        case LockAction::Release:
            a.kind = AuditedAction::Kind::Release;
            break;
        case LockAction::ForceRelease:
            a.kind = AuditedAction::Kind::ForceRelease;
            a.ttlShownMs = q.ttlShownMs;
            break;
        case LockAction::Extend:
            a.kind = AuditedAction::Kind::Extend;
            a.ttlMs = q.ttl.count();
            break;
    }
    a.key = q.key;
    a.holder = q.holder;
    return a;
}

std::string secondsText(std::chrono::milliseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
    return buf;
}

// Watches an integer lock holding `q.holder` for `q.observe`: true, with `n` filled in, when its
// value moved (a beat: seed 001's holder INCRs without a TTL, so the value shown is the holder's
// only until its next beat) or the key went; false when it stood still the whole time.
bool movedWhileWatched(redis::Connection& c, const LockActionRequest& q, NodeResult& n) {
    using std::chrono::milliseconds;
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + q.observe;
    const auto from = integerValue(q.holder);
    for (auto now = start; now < end; now = std::chrono::steady_clock::now()) {
        // 100 ms: a beat is seen within a tenth of a second of a 1 s period, at 10 GETs a second.
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(milliseconds(100), end - now));
        std::optional<std::string> value;
        try {
            value = c.command({"GET", q.key}).optString();
        } catch (const redis::Error& e) {
            if (e.kind() != redis::ErrorKind::WrongType) throw;
            n.outcome = Outcome::HolderChanged;
            n.reason = "it turned into another type while watched";
            return true;
        }
        n.watched =
            std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
        if (!value) {
            n.outcome = Outcome::NotHeld;
            return true;
        }
        if (*value == q.holder) continue;
        n.outcome = Outcome::HolderChanged;
        n.found = *value;
        const auto to = integerValue(*value);
        if (from && to && *to > *from) {
            n.beating = true;
            n.reason = "may be a live heartbeat: it went from " + std::to_string(*from) + " to " +
                       std::to_string(*to) + " while watched (" + secondsText(n.watched) +
                       "), so its holder still runs; a lock is not released while it beats "
                       "(stop the holder, or wait for heartbeat-stale)";
        }
        return true;
    }
    n.watched = q.observe;
    return false;
}

// A lock whose holder is the start of a longer value (monitor::KeyState::holderCut, a JSON
// holder with metadata): compared on those bytes AND the value's whole length, in one script —
// what the operator saw. ARGV: the holder bytes, the length, "del" or "pexpire", the lease (ms).
// Returns {code, the value's start as long as the holder given, its length}: 1 done, 0 no key,
// -1 another value, -2 not a string.
const redis::Script& cutHolderScript() {
    static const redis::Script script(R"lua(
local t = redis.call('TYPE', KEYS[1])['ok']
if t == 'none' then return {0, '', 0} end
if t ~= 'string' then return {-2, t, 0} end
local head = redis.call('GETRANGE', KEYS[1], 0, string.len(ARGV[1]) - 1)
local len = redis.call('STRLEN', KEYS[1])
if head ~= ARGV[1] or len ~= tonumber(ARGV[2]) then return {-1, head, len} end
if ARGV[3] == 'del' then
  redis.call('DEL', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return {1, head, len}
)lua");
    return script;
}

// Release / force-release / extend of a lock whose holder was cut (see cutHolderScript).
void actOnCutHolder(redis::Connection& c, const LockActionRequest& q,
                    const monitor::KeyRecord& record, NodeResult& n) {
    // The length the operator was shown (the dashboard passes it); otherwise the one just read.
    // A holder given whole (longer than the preview) is compared whole.
    long long length = q.valueLengthShown.value_or(record.number);
    if (q.holder.size() > record.holder.size()) length = static_cast<long long>(q.holder.size());
    const bool extend = q.action == LockAction::Extend;
    const auto reply = c.eval(cutHolderScript(), {q.key},
                              {q.holder, length, extend ? "pexpire" : "del",
                               static_cast<long long>(std::max<long long>(q.ttl.count(), 1))});
    const long long code = reply[0].integer();
    const std::string head(reply[1].str());
    const long long nowLength = reply[2].integer();
    switch (code) {
        case 1:
            n.outcome = Outcome::Done;
            n.after = n.found;
            return;
        case 0:
            n.outcome = Outcome::NotHeld;
            return;
        case -2:
            n.outcome = Outcome::HolderChanged;
            n.reason = "it turned into a " + head + ": nothing changed";
            return;
        default:
            n.outcome = Outcome::HolderChanged;
            n.found = head;
            if (head == q.holder)
                n.reason = "the value starts with the holder given but is now " +
                           std::to_string(nowLength) + " bytes long, not " +
                           std::to_string(length) + ": it was written again";
            return;
    }
}

// A redis::Error as this node's outcome.
void failed(NodeResult& n, const redis::Error& e) {
    using K = redis::ErrorKind;
    n.reason = e.what();
    switch (e.kind()) {
        case K::Connect:
        case K::Timeout:
        case K::Closed:
        case K::Io:
        case K::Protocol:
        case K::Tls:
        case K::Ssh:
        case K::Busy:
            n.outcome = Outcome::Unreachable;
            return;
        case K::Auth:  // the server answered: it does not take these credentials
        case K::NoPermission:
        case K::ReadOnly:
            n.outcome = Outcome::Refused;
            return;
        default:
            break;
    }
    // An ACL refusal inside a script comes back as "ERR The user executing the script can't run
    // this command or subcommand …" (Redis 7).
    n.outcome = n.reason.find("can't run this command") != std::string::npos ? Outcome::Refused
                                                                             : Outcome::Error;
}

// A give-back by count just after a master switch: the recorded holders missing from CLIENT LIST
// may only not have followed yet (issue 14, F14i: a live holder's token was taken, so its release
// no longer gave its permit back). Refused then, with when to try again. (A restart is not
// waited for: a plain permit's holder does not reconnect until its release, so waiting would not
// bring it back.)
bool giveBackTooSoon(redis::Connection& c, const LockActionRequest& q, NodeResult& n) {
    const auto tenure = q.masterFor;
    if (!tenure || *tenure >= kGiveBackGrace) return false;
    size_t unseen = 0;
    for (const auto& p : locks::recordedPermits(c, q.key))
        if (p.connected && !*p.connected) ++unseen;
    if (unseen == 0) return false;
    const long long since = tenure->count() / 1000;
    const long long wait = (kGiveBackGrace - *tenure).count() / 1000 + 1;
    n.outcome = Outcome::HolderChanged;
    n.reasonSaysAll = true;
    n.reason = "the Sentinels named this master " + std::to_string(since) +
               " s ago: " + std::to_string(unseen) +
               " recorded holder(s) not connected to it may still be reconnecting, and a "
               "give-back by count takes a disconnected holder's token with its permit (a live "
               "holder's release would then not give its permit back). Nothing changed; try "
               "again in " +
               std::to_string(wait) + " s (`lock inspect` lists the tokens and their holders)";
    return true;
}

NodeResult actOnNode(const LockActionRequest& q, const redis::Endpoint& node,
                     const redis::ConnectOptions& options) {
    NodeResult n;
    n.node = node.display();
    try {
        redis::Connection c(node, options);
        // Read the key as the monitor reads it, and judge it by the same rules.
        monitor::Inspector inspector;
        auto inspected = inspector.inspect(c, {q.key});
        auto& seen = inspected.front();
        const std::string type = seen.observation.type;
        if (type == "none") {
            n.outcome = Outcome::NotHeld;
            return n;
        }
        if (type == "unreadable") {
            auto notes = inspector.takeNotes();
            n.outcome = Outcome::Refused;
            n.reason =
                notes.empty() ? "the server does not let this user read the key" : notes.front();
            return n;
        }
        if (type == "moved" || type == "ask") {
            n.outcome = Outcome::Error;
            n.reason = "the key is served by " + seen.observation.movedTo + " (cluster " +
                       (type == "ask" ? "ASK" : "MOVED") + "): send the action there";
            return n;
        }
        monitor::ClassifyContext ctx;
        ctx.wallNowMs = systemClock().wallMillis();
        ctx.now = monitor::Steady::now();
        ctx.companions = seen.companions;
        ctx.rules = &q.rules;
        // A string's observation is kept to say why it is not a lock (whyNot); one key, cheap.
        const monitor::Observation observed =
            type == "string" ? seen.observation : monitor::Observation{};
        const auto record = monitor::classify(std::move(seen.observation), ctx);
        auto layout = layoutFor(record);
        // --adopt-bare-count: a counter the operator says is a Redisson RSemaphore, released by the
        // token its acquire printed (checked again in the script: a bare integer, no record).
        const bool adopted = !layout && q.adoptBareCount && q.action != LockAction::Extend &&
                             type == "string" && record.kind == monitor::Kind::Counter &&
                             q.holder.rfind("lockscope:semaphore:", 0) == 0;
        if (adopted) layout = HolderLayout::Semaphore;
        // A hand-rolled lock judged by its value alone (no lock-like word in its name, no rule)
        // is a guess, shown as such — not enough to delete or extend someone's data (the issue-11
        // tester force-released a JSON document with an owner_id field). A rule makes it a lock.
        using F = monitor::Format;
        const bool valueOnly =
            record.guessed() && !record.byRule() &&
            !(record.evidence & monitor::evidence::kLockName) &&
            (record.format == F::Flag || record.format == F::Identity ||
             record.format == F::JsonOwner || record.format == F::HeartbeatCounter ||
             record.format == F::ExpiryTimestamp);
        if (valueOnly) {
            n.outcome = Outcome::NotALock;
            n.reason = "only its value looks like a lock (" + monitor::why(record) +
                       "); its name has no lock-like word — a `lock GLOB` rule in the rules file "
                       "makes it one to act on";
            n.ruleWouldMakeLock = true;
            return n;
        }
        if (!layout) {
            n.outcome = Outcome::NotALock;
            n.reason = notALockReason(record, type).value_or("it is not a lock");
            // A string of no known shape under a name with no lock-like word: say why not, and
            // that a rule makes it one (a value's shape alone is no evidence, issue 11).
            if (type == "string" && record.kind == monitor::Kind::Other)
                n.reason += ": " + monitor::whyNot(observed, record, &q.rules);
            // A string a `lock` rule would make a lock (`locks --lock-pattern` listed it so).
            // Not where a not-lock rule keeps it out: that rule wins over a `lock` line (adv11h
            // item 13: the hint suggested a line that changed nothing).
            const std::string* notLock = q.rules.notLockRuleFor(q.key);
            n.ruleWouldMakeLock =
                !notLock && type == "string" &&
                (record.kind == monitor::Kind::Counter || record.kind == monitor::Kind::Other);
            if (notLock && n.reason.find("keeps it out") == std::string::npos)
                n.reason += "; " + q.rules.describe(notLock) +
                            " keeps it out (a not-lock rule wins over a lock rule)";
            return n;
        }
        n.guessAccepted = record.guessed() && !record.byRule() && q.acceptGuess;
        n.format = record.format;
        // What the server had, for the audit line — also when the write below is refused.
        n.found = record.holder;
        // A TTL would end these, not extend them: a beating counter lives by its beat (seed 001:
        // its holder INCRs it, and a TTL deletes it under a live holder), and an expiry-timestamp
        // lock keeps its expiry in the value (in seconds; not rewritten here).
        // One look cannot tell an integer lock's process id from a beat counter: the same.
        const bool integerLock = record.format == monitor::Format::HeartbeatCounter ||
                                 (record.format == monitor::Format::Identity &&
                                  record.shape() == monitor::ValueShape::Integer);
        // With a TTL, the TTL is an expiry-timestamp lock's lease (its value is kept): extended.
        if (q.action == LockAction::Extend &&
            (integerLock ||
             (record.format == monitor::Format::ExpiryTimestamp && record.ttlMs < 0))) {
            n.outcome = Outcome::CannotExtend;
            n.reason = integerLock
                           ? "an integer lock may be a heartbeat counter, which lives by its beat "
                             "and has no TTL to extend (a TTL would delete it under a live holder)"
                           : "its expiry is the timestamp in its value, which a TTL does not move "
                             "(a TTL would only end it sooner)";
            return n;
        }
        // A guess (no library's layout, no rule): deleting or re-leasing it changes the application
        // whatever it is — only when the operator says they checked it (adv11h: bans, login
        // lockouts and smart-lock credentials under lock words were force-released as locks).
        // `lock release` too: its token is the value `locks` shows, so it deleted any guess
        // (adv11i item 1).
        if (record.guessed() && !record.byRule() && !q.acceptGuess && !adopted) {
            n.outcome = Outcome::Guessed;
            n.reason = "LockScope only guessed that it is a lock (" + monitor::why(record) +
                       ") — a ban, a login lockout or a setting can look the same; if you "
                       "checked that it is a lock, repeat with --accept-guess (the dashboard: "
                       "tick \"I checked that it is a lock\"), or make keys like it locks with "
                       "a `lock GLOB` rule (docs/rules.md)";
            return n;
        }
        if (record.holderCut && layout == HolderLayout::Token) {
            actOnCutHolder(c, q, record, n);
            return n;
        }
        // Deleting an integer lock: the value alone cannot say whether a heartbeat still beats
        // it (issue 11 round 6: a live counter force-released with the value it had a moment
        // ago). Watch it first; the compare-and-delete below then uses the value last seen.
        const bool integerValued =
            integerValue(record.holder) &&
            (integerLock || record.format == F::Flag || record.format == F::UserRule);
        if (q.action != LockAction::Extend && integerValued && record.holder == q.holder) {
            if (q.observe.count() > 0 && movedWhileWatched(c, q, n)) return n;
            // Still for the watch: proof enough only of no beat faster than what is known.
            // OBJECT IDLETIME (read before anything else touched the key) counts too, except for
            // a shared integer, whose idle time is the shared object's.
            const auto idle = observed.idleSeconds;
            const auto value = integerValue(record.holder);
            const std::chrono::milliseconds idleMs(
                idle && value && (*value < 0 || *value >= 10000) ? *idle * 1000 : 0);
            n.quiet = std::max(idleMs, q.quietSeen) + n.watched;
            // Without a TTL only: a beat counter has none (one would delete it under its live
            // holder), and a lock with one ends by itself.
            if (!q.observeChosen && record.ttlMs == -1 && n.quiet < kIntegerQuiet) {
                n.outcome = Outcome::MayBeBeating;
                const auto wait =
                    std::chrono::ceil<std::chrono::seconds>(kIntegerQuiet - (n.quiet - n.watched));
                n.reason =
                    "its integer did not move in " + secondsText(n.quiet) +
                    ", but a heartbeat beating slower than that would look the same (LockScope "
                    "calls a heartbeat stale after " +
                    secondsText(kIntegerQuiet) +
                    " unchanged); nothing changed. Watch it longer: --observe " +
                    std::to_string(wait.count()) +
                    "s (or --observe with the slowest beat period you rule out; the dashboard "
                    "counts how long it has shown the value unchanged: try again once that is "
                    "a minute)";
                return n;
            }
        }
        // A plain semaphore's force-release gives back exactly the permits the operator chose
        // (default 1), never more than are taken: its permits name no holder, so nothing tells a
        // leaked permit from a live holder's (locks/primitive_ops.h).
        const long long permits = std::max(1LL, q.permits.value_or(1));
        if (*layout == HolderLayout::Semaphore && q.action == LockAction::ForceRelease &&
            locks::parsePlainPermitsHolder(q.holder) && giveBackTooSoon(c, q, n))
            return n;
        const auto r = locks::applyHolderOp(c, *layout, holderOp(q.action), q.key, q.holder, q.ttl,
                                            systemClock().wallMillis(), permits, adopted);
        // The script's own reading wins where the holder changed since the read. (Where the
        // action succeeded it may be the value written: a setnx-getset extend's new expiry.)
        if (r.outcome != locks::HolderOpResult::Outcome::Done && !r.currentHolder.empty())
            n.found = r.currentHolder;
        n.after = r.outcome == locks::HolderOpResult::Outcome::Done && !r.currentHolder.empty()
                      ? r.currentHolder
                      : n.found;
        n.others = r.others;
        n.holdsLeft = r.holdsLeft;
        using H = locks::HolderOpResult::Outcome;
        switch (r.outcome) {
            case H::Done:
                n.outcome = Outcome::Done;
                if (*layout == HolderLayout::Semaphore && q.action != LockAction::Extend) {
                    const auto counted = locks::parsePlainPermitsHolder(n.found);
                    const long long taken = counted ? counted->count : 0;
                    if (adopted)
                        n.reason =
                            "gave back one permit on trust (--adopt-bare-count: a bare integer "
                            "keeps no record to check the token against)";
                    else if (locks::parsePlainPermitsHolder(q.holder))
                        n.reason = "gave back " + std::to_string(std::min(permits, taken)) +
                                   " of the " + std::to_string(taken) +
                                   " permits taken (by count: nothing tells a leaked permit from "
                                   "a live holder's; a LockScope holder's own token names its "
                                   "permit)" +
                                   (r.seen.empty() ? std::string() : "; " + r.seen);
                    else if (!r.seen.empty())
                        n.reason = r.seen;
                    else
                        n.reason = "gave back the permit this token took (taken before: " +
                                   std::to_string(taken) + ")";
                }
                break;
            case H::StillHeld:
                n.outcome = Outcome::StillHeld;
                break;
            case H::HolderChanged: {
                n.outcome = Outcome::HolderChanged;
                if (!r.seen.empty()) {  // a plain permit's unknown token
                    n.reason = r.seen;
                    n.reasonSaysAll = true;
                }
                // An integer that went up since the holder given was seen is a beat of the same
                // holder, not a new one: the heartbeat is alive, and a beating lock is not taken
                // from its holder.
                const auto before = integerValue(q.holder);
                const auto now = integerValue(n.found);
                if (integerLock && before && now && *now > *before) {
                    n.beating = true;
                    n.reason = "its heartbeat is alive: the counter beat from " +
                               std::to_string(*before) + " to " + std::to_string(*now) +
                               " since you looked, so its holder still runs; a lock is not "
                               "force-released while it beats (stop the holder, or wait for "
                               "heartbeat-stale)";
                }
                break;
            }
            case H::NotHeld:
                n.outcome = Outcome::NotHeld;
                break;
            case H::WrongLayout:
                // It changed between the read and the script: what it is now is another key.
                n.outcome = Outcome::HolderChanged;
                n.reason = r.seen.empty()
                               ? "it turned into a " + r.type + " that is not a " +
                                     std::string(monitor::formatName(record.format)) + " lock"
                               : "it is " + r.seen + ", not a " +
                                     std::string(monitor::formatName(record.format)) +
                                     ": nothing changed";
                break;
            case H::CannotExtend:
                n.outcome = Outcome::CannotExtend;
                n.reason =
                    *layout == HolderLayout::Semaphore
                        ? "refused: no lease — a plain semaphore's permit has none to extend (an "
                          "expirable-semaphore's permits have one)"
                    : *layout == HolderLayout::Latch
                        ? "refused: no lease — a latch has none to extend"
                        : "heartbeat locks live by their beat and have no TTL to extend";
                break;
            case H::SeveralHolders:
                n.outcome = Outcome::SeveralHolders;
                n.reason =
                    "a release gives back one holder's hold: name one of them (force-release "
                    "removes several)";
                break;
        }
    } catch (const redis::Error& e) {
        failed(n, e);
    }
    return n;
}

}  // namespace

std::string_view outcomeName(NodeResult::Outcome o) {
    switch (o) {
        case Outcome::Done:
            return "done";
        case Outcome::StillHeld:
            return "still-held";
        case Outcome::HolderChanged:
            return "holder-changed";
        case Outcome::NotHeld:
            return "not-held";
        case Outcome::NotALock:
            return "not-a-lock";
        case Outcome::Guessed:
            return "guessed";
        case Outcome::CannotExtend:
            return "cannot-extend";
        case Outcome::SeveralHolders:
            return "several-holders";
        case Outcome::MayBeBeating:
            return "may-be-beating";
        case Outcome::Refused:
            return "refused";
        case Outcome::Unreachable:
            return "unreachable";
        case Outcome::Error:
            return "error";
    }
    return "unknown";
}

std::optional<std::string> notALockReason(const monitor::KeyRecord& r, std::string_view type) {
    if (layoutFor(r)) return std::nullopt;
    const std::string key = displayBytes(r.key);
    if (r.format == Format::SidekiqUniqueJobs) {
        // Shown, never acted on (docs/client-formats.md#format-sidekiq-unique-jobs): its unlock
        // also takes the digest out of the digests zset and clears its lists and :INFO.
        const std::string digest = displayBytes(r.key.substr(0, r.key.size() - 7));
        return key + " is a sidekiq-unique-jobs lock (job " + displayBytes(r.holder) +
               "), which LockScope shows but does not change: the library's unlock also takes " +
               "the digest out of uniquejobs:digests and clears its :QUEUED, :PRIMED and :INFO " +
               "keys, which a delete or a new TTL here would leave inconsistent. Unlock it with " +
               "the library: SidekiqUniqueJobs::Digests.new.delete_by_digest(\"" + digest +
               "\") in its console (`jobs console`), or Delete on the Locks page of Sidekiq's " +
               "web UI";
    }
    if (r.kind == monitor::Kind::Counter)
        return key + " is a " + (r.format == Format::VersionedCounter ? "versioned " : "") +
               "counter, not a lock";
    if (r.kind == monitor::Kind::Companion)
        return key + " belongs to a lock (a queue, fencing counter or signal of another key), " +
               "it is not a lock itself";
    if (r.format == Format::UserRule)
        return key + " is made a lock by your rule; a " + std::string(type) +
               " has no holder to compare; not acted on";
    if (type == "string") {
        // A setting or a described thing by its name (docs/client-formats.md#names).
        const auto name = monitor::nameClues(r.key);
        if (!name.verbPhrase.empty() && name.contextWord.empty())
            return key + " is a string that is not a lock: its name's '" +
                   displayBytes(std::string(name.verbPhrase)) +
                   "' is a verb phrase (a permission or a moderation switch), not a lock's name";
        if (!name.contextWord.empty() || !name.lockAttribute.empty() || !name.uiWord.empty())
            return key + " is a string that is not a lock: its name's '" +
                   displayBytes(std::string(!name.contextWord.empty()     ? name.contextWord
                                            : !name.lockAttribute.empty() ? name.lockAttribute
                                                                          : name.uiWord)) +
                   "' makes it a setting's, a feature flag's or a described thing's";
        return key + " is a string that is not a lock of any format LockScope knows";
    }
    if (type == "hash") return key + " is a hash that is not a lock of any format LockScope knows";
    return key + " is a " + std::string(type) + ", not a lock";
}

LockActionReport::Verdict LockActionReport::verdict() const {
    if (!auditOpened) return Verdict::NotAudited;
    bool acted = false, failed = false, reached = false;
    for (const auto& n : nodes) {
        if (n.acted())
            acted = true;
        else if (n.outcome != NodeResult::Outcome::NotHeld)
            failed = true;
        if (n.outcome != NodeResult::Outcome::Unreachable) reached = true;
    }
    if (acted) return failed ? Verdict::Partial : Verdict::Done;
    return reached ? Verdict::Refused : Verdict::Unreachable;
}

int LockActionReport::acted() const {
    int count = 0;
    for (const auto& n : nodes) count += n.acted() ? 1 : 0;
    return count;
}

const NodeResult* LockActionReport::mainRefusal() const {
    for (auto want : {Outcome::HolderChanged, Outcome::MayBeBeating, Outcome::Guessed,
                      Outcome::NotALock, Outcome::CannotExtend, Outcome::SeveralHolders,
                      Outcome::Refused, Outcome::Error, Outcome::Unreachable, Outcome::NotHeld})
        for (const auto& n : nodes)
            if (n.outcome == want) return &n;
    return nullptr;
}

LockActionReport runLockAction(const LockActionRequest& q,
                               const std::vector<redis::Endpoint>& nodes,
                               const redis::ConnectOptions& options) {
    LockActionReport report;
    AuditLog log = AuditLog::open();
    report.auditPath = log.path();
    report.auditOpened = log.ok();
    if (!log.ok()) {
        report.auditProblem = log.problem();
        return report;
    }
    const AuditedAction action = audited(q);
    for (const auto& node : nodes) {
        NodeResult n = actOnNode(q, node, options);
        std::string outcome(outcomeName(n.outcome));
        if (!n.reason.empty()) outcome += ": " + n.reason;
        if (n.guessAccepted) outcome += " (a guessed lock; the operator checked it)";
        if (auto problem = log.append(auditEntry(action, n.node, outcome, n.found));
            problem && !report.auditProblem)
            report.auditProblem = *problem;
        report.nodes.push_back(std::move(n));
    }
    return report;
}

}  // namespace lockscope::actions

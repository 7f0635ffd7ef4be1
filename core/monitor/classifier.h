// Classification: which client made a key, who holds it, and in which state — from one
// Observation plus a little context. Pure functions: no I/O, time passed in.
//
// An observation the server refused to give (type "unreadable") classifies as a stale record with
// the reason: the engine keeps the key's last known state, never "gone".
//
// Rules, in order (docs/client-formats.md#rules):
//   companion keys (lockscope_fence:{k}, redisson_lock_token:{k}, redisson_lock_queue:{k},
//     redisson_lock_timeout:{k}, lock-signal:<name>,
//     {k}:<uuid>:<threadId>:rwlock_timeout:<n>)                    → Companion (not listed)
//   hash {owner, beat, period_ms}                                  → heartbeat
//   hash of "<uuid>:<threadId>[:write]" → count (+ mode)           → reentrant (uuid starts with a
//     connected LockScope client's tag), redisson-rwlock (mode), redisson-fair-lock (queue),
//     redisson-fenced-lock (token counter), redisson-lock otherwise
//   hash {value, version}                                          → versioned counter
//   string integer with lockscope_meta:{k} or a {k}:timeout lease set → semaphore, expirable
//     semaphore, latch (primitive_formats.h)
//   string "lockscope:<strategy>:…" token                          → that strategy
//   string key "lock:<name>", 24-char base64 value                 → python-redis-lock
//   string of 32 hex chars, uuid1 layout (13th '1', 17th 8-b)      → redis-py
//   string of 32 hex chars otherwise                               → node-redlock
//   string integer in the epoch-ms range (with or without a TTL)   → setnx-getset
//   — then, judged by evidence (docs/client-formats.md#evidence): the key's name (a lock-like
//   word, matched as a word), the value's shape and the TTL —
//   integer under a lock-like name: epoch seconds → expiry-timestamp, 1 → flag, more →
//     heartbeat-counter (unless the name says it counts: semaphore, latch, count, total...)
//   epoch seconds with a fraction under a lock-like name          → expiry-timestamp
//   string integer                                                 → counter
//   JSON with an owner-like field                                  → json
//   flag word (true, locked, yes...) under a lock-like name        → flag
//   host name / "pid@host" under a lock-like name                  → identity
//   random-looking string token with a TTL or a lock-like key name → token
//   other short names under a lock-like name                       → identity
//   anything else                                                  → Other (not tracked)
// The user's rules (rules.h) come first: not-lock keeps a key out, lock makes it a lock (of its
// recognised format, or `rule`).
//
// Thread contract: stateless functions.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "monitor/fair_queue.h"
#include "monitor/key_record.h"
#include "monitor/primitive_formats.h"
#include "monitor/rules.h"

namespace lockscope::monitor {

// Values of the companion keys of one primary key (fetched by the scanner when asked for).
struct Companions {
    std::optional<long long> lockscopeFence;  // lockscope_fence:{k}
    std::optional<long long> redissonToken;   // redisson_lock_token:{k}
    bool redissonQueue = false;               // redisson_lock_queue:{k} exists
    PrimitiveCompanions primitive;            // fair queue, writers waiting, semaphore / latch
};

// The companion keys worth fetching for `obs` (empty for most keys).
std::vector<std::string> companionKeys(const Observation& obs);
// Whether `key` is itself a companion of another key.
bool isCompanionKey(std::string_view key);

struct ClassifyContext {
    long long wallNowMs = 0;
    Steady::time_point now{};
    std::chrono::milliseconds expiringSoon{1000};
    // LockScope connections seen in CLIENT LIST, by owner tag → client name; null when CLIENT
    // LIST is not available (no rights, renamed): then nothing is flagged orphaned.
    const std::unordered_map<std::string, std::string>* lockscopeClientsByTag = nullptr;
    // Asked for every lock whose holder carries a LockScope tag, with whether that tag is in
    // CLIENT LIST now. For a missing one: true while it may simply not have reconnected yet —
    // holders reconnect at their next renewal, after a failover or a server `timeout` closed an
    // idle connection; then the lock (as classified so far) is not called orphaned. (For a
    // connected one the answer is ignored: a monitor notes which locks to read again when the
    // holder leaves.) Empty: absence is evidence. See orphanWindow().
    std::function<bool(const KeyRecord& lock, const std::string& tag, bool connected)>
        holderMayReconnect;
    // Asked for a Redisson-layout hash lock whose first holder's tag is not in CLIENT LIST (or
    // CLIENT LIST is not read yet): true when that tag was seen connected as a LockScope client
    // — on this server, or on the one a master switch replaced, or (a one-shot) on another node
    // of the Sentinel group — and its holder may still be reconnecting (the orphan rule's grace,
    // orphanWindow()). The lock then keeps LockScope's format (`fair`, `read-write`,
    // `reentrant`) rather than flipping to Redisson's for the moment a live holder takes to
    // follow a failover (issue 14, F14i). Empty: only CLIENT LIST counts.
    std::function<bool(const KeyRecord& lock, const std::string& tag)> lockscopeTagSeenBefore;
    Companions companions;
    const LockRules* rules = nullptr;  // the user's rules; null: none
    // The keys were read because they changed (a notification, or the refresh of known keys):
    // a value not seen before was written just now (KeyState::ageExact).
    bool changeSeen = false;
};

// What a key's name says (the first 256 bytes; words split at separators, case changes and
// digits, so `lockout:user:42` and `stats:unlock_count` have no lock word).
struct NameClues {
    std::string_view lockWord;  // the first lock-like word as written in the key, empty if none
    bool countWord = false;     // semaphore / latch / permits: an integer there is a count
    bool counterWord = false;   // count, total, stats...: an integer there is a counter
    std::string_view lockAttribute;  // "lock" of `lock_timeout`: a lock feature's setting
    // "i18n", "buttons", "prefs", "screen" (of screen_lock): the name is a UI string's, a
    // preference's or a device setting's, so a lock word in it names no lock (lockWord empty).
    std::string_view uiWord;
    // "settings" of user:1:settings:lock, "feature" of feature:lock, "title" of
    // catalog:smart-lock:title: the name describes a setting, a feature flag or a thing (a
    // product called a smart lock), so its lock word names no lock (lockWord empty).
    // docs/client-formats.md#names.
    std::string_view contextWord;
    std::string_view foreignSetting;  // 设置 / 設定 / 配置 seen before any lock word
    // "yarn.lock" of yarn.lock, cache:Gemfile.lock, file:/var/run/app.lock: a file's name with
    // the extension .lock, not a lock (its lock word is not one).
    std::string_view fileName;
    // "lock_out" of lock_out:user:42, lock-out:10.0.0.5: a lockout spelled with a separator.
    std::string_view lockout;
    // The attribute is an id, a PIN or a code (payment_lock_id): a token there is that id.
    bool idAttribute = false;
    // The lock word a context word (contextWord) or a file's name (fileName) voided: it names a
    // lock after all when the value is a generated token with a TTL (gitlab:exclusive_lease:*,
    // lock:product:42:stock, myapp.scheduler.lock = a UUID with EX) — a setting, a thing, a
    // package or a file holds no fresh token that expires. docs/client-formats.md#names.
    std::string_view voidedLockWord;
    // "lock_posts" of perm:user:42:lock_posts: the lock word joined to a plural noun that ends
    // its segment, after other words — a verb phrase (a permission or a moderation switch: lock
    // posts), not a lock's name. Voids the lock word like a context word (voidedLockWord).
    std::string_view verbPhrase;
    // "user" of user:42:lock_comments, "ban" of ban:user:42:lock_uploads: a verb phrase
    // (verbPhrase) about a person, or under a moderation / permission word — a switch on that
    // person (a ban), whose TTL is how long it lasts, not a lease: a flag there stays no lock.
    std::string_view switchOwner;
    // The lock word a UI string's or a translation's word voided (i18n:sync:lock, 翻译:任务:锁):
    // it names a lock after all when the value is a generated token with a TTL — a translation
    // job's lock; a UI string holds no fresh token that expires (adv11g). Not for the screen
    // lock (uiDevice).
    std::string_view uiVoidedLockWord;
    bool uiDevice = false;  // uiWord is a device setting's: screen_lock, 锁屏
    // The word that makes the name a counter's (counterWord): "ttl" of lock:hb:ttl, "held" of
    // locks:held — named by whyNot.
    std::string_view counterText;
    // "last_run" of cron:lock:last_run, "created" of lock:created: a last segment after the lock
    // word naming when something happened. A time there is that event's, not an expiry: no lock.
    std::string_view eventWord;
    // "max_wait" of lock:max_wait, "reason" of lock:reason:user:42, "enabled" of
    // lock:global:enabled, 超时时间 of 分布式锁:超时时间: a segment after the lock word naming a
    // setting or a record about the lock feature (lockAttribute is then the lock word).
    std::string_view settingAfter;
    // 门锁, 车锁, 密码锁, 智能锁: a Chinese / Japanese compound naming a physical lock (a door's,
    // a car's, a combination lock) — as door:front:lock (contextWord is then that run).
    std::string_view foreignThing;
    // 商品 / 产品 (a product) before a compound lock word (商品:智能锁:标题): as
    // catalog:smart-lock.
    std::string_view foreignCatalog;
    // "battery" of lock:device:42:battery, "state" of smart_lock:42:state: a last segment that
    // is a device's attribute (a smart lock's battery, firmware, model; its status or state when
    // a device word is in the name) — a device's record, not a lock (adv11e item 6). Set with
    // contextWord; only a generated token with a TTL makes its lock word one after all.
    bool deviceRecord = false;
};
NameClues nameClues(std::string_view key);
// Whether nameClues(key) can find a lock word at all (one of its stems, or a byte of another
// script): false for most keys of a keyspace (ctr:42, session:abc), whose classification then
// skips nameClues — a lock word is what every use of its clues in classify() starts from.
bool mayNameALock(std::string_view key);

// One line of evidence for a lock record: "name has 'lock'; value is a host or process name;
// TTL set". Empty for what is not a lock. With `rules`, a rule that made it a lock is named with
// its source ("the rule 'lock jobs:*' (rules file PATH line 3) matches").
std::string why(const KeyRecord& r, const LockRules* rules = nullptr);
// Told by a library's exact layout (not a format guessed from the name and the value's range).
bool byKnownLayout(const KeyRecord& r);
// Who holds it, where the format carries it: a host, a process id, a name (a JSON owner field,
// a worker name). LockScope tokens are parsed by locks::parseToken instead.
struct HolderParts {
    std::string host;
    long long pid = -1;
    std::string name;
    std::string since;  // when it was taken, as the format writes it (ShedLock: ISO-8601)
};
std::optional<HolderParts> holderParts(const KeyState& r);
// A value rewritten by the holder it names (a JSON owner with a new renew time or heartbeat,
// ShedLock's extend() or its unlock inside lockAtLeastFor: `ADDED:<now>@<same host>`): the same
// format and the same parsed owner behind different bytes. A renewal, not a handover (issue 11
// adversarial round 2, item 1).
bool sameOwner(const KeyState& previous, const KeyState& fresh);
// One step of a hand-rolled hold count (after followBeats): INCR on entry, DECR on exit by the
// holder — the same hold, not a takeover (adversarial round 2, item 5).
bool holdCountStep(const KeyState& previous, const KeyState& fresh);

// For a key `classify` did not take for a lock: why not, in one line (inspect-key).
std::string whyNot(const Observation& obs, const KeyRecord& r, const LockRules* rules);

// How long a LockScope holder may be missing from CLIENT LIST before that is evidence: a live
// holder renews every TTL/3 and reconnects to do so; a lock seen with `ttlMs` left has a TTL of at
// least that, renewed before ⅔ of it is left, so half of what is left bounds the wait (30 s
// without a TTL). `margin` covers the CLIENT LIST refresh.
std::chrono::milliseconds orphanWindow(long long ttlMs, std::chrono::milliseconds margin);

// A fresh record from one observation. Its lastChange is "now" (or now − OBJECT IDLETIME when
// known); carryOver() keeps an earlier one when nothing moved.
// Takes the observation by value: its key and value move into the record.
KeyRecord classify(Observation obs, const ClassifyContext& ctx);

// What a fair lock's queue read (FairQueueSeen, by the inspector) says of its lock: nullopt when
// the lock's key exists (its own read speaks for it); a record of kind Other, state Free (gone)
// when no waiter is live; else a queueOnly record of the lock — Free, `queued` live waiters, the
// first one's deadline in `number`, format fair (a connected LockScope waiter) or
// redisson-fair-lock — that `locks`, `watch` and the dashboard list (issue 14).
std::optional<KeyRecord> lockOfFairQueue(const FairQueueSeen& q, const ClassifyContext& ctx);

// If `fresh` shows the same holder, number and format as `previous`, nothing moved: keep the
// earlier lastChange (the lock's age, the heartbeat's last beat). `notified`: read because a
// notification named the key, so a `set` (fresh.reset) tells a re-set from an extension; polled,
// a reusable value's TTL that went up is taken for a re-set.
void carryOver(const KeyState& previous, KeyState& fresh, bool notified = false);

// Behaviour over time of a hand-rolled integer lock (after carryOver): an integer under a lock
// name that went up is a heartbeat (seed 001), its period measured from the increments; one that
// stands still keeps what was learnt; one that went down to 1 was taken over and keeps beating.
// One that went down to anything else is a hold count (a reentrant lock: INCR on entry, DECR on
// exit; KeyState::holdCount), never a heartbeat. `written`: a `set` notification named it since
// the last look — a new value is a handover (a new holder's process id), not a beat. Unknown and
// unchanged for kObserveHintSeconds: a process id, stuck without a TTL.
void followBeats(const KeyState& previous, KeyState& fresh, bool written = false);

// Re-derives the time-dependent states (expiring, heartbeat-stale, expired-timestamp) at `now`
// without a new observation; true when the state changed. Stuck, orphaned, split and free are
// facts of the last observation and stay.
bool refreshState(KeyState& r, Steady::time_point now, long long wallNowMs,
                  std::chrono::milliseconds expiringSoon);

// The deadline rule behind refreshState(), the one place it is written: the time-based state a
// lock turns into and the first instant it holds (the key store schedules its visits by it, so a
// rule added here reaches the incremental refresh). nullopt: time changes nothing for `r` (not a
// lock, a state that is a fact, no TTL or beat period). `wallNowMs` is the wall clock at `now`.
struct TimedState {
    LockState state;
    Steady::time_point from;
};
std::optional<TimedState> timedState(const KeyState& r, Steady::time_point now, long long wallNowMs,
                                     std::chrono::milliseconds expiringSoon);

// For CLIENT LIST: the owner tag of a LockScope client name "lockscope:<host>:<pid>:<tag>".
std::optional<std::string> lockscopeTagOfClientName(std::string_view name);
// Parses CLIENT LIST output into tag → name for LockScope clients.
std::unordered_map<std::string, std::string> lockscopeClientsFromClientList(std::string_view text);

}  // namespace lockscope::monitor

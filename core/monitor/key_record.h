// What the monitor knows about one key: the raw observation of a scan, and the classified record
// (format, holder, state, counter value and rate) that the CLI prints and the dashboard shows.
//
// KeyRecord is kept small on purpose — the engine tracks a million of them (bench/monitor_bench):
// names are enums, the human-readable detail is derived on demand (describe()), raw values are
// not kept (the detail pane fetches them when asked).
//
// Thread contract: value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lockscope::monitor {

using Steady = std::chrono::steady_clock;

// One key as a scan saw it. Values are previews: at most MonitorOptions::previewBytes.
struct Observation {
    std::string key;
    std::string type;                      // "string", "hash", "list", ..., "none", "moved", "ask"
    long long pttlMs = -2;                 // -1: no TTL, -2: the key is gone
    std::optional<long long> idleSeconds;  // OBJECT IDLETIME, where allowed
    std::string value;                     // string: the value (a prefix when truncated)
    long long length = 0;                  // string: STRLEN; hash/list/set/zset: element count
    bool truncated = false;
    // hash: field → value; zset: member → score (as Redis prints it), up to the preview limit
    std::vector<std::pair<std::string, std::string>> fields;
    std::string movedTo;  // "moved" / "ask": where a cluster node redirected, "host:port"
    std::string error;    // "unreadable": the server's error reply (CLUSTERDOWN, BUSY, NOPERM...)
};

enum class Kind : std::uint8_t { Other, Lock, Counter, Companion };

enum class Format : std::uint8_t {
    Unknown,
    // LockScope's own strategies
    SetnxExpire,
    SetnxGetset,
    SetNxPx,
    Heartbeat,
    Redlock,
    Reentrant,
    Fenced,
    UnsafeDel,
    // LockScope's synchronisers (Redisson's layouts; docs/client-formats.md#synchronisers)
    Fair,
    ReadWrite,
    Semaphore,
    ExpirableSemaphore,
    Latch,
    // other clients (docs/client-formats.md#other-clients)
    RedissonLock,
    RedissonFencedLock,
    RedissonRwLock,
    RedissonFairLock,
    RedissonExpirableSemaphore,  // its lease set is the evidence; RSemaphore alone is a counter
    RedisPy,
    PythonRedisLock,
    NodeRedlock,
    ShedLock,       // ShedLock: "ADDED:<ISO-8601>@<host>[:<uuid>]"
    NodeRedisLock,  // node redis-lock: "lock.<name>" = expiry, epoch ms
    // Symfony Lock >= 5.2 RedisStore: a zset of tokens (and `__write__` for a write lock), each
    // scored with its lease's expiry in epoch ms
    SymfonyLock,
    // sidekiq-unique-jobs (v7+): `uniquejobs:<digest>:LOCKED`, a hash of job id → the time it
    // was locked (epoch seconds). Shown, never acted on: its unlock also updates the digest's
    // zset and lists (docs/client-formats.md#format-sidekiq-unique-jobs)
    SidekiqUniqueJobs,
    // BullMQ's job lock: `<prefix>:<queue>:<job id>:lock` = "<worker uuid>:<n>", the worker's
    // token for the job, PX lockDuration, renewed while the job runs
    BullMq,
    // activejob-uniqueness (Rails): `activejob_uniqueness:<job>:<digest>` = a redlock-rb UUID
    ActiveJobUniqueness,
    // celery_once: `qo_<task>_<args>` = a redis-py Lock token (uuid1 hex) or, before 3.0, the
    // expiry in epoch seconds; always with a TTL
    CeleryOnce,
    // Laravel's Cache::lock: `<cache prefix>:<name>` = its owner, Str::random(16), raw (every
    // other cache value but a number is PHP-serialized)
    LaravelCacheLock,
    Token,
    // hand-rolled locks, judged by evidence (docs/client-formats.md#evidence)
    Flag,              // SETNX key 1, "true", "locked" under a lock-like name
    HeartbeatCounter,  // seed 001: an integer the holder INCRs
    ExpiryTimestamp,   // seed 000: epoch seconds (or with a fraction) under a lock-like name
    Identity,          // a host name, "pid@host", a worker name
    JsonOwner,         // JSON with an owner-like field
    HashOwner,         // a hash with an owner-like field (owner, holder, host, pid...)
    UserRule,          // a --lock-pattern rule made it a lock; no layout of its own
    // counters
    Counter,
    VersionedCounter,
};
std::string_view formatName(Format f);
std::optional<Format> formatFromName(std::string_view name);
// A format of a library or of LockScope itself, matched exactly (not judged by evidence).
bool isKnownLayout(Format f);

// What the value looked like when its record was classified: the evidence `why` names.
enum class ValueShape : std::uint8_t {
    Other,
    Layout,    // a known library's layout (the format says which)
    Token,     // random-looking token
    Uuid,      // a UUID
    Identity,  // a host name / process identity
    Flag,      // 1, true, locked, yes...
    Integer,   // an integer above 1 (a heartbeat counter)
    EpochSeconds,
    EpochMillis,
    Json,
    Text,       // anything else (a user rule made it a lock)
    Number,     // a decimal number ("1.5"): the lock is taken, but no holder is named in it
    HashOwner,  // a hash with an owner-like field
    Time,       // a time in epoch µs or ns (Go's UnixNano) or ISO-8601, read as its expiry
    // A Python pickle (django-redis, Django's RedisCache) or a Ruby Marshal value holding true or
    // a short string: a cache lock's flag or token (docs/client-formats.md#evidence)
    Serialized,
    // "<host>:<pid>:<hex nonce>": a process's identity with a random part (Sidekiq's
    // host:pid:nonce, as Sidekiq Enterprise's leader election writes)
    ProcessNonce,
};
std::string_view valueShapeText(ValueShape s);

// KeyState::evidence: one byte, so KeyState keeps its size (it fills the last padding byte).
namespace evidence {
constexpr std::uint8_t kShapeMask = 0x0f;
constexpr std::uint8_t kLockName = 0x10;  // the key's name has a lock-like word
constexpr std::uint8_t kRule = 0x20;      // a user rule (--lock-pattern) says it is a lock
constexpr std::uint8_t kGuess = 0x40;     // judged by evidence, not a known layout
constexpr std::uint8_t kBeating = 0x80;   // its integer was seen going up (a heartbeat)
}  // namespace evidence

enum class LockState : std::uint8_t {
    Held,
    Expiring,          // TTL below MonitorOptions::expiringSoon
    StuckNoTtl,        // a lock that will never expire by itself
    ExpiredTimestamp,  // setnx-getset: the stored expiry is in the past
    HeartbeatStale,    // the beat stopped moving for longer than its period
    Orphaned,          // the holder's own (named) connection is gone
    Split,             // a Redlock group whose nodes disagree on the holder
    Free,              // the key was deleted or expired while followed
    // An integer lock (> 1) without a TTL, not seen moving: a process id (stuck if its holder is
    // gone) or a live heartbeat counter. One look cannot tell, so neither is claimed.
    Unknown,
};
std::string_view lockStateName(LockState s);
// `unknown`'s hint: how long to watch an integer lock to see a usual (1 s) heartbeat beat.
constexpr int kObserveHintSeconds = 3;
// One sentence for tooltips and the CLI: what the state means and what to do.
std::string_view lockStateExplanation(LockState s);

// Why a record shows the last known state of its key rather than what the server holds now: the
// key (or its whole node) could not be read. Never taken for "the key is gone": an unreadable
// lock keeps its holder and state, flagged, until a read succeeds again.
enum class Staleness : std::uint8_t {
    Fresh,        // read on the last attempt
    Unreachable,  // the node's connection is lost (or cannot be made)
    ClusterDown,  // CLUSTERDOWN: the cluster cannot serve the slot (a master and its replicas down)
    Busy,         // BUSY: a script or function is running
    Loading,      // LOADING: the server is loading its dataset
    TryAgain,     // TRYAGAIN: a multi-key request during resharding
    MasterDown,   // MASTERDOWN: a replica that lost its master (replica-serve-stale-data no)
    NoPermission,  // NOPERM: the ACL hides the key
    Redirect,      // MOVED / ASK that could not be followed (the node is not followed yet)
    Error,         // any other error reply
};
// "unreachable", "clusterdown", "busy", "loading", "tryagain", "masterdown", "no-permission",
// "redirect", "error"; "" for Fresh.
std::string_view stalenessName(Staleness s);
// The staleness an error reply means ("CLUSTERDOWN The cluster is down" → ClusterDown).
Staleness stalenessOf(std::string_view errorMessage);

// Everything about a key but its name (the engine keeps the name once, as its map key).
struct KeyState {
    // Locks: token, "<uuid>:<threadId>" field(s), heartbeat owner, setnx-getset timestamp.
    std::string holder;
    Kind kind = Kind::Other;
    Format format = Format::Unknown;
    LockState state = LockState::Held;
    // The holder's connection could be looked for (CLIENT LIST). Bit-fields: KeyState keeps its
    // size.
    bool orphanChecked : 1 = false;
    // lastChange is when this monitor saw the value written or changed (a notification's read,
    // or a read that found another value). False: a lower bound — from OBJECT IDLETIME (any read
    // resets it), or from first sight (a shared integer, a key a rescan found, a value that may
    // have been written again with the same bytes).
    bool ageExact : 1 = false;
    // A `set` notification named the key since its last read (written again, perhaps with the
    // same value). carryOver() clears it: with no release between, the same value rewritten is a
    // renewal (adv11c item 3); a new value is an acquisition or a takeover.
    bool reset : 1 = false;
    // The holder is the start of a longer value (the preview, cut at a character boundary):
    // `number` is the value's whole length. Force-release compares both.
    bool holderCut : 1 = false;
    // A fair lock whose key is missing while its queue (redisson_lock_queue:{k}) holds live
    // waiters (issue 14): state Free, `queued` live waiters, `number` the first one's deadline
    // (epoch ms). Listed for as long as a read of its queue says so — not a lock that lingers
    // after it went (KeyStore) — and gone with the last live waiter.
    bool queueOnly : 1 = false;
    std::int16_t nodesHolding = 1;  // Redlock group: nodes holding the majority holder
    std::int16_t nodesTotal = 1;
    // reentrant / Redisson: sum of hold counts; semaphores: permits taken; latch: its size.
    std::int32_t holdCount = 0;
    std::int32_t periodMs = 0;  // heartbeat beat period
    long long ttlMs = -2;       // at observedAt; -1 no TTL
    // The number that matters for the format: counter value, heartbeat beat, setnx-getset expiry
    // (ms since the epoch), fencing token (fenced / Redisson fenced lock), permits free
    // (semaphores), what is left to count down (latch).
    long long number = 0;
    float ratePerSecond = 0;  // counters
    // Which node holds the key: an index into MonitorStatus::nodes (Survey::nodes); -1 for a
    // Redlock group's merged record. Placed here, it fills padding: KeyState keeps its size.
    std::int16_t node = -1;
    // Fresh, or why this is the last known state (also fills padding).
    Staleness stale = Staleness::Fresh;
    std::uint8_t evidence = 0;  // evidence:: bits and the ValueShape (the last padding byte)
    // Read-write lock: writers waiting; expirable semaphore: leases that ran out, not yet
    // reclaimed; a queueOnly fair lock: its live waiters. (A held fair lock's queue is read on
    // demand: monitor/fair_queue.h.)
    std::int16_t queued = 0;
    // How long the hold had lasted at lastChange (ms): a heartbeat counter's beats move
    // lastChange (its staleness counts from the last beat), not the hold's start. 0 for others.
    // In the padding after `queued`: KeyState keeps its size.
    std::int32_t heldBeforeChangeMs = 0;
    Steady::time_point observedAt{};  // also: when a followed lock was found free
    Steady::time_point lastChange{};  // holder / value / beat last moved (age of a lock)

    long long ttlNow(Steady::time_point now) const;
    // The lock's age: since its holder took it, as far as this monitor knows (a lower bound
    // unless ageExact) — for a heartbeat counter since its first beat seen, not its last.
    long long ageMs(Steady::time_point now) const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(now - lastChange).count() +
               heldBeforeChangeMs;
    }
    bool isLock() const { return kind == Kind::Lock; }
    bool isCounter() const { return kind == Kind::Counter; }
    bool isStale() const { return stale != Staleness::Fresh; }
    ValueShape shape() const { return static_cast<ValueShape>(evidence & evidence::kShapeMask); }
    bool guessed() const { return (evidence & evidence::kGuess) != 0; }
    bool byRule() const { return (evidence & evidence::kRule) != 0; }
};

struct KeyRecord : KeyState {
    KeyRecord() = default;
    KeyRecord(KeyState s, std::string name) : KeyState(std::move(s)), key(std::move(name)) {}
    std::string key;
    // A record saying the key is gone (kind Other, state Free): what the server's notifications
    // said — -1 none (a read found it gone), 0 a `del` / `evicted` (a release), n > 0 that many
    // `expired` (its TTL ran out). Not kept in the store.
    std::int32_t expiredEvents = -1;
    // Read because a notification named the key (just written): its TTL is the lease granted, as
    // near as a read can be. Not kept in the store.
    bool readOnNotification = false;
    // The server said the key was created since its last read: a `new` notification (class `n`)
    // or a release (`del` / `expired`) before this read. A key first seen on a notification
    // during the first sweep is otherwise one that may have been there all along (a renewal:
    // `SET … XX`, PEXPIRE, INCR), its start unknown. Not kept in the store.
    bool created = false;
};

// A span in the unit a person reads it in: "420 ms", "41 s", "7 min", "5 h", "12 days"; empty
// past ten years (a "deadline" that far off is no deadline: say "long ago").
std::string spanText(long long ms);
// A one-line human description ("beat 17, period 1000 ms", "expired 3 s ago by this clock").
std::string describe(const KeyState& r, long long wallNowMs);

}  // namespace lockscope::monitor

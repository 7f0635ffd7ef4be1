// The one check every synchroniser's write path makes before it writes (issue 14): what kind of key
// is this, by the monitor's own recognition (docs/client-formats.md#synchronisers)? A semaphore
// acquire must not decrement an application's integer, a latch count-down must not delete it, a
// read-write acquire must not write `mode` into an application hash or into an exclusive lock.
//
// The check is Lua (kindCheckLua()), prepended to each write script, so it runs in the same
// script as the write: no other client can change the key between the check and the act. A
// refusal is an error reply "LOCKSCOPE_KIND <kind> <detail>"; evalChecked() turns it into a
// redis::Error(WrongType) whose message names what the key is and says that nothing changed —
// "`cache:x` is a string holding an integer, not a semaphore of LockScope or Redisson: nothing
// changed". evalChecked() also maps the server's raw script errors ("ERR Error running script
// (call to f_3a9c…): @user_script:3: …") to a message without the script's SHA.
//
// ls_kind(key, meta, leases) → kind, detail. Kinds:
//   none                 no such key
//   semaphore            an integer ≥ 0 with lockscope_meta:{k} {kind: semaphore, size ≥ 1}
//   expirable-semaphore  an integer ≥ 0 with our record kind expirable-semaphore, or (Redisson's)
//                        with a {k}:timeout zset whose members are all permit ids (16-64 hex
//                        digits: Redisson's random bytes, or LockScope's expirable-semaphore
//                        tokens); detail
//                        "redisson" for the latter
//   latch                an integer ≥ 1 (at most its size) with our record kind latch
//   integer              any other integer string: a counter, or a bare Redisson RSemaphore /
//                        RCountDownLatch (they keep no record, so nothing tells them apart);
//                        detail: "" bare, "bad-meta" (our record is damaged or out of range),
//                        "meta:<kind>" (a record of a kind we do not know), "bad-leases"
//                        ({k}:timeout is not a lease set of permit ids)
//   string               a string that is not an integer
//   read-write           a hash of Redisson holder fields "<uuid>:<tid>[:write]" → integer with
//                        `mode` read or write; detail = the mode
//   lock-hash            the same without `mode`: an exclusive lock (RLock, RFairLock, LockScope's
//                        reentrant and fair)
//   hash                 any other hash
//   list, set, zset, stream  as TYPE says
//
// Thread contract: free functions over a caller-owned Connection.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redis/connection.h"
#include "redis/error.h"
#include "redis/script.h"

namespace lockscope::locks {

// Lua that defines `ls_kind(key, meta, leases)` (meta and leases may be nil) and
// `ls_refuse(kind, detail)` (returns the refusal error reply), `ls_companion(key, type)` (nil, or
// the refusal of a companion key of another type), `ls_meta_free(meta)` (whether the record may be
// written for a synchroniser created where nothing is: missing, or exactly LockScope's record) and
// `ls_new_record(meta, kind, size)`. Prepend it to a script.
std::string_view kindCheckLua();
// `body` with the check in front of it.
std::string withKindCheck(std::string_view body);

// What `kind`/`detail` describe, for people: "a string holding an integer", "a read-write lock
// (mode read)", "an exclusive lock hash (Redisson RLock or fair lock, LockScope reentrant or
// fair)".
std::string describeKind(std::string_view kind, std::string_view detail);
// The refusal: "`<key>` is <describeKind>, not <wanted>: nothing changed" (+ a hint for a bare
// integer that may be Redisson's). `wanted`: "a semaphore of LockScope or Redisson", "a latch", ...
std::string kindRefusal(std::string_view key, std::string_view kind, std::string_view detail,
                        std::string_view wanted);

// Connection::eval, with the refusal and raw script errors turned into readable redis::Errors:
// a refusal → ErrorKind::WrongType with kindRefusal(key, …, wanted); "ERR Error running script
// (call to f_…): @user_script:N: <message>" → the same kind as before, message
// "`<key>`: the server stopped LockScope's script: <message>".
redis::Reply evalChecked(redis::Connection& c, const redis::Script& script,
                         std::span<const redis::Arg> keys, std::span<const redis::Arg> argv,
                         std::string_view key, std::string_view wanted);

// The readable form of a raw script error message (no SHA); other messages come back as they are.
std::string readableScriptError(std::string_view message);
// Whether `message` is the server's report of an error inside a script (either Redis 7 format).
bool isScriptError(std::string_view message);
// A script error `e` about `key` as evalChecked throws it: no SHA; READONLY says "<server> is a
// read-only replica; connect to the master".
redis::Error scriptError(const redis::Connection& c, const redis::Error& e, std::string_view key);

// The same recognition in C++, over what a reader already fetched (readPrimitiveState: a monitor
// or a read-only user may not run scripts). Keep in step with kindCheckLua().
struct KeyKind {
    std::string kind;  // as ls_kind names it
    std::string detail;
};
struct KindEvidence {
    std::string type;                                         // TYPE key
    std::string value;                                        // a string's value
    std::vector<std::pair<std::string, std::string>> fields;  // a hash's fields
    std::string metaType = "none";                            // TYPE lockscope_meta:{k}
    std::string metaKind, metaSize;                           // its fields ("" when absent)
    std::string leaseType = "none";                           // TYPE {k}:timeout
    std::vector<std::string> leaseIds;  // its first kLeaseIdsChecked members (by score)
};
// The members of a lease set {k}:timeout checked to be permit ids, in the scripts (ls_leases_ok)
// and by readPrimitiveState: every one of a semaphore's taken permits up to this many (adv14b item
// 10: only the first 100 were). Not all, past it: the check runs inside every write's script,
// and scanning a million taken permits (--permits allows that many) would block the server for
// about a second on each acquire; 10 000 cost a few milliseconds. The Lua has the number too.
inline constexpr long long kLeaseIdsChecked = 10000;
KeyKind recogniseKind(const KindEvidence& e);

}  // namespace lockscope::locks

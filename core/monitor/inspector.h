// Reads what the classifier needs about a batch of keys:
//   round 1, per key: [OBJECT IDLETIME] PTTL GETRANGE 0 <preview-1>
//       (IDLETIME first: a read resets the idle clock; a WRONGTYPE from GETRANGE tells that the
//        key is not a string, so no TYPE is needed for the common case)
//   round 2, only where needed: HSCAN for non-strings (TYPE and HLEN after it only where it
//       cannot tell: not a hash, gone, a big hash), STRLEN for long strings
//   round 3, rare: the companion keys of Redisson and fenced locks (one EXISTS over all of a
//       batch's first: usually none exists)
//   round 3b: the synchronisers' evidence of a batch's integers (primitive_formats.h) — carried
//       by the next batch's round 1 in the inventory (queueEvidence)
//   round 4, rare: for a fair lock's queue or timeout set (keys the scan lists), whether its lock
//       exists and its waiters (EXISTS, LRANGE, ZRANGE): a queue whose lock is missing is listed
// Values are previews (InspectOptions::previewBytes): a 500 MB value is never fetched whole.
// Commands the server refuses for good (ACL, renamed, LFU policy for OBJECT IDLETIME) are dropped
// from later batches and reported once through takeNotes(); a redirect or a transient error
// (CLUSTERDOWN, BUSY, LOADING, TRYAGAIN) for one key drops nothing. A key whose reads fail comes
// back as type "unreadable" with the server's error — never as "none" (gone).
//
// `asking`: every command is preceded by ASKING, for a cluster node that is importing the key's
// slot (it serves such a key only then) or the target of an ASK redirect.
//
// Round 1 can be queued into a pipeline that the caller sends together with other work (the next
// SCAN), and completed later: see scanAndInspect() in scan.h, which keeps the server busy while
// the client classifies.
//
// Thread contract: used by one thread with connections it owns.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "monitor/classifier.h"
#include "monitor/fair_queue.h"
#include "monitor/key_record.h"
#include "monitor/primitive_formats.h"
#include "redis/connection.h"

namespace lockscope::monitor {

struct InspectOptions {
    size_t previewBytes = 256;  // bytes of a string value fetched for classification
    size_t maxHashFields = 64;  // fields of a hash fetched (Redisson locks have 1-3)
    bool idleTime = true;       // OBJECT IDLETIME: age of a lock at first sight
};

struct Inspected {
    Observation observation;
    Companions companions;
    // A fair lock's queue or timeout set (redisson_lock_queue:{k}, redisson_lock_timeout:{k}):
    // whether k exists and the waiters (fair_queue.h). Absent for every other key.
    std::optional<FairQueueSeen> fairQueue;
    std::chrono::steady_clock::time_point askedAt;  // when its batch was sent (ordering reads)
};

class Inspector {
public:
    explicit Inspector(InspectOptions options = {}) : options_(options) {}

    // All rounds, synchronously, on one connection. Throws redis::Error on connection failure.
    std::vector<Inspected> inspect(redis::Connection& c, const std::vector<std::string>& keys,
                                   bool asking = false);

    // Round 1 queued into `p`; complete() it with the replies it produced (in order, starting
    // at `first`), doing rounds 2 and 3 on `detail` (which must have nothing in flight).
    struct Batch {
        std::vector<std::string> keys;
        bool idle = false;
        bool asking = false;
        std::chrono::steady_clock::time_point sentAt;
        size_t replies() const { return keys.size() * (idle ? 3 : 2) * (asking ? 2 : 1); }
    };
    Batch queue(redis::Pipeline& p, std::vector<std::string> keys, bool asking = false);
    std::vector<Inspected> complete(Batch& batch, std::vector<redis::Reply>::iterator first,
                                    redis::Connection& detail);

    // complete() in steps, for the inventory (scanAndInspect): start() reads round 1 (no I/O);
    // queueEvidence() puts the batch's integers' synchroniser question (primitive_formats.h) into
    // a pipeline the caller sends anyway — the next batch's round 1 — and returns the replies it
    // adds; followUp() makes rounds 2-4 on `detail` (and asks what was not queued); takeEvidence()
    // reads the queued question's replies, from `first`. The batch is complete after both.
    struct Started {
        std::vector<Inspected> out;
        std::vector<size_t> needType, needLength;
        bool asking = false;
        std::vector<bool> evidenceAsked;  // by key: asked in another pipeline
        std::optional<PrimitiveAsk> deferred;
    };
    Started start(Batch& batch, std::vector<redis::Reply>::iterator first);
    size_t queueEvidence(redis::Pipeline& p, Started& s);
    void followUp(Started& s, redis::Connection& detail);
    void takeEvidence(Started& s, std::vector<redis::Reply>::const_iterator first,
                      redis::Connection& detail);

    // Round trips made since the last call (pacing subtracts the network's share of a batch).
    size_t takeRoundTrips() { return std::exchange(roundTrips_, 0); }

    // Why a feature was dropped, once ("OBJECT IDLETIME refused: ..."); cleared when read.
    std::vector<std::string> takeNotes();

private:
    // One EXISTS over `names` (the keys of several slots' companions): true when none of them
    // exists, so that reading each one can be skipped. False when unsure (a refusal).
    bool noneExists(redis::Connection& c, const std::vector<std::pair<size_t, std::string>>& names,
                    bool asking);

    InspectOptions options_;
    // Multi-key EXISTS over names of several slots: refused (CROSSSLOT) by a cluster node, which
    // is then asked key by key.
    bool oneExists_ = true;
    bool idleTime_ = true;
    std::vector<std::string> notes_;
    size_t roundTrips_ = 0;
};

}  // namespace lockscope::monitor

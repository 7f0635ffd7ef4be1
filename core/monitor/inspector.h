// Reads what the classifier needs about a batch of keys, in two pipelined round trips:
//   1. per key: [OBJECT IDLETIME] TYPE PTTL GETRANGE 0 <preview-1>
//   2. only where needed: STRLEN (long strings), HLEN + HGETALL / HSCAN (hashes), companions.
// Values are previews (MonitorOptions::previewBytes): a 500 MB value is never fetched whole.
// Commands the server refuses (ACL, renamed, LFU policy for OBJECT IDLETIME) are dropped from
// later batches and reported once through `capabilities()`.
//
// Thread contract: used by one thread with a connection it owns.
#pragma once

#include <string>
#include <vector>

#include "monitor/classifier.h"
#include "monitor/key_record.h"
#include "redis/connection.h"

namespace lockscope::monitor {

struct InspectOptions {
    size_t previewBytes = 256;    // bytes of a string value fetched for classification
    size_t maxHashFields = 64;    // fields of a hash fetched (Redisson locks have 1-3)
    bool idleTime = true;         // OBJECT IDLETIME: age of a lock at first sight
};

struct Inspected {
    Observation observation;
    Companions companions;
};

class Inspector {
public:
    explicit Inspector(InspectOptions options = {}) : options_(options) {}

    // Throws redis::Error on connection failure (the caller reconnects and retries).
    std::vector<Inspected> inspect(redis::Connection& c, const std::vector<std::string>& keys);

    bool idleTimeAllowed() const { return idleTime_; }
    // Why a feature was dropped, once ("OBJECT IDLETIME refused: ..."); cleared when read.
    std::vector<std::string> takeNotes();

private:
    InspectOptions options_;
    bool idleTime_ = true;
    std::vector<std::string> notes_;
};

}  // namespace lockscope::monitor

// The shared resource a lock demo protects, built so that it sees for itself what the lock let
// through — the measure does not depend on the workers' own claims:
//
//   enter   the worker registers as an occupant; if anyone else is registered, that is an
//           overlapping hold — a mutual-exclusion violation, counted here and nowhere else
//   read    the value (the first half of a deliberately non-atomic read-modify-write); a fenced
//           holder shows its fencing token, which the resource remembers
//   write   value + 1: accepted, or rejected when a fenced writer's token is lower than one the
//           resource has already seen (Kleppmann's fencing; the same rule as
//           locks::FencedResource, on the same {value, fence} hash, which reads it back)
//   exit    the worker deregisters
//
// Because read and write are separate requests, two holders inside at once lose updates exactly
// as the naive counter does: lost updates = accepted writes - value.
//
// Redis layout (prefix = the demo's prefix + "resource:"):
//   <prefix>occupants  hash  pid → "<phase> <token>", phase = entered | read | wrote
//   <prefix>stats      hash  enters, violations, writes, rejected
//   <prefix>data       hash  value, fence (locks::FencedResource's layout)
//
// Each step is one script, so a worker killed between two of them leaves the counters
// consistent: a write and its count land together or not at all.
//
// Thread contract: one thread per instance (it uses the caller's connection).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "redis/connection.h"

namespace lockscope::demo {

class ProtectedResource {
public:
    ProtectedResource(redis::Connection& connection, std::string prefix);

    // Returns how many others were inside (> 0 is a violation, already counted).
    long long enter(long long pid, const std::string& token);
    // `fence`: the holder's fencing token, if its lock has one.
    long long read(long long pid, const std::string& token, std::optional<long long> fence);
    enum class Write { Accepted, RejectedStale };
    Write write(long long pid, const std::string& token, long long value,
                std::optional<long long> fence);
    void exit(long long pid);
    // The engine's cleanup for a worker it killed inside: a dead process occupies nothing.
    void forget(long long pid);

    struct Occupant {
        long long pid = 0;
        std::string phase;  // "entered", "read" or "wrote"
        std::string token;
    };
    std::vector<Occupant> occupants();

    struct Snapshot {
        long long enters = 0;
        long long violations = 0;
        long long writes = 0;    // accepted
        long long rejected = 0;  // stale fencing tokens
        long long value = 0;
        long long highestFence = -1;  // -1: no fenced writer yet
        long long lostUpdates() const { return writes > value ? writes - value : 0; }
    };
    Snapshot snapshot();

    std::vector<std::string> keys() const;
    const std::string& dataKey() const { return data_; }

private:
    redis::Connection* conn_;
    std::string occupants_;
    std::string stats_;
    std::string data_;
};

}  // namespace lockscope::demo

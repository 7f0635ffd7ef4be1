// SCAN (never KEYS) over a server's keyspace, inspecting each batch as it comes.
//
// The next SCAN goes out in the same write as the current batch's inspection, and the server
// works on both while the client completes and classifies the previous batch: the server is never
// idle waiting for the client, and never held for more than one batch.
//
// Thread contract: free function over caller-owned connections.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "monitor/inspector.h"
#include "redis/connection.h"

namespace lockscope::monitor {

// Calls `onBatch` with every inspected batch (for every pattern; no patterns = all keys). Round 1
// and SCAN run on `scan`, the follow-up rounds on `detail` (two connections to the same server).
// `onBatch` returns false to stop. Returns the server's refusal ("NOPERM ...", "ERR unknown
// command") when SCAN is not allowed, nullopt otherwise. Connection errors throw.
std::optional<std::string> scanAndInspect(
    redis::Connection& scan, redis::Connection& detail, Inspector& inspector,
    const std::vector<std::string>& patterns, size_t count,
    const std::function<bool(std::vector<Inspected>&&)>& onBatch);

}  // namespace lockscope::monitor

// SCAN (never KEYS) over a server's keyspace, inspecting each batch as it comes.
//
// The next SCAN goes out in the same write as the current batch's inspection, and the server
// works on both while the client completes and classifies the previous batch: the server is never
// idle waiting for the client, and never held for more than one batch. The same write asks about
// the previous batch's integers (are they semaphores or latches? primitive_formats.h): that
// batch is handed to `onBatch` when this write's replies are in, one batch later than the others
// would be, and the question never costs a round trip that waits on the server behind a batch.
//
// On a budget (`paced` set) batches go one at a time instead: SCAN for the next batch rides with
// round 1 of the current one, and nothing is sent until `paced` has waited out the budget.
//
// Thread contract: free function over caller-owned connections.
#pragma once

#include <chrono>
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
// `paced` (may be empty: full speed) is called after each batch with the wall time its round
// trips took and how many there were; it waits as the budget says and returns false to stop.
using ScanPace = std::function<bool(std::chrono::nanoseconds wall, int roundTrips)>;
std::optional<std::string> scanAndInspect(
    redis::Connection& scan, redis::Connection& detail, Inspector& inspector,
    const std::vector<std::string>& patterns, size_t count,
    const std::function<bool(std::vector<Inspected>&&)>& onBatch, const ScanPace& paced = {});

}  // namespace lockscope::monitor

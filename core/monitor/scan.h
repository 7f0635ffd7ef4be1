// SCAN (never KEYS) over a server's keyspace, one bounded round trip at a time.
//
// Thread contract: free function over a caller-owned connection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "redis/connection.h"

namespace lockscope::monitor {

// Calls `onBatch` with each SCAN reply's keys (for every pattern; an empty list = all keys). The
// callback returns false to stop early. Returns the server's refusal ("NOPERM ...", "ERR unknown
// command") when SCAN is not allowed, nullopt otherwise. Connection errors throw.
std::optional<std::string> scanKeys(redis::Connection& c, const std::vector<std::string>& patterns,
                                    size_t count,
                                    const std::function<bool(std::vector<std::string>&&)>& onBatch);

}  // namespace lockscope::monitor

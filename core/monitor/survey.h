// A one-shot inventory: every lock and counter right now, classified — what `lockscope-cli locks`
// and `counters` print. No threads: SCAN + pipelined inspection on each node in turn, then the
// Redlock-group merge. With `rateWindow` > 0 the counters are read a second time after that
// window to measure their rates.
//
// Thread contract: free function; connections are its own.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/monitor.h"

namespace lockscope::monitor {

struct Survey {
    std::vector<KeyRecord> records;  // sorted by key; locks and counters only
    std::vector<std::string> notes;  // degradations worth a line on stderr
};

// Throws redis::Error when the (single) server cannot be reached; in a Redlock group an
// unreachable node is a note, and its keys count as absent there.
Survey survey(const std::vector<redis::Endpoint>& nodes, const MonitorOptions& options,
              std::chrono::milliseconds rateWindow = std::chrono::milliseconds(0),
              const Clock& clock = systemClock());

}  // namespace lockscope::monitor

// A one-shot inventory: every lock and counter right now, classified — what `lockscope-cli locks`
// and `counters` print. No threads: SCAN + pipelined inspection on each node in turn, then the
// Redlock-group merge (a cluster's masters each hold their own keys: no merge, each record names
// its node). With `rateWindow` > 0 the counters are read a second time after that window to
// measure their rates.
//
// Thread contract: free function; connections are its own.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/monitor.h"
#include "monitor/target.h"

namespace lockscope::monitor {

struct Survey {
    std::vector<KeyRecord> records;  // sorted by key; locks and counters only
    std::vector<std::string> notes;  // degradations worth a line on stderr
    std::vector<std::string> nodes;  // KeyState::node indexes this (Endpoint::display())
    // What could not be read, one line per node or part ("127.0.0.1:7001: 3 keys could not be
    // read (CLUSTERDOWN ...)", "...: unreachable", "...: SCAN answered LOADING ..."): the records
    // are then only part of the truth. Empty when everything was read.
    std::vector<std::string> unread;
    bool complete() const { return unread.empty(); }
};

// Throws redis::Error when the (single) server cannot be reached, or when no node of a group or
// cluster can; a node that cannot be reached or read (unreachable, authentication refused,
// LOADING, CLUSTERDOWN, ...) is a line in `unread`, and its keys count as absent there. Keys in a
// slot being migrated are read where they are (ASKING), filed under that node.
Survey survey(const std::vector<redis::Endpoint>& nodes, const MonitorOptions& options,
              std::chrono::milliseconds rateWindow = std::chrono::milliseconds(0),
              const Clock& clock = systemClock());
// Any target: a Sentinel's current master, every master of a cluster (an unreachable master is a
// note; all unreachable throws), a Redlock group or a server.
Survey survey(const MonitorTarget& target, const MonitorOptions& options,
              std::chrono::milliseconds rateWindow = std::chrono::milliseconds(0),
              const Clock& clock = systemClock());

}  // namespace lockscope::monitor

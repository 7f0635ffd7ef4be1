// Thread contract: startNodeThreads() and joinNodeThreads() from the thread that starts and stops
// the monitor (or, for a node added later, the topology follower); the work runs on the node's own
// two threads.
//
// The per-node work of a monitor, on two threads with their own connections:
//   - the inspector ("ls-mon-insp/N"): full scans (SCAN + pipelined inspection: the first
//     inventory, then polling or safety-net rescans), inspection of the keys notifications named,
//     CLIENT LIST for orphan detection, PING (or ROLE, where the master can move), the node's
//     status, reconnection with backoff; its records go to the engine's inbox;
//   - the subscriber ("ls-mon-sub/N"): PSUBSCRIBE __keyspace@<db>__:<pattern>, handing the keys
//     named to the inspector and the events to viewers.
// Both follow the node when the topology follower repoints it (Node::generation) and end when the
// monitor stops or the node retires.
#pragma once

#include "monitor/shared_state.h"

namespace lockscope::monitor {

void startNodeThreads(SharedState& shared, Node& n);
void joinNodeThreads(Node& n);

}  // namespace lockscope::monitor

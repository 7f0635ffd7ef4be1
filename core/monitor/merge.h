// Combining one key's records from the independent nodes of a Redlock group (--nodes): how many
// nodes hold the same holder, and whether they disagree.
//
// Thread contract: pure function.
#pragma once

#include <optional>
#include <vector>

#include "monitor/key_record.h"

namespace lockscope::monitor {

// perNode[i] is node i's record of the key, or nullptr when node i does not have it (or is
// unreachable). Returns nullopt when no node has it.
std::optional<KeyRecord> mergeNodes(const std::vector<const KeyRecord*>& perNode);

}  // namespace lockscope::monitor

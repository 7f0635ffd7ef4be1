// Redis Cluster, as far as a monitor needs it: which slot a key hashes to, who owns which slots
// (CLUSTER SLOTS), and what a MOVED / ASK redirect says.
//
// LockScope never routes commands through a cluster-aware client: the monitor talks to every
// master directly (keyspace notifications are node-local) and follows the map when it changes.
//
// Thread contract: value types and free functions; discoverCluster() uses its own connections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redis/connection.h"
#include "redis/url.h"

namespace lockscope::redis {

constexpr int kClusterSlots = 16384;

// The slot of `key`: CRC16 (XMODEM) of the key, or of its {hash tag} when it has a non-empty one,
// modulo 16384 — the cluster specification's HASH_SLOT.
int keyHashSlot(std::string_view key);

struct SlotRange {
    int first = 0;
    int last = 0;  // inclusive
    bool operator==(const SlotRange&) const = default;
};

struct ClusterMaster {
    HostPort address;
    std::string id;                 // the node ID ("" when the server did not say)
    std::vector<SlotRange> ranges;  // not "slots": a Qt keyword in Qt code
    std::vector<HostPort> replicas;
    bool owns(int slot) const;
    int slotCount() const;
};

// Masters sorted by their first slot; ranges of one master are merged into one entry.
struct ClusterMap {
    std::vector<ClusterMaster> masters;
    const ClusterMaster* ownerOf(int slot) const;
    const ClusterMaster* find(const HostPort& address) const;
};

// "0-5460,10923" — a compact rendering of slot ranges.
std::string slotsText(const std::vector<SlotRange>& ranges);
// Whether one of `ranges` holds `slot`.
bool inRanges(const std::vector<SlotRange>& ranges, int slot);

// Parses a CLUSTER SLOTS reply (throws redis::Error(Protocol) on an unexpected shape).
ClusterMap parseClusterSlots(const ReplyView& reply);

// Asks the seeds in turn (CLUSTER SLOTS) and returns the first complete answer. `base` gives
// user, password and timeouts for every node. Throws redis::Error: Connect when no seed answers,
// InvalidArgument when a seed is not in cluster mode ("cluster support is disabled").
ClusterMap discoverCluster(const std::vector<Endpoint>& seeds, const ConnectOptions& options);

// A MOVED or ASK error reply: "MOVED 3999 127.0.0.1:6381".
struct Redirect {
    bool ask = false;
    int slot = 0;
    HostPort to;
};
std::optional<Redirect> parseRedirect(std::string_view errorMessage);

}  // namespace lockscope::redis

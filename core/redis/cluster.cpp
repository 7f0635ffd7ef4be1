#include "redis/cluster.h"

#include <algorithm>
#include <charconv>

#include "redis/error.h"

namespace lockscope::redis {

int keyHashSlot(std::string_view key) {
    // Only the part between the first '{' and the next '}' is hashed, if it is not empty.
    if (auto open = key.find('{'); open != std::string_view::npos) {
        auto close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1)
            key = key.substr(open + 1, close - open - 1);
    }
    // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
    std::uint16_t crc = 0;
    for (unsigned char byte : key) {
        crc = static_cast<std::uint16_t>(crc ^ (byte << 8));
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<std::uint16_t>(crc << 1);
    }
    return crc & (kClusterSlots - 1);
}

bool inRanges(const std::vector<SlotRange>& ranges, int slot) {
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const SlotRange& r) { return slot >= r.first && slot <= r.last; });
}

bool ClusterMaster::owns(int slot) const { return inRanges(ranges, slot); }

int ClusterMaster::slotCount() const {
    int n = 0;
    for (const auto& r : ranges) n += r.last - r.first + 1;
    return n;
}

const ClusterMaster* ClusterMap::ownerOf(int slot) const {
    for (const auto& m : masters)
        if (m.owns(slot)) return &m;
    return nullptr;
}

const ClusterMaster* ClusterMap::find(const HostPort& address) const {
    for (const auto& m : masters)
        if (m.address == address) return &m;
    return nullptr;
}

std::string slotsText(const std::vector<SlotRange>& ranges) {
    std::string s;
    for (const auto& r : ranges) {
        if (!s.empty()) s += ",";
        s += std::to_string(r.first);
        if (r.last != r.first) s.append("-").append(std::to_string(r.last));
    }
    return s;
}

namespace {

HostPort nodeAddress(const ReplyView& node) {
    if (!node.isArray() || node.size() < 2)
        throw Error(ErrorKind::Protocol, "unexpected CLUSTER SLOTS node entry: " + node.describe());
    HostPort hp;
    hp.host = std::string(node[0].str());
    // An empty or "?" endpoint means "where you asked me" (cluster-preferred-endpoint-type):
    // left empty here, filled in by the caller, who knows where it asked.
    if (hp.host == "?") hp.host.clear();
    hp.port = static_cast<int>(node[1].integer());
    return hp;
}

}  // namespace

ClusterMap parseClusterSlots(const ReplyView& reply) {
    if (!reply.isArray()) throw Error(ErrorKind::Protocol, "CLUSTER SLOTS did not return an array");
    ClusterMap map;
    for (size_t i = 0; i < reply.size(); ++i) {
        auto entry = reply[i];
        if (!entry.isArray() || entry.size() < 3)
            throw Error(ErrorKind::Protocol, "unexpected CLUSTER SLOTS entry: " + entry.describe());
        SlotRange range{static_cast<int>(entry[0].integer()), static_cast<int>(entry[1].integer())};
        HostPort master = nodeAddress(entry[2]);
        std::string id =
            entry[2].size() >= 3 && entry[2][2].isString() ? std::string(entry[2][2].str()) : "";
        auto it = std::find_if(map.masters.begin(), map.masters.end(),
                               [&](const ClusterMaster& m) { return m.address == master; });
        if (it == map.masters.end()) {
            map.masters.push_back({master, id, {}, {}});
            it = std::prev(map.masters.end());
        }
        it->ranges.push_back(range);
        for (size_t r = 3; r < entry.size(); ++r) {
            HostPort replica = nodeAddress(entry[r]);
            if (std::find(it->replicas.begin(), it->replicas.end(), replica) == it->replicas.end())
                it->replicas.push_back(replica);
        }
    }
    for (auto& m : map.masters) {
        std::sort(m.ranges.begin(), m.ranges.end(),
                  [](const SlotRange& a, const SlotRange& b) { return a.first < b.first; });
        // Adjacent ranges (CLUSTER SLOTS may split one) become one.
        std::vector<SlotRange> merged;
        for (const auto& r : m.ranges) {
            if (!merged.empty() && merged.back().last + 1 >= r.first)
                merged.back().last = std::max(merged.back().last, r.last);
            else
                merged.push_back(r);
        }
        m.ranges = std::move(merged);
    }
    std::sort(map.masters.begin(), map.masters.end(),
              [](const ClusterMaster& a, const ClusterMaster& b) {
                  return a.ranges.empty()   ? false
                         : b.ranges.empty() ? true
                                            : a.ranges.front().first < b.ranges.front().first;
              });
    return map;
}

ClusterMap discoverCluster(const std::vector<Endpoint>& seeds, const ConnectOptions& options) {
    if (seeds.empty()) throw Error(ErrorKind::InvalidArgument, "no cluster node given");
    std::string failures;
    for (const auto& seed : seeds) {
        try {
            Connection c(seed, options);
            auto reply = c.raw({"CLUSTER", "SLOTS"});
            if (reply.isError()) {
                const std::string msg(reply.errorMessage());
                if (msg.find("cluster support disabled") != std::string::npos ||
                    msg.find("cluster mode") != std::string::npos)
                    throw Error(ErrorKind::InvalidArgument,
                                seed.display() + " is not a cluster node (" + msg +
                                    "): use redis:// for a single server");
                failures += (failures.empty() ? "" : "; ") + seed.display() + ": " + msg;
                continue;
            }
            ClusterMap map = parseClusterSlots(reply);
            // Addresses the node reported as "" are where we asked.
            for (auto& m : map.masters) {
                if (m.address.host.empty()) m.address.host = seed.tcp.host;
                for (auto& r : m.replicas)
                    if (r.host.empty()) r.host = seed.tcp.host;
            }
            if (map.masters.empty()) {
                failures +=
                    (failures.empty() ? "" : "; ") + seed.display() + ": no slots assigned yet";
                continue;
            }
            return map;
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::InvalidArgument) throw;
            failures += (failures.empty() ? "" : "; ") + seed.display() + ": " + e.what();
        }
    }
    throw Error(ErrorKind::Connect, "no cluster node answered CLUSTER SLOTS (" + failures +
                                        "); check the addresses in the redis+cluster:// URL");
}

std::optional<Redirect> parseRedirect(std::string_view msg) {
    Redirect r;
    if (msg.rfind("MOVED ", 0) == 0) {
        msg.remove_prefix(6);
    } else if (msg.rfind("ASK ", 0) == 0) {
        r.ask = true;
        msg.remove_prefix(4);
    } else {
        return std::nullopt;
    }
    auto space = msg.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto slotText = msg.substr(0, space);
    if (std::from_chars(slotText.data(), slotText.data() + slotText.size(), r.slot).ec !=
        std::errc())
        return std::nullopt;
    auto addr = msg.substr(space + 1);
    auto colon = addr.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    r.to.host = std::string(addr.substr(0, colon));
    if (r.to.host.size() > 2 && r.to.host.front() == '[' && r.to.host.back() == ']')
        r.to.host = r.to.host.substr(1, r.to.host.size() - 2);
    auto portText = addr.substr(colon + 1);
    if (std::from_chars(portText.data(), portText.data() + portText.size(), r.to.port).ec !=
        std::errc())
        return std::nullopt;
    return r;
}

}  // namespace lockscope::redis

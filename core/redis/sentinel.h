// Asking Redis Sentinels which server is the current master of a named group, and reading their
// "+switch-master" announcements — what redis+sentinel:// URLs need.
//
// Sentinels are contacted without AUTH; one that demands it (requirepass on the Sentinel) is asked
// again with the data nodes' credentials, the common setup where both share a password.
//
// Thread contract: free functions over their own or the caller's connections.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/connection.h"
#include "redis/url.h"

namespace lockscope::redis {

struct SentinelAnswer {
    HostPort master;
    long long configEpoch = 0;
    std::string sentinel;  // which Sentinel answered (display form)
    int answered = 0;      // how many Sentinels were reached
    // ROLE on `master` said "master". False only when no candidate could be checked (the named
    // master is unreachable, or the ACL refuses ROLE and INFO): a node that answers as a replica
    // is never returned.
    bool confirmed = false;
};

// What one Sentinel says about a master (SENTINEL MASTER <name>): where it is, and the config
// epoch of that knowledge — after a failover the Sentinels that have not heard of it yet still
// name the old master, with an older epoch.
struct MasterView {
    HostPort master;
    long long configEpoch = 0;
    std::string flags;  // "master", "master,s_down,o_down", ...
    // role-reported-time: how long ago (ms) this Sentinel saw `master` take the master's role —
    // it restarts when a failover makes another node the master. Unset when not reported.
    std::optional<long long> roleReportedMs;
};
// nullopt when the Sentinel knows no master by that name. Throws redis::Error on connection
// problems and other error replies.
std::optional<MasterView> masterView(Connection& sentinel, std::string_view masterName);

// The replicas a Sentinel knows of for `masterName` (SENTINEL REPLICAS): their addresses, a
// demoted master among them. Throws redis::Error on connection problems and error replies.
std::vector<HostPort> replicasView(Connection& sentinel, std::string_view masterName);

// Connects to a Sentinel (retrying with `user`/`password` if it demands AUTH).
Connection connectSentinel(const Endpoint& sentinel, const ConnectOptions& options,
                           const std::string& user, const std::string& password);

// The current master, the way the Sentinel client guidelines say, asking every Sentinel:
//   1. SENTINEL GET-MASTER-ADDR-BY-NAME on each — it names the promoted replica as soon as a
//      failover reconfigures the replicas, while SENTINEL MASTER's address changes only at its
//      end (and SENTINEL MASTER for the config epoch of that knowledge);
//   2. the newest knowledge first: the highest config epoch, a Sentinel in the middle of a
//      failover (its promoted address differs from its configured one) above its own epoch;
//   3. ROLE on each candidate address in that order (the data nodes' `user` / `password`): the
//      first that answers "master" wins. A candidate that answers as a replica (a demoted master)
//      is never returned; one that cannot be checked (unreachable, ROLE refused) before any
//      master is returned unconfirmed.
// Throws redis::Error: Connect when no Sentinel could be reached (or every candidate is a
// replica now), InvalidArgument when they answer but none knows `masterName`.
SentinelAnswer askSentinels(const std::vector<Endpoint>& sentinels, const std::string& masterName,
                            const ConnectOptions& options, const std::string& user = {},
                            const std::string& password = {});

// The payload of a "+switch-master" message: "<name> <old-ip> <old-port> <new-ip> <new-port>".
struct SwitchMaster {
    std::string name;
    HostPort from;
    HostPort to;
};
std::optional<SwitchMaster> parseSwitchMaster(std::string_view payload);

}  // namespace lockscope::redis

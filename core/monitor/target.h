// What a monitor (or a one-shot survey) watches: one server, a Redlock group of independent nodes,
// the current master of a Sentinel group, or every master of a Redis Cluster — all from the same
// URL forms the CLI and the dashboard accept (redis/url.h). connectionSpec() turns their --url /
// --nodes / LOCKSCOPE_PASSWORD into a target, the one way both programs do it.
//
// Thread contract: value types; resolve() does blocking I/O on the caller's thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "redis/cluster.h"
#include "redis/connection.h"
#include "redis/url.h"

namespace lockscope::monitor {

enum class TargetKind {
    Single,    // one server
    Group,     // independent nodes of a Redlock group (--nodes): keys merged, k/N per lock
    Sentinel,  // the master a Sentinel group names, followed across failovers
    Cluster,   // every master of a Redis Cluster, each with its share of the keys
};
std::string_view targetKindName(
    TargetKind kind);  // "server", "redlock group", "sentinel", "cluster"

struct MonitorTarget {
    TargetKind kind = TargetKind::Single;
    // Single: the server. Group: the nodes. Sentinel: the Sentinels. Cluster: the seed nodes.
    std::vector<redis::Endpoint> nodes;
    std::string masterName;  // Sentinel only
    // Credentials and database for data nodes found through Sentinels or CLUSTER SLOTS.
    std::string user;
    std::string password;
    int db = 0;
    // How every server of the target is reached, the discovered ones included: an address a
    // Sentinel or the cluster announces is reached over TLS / through the bastion like the seeds.
    redis::TlsOptions tls;
    redis::SshOptions ssh;

    static MonitorTarget single(redis::Endpoint endpoint);
    // One endpoint is a single server; several a Redlock group.
    static MonitorTarget group(std::vector<redis::Endpoint> endpoints);
    // Any URL form. `fallbackPassword` (LOCKSCOPE_PASSWORD) applies when the URL has none.
    static MonitorTarget fromUrl(const redis::Url& url, const std::string& fallbackPassword = {});

    // A discovered data node (Sentinel's master, a cluster master) as an Endpoint.
    redis::Endpoint dataEndpoint(const redis::HostPort& address) const;
    // "redis+sentinel://127.0.0.1:26379/mymaster", "127.0.0.1:6379", ...
    std::string display() const;
};

// Where to connect as both programs take it on their command lines: --url, --nodes, the
// transport flags (named like redis-cli's: --tls --cacert --cacertdir --cert --key --sni
// --insecure, and --ssh --ssh-identity --ssh-known-hosts) and the LOCKSCOPE_PASSWORD,
// LOCKSCOPE_TLS_KEY_PASSPHRASE and LOCKSCOPE_SSH_PASSPHRASE environment variables.
struct ConnectionArgs {
    std::optional<std::string> url;  // --url: any form of redis/url.h
    // --nodes host:port,...: a Redlock group. An entry may carry its own credentials,
    // user:pass@host:port (or pass@host:port), or be a redis:// / unix:// URL; entries without
    // take LOCKSCOPE_PASSWORD. Percent-encode ',' and '@' inside a password.
    std::optional<std::string> nodes;
    // LOCKSCOPE_PASSWORD ("" when unset): for every server whose URL names no password (with
    // --nodes, every node; for a Sentinel URL, the data nodes).
    std::string envPassword;
    // The transport flags as given (redis::applyTransportFlag); a rediss:// URL turns TLS on
    // too. The passphrases come from the environment, never from flags.
    redis::TlsOptions tls;
    redis::SshOptions ssh;

    // url and nodes unset; envPassword and the passphrases read from the environment.
    static ConnectionArgs fromEnvironment();
};

struct ConnectionSpec {
    MonitorTarget target;
    std::string description;  // for people: the URL or the --nodes list, without passwords
    // To say every time they are in force (stderr, a status bar): "TLS certificates are not
    // verified (--insecure): ...".
    std::vector<std::string> warnings;
};

// What the arguments name. Neither --url nor --nodes: 127.0.0.1:6379, redis-cli's default (the
// dashboard starts its sandbox instead and does not ask). Throws redis::Error(InvalidArgument)
// with a message that says what to type: a malformed URL or node list, both given, or transport
// flags that do not fit (redis::validateTransport: a missing file, --cacert without TLS, TLS on a
// unix socket, a bad --ssh).
ConnectionSpec connectionSpec(const ConnectionArgs& args);

// The warnings of a transport in force ("" none): --insecure.
std::vector<std::string> transportWarnings(const redis::TlsOptions& tls);

// The data nodes a target names right now: for Sentinel the current master (one endpoint), for a
// cluster every master in slot order (with `map` filled in when asked), else `nodes`. Throws
// redis::Error (Connect when nothing answers, InvalidArgument for an unknown master name or a
// server that is not a cluster node).
struct ResolvedTarget {
    std::vector<redis::Endpoint> nodes;
    redis::ClusterMap map;  // Cluster only
    std::vector<std::string>
        notes;  // "master mymaster is 127.0.0.1:6380 (Sentinel 127.0.0.1:26379)"
};
ResolvedTarget resolve(const MonitorTarget& target, const redis::ConnectOptions& options);

// How long `master` has been the Sentinel group's master, as the Sentinels saw it
// (role-reported-time; the shortest any of them reports, and zero from one that still describes
// another node: a failover is under way). Nullopt for other targets or when no Sentinel answers.
// A LockScope holder follows a new master within about a second; until then its connection is
// missing from the new master's CLIENT LIST, so absence there is no evidence of death just after
// a switch (issue 14, F14i).
std::optional<std::chrono::milliseconds> masterNamedFor(const MonitorTarget& target,
                                                        const redis::Endpoint& master,
                                                        const redis::ConnectOptions& options);
// Every data node a Sentinel group's Sentinels name (SENTINEL MASTER and SENTINEL REPLICAS, all
// Sentinels that answer): during and after a failover, the old master among them. Empty for
// other targets or when none answers.
std::vector<redis::Endpoint> groupDataNodes(const MonitorTarget& target,
                                            const redis::ConnectOptions& options);

}  // namespace lockscope::monitor

// Where to connect: parsing of the URLs every LockScope program accepts.
//
//   redis://[user:pass@]host[:port][/db]                 one server over TCP (port 6379 by default)
//   unix:///path/to/redis.sock[?db=N]                    one server over a unix socket
//   redis+sentinel://host:port[,host:port...]/master[/db] the current master named by Sentinels
//   redis+cluster://host:port[,host:port...]             every master of a Redis Cluster
//   rediss://, rediss+sentinel://, rediss+cluster://     the same over TLS (redis/transport.h)
//
// user and password may be percent-encoded. IPv6 hosts are written in brackets: redis://[::1]:6379.
// Malformed input throws redis::Error(InvalidArgument) whose message names the problem and shows
// the expected form.
//
// Thread contract: value types, no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "redis/transport.h"

namespace lockscope::redis {

struct HostPort {
    std::string host;
    int port = 6379;
    std::string display() const;  // "host:port", IPv6 hosts in brackets
    bool operator==(const HostPort&) const = default;
};

// One server: what a Connection needs.
struct Endpoint {
    enum class Transport { Tcp, Unix };
    Transport transport = Transport::Tcp;
    HostPort tcp{"127.0.0.1", 6379};
    std::string unixPath;  // Transport::Unix only
    std::string user;      // empty: the default user
    std::string password;  // empty: no AUTH
    int db = 0;
    TlsOptions tls;  // TCP only
    SshOptions ssh;  // TCP only: `tcp` is then the address as the bastion reaches it

    static Endpoint tcpEndpoint(std::string host, int port);
    // "127.0.0.1:6379/0" or "unix:/tmp/r.sock" — never includes the password.
    std::string display() const;
    // The same server, database and credentials.
    bool operator==(const Endpoint&) const = default;
};

// "a,b,c": each display(), joined with ','.
std::string displayList(const std::vector<Endpoint>& endpoints);

struct Url {
    enum class Scheme { Redis, Unix, Sentinel, Cluster };
    Scheme scheme = Scheme::Redis;
    std::vector<HostPort> hosts;  // one for Redis; the Sentinels or seed nodes otherwise
    std::string unixPath;
    std::string masterName;  // Sentinel only
    std::string user;
    std::string password;
    int db = 0;
    bool tls = false;  // rediss://, rediss+sentinel://, rediss+cluster://

    // The single server of a redis:// or unix:// URL (throws InvalidArgument for the others).
    Endpoint endpoint() const;
    // The URL again, with the password replaced by "***".
    std::string display() const;
};

Url parseUrl(std::string_view text);

// `text` (a URL, a node, any argument an error message repeats) with the password of its userinfo
// replaced by "***": "redis://u:pw@h" → "redis://u:***@h", "pw@h:1" → "***@h:1". Unchanged when it
// has no userinfo.
std::string withoutPassword(std::string_view text);

// "host:port,host:port" as used by --nodes; each node inherits user/password/db and the transport
// (TLS, SSH) from `base`.
std::vector<Endpoint> parseNodeList(std::string_view text, const Endpoint& base = {});

}  // namespace lockscope::redis

#include "monitor/target.h"

#include <algorithm>
#include <cstdlib>

#include "redis/error.h"
#include "redis/sentinel.h"

namespace lockscope::monitor {

std::string_view targetKindName(TargetKind kind) {
    switch (kind) {
        case TargetKind::Single:
            return "server";
        case TargetKind::Group:
            return "redlock group";
        case TargetKind::Sentinel:
            return "sentinel";
        case TargetKind::Cluster:
            return "cluster";
    }
    return "?";
}

MonitorTarget MonitorTarget::single(redis::Endpoint endpoint) {
    MonitorTarget t;
    t.kind = TargetKind::Single;
    t.user = endpoint.user;
    t.password = endpoint.password;
    t.db = endpoint.db;
    t.tls = endpoint.tls;
    t.ssh = endpoint.ssh;
    t.nodes.push_back(std::move(endpoint));
    return t;
}

MonitorTarget MonitorTarget::group(std::vector<redis::Endpoint> endpoints) {
    if (endpoints.size() == 1) return single(std::move(endpoints.front()));
    MonitorTarget t;
    t.kind = TargetKind::Group;
    if (!endpoints.empty()) {
        t.user = endpoints.front().user;
        t.password = endpoints.front().password;
        t.db = endpoints.front().db;
        t.tls = endpoints.front().tls;
        t.ssh = endpoints.front().ssh;
    }
    t.nodes = std::move(endpoints);
    return t;
}

MonitorTarget MonitorTarget::fromUrl(const redis::Url& url, const std::string& fallbackPassword) {
    const std::string password = url.password.empty() ? fallbackPassword : url.password;
    if (url.scheme == redis::Url::Scheme::Redis || url.scheme == redis::Url::Scheme::Unix) {
        redis::Endpoint e = url.endpoint();
        if (e.password.empty()) e.password = password;
        return single(std::move(e));
    }
    MonitorTarget t;
    t.kind =
        url.scheme == redis::Url::Scheme::Sentinel ? TargetKind::Sentinel : TargetKind::Cluster;
    t.masterName = url.masterName;
    t.user = url.user;
    t.password = password;
    t.db = url.db;
    t.tls.enabled = url.tls;
    for (const auto& hp : url.hosts) {
        redis::Endpoint e = redis::Endpoint::tcpEndpoint(hp.host, hp.port);
        e.tls = t.tls;
        // Cluster seeds are data nodes; Sentinels get credentials only if they ask (sentinel.h).
        if (t.kind == TargetKind::Cluster) {
            e.user = t.user;
            e.password = t.password;
        }
        t.nodes.push_back(std::move(e));
    }
    return t;
}

redis::Endpoint MonitorTarget::dataEndpoint(const redis::HostPort& address) const {
    redis::Endpoint e = redis::Endpoint::tcpEndpoint(address.host, address.port);
    e.user = user;
    e.password = password;
    e.db = kind == TargetKind::Cluster ? 0 : db;
    e.tls = tls;
    e.ssh = ssh;
    return e;
}

std::string MonitorTarget::display() const {
    std::string hosts;
    for (const auto& n : nodes) hosts += (hosts.empty() ? "" : ",") + n.tcp.display();
    switch (kind) {
        case TargetKind::Single:
            return nodes.empty() ? "" : nodes.front().display();
        case TargetKind::Group: {
            std::string s;
            for (const auto& n : nodes) s += (s.empty() ? "" : ",") + n.display();
            return s;
        }
        case TargetKind::Sentinel:
            return (tls.enabled ? "rediss+sentinel://" : "redis+sentinel://") + hosts + "/" +
                   masterName + (db ? "/" + std::to_string(db) : "");
        case TargetKind::Cluster:
            return (tls.enabled ? "rediss+cluster://" : "redis+cluster://") + hosts;
    }
    return hosts;
}

ConnectionArgs ConnectionArgs::fromEnvironment() {
    ConnectionArgs args;
    if (const char* password = std::getenv("LOCKSCOPE_PASSWORD")) args.envPassword = password;
    if (const char* p = std::getenv(redis::kTlsKeyPassphraseVariable)) args.tls.keyPassphrase = p;
    if (const char* p = std::getenv(redis::kSshPassphraseVariable)) args.ssh.passphrase = p;
    return args;
}

std::vector<std::string> transportWarnings(const redis::TlsOptions& tls) {
    if (!tls.enabled || !tls.insecure) return {};
    return {
        "TLS certificates are NOT verified (--insecure): the connection is encrypted, but "
        "anyone between here and the server can read and change it"};
}

namespace {

// --nodes: "host:port", "user:pass@host:port", "pass@host:port" or a redis:// / unix:// URL per
// entry, comma-separated. An entry without credentials of its own gets `base`'s (the
// LOCKSCOPE_PASSWORD). Commas and '@' inside a password are written percent-encoded (%2C, %40).
std::vector<redis::Endpoint> parseNodes(const std::string& text, const redis::Endpoint& base) {
    auto hasOwnCredentials = [](std::string_view item) {
        return item.find("://") != std::string_view::npos ||
               item.find('@') != std::string_view::npos;
    };
    std::vector<std::string> items;
    for (std::string_view rest = text;;) {
        const auto comma = rest.find(',');
        items.emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    if (std::none_of(items.begin(), items.end(), hasOwnCredentials))
        return redis::parseNodeList(text, base);
    std::vector<redis::Endpoint> nodes;
    for (const auto& item : items) {
        if (!hasOwnCredentials(item)) {
            try {
                auto one = redis::parseNodeList(item, base);
                nodes.insert(nodes.end(), one.begin(), one.end());
            } catch (const redis::Error&) {
                throw redis::Error(redis::ErrorKind::InvalidArgument,
                                   "invalid --nodes entry '" + item + "': not host:port");
            }
            continue;
        }
        const bool url = item.find("://") != std::string::npos;  // redis://, rediss://, unix://
        redis::Url u;
        try {
            u = redis::parseUrl(url ? item : "redis://" + item);
            nodes.push_back(u.endpoint());
        } catch (const redis::Error&) {
            // The parser's message quotes the entry, password and all: not repeated here.
            const std::string where = item.substr(item.rfind('@') + 1);
            throw redis::Error(redis::ErrorKind::InvalidArgument,
                               "invalid --nodes entry '…@" + where +
                                   "': expected host:port, user:password@host:port or a "
                                   "redis:// URL (percent-encode ',' and '@' in a password)");
        }
        if (nodes.back().password.empty() && nodes.back().user.empty())
            nodes.back().password = base.password;
    }
    return nodes;
}

// The transport flags on every server the target names (the seeds; discovered ones inherit them
// through MonitorTarget::tls / ssh). A rediss:// URL has already turned TLS on.
void applyTransport(MonitorTarget& t, const ConnectionArgs& args) {
    const bool tls = t.tls.enabled || args.tls.enabled;
    t.tls = args.tls;
    t.tls.enabled = tls;
    t.ssh = args.ssh;
    const bool unixSocket = t.kind == TargetKind::Single && !t.nodes.empty() &&
                            t.nodes.front().transport == redis::Endpoint::Transport::Unix;
    redis::validateTransport(t.tls, t.ssh, unixSocket);
    for (auto& n : t.nodes) {
        n.tls = t.tls;
        n.ssh = t.ssh;
    }
}

}  // namespace

ConnectionSpec connectionSpec(const ConnectionArgs& args) {
    // The dashboard's words first (unchanged), then what each option is for.
    if (args.url && args.nodes)
        throw redis::Error(redis::ErrorKind::InvalidArgument,
                           "--url and --nodes both name what to follow: give one of them (--url "
                           "for one server, a Sentinel group or a cluster; --nodes for a Redlock "
                           "group), not both");
    ConnectionSpec spec;
    if (args.url) {
        const redis::Url url = redis::parseUrl(*args.url);
        spec.target = MonitorTarget::fromUrl(url, args.envPassword);
        spec.description = url.display();
    } else {
        redis::Endpoint base = redis::Endpoint::tcpEndpoint("127.0.0.1", 6379);
        base.password = args.envPassword;
        if (args.nodes) {
            spec.target = MonitorTarget::group(parseNodes(*args.nodes, base));
            for (const auto& n : spec.target.nodes)  // never the passwords
                spec.description += (spec.description.empty() ? "" : ",") + n.display();
        } else {
            spec.target = MonitorTarget::single(base);
            spec.description = base.display();
        }
    }
    applyTransport(spec.target, args);
    if (spec.target.tls.enabled && !args.url) spec.description += " (TLS)";
    if (spec.target.ssh.enabled())
        spec.description +=
            " via SSH " + redis::parseSshDestination(spec.target.ssh.destination).display();
    spec.warnings = transportWarnings(spec.target.tls);
    return spec;
}

ResolvedTarget resolve(const MonitorTarget& target, const redis::ConnectOptions& options) {
    ResolvedTarget out;
    switch (target.kind) {
        case TargetKind::Single:
        case TargetKind::Group:
            out.nodes = target.nodes;
            break;
        case TargetKind::Sentinel: {
            auto answer = redis::askSentinels(target.nodes, target.masterName, options, target.user,
                                              target.password);
            out.nodes.push_back(target.dataEndpoint(answer.master));
            out.notes.push_back("master " + target.masterName + " is " + answer.master.display() +
                                " (Sentinel " + answer.sentinel + ")");
            break;
        }
        case TargetKind::Cluster: {
            out.map = redis::discoverCluster(target.nodes, options);
            for (const auto& m : out.map.masters)
                out.nodes.push_back(target.dataEndpoint(m.address));
            break;
        }
    }
    if (out.nodes.empty()) throw redis::Error(redis::ErrorKind::InvalidArgument, "no server given");
    return out;
}

std::optional<std::chrono::milliseconds> masterNamedFor(const MonitorTarget& target,
                                                        const redis::Endpoint& master,
                                                        const redis::ConnectOptions& options) {
    if (target.kind != TargetKind::Sentinel) return std::nullopt;
    std::optional<std::chrono::milliseconds> shortest;
    for (const auto& sentinel : target.nodes) {
        try {
            auto c = redis::connectSentinel(sentinel, options, target.user, target.password);
            const auto view = redis::masterView(c, target.masterName);
            if (!view) continue;
            const bool same = target.dataEndpoint(view->master).tcp == master.tcp;
            const std::chrono::milliseconds ms(same ? view->roleReportedMs.value_or(0) : 0);
            shortest = shortest ? std::min(*shortest, ms) : ms;
        } catch (const redis::Error&) {
            // Unreachable or refusing: the others answer.
        }
    }
    return shortest;
}

std::vector<redis::Endpoint> groupDataNodes(const MonitorTarget& target,
                                            const redis::ConnectOptions& options) {
    std::vector<redis::Endpoint> out;
    if (target.kind != TargetKind::Sentinel) return out;
    auto add = [&](const redis::HostPort& address) {
        auto e = target.dataEndpoint(address);
        if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(std::move(e));
    };
    // Every Sentinel: in the middle of a failover they disagree, and the old master is listed
    // as the master (not a replica) until it ends.
    for (const auto& sentinel : target.nodes) {
        try {
            auto c = redis::connectSentinel(sentinel, options, target.user, target.password);
            if (const auto view = redis::masterView(c, target.masterName)) add(view->master);
            for (const auto& r : redis::replicasView(c, target.masterName)) add(r);
        } catch (const redis::Error&) {
            // The next Sentinel.
        }
    }
    return out;
}

}  // namespace lockscope::monitor

#include "redis/sentinel.h"

#include <algorithm>
#include <charconv>

#include "redis/error.h"

namespace lockscope::redis {
namespace {

std::optional<int> parsePort(std::string_view text) {
    int port = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc() || ptr != text.data() + text.size() || port < 1 || port > 65535)
        return std::nullopt;
    return port;
}

}  // namespace

std::optional<MasterView> masterView(Connection& sentinel, std::string_view masterName) {
    auto reply = sentinel.raw({"SENTINEL", "MASTER", masterName});
    if (reply.isError()) {
        if (reply.errorMessage().find("No such master") != std::string_view::npos)
            return std::nullopt;
        reply.throwIfError();
    }
    if (!reply.isArray())
        throw Error(ErrorKind::Protocol, "unexpected SENTINEL MASTER reply: " + reply.describe());
    MasterView v;
    std::optional<int> port;
    for (size_t i = 0; i + 1 < reply.size(); i += 2) {
        const auto field = reply[i].str();
        const auto value = reply[i + 1].str();
        if (field == "ip")
            v.master.host = std::string(value);
        else if (field == "port")
            port = parsePort(value);
        else if (field == "flags")
            v.flags = std::string(value);
        else if (field == "config-epoch") {
            std::from_chars(value.data(), value.data() + value.size(), v.configEpoch);
        } else if (field == "role-reported-time") {
            long long ms = 0;
            const auto end = value.data() + value.size();
            if (const auto [p, ec] = std::from_chars(value.data(), end, ms);
                ec == std::errc() && p == end && ms >= 0)
                v.roleReportedMs = ms;
        }
    }
    if (v.master.host.empty() || !port)
        throw Error(ErrorKind::Protocol, "a Sentinel described master '" + std::string(masterName) +
                                             "' without an address");
    v.master.port = *port;
    return v;
}

std::vector<HostPort> replicasView(Connection& sentinel, std::string_view masterName) {
    auto reply = sentinel.raw({"SENTINEL", "REPLICAS", masterName});
    reply.throwIfError();
    std::vector<HostPort> out;
    if (!reply.isArray()) return out;
    for (size_t r = 0; r < reply.size(); ++r) {
        const auto& entry = reply[r];
        if (!entry.isArray()) continue;
        HostPort hp;
        std::optional<int> port;
        for (size_t i = 0; i + 1 < entry.size(); i += 2) {
            const auto field = entry[i].str();
            if (field == "ip")
                hp.host = std::string(entry[i + 1].str());
            else if (field == "port")
                port = parsePort(entry[i + 1].str());
        }
        if (hp.host.empty() || !port) continue;
        hp.port = *port;
        out.push_back(std::move(hp));
    }
    return out;
}

Connection connectSentinel(const Endpoint& sentinel, const ConnectOptions& options,
                           const std::string& user, const std::string& password) {
    Endpoint plain = sentinel;
    plain.db = 0;  // Sentinels have no databases
    try {
        Connection c(plain, options);
        c.command({"PING"});  // a Sentinel with requirepass answers NOAUTH here
        return c;
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Auth || password.empty() || !plain.password.empty()) throw;
    }
    plain.user = user;
    plain.password = password;
    return Connection(plain, options);
}

namespace {

// What ROLE (or, where the ACL refuses it, INFO replication) says `address` is: "master",
// "slave", "sentinel"; nullopt when it cannot be reached or asked.
std::optional<std::string> roleOf(const HostPort& address, const ConnectOptions& options,
                                  const std::string& user, const std::string& password) {
    try {
        Endpoint e = Endpoint::tcpEndpoint(address.host, address.port);
        e.user = user;
        e.password = password;
        Connection c(e, options);
        auto role = c.raw({"ROLE"});
        if (role.isArray() && role.size() > 0) return std::string(role[0].str());
        auto info = c.raw({"INFO", "replication"});
        if (!info.isError() && info.isString()) {
            const auto text = info.str();
            const auto at = text.find("role:");
            if (at != std::string_view::npos) {
                auto value = text.substr(at + 5);
                value = value.substr(0, value.find_first_of("\r\n"));
                return std::string(value);
            }
        }
    } catch (const Error&) {}
    return std::nullopt;
}

}  // namespace

SentinelAnswer askSentinels(const std::vector<Endpoint>& sentinels, const std::string& masterName,
                            const ConnectOptions& options, const std::string& user,
                            const std::string& password) {
    if (sentinels.empty()) throw Error(ErrorKind::InvalidArgument, "no Sentinel given");
    struct Candidate {
        SentinelAnswer answer;
        long long rank = 0;  // 2 × config epoch, + 1 mid-failover
    };
    std::string failures;
    std::vector<Candidate> candidates;
    int answered = 0;
    for (const auto& s : sentinels) {
        try {
            Connection c = connectSentinel(s, options, user, password);
            ++answered;
            auto p = c.pipeline();
            p.add({"SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName});
            auto replies = p.exec();
            const auto& addr = replies[0];
            if (addr.isNil()) continue;  // it knows no master by that name
            addr.throwIfError();
            if (!addr.isArray() || addr.size() != 2)
                throw Error(
                    ErrorKind::Protocol,
                    "unexpected SENTINEL GET-MASTER-ADDR-BY-NAME reply: " + addr.describe());
            HostPort now{std::string(addr[0].str()), 0};
            const auto portText = addr[1].str();
            std::from_chars(portText.data(), portText.data() + portText.size(), now.port);
            auto view = masterView(c, masterName);
            Candidate cand;
            cand.answer =
                SentinelAnswer{now, view ? view->configEpoch : 0, s.tcp.display(), 0, false};
            cand.rank = 2 * cand.answer.configEpoch + (view && !(view->master == now) ? 1 : 0);
            candidates.push_back(std::move(cand));
        } catch (const Error& e) {
            failures += (failures.empty() ? "" : "; ") + s.display() + ": " + e.what();
        }
    }
    if (candidates.empty()) {
        if (answered > 0)
            throw Error(ErrorKind::InvalidArgument,
                        "the Sentinels know no master named '" + masterName +
                            "' (check the name after the hosts in the redis+sentinel:// URL; "
                            "SENTINEL MASTERS lists them)" +
                            (failures.empty() ? "" : " — " + failures));
        throw Error(ErrorKind::Connect, "no Sentinel answered (" + failures +
                                            "); check the hosts in the redis+sentinel:// URL");
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.rank > b.rank; });
    std::string replicas;
    std::vector<HostPort> tried;
    for (auto& cand : candidates) {
        const HostPort& at = cand.answer.master;
        if (std::find(tried.begin(), tried.end(), at) != tried.end()) continue;
        tried.push_back(at);
        const auto role = roleOf(at, options, user, password);
        if (role == "master") {
            cand.answer.answered = answered;
            cand.answer.confirmed = true;
            return cand.answer;
        }
        if (!role) {  // the newest word cannot be checked: it stands, unconfirmed
            cand.answer.answered = answered;
            return cand.answer;
        }
        // A replica now (stale knowledge, a demoted master): never the answer.
        replicas += (replicas.empty() ? "" : ", ") + at.display() + " (" + *role + ")";
    }
    throw Error(ErrorKind::Connect, "the Sentinels name " + replicas + " for master '" +
                                        masterName +
                                        "', which is not a master now (a failover in progress?); "
                                        "try again in a moment");
}

std::optional<SwitchMaster> parseSwitchMaster(std::string_view payload) {
    std::vector<std::string_view> parts;
    while (!payload.empty()) {
        auto space = payload.find(' ');
        parts.push_back(payload.substr(0, space));
        if (space == std::string_view::npos) break;
        payload.remove_prefix(space + 1);
    }
    if (parts.size() != 5) return std::nullopt;
    auto fromPort = parsePort(parts[2]);
    auto toPort = parsePort(parts[4]);
    if (!fromPort || !toPort) return std::nullopt;
    return SwitchMaster{std::string(parts[0]),
                        {std::string(parts[1]), *fromPort},
                        {std::string(parts[3]), *toPort}};
}

}  // namespace lockscope::redis

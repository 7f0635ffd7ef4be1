#include "redis/sentinel.h"

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
        }
    }
    if (v.master.host.empty() || !port)
        throw Error(ErrorKind::Protocol, "a Sentinel described master '" + std::string(masterName) +
                                             "' without an address");
    v.master.port = *port;
    return v;
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

SentinelAnswer askSentinels(const std::vector<Endpoint>& sentinels, const std::string& masterName,
                            const ConnectOptions& options, const std::string& user,
                            const std::string& password) {
    if (sentinels.empty()) throw Error(ErrorKind::InvalidArgument, "no Sentinel given");
    std::string failures;
    std::optional<SentinelAnswer> best;
    int answered = 0;
    for (const auto& s : sentinels) {
        try {
            Connection c = connectSentinel(s, options, user, password);
            ++answered;
            auto view = masterView(c, masterName);
            if (view && (!best || view->configEpoch > best->configEpoch))
                best = SentinelAnswer{view->master, view->configEpoch, s.tcp.display(), 0};
        } catch (const Error& e) {
            failures += (failures.empty() ? "" : "; ") + s.display() + ": " + e.what();
        }
    }
    if (best) {
        best->answered = answered;
        return *best;
    }
    if (answered > 0)
        throw Error(ErrorKind::InvalidArgument,
                    "the Sentinels know no master named '" + masterName +
                        "' (check the name after the hosts in the redis+sentinel:// URL; "
                        "SENTINEL MASTERS lists them)" +
                        (failures.empty() ? "" : " — " + failures));
    throw Error(ErrorKind::Connect, "no Sentinel answered (" + failures +
                                        "); check the hosts in the redis+sentinel:// URL");
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

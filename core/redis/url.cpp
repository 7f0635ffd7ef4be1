#include "redis/url.h"

#include <charconv>

#include "redis/error.h"

namespace lockscope::redis {
namespace {

constexpr std::string_view kForms =
    "expected redis://[user:pass@]host[:port][/db], unix:///path/to/sock[?db=N], "
    "redis+sentinel://host:port[,host:port...]/master[/db] or "
    "redis+cluster://host:port[,host:port...]; rediss:// for TLS";

// Where the userinfo of `text` ends (the last '@' before the path), npos when there is none.
size_t userinfoEnd(std::string_view rest) {
    const auto pathStart = rest.find('/');
    return rest.rfind('@', pathStart == std::string_view::npos ? rest.size() : pathStart);
}

}  // namespace

std::string withoutPassword(std::string_view text) {
    const auto sep = text.find("://");
    const size_t start = sep == std::string_view::npos ? 0 : sep + 3;  // "u:pw@h" lacks a scheme
    const std::string_view rest = text.substr(start);
    const auto at = userinfoEnd(rest);
    if (at == std::string_view::npos) return std::string(text);
    const auto colon = rest.substr(0, at).find(':');
    std::string out(text.substr(0, start));
    if (colon != std::string_view::npos) out.append(rest.substr(0, colon + 1));
    return out.append("***").append(rest.substr(at));
}

namespace {

[[noreturn]] void fail(std::string_view text, std::string_view why) {
    throw Error(ErrorKind::InvalidArgument, "invalid URL '" + withoutPassword(text) +
                                                "': " + std::string(why) + " (" +
                                                std::string(kForms) + ")");
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(std::string_view text, std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) fail(text, "truncated %-escape in user or password");
        int hi = hexValue(in[i + 1]);
        int lo = hexValue(in[i + 2]);
        if (hi < 0 || lo < 0) fail(text, "bad %-escape in user or password");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

int parseInt(std::string_view text, std::string_view digits, std::string_view what, int lo,
             int hi) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || value < lo ||
        value > hi)
        fail(text, std::string(what) + " '" + std::string(digits) + "' is not a number in " +
                       std::to_string(lo) + ".." + std::to_string(hi));
    return value;
}

HostPort parseHostPort(std::string_view text, std::string_view hp) {
    HostPort out;
    std::string_view portPart;
    if (hp.empty()) fail(text, "missing host");
    if (hp.front() == '[') {
        auto close = hp.find(']');
        if (close == std::string_view::npos) fail(text, "unclosed '[' in IPv6 host");
        out.host = std::string(hp.substr(1, close - 1));
        auto rest = hp.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') fail(text, "expected ':port' after ']'");
            portPart = rest.substr(1);
            if (portPart.empty()) fail(text, "empty port");
        }
    } else {
        auto colon = hp.find(':');
        if (colon != std::string_view::npos && hp.find(':', colon + 1) != std::string_view::npos)
            fail(text, "IPv6 addresses must be written in brackets, e.g. [::1]:6379");
        out.host = std::string(hp.substr(0, colon));
        if (colon != std::string_view::npos) {
            portPart = hp.substr(colon + 1);
            if (portPart.empty()) fail(text, "empty port");
        }
    }
    if (out.host.empty()) fail(text, "missing host");
    for (char c : out.host)
        if (c == '/' || c == '@' || c == '?' || c == ' ') fail(text, "bad character in host");
    if (!portPart.empty()) out.port = parseInt(text, portPart, "port", 1, 65535);
    return out;
}

// Escapes what would end the user name early when the URL is read back ('@', ':', '/', '%') and
// anything that is not printable ASCII.
std::string percentEncode(std::string_view in) {
    constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f || ch == '%' || ch == '@' || ch == ':' || ch == '/' ||
            ch == '?' || ch == '#') {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace

std::string HostPort::display() const {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

Endpoint Endpoint::tcpEndpoint(std::string host, int port) {
    Endpoint e;
    e.tcp = HostPort{std::move(host), port};
    return e;
}

// Appends rather than `"literal" + std::string`: GCC 12 at -O3 reports a false -Wrestrict there.
std::string Endpoint::display() const {
    std::string s =
        transport == Transport::Unix ? std::string("unix:").append(unixPath) : tcp.display();
    if (db != 0)
        s.append("/").append(
            std::to_string(db));  // (not "/" + ...: GCC 12 -Wrestrict false positive at -O3)
    return s;
}

std::string displayList(const std::vector<Endpoint>& endpoints) {
    std::string s;
    for (const auto& e : endpoints) s += (s.empty() ? "" : ",") + e.display();
    return s;
}

Endpoint Url::endpoint() const {
    Endpoint e;
    e.user = user;
    e.password = password;
    e.db = db;
    switch (scheme) {
        case Scheme::Redis:
            e.tcp = hosts.at(0);
            e.tls.enabled = tls;
            return e;
        case Scheme::Unix:
            e.transport = Endpoint::Transport::Unix;
            e.unixPath = unixPath;
            return e;
        case Scheme::Sentinel:
        case Scheme::Cluster:
            break;
    }
    throw Error(ErrorKind::InvalidArgument, "this command needs a single server; " + display() +
                                                " names a Sentinel group or a cluster");
}

std::string Url::display() const {
    std::string s;
    switch (scheme) {
        case Scheme::Redis:
            s = tls ? "rediss://" : "redis://";
            break;
        case Scheme::Unix:
            s = "unix://";
            break;
        case Scheme::Sentinel:
            s = tls ? "rediss+sentinel://" : "redis+sentinel://";
            break;
        case Scheme::Cluster:
            s = tls ? "rediss+cluster://" : "redis+cluster://";
            break;
    }
    if (!user.empty() || !password.empty()) {
        s += percentEncode(user);
        // "user@host" would read back as a password: a user without one is written "user:@".
        s += password.empty() ? ":" : ":***";
        s += "@";
    }
    if (scheme == Scheme::Unix) {
        s += unixPath;
        if (db != 0) s.append("?db=").append(std::to_string(db));
        return s;
    }
    for (size_t i = 0; i < hosts.size(); ++i) s.append(i ? "," : "").append(hosts[i].display());
    if (scheme == Scheme::Sentinel) s.append("/").append(masterName);
    if (db != 0) s.append("/").append(std::to_string(db));
    return s;
}

Url parseUrl(std::string_view text) {
    Url url;
    auto sep = text.find("://");
    if (sep == std::string_view::npos) fail(text, "missing scheme");
    std::string_view scheme = text.substr(0, sep);
    std::string_view rest = text.substr(sep + 3);
    if (scheme == "redis" || scheme == "rediss")
        url.scheme = Url::Scheme::Redis;
    else if (scheme == "unix")
        url.scheme = Url::Scheme::Unix;
    else if (scheme == "redis+sentinel" || scheme == "rediss+sentinel")
        url.scheme = Url::Scheme::Sentinel;
    else if (scheme == "redis+cluster" || scheme == "rediss+cluster")
        url.scheme = Url::Scheme::Cluster;
    else
        fail(text, "unknown scheme '" + std::string(scheme) + "'");
    url.tls = scheme.rfind("rediss", 0) == 0;

    // userinfo: everything before the last '@' that precedes the path.
    auto at = userinfoEnd(rest);
    if (at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        auto colon = userinfo.find(':');
        if (colon == std::string_view::npos) {
            // "redis://secret@host" is the common redis-cli form: a password without a user.
            url.password = percentDecode(text, userinfo);
        } else {
            url.user = percentDecode(text, userinfo.substr(0, colon));
            url.password = percentDecode(text, userinfo.substr(colon + 1));
        }
    }

    if (url.scheme == Url::Scheme::Unix) {
        auto q = rest.find('?');
        url.unixPath = std::string(rest.substr(0, q));
        if (url.unixPath.empty() || url.unixPath.front() != '/')
            fail(text, "a unix socket URL needs an absolute path: unix:///path/to/redis.sock");
        if (q != std::string_view::npos) {
            std::string_view query = rest.substr(q + 1);
            if (query.substr(0, 3) != "db=") fail(text, "the only query parameter is db=N");
            url.db = parseInt(text, query.substr(3), "database", 0, 1 << 20);
        }
        return url;
    }

    auto slash = rest.find('/');
    std::string_view hostList = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    if (hostList.empty()) fail(text, "missing host");
    while (!hostList.empty()) {
        auto comma = hostList.find(',');
        url.hosts.push_back(parseHostPort(text, hostList.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        hostList = hostList.substr(comma + 1);
        if (hostList.empty()) fail(text, "empty entry after ','");
    }

    if (url.scheme == Url::Scheme::Redis && url.hosts.size() != 1)
        fail(text, "redis:// takes one host; use --nodes for a Redlock group");
    if (url.scheme == Url::Scheme::Sentinel) {
        auto s2 = path.find('/');
        url.masterName = std::string(path.substr(0, s2));
        if (url.masterName.empty()) fail(text, "missing master name after the Sentinel hosts");
        path = s2 == std::string_view::npos ? "" : path.substr(s2 + 1);
    }
    if (url.scheme == Url::Scheme::Cluster && !path.empty())
        fail(text, "a cluster has only database 0; remove the path");
    if (!path.empty()) url.db = parseInt(text, path, "database", 0, 1 << 20);
    return url;
}

std::vector<Endpoint> parseNodeList(std::string_view text, const Endpoint& base) {
    std::vector<Endpoint> nodes;
    std::string_view rest = text;
    if (rest.empty())
        throw Error(ErrorKind::InvalidArgument,
                    "invalid --nodes '': expected host:port,host:port,...");
    while (true) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        Endpoint e = base;
        e.transport = Endpoint::Transport::Tcp;
        try {
            e.tcp = parseHostPort(text, item);
        } catch (const Error&) {
            throw Error(ErrorKind::InvalidArgument, "invalid --nodes '" + withoutPassword(text) +
                                                        "': entry '" + withoutPassword(item) +
                                                        "' is not host:port");
        }
        nodes.push_back(std::move(e));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return nodes;
}

}  // namespace lockscope::redis

#include "locks/owner.h"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdint>

#include "util/random.h"

namespace lockscope::locks {
namespace {

std::string hostName() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown-host";
    std::string host(buf);
    for (char& c : host)
        if (c == ':' || std::isspace(static_cast<unsigned char>(c))) c = '_';
    return host;
}

bool isHex(std::string_view s, size_t len) {
    if (s.size() != len) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
    return true;
}

}  // namespace

Owner Owner::create() {
    static const std::string host = hostName();
    return Owner{host, static_cast<long>(::getpid()), randomHex(8)};
}

std::string Owner::clientName() const {
    return std::string(kTokenPrefix) + host + ":" + std::to_string(pid) + ":" + tag;
}

std::string Owner::newToken() const {
    // Runs on every acquisition: built in one allocation instead of clientName()'s chain of
    // temporaries (it was ~10% of an uncontended set-nx-px cycle's client instructions).
    char pidText[24];
    const auto pidEnd = std::to_chars(pidText, pidText + sizeof pidText, pid).ptr;
    std::string token;
    token.reserve(kTokenPrefix.size() + host.size() + tag.size() + sizeof pidText + 3 + 16);
    token.append(kTokenPrefix).append(host).append(1, ':').append(pidText, pidEnd);
    token.append(1, ':').append(tag).append(1, ':');
    std::uint64_t bits = randomU64();  // 16 hex chars, as randomHex(16) makes them
    for (int i = 0; i < 16; ++i, bits >>= 4) token += "0123456789abcdef"[bits & 15];
    return token;
}

std::string TokenInfo::clientName() const {
    return std::string(kTokenPrefix) + host + ":" + std::to_string(pid) + ":" + tag;
}

std::optional<TokenInfo> parseToken(std::string_view token) {
    if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
    std::string_view rest = token.substr(kTokenPrefix.size());
    // host may not contain ':', so split from the right: nonce, tag, pid; the rest is host.
    auto c3 = rest.rfind(':');
    if (c3 == std::string_view::npos) return std::nullopt;
    auto c2 = rest.rfind(':', c3 - 1);
    if (c2 == std::string_view::npos || c3 == 0) return std::nullopt;
    auto c1 = rest.rfind(':', c2 - 1);
    if (c1 == std::string_view::npos || c2 == 0) return std::nullopt;
    TokenInfo info;
    info.host = std::string(rest.substr(0, c1));
    std::string_view pid = rest.substr(c1 + 1, c2 - c1 - 1);
    info.tag = std::string(rest.substr(c2 + 1, c3 - c2 - 1));
    info.nonce = std::string(rest.substr(c3 + 1));
    auto [ptr, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), info.pid);
    if (info.host.empty() || ec != std::errc() || ptr != pid.data() + pid.size() ||
        info.pid <= 0 || !isHex(info.tag, 8) || !isHex(info.nonce, 16))
        return std::nullopt;
    return info;
}

}  // namespace lockscope::locks

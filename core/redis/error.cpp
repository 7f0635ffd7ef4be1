#include "redis/error.h"

namespace lockscope::redis {

std::string_view errorKindName(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::InvalidArgument:
            return "invalid-argument";
        case ErrorKind::Connect:
            return "connect";
        case ErrorKind::Tls:
            return "tls";
        case ErrorKind::Ssh:
            return "ssh";
        case ErrorKind::Timeout:
            return "timeout";
        case ErrorKind::Closed:
            return "closed";
        case ErrorKind::Io:
            return "io";
        case ErrorKind::Protocol:
            return "protocol";
        case ErrorKind::Auth:
            return "auth";
        case ErrorKind::NoPermission:
            return "no-permission";
        case ErrorKind::UnknownCommand:
            return "unknown-command";
        case ErrorKind::WrongType:
            return "wrong-type";
        case ErrorKind::NoScript:
            return "no-script";
        case ErrorKind::Redirect:
            return "redirect";
        case ErrorKind::Busy:
            return "busy";
        case ErrorKind::ReadOnly:
            return "read-only";
        case ErrorKind::Server:
            return "server";
    }
    return "unknown";
}

ErrorKind classifyServerError(std::string_view m) {
    auto starts = [&](std::string_view p) { return m.substr(0, p.size()) == p; };
    if (starts("WRONGTYPE")) return ErrorKind::WrongType;
    if (starts("NOSCRIPT")) return ErrorKind::NoScript;
    if (starts("NOPERM")) return ErrorKind::NoPermission;
    if (starts("NOAUTH") || starts("WRONGPASS") || starts("ERR invalid password") ||
        starts("ERR AUTH"))
        return ErrorKind::Auth;
    if (starts("MOVED") || starts("ASK ")) return ErrorKind::Redirect;
    if (starts("BUSY") || starts("LOADING") || starts("MASTERDOWN") || starts("TRYAGAIN") ||
        starts("CLUSTERDOWN"))
        return ErrorKind::Busy;
    if (starts("READONLY")) return ErrorKind::ReadOnly;
    if (starts("ERR unknown command")) return ErrorKind::UnknownCommand;
    return ErrorKind::Server;
}

}  // namespace lockscope::redis

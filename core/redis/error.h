// The one error policy of the core library.
//
// - Failures of the connection itself (cannot connect, I/O error, server closed the connection,
//   timeout, protocol error) and error replies of a command that the caller asked for a value of
//   are thrown as lockscope::redis::Error, with a kind the caller can switch on.
// - A nil reply is not an error: it is std::nullopt / Reply::isNil().
// - A command that failed with Io, Timeout or Closed is never retried by the library (it may or
//   may not have run on the server); the connection is marked broken and the *next* command
//   reconnects first.
// - Nothing throws across a thread boundary: background threads catch Error and report it.
//
// Thread contract: value types, no shared state.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace lockscope::redis {

enum class ErrorKind {
    InvalidArgument,  // bad URL, bad option, a caller mistake: nothing was sent
    Connect,          // could not connect (refused, unreachable, DNS)
    Tls,              // the TLS handshake failed: certificate, host name, client certificate, ...
    Ssh,              // the SSH tunnel failed: bastion unreachable, host key, login, forwarding
    Timeout,          // connect or command timeout elapsed
    Closed,           // the server closed the connection (EOF)
    Io,               // any other socket error
    Protocol,         // the reply could not be parsed, or had an unexpected type
    Auth,             // AUTH failed or was required (WRONGPASS, NOAUTH)
    NoPermission,     // ACL denied the command or key (NOPERM)
    UnknownCommand,   // command renamed or disabled on this server
    WrongType,        // WRONGTYPE: the key holds another type
    NoScript,         // NOSCRIPT: EVALSHA of a script the server does not know
    Redirect,         // MOVED / ASK from a cluster node
    Busy,             // BUSY / LOADING / MASTERDOWN: the server cannot serve now
    ReadOnly,         // READONLY: a write sent to a replica
    Server,           // any other error reply
};

std::string_view errorKindName(ErrorKind kind);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }
    // True when the connection that raised it can no longer be used as is.
    bool breaksConnection() const noexcept {
        return kind_ == ErrorKind::Connect || kind_ == ErrorKind::Tls || kind_ == ErrorKind::Ssh ||
               kind_ == ErrorKind::Timeout || kind_ == ErrorKind::Closed ||
               kind_ == ErrorKind::Io || kind_ == ErrorKind::Protocol;
    }

private:
    ErrorKind kind_;
};

// Classifies a server error reply ("WRONGTYPE ...", "NOPERM ...") into an ErrorKind.
ErrorKind classifyServerError(std::string_view message);

}  // namespace lockscope::redis

// TLS under redis::Connection: an OpenSSL session on the connection's socket. hiredis 0.14 (the
// Debian 12 package, which stays) has no TLS, but its RESP reader and its context are public, so
// the connection keeps them — parsing, replies, errors, the Pipeline — and only the bytes go
// through SSL_read / SSL_write here instead of read(2) / write(2). The alternatives were a
// vendored hiredis 1.x with hiredis_ssl (a second hiredis to keep patched beside Debian's) or a
// TLS proxy process (stunnel: one more hop per round trip and a process per server). OpenSSL
// (libssl-dev) is what redis-server itself links, and gives what the errors need: which check
// failed, on which certificate, at which name.
//
// Verification is on by default: the chain against --cacert / --cacertdir or the system store,
// and the host name (DNS name, or IP address) the connection was made to — or --sni's. Failures
// are one line naming the check: unknown CA, expired, wrong host name, client certificate
// required or refused, not TLS at all (a plain port).
//
// Thread contract: a TlsStream belongs to its Connection (one thread at a time). The SSL_CTX
// cache behind it is shared and guarded.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "redis/error.h"
#include "redis/transport.h"

namespace lockscope::redis::detail {

// What one read or write came to.
struct TlsIo {
    enum class Status {
        Ok,       // `bytes` moved (a read may move 0: a TLS record that carried no data)
        Timeout,  // the socket's SO_RCVTIMEO / SO_SNDTIMEO elapsed
        Closed,   // the server closed the connection (close_notify or EOF)
        Reset,    // ECONNRESET / EPIPE
        Failed,   // anything else: `kind` and `reason` say what
    };
    Status status = Status::Ok;
    size_t bytes = 0;
    ErrorKind kind = ErrorKind::Io;
    std::string reason;
};

class TlsStream {
public:
    // The TLS handshake on `fd` (connected, blocking) for a server reached as `host`, finished
    // before `deadline`. `where` names the server in messages. Throws Error: Tls (a check failed,
    // or the server does not speak TLS there), Timeout, Closed, InvalidArgument (a CA, certificate
    // or key file that cannot be used).
    TlsStream(int fd, const TlsOptions& options, const std::string& host,
              std::chrono::steady_clock::time_point deadline, const std::string& where);
    ~TlsStream();
    TlsStream(const TlsStream&) = delete;
    TlsStream& operator=(const TlsStream&) = delete;

    TlsIo write(const char* data, size_t length);  // all of it, or why not
    TlsIo read(char* buffer, size_t capacity);
    // Received bytes OpenSSL holds already (decrypted, or read ahead): poll(2) cannot see them.
    bool pending() const;
    // Between commands, without blocking: did the server close the connection while it was idle?
    bool peerClosed();
    const TransportInfo& info() const { return info_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    TransportInfo info_;
};

}  // namespace lockscope::redis::detail

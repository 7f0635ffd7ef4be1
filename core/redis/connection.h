// One connection to one Redis server over hiredis (blocking I/O with timeouts).
//
// The server is reached as its Endpoint says: plain TCP or a unix socket; TLS on the stream
// (redis/tls.h: OpenSSL moves the bytes, hiredis's reader and context do everything else); an SSH
// tunnel through a bastion (redis/ssh_tunnel.h), TLS inside it or not. Callers never need to
// know: commands, pipelines, pub/sub and timeouts behave the same on all of them. A TLS or
// tunnelled connection makes one round trip (PING, or the AUTH / SELECT / CLIENT SETNAME it sends
// anyway) before the constructor returns, so a server that refuses the certificate or a bastion
// that refuses the forward fails here, as a connection error, not on the first command.
//
// Owns its redisContext from the moment it exists. Errors follow redis/error.h: connection
// failures and error replies throw redis::Error; after Io/Timeout/Closed the connection is broken
// and the next command reconnects (the failed command itself is never replayed).
//
// Thread contract: a Connection is used by one thread at a time; it may be moved between threads.
#pragma once

#include <chrono>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "redis/args.h"
#include "redis/reply.h"
#include "redis/script.h"
#include "redis/ssh_tunnel.h"
#include "redis/transport.h"
#include "redis/url.h"

struct redisContext;

namespace lockscope::redis {

namespace detail {
class TlsStream;
struct TlsIo;
}  // namespace detail

struct ConnectOptions {
    // Time allowed for the TCP/unix connect, and with TLS or SSH for the whole way there (tunnel,
    // handshake); 0 ms means the operating system's own limit (30 s for TLS and SSH).
    std::chrono::milliseconds connectTimeout{2000};
    // Time allowed for each reply; 0 ms means wait forever.
    std::chrono::milliseconds commandTimeout{5000};
    // CLIENT SETNAME after connecting, "" for none. An ACL user without CLIENT rights still
    // connects; nameSet() then reports false.
    std::string clientName;
    bool tcpKeepAlive = true;
    // Before a command, a connection whose last reply is at least this old checks (one poll(2))
    // whether the server closed it while it sat idle, and then reconnects instead of losing the
    // command. Between back-to-back commands the check would only shield a gap of microseconds —
    // no likelier to see a drop than the command itself — so it is skipped there (it cost 2-3% of
    // an uncontended lock cycle). 0 ms: check before every command.
    std::chrono::milliseconds peerCheckIdle{1};
};

class Pipeline;

class Connection {
public:
    // Connects, authenticates (AUTH [user] password), selects the database and names the
    // connection. Throws Error (Connect, Timeout, Auth, ...) with a message naming the endpoint.
    explicit Connection(Endpoint endpoint, ConnectOptions options = {});
    ~Connection();
    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Sends one command and returns its reply; an error reply is thrown.
    Reply command(Args args);
    Reply command(std::initializer_list<Arg> args) {
        return command(Args(args.begin(), args.size()));
    }
    // As command(), but an error reply is returned as a value (for probing what is allowed).
    Reply raw(Args args);
    Reply raw(std::initializer_list<Arg> args) { return raw(Args(args.begin(), args.size())); }

    // EVALSHA, falling back to EVAL (which also loads the script) when the server answers
    // NOSCRIPT. An error reply of the script is thrown.
    Reply eval(const Script& script, Args keys, Args argv);
    Reply eval(const Script& script, std::initializer_list<Arg> keys,
               std::initializer_list<Arg> argv) {
        return eval(script, Args(keys.begin(), keys.size()), Args(argv.begin(), argv.size()));
    }
    // SCRIPT LOAD unless this connection already knows the server has the script.
    void ensureScriptLoaded(const Script& script);

    // Fan-out across several connections: send() writes the command out at once and returns;
    // receive() reads the next pending reply (errors as values). Sending to N servers and then
    // receiving from each costs about one round trip instead of N.
    void send(Args args);
    void send(std::initializer_list<Arg> args) { send(Args(args.begin(), args.size())); }
    // EVALSHA; the script is loaded first (one extra round trip per connection lifetime).
    void sendEval(const Script& script, Args keys, Args argv);
    void sendEval(const Script& script, std::initializer_list<Arg> keys,
                  std::initializer_list<Arg> argv) {
        sendEval(script, Args(keys.begin(), keys.size()), Args(argv.begin(), argv.size()));
    }
    Reply receive();
    // Waits up to `timeout` for a reply (pub/sub messages); nullopt when none arrived. A timeout
    // here does not break the connection; a lost connection throws Closed (never reconnects,
    // which would drop the subscriptions).
    std::optional<Reply> receiveFor(std::chrono::milliseconds timeout);

    Pipeline pipeline();

    void setCommandTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds commandTimeout() const { return options_.commandTimeout; }
    const Endpoint& endpoint() const { return endpoint_; }
    const ConnectOptions& options() const { return options_; }
    bool broken() const { return ctx_ == nullptr; }
    bool nameSet() const { return nameSet_; }
    // What the connection runs over (TLS version and verification, the SSH tunnel), as of its
    // last successful connect.
    const TransportInfo& transport() const { return transport_; }
    // Drops the socket and connects again (throws like the constructor).
    void reconnect();
    // Closes the socket; the next command reconnects.
    void disconnect();

private:
    friend class Pipeline;
    struct ContextDeleter {
        void operator()(redisContext* c) const;
    };

    void connectNow();
    void dropStream();
    void ensureConnected();
    bool dueForPeerCheck() const;
    bool peerHasClosed() const;
    void append(Args args);
    void flush();
    Reply readReply();
    [[noreturn]] void failFromContext(int savedErrno, std::string_view during);
    [[noreturn]] void failFromTls(const detail::TlsIo& io, std::string_view during);
    // A closed or reset stream: what the tunnel or the transport can tell about it.
    [[noreturn]] void failClosed(std::string what, std::string_view during);
    void noteScriptReply(const ReplyView& reply, const std::string& sha);

    Endpoint endpoint_;
    ConnectOptions options_;
    std::optional<SshForward> tunnel_;  // kept across reconnects: it outlives the stream
    std::unique_ptr<redisContext, ContextDeleter> ctx_;
    std::unique_ptr<detail::TlsStream> tls_;  // over ctx_'s socket; destroyed before it
    TransportInfo transport_;
    std::unordered_set<std::string> loadedScripts_;  // SHA-1s this server is known to have
    // One entry per reply still to be read after send()/sendEval(): true for an internal
    // SCRIPT LOAD whose reply receive() consumes itself.
    std::deque<bool> pendingInternal_;
    size_t inFlight_ = 0;  // replies of sent, not yet collected pipelines
    std::string scratch_;  // one command's RESP, reused
    std::chrono::steady_clock::time_point lastReply_{};  // kept only when peerCheckIdle > 0
    bool nameSet_ = false;
    bool answered_ = false;  // a reply arrived since the last connect
};

// Commands queued on one connection and sent in one write; exec() returns every reply in order,
// error replies as values (one failing command must not hide the others' replies).
class Pipeline {
public:
    explicit Pipeline(Connection& connection) : connection_(&connection) {}
    Pipeline& add(Args args);
    Pipeline& add(std::initializer_list<Arg> args) { return add(Args(args.begin(), args.size())); }
    // EVALSHA; loads the script first if this connection has not seen it yet.
    Pipeline& eval(const Script& script, Args keys, Args argv);
    size_t size() const { return queued_; }
    // send() + collect().
    std::vector<Reply> exec();
    // Writes the queued commands out without waiting for their replies, so the server can work
    // on them while the caller does something else; collect() reads them. Several pipelines may
    // be in flight on one connection: collect them in the order they were sent. No other command
    // may be sent on the connection meanwhile.
    void send();
    std::vector<Reply> collect();

private:
    Connection* connection_;
    std::vector<bool> internal_;  // per queued reply: an internal SCRIPT LOAD, not the caller's
    size_t queued_ = 0;
    bool sent_ = false;
};

}  // namespace lockscope::redis

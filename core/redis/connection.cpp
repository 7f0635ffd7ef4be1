#include "redis/connection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>

#include "redis/error.h"
#include "redis/tls.h"

namespace lockscope::redis {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// With TLS or SSH and no connect timeout, the way there still ends somewhere.
constexpr milliseconds kUnboundedTransportTimeout{30000};
// How long a connection that lost its tunnel waits for the dying ssh to say why.
constexpr milliseconds kTunnelPostMortem{300};

milliseconds leftUntil(Steady::time_point deadline) {
    return std::max(milliseconds(1),
                    std::chrono::duration_cast<milliseconds>(deadline - Steady::now()));
}

timeval toTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

// hiredis writes with write(2) (and OpenSSL's socket BIO too): a peer that closed the socket
// raises SIGPIPE, whose default action kills the process. A program that left it at the default
// gets it ignored, once, for the whole process. One that installed a handler of its own (Qt Test
// does: it reports the signal and aborts) keeps it, and every write of ours is shielded instead.
std::atomic<bool> sigpipeIgnored{false};

void ignoreSigpipeOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction current {};
        if (sigaction(SIGPIPE, nullptr, &current) != 0) return;
        if (current.sa_handler == SIG_DFL) {
            std::signal(SIGPIPE, SIG_IGN);
            sigpipeIgnored = true;
        } else if (current.sa_handler == SIG_IGN) {
            sigpipeIgnored = true;
        }
    });
}

// While it lives, a SIGPIPE our own write raises in this thread is kept from the process's handler:
// blocked, then taken off the pending set before the thread's mask is restored. (A write raises it
// in the writing thread, so no other thread sees it.) Costs nothing where SIGPIPE is ignored.
class SigpipeShield {
public:
    SigpipeShield() {
        if (sigpipeIgnored.load(std::memory_order_relaxed)) return;
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        alreadyPending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
        active_ = pthread_sigmask(SIG_BLOCK, &pipe_, &saved_) == 0;
    }
    ~SigpipeShield() {
        if (!active_) return;
        sigset_t pending;
        sigemptyset(&pending);
        if (!alreadyPending_ && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
            const timespec now{};
            while (sigtimedwait(&pipe_, nullptr, &now) < 0 && errno == EINTR) {}
        }
        pthread_sigmask(SIG_SETMASK, &saved_, nullptr);
    }
    SigpipeShield(const SigpipeShield&) = delete;
    SigpipeShield& operator=(const SigpipeShield&) = delete;

private:
    sigset_t pipe_{};
    sigset_t saved_{};
    bool alreadyPending_ = false;
    bool active_ = false;
};

// RESP for one command, appended to `out`: *<n>\r\n then $<len>\r\n<bytes>\r\n per argument.
// Done here rather than by hiredis's sdscatfmt-based formatter, which was a third of the client's
// instructions when inspecting a large keyspace (callgrind).
void formatCommand(std::string& out, Args args) {
    // Sized first, then written in place: one allocation at most, no per-character appends.
    auto digitsOf = [](size_t n) {
        size_t d = 1;
        while (n >= 10) {
            n /= 10;
            ++d;
        }
        return d;
    };
    size_t total = 1 + digitsOf(args.size()) + 2;
    for (const auto& a : args) {
        const size_t len = a.view().size();
        total += 1 + digitsOf(len) + 2 + len + 2;
    }
    const size_t start = out.size();
    out.resize(start + total);
    char* p = out.data() + start;
    auto number = [&](char prefix, size_t n) {
        *p++ = prefix;
        p = std::to_chars(p, p + 20, n).ptr;
        *p++ = '\r';
        *p++ = '\n';
    };
    number('*', args.size());
    for (const auto& a : args) {
        auto v = a.view();
        number('$', v.size());
        // An empty argument may be a view with no data at all: memcpy(p, nullptr, 0) is
        // undefined (UBSan: "null pointer passed as argument 2").
        if (!v.empty()) std::memcpy(p, v.data(), v.size());
        p += v.size();
        *p++ = '\r';
        *p++ = '\n';
    }
}

Command evalshaCommand(const Script& script, Args keys, Args argv) {
    Command cmd{"EVALSHA", script.sha1(), keys.size()};
    for (const auto& k : keys) cmd << k;
    for (const auto& a : argv) cmd << a;
    return cmd;
}

}  // namespace

void Connection::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

Connection::Connection(Endpoint endpoint, ConnectOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {
    ignoreSigpipeOnce();
    connectNow();
}

Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

void Connection::dropStream() {
    tls_.reset();  // before the socket it runs on
    ctx_.reset();
}

void Connection::connectNow() {
    const SigpipeShield shield;  // the TLS handshake writes too
    dropStream();
    loadedScripts_.clear();
    pendingInternal_.clear();
    inFlight_ = 0;
    nameSet_ = false;
    answered_ = false;

    const bool tcp = endpoint_.transport == Endpoint::Transport::Tcp;
    const bool tunnelled = tcp && endpoint_.ssh.enabled();
    const bool tls = tcp && endpoint_.tls.enabled;
    const bool bounded = options_.connectTimeout.count() > 0;
    const auto deadline =
        Steady::now() + (bounded ? options_.connectTimeout : kUnboundedTransportTimeout);
    auto openTunnel = [&] {
        try {
            // The new forward before the old one goes: an SSH connection is not closed and
            // opened again for a reconnect.
            tunnel_ = openSshForward(endpoint_.ssh, endpoint_.tcp, leftUntil(deadline));
        } catch (const Error& e) {
            throw Error(e.kind(), endpoint_.display() + ": " + e.what());
        }
    };
    if (tunnelled) openTunnel();

    redisContext* raw = nullptr;
    const timeval tv = toTimeval(tunnelled ? leftUntil(deadline) : options_.connectTimeout);
    if (tunnelled) {
        raw = redisConnectUnixWithTimeout(tunnel_->socketPath.c_str(), tv);
        if (raw && raw->err) {
            // Nobody listens on the forward's socket: its ssh died a moment ago (not reaped
            // yet when the forward was handed out). Once more, through a new SSH connection.
            redisFree(raw);
            raw = nullptr;
            sshForwardBroken(*tunnel_, kTunnelPostMortem);
            openTunnel();
            raw = redisConnectUnixWithTimeout(tunnel_->socketPath.c_str(),
                                              toTimeval(leftUntil(deadline)));
        }
    } else if (!tcp) {
        raw = bounded ? redisConnectUnixWithTimeout(endpoint_.unixPath.c_str(), tv)
                      : redisConnectUnix(endpoint_.unixPath.c_str());
    } else {
        raw = bounded ? redisConnectWithTimeout(endpoint_.tcp.host.c_str(), endpoint_.tcp.port, tv)
                      : redisConnect(endpoint_.tcp.host.c_str(), endpoint_.tcp.port);
    }
    int savedErrno = errno;
    std::unique_ptr<redisContext, ContextDeleter> ctx(raw);
    if (!ctx) throw Error(ErrorKind::Io, "cannot allocate a connection to " + endpoint_.display());
    if (ctx->err) {
        std::string why = ctx->errstr;
        if (tunnelled)
            throw Error(ErrorKind::Ssh, "cannot connect to " + endpoint_.display() +
                                            " through the SSH tunnel via " + tunnel_->bastion +
                                            ": " + why);
        bool timedOut = savedErrno == ETIMEDOUT || savedErrno == EINPROGRESS ||
                        why.find("timed out") != std::string::npos;
        if (timedOut)
            throw Error(ErrorKind::Timeout, "cannot connect to " + endpoint_.display() +
                                                ": no answer within " +
                                                std::to_string(options_.connectTimeout.count()) +
                                                " ms — is the host reachable?");
        throw Error(ErrorKind::Connect, "cannot connect to " + endpoint_.display() + ": " + why +
                                            " — is redis-server running there?");
    }
    if (options_.tcpKeepAlive && tcp && !tunnelled) redisEnableKeepAlive(ctx.get());
    ctx_ = std::move(ctx);
    if (tls) {
        try {
            tls_ = std::make_unique<detail::TlsStream>(ctx_->fd, endpoint_.tls, endpoint_.tcp.host,
                                                       deadline, endpoint_.display());
        } catch (const Error& e) {
            dropStream();
            // Through a tunnel, a stream closed at once is usually the bastion's doing.
            if (tunnel_ && e.kind() == ErrorKind::Tls) {
                const std::string why = sshForwardProblem(*tunnel_, kTunnelPostMortem);
                if (!why.empty()) throw Error(ErrorKind::Ssh, endpoint_.display() + ": " + why);
            }
            throw;
        }
    }
    setCommandTimeout(options_.commandTimeout);
    transport_ = tls_ ? tls_->info() : TransportInfo{};
    if (tunnel_ && tunnelled) {
        transport_.ssh = tunnel_->bastion;
        transport_.tunnelId = tunnel_->tunnelId;
        transport_.sshPid = tunnel_->sshPid;
    }

    // Handshake, pipelined: AUTH, SELECT and CLIENT SETNAME cost one round trip together.
    Pipeline handshake(*this);
    int authAt = -1, selectAt = -1, nameAt = -1;
    if (!endpoint_.password.empty()) {
        authAt = static_cast<int>(handshake.size());
        if (endpoint_.user.empty())
            handshake.add({"AUTH", endpoint_.password});
        else
            handshake.add({"AUTH", endpoint_.user, endpoint_.password});
    }
    if (endpoint_.db != 0) {
        selectAt = static_cast<int>(handshake.size());
        handshake.add({"SELECT", endpoint_.db});
    }
    if (!options_.clientName.empty()) {
        nameAt = static_cast<int>(handshake.size());
        handshake.add({"CLIENT", "SETNAME", options_.clientName});
    }
    // TLS and tunnels: one round trip in any case, so that what only shows on the first read (a
    // TLS 1.3 server refusing the missing client certificate, a bastion refusing the forward)
    // fails the connect.
    int pingAt = -1;
    if (handshake.size() == 0 && (tls_ || tunnel_)) {
        pingAt = 0;
        handshake.add({"PING"});
    }
    if (handshake.size() == 0) return;
    std::vector<Reply> replies = handshake.exec();
    auto failHandshake = [&](ErrorKind kind, std::string message) {
        dropStream();
        throw Error(kind, std::move(message));
    };
    if (pingAt >= 0 && replies[pingAt].isError() &&
        classifyServerError(replies[pingAt].errorMessage()) == ErrorKind::Auth)
        failHandshake(ErrorKind::Auth, endpoint_.display() + " requires a password: " +
                                           std::string(replies[pingAt].errorMessage()) +
                                           " — put it in the URL or LOCKSCOPE_PASSWORD");
    if (authAt >= 0 && replies[authAt].isError()) {
        std::string who =
            endpoint_.user.empty() ? "the default user" : "user '" + endpoint_.user + "'";
        failHandshake(ErrorKind::Auth, "authentication as " + who + " failed at " +
                                           endpoint_.display() + ": " +
                                           std::string(replies[authAt].errorMessage()) +
                                           " — check the user and password (URL or "
                                           "LOCKSCOPE_PASSWORD)");
    }
    if (selectAt >= 0 && replies[selectAt].isError()) {
        auto msg = std::string(replies[selectAt].errorMessage());
        // A database this user may not select (NOPERM) is a permission problem of the connection,
        // like a wrong password; a server that cannot serve now (BUSY, LOADING) is busy; only a
        // database the server does not have is a usage error.
        const auto kind = classifyServerError(msg);
        failHandshake(kind == ErrorKind::Auth || kind == ErrorKind::NoPermission ? ErrorKind::Auth
                      : kind == ErrorKind::Busy                                  ? ErrorKind::Busy
                                                : ErrorKind::InvalidArgument,
                      "cannot select database " + std::to_string(endpoint_.db) + " at " +
                          endpoint_.display() + ": " + msg);
    }
    if (nameAt >= 0) {
        if (replies[nameAt].isError()) {
            auto msg = std::string(replies[nameAt].errorMessage());
            // NOAUTH is fatal; a missing CLIENT permission or a renamed CLIENT command is not.
            if (classifyServerError(msg) == ErrorKind::Auth)
                failHandshake(ErrorKind::Auth, endpoint_.display() +
                                                   " requires a password: " + msg +
                                                   " — put it in the URL or LOCKSCOPE_PASSWORD");
        } else {
            nameSet_ = true;
        }
    }
}

void Connection::ensureConnected() {
    // Only between commands: never with queued output or replies still to read.
    if (ctx_ && pendingInternal_.empty() && inFlight_ == 0 && sdslen(ctx_->obuf) == 0 &&
        dueForPeerCheck() && peerHasClosed())
        dropStream();
    if (!ctx_) connectNow();
}

bool Connection::dueForPeerCheck() const {
    return options_.peerCheckIdle.count() <= 0 ||
           std::chrono::steady_clock::now() - lastReply_ >= options_.peerCheckIdle;
}

// A server that restarted or dropped us while the connection sat idle has left an EOF in the
// socket. Seen before sending, it costs nothing to reconnect: no command was lost. (One poll(2)
// with zero timeout per command.)
bool Connection::peerHasClosed() const {
    if (tls_) return tls_->peerClosed();
    pollfd pfd{ctx_->fd, POLLIN, 0};
    if (::poll(&pfd, 1, 0) <= 0) return false;
    if (pfd.revents & (POLLHUP | POLLERR)) return true;
    char byte;
    return ::recv(ctx_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

void Connection::reconnect() { connectNow(); }

void Connection::disconnect() {
    dropStream();
    pendingInternal_.clear();
    inFlight_ = 0;
}

void Connection::setCommandTimeout(std::chrono::milliseconds timeout) {
    options_.commandTimeout = timeout;
    if (ctx_) redisSetTimeout(ctx_.get(), toTimeval(timeout));  // {0,0} = no timeout
}

void Connection::failFromContext(int savedErrno, std::string_view during) {
    const int err = ctx_ ? ctx_->err : REDIS_ERR_OTHER;
    std::string why = ctx_ ? ctx_->errstr : "not connected";
    dropStream();  // the stream is out of step now: never reuse it
    pendingInternal_.clear();
    inFlight_ = 0;
    std::string where = endpoint_.display() + " (" + std::string(during) + ")";
    if (err == REDIS_ERR_EOF) failClosed("the server closed the connection", during);
    if (err == REDIS_ERR_PROTOCOL) throw Error(ErrorKind::Protocol, where + ": " + why);
    if (err == REDIS_ERR_IO) {
        if (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || savedErrno == ETIMEDOUT)
            throw Error(ErrorKind::Timeout, where + ": no reply within " +
                                                std::to_string(options_.commandTimeout.count()) +
                                                " ms");
        if (savedErrno == ECONNRESET || savedErrno == EPIPE)
            failClosed("connection reset by the server", during);
    }
    throw Error(ErrorKind::Io, where + ": " + why);
}

void Connection::failFromTls(const detail::TlsIo& io, std::string_view during) {
    dropStream();
    pendingInternal_.clear();
    inFlight_ = 0;
    const std::string where = endpoint_.display() + " (" + std::string(during) + ")";
    using S = detail::TlsIo::Status;
    switch (io.status) {
        case S::Timeout:
            throw Error(ErrorKind::Timeout, where + ": no reply within " +
                                                std::to_string(options_.commandTimeout.count()) +
                                                " ms");
        case S::Closed:
            failClosed("the server closed the connection", during);
        case S::Reset:
            failClosed("connection reset by the server", during);
        case S::Ok:
        case S::Failed:
            break;
    }
    throw Error(io.kind, where + ": " + io.reason);
}

void Connection::failClosed(std::string what, std::string_view during) {
    const std::string where = endpoint_.display() + " (" + std::string(during) + ")";
    if (tunnel_ && endpoint_.ssh.enabled()) {
        // The tunnel's end, or the bastion's refusal, explains it better than the EOF does.
        const std::string why = sshForwardProblem(*tunnel_, kTunnelPostMortem);
        if (!why.empty())
            throw Error(answered_ ? ErrorKind::Closed : ErrorKind::Ssh, where + ": " + why);
    } else if (!answered_ && !endpoint_.tls.enabled &&
               endpoint_.transport == Endpoint::Transport::Tcp) {
        // A TLS port drops a plain client at its first bytes.
        what += " before answering — if this is a TLS port, connect with rediss:// or --tls";
    }
    throw Error(ErrorKind::Closed, where + ": " + what);
}

void Connection::append(Args args) {
    if (args.empty()) throw Error(ErrorKind::InvalidArgument, "empty command");
    ensureConnected();
    scratch_.clear();
    formatCommand(scratch_, args);
    if (redisAppendFormattedCommand(ctx_.get(), scratch_.data(), scratch_.size()) != REDIS_OK)
        failFromContext(errno, "queueing a command");
}

void Connection::flush() {
    const SigpipeShield shield;
    if (tls_) {
        const size_t length = sdslen(ctx_->obuf);
        if (length == 0) return;
        const detail::TlsIo io = tls_->write(ctx_->obuf, length);
        if (io.status != detail::TlsIo::Status::Ok) failFromTls(io, "sending");
        // sdsclear() itself: hiredis 0.14's sds.h declares it without extern "C".
        sdssetlen(ctx_->obuf, 0);
        ctx_->obuf[0] = '\0';
        return;
    }
    int done = 0;
    while (!done) {
        if (redisBufferWrite(ctx_.get(), &done) != REDIS_OK) failFromContext(errno, "sending");
    }
}

Reply Connection::readReply() {
    if (!ctx_) throw Error(ErrorKind::Closed, endpoint_.display() + ": no connection to read from");
    void* out = nullptr;
    const SigpipeShield shield;  // redisGetReply (or flush()) first sends what is queued
    if (tls_) {
        // redisGetReply's loop, with SSL_read in place of read(2): hiredis's reader parses.
        // Like redisGetReply, send what raw() queued first.
        flush();
        char buffer[16 * 1024];
        while (true) {
            if (redisGetReplyFromReader(ctx_.get(), &out) != REDIS_OK)
                failFromContext(errno, "parsing a reply");
            if (out) break;
            const detail::TlsIo io = tls_->read(buffer, sizeof buffer);
            if (io.status != detail::TlsIo::Status::Ok) failFromTls(io, "waiting for a reply");
            if (io.bytes > 0 && redisReaderFeed(ctx_->reader, buffer, io.bytes) != REDIS_OK)
                failFromContext(errno, "parsing a reply");
        }
    } else {
        errno = 0;
        if (redisGetReply(ctx_.get(), &out) != REDIS_OK || out == nullptr)
            failFromContext(errno, "waiting for a reply");
    }
    answered_ = true;
    if (options_.peerCheckIdle.count() > 0) lastReply_ = std::chrono::steady_clock::now();
    return Reply(static_cast<redisReply*>(out));
}

Reply Connection::raw(Args args) {
    if (!pendingInternal_.empty() || inFlight_ != 0)
        throw Error(
            ErrorKind::InvalidArgument,
            "a command was issued while sent replies are still pending; receive() them first");
    append(args);
    return readReply();
}

Reply Connection::command(Args args) {
    Reply reply = raw(args);
    reply.throwIfError();
    return reply;
}

void Connection::noteScriptReply(const ReplyView& reply, const std::string& sha) {
    if (reply.isError() && classifyServerError(reply.errorMessage()) == ErrorKind::NoScript)
        loadedScripts_.erase(sha);
    else
        loadedScripts_.insert(sha);
}

Reply Connection::eval(const Script& script, Args keys, Args argv) {
    Reply reply = raw(evalshaCommand(script, keys, argv));
    if (reply.isError() && classifyServerError(reply.errorMessage()) == ErrorKind::NoScript) {
        loadedScripts_.erase(script.sha1());
        Command cmd{"EVAL", script.source(), keys.size()};
        for (const auto& k : keys) cmd << k;
        for (const auto& a : argv) cmd << a;
        reply = raw(cmd);
    }
    // A script that raised an error was still compiled and loaded by the server.
    if (!reply.isError() || classifyServerError(reply.errorMessage()) != ErrorKind::NoScript)
        loadedScripts_.insert(script.sha1());
    if (reply.isError()) {
        // Redis 7 reports an error from a command inside a script as "<error> script: <sha>, on
        // @user_script:N.": the SHA and line mean nothing to a reader.
        std::string m(reply.errorMessage());
        if (const auto at = m.find(" script: ");
            at != std::string::npos && m.find("@user_script:", at) != std::string::npos)
            m.erase(at);
        const ErrorKind kind = classifyServerError(m);
        // A replica refuses the script's first write: nothing was written.
        if (kind == ErrorKind::ReadOnly)
            throw Error(kind, "READONLY: " + endpoint_.display() +
                                  " is a read-only replica; connect to the master (nothing "
                                  "changed)");
        throw Error(kind, m);
    }
    return reply;
}

void Connection::ensureScriptLoaded(const Script& script) {
    ensureConnected();
    if (loadedScripts_.count(script.sha1())) return;
    Reply reply = command({"SCRIPT", "LOAD", script.source()});
    if (reply.str() != script.sha1())
        throw Error(ErrorKind::Protocol,
                    "SCRIPT LOAD answered " + reply.describe() + ", expected " + script.sha1());
    loadedScripts_.insert(script.sha1());
}

void Connection::send(Args args) {
    append(args);
    pendingInternal_.push_back(false);
    flush();
}

void Connection::sendEval(const Script& script, Args keys, Args argv) {
    ensureConnected();
    if (!loadedScripts_.count(script.sha1())) {
        append(std::initializer_list<Arg>{"SCRIPT", "LOAD", script.source()});
        pendingInternal_.push_back(true);
        loadedScripts_.insert(script.sha1());  // confirmed (or undone) by receive()
    }
    append(evalshaCommand(script, keys, argv));
    pendingInternal_.push_back(false);
    flush();
}

Reply Connection::receive() {
    while (!pendingInternal_.empty() && pendingInternal_.front()) {
        pendingInternal_.pop_front();
        Reply load = readReply();
        if (load.isError()) loadedScripts_.clear();  // the EVALSHA after it will say NOSCRIPT
    }
    if (!pendingInternal_.empty()) pendingInternal_.pop_front();
    Reply reply = readReply();
    if (reply.isError() && classifyServerError(reply.errorMessage()) == ErrorKind::NoScript)
        loadedScripts_.clear();
    return reply;
}

std::optional<Reply> Connection::receiveFor(std::chrono::milliseconds timeout) {
    // Never reconnect here: a new connection would silently have lost the subscriptions this
    // one is waiting on. The caller sees Closed and subscribes again.
    if (!ctx_)
        throw Error(ErrorKind::Closed,
                    endpoint_.display() + ": connection lost while waiting for messages");
    void* out = nullptr;
    if (redisGetReplyFromReader(ctx_.get(), &out) != REDIS_OK) failFromContext(errno, "parsing");
    if (out) return Reply(static_cast<redisReply*>(out));
    const auto deadline = Steady::now() + timeout;
    auto waitReadable = [&] {
        pollfd pfd{ctx_->fd, POLLIN, 0};
        int ready = 0;
        do {
            const auto left = std::chrono::duration_cast<milliseconds>(deadline - Steady::now());
            ready = ::poll(&pfd, 1, static_cast<int>(std::max<long long>(0, left.count())));
        } while (ready < 0 && errno == EINTR);
        if (ready < 0) failFromContext(errno, "waiting for a message");
        return ready > 0;
    };
    if (!tls_) return waitReadable() ? std::optional<Reply>(readReply()) : std::nullopt;
    // TLS: bytes OpenSSL already holds are invisible to poll(2), and a readable socket may carry
    // a record without data (a session ticket): read only what is there, keep the partial reply
    // in the reader, and wait again.
    char buffer[16 * 1024];
    while (true) {
        if (!tls_->pending() && !waitReadable()) return std::nullopt;
        const detail::TlsIo io = tls_->read(buffer, sizeof buffer);
        if (io.status != detail::TlsIo::Status::Ok) failFromTls(io, "waiting for a message");
        if (io.bytes > 0 && redisReaderFeed(ctx_->reader, buffer, io.bytes) != REDIS_OK)
            failFromContext(errno, "parsing a message");
        if (redisGetReplyFromReader(ctx_.get(), &out) != REDIS_OK)
            failFromContext(errno, "parsing a message");
        if (out) {
            answered_ = true;
            return Reply(static_cast<redisReply*>(out));
        }
    }
}

Pipeline Connection::pipeline() { return Pipeline(*this); }

Pipeline& Pipeline::add(Args args) {
    connection_->append(args);
    internal_.push_back(false);
    ++queued_;
    return *this;
}

Pipeline& Pipeline::eval(const Script& script, Args keys, Args argv) {
    connection_->ensureConnected();
    if (!connection_->loadedScripts_.count(script.sha1())) {
        connection_->append(std::initializer_list<Arg>{"SCRIPT", "LOAD", script.source()});
        internal_.push_back(true);
        connection_->loadedScripts_.insert(script.sha1());
    }
    connection_->append(evalshaCommand(script, keys, argv));
    internal_.push_back(false);
    ++queued_;
    return *this;
}

std::vector<Reply> Pipeline::exec() {
    send();
    return collect();
}

void Pipeline::send() {
    if (sent_) throw Error(ErrorKind::InvalidArgument, "pipeline sent twice");
    sent_ = true;
    if (internal_.empty()) return;
    connection_->flush();
    connection_->inFlight_ += internal_.size();
}

std::vector<Reply> Pipeline::collect() {
    if (!sent_) send();
    std::vector<Reply> replies;
    replies.reserve(queued_);
    for (bool internal : internal_) {
        --connection_->inFlight_;
        Reply reply = connection_->readReply();
        if (internal) {
            if (reply.isError()) connection_->loadedScripts_.clear();
            continue;
        }
        // SCRIPT FLUSH by someone else: forget what we thought was loaded, so the next eval
        // on this connection loads its script again.
        if (reply.isError() && classifyServerError(reply.errorMessage()) == ErrorKind::NoScript)
            connection_->loadedScripts_.clear();
        replies.push_back(std::move(reply));
    }
    internal_.clear();
    queued_ = 0;
    sent_ = false;
    return replies;
}

}  // namespace lockscope::redis

#include "redis/tls.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace lockscope::redis::detail {
namespace {

using Steady = std::chrono::steady_clock;

struct CtxDeleter {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslDeleter {
    void operator()(SSL* s) const { SSL_free(s); }
};
struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct KeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// What the callbacks learn during one handshake, for the error message.
struct Notes {
    int verifyError = X509_V_OK;  // the first check that failed
    int depth = 0;
    std::string subject, issuer, notBefore, notAfter, names;
    bool certificateRequested = false;  // the server asked for a client certificate we lack
};

int notesIndex() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

std::string openSslReason(unsigned long code) {
    if (code == 0) return {};
    const char* r = ERR_reason_error_string(code);
    return r ? r : "error " + std::to_string(code);
}

std::string lastOpenSslError() {
    unsigned long code = 0, last = 0;
    while ((code = ERR_get_error()) != 0) last = code;
    return openSslReason(last);
}

std::string nameText(const X509_NAME* name) {
    if (!name) return {};
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::string timeText(const ASN1_TIME* t) {
    if (!t) return {};
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    ASN1_TIME_print(bio.get(), t);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

// "DNS:localhost, IP:127.0.0.1" — the names a certificate is valid for.
std::string certificateNames(X509* cert) {
    std::string out;
    auto* names =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (names) {
        for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
            std::string item;
            if (n->type == GEN_DNS) {
                const ASN1_IA5STRING* s = n->d.dNSName;
                item = "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                            static_cast<size_t>(ASN1_STRING_length(s)));
            } else if (n->type == GEN_IPADD) {
                const ASN1_OCTET_STRING* s = n->d.iPAddress;
                char text[INET6_ADDRSTRLEN] = "?";
                const int len = ASN1_STRING_length(s);
                if (len == 4 || len == 16)
                    ::inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(s), text,
                                sizeof text);
                item = std::string("IP:") + text;
            }
            if (!item.empty()) out += (out.empty() ? "" : ", ") + item;
        }
        GENERAL_NAMES_free(names);
    }
    if (out.empty()) out = nameText(X509_get_subject_name(cert));
    return out;
}

int verifyCallback(int ok, X509_STORE_CTX* store) {
    if (ok) return ok;
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* notes = ssl ? static_cast<Notes*>(SSL_get_ex_data(ssl, notesIndex())) : nullptr;
    if (notes && notes->verifyError == X509_V_OK) {
        notes->verifyError = X509_STORE_CTX_get_error(store);
        notes->depth = X509_STORE_CTX_get_error_depth(store);
        if (X509* cert = X509_STORE_CTX_get_current_cert(store)) {
            notes->subject = nameText(X509_get_subject_name(cert));
            notes->issuer = nameText(X509_get_issuer_name(cert));
            notes->notBefore = timeText(X509_get0_notBefore(cert));
            notes->notAfter = timeText(X509_get0_notAfter(cert));
            notes->names = certificateNames(cert);
        }
    }
    return ok;  // fail the handshake: the message is built from the notes afterwards
}

// Called when the server asks for a client certificate and none is configured.
int clientCertCallback(SSL* ssl, X509**, EVP_PKEY**) {
    if (auto* notes = static_cast<Notes*>(SSL_get_ex_data(ssl, notesIndex())))
        notes->certificateRequested = true;
    return 0;  // none: the server decides (tls-auth-clients optional lets us in)
}

// Hands OpenSSL the key's passphrase; never lets it prompt on a terminal.
int passphraseCallback(char* buf, int size, int, void* user) {
    const auto* passphrase = static_cast<const std::string*>(user);
    if (!passphrase || passphrase->empty() || static_cast<int>(passphrase->size()) > size) return 0;
    std::memcpy(buf, passphrase->data(), passphrase->size());
    return static_cast<int>(passphrase->size());
}

[[noreturn]] void badFile(const std::string& what) {
    ERR_clear_error();
    throw Error(ErrorKind::InvalidArgument, what);
}

std::shared_ptr<SSL_CTX> buildContext(const TlsOptions& o) {
    std::unique_ptr<SSL_CTX, CtxDeleter> ctx(SSL_CTX_new(TLS_client_method()));
    if (!ctx) throw Error(ErrorKind::Tls, "cannot create a TLS context: " + lastOpenSslError());
    SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
    // Read ahead: a reply is one read(2) instead of one for the record header and one for its
    // body (callers check pending() before they poll). Auto-retry off: a record without data
    // (a session ticket) returns to the caller instead of blocking for the next one.
    SSL_CTX_set_read_ahead(ctx.get(), 1);
    SSL_CTX_set_mode(ctx.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_clear_mode(ctx.get(), SSL_MODE_AUTO_RETRY);
    if (o.insecure) {
        SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
    } else {
        if (!o.caCert.empty() || !o.caCertDir.empty()) {
            if (SSL_CTX_load_verify_locations(
                    ctx.get(), o.caCert.empty() ? nullptr : o.caCert.c_str(),
                    o.caCertDir.empty() ? nullptr : o.caCertDir.c_str()) != 1)
                badFile("cannot use " +
                        (o.caCert.empty() ? "--cacertdir " + o.caCertDir : "--cacert " + o.caCert) +
                        " as trusted CAs: " + lastOpenSslError() + " (PEM certificates expected)");
        } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
            badFile("cannot load the system's trusted CAs: " + lastOpenSslError() +
                    " — give the server's CA with --cacert");
        }
        SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, verifyCallback);
    }
    if (!o.cert.empty()) {
        if (SSL_CTX_use_certificate_chain_file(ctx.get(), o.cert.c_str()) != 1)
            badFile("cannot use --cert " + o.cert + ": " + lastOpenSslError() +
                    " (a PEM certificate expected)");
        std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(o.key.c_str(), "r"));
        if (!bio) badFile("cannot read --key " + o.key + ": " + lastOpenSslError());
        std::unique_ptr<EVP_PKEY, KeyDeleter> key(PEM_read_bio_PrivateKey(
            bio.get(), nullptr, passphraseCallback, const_cast<std::string*>(&o.keyPassphrase)));
        if (!key)
            badFile(o.keyPassphrase.empty()
                        ? "cannot use --key " + o.key + ": " + lastOpenSslError() +
                              " (an encrypted key needs its passphrase in " +
                              kTlsKeyPassphraseVariable + ")"
                        : "cannot use --key " + o.key + ": " + lastOpenSslError() +
                              " (wrong passphrase, or not a PEM key)");
        if (SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
            SSL_CTX_check_private_key(ctx.get()) != 1)
            badFile("--key " + o.key + " is not the key of --cert " + o.cert);
    } else {
        SSL_CTX_set_client_cert_cb(ctx.get(), clientCertCallback);
    }
    return std::shared_ptr<SSL_CTX>(ctx.release(), CtxDeleter());
}

// One SSL_CTX per configuration: loading the system store or a CA file costs milliseconds, a
// connection should not pay it. Files are read once per process.
std::shared_ptr<SSL_CTX> contextFor(const TlsOptions& o) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<SSL_CTX>> cache;
    std::string key;
    for (const std::string* part : {&o.caCert, &o.caCertDir, &o.cert, &o.key, &o.keyPassphrase})
        key.append(*part).push_back('\0');
    key.push_back(o.insecure ? '1' : '0');
    std::lock_guard<std::mutex> g(mutex);
    auto& slot = cache[key];
    if (!slot) slot = buildContext(o);
    return slot;
}

void setSocketTimeout(int fd, std::chrono::milliseconds ms) {
    if (ms.count() < 1) ms = std::chrono::milliseconds(1);
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool isIpAddress(const std::string& host) {
    unsigned char buf[sizeof(in6_addr)];
    return ::inet_pton(AF_INET, host.c_str(), buf) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// The first reason on OpenSSL's error queue (the queue is cleared).
int firstReason(std::string& text) {
    const unsigned long code = ERR_peek_error();
    text = lastOpenSslError();
    return code ? ERR_GET_REASON(code) : 0;
}

bool notTlsReason(int reason) {
    return reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
           reason == SSL_R_UNKNOWN_PROTOCOL || reason == SSL_R_RECORD_LENGTH_MISMATCH ||
           reason == SSL_R_HTTP_REQUEST || reason == SSL_R_UNEXPECTED_MESSAGE;
}

bool clientCertificateRefusedReason(int reason) {
    return reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA || reason == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
           reason == SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN ||
           reason == SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED ||
           reason == SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE ||
           reason == SSL_R_TLSV1_ALERT_DECRYPT_ERROR;
}

const char* kClientCertificateRequired =
    "the server requires a client certificate (tls-auth-clients yes): give --cert and --key";

}  // namespace

struct TlsStream::Impl {
    std::shared_ptr<SSL_CTX> ctx;
    std::unique_ptr<SSL, SslDeleter> ssl;
    Notes notes;
    int fd = -1;
    bool haveCertificate = false;

    // An I/O outcome of SSL_read / SSL_write / SSL_peek that returned `r`.
    TlsIo outcome(int r, int savedErrno) {
        TlsIo io;
        const int err = SSL_get_error(ssl.get(), r);
        std::string text;
        switch (err) {
            case SSL_ERROR_ZERO_RETURN:
                io.status = TlsIo::Status::Closed;
                return io;
            case SSL_ERROR_WANT_READ:
            case SSL_ERROR_WANT_WRITE:
                // The socket's timeout (EAGAIN), or a record without data (auto-retry is off).
                io.status = savedErrno == EAGAIN || savedErrno == EWOULDBLOCK
                                ? TlsIo::Status::Timeout
                                : TlsIo::Status::Ok;
                return io;
            case SSL_ERROR_SYSCALL:
                ERR_clear_error();
                // A TLS 1.3 server that asked for the client certificate we lack may simply drop
                // the connection: our first write then meets a reset before its alert is read.
                if ((savedErrno == 0 || savedErrno == ECONNRESET || savedErrno == EPIPE) &&
                    notes.certificateRequested && !haveCertificate) {
                    io.status = TlsIo::Status::Failed;
                    io.kind = ErrorKind::Tls;
                    io.reason = kClientCertificateRequired;
                    return io;
                }
                if (savedErrno == 0) {
                    io.status = TlsIo::Status::Closed;
                } else if (savedErrno == ECONNRESET || savedErrno == EPIPE) {
                    io.status = TlsIo::Status::Reset;
                } else if (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK) {
                    io.status = TlsIo::Status::Timeout;
                } else {
                    io.status = TlsIo::Status::Failed;
                    io.reason = std::strerror(savedErrno);
                }
                return io;
            default: {
                const int reason = firstReason(text);
                if (reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
                    io.status = TlsIo::Status::Closed;
                    return io;
                }
                io.status = TlsIo::Status::Failed;
                io.kind = ErrorKind::Tls;
                // TLS 1.3 ends the handshake before the server has looked at our (missing)
                // certificate: its refusal arrives with the first reply instead.
                if (reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED ||
                    (notes.certificateRequested && !haveCertificate &&
                     reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE))
                    io.reason = kClientCertificateRequired;
                else if (haveCertificate && clientCertificateRefusedReason(reason))
                    io.reason = "the server refused the client certificate (" + text +
                                "): is --cert signed by a CA the server trusts (tls-ca-cert-file)?";
                else
                    io.reason = "TLS error: " + text;
                return io;
            }
        }
    }

    std::string verifyFailure(const std::string& name) const {
        const Notes& n = notes;
        switch (n.verifyError) {
            case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
            case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
            case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            case X509_V_ERR_CERT_UNTRUSTED:
                return "unknown CA: the server's certificate (" + n.subject + ", issued by " +
                       n.issuer +
                       ") is not signed by a CA you trust — give that CA with --cacert "
                       "(the system's trusted CAs are used without one)";
            case X509_V_ERR_CERT_HAS_EXPIRED:
                return "the server's certificate expired on " + n.notAfter + " (" + n.subject +
                       (n.depth > 0 ? ", a CA in its chain" : "") + ")";
            case X509_V_ERR_CERT_NOT_YET_VALID:
                return "the server's certificate is not valid before " + n.notBefore + " (" +
                       n.subject + "): check this machine's clock";
            case X509_V_ERR_HOSTNAME_MISMATCH:
            case X509_V_ERR_IP_ADDRESS_MISMATCH:
                return "wrong host name: the server's certificate is for " + n.names + ", not '" +
                       name + "' — connect by one of those names, or give --sni NAME";
            case X509_V_ERR_CERT_REVOKED:
                return "the server's certificate has been revoked (" + n.subject + ")";
            default:
                return "the server's certificate failed verification: " +
                       std::string(X509_verify_cert_error_string(n.verifyError)) + " (" +
                       n.subject + ")";
        }
    }
};

TlsStream::TlsStream(int fd, const TlsOptions& options, const std::string& host,
                     Steady::time_point deadline, const std::string& where)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.fd = fd;
    m.ctx = contextFor(options);
    m.haveCertificate = !options.cert.empty();
    ERR_clear_error();
    m.ssl.reset(SSL_new(m.ctx.get()));
    if (!m.ssl || SSL_set_fd(m.ssl.get(), fd) != 1)
        throw Error(ErrorKind::Tls, where + ": cannot start TLS: " + lastOpenSslError());
    SSL_set_ex_data(m.ssl.get(), notesIndex(), &m.notes);
    const std::string name = options.sni.empty() ? host : options.sni;
    const bool ip = isIpAddress(name);
    // SNI is for names only. (SSL_set_tlsext_host_name without its macro's C cast.)
    if (!ip)
        SSL_ctrl(m.ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(name.c_str()));
    if (!options.insecure) {
        const int set =
            ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(m.ssl.get()), name.c_str())
               : SSL_set1_host(m.ssl.get(), name.c_str());
        if (set != 1)
            throw Error(ErrorKind::InvalidArgument, "cannot verify the name '" + name + "'");
    }

    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    setSocketTimeout(fd, left);  // the connection sets its command timeout afterwards
    errno = 0;
    const int r = SSL_connect(m.ssl.get());
    const int savedErrno = errno;
    const std::string prefix = where + ": TLS handshake failed: ";
    if (r != 1) {
        if (m.notes.verifyError != X509_V_OK) {
            ERR_clear_error();
            throw Error(ErrorKind::Tls, prefix + m.verifyFailure(name));
        }
        const int err = SSL_get_error(m.ssl.get(), r);
        std::string text;
        const int reason = err == SSL_ERROR_SSL ? firstReason(text) : 0;
        ERR_clear_error();
        if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) &&
            (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK))
            throw Error(ErrorKind::Timeout,
                        where + ": no TLS handshake answer within " +
                            std::to_string(std::max<long long>(0, left.count())) +
                            " ms — is this a plain (non-TLS) port? Connect with redis:// and "
                            "without --tls");
        if (err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN ||
            reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            if (m.notes.certificateRequested && !m.haveCertificate)
                throw Error(ErrorKind::Tls, prefix + kClientCertificateRequired);
            throw Error(
                ErrorKind::Tls,
                prefix + "the server closed the connection" +
                    (savedErrno ? std::string(" (") + std::strerror(savedErrno) + ")" : "") +
                    " — is this a plain (non-TLS) port? Connect with redis:// and without "
                    "--tls");
        }
        if (notTlsReason(reason))
            throw Error(ErrorKind::Tls, prefix + "the server does not answer in TLS (" + text +
                                            ") — is this a plain (non-TLS) port? Connect with "
                                            "redis:// and without --tls");
        if (reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED ||
            (m.notes.certificateRequested && !m.haveCertificate))
            throw Error(ErrorKind::Tls, prefix + kClientCertificateRequired);
        if (m.haveCertificate && clientCertificateRefusedReason(reason))
            throw Error(ErrorKind::Tls,
                        prefix + "the server refused the client certificate (" + text +
                            "): is --cert signed by a CA the server trusts (tls-ca-cert-file)?");
        throw Error(ErrorKind::Tls, prefix + (text.empty() ? "unknown error" : text));
    }

    info_.tls = true;
    info_.tlsVersion = SSL_get_version(m.ssl.get());
    info_.cipher = SSL_get_cipher_name(m.ssl.get());
    info_.verified = !options.insecure && SSL_get_verify_result(m.ssl.get()) == X509_V_OK;
    if (X509* peer = SSL_get0_peer_certificate(m.ssl.get())) {
        info_.issuer = nameText(X509_get_issuer_name(peer));
        info_.serverName = info_.verified ? name : nameText(X509_get_subject_name(peer));
    }
}

TlsStream::~TlsStream() = default;

TlsIo TlsStream::write(const char* data, size_t length) {
    TlsIo io;
    while (io.bytes < length) {
        ERR_clear_error();
        errno = 0;
        const int n = SSL_write(impl_->ssl.get(), data + io.bytes,
                                static_cast<int>(std::min<size_t>(length - io.bytes, 1 << 30)));
        if (n > 0) {
            io.bytes += static_cast<size_t>(n);
            continue;
        }
        TlsIo failed = impl_->outcome(n, errno);
        if (failed.status == TlsIo::Status::Ok) continue;  // renegotiation traffic: write again
        return failed;
    }
    return io;
}

TlsIo TlsStream::read(char* buffer, size_t capacity) {
    ERR_clear_error();
    errno = 0;
    const int n = SSL_read(impl_->ssl.get(), buffer, static_cast<int>(capacity));
    if (n > 0) return TlsIo{TlsIo::Status::Ok, static_cast<size_t>(n), ErrorKind::Io, {}};
    return impl_->outcome(n, errno);
}

bool TlsStream::pending() const { return SSL_has_pending(impl_->ssl.get()) == 1; }

bool TlsStream::peerClosed() {
    if (pending()) return false;
    pollfd pfd{impl_->fd, POLLIN, 0};
    if (::poll(&pfd, 1, 0) <= 0) return false;
    if (pfd.revents & (POLLHUP | POLLERR)) return true;
    char byte;
    if (::recv(impl_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) return true;
    // TLS records arrived while idle: a close_notify, or data-less records (session tickets).
    // Let OpenSSL read them without blocking, then look for the EOF that follows a close.
    const int flags = ::fcntl(impl_->fd, F_GETFL);
    ::fcntl(impl_->fd, F_SETFL, flags | O_NONBLOCK);
    ERR_clear_error();
    errno = 0;
    const int n = SSL_peek(impl_->ssl.get(), &byte, 1);
    const int savedErrno = errno;
    ::fcntl(impl_->fd, F_SETFL, flags);
    if (n > 0) return false;
    const TlsIo io = impl_->outcome(n, savedErrno);
    if (io.status == TlsIo::Status::Timeout || io.status == TlsIo::Status::Ok)
        return ::recv(impl_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
    return true;
}

}  // namespace lockscope::redis::detail

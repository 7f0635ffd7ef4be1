// How a connection reaches its server beyond plain TCP: TLS on the stream (OpenSSL, redis/tls.h),
// an SSH tunnel through a bastion (the system's OpenSSH client, redis/ssh_tunnel.h), or both —
// TLS inside the tunnel, verified against the name of the server behind the bastion.
//
// They travel inside every redis::Endpoint, so whatever a connection is made from — a URL, a
// --nodes list, an address a Sentinel or a cluster announced (monitor/target.h), a demo worker's
// command line — reaches its server the same way, and no caller has to know.
//
// Thread contract: value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lockscope::redis {

struct TlsOptions {
    bool enabled = false;
    // CAs to trust: a PEM file (--cacert) and/or a hashed directory (--cacertdir, made with
    // `openssl rehash`). Neither: the system trust store.
    std::string caCert;
    std::string caCertDir;
    // A client certificate and its key (PEM), for servers with tls-auth-clients yes.
    std::string cert;
    std::string key;
    // For an encrypted key. Never on a command line: LOCKSCOPE_TLS_KEY_PASSPHRASE or the keychain.
    std::string keyPassphrase;
    // The server name sent (SNI) and verified; "" = the host connected to.
    std::string sni;
    // No verification of the certificate or the host name at all (--insecure): encryption without
    // knowing who is at the other end. Programs say so every time it is in force.
    bool insecure = false;

    bool operator==(const TlsOptions&) const = default;
};

struct SshOptions {
    std::string destination;  // --ssh [user@]host[:port]; "" = no tunnel
    std::string identity;     // --ssh-identity FILE; "" = ssh's own choice (agent, ~/.ssh/config)
    std::string knownHosts;   // --ssh-known-hosts FILE; "" = ssh's own (~/.ssh/known_hosts)
    // The identity's passphrase. Never on a command line: LOCKSCOPE_SSH_PASSPHRASE or the keychain.
    std::string passphrase;
    // The control socket of an SSH connection another LockScope process holds open (a demo
    // worker uses its engine's): forwards are added to it instead of logging in again. Internal.
    std::string controlPath;

    bool enabled() const { return !destination.empty(); }
    bool operator==(const SshOptions&) const = default;
};

// What a connected Connection runs over, for status bars and test-connection reports.
struct TransportInfo {
    bool tls = false;
    std::string tlsVersion;  // "TLSv1.3"
    std::string cipher;      // "TLS_AES_256_GCM_SHA384"
    bool verified = false;   // certificate chain and host name checked (false with --insecure)
    std::string serverName;  // the name verified (or, unverified, the certificate's subject)
    std::string issuer;      // the server certificate's issuer, "CN=Test CA"
    std::string ssh;         // the bastion, "root@bastion:2222"; "" = no tunnel
    long long tunnelId = 0;  // changes when the SSH connection was replaced (0 = none)
    long long sshPid = 0;    // the ssh process holding it (0 when another process holds it)

    bool any() const { return tls || !ssh.empty(); }
    // "TLSv1.3, certificate verified for localhost; SSH tunnel via root@bastion:2222", or
    // "plain TCP".
    std::string describe() const;
    bool operator==(const TransportInfo&) const = default;
};

// --ssh's "[user@]host[:port]" (IPv6 hosts in brackets). Throws Error(InvalidArgument).
struct SshDestination {
    std::string user;  // "" = ssh's default (~/.ssh/config, the local user)
    std::string host;
    int port = 0;  // 0 = ssh's default (~/.ssh/config, 22)
    std::string display() const;
};
SshDestination parseSshDestination(std::string_view text);

// The transport as lockscope-cli's own flags (--tls --cacert F ... --ssh D ...), for a worker
// process started with the same settings; secrets (passphrases) are not included — they go
// through the environment (transportEnvironment()).
std::vector<std::string> transportFlags(const TlsOptions& tls, const SshOptions& ssh);
// "NAME=value" environment entries carrying the passphrases, and their names.
std::vector<std::string> transportEnvironment(const TlsOptions& tls, const SshOptions& ssh);
inline constexpr const char* kTlsKeyPassphraseVariable = "LOCKSCOPE_TLS_KEY_PASSPHRASE";
inline constexpr const char* kSshPassphraseVariable = "LOCKSCOPE_SSH_PASSPHRASE";

// The names of the transport flags; `takesValue` false for --tls and --insecure.
struct TransportFlag {
    const char* name;  // without "--"
    bool takesValue;
};
const std::vector<TransportFlag>& transportFlagNames();
// Applies one of them (`value` ignored for --tls / --insecure); false when `name` is not one.
bool applyTransportFlag(std::string_view name, const std::string& value, TlsOptions& tls,
                        SshOptions& ssh);

// Checks a transport as a user typed it, before anything connects: files exist and are readable,
// the options make sense together (TLS options without TLS, --insecure with a CA, a bad --ssh).
// `unixSocket`: the server is a unix:// socket (neither TLS nor a tunnel applies). Throws
// Error(InvalidArgument) with a message saying what to type instead.
void validateTransport(const TlsOptions& tls, const SshOptions& ssh, bool unixSocket = false);

}  // namespace lockscope::redis

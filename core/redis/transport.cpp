#include "redis/transport.h"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

#include "redis/error.h"

namespace lockscope::redis {
namespace {

[[noreturn]] void invalid(const std::string& why) { throw Error(ErrorKind::InvalidArgument, why); }

// A file the user named must be there and readable now: later it would surface as a handshake
// failure with a less helpful message.
void checkFile(const std::string& path, const char* option, bool directory = false) {
    if (path.empty()) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        invalid(std::string(option) + " " + path + ": no such " +
                (directory ? "directory" : "file"));
    if (directory ? !S_ISDIR(st.st_mode) : S_ISDIR(st.st_mode))
        invalid(std::string(option) + " " + path + ": not a " + (directory ? "directory" : "file"));
    if (::access(path.c_str(), R_OK) != 0)
        invalid(std::string(option) + " " + path + ": not readable by this user");
}

}  // namespace

std::string TransportInfo::describe() const {
    std::string s;
    if (tls) {
        s = (tlsVersion.empty() ? std::string("TLS") : tlsVersion) + ", ";
        if (verified)
            s += "certificate verified for " + serverName;
        else
            s += "certificate NOT verified (--insecure)";
    }
    if (!ssh.empty()) {
        if (!s.empty()) s += "; ";
        s += "SSH tunnel via " + ssh;
    }
    return s.empty() ? "plain TCP" : s;
}

std::string SshDestination::display() const {
    std::string s = user.empty() ? "" : user + "@";
    s += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port) s += ":" + std::to_string(port);
    return s;
}

SshDestination parseSshDestination(std::string_view text) {
    const std::string forms = " (expected --ssh [user@]host[:port], e.g. admin@bastion.example:22)";
    auto fail = [&](const std::string& why) {
        invalid("invalid --ssh '" + std::string(text) + "': " + why + forms);
    };
    SshDestination d;
    std::string_view rest = text;
    if (rest.empty()) fail("empty");
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        d.user = std::string(rest.substr(0, at));
        if (d.user.empty()) fail("empty user before '@'");
        rest = rest.substr(at + 1);
    }
    std::string_view portText;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) fail("unclosed '[' in IPv6 host");
        d.host = std::string(rest.substr(1, close - 1));
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') fail("expected ':port' after ']'");
            portText = rest.substr(1);
            if (portText.empty()) fail("empty port");
        }
    } else {
        const auto colon = rest.find(':');
        if (colon != std::string_view::npos && rest.find(':', colon + 1) != std::string_view::npos)
            fail("IPv6 addresses must be written in brackets, e.g. [::1]:22");
        d.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = rest.substr(colon + 1);
            if (portText.empty()) fail("empty port");
        }
    }
    if (d.host.empty()) fail("missing host");
    // ssh would read a leading '-' as an option.
    if (d.host.front() == '-' || d.user.front() == '-') fail("host and user cannot start with '-'");
    for (char c : d.host + d.user)
        if (c == ' ' || c == '/' || c == '\t' || c == '\n' || c == '\'' || c == '"')
            fail("bad character in host or user");
    if (!portText.empty()) {
        int port = 0;
        auto [ptr, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc() || ptr != portText.data() + portText.size() || port < 1 ||
            port > 65535)
            fail("port '" + std::string(portText) + "' is not a number in 1..65535");
        d.port = port;
    }
    return d;
}

const std::vector<TransportFlag>& transportFlagNames() {
    static const std::vector<TransportFlag> names = {
        {"tls", false},         {"cacert", true},
        {"cacertdir", true},    {"cert", true},
        {"key", true},          {"sni", true},
        {"insecure", false},    {"ssh", true},
        {"ssh-identity", true}, {"ssh-known-hosts", true},
    };
    return names;
}

bool applyTransportFlag(std::string_view name, const std::string& value, TlsOptions& tls,
                        SshOptions& ssh) {
    if (name == "tls")
        tls.enabled = true;
    else if (name == "cacert")
        tls.caCert = value;
    else if (name == "cacertdir")
        tls.caCertDir = value;
    else if (name == "cert")
        tls.cert = value;
    else if (name == "key")
        tls.key = value;
    else if (name == "sni")
        tls.sni = value;
    else if (name == "insecure")
        tls.insecure = true;
    else if (name == "ssh")
        ssh.destination = value;
    else if (name == "ssh-identity")
        ssh.identity = value;
    else if (name == "ssh-known-hosts")
        ssh.knownHosts = value;
    else if (name == "ssh-control")  // worker processes only: the engine's SSH connection
        ssh.controlPath = value;
    else
        return false;
    return true;
}

std::vector<std::string> transportFlags(const TlsOptions& tls, const SshOptions& ssh) {
    std::vector<std::string> a;
    if (tls.enabled) {
        a.push_back("--tls");
        const std::pair<const char*, const std::string*> values[] = {
            {"--cacert", &tls.caCert},
            {"--cacertdir", &tls.caCertDir},
            {"--cert", &tls.cert},
            {"--key", &tls.key},
            {"--sni", &tls.sni}};
        for (auto [flag, value] : values)
            if (!value->empty()) a.insert(a.end(), {flag, *value});
        if (tls.insecure) a.push_back("--insecure");
    }
    if (ssh.enabled()) {
        const std::pair<const char*, const std::string*> values[] = {
            {"--ssh", &ssh.destination},
            {"--ssh-identity", &ssh.identity},
            {"--ssh-known-hosts", &ssh.knownHosts},
            {"--ssh-control", &ssh.controlPath}};
        for (auto [flag, value] : values)
            if (!value->empty()) a.insert(a.end(), {flag, *value});
    }
    return a;
}

std::vector<std::string> transportEnvironment(const TlsOptions& tls, const SshOptions& ssh) {
    std::vector<std::string> env;
    if (tls.enabled && !tls.keyPassphrase.empty())
        env.push_back(std::string(kTlsKeyPassphraseVariable) + "=" + tls.keyPassphrase);
    if (ssh.enabled() && !ssh.passphrase.empty())
        env.push_back(std::string(kSshPassphraseVariable) + "=" + ssh.passphrase);
    return env;
}

void validateTransport(const TlsOptions& tls, const SshOptions& ssh, bool unixSocket) {
    if (unixSocket && tls.enabled)
        invalid(
            "TLS does not apply to a unix:// socket (Redis serves TLS on TCP ports only): "
            "use rediss://host:port, or drop --tls");
    if (unixSocket && ssh.enabled())
        invalid(
            "--ssh tunnels to a TCP address; a unix:// socket is on this machine: use "
            "redis://host:port as the server sees it from the bastion");
    if (!tls.enabled) {
        const std::pair<const char*, bool> tlsOnly[] = {
            {"--cacert", !tls.caCert.empty()}, {"--cacertdir", !tls.caCertDir.empty()},
            {"--cert", !tls.cert.empty()},     {"--key", !tls.key.empty()},
            {"--sni", !tls.sni.empty()},       {"--insecure", tls.insecure},
        };
        for (auto [flag, given] : tlsOnly)
            if (given)
                invalid(std::string(flag) +
                        " applies to TLS connections: add --tls, or use a rediss:// URL");
    }
    if (tls.insecure && (!tls.caCert.empty() || !tls.caCertDir.empty()))
        invalid(
            "--insecure turns verification off, so --cacert / --cacertdir would be ignored: "
            "give one or the other");
    if (tls.cert.empty() != tls.key.empty())
        invalid(tls.cert.empty() ? "--key needs --cert (the client certificate it belongs to)"
                                 : "--cert needs --key (the client certificate's private key)");
    checkFile(tls.caCert, "--cacert");
    checkFile(tls.caCertDir, "--cacertdir", true);
    checkFile(tls.cert, "--cert");
    checkFile(tls.key, "--key");
    if (!ssh.enabled()) {
        if (!ssh.identity.empty()) invalid("--ssh-identity needs --ssh [user@]host[:port]");
        if (!ssh.knownHosts.empty()) invalid("--ssh-known-hosts needs --ssh [user@]host[:port]");
        return;
    }
    parseSshDestination(ssh.destination);
    checkFile(ssh.identity, "--ssh-identity");
    checkFile(ssh.knownHosts, "--ssh-known-hosts");
}

}  // namespace lockscope::redis

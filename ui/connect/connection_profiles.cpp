#include "ui/connect/connection_profiles.h"

#include <QSettings>

#include "redis/error.h"

namespace lockscope::ui {
namespace {

const char* kindName(ConnectionProfile::Kind k) {
    switch (k) {
        case ConnectionProfile::Kind::Url:
            return "url";
        case ConnectionProfile::Kind::HostPort:
            return "host";
        case ConnectionProfile::Kind::Nodes:
            return "nodes";
        case ConnectionProfile::Kind::Sandbox:
            return "sandbox";
    }
    return "host";
}

ConnectionProfile::Kind kindFromName(const QString& s) {
    if (s == "url") return ConnectionProfile::Kind::Url;
    if (s == "nodes") return ConnectionProfile::Kind::Nodes;
    return ConnectionProfile::Kind::HostPort;
}

[[noreturn]] void invalid(const QString& why) {
    throw redis::Error(redis::ErrorKind::InvalidArgument, why.toStdString());
}

// "user@127.0.0.1:6379/2": names the server without the password.
QString describe(const redis::Endpoint& e) {
    QString s = QString::fromStdString(e.display());
    return e.user.empty() ? s : QString::fromStdString(e.user) + "@" + s;
}

}  // namespace

const std::vector<ProfileColour>& profileColours() {
    // Distinct on light and dark palettes alike; red first: the usual mark of production.
    static const std::vector<ProfileColour> colours = {
        {"red", "#d64545"},   {"orange", "#e08a2c"}, {"yellow", "#d4b106"},
        {"green", "#3f9f4f"}, {"blue", "#3d7fd6"},   {"purple", "#8e5bd0"},
    };
    return colours;
}

QString profileColourHex(const QString& name) {
    for (const auto& c : profileColours())
        if (name == QLatin1String(c.name)) return QString::fromLatin1(c.hex);
    return {};
}

QString keychainKey(const QString& profileName) { return "profile/" + profileName; }
QString tlsPassphraseKey(const QString& profileName) { return "tls-key-passphrase/" + profileName; }
QString sshPassphraseKey(const QString& profileName) { return "ssh-passphrase/" + profileName; }

namespace {

// The profile's transport on every server the target names (the seeds; servers a Sentinel or a
// cluster announce inherit MonitorTarget::tls / ssh), checked by the core's own rules.
void applyTransport(ConnectionTarget& t, const ConnectionProfile& p,
                    const ConnectionSecrets& secrets, bool urlTls) {
    redis::TlsOptions tls;
    tls.enabled = p.tls || urlTls;
    tls.caCert = p.caCert.trimmed().toStdString();
    tls.caCertDir = p.caCertDir.trimmed().toStdString();
    tls.cert = p.cert.trimmed().toStdString();
    tls.key = p.key.trimmed().toStdString();
    tls.sni = p.sni.trimmed().toStdString();
    tls.insecure = p.insecure;
    tls.keyPassphrase = secrets.tlsKeyPassphrase.toStdString();
    redis::SshOptions ssh;
    ssh.destination = p.sshDestination.trimmed().toStdString();
    ssh.identity = p.sshIdentity.trimmed().toStdString();
    ssh.knownHosts = p.sshKnownHosts.trimmed().toStdString();
    ssh.passphrase = secrets.sshPassphrase.toStdString();
    // The dialog keeps the paths of a section that is switched off: they do not apply then.
    if (!tls.enabled) tls = {};
    if (!ssh.enabled()) ssh = {};
    const bool unixSocket = !t.target.nodes.empty() &&
                            t.target.nodes.front().transport == redis::Endpoint::Transport::Unix;
    redis::validateTransport(tls, ssh, unixSocket);
    t.target.tls = tls;
    t.target.ssh = ssh;
    for (auto* list : {&t.nodes, &t.target.nodes})
        for (auto& n : *list) {
            n.tls = tls;
            n.ssh = ssh;
        }
    const bool urlSaysTls = t.target.kind == monitor::TargetKind::Sentinel ||
                            t.target.kind == monitor::TargetKind::Cluster;  // rediss+…:// shown
    if (tls.enabled && !urlSaysTls) t.description += " (TLS)";
    if (ssh.enabled())
        t.description += " via SSH " + QString::fromStdString(
                                           redis::parseSshDestination(ssh.destination).display());
    t.warnings = monitor::transportWarnings(tls);
}

}  // namespace

ConnectionTarget resolveTarget(const ConnectionProfile& p, const QString& password,
                               const ConnectionSecrets& secrets) {
    ConnectionTarget t;
    t.profileName = p.name;
    t.readOnly = p.readOnly || p.production;
    t.production = p.production;
    t.colour = p.colour;
    bool urlTls = false;
    switch (p.kind) {
        case ConnectionProfile::Kind::Url: {
            const QString text = p.url.trimmed();
            if (text.isEmpty())
                invalid(
                    "type a URL: redis://[user@]host[:port][/db], "
                    "unix:///path/to/redis.sock[?db=N], "
                    "redis+sentinel://host:port[,...]/master or redis+cluster://host:port[,...]");
            auto url = redis::parseUrl(text.toStdString());
            if (!password.isEmpty()) url.password = password.toStdString();
            urlTls = url.tls;
            if (url.scheme == redis::Url::Scheme::Sentinel ||
                url.scheme == redis::Url::Scheme::Cluster) {
                t.target = monitor::MonitorTarget::fromUrl(url);
                t.description = QString::fromStdString(t.target.display());
                applyTransport(t, p, secrets, urlTls);
                return t;
            }
            redis::Endpoint e = url.endpoint();
            t.nodes = {e};
            t.description = describe(e);
            break;
        }
        case ConnectionProfile::Kind::HostPort: {
            const QString host = p.host.trimmed();
            if (host.isEmpty()) invalid("type the server's host name or address (e.g. 127.0.0.1)");
            if (host.contains(' ') || host.contains('/') || host.contains('@'))
                invalid("'" + host + "' is not a host name or address");
            if (p.port < 1 || p.port > 65535)
                invalid(QString("port %1 is not in 1..65535").arg(p.port));
            redis::Endpoint e = redis::Endpoint::tcpEndpoint(host.toStdString(), p.port);
            e.user = p.user.trimmed().toStdString();
            e.password = password.toStdString();
            e.db = p.db;
            t.nodes = {e};
            t.description = describe(e);
            break;
        }
        case ConnectionProfile::Kind::Nodes: {
            const QString list = p.nodes.trimmed();
            if (list.isEmpty()) invalid("type the nodes as host:port,host:port,...");
            redis::Endpoint base;
            base.user = p.user.trimmed().toStdString();
            base.password = password.toStdString();
            base.db = p.db;
            t.nodes = redis::parseNodeList(list.toStdString(), base);
            t.description = t.nodes.size() == 1
                                ? describe(t.nodes.front())
                                : QString("%1 nodes: %2").arg(t.nodes.size()).arg(list);
            break;
        }
        case ConnectionProfile::Kind::Sandbox:
            invalid("the sandbox is only known to the window that started it");
    }
    t.target = monitor::MonitorTarget::group(t.nodes);
    applyTransport(t, p, secrets, urlTls);
    return t;
}

QString stripUrlPassword(const QString& url, QString* password) {
    redis::Url parsed;
    try {
        parsed = redis::parseUrl(url.toStdString());
    } catch (const redis::Error&) {
        return url;
    }
    if (parsed.password.empty()) return url;
    if (password) *password = QString::fromStdString(parsed.password);
    // Split exactly as parseUrl does: the user info ends at the last '@' before the path.
    const qsizetype sep = url.indexOf("://") + 3;
    const QString rest = url.mid(sep);
    const qsizetype pathStart = rest.indexOf('/');
    const qsizetype at = rest.lastIndexOf('@', pathStart < 0 ? -1 : pathStart);
    if (at < 0) return url;
    const QString userinfo = rest.left(at);
    const qsizetype colon = userinfo.indexOf(':');
    const QString user = colon < 0 ? QString() : userinfo.left(colon);
    // "user:@" keeps the user: the parser reads a lone "name@" as a password (redis-cli's form).
    return url.left(sep) + (user.isEmpty() ? QString() : user + ":@") + rest.mid(at + 1);
}

QList<ConnectionProfile> ConnectionProfiles::load() const {
    QSettings s;
    QList<ConnectionProfile> out;
    const int n = s.beginReadArray("connectionProfiles");
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.name = s.value("name").toString();
        if (p.name.isEmpty()) continue;
        p.kind = kindFromName(s.value("kind").toString());
        p.url = s.value("url").toString();
        p.host = s.value("host", p.host).toString();
        p.port = s.value("port", p.port).toInt();
        p.nodes = s.value("nodes").toString();
        p.db = s.value("db", 0).toInt();
        p.user = s.value("user").toString();
        p.rememberPassword = s.value("rememberPassword", false).toBool();
        p.tls = s.value("tls", false).toBool();
        p.caCert = s.value("tlsCaCert").toString();
        p.caCertDir = s.value("tlsCaCertDir").toString();
        p.cert = s.value("tlsCert").toString();
        p.key = s.value("tlsKey").toString();
        p.sni = s.value("tlsSni").toString();
        p.insecure = s.value("tlsInsecure", false).toBool();
        p.sshDestination = s.value("sshDestination").toString();
        p.sshIdentity = s.value("sshIdentity").toString();
        p.sshKnownHosts = s.value("sshKnownHosts").toString();
        p.readOnly = s.value("readOnly", false).toBool();
        p.production = s.value("production", false).toBool();
        p.colour = s.value("colour").toString();
        out.append(p);
    }
    s.endArray();
    return out;
}

void ConnectionProfiles::save(ConnectionProfile profile) {
    if (profile.name.isEmpty() || profile.kind == ConnectionProfile::Kind::Sandbox) return;
    profile.url = stripUrlPassword(profile.url);  // never written, even if typed into the URL
    auto all = load();
    bool replaced = false;
    for (auto& p : all)
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
        }
    if (!replaced) all.append(profile);
    write(all);
}

void ConnectionProfiles::remove(const QString& name) {
    auto all = load();
    all.removeIf([&](const ConnectionProfile& p) { return p.name == name; });
    write(all);
    if (lastUsed() == name) setLastUsed({});
}

QString ConnectionProfiles::lastUsed() const {
    return QSettings().value("connection/lastProfile").toString();
}

void ConnectionProfiles::setLastUsed(const QString& name) {
    QSettings().setValue("connection/lastProfile", name);
}

void ConnectionProfiles::write(const QList<ConnectionProfile>& profiles) {
    QSettings s;
    s.remove("connectionProfiles");  // an array shrinks only if rewritten from scratch
    s.beginWriteArray("connectionProfiles", int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const auto& p = profiles[i];
        s.setArrayIndex(i);
        s.setValue("name", p.name);
        s.setValue("kind", kindName(p.kind));
        s.setValue("url", p.url);
        s.setValue("host", p.host);
        s.setValue("port", p.port);
        s.setValue("nodes", p.nodes);
        s.setValue("db", p.db);
        s.setValue("user", p.user);
        s.setValue("rememberPassword", p.rememberPassword);
        s.setValue("tls", p.tls);
        s.setValue("tlsCaCert", p.caCert);
        s.setValue("tlsCaCertDir", p.caCertDir);
        s.setValue("tlsCert", p.cert);
        s.setValue("tlsKey", p.key);
        s.setValue("tlsSni", p.sni);
        s.setValue("tlsInsecure", p.insecure);
        s.setValue("sshDestination", p.sshDestination);
        s.setValue("sshIdentity", p.sshIdentity);
        s.setValue("sshKnownHosts", p.sshKnownHosts);
        s.setValue("readOnly", p.readOnly);
        s.setValue("production", p.production);
        s.setValue("colour", p.colour);
    }
    s.endArray();
}

}  // namespace lockscope::ui

// Saved connections for the Connect dialog: what to connect to (a URL, a host and port, or a
// Redlock node group) and how (TLS, an SSH bastion) under a name, kept in QSettings — never the
// password or a key's passphrase, which live in the system keychain when there is one
// (password_store.h) and are typed each time otherwise.
//
// Thread contract: GUI thread only (QSettings of the application).
#pragma once

#include <QList>
#include <QString>
#include <vector>

#include "monitor/target.h"
#include "redis/url.h"

namespace lockscope::ui {

struct ConnectionProfile {
    enum class Kind { Url, HostPort, Nodes, Sandbox };
    QString name;  // "" for an unsaved connection
    Kind kind = Kind::HostPort;
    QString url;                 // Kind::Url: redis:// or unix://, without a password
    QString host = "127.0.0.1";  // Kind::HostPort
    int port = 6379;             // Kind::HostPort
    QString nodes;               // Kind::Nodes: "host:port,host:port,..."
    int db = 0;                  // Kind::HostPort and Kind::Nodes (a URL carries its own)
    QString user;                // Kind::HostPort and Kind::Nodes; "" = the default user
    // The password and the passphrases are in the system keychain (never in QSettings).
    bool rememberPassword = false;
    // TLS (redis/transport.h): file paths only; the key's passphrase is a secret (Secrets).
    bool tls = false;  // a rediss:// URL turns it on too
    QString caCert, caCertDir, cert, key, sni;
    bool insecure = false;  // no certificate or host-name check: said in the dialog and status bar
    // SSH bastion: "[user@]host[:port]" ("" = no tunnel), identity and known_hosts paths.
    QString sshDestination, sshIdentity, sshKnownHosts;
    // Opens read-only (the dashboard's write actions off until unlocked; lockscope-cli refuses
    // writes without --allow-writes). `production` implies it and is said wherever it shows.
    bool readOnly = false;
    bool production = false;
    QString colour;  // a tag from profileColours() ("" none), shown with the name

    bool operator==(const ConnectionProfile&) const = default;
};

// What MainWindow::connectTo needs: what to follow (with the password) and a name for the title
// bar that never shows the password.
struct ConnectionTarget {
    // One server or a Redlock group: its servers. Sentinel and cluster URLs: empty (the servers
    // are found when connecting, and change with failovers).
    std::vector<redis::Endpoint> nodes;
    QString description;
    bool sandbox = false;
    monitor::MonitorTarget
        target;  // what to follow, always set; for one server or a group: `nodes`
    // To show every time the target is in force (monitor::transportWarnings: --insecure).
    std::vector<std::string> warnings;
    // The saved profile it came from ("" none) and how that opens (ConnectionProfile).
    QString profileName;
    bool readOnly = false;  // production implies it
    bool production = false;
    QString colour;
};

// What a profile needs besides the password and never writes to QSettings.
struct ConnectionSecrets {
    QString tlsKeyPassphrase;  // for an encrypted client key
    QString sshPassphrase;     // for an encrypted SSH identity
};

// The servers `profile` names, with `password` (when not empty it overrides one in the URL), over
// the profile's TLS / SSH settings with `secrets`. A URL may be redis://, unix://,
// redis+sentinel:// or redis+cluster://, and rediss… for TLS.
// Throws redis::Error(InvalidArgument) with the parser's one-line message for malformed input, or
// redis::validateTransport's for transport settings that do not fit (a missing file, TLS on a unix
// socket); Kind::Sandbox cannot be resolved here (the window knows its sandbox).
ConnectionTarget resolveTarget(const ConnectionProfile& profile, const QString& password,
                               const ConnectionSecrets& secrets = {});

// `url` without the password in its user info ("redis://u:pw@h" → "redis://u:@h",
// "redis://pw@h" → "redis://h"); the decoded password goes to `password`. A URL that does not
// parse, or has no password, comes back unchanged.
QString stripUrlPassword(const QString& url, QString* password = nullptr);

// The colour tags a profile can have, by name (stored as the name, shown as the colour).
struct ProfileColour {
    const char* name;
    const char* hex;
};
const std::vector<ProfileColour>& profileColours();
// "#rrggbb" of a tag name; "" for none or an unknown one.
QString profileColourHex(const QString& name);

// The keychain entries of a profile's password and passphrases (distinct prefixes: no profile
// name can make one collide with another's).
QString keychainKey(const QString& profileName);
QString tlsPassphraseKey(const QString& profileName);
QString sshPassphraseKey(const QString& profileName);

// The saved profiles, in QSettings under "connectionProfiles" (an array, so any name works).
class ConnectionProfiles {
public:
    QList<ConnectionProfile> load() const;
    // Adds or replaces (by name) `profile`; a password in its URL is dropped before it is written.
    void save(ConnectionProfile profile);
    void remove(const QString& name);
    QString lastUsed() const;
    void setLastUsed(const QString& name);

private:
    void write(const QList<ConnectionProfile>& profiles);
};

}  // namespace lockscope::ui

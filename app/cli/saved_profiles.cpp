#include "app/cli/saved_profiles.h"

#include <QTimer>
#include <clocale>
#include <string>

#include "ui/connect/connection_profiles.h"
#include "ui/connect/password_store.h"

namespace lockscope::app {
namespace {

ui::ConnectionProfile profileNamed(const std::string& name) {
    for (const auto& p : ui::ConnectionProfiles().load())
        if (p.name.toStdString() == name) return p;
    return {};  // cli::findProfile checked the name first
}

std::string where(const ui::ConnectionProfile& p) {
    switch (p.kind) {
        case ui::ConnectionProfile::Kind::Url:
            return ui::stripUrlPassword(p.url).toStdString();
        case ui::ConnectionProfile::Kind::Nodes:
            return p.nodes.toStdString();
        case ui::ConnectionProfile::Kind::HostPort:
        case ui::ConnectionProfile::Kind::Sandbox:
            break;
    }
    QString s = QString("%1:%2").arg(p.host).arg(p.port);
    if (!p.user.isEmpty()) s = p.user + "@" + s;
    if (p.db != 0) s += QString("/%1").arg(p.db);
    return s.toStdString();
}

}  // namespace

SavedProfiles::~SavedProfiles() = default;

std::vector<cli::ProfileSummary> SavedProfiles::list() {
    std::vector<cli::ProfileSummary> out;
    for (const auto& p : ui::ConnectionProfiles().load()) {
        cli::ProfileSummary s;
        s.name = p.name.toStdString();
        s.where = where(p);
        s.colour = p.colour.toStdString();
        s.readOnly = p.readOnly;
        s.production = p.production;
        s.savedPassword = p.rememberPassword;
        out.push_back(std::move(s));
    }
    return out;
}

monitor::ConnectionSpec SavedProfiles::resolve(const std::string& name,
                                               const std::string& password) {
    // The passphrases as for --url: from the environment (the keychain's are the dashboard's).
    const auto env = monitor::ConnectionArgs::fromEnvironment();
    ui::ConnectionSecrets secrets;
    secrets.tlsKeyPassphrase = QString::fromStdString(env.tls.keyPassphrase);
    secrets.sshPassphrase = QString::fromStdString(env.ssh.passphrase);
    auto t = ui::resolveTarget(profileNamed(name), QString::fromStdString(password), secrets);
    return {std::move(t.target), t.description.toStdString(), std::move(t.warnings)};
}

std::optional<std::string> SavedProfiles::savedPassword(const std::string& name, std::string& why) {
    if (!app_) {
        // QCoreApplication sets the C locale from the environment; the CLI's number parsing and
        // printing keep the "C" locale they were written for.
        const std::string locale = std::setlocale(LC_ALL, nullptr);
        app_ = std::make_unique<QCoreApplication>(argc_, argv_);
        std::setlocale(LC_ALL, locale.c_str());
    }
    ui::PasswordStore store;
    std::optional<std::string> password;
    bool answered = false;
    QObject::connect(&store, &ui::PasswordStore::readFinished,
                     [&](const QString&, bool found, const QString& value) {
                         if (found) password = value.toStdString();
                         answered = true;
                         QCoreApplication::quit();
                     });
    // The keychain answers asynchronously: this is the program's only event loop, run until
    // it does (or 10 s, for a keychain that never answers).
    QTimer::singleShot(10000, app_.get(), &QCoreApplication::quit);
    store.read(ui::keychainKey(QString::fromStdString(name)));
    if (!answered) QCoreApplication::exec();
    if (password) return password;
    if (!answered)
        why = "the keychain did not answer in 10 s";
    else if (store.state() == ui::PasswordStore::State::Unavailable)
        why = "no keychain: " + store.unavailableReason().toStdString();
    else
        why = "the keychain has none for it";
    return std::nullopt;
}

}  // namespace lockscope::app

// lockscope-cli's access to the dashboard's saved connections: cli::ProfileStore over
// ui::ConnectionProfiles (QSettings) and ui::PasswordStore (the keychain). The Qt application
// object the keychain needs is made only when a saved password is asked for.
//
// Thread contract: main thread only.
#pragma once

#include <QCoreApplication>
#include <memory>

#include "cli/profiles.h"

namespace lockscope::app {

class SavedProfiles final : public cli::ProfileStore {
public:
    SavedProfiles(int& argc, char** argv) : argc_(argc), argv_(argv) {}
    ~SavedProfiles() override;

    std::vector<cli::ProfileSummary> list() override;
    monitor::ConnectionSpec resolve(const std::string& name, const std::string& password) override;
    std::optional<std::string> savedPassword(const std::string& name, std::string& why) override;

private:
    int& argc_;
    char** argv_;
    std::unique_ptr<QCoreApplication> app_;
};

}  // namespace lockscope::app

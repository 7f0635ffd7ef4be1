// The dashboard's saved connections, as lockscope-cli uses them (--profile NAME, `profiles`).
// The store itself is Qt's (QSettings and the keychain, ui/connect/connection_profiles.h): the
// program's main supplies it through ProfileStore, so this library stays Qt-free and there is one
// reader and writer of the store, not a second parser of QSettings' file format.
//
// Thread contract: one thread (the CLI's main thread).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "monitor/target.h"

namespace lockscope::cli {

struct ProfileSummary {
    std::string name;
    std::string where;           // the URL, host:port or node list, never a password
    std::string colour;          // the tag the dashboard shows ("" none): red, orange, ...
    bool readOnly = false;       // opens read-only unless the operator says otherwise
    bool production = false;     // a production server: read-only too, and said so
    bool savedPassword = false;  // the dashboard keeps its password in the keychain
};

class ProfileStore {
public:
    virtual ~ProfileStore() = default;
    virtual std::vector<ProfileSummary> list() = 0;
    // What profile `name` (one of list()) names, with `password` ("" none) and the passphrases
    // from the environment. Throws redis::Error(InvalidArgument) when it does not resolve.
    virtual monitor::ConnectionSpec resolve(const std::string& name,
                                            const std::string& password) = 0;
    // The password the dashboard saved in the keychain; nullopt when there is none or no keychain
    // answers (`why` says which, in the keychain's words).
    virtual std::optional<std::string> savedPassword(const std::string& name, std::string& why) = 0;
};

// Set once by main() before run(); nullptr (the default) means no store: --profile is refused.
void setProfileStore(ProfileStore* store);
ProfileStore* profileStore();

// The profile called `name`; UsageError naming the saved ones when there is none.
ProfileSummary findProfile(const std::string& name);

// Reads a password from the terminal (/dev/tty) with echo off, after `prompt`. Throws UsageError
// when there is no terminal to ask on.
std::string askPassword(const std::string& prompt);

// `profiles [--json]`
int profilesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace lockscope::cli

#include "cli/profiles.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <ostream>
#include <utility>

#include "cli/cli.h"
#include "cli/json.h"
#include "cli/options.h"

namespace lockscope::cli {
namespace {

ProfileStore*& storeSlot() {
    static ProfileStore* store = nullptr;
    return store;
}

std::string mode(const ProfileSummary& p) {
    if (p.production) return "production";
    return p.readOnly ? "read-only" : "read-write";
}

}  // namespace

void setProfileStore(ProfileStore* store) { storeSlot() = store; }
ProfileStore* profileStore() { return storeSlot(); }

ProfileSummary findProfile(const std::string& name) {
    auto* store = profileStore();
    if (!store) throw UsageError("this lockscope-cli has no access to the dashboard's profiles");
    const auto all = store->list();
    std::string names;
    for (const auto& p : all) {
        if (p.name == name) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw UsageError("no saved profile '" + name + "' (" +
                     (names.empty() ? std::string("none saved yet: save one in the dashboard's "
                                                  "File > Connect…")
                                    : "saved: " + names) +
                     "; lockscope-cli profiles lists them)");
}

std::string askPassword(const std::string& prompt) {
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        throw UsageError(
            "--askpass asks on the terminal, and there is none: set LOCKSCOPE_PASSWORD instead");
    termios saved{};
    const bool isTty = ::tcgetattr(fd, &saved) == 0;
    if (isTty) {
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        quiet.c_lflag |= ECHONL;  // the newline still shows, so the next line starts clean
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    (void)!::write(fd, prompt.data(), prompt.size());
    std::string password;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') password += c;
    if (isTty) ::tcsetattr(fd, TCSAFLUSH, &saved);
    ::close(fd);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
}

int profilesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    const Parsed p = parseOptions(args, {{"json", false}, {"help", false}}, "profiles");
    if (!p.positional.empty())
        throw UsageError("profiles takes no arguments (lockscope-cli profiles [--json])");
    auto* store = profileStore();
    const auto all = store ? store->list() : std::vector<ProfileSummary>{};
    if (p.has("json")) {
        Json array = Json::array();
        for (const auto& s : all)
            array.push_back({{"name", s.name},
                             {"where", s.where},
                             {"colour", s.colour},
                             {"read_only", s.readOnly || s.production},
                             {"production", s.production},
                             {"saved_password", s.savedPassword}});
        printJsonArray(out, std::move(array));
        return kOk;
    }
    // Tab-separated: name, where, mode, colour (names may hold spaces; the completion cuts -f1).
    for (const auto& s : all)
        out << s.name << '\t' << s.where << '\t' << mode(s) << '\t'
            << (s.colour.empty() ? "-" : s.colour) << "\n";
    return kOk;
}

}  // namespace lockscope::cli

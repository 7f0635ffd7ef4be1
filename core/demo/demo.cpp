#include "demo/demo.h"

#include <unistd.h>

#include <filesystem>

#include "counters/counter_strategy.h"
#include "redis/error.h"
#include "util/random.h"

namespace lockscope::demo {
namespace fs = std::filesystem;

std::string newRunId() { return randomHex(8); }

std::string demoPrefix(const std::string& runId) { return "lockscope:demo:" + runId + ":"; }

std::string resolveWorkerExecutable(const std::string& configured) {
    auto usable = [](const fs::path& p) { return ::access(p.c_str(), X_OK) == 0; };
    if (!configured.empty()) {
        if (!usable(configured))
            throw redis::Error(redis::ErrorKind::InvalidArgument,
                               "worker executable '" + configured + "' is not an executable file");
        return configured;
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        if (self.filename() == "lockscope-cli" && usable(self)) return self.string();
        const fs::path sibling = self.parent_path() / "lockscope-cli";
        if (usable(sibling)) return sibling.string();
    }
    throw redis::Error(redis::ErrorKind::InvalidArgument,
                       "cannot find lockscope-cli next to this program to run demo workers; "
                       "give its path (DemoOptions::workerExecutable)");
}

long long removeDemoKeys(const DemoTarget& target, const std::string& prefix,
                         const std::vector<std::string>& extraKeys) noexcept {
    long long deleted = 0;
    for (const auto& node : target.nodes) {
        try {
            redis::ConnectOptions options = target.connect;
            options.clientName = "lockscope:demo-cleanup";
            redis::Connection c(node, options);
            deleted += counters::deleteByPrefix(c, prefix);
            if (!extraKeys.empty()) {
                redis::Command del{"DEL"};
                for (const auto& k : extraKeys) del << k;
                deleted += c.command(del).integer();
            }
        } catch (const std::exception&) {
            // Unreachable (or being faulted): nothing more can be done from here.
        }
    }
    return deleted;
}

void checkReachable(const DemoTarget& target, size_t nodes) {
    for (size_t i = 0; i < nodes && i < target.nodes.size(); ++i) {
        redis::Connection c(target.nodes[i], target.connect);
        c.command({"PING"});
    }
}

}  // namespace lockscope::demo

#include "cli/primitive_commands.h"

#include <ostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "locks/latch.h"
#include "util/text.h"

namespace lockscope::cli {

std::vector<OptionSpec> primitiveAcquireOptions() { return {{"mode", true}, {"permits", true}}; }

void applyPrimitiveOptions(const Parsed& p, const std::string& strategy, locks::LockContext& ctx) {
    const auto* info = locks::findLockStrategy(strategy);
    if (info && info->kind == locks::LockKind::Latch)
        throw UsageError(
            "a latch is not acquired (nobody holds it): use `lockscope-cli latch set|count-down|"
            "await KEY`");
    if (auto mode = p.value("mode")) {
        if (!info || info->kind != locks::LockKind::ReadWrite)
            throw UsageError("--mode applies to --strategy read-write");
        if (*mode == "read")
            ctx.config.rwMode = locks::LockConfig::RwMode::Read;
        else if (*mode == "write")
            ctx.config.rwMode = locks::LockConfig::RwMode::Write;
        else
            throw UsageError("--mode takes read or write, not '" + *mode + "'");
    }
    if (p.has("permits")) {
        if (!info || info->kind != locks::LockKind::Permits)
            throw UsageError("--permits applies to --strategy semaphore or expirable-semaphore");
        const long long n = p.integer("permits", 1, 1);
        if (n > 1'000'000) throw UsageError("--permits takes at most 1000000");
        ctx.config.permits = static_cast<int>(n);
    }
}

locks::LockInfo inspectLatch(const Session& session, const std::string& key) {
    locks::CountDownLatch latch(session.lockContext("latch"));
    return latch.inspect(key);
}

namespace {

std::string singleKey(const Parsed& p, const std::string& command) {
    if (p.positional.size() != 1)
        throw UsageError("'" + command + "' takes exactly one KEY (see lockscope-cli --help)");
    return p.positional[0];
}

}  // namespace

int latchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto sub = splitCommand(args, globalOptions());
    if (!sub) throw UsageError("'latch' needs a subcommand: set, count-down or await");
    const std::string cmd = "latch " + sub->word;
    if (sub->word == "set") {
        Parsed p = parseOptions(sub->rest, withGlobal({{"count", true}}), cmd);
        const std::string key = singleKey(p, cmd);
        const long long count = p.integer("count", -1, 1);
        if (count < 1) throw UsageError("'latch set' needs --count N (at least 1)");
        Session session(p, 1, err);
        locks::CountDownLatch latch(session.lockContext("latch"));
        if (!latch.trySetCount(key, count)) {
            err << "lockscope-cli: latch " << displayBytes(key) << " is already set ("
                << latch.count(key) << " to go); it can be set again once it is open\n";
            return kFailed;
        }
        out << "set " << displayBytes(key) << " to " << count << "\n";
        return kOk;
    }
    if (sub->word == "count-down") {
        Parsed p = parseOptions(sub->rest, withGlobal({}), cmd);
        const std::string key = singleKey(p, cmd);
        Session session(p, 1, err);
        locks::CountDownLatch latch(session.lockContext("latch"));
        const long long left = latch.countDown(key);
        out << (left == 0 ? "open" : std::to_string(left) + " to go") << "\n";
        return kOk;
    }
    if (sub->word == "await") {
        Parsed p = parseOptions(sub->rest, withGlobal({{"wait", true}}), cmd);
        const std::string key = singleKey(p, cmd);
        Session session(p, 1, err);
        locks::CountDownLatch latch(session.lockContext("latch"));
        locks::WaitOptions wait;
        wait.timeout = std::chrono::milliseconds(p.integer("wait", 0));
        wait.cancel = &stopRequested();
        if (latch.await(key, wait)) {
            out << "open\n";
            return kOk;
        }
        err << "lockscope-cli: latch " << displayBytes(key) << " is still closed ("
            << latch.count(key) << " to go)"
            << (wait.timeout.count() > 0 ? "" : "; add --wait MS to wait for it") << "\n";
        return kFailed;
    }
    throw UsageError("unknown subcommand '" + cmd + "'; use set, count-down or await");
}

}  // namespace lockscope::cli

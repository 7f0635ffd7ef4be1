#include "cli/primitive_commands.h"

#include <ostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "locks/latch.h"
#include "locks/lease_keeper.h"
#include "redis/error.h"
#include "util/text.h"

namespace lockscope::cli {

std::vector<OptionSpec> primitiveAcquireOptions() {
    return {{"mode", true}, {"permits", true}, {"adopt-bare-count", false}};
}

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
    if (p.has("adopt-bare-count")) {
        if (!info || info->kind != locks::LockKind::Permits)
            throw UsageError(
                "--adopt-bare-count applies to --strategy semaphore or expirable-semaphore");
        ctx.config.adoptBareCount = true;
    }
}

locks::LockInfo inspectLatch(const Session& session, const std::string& key, bool adoptBareCount) {
    auto ctx = session.lockContext("latch");
    ctx.config.adoptBareCount = adoptBareCount;
    locks::CountDownLatch latch(std::move(ctx));
    return latch.inspect(key);
}

namespace {

std::string singleKey(const Parsed& p, const std::string& command) {
    if (p.positional.size() != 1)
        throw UsageError("'" + command + "' takes exactly one KEY (see lockscope-cli --help)");
    return p.positional[0];
}

}  // namespace

namespace {

// --adopt-bare-count: the key is a bare integer the user knows to be Redisson's RCountDownLatch.
locks::CountDownLatch makeLatch(const Session& session, const Parsed& p) {
    auto ctx = session.lockContext("latch");
    ctx.config.adoptBareCount = p.has("adopt-bare-count");
    return locks::CountDownLatch(std::move(ctx));
}

// What a missing latch means, said plainly (Redisson reads a missing latch as count 0).
std::string missingLatch(const std::string& key) {
    return "latch " + displayBytes(key) +
           " does not exist: it was never set, or it opened and was deleted (a missing latch "
           "counts as 0 — `latch await` returns at once, as Redisson's await does)";
}

}  // namespace

int latchCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto sub = splitCommand(args, globalOptions());
    if (!sub) throw UsageError("'latch' needs a subcommand: set, count-down or await");
    const std::string cmd = "latch " + sub->word;
    const OptionSpec adopt{"adopt-bare-count", false};
    if (sub->word == "set") {
        Parsed p = parseOptions(sub->rest, withGlobal({{"count", true}, adopt}), cmd);
        const std::string key = singleKey(p, cmd);
        const long long count = p.integer("count", -1, 1);
        if (count < 1) throw UsageError("'latch set' needs --count N (at least 1)");
        // As --permits: a count count-down and the monitor can read back (ls_int: 18 digits).
        if (count > 1'000'000) throw UsageError("--count takes at most 1000000");
        Session session(p, 1, err);
        session.requireWrites("'" + cmd + "'");
        auto latch = makeLatch(session, p);
        if (!latch.trySetCount(key, count)) {
            err << "lockscope-cli: latch " << displayBytes(key) << " is already set ("
                << latch.count(key) << " to go); it can be set again once it is open\n";
            return kFailed;
        }
        out << "set " << displayBytes(key) << " to " << count << "\n";
        return kOk;
    }
    if (sub->word == "count-down") {
        Parsed p = parseOptions(sub->rest, withGlobal({adopt}), cmd);
        const std::string key = singleKey(p, cmd);
        Session session(p, 1, err);
        session.requireWrites("'" + cmd + "'");
        auto latch = makeLatch(session, p);
        long long left = 0;
        try {
            left = latch.countDown(key);
        } catch (const redis::Error& e) {
            // The command was sent and no answer came: the server may have counted down (adv14d
            // item 11): say so, so that a retry does not count down twice unseen.
            if (e.kind() == redis::ErrorKind::Timeout || e.kind() == redis::ErrorKind::Closed ||
                e.kind() == redis::ErrorKind::Io)
                throw redis::Error(
                    e.kind(), std::string(e.what()) +
                                  "; the count-down may have been applied: `lockscope-cli latch "
                                  "await " +
                                  displayBytes(key) +
                                  " --wait 0` or the monitor shows the count before you retry");
            throw;
        }
        if (left < 0) {
            err << "lockscope-cli: " << missingLatch(key) << "; nothing counted down\n";
            return kFailed;
        }
        out << (left == 0 ? "open" : std::to_string(left) + " to go") << "\n";
        return kOk;
    }
    if (sub->word == "await") {
        Parsed p = parseOptions(sub->rest, withGlobal({{"wait", true}, adopt}), cmd);
        const std::string key = singleKey(p, cmd);
        Session session(p, 1, err);
        auto latch = makeLatch(session, p);
        if (!latch.countIfSet(key)) {
            err << "lockscope-cli: note: " << missingLatch(key) << "\n";
            out << "open\n";
            return kOk;
        }
        locks::WaitOptions wait;
        wait.timeout = std::chrono::milliseconds(p.millis("wait", 0));
        wait.cancel = &stopRequested();
        // On a Sentinel URL the wait follows the master (adv14e item 2: it stayed on the old one,
        // missed the opening on the new one and failed with "the server closed the connection").
        auto ctx = session.lockContext("latch");
        ctx.config.adoptBareCount = p.has("adopt-bare-count");
        locks::FollowingWait following;
        following.note = [&err](const std::string& line) {
            err << "lockscope-cli: " << line << "\n";
            err.flush();
        };
        if (locks::awaitLatchFollowing(ctx, key, wait, session.leaseResolver(key), following)) {
            out << "open\n";
            return kOk;
        }
        err << "lockscope-cli: latch " << displayBytes(key) << " is still closed ("
            << locks::CountDownLatch(ctx).count(key) << " to go)"
            << (wait.timeout.count() > 0 ? "" : "; add --wait MS to wait for it") << "\n";
        return kFailed;
    }
    throw UsageError("unknown subcommand '" + cmd + "'; use set, count-down or await");
}

}  // namespace lockscope::cli

// `lockscope-cli lock acquire|release|extend|inspect`.
#include <chrono>
#include <ostream>
#include <thread>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/session.h"
#include "locks/holder_ops.h"
#include "locks/lock_strategy.h"
#include "util/text.h"

namespace lockscope::cli {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

std::string singleKey(const Parsed& p, const std::string& command) {
    if (p.positional.size() != 1)
        throw UsageError("'" + command + "' takes exactly one KEY (see lockscope-cli --help)");
    return p.positional[0];
}

std::string checkedStrategy(const Parsed& p, const std::string& command) {
    std::string id = p.require("strategy", command);
    if (!locks::findLockStrategy(id)) {
        std::string known;
        for (const auto& s : locks::lockStrategies())
            known += (known.empty() ? "" : ", ") + std::string(s.id);
        throw UsageError("unknown strategy '" + id + "'; known: " + known);
    }
    return id;
}

std::string ttlText(milliseconds ttl) {
    if (ttl.count() == -1) return "no TTL";
    if (ttl.count() < 0) return "-";
    return std::to_string(ttl.count()) + " ms";
}

// Sleeps up to `d` in short slices; false when Ctrl-C / SIGTERM asked us to stop.
bool sleepUnlessStopped(milliseconds d) {
    const auto until = Steady::now() + d;
    while (Steady::now() < until) {
        if (stopRequested().load()) return false;
        std::this_thread::sleep_for(
            std::min<Steady::duration>(milliseconds(20), until - Steady::now()));
    }
    return !stopRequested().load();
}

int acquire(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "lock acquire";
    Parsed p = parseOptions(
        args,
        withGlobal(
            {{"strategy", true}, {"ttl", true}, {"hold", true}, {"wait", true}, {"json", false}}),
        cmd);
    const std::string key = singleKey(p, cmd);
    const std::string strategy = checkedStrategy(p, cmd);
    const milliseconds ttl(p.integer("ttl", -1, 1));
    if (ttl.count() < 0) throw UsageError("'lock acquire' needs --ttl MS");
    const bool hold = p.has("hold");
    const milliseconds holdFor(p.integer("hold", 0));
    const milliseconds waitFor(p.integer("wait", 0));

    Session session(p, locks::findLockStrategy(strategy)->multiNode ? 3 : 1, err);
    locks::LockContext ctx = session.lockContext(strategy);
    milliseconds acquireTtl = ttl;
    // A held reentrant lock renews the way Redisson does: watchdog mode with lease = --ttl.
    const bool selfRenewing = strategy == "reentrant" || strategy == "heartbeat";
    if (hold && strategy == "reentrant") {
        ctx.config.watchdogTimeout = ttl;
        acquireTtl = milliseconds(0);
    }
    auto lock = locks::makeLockStrategy(strategy, ctx);

    std::optional<locks::Lease> lease;
    if (waitFor.count() > 0) {
        locks::WaitOptions wait;
        wait.timeout = waitFor;
        wait.cancel = &stopRequested();
        lease = lock->acquire(key, acquireTtl, wait);
    } else {
        lease = lock->tryAcquire(key, acquireTtl);
    }
    if (!lease) {
        auto info = lock->inspect(key);
        err << "lockscope-cli: lock " << displayBytes(key) << " is busy"
            << (info.held
                    ? " (held by " + displayBytes(info.holder) + ", " + ttlText(info.ttl) + ")"
                    : "")
            << (waitFor.count() > 0 ? " after waiting " + std::to_string(waitFor.count()) + " ms"
                                    : "; add --wait MS to wait for it")
            << "\n";
        return kFailed;
    }
    if (p.has("json"))
        printJsonLine(out, leaseJson(strategy, *lease, Steady::now()));
    else
        out << lease->token << "\n";
    out.flush();
    if (!hold) return kOk;

    // Hold: renew at a third of the TTL where the strategy does not renew by itself.
    const auto until = Steady::now() + holdFor;
    const milliseconds renewEvery = std::max(milliseconds(1), ttl / 3);
    bool lost = false;
    while (Steady::now() < until && !stopRequested().load()) {
        auto left = std::chrono::duration_cast<milliseconds>(until - Steady::now());
        if (!sleepUnlessStopped(std::min(renewEvery, left))) break;
        if (Steady::now() >= until) break;
        if (!selfRenewing && lock->supportsExtend() && !lock->extend(*lease, ttl)) {
            lost = true;
            break;
        }
    }
    auto result = lock->release(*lease);
    if (lost) {
        err << "lockscope-cli: lost lock " << displayBytes(key)
            << " while holding it (its TTL ran out or someone else took it)\n";
        return kFailed;
    }
    err << "lockscope-cli: " << releaseResultName(result) << " " << displayBytes(key) << "\n";
    return result == locks::ReleaseResult::Released ? kOk : kFailed;
}

int holderOp(const std::string& sub, const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
    const std::string cmd = "lock " + sub;
    const bool extend = sub == "extend";
    std::vector<OptionSpec> own = {{"token", true}};
    if (extend) own.push_back({"ttl", true});
    Parsed p = parseOptions(args, withGlobal(own), cmd);
    const std::string key = singleKey(p, cmd);
    const std::string token = p.require("token", cmd);
    milliseconds ttl(0);
    if (extend) {
        ttl = milliseconds(p.integer("ttl", -1, 1));
        if (ttl.count() < 0) throw UsageError("'lock extend' needs --ttl MS");
    }
    if (p.has("sandbox")) throw UsageError("'" + cmd + "' acts on an existing server: use --url");
    Session session(p, 1, err);

    int done = 0;
    locks::HolderOpResult last;
    for (size_t i = 0; i < session.nodes().size(); ++i) {
        auto c = session.connect(i);
        auto r = extend ? locks::extendIfHolder(c, key, token, ttl)
                        : locks::deleteIfHolder(c, key, token);
        if (r.outcome == locks::HolderOpResult::Outcome::Done)
            ++done;
        else
            last = r;
    }
    const std::string nodes = session.multiNode()
                                  ? " on " + std::to_string(done) + "/" +
                                        std::to_string(session.nodes().size()) + " nodes"
                                  : "";
    if (done > 0) {
        out << (extend ? "extended " : "released ") << displayBytes(key) << nodes << "\n";
        return kOk;
    }
    using O = locks::HolderOpResult::Outcome;
    err << "lockscope-cli: " << displayBytes(key) << " not " << (extend ? "extended" : "released")
        << ": ";
    switch (last.outcome) {
        case O::HolderChanged:
            err << "it is held by " << displayBytes(last.currentHolder)
                << ", not by the token given";
            break;
        case O::NotHeld:
            err << "nobody holds it (it expired or was released)";
            break;
        case O::NotALock:
            err << "it is a " << last.type << ", not a lock";
            break;
        case O::NoTtl:
            err << "heartbeat locks live by their beat and have no TTL to extend";
            break;
        case O::Done:
            break;
    }
    err << "\n";
    return kFailed;
}

int inspect(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "lock inspect";
    Parsed p = parseOptions(args, withGlobal({{"strategy", true}, {"json", false}}), cmd);
    const std::string key = singleKey(p, cmd);
    const std::string strategy = checkedStrategy(p, cmd);
    Session session(p, locks::findLockStrategy(strategy)->multiNode ? 3 : 1, err);
    auto lock = locks::makeLockStrategy(strategy, session.lockContext(strategy));
    auto info = lock->inspect(key);
    if (p.has("json")) {
        printJsonLine(out, lockInfoJson(key, strategy, info));
        return kOk;
    }
    out << "key:     " << displayBytes(key) << "\n"
        << "holder:  " << (info.held ? displayBytes(info.holder) : "(free)") << "\n"
        << "ttl:     " << ttlText(info.ttl) << "\n";
    if (info.holdCount) out << "holds:   " << info.holdCount << "\n";
    if (info.fence) out << "fence:   " << *info.fence << "\n";
    if (info.nodesTotal > 1) out << "nodes:   " << info.nodesHeld << "/" << info.nodesTotal << "\n";
    for (const auto& n : info.nodes)
        out << "  " << n.node << "  "
            << (!n.reachable ? "unreachable"
                : n.value    ? displayBytes(*n.value)
                             : "(free)")
            << "  " << ttlText(n.ttl) << "\n";
    if (!info.detail.empty()) out << "detail:  " << info.detail << "\n";
    return kOk;
}

}  // namespace

int lockCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto sub = splitCommand(args, globalOptions());
    if (!sub)
        throw UsageError(
            "'lock' needs a subcommand: acquire, release, extend, inspect or force-release");
    const auto& rest = sub->rest;
    if (sub->word == "acquire") return acquire(rest, out, err);
    if (sub->word == "release" || sub->word == "extend") return holderOp(sub->word, rest, out, err);
    if (sub->word == "inspect") return inspect(rest, out, err);
    if (sub->word == "force-release") return forceReleaseCommand(rest, out, err);
    throw UsageError("unknown subcommand 'lock " + sub->word +
                     "'; use acquire, release, extend or inspect");
}

}  // namespace lockscope::cli

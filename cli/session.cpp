#include "cli/session.h"

#include <csignal>
#include <cstdlib>
#include <ostream>

#include "actions/lease_resolver.h"
#include "cli/profiles.h"
#include "redis/error.h"
#include "redis/transport.h"
#include "sandbox/run_password.h"

namespace lockscope::cli {
namespace {

extern "C" void onStopSignal(int) { stopRequested().store(true); }

}  // namespace

std::atomic<bool>& stopRequested() {
    static std::atomic<bool> flag{false};  // lock-free: safe to set from a signal handler
    return flag;
}

void installStopHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

const std::vector<OptionSpec>& globalOptions() {
    static const std::vector<OptionSpec> spec = [] {
        std::vector<OptionSpec> s = {
            {"url", true},
            {"nodes", true},
            {"sandbox", false},
            {"sandbox-nodes", true},
            {"timeout", true},
            {"help", false},
            {"version", false},
            // A saved dashboard profile, a password asked on the terminal, writes to a profile
            // that opens read-only (cli/profiles.h).
            {"profile", true},
            {"askpass", false},
            {"allow-writes", false},
        };
        // --tls --cacert ... --ssh ...: named like redis-cli's, the same for every command.
        for (const auto& f : redis::transportFlagNames()) s.push_back({f.name, f.takesValue});
        return s;
    }();
    return spec;
}

std::vector<OptionSpec> withGlobal(std::vector<OptionSpec> own) {
    own.insert(own.end(), globalOptions().begin(), globalOptions().end());
    return own;
}

Session::Session(const Parsed& global, int sandboxNodes, std::ostream& err) {
    const auto timeout = std::chrono::milliseconds(global.millis("timeout", 2000, 1));
    connect_.connectTimeout = timeout;
    connect_.commandTimeout = timeout;
    if (global.has("sandbox") &&
        (global.has("url") || global.has("nodes") || global.has("profile")))
        throw UsageError(
            "--sandbox starts its own server: drop --url / --nodes / --profile, or drop --sandbox");
    monitor::ConnectionArgs where = monitor::ConnectionArgs::fromEnvironment();
    bool transportGiven = false;
    for (const auto& f : redis::transportFlagNames()) {
        if (!global.has(f.name)) continue;
        redis::applyTransportFlag(f.name, global.value(f.name).value_or(""), where.tls, where.ssh);
        transportGiven = true;
    }
    if (global.has("sandbox") && transportGiven)
        throw UsageError(
            "--sandbox servers are plain TCP on this machine: drop the TLS and SSH options, or "
            "use --url");

    if (global.has("sandbox-nodes") && !global.has("sandbox"))
        throw UsageError("--sandbox-nodes says how many servers --sandbox starts: add --sandbox");
    if (global.has("sandbox")) {
        // Multi-node commands (redlock) take --sandbox-nodes servers, e.g. 5 for node-down 2 vs 3.
        if (sandboxNodes > 1) {
            const long long n = global.integer("sandbox-nodes", sandboxNodes, 1);
            if (n > 16) throw UsageError("--sandbox-nodes must be at most 16");
            sandboxNodes = static_cast<int>(n);
        }
        for (int i = 0; i < sandboxNodes; ++i) {
            sandbox::RedisServerOptions o;
            o.password = sandbox::runPassword();  // loopback is every local user's
            sandboxes_.push_back(std::make_unique<sandbox::RedisServer>(o));
            nodes_.push_back(sandboxes_.back()->endpoint());
        }
        err << "sandbox: started " << describe()
            << " (redis-server on loopback with a random password; stopped when this command "
               "ends)\n";
        return;
    }
    if (global.has("profile") && (global.has("url") || global.has("nodes") || transportGiven))
        throw UsageError(
            "--profile names the server and how to reach it: drop --url / --nodes and the TLS and "
            "SSH options, or drop --profile");
    if (global.has("askpass") && !global.has("profile"))
        where.envPassword = askPassword("Password: ");
    where.url = global.value("url");
    where.nodes = global.value("nodes");
    auto spec = global.has("profile") ? profileSpec(global, err) : monitor::connectionSpec(where);
    // Every time it is in force, not only the first.
    for (const auto& w : spec.warnings) err << "lockscope-cli: warning: " << w << "\n";
    // A Sentinel group or a cluster is followed as such; one server or a group is just its nodes.
    if (spec.target.kind == monitor::TargetKind::Sentinel ||
        spec.target.kind == monitor::TargetKind::Cluster)
        remote_ = std::move(spec.target);
    else
        nodes_ = std::move(spec.target.nodes);
}

Session::~Session() = default;

monitor::ConnectionSpec Session::profileSpec(const Parsed& global, std::ostream& err) {
    profile_ = *global.value("profile");
    const ProfileSummary summary = findProfile(profile_);
    std::string password;
    if (global.has("askpass")) {
        password = askPassword("Password for profile '" + profile_ + "': ");
    } else if (const char* env = std::getenv("LOCKSCOPE_PASSWORD")) {
        password = env;
    } else if (summary.savedPassword) {
        std::string why;
        if (auto saved = profileStore()->savedPassword(profile_, why))
            password = std::move(*saved);
        else
            err << "lockscope-cli: profile '" << profile_ << "': no saved password to use (" << why
                << "); connecting without one (LOCKSCOPE_PASSWORD or --askpass give one)\n";
    }
    production_ = summary.production;
    readOnly_ = (summary.readOnly || summary.production) && !global.has("allow-writes");
    if (readOnly_)
        err << "lockscope-cli: profile '" << profile_ << "' opens read-only"
            << (production_ ? " (production)" : "")
            << ": commands that write are refused unless --allow-writes\n";
    return profileStore()->resolve(profile_, password);
}

void Session::requireWrites(const std::string& what) const {
    if (!readOnly_) return;
    throw UsageError("profile '" + profile_ + "' is " +
                     (production_ ? "marked production" : "read-only by default") +
                     ", so lockscope-cli opens it read-only: " + what +
                     " writes to Redis; add --allow-writes to do it anyway");
}

const std::vector<redis::Endpoint>& Session::nodes() const {
    if (!remote_) return nodes_;
    if (remote_->kind == monitor::TargetKind::Cluster)
        throw UsageError(
            "this command talks to one server or a --nodes group; a cluster URL works "
            "with locks, counters and watch (for one key, use --url redis://<the master "
            "that serves it>)");
    if (nodes_.empty()) {
        auto resolved = monitor::resolve(*remote_, connect_);  // Sentinel: the current master
        nodes_ = std::move(resolved.nodes);
    }
    return nodes_;
}

monitor::MonitorTarget Session::target() const {
    if (remote_) return *remote_;
    return monitor::MonitorTarget::group(nodes_);
}

std::vector<sandbox::RedisServer*> Session::sandboxServers() const {
    std::vector<sandbox::RedisServer*> servers;
    for (const auto& s : sandboxes_) servers.push_back(s.get());
    return servers;
}

redis::Connection Session::connect(size_t node) const {
    return redis::Connection(nodes().at(node), connect_);
}

locks::LeaseKeeper::Resolver Session::leaseResolver(const std::string& key) const {
    if (!remote_) return {};
    return actions::leaseResolver(*remote_, key, connect_);
}

locks::LockContext Session::lockContext(const std::string& strategy) const {
    locks::LockContext ctx;
    ctx.connect = connect_;
    ctx.nodes = nodes();
    // A sandbox started for redlock has several nodes; single-server strategies use the first.
    // Elsewhere --nodes with a single-server strategy is refused by makeLockStrategy.
    const auto* info = locks::findLockStrategy(strategy);
    if (info && !info->multiNode && !sandboxes_.empty()) ctx.nodes.resize(1);
    return ctx;
}

std::string Session::describe() const {
    if (remote_) return remote_->display();
    return redis::displayList(nodes_);
}

}  // namespace lockscope::cli

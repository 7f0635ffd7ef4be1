// What a CLI command runs against: the servers named by --url / --nodes / --sandbox, the connect
// options, and the sandbox servers this invocation started (stopped when the Session ends).
//
// redis+sentinel:// and redis+cluster:// URLs: target() is what the monitor commands (locks,
// counters, watch) follow. For everything else a Sentinel URL means its current master (asked
// once, on first use); a cluster URL is refused with a message naming what works.
//
// Thread contract: one thread.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"
#include "locks/lease_keeper.h"
#include "locks/lock_strategy.h"
#include "monitor/target.h"
#include "redis/connection.h"
#include "sandbox/redis_server.h"

namespace lockscope::cli {

// Set by SIGINT/SIGTERM: long-running commands stop, release what they hold and return.
std::atomic<bool>& stopRequested();
void installStopHandlers();

class Session {
public:
    // `sandboxNodes`: how many sandbox servers --sandbox starts for this command.
    Session(const Parsed& global, int sandboxNodes, std::ostream& err);
    ~Session();

    // The servers of a single-server command or a --nodes group. Sentinel: the current master
    // (throws redis::Error when no Sentinel answers). Cluster: throws UsageError.
    const std::vector<redis::Endpoint>& nodes() const;
    // What the monitor commands follow (any URL form).
    monitor::MonitorTarget target() const;
    // The servers --sandbox started, in the order of nodes(); empty otherwise.
    std::vector<sandbox::RedisServer*> sandboxServers() const;
    const redis::ConnectOptions& connectOptions() const { return connect_; }
    bool multiNode() const { return nodes().size() > 1; }
    redis::Connection connect(size_t node = 0) const;
    // Where a held lease on `key` lives now, asked at each renewal: the current master of a
    // Sentinel URL; empty (never moves) for one server or a --nodes group.
    locks::LeaseKeeper::Resolver leaseResolver(const std::string& key) const;
    locks::LockContext lockContext(const std::string& strategy) const;
    std::string describe() const;
    // --profile NAME: the profile's name ("" without one).
    const std::string& profile() const { return profile_; }
    // Refuses (UsageError) a command that writes when the profile opens read-only (read-only
    // default or production) and --allow-writes was not given; `what` names the command.
    void requireWrites(const std::string& what) const;

private:
    // --profile: the target of a saved dashboard profile (cli/profiles.h), its password from
    // --askpass, LOCKSCOPE_PASSWORD or the keychain, in that order.
    monitor::ConnectionSpec profileSpec(const Parsed& global, std::ostream& err);

    std::string profile_;
    bool readOnly_ = false;
    bool production_ = false;
    std::vector<std::unique_ptr<sandbox::RedisServer>> sandboxes_;
    mutable std::vector<redis::Endpoint> nodes_;    // Sentinel: filled on first use
    std::optional<monitor::MonitorTarget> remote_;  // a redis+sentinel:// or redis+cluster:// URL
    redis::ConnectOptions connect_;
};

// The options every command accepts.
const std::vector<OptionSpec>& globalOptions();
// globalOptions() plus the command's own.
std::vector<OptionSpec> withGlobal(std::vector<OptionSpec> own);

}  // namespace lockscope::cli

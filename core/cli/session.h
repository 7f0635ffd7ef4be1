// What a CLI command runs against: the servers named by --url / --nodes / --sandbox, the connect
// options, and the sandbox servers this invocation started (stopped when the Session ends).
//
// Thread contract: one thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "cli/options.h"
#include "locks/lock_strategy.h"
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

    const std::vector<redis::Endpoint>& nodes() const { return nodes_; }
    // The servers --sandbox started, in the order of nodes(); empty otherwise.
    std::vector<sandbox::RedisServer*> sandboxServers() const;
    const redis::ConnectOptions& connectOptions() const { return connect_; }
    bool multiNode() const { return nodes_.size() > 1; }
    redis::Connection connect(size_t node = 0) const;
    locks::LockContext lockContext(const std::string& strategy) const;
    std::string describe() const;

private:
    std::vector<std::unique_ptr<sandbox::RedisServer>> sandboxes_;
    std::vector<redis::Endpoint> nodes_;
    redis::ConnectOptions connect_;
};

// The options every command accepts.
const std::vector<OptionSpec>& globalOptions();
// globalOptions() plus the command's own.
std::vector<OptionSpec> withGlobal(std::vector<OptionSpec> own);

}  // namespace lockscope::cli

// What the contention demos share: where they run, the progress stream, fault events, the keys a
// demo owns and how it removes them.
//
// A demo owns every key under "lockscope:demo:<run id>:" (plus, for `fenced`, the fencing
// counter lockscope_fence:{<its lock key>}), and deletes them all when it ends — finished, failed
// or cancelled.
//
// Thread contract: value types and free functions. A ProgressFn is called on the engine's own
// thread (never on a worker's), at most once per progress interval plus once per fault event;
// it must return quickly (the dashboard queues the value to its GUI thread) — workers never wait
// for it, but the engine's fault timing does.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "redis/connection.h"
#include "redis/url.h"
#include "util/message.h"

namespace lockscope::sandbox {
class RedisServer;
class Topology;
}  // namespace lockscope::sandbox

namespace lockscope::demo {

using std::chrono::milliseconds;

// Where a demo runs.
struct DemoTarget {
    std::vector<redis::Endpoint> nodes;  // one server, or the independent nodes of a Redlock group
    redis::ConnectOptions connect;
    // The servers behind `nodes`, same order, when the caller owns them (--sandbox): node faults
    // need them. Empty otherwise. Not owned; they must outlive the run.
    std::vector<sandbox::RedisServer*> controlled;
    // failover-before-replication: a Sentinel topology (sandbox/topology.h) the caller owns, where
    // the lock lives and fails over; `nodes[0]` then only holds the protected resource. Not owned.
    sandbox::Topology* topology = nullptr;
};

struct DemoEvent {
    milliseconds at{0};  // since the workers started
    std::string text;    // render(message): what the CLI prints
    Message message{};   // the sentence under its id (demo/run_text.h), for the dashboard
};

struct DemoProgress {
    std::string kind;       // "counter" or "lock"
    std::string strategy;   // the strategy (label) running now
    int strategyIndex = 0;  // 0-based, of strategyCount
    int strategyCount = 1;
    long long done = 0;   // progress so far, in units of `total` (usually operations)
    long long total = 0;  // progress planned (readers-writers: milliseconds of its phases)
    // Operations finished so far (counter: increments; lock: sections; readers-writers: reads
    // and writes of every phase). The live throughput chart counts these, never `done`.
    long long completed = 0;
    double elapsedSeconds = 0;
    double opsPerSecond = 0;         // done / elapsed
    long long retries = 0;           // counter: retries so far
    long long violations = 0;        // lock: overlapping holds the resource has seen so far
    std::optional<DemoEvent> event;  // set on the report that announces a fault event
    bool finished = false;           // the last report of this strategy
};
using ProgressFn = std::function<void(const DemoProgress&)>;

// A fresh run id: 8 hex digits.
std::string newRunId();
// "lockscope:demo:<runId>:"
std::string demoPrefix(const std::string& runId);

// The lockscope-cli that worker processes run: `configured` if not empty; else this executable
// when it is lockscope-cli; else lockscope-cli next to it (/proc/self/exe). Throws
// redis::Error(InvalidArgument) when there is none.
std::string resolveWorkerExecutable(const std::string& configured);

// Deletes the demo's keys on every node: everything under `prefix` and `extraKeys`. Best effort
// (a node that cannot be reached is skipped); returns how many keys were deleted.
long long removeDemoKeys(const DemoTarget& target, const std::string& prefix,
                         const std::vector<std::string>& extraKeys) noexcept;

// Connects to every node and PINGs it; throws redis::Error (Connect, Auth, ...) naming the node.
void checkReachable(const DemoTarget& target, size_t nodes);

}  // namespace lockscope::demo

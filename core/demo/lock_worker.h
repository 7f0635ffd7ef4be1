// One lock-demo worker: the loop a `lockscope-cli worker lock …` process runs, and the command
// line the engine starts it with. Hidden from --help's command list: only the engine runs it.
//
// The loop, `ops` times: acquire the lock (blocking, with the strategy's backoff) → enter the
// protected resource → read its value → "work" for `work` → write value + 1 → exit → release.
//
// Protocol with the engine (one line each, stdout):
//   ready <pid>                                      connected; waits for "go" on stdin
//   progress sections=… acquisitions=… timeouts=… errors=…      every ~50 ms
//   result sections=… acquisitions=… timeouts=… lost_lock=… stale=… errors=… wait=<histogram>
//   error <kind> <message>                           a fatal error (exit code 3)
// stdin: "go" starts the loop; "stop-after-setnx" makes a setnx-expire worker SIGSTOP itself
// right after its next successful SETNX, before its EXPIRE (crash-holder: the engine kills it
// there); end of input (the engine closed it, or died) stops the loop after the current section
// — a blocking acquire is cancelled at once. The worker exits 0 after its result line. The password
// comes from LOCKSCOPE_PASSWORD, never from the command line.
//
// Errors while running (a node down, a timeout) are counted and the loop goes on; only errors
// that persist for giveUpAfter end the worker.
//
// Thread contract: runLockWorker() runs on the calling thread and starts one helper thread that
// reads stdin (detached: it may stay blocked in read() until the process exits).
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "redis/url.h"

namespace lockscope::demo {

struct LockWorkerSpec {
    std::vector<redis::Endpoint> nodes;  // the lock's servers; the resource is on nodes[0]
    std::string strategy;
    std::string lockKey;
    std::string resourcePrefix;
    long long ops = 1;                             // critical sections to run
    std::chrono::milliseconds ttl{1000};           // lease (reentrant: watchdog timeout)
    std::chrono::microseconds work{2000};          // between the read and the write
    std::chrono::milliseconds wait{10000};         // a blocking acquire gives up after this
    std::chrono::milliseconds timeout{2000};       // connect / reply timeout
    std::chrono::milliseconds clockOffset{0};      // clock-skew: this worker's wall clock offset
    std::chrono::milliseconds giveUpAfter{30000};  // errors without a success for this long: exit
};

// The arguments after the executable: {"worker", "lock", "--node", …}.
std::vector<std::string> lockWorkerArgs(const LockWorkerSpec& spec);
// Parses the arguments after "worker lock"; throws redis::Error(InvalidArgument).
LockWorkerSpec parseLockWorkerArgs(const std::vector<std::string>& args);

// Runs the worker; returns its exit code (0 done, 3 fatal Redis error). `stop` (may be null) is
// an extra stop flag (SIGTERM). Reads "go" / end of input from file descriptor `inputFd`.
int runLockWorker(const LockWorkerSpec& spec, int inputFd, std::ostream& out,
                  const std::atomic<bool>* stop);

}  // namespace lockscope::demo

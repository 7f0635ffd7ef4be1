// Small helpers shared by the test executables.
#pragma once

#include <QString>
#include <chrono>
#include <string>
#include <vector>

#include "child_process.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "sandbox/redis_server.h"
#include "sandbox/topology.h"

namespace lockscope::test {

// Sanitizer builds run the code 5–15× slower (ThreadSanitizer most). One factor stretches the
// waits of the tests ("until the condition, or a generous deadline") and the ctest timeouts:
// LOCKSCOPE_TEST_TIME_SCALE in the environment when set (a number ≥ 1), else the build's own
// (tests/CMakeLists.txt: from LOCKSCOPE_SANITIZE; 1 in every other build, so `ci` waits as before).
// Not for a bound whose point is to tell two behaviours apart: scale what it measures instead.
double testTimeScale();
// `ms` × testTimeScale() (exactly `ms` at scale 1).
int scaled(int ms);
std::chrono::milliseconds scaled(std::chrono::milliseconds ms);

// "t:<name>:<random>:" — every key a test writes starts with it.
std::string keyPrefix(const std::string& testName);

// Path of the lockscope-cli binary built alongside the tests (defined per test executable).
inline std::string cliPath() {
#ifdef LOCKSCOPE_CLI_PATH
    return LOCKSCOPE_CLI_PATH;
#else
    return {};
#endif
}

// Runs the CLI to completion (stdout, stderr, exit code).
struct CliResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
CliResult runProgram(const std::vector<std::string>& argv, int timeoutMs = 30000);
inline CliResult runCli(std::vector<std::string> args, int timeoutMs = 30000) {
    args.insert(args.begin(), cliPath());
    return runProgram(args, timeoutMs);
}

// A LockContext for one sandbox server (or several, for redlock).
locks::LockContext contextFor(const sandbox::RedisServer& server);
locks::LockContext contextFor(const std::vector<const sandbox::RedisServer*>& servers);

// True once every other data node of `topo` has acknowledged everything `master` held when this
// was called (tried for up to `timeout`). Before a graceful failover: the Sentinels may promote
// any replica. WAIT counts acknowledgements of the calling connection's *own* last write, so on a
// fresh connection it returns at once with the number of connected replicas, whatever they have
// (a paused replica that missed a SET still counted: the flake of CI 2026-12-07, the new master
// had no lock key). A PUBLISH first — replicated, touches no key — gives WAIT a write to wait for.
bool everyReplicaHasAll(sandbox::Topology& topo, size_t master,
                        std::chrono::milliseconds timeout = std::chrono::seconds(20));

// GUI tests: QSettings of this test process live in `dir` (a QTemporaryDir's path), under the
// application name `testName`, so a test never reads or writes the user's own settings.
void isolateSettings(const QString& dir, const char* testName);

}  // namespace lockscope::test

// Readable QCOMPARE failures for the core's enums (found by ADL from QTest::toString).
#include <QtCore/QByteArray>
#include <cstring>
namespace lockscope::redis {
inline char* toString(ErrorKind kind) { return qstrdup(std::string(errorKindName(kind)).c_str()); }
}  // namespace lockscope::redis
namespace lockscope::locks {
inline char* toString(ReleaseResult r) {
    return qstrdup(std::string(releaseResultName(r)).c_str());
}
}  // namespace lockscope::locks

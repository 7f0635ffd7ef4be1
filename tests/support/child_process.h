// Real OS processes for fault tests: a holder that is paused with SIGSTOP is truly paused, one
// killed with SIGKILL truly crashes. Started with util/subprocess.h: children die with the test
// (PR_SET_PDEATHSIG) and are killed and reaped by pid in the destructor.
//
// Thread contract: one owner thread (the test's main thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace lockscope::test {

class ChildProcess {
public:
    // Runs argv[0] (a path, or a name in PATH) with its stdout and stderr captured; throws
    // SpawnError when it cannot.
    static ChildProcess spawn(const std::vector<std::string>& argv);
    // fork() and run `body` in the child, which then _exit(0)s. Only for test executables that
    // have no other threads at the time of the call.
    static ChildProcess forkRun(const std::function<void()>& body);

    pid_t pid() const { return process_.pid(); }
    void pause();      // SIGSTOP
    void resume();     // SIGCONT
    void kill();       // SIGKILL and reap
    void terminate();  // SIGTERM (no reap)
    // Exit code, or 128 + signal; nullopt if still running after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // The next line the child printed on stdout (without '\n'); nullopt after `timeout`.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout);
    // Everything printed on stdout / stderr so far (reads what is available).
    std::string drainStdout();
    std::string drainStderr();

private:
    explicit ChildProcess(Subprocess process) : process_(std::move(process)) {}
    Subprocess process_;
    std::string outBuffer_;
    std::string errBuffer_;
};

}  // namespace lockscope::test

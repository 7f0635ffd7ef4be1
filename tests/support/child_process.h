// Real OS processes for fault tests: a holder that is paused with SIGSTOP is truly paused, one
// killed with SIGKILL truly crashes. Children die with the test (PR_SET_PDEATHSIG) and are
// killed and reaped by pid in the destructor.
//
// Thread contract: one owner thread (the test's main thread).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lockscope::test {

class ChildProcess {
public:
    // Runs argv[0] (a path) with its stdout and stderr captured.
    static ChildProcess spawn(const std::vector<std::string>& argv);
    // fork() and run `body` in the child, which then _exit(0)s. Only for test executables that
    // have no other threads at the time of the call.
    static ChildProcess forkRun(const std::function<void()>& body);

    ChildProcess(ChildProcess&&) noexcept;
    ChildProcess& operator=(ChildProcess&&) noexcept;
    ~ChildProcess();

    pid_t pid() const { return pid_; }
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
    ChildProcess() = default;
    void reset();
    pid_t pid_ = -1;
    int outFd_ = -1;
    int errFd_ = -1;
    std::string outBuffer_;
    std::string errBuffer_;
    std::optional<int> exitCode_;
};

}  // namespace lockscope::test

// Child processes, started the one way LockScope starts them: the demo's workers, throwaway
// redis-servers and redis-cli, the tests' helper processes.
//
// spawn() is fork + execve. Everything the child needs (argv, envp, the resolved path) is built
// before fork; between fork and exec the child makes only async-signal-safe system calls, so any
// thread of a multi-threaded process may spawn. By default the child gets PR_SET_PDEATHSIG =
// SIGKILL: it dies with the *thread* that spawned it (even when the parent crashes), so spawn from
// a thread that outlives the child. Every descriptor but stdin/stdout/stderr is closed on exec.
// An exec that fails (a missing or non-executable binary) or a redirect that cannot be set up is
// reported back through a close-on-exec pipe: spawn() throws SpawnError naming the cause, instead
// of returning a child that exits with 127.
//
// Signals go to the child's own pid — never to a name or a group — and only until the child has
// been reaped (after that the pid may belong to someone else).
//
// Thread contract: spawn() may be called from any thread; a Subprocess is owned and used by one.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lockscope {

class SpawnError : public std::runtime_error {
public:
    SpawnError(const std::string& what, int error) : std::runtime_error(what), error_(error) {}
    int error() const { return error_; }  // the errno behind it

private:
    int error_;
};

// Where one of the child's standard streams goes.
enum class Stdio {
    Inherit,  // the parent's
    Null,     // /dev/null
    // A pipe to the parent, non-blocking on the parent's side. For stdin it is a socketpair, so
    // writeInput() to a child that died never raises SIGPIPE in the parent (MSG_NOSIGNAL).
    Pipe,
    File,  // SpawnOptions::outputFile, created or truncated (mode 0600); stdout and stderr share it
};

struct SpawnOptions {
    Stdio in = Stdio::Inherit;
    Stdio out = Stdio::Inherit;
    Stdio err = Stdio::Inherit;
    std::string outputFile;  // for Stdio::File
    // setpgid(0, 0): Ctrl-C in a terminal reaches the parent only, which decides how its children
    // stop.
    bool newProcessGroup = false;
    // PR_SET_PDEATHSIG = SIGKILL: the child dies with the thread that spawned it.
    bool dieWithParent = true;
    // The child's environment ("NAME=value" each); nullopt: this process's.
    std::optional<std::vector<std::string>> environment;
};

class Subprocess {
public:
    // Runs argv[0] — a path, or a name looked up in PATH — with argv. Throws SpawnError when it
    // cannot be started.
    static Subprocess spawn(const std::vector<std::string>& argv, const SpawnOptions& options = {});
    // fork() and run `body` in the child, which then _exit()s: 0, or 3 if `body` threw. The child
    // is not async-signal-safe: only for a process that has no other thread at the time (tests).
    static Subprocess forkCall(const std::function<void()>& body, const SpawnOptions& options = {});

    Subprocess() = default;  // no process
    Subprocess(Subprocess&& other) noexcept;
    Subprocess& operator=(Subprocess&& other) noexcept;
    ~Subprocess();  // SIGKILL and reap if still running; closes the pipes
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;

    pid_t pid() const { return pid_; }  // -1 when none was started; kept after the reap
    bool running() const { return pid_ > 0 && !exitCode_; }    // started and not reaped yet
    std::optional<int> exitCode() const { return exitCode_; }  // exit status, or 128 + signal
    // The kernel reported it stopped (poll() or wait() saw it) and it has not been continued since.
    bool stopped() const { return stopped_; }

    // The parent's ends of Stdio::Pipe streams; -1 otherwise.
    int inputFd() const { return inFd_; }
    int outputFd() const { return outFd_; }
    int errorFd() const { return errFd_; }
    // Writes all of `data` to the child's stdin; false when it is closed or the child is gone.
    bool writeInput(std::string_view data);
    void closeInput();
    // Appends what the child's stdout / stderr pipe holds now (never blocks).
    void readOutput(std::string& into) const;
    void readError(std::string& into) const;

    // Sends `sig` to the child's pid; false when it is not running (or the kill failed).
    bool signal(int sig);
    // Non-blocking: reaps the child if it exited, notes whether it is stopped. The exit code once
    // it has exited.
    std::optional<int> poll();
    // Waits up to `timeout` for it to exit; the exit code, or nullopt if it is still running.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    // SIGKILL (which also ends a stopped process) and reap; the exit code (-1 when none was
    // started).
    int kill();

private:
    // Forks with the streams set up; the child runs `childMain(report)` (it execs or _exits) after
    // its setup, and reports a failure before that through `report`.
    static Subprocess launch(const SpawnOptions& options, const std::string& what,
                             const std::function<void(int report)>& childMain);
    void reset() noexcept;
    void reaped(int status);

    pid_t pid_ = -1;
    int inFd_ = -1;
    int outFd_ = -1;
    int errFd_ = -1;
    std::optional<int> exitCode_;
    bool stopped_ = false;
};

// The path of `name` in PATH (searched as execvp would), or `name` itself when it has a '/';
// nullopt when PATH has no executable of that name.
std::optional<std::string> findExecutable(const std::string& name);

// A waitpid status as an exit code: the exit status, or 128 + the signal that ended it.
int exitCodeOf(int status);

}  // namespace lockscope

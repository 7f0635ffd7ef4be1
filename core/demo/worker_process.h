// One demo worker as a real OS process (`lockscope-cli worker …`), so that a fault can pause it
// with SIGSTOP (a true pause: its beater and watchdog threads stop too) or kill it with SIGKILL
// (a true crash: no destructor, no release).
//
// The child is started with util/subprocess.h: PR_SET_PDEATHSIG = SIGKILL (it dies with the
// thread that started it, even if the engine crashes), and a process group of its own (Ctrl-C in a
// terminal reaches the engine only; the engine decides how its workers stop). Its stdin is one end
// of a socketpair: a worker that died never raises SIGPIPE in the engine, and closing it tells the
// worker to stop. A password goes through the environment (LOCKSCOPE_PASSWORD), never the command
// line that `ps` shows;
// so do the TLS key's and the SSH identity's passphrases.
//
// Every signal is sent to this child's own pid; never to a name or a group.
//
// Thread contract: owned and used by one thread (the engine's).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/subprocess.h"

namespace lockscope::demo {

class WorkerProcess {
public:
    // Throws SpawnError (a std::runtime_error) when the process cannot be started. `secrets`:
    // more "NAME=value" environment entries (the TLS key's passphrase), never the command line.
    WorkerProcess(const std::string& executable, const std::vector<std::string>& args,
                  const std::string& password, const std::vector<std::string>& secrets = {});
    // Destroying it SIGKILLs and reaps the worker if still running (Subprocess).

    pid_t pid() const { return process_.pid(); }
    bool running() const { return process_.running(); }
    std::optional<int> exitCode() const { return process_.exitCode(); }  // or 128 + signal
    // The kernel reported it stopped (waitpid WUNTRACED) and it has not been continued since.
    bool stopped() const { return process_.stopped(); }

    // One line to the worker's stdin; false when it is gone.
    bool sendLine(const std::string& line);
    // Closes stdin: the worker's "stop" signal.
    void closeInput() { process_.closeInput(); }
    int outputFd() const { return process_.outputFd(); }
    // Complete lines the worker printed on stdout since the last call.
    std::vector<std::string> readLines();
    // What it printed on stderr so far (kept).
    const std::string& errorText();

    // SIGSTOP, then waits until the kernel reports the process stopped (up to `confirm`): after
    // a true return it runs no more instructions until resume(). False if it exited instead.
    bool pause(std::chrono::milliseconds confirm = std::chrono::milliseconds(1000));
    void resume() { process_.signal(SIGCONT); }
    void kill() { process_.kill(); }  // SIGKILL and reap
    // Non-blocking: reaps the process if it exited, notes whether it is stopped. Returns the exit
    // code once it has exited.
    std::optional<int> poll() { return process_.poll(); }
    // Waits up to `timeout` for it to exit.
    std::optional<int> wait(std::chrono::milliseconds timeout) { return process_.wait(timeout); }

private:
    Subprocess process_;
    std::string outBuffer_;
    std::string errText_;
};

}  // namespace lockscope::demo

#include "child_process.h"

#include <poll.h>
#include <signal.h>

#include <utility>

namespace lockscope::test {

ChildProcess ChildProcess::spawn(const std::vector<std::string>& argv) {
    SpawnOptions o;
    o.out = Stdio::Pipe;
    o.err = Stdio::Pipe;
    return ChildProcess(Subprocess::spawn(argv, o));
}

ChildProcess ChildProcess::forkRun(const std::function<void()>& body) {
    return ChildProcess(Subprocess::forkCall(body));
}

void ChildProcess::pause() { process_.signal(SIGSTOP); }

void ChildProcess::resume() { process_.signal(SIGCONT); }

void ChildProcess::terminate() { process_.signal(SIGTERM); }

void ChildProcess::kill() { process_.kill(); }

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    return process_.wait(timeout);
}

std::optional<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        auto nl = outBuffer_.find('\n');
        if (nl != std::string::npos) {
            std::string line = outBuffer_.substr(0, nl);
            outBuffer_.erase(0, nl + 1);
            return line;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || process_.outputFd() < 0) return std::nullopt;
        pollfd pfd{process_.outputFd(), POLLIN, 0};
        int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
        if (ready <= 0) continue;
        size_t before = outBuffer_.size();
        process_.readOutput(outBuffer_);
        if (outBuffer_.size() == before && (pfd.revents & POLLHUP)) return std::nullopt;
    }
}

std::string ChildProcess::drainStdout() {
    process_.readOutput(outBuffer_);
    return std::exchange(outBuffer_, {});
}

std::string ChildProcess::drainStderr() {
    process_.readError(errBuffer_);
    return std::exchange(errBuffer_, {});
}

}  // namespace lockscope::test

#include "demo/worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace lockscope::demo {
namespace {

void readAll(int fd, std::string& into) {
    if (fd < 0) return;
    char buf[4096];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            into.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;  // EAGAIN or EOF
    }
}

int decode(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

WorkerProcess::WorkerProcess(const std::string& executable, const std::vector<std::string>& args,
                             const std::string& password) {
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
    std::vector<std::string> argvStore;
    argvStore.push_back(executable);
    argvStore.insert(argvStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argvStore) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStore;
    for (char** e = environ; e && *e; ++e)
        if (std::strncmp(*e, "LOCKSCOPE_PASSWORD=", 19) != 0) envStore.emplace_back(*e);
    if (!password.empty()) envStore.push_back("LOCKSCOPE_PASSWORD=" + password);
    std::vector<char*> envp;
    for (auto& e : envStore) envp.push_back(e.data());
    envp.push_back(nullptr);

    int in[2], out[2], err[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in[0]);
        ::close(in[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(e));
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int e = errno;
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
        throw std::runtime_error(std::string("fork: ") + std::strerror(e));
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the engine is already gone
        ::setpgid(0, 0);
        ::dup2(in[1], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[1]);
    ::close(out[1]);
    ::close(err[1]);
    ::fcntl(out[0], F_SETFL, O_NONBLOCK);
    ::fcntl(err[0], F_SETFL, O_NONBLOCK);
    pid_ = pid;
    inFd_ = in[0];
    outFd_ = out[0];
    errFd_ = err[0];
}

WorkerProcess::~WorkerProcess() {
    kill();
    closeAll();
}

void WorkerProcess::closeAll() {
    for (int* fd : {&inFd_, &outFd_, &errFd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
}

bool WorkerProcess::sendLine(const std::string& line) {
    if (inFd_ < 0) return false;
    const std::string text = line + "\n";
    size_t sent = 0;
    while (sent < text.size()) {
        const ssize_t n = ::send(inFd_, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

void WorkerProcess::closeInput() {
    if (inFd_ >= 0) ::close(inFd_);
    inFd_ = -1;
}

std::vector<std::string> WorkerProcess::readLines() {
    readAll(outFd_, outBuffer_);
    std::vector<std::string> lines;
    size_t start = 0;
    while (true) {
        const auto nl = outBuffer_.find('\n', start);
        if (nl == std::string::npos) break;
        lines.push_back(outBuffer_.substr(start, nl - start));
        start = nl + 1;
    }
    outBuffer_.erase(0, start);
    return lines;
}

const std::string& WorkerProcess::errorText() {
    readAll(errFd_, errText_);
    return errText_;
}

bool WorkerProcess::pause(std::chrono::milliseconds confirm) {
    if (pid_ <= 0 || !running()) return false;
    ::kill(pid_, SIGSTOP);
    const auto deadline = std::chrono::steady_clock::now() + confirm;
    while (running() && !stopped_ && std::chrono::steady_clock::now() < deadline) {
        poll();
        if (!stopped_) std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return running() && stopped_;
}

void WorkerProcess::resume() {
    if (pid_ > 0 && running()) {
        ::kill(pid_, SIGCONT);
        stopped_ = false;
    }
}

void WorkerProcess::kill() {
    if (pid_ <= 0 || !running()) return;
    ::kill(pid_, SIGKILL);  // also ends a stopped process
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
    exitCode_ = decode(status);
    stopped_ = false;
}

std::optional<int> WorkerProcess::poll() {
    if (!running() || pid_ <= 0) return exitCode_;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG | WUNTRACED | WCONTINUED);
    if (r == pid_) {
        if (WIFSTOPPED(status))
            stopped_ = true;
        else if (WIFCONTINUED(status))
            stopped_ = false;
        else
            exitCode_ = decode(status);
    }
    return exitCode_;
}

std::optional<int> WorkerProcess::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        poll();
        if (!running() || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return exitCode_;
}

}  // namespace lockscope::demo

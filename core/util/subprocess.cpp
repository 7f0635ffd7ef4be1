#include "util/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>
#include <utility>

extern char** environ;

namespace lockscope {
namespace {

// What went wrong in the child before its exec, as it reports it through the report pipe.
enum class Stage : int { DeathSignal = 1, ProcessGroup, OpenNull, OpenFile, Redirect, Exec };

struct ChildFailure {
    int stage = 0;
    int error = 0;
};

// Everything the child needs between fork and exec, built before fork.
struct ChildPlan {
    const SpawnOptions* options = nullptr;  // only its plain fields are read in the child
    pid_t parent = -1;
    int report = -1;                       // write end of the report pipe (close-on-exec)
    int ends[3] = {-1, -1, -1};            // the child's ends of Stdio::Pipe streams
    int closeFirst[4] = {-1, -1, -1, -1};  // the parent's ends, and the report pipe's read end
    int maxFd = 1024;  // close-on-exec fallback bound, when close_range is not there
};

[[noreturn]] void fail(int report, Stage stage, int error) {
    const ChildFailure f{static_cast<int>(stage), error};
    // Nothing more can be done if the parent cannot be told: it then sees the exit code.
    [[maybe_unused]] const ssize_t n = ::write(report, &f, sizeof f);
    ::_exit(127);
}

bool place(int from, int to) {
    if (from == to) return ::fcntl(to, F_SETFD, 0) == 0;  // dup2 would keep close-on-exec
    return ::dup2(from, to) >= 0;
}

// In the child, between fork and exec: async-signal-safe calls only (no allocation, no locks).
void prepareChild(const ChildPlan& p) {
    const SpawnOptions& o = *p.options;
    for (int fd : p.closeFirst)
        if (fd >= 0) ::close(fd);
    if (o.dieWithParent) {
        if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(p.report, Stage::DeathSignal, errno);
        if (::getppid() != p.parent) ::_exit(127);  // the parent died before prctl took effect
    }
    if (o.newProcessGroup && ::setpgid(0, 0) != 0) fail(p.report, Stage::ProcessGroup, errno);
    const Stdio streams[3] = {o.in, o.out, o.err};
    int nullFd = -1;
    int fileFd = -1;
    for (Stdio s : streams) {
        if (s == Stdio::Null && nullFd < 0) {
            nullFd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
            if (nullFd < 0) fail(p.report, Stage::OpenNull, errno);
        }
        if (s == Stdio::File && fileFd < 0) {
            fileFd = ::open(o.outputFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            if (fileFd < 0) fail(p.report, Stage::OpenFile, errno);
        }
    }
    for (int i = 0; i < 3; ++i) {
        const int from = streams[i] == Stdio::Null   ? nullFd
                         : streams[i] == Stdio::File ? fileFd
                         : streams[i] == Stdio::Pipe ? p.ends[i]
                                                     : -1;
        if (from >= 0 && !place(from, i)) fail(p.report, Stage::Redirect, errno);
    }
    // Descriptors the parent's other threads opened without O_CLOEXEC must not leak into the
    // child (a leaked socket or pipe end keeps a peer from seeing EOF).
    if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        for (int fd = 3; fd < p.maxFd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

// Owns a descriptor until it is handed over.
struct Fd {
    int fd = -1;
    Fd() = default;
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int release() { return std::exchange(fd, -1); }
};

[[noreturn]] void throwErrno(const std::string& what) {
    const int e = errno;
    throw SpawnError(what + ": " + std::strerror(e), e);
}

void makePair(Fd& parent, Fd& child, bool socket) {
    int fds[2];
    if (socket) {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            throwErrno("socketpair");
        parent.fd = fds[0];
        child.fd = fds[1];
        return;
    }
    if (::pipe2(fds, O_CLOEXEC) != 0) throwErrno("pipe");
    // fds[0] reads: the parent reads what the child writes on stdout / stderr.
    parent.fd = fds[0];
    child.fd = fds[1];
}

std::string describe(const ChildFailure& f, const std::string& what, const SpawnOptions& o) {
    const std::string why = std::strerror(f.error);
    switch (static_cast<Stage>(f.stage)) {
        case Stage::DeathSignal:
            return "cannot set PR_SET_PDEATHSIG for " + what + ": " + why;
        case Stage::ProcessGroup:
            return "cannot give " + what + " a process group of its own: " + why;
        case Stage::OpenNull:
            return "cannot open /dev/null for " + what + ": " + why;
        case Stage::OpenFile:
            return "cannot open '" + o.outputFile + "' for the output of " + what + ": " + why;
        case Stage::Redirect:
            return "cannot redirect the standard streams of " + what + ": " + why;
        case Stage::Exec:
            return "cannot run " + what + ": " + why;
    }
    return "cannot start " + what + ": " + why;
}

void readAvailable(int fd, std::string& into) {
    if (fd < 0) return;
    char buf[4096];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            into.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        break;  // EAGAIN (nothing more now) or EOF
    }
}

}  // namespace

Subprocess Subprocess::launch(const SpawnOptions& o, const std::string& what,
                              const std::function<void(int report)>& childMain) {
    Fd parentEnds[3], childEnds[3];
    const Stdio streams[3] = {o.in, o.out, o.err};
    for (int i = 0; i < 3; ++i)
        if (streams[i] == Stdio::Pipe) makePair(parentEnds[i], childEnds[i], i == 0);
    Fd reportRead, reportWrite;
    makePair(reportRead, reportWrite, false);

    ChildPlan plan;
    plan.options = &o;
    plan.parent = ::getpid();
    plan.report = reportWrite.fd;
    plan.closeFirst[3] = reportRead.fd;
    for (int i = 0; i < 3; ++i) {
        plan.ends[i] = childEnds[i].fd;
        plan.closeFirst[i] = parentEnds[i].fd;
    }
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        plan.maxFd = static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 65536));

    const pid_t pid = ::fork();
    if (pid < 0) throwErrno("fork");
    if (pid == 0) {
        prepareChild(plan);
        childMain(plan.report);
        ::_exit(127);
    }

    for (auto& fd : childEnds) fd.close();
    reportWrite.close();
    // EOF: the child got to its exec (or its body); a record: it failed before, and exits.
    ChildFailure failure;
    size_t got = 0;
    while (got < sizeof failure) {
        const ssize_t n =
            ::read(reportRead.fd, reinterpret_cast<char*>(&failure) + got, sizeof failure - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += static_cast<size_t>(n);
    }
    if (got == sizeof failure) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        throw SpawnError(describe(failure, what, o), failure.error);
    }

    Subprocess child;
    child.pid_ = pid;
    child.inFd_ = parentEnds[0].release();
    child.outFd_ = parentEnds[1].release();
    child.errFd_ = parentEnds[2].release();
    for (int fd : {child.outFd_, child.errFd_})
        if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return child;
}

Subprocess Subprocess::spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
    if (argv.empty()) throw SpawnError("spawn: no program given", EINVAL);
    const auto path = findExecutable(argv.front());
    if (!path) throw SpawnError("cannot find '" + argv.front() + "' in PATH", ENOENT);

    // Everything exec needs, built before fork: the child may not allocate.
    std::vector<std::string> args = argv;
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::vector<std::string> env = options.environment.value_or(std::vector<std::string>{});
    std::vector<char*> cenv;
    for (auto& e : env) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    char** envp = options.environment ? cenv.data() : environ;
    const char* file = path->c_str();

    return launch(options, "'" + *path + "'", [&](int report) {
        ::execve(file, cargv.data(), envp);
        fail(report, Stage::Exec, errno);
    });
}

Subprocess Subprocess::forkCall(const std::function<void()>& body, const SpawnOptions& options) {
    return launch(options, "a forked child", [&](int report) {
        ::close(report);  // set up: the parent may go on
        try {
            body();
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(0);
    });
}

Subprocess::Subprocess(Subprocess&& other) noexcept { *this = std::move(other); }

Subprocess& Subprocess::operator=(Subprocess&& other) noexcept {
    if (this != &other) {
        reset();
        pid_ = std::exchange(other.pid_, -1);
        inFd_ = std::exchange(other.inFd_, -1);
        outFd_ = std::exchange(other.outFd_, -1);
        errFd_ = std::exchange(other.errFd_, -1);
        exitCode_ = std::exchange(other.exitCode_, std::nullopt);
        stopped_ = std::exchange(other.stopped_, false);
    }
    return *this;
}

Subprocess::~Subprocess() { reset(); }

void Subprocess::reset() noexcept {
    kill();
    for (int* fd : {&inFd_, &outFd_, &errFd_}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
    }
    pid_ = -1;
    exitCode_.reset();
    stopped_ = false;
}

bool Subprocess::writeInput(std::string_view data) {
    if (inFd_ < 0) return false;
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(inFd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

void Subprocess::closeInput() {
    if (inFd_ >= 0) ::close(inFd_);
    inFd_ = -1;
}

void Subprocess::readOutput(std::string& into) const { readAvailable(outFd_, into); }

void Subprocess::readError(std::string& into) const { readAvailable(errFd_, into); }

bool Subprocess::signal(int sig) {
    if (!running() || ::kill(pid_, sig) != 0) return false;
    if (sig == SIGCONT) stopped_ = false;
    return true;
}

void Subprocess::reaped(int status) {
    exitCode_ = exitCodeOf(status);
    stopped_ = false;
}

std::optional<int> Subprocess::poll() {
    if (!running()) return exitCode_;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG | WUNTRACED | WCONTINUED);
    if (r == pid_) {
        if (WIFSTOPPED(status))
            stopped_ = true;
        else if (WIFCONTINUED(status))
            stopped_ = false;
        else
            reaped(status);
    } else if (r < 0 && errno == ECHILD) {
        exitCode_ = -1;  // reaped elsewhere (SIGCHLD ignored): gone, code unknown
        stopped_ = false;
    }
    return exitCode_;
}

std::optional<int> Subprocess::wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        poll();
        if (!running() || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return exitCode_;
}

int Subprocess::kill() {
    if (!running()) return exitCode_.value_or(-1);
    ::kill(pid_, SIGKILL);  // also ends a stopped process
    int status = 0;
    pid_t r = -1;
    while ((r = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {}
    if (r == pid_)
        reaped(status);
    else
        exitCode_ = -1;
    stopped_ = false;
    return *exitCode_;
}

std::optional<std::string> findExecutable(const std::string& name) {
    if (name.find('/') != std::string::npos) return name;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

int exitCodeOf(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace lockscope

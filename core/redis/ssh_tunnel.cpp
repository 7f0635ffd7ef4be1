#include "redis/ssh_tunnel.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "redis/error.h"
#include "util/subprocess.h"
#include "util/thread_name.h"

extern char** environ;

namespace lockscope::redis {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kIdleLinger{30000};  // an unused SSH connection is closed after this
constexpr milliseconds kDefaultTimeout{30000};

std::atomic<long long> nextTunnelId{1};

// The thread that starts ssh masters. A child's PR_SET_PDEATHSIG fires when the *thread* that
// forked it ends; a master serves every thread of the process, so it is forked by this one, which
// lives until the process ends (and then takes its masters with it). It also closes idle masters.
class Spawner {
public:
    static Spawner& instance() {
        static Spawner* s = new Spawner;  // never destroyed: its thread runs until exit
        return *s;
    }

    Subprocess spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
        std::packaged_task<Subprocess()> task([&] { return Subprocess::spawn(argv, options); });
        auto done = task.get_future();
        {
            std::lock_guard<std::mutex> g(mutex_);
            jobs_.push_back(std::move(task));
        }
        cv_.notify_one();
        return done.get();  // rethrows SpawnError
    }

    void setHousekeeping(std::function<void()> fn) {
        std::lock_guard<std::mutex> g(mutex_);
        housekeeping_ = std::move(fn);
    }

private:
    Spawner() {
        std::thread([this] {
            setThreadName("ls-ssh");
            run();
        }).detach();
    }

    void run() {
        auto nextSweep = Steady::now() + milliseconds(5000);
        while (true) {
            std::deque<std::packaged_task<Subprocess()>> jobs;
            std::function<void()> sweep;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                cv_.wait_until(lock, nextSweep, [&] { return !jobs_.empty(); });
                jobs.swap(jobs_);
                if (Steady::now() >= nextSweep) {
                    sweep = housekeeping_;
                    nextSweep = Steady::now() + milliseconds(5000);
                }
            }
            for (auto& job : jobs) job();
            if (sweep) sweep();
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::packaged_task<Subprocess()>> jobs_;
    std::function<void()> housekeeping_;
};

std::string readFrom(const fs::path& file, long long offset) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    in.seekg(offset);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

long long fileSize(const fs::path& file) {
    std::error_code ec;
    const auto n = fs::file_size(file, ec);
    return ec ? 0 : static_cast<long long>(n);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

bool contains(const std::string& text, std::string_view what) {
    return text.find(what) != std::string::npos;
}

std::string lastLine(const std::string& text) {
    auto all = lines(text);
    return all.empty() ? std::string() : all.back();
}

// What ssh's own words (its stderr) mean for the operator, in one line.
std::string explainSsh(const std::string& said, const SshOptions& o, const SshDestination& d) {
    const std::string knownHosts = o.knownHosts.empty() ? "~/.ssh/known_hosts" : o.knownHosts;
    const std::string hostKeyName =
        d.port && d.port != 22 ? "[" + d.host + "]:" + std::to_string(d.port) : d.host;
    if (contains(said, "REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        contains(said, "has changed and you have requested strict checking"))
        return "the bastion's host key has CHANGED since it was recorded in " + knownHosts +
               " — refused (this can be an attack). If the key was replaced on purpose, remove "
               "the old entry (ssh-keygen -R '" +
               hostKeyName + "') and add the new one";
    if (contains(said, "host key is known for") || contains(said, "Host key verification failed"))
        return "the bastion's host key is not known (no entry for " + hostKeyName + " in " +
               knownHosts + ") — refused. Check its fingerprint, then add it (ssh-keyscan" +
               (d.port ? " -p " + std::to_string(d.port) : std::string()) + " " + d.host + " >> " +
               knownHosts + ")";
    if (contains(said, "Permission denied"))
        return "the bastion refused the login" + (d.user.empty() ? "" : " as " + d.user) + " (" +
               lastLine(said.substr(said.find("Permission denied"))) + ")" +
               (o.passphrase.empty() ? std::string() : " — is the identity's passphrase right?") +
               " — check --ssh-identity, the agent and the bastion's authorized_keys";
    if (contains(said, "Load key") || contains(said, "invalid format") ||
        contains(said, "bad permissions"))
        return "cannot use the identity " + o.identity + " (" + lastLine(said) + ")";
    if (contains(said, "Could not resolve hostname"))
        return "cannot resolve the bastion's host name (" + lastLine(said) + ")";
    if (contains(said, "Connection refused") || contains(said, "Connection timed out") ||
        contains(said, "No route to host") || contains(said, "Network is unreachable") ||
        contains(said, "Connection closed by") || contains(said, "Connection reset"))
        return "cannot reach the bastion (" + lastLine(said) + ")";
    const std::string last = lastLine(said);
    return last.empty() ? "ssh exited without saying why" : last;
}

std::string forwardRefusal(const std::string& said, const HostPort& target) {
    for (const auto& line : lines(said)) {
        const auto at = line.find("open failed: ");
        if (at == std::string::npos) continue;
        const std::string why = line.substr(at + 13);
        if (contains(why, "administratively prohibited"))
            return "the bastion refused to forward to " + target.display() + " (" + why +
                   ") — does it allow TCP forwarding (AllowTcpForwarding)?";
        return "the bastion could not connect to " + target.display() + " (" + why +
               ") — is that the address as the bastion sees it?";
    }
    return {};
}

// A directory of our own for control and forward sockets: only this user can use the tunnel.
fs::path makePrivateDir() {
    auto attempt = [](const fs::path& base) -> fs::path {
        std::string tmpl = (base / "lockscope-ssh-XXXXXX").string();
        // ssh's control socket gets a 17-character temporary suffix while it is created.
        if (tmpl.size() + 40 >= sizeof(sockaddr_un{}.sun_path)) return {};
        if (!::mkdtemp(tmpl.data())) return {};
        return tmpl;
    };
    std::error_code ec;
    fs::path dir = attempt(fs::temp_directory_path(ec));
    if (dir.empty()) dir = attempt("/tmp");
    if (dir.empty())
        throw Error(ErrorKind::Ssh,
                    std::string("cannot create a private directory for the SSH tunnel: ") +
                        std::strerror(errno));
    return dir;
}

bool socketExists(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// A mutex that can be waited for until a deadline, on std::mutex + condition_variable.
// std::timed_mutex would do, but libstdc++ waits for it with pthread_mutex_clocklock, which
// ThreadSanitizer does not intercept: it then sees every unlock as "unlock of an unlocked mutex"
// and the real races around the bastion could hide behind that noise.
class DeadlineMutex {
public:
    bool try_lock_until(Steady::time_point deadline) {
        std::unique_lock<std::mutex> l(m_);
        if (!free_.wait_until(l, deadline, [this] { return !held_; })) return false;
        held_ = true;
        return true;
    }
    bool try_lock_for(milliseconds wait) { return try_lock_until(Steady::now() + wait); }
    void lock() {
        std::unique_lock<std::mutex> l(m_);
        free_.wait(l, [this] { return !held_; });
        held_ = true;
    }
    bool try_lock() {
        std::lock_guard<std::mutex> l(m_);
        if (held_) return false;
        held_ = true;
        return true;
    }
    void unlock() {
        {
            std::lock_guard<std::mutex> l(m_);
            held_ = false;
        }
        free_.notify_one();
    }

private:
    std::mutex m_;
    std::condition_variable free_;
    bool held_ = false;
};

struct Bastion {
    SshOptions options;
    SshDestination destination;
    DeadlineMutex mutex;  // one master start or forward at a time
    fs::path dir;
    fs::path control;  // the master's control socket (or another process's)
    fs::path log;
    Subprocess master;  // none when `options.controlPath` names another process's
    long long tunnelId = 0;
    std::map<std::string, std::string> forwards;  // "host:port" → socket, for tunnelId
    int nextSocket = 0;
    Steady::time_point lastUsed = Steady::now();

    ~Bastion() {
        if (master.running()) {
            master.signal(SIGTERM);  // lets ssh remove its sockets
            master.wait(milliseconds(500));
        }
        master.kill();
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
    }

    bool external() const { return !options.controlPath.empty(); }

    std::vector<std::string> commonArgs() const {
        std::vector<std::string> a;
        if (destination.port) a.insert(a.end(), {"-p", std::to_string(destination.port)});
        if (!destination.user.empty()) a.insert(a.end(), {"-l", destination.user});
        return a;
    }

    // ssh's closing words when the master exited: its log.
    std::string masterSaid() const { return readFrom(log, 0); }

    void startMaster(Steady::time_point deadline) {
        forwards.clear();
        std::error_code ec;
        fs::remove(control, ec);
        const long long seconds =
            std::max<long long>(1, std::chrono::duration_cast<std::chrono::seconds>(
                                       deadline - Steady::now() + milliseconds(999))
                                       .count());
        std::vector<std::string> argv = {
            "ssh",
            "-N",
            "-M",
            "-S",
            control.string(),
            "-o",
            "ControlPersist=no",
            "-o",
            "StrictHostKeyChecking=yes",  // an unknown or changed host key is refused
            "-o",
            "ExitOnForwardFailure=yes",
            "-o",
            "StreamLocalBindUnlink=yes",
            "-o",
            "StreamLocalBindMask=0177",
            "-o",
            "ServerAliveInterval=10",  // a dead path is noticed within ~30 s
            "-o",
            "ServerAliveCountMax=3",
            "-o",
            "ConnectTimeout=" + std::to_string(seconds),
        };
        SpawnOptions so;
        so.in = Stdio::Null;
        so.out = Stdio::File;
        so.err = Stdio::File;
        so.outputFile = log.string();
        if (options.passphrase.empty()) {
            argv.insert(argv.end(), {"-o", "BatchMode=yes"});
        } else {
            // The passphrase reaches ssh through an askpass helper reading it from ssh's
            // environment (readable by this user only) — never a terminal, never argv.
            const fs::path askpass = dir / "askpass";
            {
                std::ofstream script(askpass);
                script << "#!/bin/sh\nprintf '%s\\n' \"$LOCKSCOPE_SSH_ASKPASS_SECRET\"\n";
            }
            ::chmod(askpass.c_str(), 0700);
            argv.insert(argv.end(),
                        {"-o", "BatchMode=no", "-o", "PasswordAuthentication=no", "-o",
                         "KbdInteractiveAuthentication=no", "-o", "NumberOfPasswordPrompts=1"});
            std::vector<std::string> env;
            for (char** e = environ; e && *e; ++e)
                if (std::strncmp(*e, "SSH_ASKPASS", 11) != 0 &&
                    std::strncmp(*e, "LOCKSCOPE_SSH_ASKPASS_SECRET=", 29) != 0)
                    env.emplace_back(*e);
            env.push_back("SSH_ASKPASS=" + askpass.string());
            env.push_back("SSH_ASKPASS_REQUIRE=force");
            env.push_back("LOCKSCOPE_SSH_ASKPASS_SECRET=" + options.passphrase);
            so.environment = std::move(env);
        }
        if (!options.knownHosts.empty())
            argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + options.knownHosts});
        if (!options.identity.empty())
            argv.insert(argv.end(), {"-i", options.identity, "-o", "IdentitiesOnly=yes"});
        const auto common = commonArgs();
        argv.insert(argv.end(), common.begin(), common.end());
        argv.insert(argv.end(), {"--", destination.host});

        try {
            master = Spawner::instance().spawn(argv, so);
        } catch (const SpawnError& e) {
            throw Error(ErrorKind::Ssh, std::string("cannot run ssh (the OpenSSH client, Debian "
                                                    "package openssh-client): ") +
                                            e.what());
        }
        tunnelId = nextTunnelId++;
        // Up once the control socket exists: ssh creates it after logging in.
        while (true) {
            if (master.poll()) {
                throw Error(ErrorKind::Ssh, "SSH to " + destination.display() + ": " +
                                                explainSsh(masterSaid(), options, destination));
            }
            if (socketExists(control)) return;
            if (Steady::now() >= deadline) {
                const std::string said = lastLine(masterSaid());
                master.kill();
                throw Error(ErrorKind::Timeout, "SSH to " + destination.display() +
                                                    ": not logged in within " +
                                                    std::to_string(seconds) + " s" +
                                                    (said.empty() ? "" : " (" + said + ")") +
                                                    " — is the bastion reachable?");
            }
            std::this_thread::sleep_for(milliseconds(5));
        }
    }

    // The master, started again if it is gone. Called with `mutex` held.
    void ensureMaster(Steady::time_point deadline) {
        if (external()) {
            if (!socketExists(control))
                throw Error(ErrorKind::Ssh, "the SSH connection to " + destination.display() +
                                                " that this process was given (" +
                                                control.string() + ") is gone");
            return;
        }
        if (master.running() && !master.poll() && socketExists(control)) return;
        startMaster(deadline);
    }

    std::string forward(const HostPort& target, Steady::time_point deadline) {
        const std::string key = target.display();
        if (auto it = forwards.find(key); it != forwards.end() && socketExists(it->second))
            return it->second;
        const fs::path socket =
            dir / ("f" + std::to_string(tunnelId) + "-" + std::to_string(nextSocket++) + ".sock");
        const std::string host =
            target.host.find(':') != std::string::npos ? "[" + target.host + "]" : target.host;
        std::vector<std::string> argv = {
            "ssh",
            "-S",
            control.string(),
            "-O",
            "forward",
            "-L",
            socket.string() + ":" + host + ":" + std::to_string(target.port)};
        const auto common = commonArgs();
        argv.insert(argv.end(), common.begin(), common.end());
        argv.insert(argv.end(), {"--", destination.host});
        SpawnOptions so;
        so.in = Stdio::Null;
        so.out = Stdio::Pipe;
        so.err = Stdio::Pipe;
        Subprocess client;
        try {
            client = Subprocess::spawn(argv, so);  // short-lived: this thread waits for it
        } catch (const SpawnError& e) {
            throw Error(ErrorKind::Ssh, std::string("cannot run ssh: ") + e.what());
        }
        const auto left =
            std::chrono::duration_cast<milliseconds>(deadline - Steady::now()) + milliseconds(1);
        const auto code = client.wait(std::max(left, milliseconds(1)));
        std::string said;
        client.readError(said);
        client.readOutput(said);
        if (!code) {
            client.kill();
            throw Error(ErrorKind::Timeout, "SSH to " + destination.display() +
                                                ": the forward to " + key +
                                                " was not set up in time");
        }
        if (*code != 0 || !socketExists(socket))
            throw Error(ErrorKind::Ssh,
                        "SSH to " + destination.display() + ": the forward to " + key +
                            " failed (" +
                            (lastLine(said).empty() ? "ssh exit " + std::to_string(*code)
                                                    : lastLine(said)) +
                            ")");
        forwards[key] = socket.string();
        return socket.string();
    }
};

class Registry {
public:
    static Registry& instance() {
        static Registry* r = [] {
            auto* reg = new Registry;  // never destroyed: masters end with the process
            Spawner::instance().setHousekeeping([reg] { reg->closeIdle(); });
            std::atexit([] { Registry::instance().removeDirectories(); });
            return reg;
        }();
        return *r;
    }

    std::shared_ptr<Bastion> bastion(const SshOptions& o) {
        std::string key;
        for (const std::string* part :
             {&o.destination, &o.identity, &o.knownHosts, &o.passphrase, &o.controlPath})
            key.append(*part).push_back('\0');
        std::lock_guard<std::mutex> g(mutex_);
        auto& slot = bastions_[key];
        if (!slot) {
            auto b = std::make_shared<Bastion>();
            b->options = o;
            b->destination = parseSshDestination(o.destination);
            b->dir = makePrivateDir();
            b->control = b->external() ? fs::path(o.controlPath) : b->dir / "control";
            b->log = b->dir / "ssh.log";
            slot = std::move(b);
        }
        slot->lastUsed = Steady::now();
        return slot;
    }

private:
    // On the spawner's thread: bastions nobody uses closed after kIdleLinger.
    void closeIdle() {
        std::vector<std::shared_ptr<Bastion>> closing;
        {
            std::lock_guard<std::mutex> g(mutex_);
            for (auto it = bastions_.begin(); it != bastions_.end();) {
                if (it->second.use_count() == 1 &&
                    Steady::now() - it->second->lastUsed >= kIdleLinger) {
                    closing.push_back(std::move(it->second));
                    it = bastions_.erase(it);
                } else {
                    ++it;
                }
            }
        }
        closing.clear();  // outside the lock: stopping a master waits for it
    }

    // At exit: the masters die with the process (PR_SET_PDEATHSIG); their directories are ours.
    void removeDirectories() {
        std::lock_guard<std::mutex> g(mutex_);
        for (auto& [key, b] : bastions_) {
            std::error_code ec;
            fs::remove_all(b->dir, ec);
        }
    }

    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Bastion>> bastions_;
};

// An SSH login (TCP, key exchange, authentication, a bastion that may itself be slow) takes
// longer than a Redis connect: it gets at least 10 s whatever the connection's connect timeout.
// The CLI's 2 s default ran out on a loaded machine (test_transport_cli at load 11 and under
// ASan). A refused or unreachable bastion still fails at once: ssh exits.
constexpr milliseconds kLoginAtLeast{10000};

Steady::time_point deadlineAfter(milliseconds timeout) {
    return Steady::now() + std::max(timeout.count() > 0 ? timeout : kDefaultTimeout, kLoginAtLeast);
}

std::unique_lock<DeadlineMutex> lockBastion(Bastion& b, Steady::time_point deadline) {
    std::unique_lock<DeadlineMutex> lock(b.mutex, std::defer_lock);
    if (!lock.try_lock_until(deadline))
        throw Error(ErrorKind::Timeout, "SSH to " + b.destination.display() +
                                            ": another connection is still logging in");
    return lock;
}

}  // namespace

SshForward openSshForward(const SshOptions& ssh, const HostPort& target, milliseconds timeout) {
    const auto deadline = deadlineAfter(timeout);
    auto b = Registry::instance().bastion(ssh);
    auto lock = lockBastion(*b, deadline);
    b->ensureMaster(deadline);
    SshForward f;
    f.socketPath = b->forward(target, deadline);
    f.target = target;
    f.bastion = b->destination.display();
    f.tunnelId = b->tunnelId;
    f.sshPid = b->external() ? 0 : b->master.pid();
    f.logOffset = fileSize(b->log);
    f.hold = b;
    return f;
}

std::string sshForwardProblem(const SshForward& forward, milliseconds wait) {
    auto b = std::static_pointer_cast<Bastion>(forward.hold);
    if (!b) return {};
    std::unique_lock<DeadlineMutex> lock(b->mutex, std::defer_lock);
    if (!lock.try_lock_for(wait)) return {};
    if (b->external()) {
        if (!socketExists(b->control))
            return "the SSH connection through " + forward.bastion +
                   " that this process shared "
                   "has ended";
    } else if (b->tunnelId == forward.tunnelId) {
        // A master that is dying has closed our socket a moment before it exits.
        if (b->master.running()) b->master.wait(wait);
        if (!b->master.running() && b->master.exitCode()) {
            const int code = *b->master.exitCode();
            // A killed ssh said nothing about it: its log's last line is older news.
            const std::string said = code > 128 ? std::string() : lastLine(b->masterSaid());
            return "the SSH connection through " + forward.bastion + " ended (ssh " +
                   (code > 128 ? "killed by signal " + std::to_string(code - 128)
                               : "exited with status " + std::to_string(code)) +
                   (said.empty() ? "" : ": " + said) + "); the next connection opens a new one";
        }
    } else {
        return "the SSH connection through " + forward.bastion + " was replaced";
    }
    return forwardRefusal(readFrom(b->log, forward.logOffset), forward.target);
}

void sshForwardBroken(const SshForward& forward, milliseconds wait) {
    auto b = std::static_pointer_cast<Bastion>(forward.hold);
    if (!b) return;
    std::unique_lock<DeadlineMutex> lock(b->mutex, std::defer_lock);
    if (!lock.try_lock_for(wait) || b->tunnelId != forward.tunnelId) return;
    if (!b->external() && b->master.running()) b->master.wait(wait);
    if (b->external() || b->master.running()) {
        std::error_code ec;
        fs::remove(forward.socketPath, ec);
        b->forwards.erase(forward.target.display());
    }
}

std::string sshControlPath(const SshOptions& ssh, milliseconds timeout) {
    const auto deadline = deadlineAfter(timeout);
    auto b = Registry::instance().bastion(ssh);
    auto lock = lockBastion(*b, deadline);
    b->ensureMaster(deadline);
    return b->control.string();
}

}  // namespace lockscope::redis

#include "sandbox/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "redis/connection.h"
#include "redis/error.h"
#include "sandbox/run_password.h"

namespace lockscope::sandbox {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

bool portBindable(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

std::string executablePath(const std::string& name) {
    if (auto path = findExecutable(name)) return *path;
    throw std::runtime_error("cannot find '" + name +
                             "' in PATH — install it (Debian: apt-get install redis-server)");
}

fs::path makeTempDir() {
    fs::path base = fs::temp_directory_path();
    std::string pattern = (base / "lockscope-redis-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("cannot create a temp directory in " + base.string() + ": " +
                                 std::strerror(errno));
    return pattern;
}

std::string tail(const fs::path& file, size_t maxBytes) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.size() > maxBytes ? text.substr(text.size() - maxBytes) : text;
}

fs::path secretConfigPath(const fs::path& dir) { return dir / "secret.conf"; }

// requirepass (and masterauth, for a replica) go to a 0600 file in the server's private directory,
// never onto its command line, which any local user can read (ps, /proc/<pid>/cmdline).
void writeSecretConfig(const fs::path& dir, const std::string& password) {
    // The directory is mkdtemp's 0700 already; the file is 0600 as well, before it holds anything.
    const std::string path = secretConfigPath(dir).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    // Quoted as the config parser reads arguments (sdssplitargs): a password with blanks, quotes
    // or any other byte stays one argument; everything but plain printable ASCII goes as \xHH.
    std::string quoted = "\"";
    for (const unsigned char ch : password) {
        if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
            quoted += static_cast<char>(ch);
        } else {
            char esc[5];
            std::snprintf(esc, sizeof esc, "\\x%02x", ch);
            quoted += esc;
        }
    }
    quoted += '"';
    const std::string text = "requirepass " + quoted + "\nmasterauth " + quoted + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + path);
}

}  // namespace

const std::string& runPassword() {
    static const std::string password = [] {
        std::random_device rd;
        std::string hex;
        for (int i = 0; i < 4; ++i) {
            char part[9];
            std::snprintf(part, sizeof part, "%08x", static_cast<unsigned>(rd()));
            hex += part;
        }
        return hex;
    }();
    return password;
}

int pickFreePort(int lo, int hi, bool withClusterBus) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_int_distribution<int> dist(lo, hi - 1);
    for (int attempt = 0; attempt < 200; ++attempt) {
        int port = dist(rng);
        if (portBindable(port) && (!withClusterBus || portBindable(port + 10000))) return port;
    }
    throw std::runtime_error("no free loopback port found in " + std::to_string(lo) + ".." +
                             std::to_string(hi));
}

RedisServer::RedisServer(RedisServerOptions options) : options_(std::move(options)) {
    dir_ = makeTempDir();
    const bool fixedPort = options_.port != 0;
    for (int attempt = 0;; ++attempt) {
        bool clusterBus = false;
        for (size_t i = 0; i + 1 < options_.extraArgs.size(); ++i)
            if (options_.extraArgs[i] == "--cluster-enabled" && options_.extraArgs[i + 1] == "yes")
                clusterBus = true;
        port_ = fixedPort ? options_.port
                          : pickFreePort(options_.portMin, options_.portMax, clusterBus);
        if (options_.tls) {
            // With tls-cluster the bus is the TLS port + 10000.
            do {
                tlsPort_ = pickFreePort(options_.portMin, options_.portMax, clusterBus);
            } while (tlsPort_ == port_);
        }
        try {
            start();
            return;
        } catch (const std::exception&) {
            // Another process may have taken the port between the check and the bind.
            if (fixedPort || attempt >= 4) {
                std::error_code ec;
                fs::remove_all(dir_, ec);
                throw;
            }
        }
    }
}

RedisServer::~RedisServer() {
    kill();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::vector<std::string> RedisServer::commandLine() const {
    if (options_.sentinel) {
        std::vector<std::string> args = {
            executablePath(options_.executable),
            (dir_ / "sentinel.conf").string(),
            "--sentinel",
            "--port",
            std::to_string(port_),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir_.string(),
            "--logfile",
            logPath().string(),
            "--daemonize",
            "no",
        };
        appendTlsArgs(args);
        args.insert(args.end(), options_.extraArgs.begin(), options_.extraArgs.end());
        return args;
    }
    std::vector<std::string> args = {executablePath(options_.executable)};
    if (!options_.password.empty()) args.push_back(secretConfigPath(dir_).string());
    args.insert(args.end(), {
                                "--port",
                                std::to_string(port_),
                                "--bind",
                                "127.0.0.1",
                                "--dir",
                                dir_.string(),
                                "--logfile",
                                logPath().string(),
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--daemonize",
                                "no",
                                "--protected-mode",
                                "yes",
                                "--enable-debug-command",
                                "local",
                            });
    if (options_.unixSocket) {
        args.insert(args.end(),
                    {"--unixsocket", unixSocketPath().string(), "--unixsocketperm", "700"});
    }
    if (!options_.notifyKeyspaceEvents.empty())
        args.insert(args.end(), {"--notify-keyspace-events", options_.notifyKeyspaceEvents});
    appendTlsArgs(args);
    args.insert(args.end(), options_.extraArgs.begin(), options_.extraArgs.end());
    return args;
}

void RedisServer::appendTlsArgs(std::vector<std::string>& args) const {
    if (!options_.tls) return;
    const RedisServerTls& t = *options_.tls;
    args.insert(args.end(), {"--tls-port", std::to_string(tlsPort_), "--tls-cert-file", t.certFile,
                             "--tls-key-file", t.keyFile, "--tls-ca-cert-file", t.caFile,
                             "--tls-auth-clients", t.authClients});
    if (t.replicationAndCluster)
        args.insert(args.end(), {"--tls-replication", "yes", "--tls-cluster", "yes"});
}

void RedisServer::start() {
    if (!options_.sentinel && !options_.password.empty())
        writeSecretConfig(dir_, options_.password);
    if (options_.sentinel && !fs::exists(dir_ / "sentinel.conf")) {
        std::ofstream conf(dir_ / "sentinel.conf");
        conf << options_.sentinelConfig << "\n";
        if (!conf) throw std::runtime_error("cannot write " + (dir_ / "sentinel.conf").string());
    }
    SpawnOptions spawn;
    spawn.newProcessGroup = true;  // keep Ctrl-C in the terminal from reaching the server first
    process_ = Subprocess::spawn(commandLine(), spawn);
    paused_ = false;
    try {
        waitUntilReady();
    } catch (...) {
        kill();
        throw;
    }
}

void RedisServer::waitUntilReady() {
    const auto deadline = std::chrono::steady_clock::now() + options_.startTimeout;
    redis::Endpoint ep = endpoint();
    redis::ConnectOptions co;
    co.connectTimeout = 200ms;
    co.commandTimeout = 1000ms;
    std::string lastError = "no answer";
    while (std::chrono::steady_clock::now() < deadline) {
        if (process_.poll()) {
            throw std::runtime_error(
                std::string(options_.sentinel ? "redis-sentinel" : "redis-server") + " on port " +
                std::to_string(port_) + " exited at start: " + tail(logPath(), 600));
        }
        try {
            redis::Connection c(ep, co);
            auto reply = c.command({"PING"});
            // The answer must come from our own process: another test's server may have bound
            // the port between pickFreePort()'s check and our bind, and answers PONG while ours
            // is still on its way to exiting with "Address already in use".
            if (reply.str() == "PONG") {
                const auto infoReply = c.command({"INFO", "server"});
                const std::string info(infoReply.str());
                const auto at = info.find("process_id:");
                const long long pid =
                    at == std::string::npos ? -1 : std::atoll(info.c_str() + at + 11);
                if (pid == static_cast<long long>(process_.pid())) return;
                throw std::runtime_error("port " + std::to_string(port_) +
                                         " is answered by another redis-server (pid " +
                                         std::to_string(pid) + ")");
            }
        } catch (const redis::Error& e) {
            lastError = e.what();
            // LOADING etc.: retry. A server demanding AUTH that we configured is a real answer.
        }
        std::this_thread::sleep_for(10ms);
    }
    throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                             " did not answer within " +
                             std::to_string(options_.startTimeout.count()) + " ms: " + lastError);
}

redis::Endpoint RedisServer::endpoint() const {
    redis::Endpoint e = redis::Endpoint::tcpEndpoint("127.0.0.1", port_);
    if (!options_.sentinel) e.password = options_.password;
    return e;
}

redis::Endpoint RedisServer::tlsEndpoint(redis::TlsOptions tls) const {
    redis::Endpoint e = endpoint();
    e.tcp.port = tlsPort_;
    tls.enabled = true;
    e.tls = std::move(tls);
    return e;
}

std::string RedisServer::url() const {
    std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
    return "redis://" + auth + "127.0.0.1:" + std::to_string(port_);
}

void RedisServer::pause() {
    if (process_.signal(SIGSTOP)) paused_ = true;
}

void RedisServer::resume() {
    if (process_.signal(SIGCONT)) paused_ = false;
}

void RedisServer::kill() {
    process_.kill();
    paused_ = false;
}

void RedisServer::stop() {
    if (!running()) return;
    if (paused_) process_.signal(SIGCONT);
    process_.signal(SIGTERM);
    if (!process_.wait(10000ms)) process_.kill();
    paused_ = false;
}

void RedisServer::restart() {
    kill();
    start();
}

}  // namespace lockscope::sandbox

// A throwaway redis-server process: started on a free loopback port in its own temp directory,
// stopped by pid. Used by the test fixtures, the benchmarks, the dashboard's embedded sandbox and
// the sandbox topologies (topology.h) — which also run Redis Sentinels through it (`sentinel`).
//
// The child is started with util/subprocess.h (PR_SET_PDEATHSIG=SIGKILL), so it dies with the
// thread that started it even when that process crashes or aborts; a normal destruction kills it
// and removes the temp directory. Fault helpers: pause() (SIGSTOP), resume() (SIGCONT), kill()
// (SIGKILL), restart() (same port and directory; without persistence the data is gone).
//
// Thread contract: one owner thread; start it from a thread that outlives the server.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "redis/url.h"
#include "util/subprocess.h"

namespace lockscope::sandbox {

// A TLS port beside the plain one (the plain port stays for readiness checks and setup).
struct RedisServerTls {
    std::string certFile;  // PEM server certificate and its key
    std::string keyFile;
    std::string caFile;              // CAs trusted for client certificates (and replication)
    std::string authClients = "no";  // tls-auth-clients: no, yes or optional
    // Replication and the cluster bus over TLS too (a TLS Sentinel group / cluster): masters are
    // then announced at their TLS ports.
    bool replicationAndCluster = false;
};

struct RedisServerOptions {
    std::string executable = "redis-server";  // looked up in PATH
    // Extra "--name value" arguments, appended after LockScope's defaults.
    std::vector<std::string> extraArgs;
    // Keyspace notifications for the monitor; "" leaves them off.
    std::string notifyKeyspaceEvents = "KEA";
    std::string password;  // requirepass; "" for none
    int port = 0;          // 0: pick a free one in [portMin, portMax)
    // Redis Cluster needs port + 10000 for its bus, so stay low.
    int portMin = 20000;
    int portMax = 45000;
    bool unixSocket = true;  // also listen on <dir>/redis.sock
    std::chrono::milliseconds startTimeout{10000};
    // A Redis Sentinel instead of a data node: `redis-server <dir>/sentinel.conf --sentinel`, with
    // `sentinelConfig` (its "sentinel monitor ..." lines) written to that file before the first
    // start. Sentinel rewrites the file with what it learns, so a restart keeps its knowledge.
    // The data-node settings (persistence, notifications, password, unix socket) do not apply.
    bool sentinel = false;
    std::string sentinelConfig;
    std::optional<RedisServerTls> tls;  // also listen with TLS on tlsPort()
};

class RedisServer {
public:
    explicit RedisServer(RedisServerOptions options = {});  // starts it; throws std::runtime_error
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const { return port_; }
    int tlsPort() const { return tlsPort_; }  // 0 without RedisServerOptions::tls
    pid_t pid() const { return running() ? process_.pid() : -1; }
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path unixSocketPath() const { return dir_ / "redis.sock"; }
    std::filesystem::path logPath() const { return dir_ / "redis.log"; }
    redis::Endpoint endpoint() const;  // 127.0.0.1:port, with the password if one is set
    std::string url() const;           // redis://[:password@]127.0.0.1:port
    // 127.0.0.1:tlsPort() over TLS with `tls` (enabled here), the password as endpoint().
    redis::Endpoint tlsEndpoint(redis::TlsOptions tls) const;
    bool running() const { return process_.running(); }
    bool paused() const { return paused_; }
    bool isSentinel() const { return options_.sentinel; }

    void pause();    // SIGSTOP: the server stops answering, sockets stay open
    void resume();   // SIGCONT
    void kill();     // SIGKILL and reap: a crash
    void stop();     // SIGTERM, wait (SIGKILL after 10 s), reap: a clean shutdown
    void restart();  // start again on the same port and in the same directory
    // The arguments after "--" of the command line, e.g. {"--replicaof", "127.0.0.1", "7001"}
    // (for restart(): a node that was promoted must not come back as a replica).
    void setExtraArgs(std::vector<std::string> args) { options_.extraArgs = std::move(args); }
    const std::vector<std::string>& extraArgs() const { return options_.extraArgs; }

private:
    void start();
    void waitUntilReady();
    void appendTlsArgs(std::vector<std::string>& args) const;
    std::vector<std::string> commandLine() const;

    RedisServerOptions options_;
    std::filesystem::path dir_;
    int port_ = 0;
    int tlsPort_ = 0;
    Subprocess process_;
    bool paused_ = false;
};

// A free TCP port on 127.0.0.1 in [lo, hi), checked by binding it (and port + 10000 when
// `withClusterBus`). Another process may still take it before use: callers retry on failure.
int pickFreePort(int lo, int hi, bool withClusterBus);

}  // namespace lockscope::sandbox

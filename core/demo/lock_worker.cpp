#include "demo/lock_worker.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <thread>

#include "demo/histogram.h"
#include "demo/protected_resource.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "redis/transport.h"
#include "util/thread_name.h"

namespace lockscope::demo {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

[[noreturn]] void invalid(const std::string& m) {
    throw redis::Error(redis::ErrorKind::InvalidArgument, "worker: " + m);
}

long long number(const std::string& name, const std::string& text) {
    long long v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
        invalid("--" + name + " takes a whole number, not '" + text + "'");
    return v;
}

std::string nodeText(const redis::Endpoint& e) {
    if (e.transport == redis::Endpoint::Transport::Unix)
        return "unix://" + e.unixPath + "?db=" + std::to_string(e.db);
    return (e.tls.enabled ? "rediss://" : "redis://") + e.tcp.display() + "/" +
           std::to_string(e.db);
}

// Watches stdin on its own thread: "go" opens the gate, end of input stops the worker. Shared
// state, because the thread is detached and may outlive the loop (blocked in read()).
struct Input {
    std::atomic<bool> go{false};
    std::atomic<bool> stopAfterSetnx{false};
    std::atomic<bool> closed{false};
};

void watchInput(std::shared_ptr<Input> input, int fd) {
    setThreadName("ls-demo-input");
    std::string buffer;
    char buf[256];
    while (true) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        buffer.append(buf, static_cast<size_t>(n));
        for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
            const std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            if (line == "go") input->go = true;
            if (line == "stop-after-setnx") input->stopAfterSetnx = true;
        }
    }
    input->closed = true;
}

}  // namespace

std::vector<std::string> lockWorkerArgs(const LockWorkerSpec& s) {
    std::vector<std::string> a = {"worker", "lock"};
    for (const auto& n : s.nodes) a.insert(a.end(), {"--node", nodeText(n)});
    if (!s.nodes.empty() && !s.nodes.front().user.empty())
        a.insert(a.end(), {"--user", s.nodes.front().user});
    // TLS and the SSH tunnel as the engine reaches the nodes (the same for all of them); the
    // passphrases go through the environment (redis::transportEnvironment).
    if (!s.nodes.empty()) {
        // The worker's own --key is the lock's: the TLS client key travels as --tls-key.
        for (const auto& f : redis::transportFlags(s.nodes.front().tls, s.nodes.front().ssh))
            a.push_back(f == "--key" ? "--tls-key" : f);
    }
    a.insert(
        a.end(),
        {"--strategy", s.strategy, "--key", s.lockKey, "--resource", s.resourcePrefix, "--ops",
         std::to_string(s.ops), "--ttl", std::to_string(s.ttl.count()), "--work-us",
         std::to_string(s.work.count()), "--wait", std::to_string(s.wait.count()), "--timeout",
         std::to_string(s.timeout.count()), "--give-up", std::to_string(s.giveUpAfter.count())});
    if (s.clockOffset.count() != 0)
        a.insert(a.end(), {"--clock-offset", std::to_string(s.clockOffset.count())});
    return a;
}

LockWorkerSpec parseLockWorkerArgs(const std::vector<std::string>& args) {
    LockWorkerSpec s;
    std::string user;
    redis::TlsOptions tls;
    redis::SshOptions ssh;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--tls" || a == "--insecure") {
            redis::applyTransportFlag(a.substr(2), {}, tls, ssh);
            continue;
        }
        if (a.rfind("--", 0) != 0 || i + 1 >= args.size())
            invalid("unexpected argument '" + a + "'");
        const std::string name = a.substr(2);
        const std::string& v = args[++i];
        if (name != "key" &&
            redis::applyTransportFlag(name == "tls-key" ? "key" : name, v, tls, ssh))
            continue;
        if (name == "node") {
            s.nodes.push_back(redis::parseUrl(v).endpoint());
        } else if (name == "user") {
            user = v;
        } else if (name == "strategy") {
            s.strategy = v;
        } else if (name == "key") {
            s.lockKey = v;
        } else if (name == "resource") {
            s.resourcePrefix = v;
        } else if (name == "ops") {
            s.ops = number(name, v);
        } else if (name == "ttl") {
            s.ttl = milliseconds(number(name, v));
        } else if (name == "work-us") {
            s.work = std::chrono::microseconds(number(name, v));
        } else if (name == "wait") {
            s.wait = milliseconds(number(name, v));
        } else if (name == "timeout") {
            s.timeout = milliseconds(number(name, v));
        } else if (name == "give-up") {
            s.giveUpAfter = milliseconds(number(name, v));
        } else if (name == "clock-offset") {
            s.clockOffset = milliseconds(number(name, v));
        } else {
            invalid("unknown option '" + a + "'");
        }
    }
    if (s.nodes.empty() || s.strategy.empty() || s.lockKey.empty() || s.resourcePrefix.empty())
        invalid("needs --node, --strategy, --key and --resource");
    if (s.ops < 1 || s.ttl.count() < 1) invalid("--ops and --ttl must be at least 1");
    const char* password = std::getenv("LOCKSCOPE_PASSWORD");
    if (const char* p = std::getenv(redis::kTlsKeyPassphraseVariable)) tls.keyPassphrase = p;
    if (const char* p = std::getenv(redis::kSshPassphraseVariable)) ssh.passphrase = p;
    for (auto& n : s.nodes) {
        n.user = user;
        if (password) n.password = password;
        n.tls.enabled = n.tls.enabled || tls.enabled;  // rediss:// or --tls
        const bool on = n.tls.enabled;
        n.tls = tls;
        n.tls.enabled = on;
        n.ssh = ssh;
    }
    return s;
}

int runLockWorker(const LockWorkerSpec& spec, int inputFd, std::ostream& out,
                  const std::atomic<bool>* stop) {
    auto input = std::make_shared<Input>();
    std::thread(watchInput, input, inputFd).detach();
    auto stopping = [&] { return input->closed.load() || (stop && stop->load()); };
    const long long pid = ::getpid();

    // Counted here, reported by the progress thread below while this one may wait.
    std::atomic<long long> sections{0}, acquisitions{0}, timeouts{0}, errors{0};
    long long lostLock = 0, stale = 0;
    // Waits that never finished (timed out, or cut off when the run stopped): recorded in `waits`
    // at the time they ended, so a starved worker's wait counts (a lower bound), and counted here.
    long long censored = 0;
    LatencyHistogram waits;
    auto counts = [&] {
        return "sections=" + std::to_string(sections.load()) +
               " acquisitions=" + std::to_string(acquisitions.load()) +
               " timeouts=" + std::to_string(timeouts.load()) +
               " errors=" + std::to_string(errors.load());
    };
    std::mutex outMutex;  // progress lines come from two threads
    auto say = [&](const std::string& line) {
        std::lock_guard<std::mutex> g(outMutex);
        out << line << "\n" << std::flush;
    };
    // Progress every 50 ms while the counts change, from its own thread: reported from the loop,
    // the sections done just before a long wait (a crashed holder's leaked permit) came only
    // with the result, seconds later, and the live chart drew them as a burst after the stall.
    struct Reporter {
        std::atomic<bool> done{false};
        std::thread thread;
        void stop() {
            done = true;
            if (thread.joinable()) thread.join();
        }
        ~Reporter() { stop(); }
    };
    try {
        OffsetClock skewed(spec.clockOffset);
        locks::LockContext ctx;
        ctx.nodes = spec.nodes;
        ctx.connect.connectTimeout = spec.timeout;
        ctx.connect.commandTimeout = spec.timeout;
        if (spec.clockOffset.count() != 0) ctx.clock = &skewed;
        ctx.config.afterSetnx = [input] {
            // crash-holder on setnx-expire: hold still in the gap, for the engine to kill.
            if (input->stopAfterSetnx.exchange(false)) ::raise(SIGSTOP);
        };
        // reentrant runs as Redisson's lock() does: watchdog mode, lease = ttl.
        milliseconds acquireTtl = spec.ttl;
        if (spec.strategy == "reentrant") {
            ctx.config.watchdogTimeout = spec.ttl;
            acquireTtl = milliseconds(0);
        }
        auto lock = locks::makeLockStrategy(spec.strategy, ctx);
        redis::ConnectOptions resourceOptions = ctx.connect;
        resourceOptions.clientName = ctx.owner.clientName();
        redis::Connection resourceConn(spec.nodes.front(), resourceOptions);
        ProtectedResource resource(resourceConn, spec.resourcePrefix);
        resourceConn.command({"PING"});

        say("ready " + std::to_string(pid));
        while (!input->go.load() && !stopping())
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        Reporter reporter;
        reporter.thread = std::thread([&] {
            std::string last = counts();
            auto lastAt = Steady::now();
            while (!reporter.done.load()) {
                std::this_thread::sleep_for(milliseconds(5));
                if (Steady::now() - lastAt < milliseconds(50)) continue;
                std::string now = counts();
                if (now == last) continue;
                say("progress " + now);
                last = std::move(now);
                lastAt = Steady::now();
            }
        });

        locks::WaitOptions wait;
        wait.timeout = spec.wait;
        wait.cancel = &input->closed;  // the engine closed stdin: stop waiting at once
        bool failing = false;          // errors since the last good section, since failingSince
        Steady::time_point failingSince{};
        for (long long i = 0; i < spec.ops && !stopping(); ++i) {
            std::optional<locks::Lease> lease;
            bool inside = false;
            try {
                const auto t0 = Steady::now();
                lease = lock->acquire(spec.lockKey, acquireTtl, wait);
                if (!lease) {
                    if (!stopping()) ++timeouts;
                    waits.record(Steady::now() - t0);
                    ++censored;
                    continue;
                }
                waits.record(Steady::now() - t0);
                ++acquisitions;
                inside = true;
                resource.enter(pid, lease->token);
                const long long value = resource.read(pid, lease->token, lease->fence);
                std::this_thread::sleep_for(spec.work);
                if (resource.write(pid, lease->token, value + 1, lease->fence) ==
                    ProtectedResource::Write::RejectedStale)
                    ++stale;
                resource.exit(pid);
                inside = false;
                const auto released = lock->release(*lease);
                lease.reset();
                if (released != locks::ReleaseResult::Released &&
                    released != locks::ReleaseResult::StillHeld)
                    ++lostLock;  // the lock was no longer ours by the time we let go
                ++sections;
                failing = false;
            } catch (const redis::Error& e) {
                ++errors;
                try {
                    if (inside) resource.exit(pid);
                    if (lease) lock->release(*lease);
                } catch (const redis::Error&) {}
                const auto now = Steady::now();
                if (!failing) failingSince = now;
                failing = true;
                if (now - failingSince > spec.giveUpAfter) throw;
                std::this_thread::sleep_for(milliseconds(10));
            }
        }
        reporter.stop();
        say("result " + counts() + " lost_lock=" + std::to_string(lostLock) +
            " stale=" + std::to_string(stale) + " censored=" + std::to_string(censored) +
            " wait=" + waits.encode());
        return 0;
    } catch (const redis::Error& e) {
        std::string message = e.what();
        for (char& c : message)
            if (c == '\n') c = ' ';
        say("error " + std::string(redis::errorKindName(e.kind())) + " " + message);
        return e.kind() == redis::ErrorKind::InvalidArgument ? 2 : 3;
    }
}

}  // namespace lockscope::demo

// A lock holder in a process of its own, for fault tests that SIGSTOP or SIGKILL a real holder: a
// stopped process is truly paused (its beater / watchdog threads too), a killed one truly gone.
// Tests start it with ChildProcess::spawn (fork + exec), which is safe while the test process has
// threads — unlike ChildProcess::forkRun.
//
//   lock_holder_child <port> <strategy> <key> <ttl_ms> [missed-beats=N] [auto-beat=0|1]
//                     [watchdog-ms=N] [waiter-timeout-ms=N] [permits=N] [read=1]
//
// Prints "acquired <token>" once it holds the lock (127.0.0.1:<port>), then holds it until it is
// killed. A heartbeat holder prints "lost" when one of its beats finds the lock taken over.
// Exit codes: 1 not acquired within 10 s, 2 usage error, 3 Redis error.
#include <cstdio>
#include <exception>
#include <string>
#include <thread>

#include "locks/heartbeat.h"
#include "locks/lock_strategy.h"

using namespace lockscope;

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr,
                     "usage: %s <port> <strategy> <key> <ttl_ms> [missed-beats=N] "
                     "[auto-beat=0|1] [watchdog-ms=N] [waiter-timeout-ms=N] [permits=N] "
                     "[read=1]\n",
                     argv[0]);
        return 2;
    }
    try {
        locks::LockContext ctx;
        ctx.nodes = {redis::Endpoint::tcpEndpoint("127.0.0.1", std::stoi(argv[1]))};
        for (int i = 5; i < argc; ++i) {
            const std::string opt = argv[i];
            const auto eq = opt.find('=');
            const std::string name = opt.substr(0, eq);
            const long long value = eq == std::string::npos ? 0 : std::stoll(opt.substr(eq + 1));
            if (name == "missed-beats")
                ctx.config.missedBeats = static_cast<int>(value);
            else if (name == "auto-beat")
                ctx.config.autoBeat = value != 0;
            else if (name == "watchdog-ms")
                ctx.config.watchdogTimeout = std::chrono::milliseconds(value);
            else if (name == "waiter-timeout-ms")
                ctx.config.waiterTimeout = std::chrono::milliseconds(value);
            else if (name == "permits")
                ctx.config.permits = static_cast<int>(value);
            else if (name == "read")
                ctx.config.rwMode =
                    value ? locks::LockConfig::RwMode::Read : locks::LockConfig::RwMode::Write;
            else {
                std::fprintf(stderr, "unknown option '%s'\n", opt.c_str());
                return 2;
            }
        }
        auto lock = locks::makeLockStrategy(argv[2], ctx);
        auto lease = lock->acquire(argv[3], std::chrono::milliseconds(std::stoll(argv[4])),
                                   {.timeout = std::chrono::seconds(10)});
        if (!lease) {
            std::fprintf(stderr, "lock %s is busy\n", argv[3]);
            return 1;
        }
        std::printf("acquired %s\n", lease->token.c_str());
        std::fflush(stdout);
        const auto* heartbeat = dynamic_cast<const locks::HeartbeatLock*>(lock.get());
        bool toldLost = false;
        while (true) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            if (heartbeat && !toldLost && heartbeat->isLost(*lease)) {
                std::printf("lost\n");
                std::fflush(stdout);
                toldLost = true;
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 3;
    }
}

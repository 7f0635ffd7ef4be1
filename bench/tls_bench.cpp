// The set-nx-px lock cycle (SET NX PX + EVALSHA compare-and-delete: two round trips) through
// LockScope's Connection over TLS, for bench/run_tls_bench.sh, which runs it in alternation with
// `redis-benchmark --tls -c 1 -t set` against the same pinned server. Prints cycles per second.
//
// Usage: tls_bench --url rediss://127.0.0.1:P [--cacert FILE] [--ms 1000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "redis/url.h"
#include "util/random.h"

int main(int argc, char** argv) {
    using namespace lockscope;
    using Steady = std::chrono::steady_clock;
    std::string url, cacert;
    long long ms = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--url")
            url = v;
        else if (a == "--cacert")
            cacert = v;
        else if (a == "--ms")
            ms = std::atoll(v.c_str());
    }
    try {
        redis::Endpoint e = redis::parseUrl(url).endpoint();
        e.tls.caCert = cacert;
        locks::LockContext ctx;
        ctx.nodes = {e};
        auto lock = locks::makeLockStrategy("set-nx-px", ctx);
        const std::string key = "bench:tls:" + randomHex(6);
        auto cycle = [&] {
            auto lease = lock->tryAcquire(key, std::chrono::milliseconds(10000));
            if (!lease || lock->release(*lease) != locks::ReleaseResult::Released) {
                std::fprintf(stderr, "tls_bench: uncontended cycle failed\n");
                std::exit(1);
            }
        };
        const auto warm = Steady::now() + std::chrono::milliseconds(200);
        while (Steady::now() < warm) cycle();
        long long n = 0;
        const auto start = Steady::now();
        const auto end = start + std::chrono::milliseconds(ms);
        auto now = start;
        while (now < end) {
            for (int i = 0; i < 16; ++i) cycle();
            n += 16;
            now = Steady::now();
        }
        std::printf("%.1f\n",
                    static_cast<double>(n) / std::chrono::duration<double>(now - start).count());
    } catch (const redis::Error& e) {
        std::fprintf(stderr, "tls_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}

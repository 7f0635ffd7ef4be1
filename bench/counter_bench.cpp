// Counter benchmark: throughput of every counter strategy as the demo engine runs it (N worker
// threads, one connection each, one shared counter), beside `redis-benchmark -t incr` at the same
// client count, unpipelined, measured in the same run. Goal (the issue): `incr` >= 0.95 of
// redis-benchmark. Also reports retries per successful increment (watch, versioned, locked).
//
// Honesty rules (README.md#benchmarks): run pinned (bench/run_counter_bench.sh starts the server
// and pins server and client with taskset; redis-benchmark inherits the client's pinning); floor
// and strategy alternate round by round, which one goes first alternating too; medians of the
// per-round ratios are reported, with their range.
//
// Usage: counter_bench --port P [--pinning TEXT] [--clients 1,8] [--rounds 11] [--round-ms 300]
//                      [--strategies naive,incr,...] [--incr-rounds 21]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "counters/counter_strategy.h"
#include "demo/counter_demo.h"
#include "redis/error.h"

namespace {

using namespace lockscope;

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "counter_bench: %s\n", why.c_str());
    std::exit(1);
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        const auto comma = s.find(',', start);
        out.push_back(s.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// redis-benchmark -t incr, unpipelined, `clients` connections, `requests` in all: requests/s.
double redisBenchmark(int port, int clients, long long requests) {
    const std::string cmd = "redis-benchmark -h 127.0.0.1 -p " + std::to_string(port) + " -c " +
                            std::to_string(clients) + " -n " + std::to_string(requests) +
                            " -t incr -P 1 --csv 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) die("cannot run redis-benchmark");
    char line[512];
    double rps = 0;
    while (std::fgets(line, sizeof line, p)) {
        // "INCR","65789.48",...
        if (std::string(line).rfind("\"INCR\"", 0) == 0) rps = std::atof(line + 8);
    }
    if (::pclose(p) != 0 || rps <= 0) die("redis-benchmark failed (is it in PATH?)");
    return rps;
}

struct StrategyRun {
    double opsPerSecond = 0;
    double retriesPerOp = 0;
};

StrategyRun strategy(const demo::DemoTarget& target, const counters::CounterSpec& spec, int clients,
                     long long opsPerWorker) {
    demo::CounterDemoOptions o;
    o.target = target;
    o.strategies = {spec};
    o.workers = clients;
    o.opsPerWorker = opsPerWorker;
    try {
        const auto report = demo::runCounterDemo(o);
        const auto& r = report.results.front();
        if (!r.exact && r.strategy != "naive" && r.strategy != "capped")
            die(r.label + " was not exact: " + r.explanation);
        return {r.opsPerSecond,
                r.ops ? static_cast<double>(r.retries) / static_cast<double>(r.ops) : 0};
    } catch (const redis::Error& e) {
        die(spec.text() + ": " + e.what());
    }
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0, rounds = 11, incrRounds = 21;
    std::string pinning = "unpinned (use bench/run_counter_bench.sh)";
    std::string clientsArg = "1,8";
    std::string strategiesArg = "incr,naive,watch,locked,lua,versioned,batched,capped";
    std::chrono::milliseconds roundTime{300};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + a);
            return argv[++i];
        };
        if (a == "--port")
            port = std::atoi(value().c_str());
        else if (a == "--pinning")
            pinning = value();
        else if (a == "--clients")
            clientsArg = value();
        else if (a == "--rounds")
            rounds = std::atoi(value().c_str());
        else if (a == "--incr-rounds")
            incrRounds = std::atoi(value().c_str());
        else if (a == "--round-ms")
            roundTime = std::chrono::milliseconds(std::atoi(value().c_str()));
        else if (a == "--strategies")
            strategiesArg = value();
        else
            die("unknown option " + a);
    }
    if (port <= 0) die("--port is required");
    demo::DemoTarget target;
    target.nodes = {redis::Endpoint::tcpEndpoint("127.0.0.1", port)};
    const auto specs = counters::expandCounterSpecs(strategiesArg);
    const double seconds = std::chrono::duration<double>(roundTime).count();

    std::printf("counter_bench: %s\n", pinning.c_str());
    std::printf(
        "floor: redis-benchmark -t incr -P 1 -c <clients>; strategy: the demo engine, "
        "<clients> threads x own connection, one counter\n");
    std::printf(
        "rounds of ~%lld ms, floor and strategy alternating; medians (range) of per-round "
        "ratios\n\n",
        static_cast<long long>(roundTime.count()));
    std::printf("%-7s %-17s %11s %11s %7s  %-13s %10s\n", "clients", "strategy", "floor/s",
                "strategy/s", "ratio", "ratio range", "retries/op");
    for (const auto& c : split(clientsArg)) {
        const int clients = std::atoi(c.c_str());
        if (clients < 1) die("bad client count '" + c + "'");
        // Size the rounds: a warm-up of each side tells its rate.
        const double floorRate = redisBenchmark(port, clients, 20000);
        const long long floorRequests =
            std::max(2000LL, static_cast<long long>(floorRate * seconds));
        for (const auto& spec : specs) {
            const auto warm = strategy(target, spec, clients, 200);
            const long long perWorker = std::clamp<long long>(
                static_cast<long long>(warm.opsPerSecond * seconds / clients), 50, 2'000'000);
            const int n = spec.id == "incr" ? incrRounds : rounds;
            std::vector<double> floors, rates, ratios, retries;
            for (int r = 0; r < n; ++r) {
                double f = 0;
                StrategyRun s;
                if (r % 2 == 0) {
                    f = redisBenchmark(port, clients, floorRequests);
                    s = strategy(target, spec, clients, perWorker);
                } else {
                    s = strategy(target, spec, clients, perWorker);
                    f = redisBenchmark(port, clients, floorRequests);
                }
                floors.push_back(f);
                rates.push_back(s.opsPerSecond);
                ratios.push_back(s.opsPerSecond / f);
                retries.push_back(s.retriesPerOp);
            }
            const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
            char range[32];
            std::snprintf(range, sizeof range, "%.3f-%.3f", *lo, *hi);
            std::printf("%-7d %-17s %11.0f %11.0f %7.3f  %-13s %10.2f", clients,
                        spec.text().c_str(), median(floors), median(rates), median(ratios), range,
                        median(retries));
            if (spec.id == "incr")
                std::printf("   goal >=0.95 %s", median(ratios) >= 0.95 ? "met" : "MISSED");
            std::printf("\n");
            std::fflush(stdout);
        }
    }
    return 0;
}

// Monitor engine benchmarks (run by bench/run_monitor_bench.sh, which starts a pinned
// redis-server and pins this program):
//
//   monitor_bench inventory --port P [--keys N] [--rounds R] [--mix tracked|production]
//       Fills the server with N keys unless it already holds them — `tracked` (default): half
//       locks in four formats, half counters, plus N/10 other keys; `production`: N keys of which
//       4 % are locks or counters, the rest cached JSON, session hashes, sets, lists, sorted sets —
//       then alternates a bare SCAN COUNT 1000 loop (raw hiredis: the floor) with a complete
//       classified inventory by the Monitor, run in a fresh process so its peak RSS can be
//       measured, and with the raw reads any inventory needs (IDLETIME, PTTL, GETRANGE per key,
//       raw hiredis: what Redis itself takes to answer them). Prints the ratios, the server's CPU
//       per key and bytes per tracked key.
//
//   monitor_bench storm --port P [--requests N] [--clients 8] [--pipeline 16]
//       Follows the server with the Monitor while redis-benchmark SETs lock keys at full speed,
//       and a probe writes one lock key every 10 ms: events received vs. sent, subscription drops,
//       and the delay from a probe's SET to the engine's update (p50/p99).
//
//   monitor_bench budget --port P [--keys N] [--budget PERCENT] [--steady S]
//       What watching costs the server (issue 12): N keys (DEBUG POPULATE, default 1M) and one
//       tracked lock; with notifications off, then on, a Monitor at the budget follows the server
//       while a probe client PINGs it: server CPU share (INFO cpu) during the first inventory and
//       over S seconds of steady state, the probe's PING p99 against a baseline without the
//       monitor, time to the first complete inventory, and how stale the tracked lock's TTL is
//       (its TTL is changed every 2 s; the delay until the engine shows it). Then, budget
//       unlimited, a complete inventory against a bare SCAN in the same run.
//
//   monitor_bench monitor-run --port P   (internal: one inventory, prints "secs tracked bytes")
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "monitor/monitor.h"
#include "redis/connection.h"
#include "redis/error.h"

using namespace lockscope;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "monitor_bench: %s\n", why.c_str());
    std::exit(1);
}

long long vmHwmKb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
    return 0;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

redis::Endpoint endpointFor(int port) { return redis::Endpoint::tcpEndpoint("127.0.0.1", port); }

// ---- inventory -------------------------------------------------------------------------------

void fillTracked(int port, long long keys) {
    redis::Connection c(endpointFor(port));
    const long long have = c.command({"DBSIZE"}).integer();
    const long long want = keys + keys / 10;
    if (have == want) return;
    if (have != 0)
        die("the server holds " + std::to_string(have) + " keys, not the " + std::to_string(want) +
            " this benchmark writes: give it an empty server");
    std::fprintf(stderr, "filling %lld keys...\n", want);
    const long long hour = 3600 * 1000;
    for (long long base = 0; base < keys; base += 1000) {
        auto p = c.pipeline();
        for (long long i = base; i < std::min(keys, base + 1000); ++i) {
            const std::string n = std::to_string(i);
            if (i % 2 == 1) {  // counters
                p.add({"SET", "ctr:" + n, i * 7});
                continue;
            }
            switch ((i / 2) % 5) {
                case 0:
                case 1:
                    p.add({"SET", "lock:" + n,
                           "lockscope:set-nx-px:bench-host:4242:0123abcd:" +
                               std::string(16 - std::min<size_t>(16, n.size()), '0') + n,
                           "PX", hour});
                    break;
                case 2:
                    p.add({"SET", "pylock:" + n,
                           "5f0e4d2a3b1c11ee9a3b" +
                               std::string(12 - std::min<size_t>(12, n.size()), '0') + n});
                    break;
                case 3:
                    p.add({"HSET", "rlock:" + n, "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:" + n, 1});
                    p.add({"PEXPIRE", "rlock:" + n, hour});
                    break;
                default:
                    p.add({"SET", "redlock:" + n,
                           "9c4b2f0e7a6d5c3b1a0f" +
                               std::string(12 - std::min<size_t>(12, n.size()), '0') + n,
                           "PX", hour});
            }
        }
        p.exec();
    }
    for (long long base = 0; base < keys / 10; base += 1000) {
        auto p = c.pipeline();
        for (long long i = base; i < std::min(keys / 10, base + 1000); ++i)
            p.add({"SET", "user:" + std::to_string(i) + ":greeting", "hello there"});
        p.exec();
    }
}

// A production-like keyspace: 3 keys in 100 locks (three of the formats), 1 in 100 a counter, the
// rest what an application server holds — cached JSON documents, session hashes with a TTL, sets,
// lists and sorted sets — under names with no lock word. N keys in all.
void fillProduction(int port, long long keys) {
    redis::Connection c(endpointFor(port));
    const long long have = c.command({"DBSIZE"}).integer();
    if (have == keys) return;
    if (have != 0)
        die("the server holds " + std::to_string(have) + " keys, not the " + std::to_string(keys) +
            " this benchmark writes: give it an empty server");
    std::fprintf(stderr, "filling %lld production-like keys...\n", keys);
    const long long hour = 3600 * 1000;
    for (long long base = 0; base < keys; base += 1000) {
        auto p = c.pipeline();
        for (long long i = base; i < std::min(keys, base + 1000); ++i) {
            const std::string n = std::to_string(i);
            const std::string pad(12 - std::min<size_t>(12, n.size()), '0');
            switch (i % 100) {
                case 0:
                    p.add({"SET", "lock:" + n,
                           "lockscope:set-nx-px:bench-host:4242:0123abcd:" + pad + n, "PX", hour});
                    continue;
                case 1:
                    p.add({"SET", "ctr:" + n, i * 7});
                    continue;
                case 2:
                    p.add({"HSET", "rlock:" + n, "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:" + n, 1});
                    p.add({"PEXPIRE", "rlock:" + n, hour});
                    continue;
                case 3:
                    p.add({"SET", "redlock:" + n, "9c4b2f0e7a6d5c3b1a0f" + pad + n, "PX", hour});
                    continue;
                default:
                    break;
            }
            switch (i % 10) {
                case 6:
                    p.add({"HSET", "session:" + n, "user", "u" + n, "ip", "10.0.3.7", "seen",
                           "1796600000"});
                    p.add({"PEXPIRE", "session:" + n, hour});
                    break;
                case 7:
                    p.add({"SADD", "tags:item:" + n, "red", "sale", "new"});
                    break;
                case 8:
                    p.add({"RPUSH", "queue:mail:" + n, "welcome", "digest"});
                    break;
                case 9:
                    p.add({"ZADD", "board:" + n, "1", "ann", "2", "bob"});
                    break;
                default:
                    p.add({"SET", "cache:item:" + n,
                           "{\"id\":" + n + ",\"title\":\"Item " + n +
                               "\",\"price\":19.90,\"stock\":" + std::to_string(i % 97) + "}"});
            }
        }
        p.exec();
    }
}

void fill(int port, long long keys, const std::string& mix) {
    if (mix == "production")
        fillProduction(port, keys);
    else
        fillTracked(port, keys);
}

// CPU seconds the server has used (INFO cpu), to show where the time of each run goes.
double serverCpu(int port) {
    redis::Connection c(endpointFor(port));
    std::string info(c.command({"INFO", "cpu"}).str());
    auto field = [&](const std::string& name) {
        auto at = info.find(name + ":");
        return at == std::string::npos ? 0.0 : std::stod(info.substr(at + name.size() + 1));
    };
    return field("used_cpu_sys") + field("used_cpu_user");
}

// What the server ran since the last CONFIG RESETSTAT (INFO commandstats), per key listed:
// "get 1.00 calls 0.93 us, ..." — which commands the inventory sends, and what each costs.
std::string commandsPerKey(int port, long long keys) {
    redis::Connection c(endpointFor(port));
    std::string info(c.command({"INFO", "commandstats"}).str());
    std::string out;
    size_t at = 0;
    while ((at = info.find("cmdstat_", at)) != std::string::npos) {
        const auto eol = info.find('\n', at);
        const std::string line = info.substr(at + 8, eol - at - 8);
        at = eol;
        const auto colon = line.find(':');
        const std::string name = line.substr(0, colon);
        if (name == "info" || name == "config" || name == "dbsize" || name == "ping") continue;
        auto field = [&](const std::string& f) {
            auto p = line.find(f + "=");
            return p == std::string::npos ? 0.0 : std::stod(line.substr(p + f.size() + 1));
        };
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s%s %.2f calls %.2f us", out.empty() ? "" : ", ",
                      name.c_str(), field("calls") / static_cast<double>(keys),
                      field("usec") / static_cast<double>(keys));
        out += buf;
    }
    return out;
}

void resetStats(int port) {
    redis::Connection c(endpointFor(port));
    c.command({"CONFIG", "RESETSTAT"});
}

// The floor: the cheapest complete walk of the keyspace, with raw hiredis.
double bareScanSeconds(int port, long long* keysSeen) {
    redisContext* c = redisConnect("127.0.0.1", port);
    if (!c || c->err) die("connect");
    const auto t0 = Steady::now();
    std::string cursor = "0";
    long long n = 0;
    do {
        auto* r = static_cast<redisReply*>(redisCommand(c, "SCAN %s COUNT 1000", cursor.c_str()));
        if (!r || r->type != REDIS_REPLY_ARRAY) die("SCAN failed");
        cursor.assign(r->element[0]->str, r->element[0]->len);
        n += static_cast<long long>(r->element[1]->elements);
        freeReplyObject(r);
    } while (cursor != "0");
    const double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    redisFree(c);
    *keysSeen = n;
    return secs;
}

// The reads any classified inventory needs, with raw hiredis and nothing else: after each SCAN
// batch, one pipeline of OBJECT IDLETIME (read first: a value read resets it, and Redis 7.0 has no
// CLIENT NO-TOUCH), PTTL and GETRANGE 0 255 per key (`reads` of them, from the last). No
// classification, no bookkeeping: what Redis itself takes to answer, the floor under the engine.
double rawReadsSeconds(int port, int reads) {
    redisContext* c = redisConnect("127.0.0.1", port);
    if (!c || c->err) die("connect");
    const auto t0 = Steady::now();
    std::string cursor = "0";
    do {
        auto* r = static_cast<redisReply*>(redisCommand(c, "SCAN %s COUNT 1000", cursor.c_str()));
        if (!r || r->type != REDIS_REPLY_ARRAY) die("SCAN failed");
        cursor.assign(r->element[0]->str, r->element[0]->len);
        const redisReply* keys = r->element[1];
        for (size_t i = 0; i < keys->elements; ++i) {
            const char* k = keys->element[i]->str;
            const size_t n = keys->element[i]->len;
            if (reads >= 3) redisAppendCommand(c, "OBJECT IDLETIME %b", k, n);
            if (reads >= 2) redisAppendCommand(c, "PTTL %b", k, n);
            redisAppendCommand(c, "GETRANGE %b 0 255", k, n);
        }
        for (size_t i = 0; i < keys->elements * static_cast<size_t>(reads); ++i) {
            void* reply = nullptr;
            if (redisGetReply(c, &reply) != REDIS_OK) die("pipeline failed");
            freeReplyObject(reply);
        }
        freeReplyObject(r);
    } while (cursor != "0");
    const double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    redisFree(c);
    return secs;
}

// One complete inventory by the engine, in this (fresh) process.
int monitorRun(int port) {
    const long long before = vmHwmKb();
    monitor::MonitorOptions o;
    o.subscribe = false;      // inventory only: the storm benchmark measures the live side
    o.scanBudgetPercent = 0;  // full speed: compared with the bare SCAN floor
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    size_t tracked = 0;
    const auto t0 = Steady::now();
    monitor::Monitor engine({endpointFor(port)}, o);
    engine.setListener([&](monitor::MonitorUpdate u) {
        if (!u.status.inventoryComplete) return;
        std::lock_guard<std::mutex> g(m);
        if (!done) tracked = u.status.keysTracked;
        done = true;
        cv.notify_all();
    });
    engine.start();
    {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return done; });
    }
    const double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    const long long peak = vmHwmKb();
    engine.stop();
    std::printf("%.4f %zu %lld\n", secs, tracked, (peak - before) * 1024);
    return 0;
}

int inventory(int port, long long keys, int rounds, const std::string& mix, const char* self) {
    fill(port, keys, mix);
    std::vector<double> ratios, scans, runs, perKey;
    size_t tracked = 0;
    long long scanned = 0;
    std::vector<double> scanCpu, runCpu;
    std::vector<double> rawRatio[4], rawCpu[4];
    for (int r = 0; r < rounds; ++r) {
        double cpu0 = serverCpu(port);
        const double scan = bareScanSeconds(port, &scanned);
        double cpu1 = serverCpu(port);
        scanCpu.push_back((cpu1 - cpu0) * 1e6 / static_cast<double>(scanned));
        resetStats(port);
        std::string cmd = std::string(self) + " monitor-run --port " + std::to_string(port);
        FILE* child = ::popen(cmd.c_str(), "r");
        if (!child) die("popen");
        double secs = 0;
        long long bytes = 0;
        if (std::fscanf(child, "%lf %zu %lld", &secs, &tracked, &bytes) != 3)
            die("monitor-run failed");
        ::pclose(child);
        runCpu.push_back((serverCpu(port) - cpu1) * 1e6 / static_cast<double>(scanned));
        scans.push_back(scan);
        runs.push_back(secs);
        ratios.push_back(secs / scan);
        perKey.push_back(static_cast<double>(bytes) /
                         static_cast<double>(std::max<size_t>(1, tracked)));
        std::printf(
            "  round %d: bare SCAN %.2f s (%lld keys), classified inventory %.2f s (%zu tracked), "
            "ratio %.2f, peak RSS %.0f bytes/tracked key\n",
            r + 1, scan, scanned, secs, tracked, secs / scan, perKey.back());
        std::printf("    per key listed: %s\n", commandsPerKey(port, scanned).c_str());
        for (int reads = 1; reads <= 3; ++reads) {
            const double c0 = serverCpu(port);
            const double raw = rawReadsSeconds(port, reads);
            rawCpu[reads].push_back((serverCpu(port) - c0) * 1e6 / static_cast<double>(scanned));
            rawRatio[reads].push_back(raw / scan);
        }
        std::printf(
            "    raw reads (floor under the engine), ratio to this round's SCAN: GETRANGE %.2f, "
            "+PTTL %.2f, +OBJECT IDLETIME %.2f\n",
            rawRatio[1].back(), rawRatio[2].back(), rawRatio[3].back());
    }
    std::printf(
        "inventory of %lld keys (%zu locks+counters tracked): median bare SCAN %.2f s, "
        "median inventory %.2f s, median ratio %.2f (goal <= 2.5); "
        "peak RSS %.0f bytes per tracked key (goal <= 300)\n",
        scanned, tracked, median(scans), median(runs), median(ratios), median(perKey));
    std::printf("server CPU per key: bare SCAN %.2f us, inventory %.2f us (ratio %.2f)\n",
                median(scanCpu), median(runCpu), median(runCpu) / median(scanCpu));
    std::printf(
        "floor of the reads with raw hiredis, median time ratio to bare SCAN (server CPU per key): "
        "SCAN+GETRANGE %.2f (%.2f us), +PTTL %.2f (%.2f us), +OBJECT IDLETIME %.2f (%.2f us)\n",
        median(rawRatio[1]), median(rawCpu[1]), median(rawRatio[2]), median(rawCpu[2]),
        median(rawRatio[3]), median(rawCpu[3]));
    return 0;
}

// ---- budget ----------------------------------------------------------------------------------

// Pings the server from its own connection, one at a time, 5 ms apart (its own cost to the server
// is measured with it, in the baseline); keeps every round trip.
class PingProbe {
public:
    explicit PingProbe(int port) : port_(port) {
        thread_ = std::thread([this] { run(); });
    }
    ~PingProbe() {
        stop_ = true;
        thread_.join();
    }
    // Round trips (µs) since the last call.
    std::vector<double> take() {
        std::lock_guard<std::mutex> g(m_);
        return std::exchange(rtts_, {});
    }

private:
    void run() {
        // On the server's CPU: its latency is then what the server makes it wait, not the
        // monitor's threads (on the client's CPU) competing with it for a core.
        cpu_set_t server;
        CPU_ZERO(&server);
        CPU_SET(0, &server);
        pthread_setaffinity_np(pthread_self(), sizeof server, &server);
        redisContext* c = redisConnect("127.0.0.1", port_);
        if (!c || c->err) die("probe connect");
        while (!stop_.load()) {
            const auto t0 = Steady::now();
            auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
            const double us = std::chrono::duration<double, std::micro>(Steady::now() - t0).count();
            if (!r) die("probe PING failed");
            freeReplyObject(r);
            {
                std::lock_guard<std::mutex> g(m_);
                rtts_.push_back(us);
            }
            std::this_thread::sleep_for(milliseconds(5));
        }
        redisFree(c);
    }
    int port_;
    std::atomic<bool> stop_{false};
    std::mutex m_;
    std::vector<double> rtts_;
    std::thread thread_;
};

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

struct PhaseResult {
    double inventorySecs = 0;
    double inventoryCpu = 0;  // share of one core, percent
    double inventoryP99 = 0;  // µs
    double steadyCpu = 0;
    double steadyP99 = 0;
    double ttlStaleMedianMs = 0, ttlStaleMaxMs = 0;
    int ttlChanges = 0, ttlMissed = 0;
};

// One Monitor at `budget` on the server as it is (notifications on or off), from start to `steady`
// seconds after its first complete inventory.
PhaseResult budgetPhase(int port, double budget, int steadySecs, const std::string& lockKey) {
    PhaseResult out;
    monitor::MonitorOptions o;
    o.scanBudgetPercent = budget;
    std::mutex m;
    bool done = false;
    long long lockTtlSeen = -1;  // the engine's last word on the lock's TTL (ms at observation)
    Steady::time_point lockSeenAt{};
    monitor::Monitor engine({endpointFor(port)}, o);
    engine.setListener([&](monitor::MonitorUpdate u) {
        std::lock_guard<std::mutex> g(m);
        for (const auto& r : u.changed)
            if (r.key == lockKey) {
                lockTtlSeen = r.ttlNow(Steady::now());
                lockSeenAt = Steady::now();
            }
        if (u.status.inventoryComplete) done = true;
    });
    PingProbe probe(port);
    double cpu0 = serverCpu(port);
    auto t0 = Steady::now();
    engine.start();
    while (true) {
        std::this_thread::sleep_for(milliseconds(100));
        std::lock_guard<std::mutex> g(m);
        if (done) break;
    }
    out.inventorySecs = std::chrono::duration<double>(Steady::now() - t0).count();
    double cpu1 = serverCpu(port);
    out.inventoryCpu = (cpu1 - cpu0) / out.inventorySecs * 100;
    out.inventoryP99 = percentile(probe.take(), 0.99);

    // Steady state; every 2 s the lock's TTL is set to a new value, and the delay until the
    // engine shows it is its staleness.
    redis::Connection c(endpointFor(port));
    std::vector<double> stale;
    cpu0 = serverCpu(port);
    t0 = Steady::now();
    for (int i = 0; std::chrono::duration<double>(Steady::now() - t0).count() < steadySecs; ++i) {
        const long long ttl = 1000000 + (i % 2) * 500000;  // 1000 s or 1500 s
        const auto changed = Steady::now();
        c.command({"PEXPIRE", lockKey, ttl});
        bool seen = false;
        while (Steady::now() - changed < milliseconds(2000)) {
            std::this_thread::sleep_for(milliseconds(5));
            std::lock_guard<std::mutex> g(m);
            if (lockSeenAt > changed && std::llabs(lockTtlSeen - ttl) < 100000) {
                stale.push_back(
                    std::chrono::duration<double, std::milli>(lockSeenAt - changed).count());
                seen = true;
                break;
            }
        }
        ++out.ttlChanges;
        if (!seen) ++out.ttlMissed;
        std::this_thread::sleep_until(changed + milliseconds(2000));
    }
    const double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    out.steadyCpu = (serverCpu(port) - cpu0) / secs * 100;
    out.steadyP99 = percentile(probe.take(), 0.99);
    out.ttlStaleMedianMs = percentile(stale, 0.5);
    out.ttlStaleMaxMs = stale.empty() ? 0 : *std::max_element(stale.begin(), stale.end());
    engine.stop();
    return out;
}

int budgetBench(int port, long long keys, double budget, int steadySecs, const char* self) {
    redis::Connection c(endpointFor(port));
    if (c.command({"DBSIZE"}).integer() == 0) {
        std::fprintf(stderr, "DEBUG POPULATE %lld...\n", keys);
        c.command({"DEBUG", "POPULATE", keys, "key"});
    }
    const std::string lockKey = "bench:tracked-lock";
    c.command({"SET", lockKey, "lockscope:set-nx-px:bench-host:4242:0123abcd:0123456789abcdef",
               "PX", 1000000});
    const long long total = c.command({"DBSIZE"}).integer();

    // The probe's p99 and the server's idle CPU without any monitor.
    double idleCpu = 0, baseP99 = 0;
    {
        PingProbe probe(port);
        const double cpu0 = serverCpu(port);
        const auto t0 = Steady::now();
        std::this_thread::sleep_for(std::chrono::seconds(10));
        idleCpu = (serverCpu(port) - cpu0) /
                  std::chrono::duration<double>(Steady::now() - t0).count() * 100;
        baseP99 = percentile(probe.take(), 0.99);
    }
    std::printf(
        "%lld keys; no monitor (the probe alone): server CPU %.2f%% of a core, probe PING p99 %.0f "
        "us\n",
        total, idleCpu, baseP99);
    std::fflush(stdout);

    PhaseResult phases[2];
    for (int on = 0; on < 2; ++on) {
        c.command({"CONFIG", "SET", "notify-keyspace-events", on ? "KEA" : ""});
        phases[on] = budgetPhase(port, budget, steadySecs, lockKey);
        const auto& r = phases[on];
        std::printf(
            "notifications %s, budget %.1f%%:\n"
            "  first inventory: %.1f s, server CPU %.2f%% of a core (+%.2f), PING p99 %.0f us "
            "(+%.0f us)\n"
            "  steady state (%d s): server CPU %.2f%% of a core (+%.2f), PING p99 %.0f us (+%.0f "
            "us)\n"
            "  tracked lock TTL staleness: median %.0f ms, max %.0f ms (%d changes, %d not seen "
            "within 2 s)\n",
            on ? "on" : "off", budget, r.inventorySecs, r.inventoryCpu, r.inventoryCpu - idleCpu,
            r.inventoryP99, std::max(0.0, r.inventoryP99 - baseP99), steadySecs, r.steadyCpu,
            r.steadyCpu - idleCpu, r.steadyP99, std::max(0.0, r.steadyP99 - baseP99),
            r.ttlStaleMedianMs, r.ttlStaleMaxMs, r.ttlChanges, r.ttlMissed);
        std::fflush(stdout);
    }
    c.command({"CONFIG", "SET", "notify-keyspace-events", ""});

    // Budget unlimited: the classified inventory against the floor, same server, same pinning.
    long long scanned = 0;
    const double scan = bareScanSeconds(port, &scanned);
    std::string cmd = std::string(self) + " monitor-run --port " + std::to_string(port);
    FILE* child = ::popen(cmd.c_str(), "r");
    if (!child) die("popen");
    double secs = 0;
    size_t tracked = 0;
    long long bytes = 0;
    if (std::fscanf(child, "%lf %zu %lld", &secs, &tracked, &bytes) != 3) die("monitor-run failed");
    ::pclose(child);
    std::printf(
        "budget unlimited: bare SCAN %.2f s (%lld keys), classified inventory %.2f s, "
        "ratio %.2f (goal <= 2.5)\n",
        scan, scanned, secs, secs / scan);
    std::printf(
        "goals at a %.1f%% budget: steady-state server CPU added <= 5%% with notifications off "
        "(%.2f%%), <= 1%% with them on (%.2f%%); PING p99 added during the inventory <= 1 ms (%.0f "
        "/ %.0f us)\n",
        budget, phases[0].steadyCpu - idleCpu, phases[1].steadyCpu - idleCpu,
        std::max(0.0, phases[0].inventoryP99 - baseP99),
        std::max(0.0, phases[1].inventoryP99 - baseP99));
    return 0;
}

// ---- storm -----------------------------------------------------------------------------------

int storm(int port, long long requests, int clients, int pipeline) {
    monitor::MonitorOptions o;
    o.patterns = {"storm:*", "probe:*"};
    std::mutex m;
    std::map<std::string, Steady::time_point> seenAt;
    monitor::MonitorStatus last;
    monitor::Monitor engine({endpointFor(port)}, o);
    engine.setListener([&](monitor::MonitorUpdate u) {
        const auto now = Steady::now();
        std::lock_guard<std::mutex> g(m);
        for (const auto& r : u.changed)
            if (r.key.rfind("probe:", 0) == 0) seenAt.emplace(r.key, now);
        last = std::move(u.status);
    });
    engine.start();
    // Wait until it follows notifications.
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard<std::mutex> g(m);
            if (!last.nodes.empty() && last.nodes[0].subscribed && last.inventoryComplete) break;
        }
        std::this_thread::sleep_for(milliseconds(20));
    }

    std::atomic<bool> stopProbe{false};
    std::vector<std::pair<std::string, Steady::time_point>> probes;
    std::thread probe([&] {
        redis::Connection c(endpointFor(port));
        int i = 0;
        while (!stopProbe.load()) {
            std::string key = "probe:" + std::to_string(i++);
            const auto t = Steady::now();
            c.command(
                {"SET", key, "lockscope:set-nx-px:probe:1:0123abcd:0123456789abcdef", "PX", 60000});
            probes.emplace_back(key, t);
            std::this_thread::sleep_for(milliseconds(10));
        }
    });

    // redis-benchmark: plain SETs of lock-looking keys, one notification each.
    // On the server's CPU (0), as a load generator next to the server would be; this program
    // (the engine) stays on its own CPU.
    std::vector<std::string> args = {"taskset",
                                     "-c",
                                     "0",
                                     "redis-benchmark",
                                     "-h",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(port),
                                     "-c",
                                     std::to_string(clients),
                                     "-P",
                                     std::to_string(pipeline),
                                     "-n",
                                     std::to_string(requests),
                                     "-r",
                                     "100000",
                                     "-q",
                                     "SET",
                                     "storm:__rand_int__",
                                     "lockscope:set-nx-px:storm:1:0123abcd:0123456789abcdef"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    posix_spawn_file_actions_t quiet;  // its live progress line would flood the report
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
    const auto t0 = Steady::now();
    if (posix_spawnp(&pid, "taskset", &quiet, nullptr, argv.data(), environ) != 0)
        die("cannot start redis-benchmark");
    posix_spawn_file_actions_destroy(&quiet);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const double stormSecs = std::chrono::duration<double>(Steady::now() - t0).count();
    stopProbe = true;
    probe.join();
    // Let the engine drain.
    unsigned long long received = 0;
    // A probe's SET ... PX notifies twice (set, expire); redis-benchmark's plain SET once.
    const unsigned long long sent = static_cast<unsigned long long>(requests) + 2 * probes.size();
    // Let the engine drain: every event counted and every probe inspected (or 30 s).
    for (int i = 0; i < 1500; ++i) {
        {
            std::lock_guard<std::mutex> g(m);
            received = last.eventsReceived;
            if (received >= sent && seenAt.size() >= probes.size()) break;
        }
        std::this_thread::sleep_for(milliseconds(20));
    }
    engine.stop();

    std::vector<double> delays;
    size_t missing = 0;
    {
        std::lock_guard<std::mutex> g(m);
        for (const auto& [key, t] : probes) {
            auto it = seenAt.find(key);
            if (it == seenAt.end()) {
                ++missing;
                continue;
            }
            delays.push_back(std::chrono::duration<double, std::milli>(it->second - t).count());
        }
    }
    std::sort(delays.begin(), delays.end());
    auto pct = [&](double q) {
        return delays.empty()
                   ? 0.0
                   : delays[std::min(delays.size() - 1, static_cast<size_t>(q * delays.size()))];
    };
    const auto& node = last.nodes.at(0);
    std::printf("storm: %lld SETs by redis-benchmark -c %d -P %d in %.2f s (%.0f/s) + %zu probes\n",
                requests, clients, pipeline, stormSecs, static_cast<double>(requests) / stormSecs,
                probes.size());
    std::printf("  events received %llu of %llu sent (%.3f%%); subscription drops %lld\n", received,
                sent, 100.0 * static_cast<double>(received) / static_cast<double>(sent),
                node.subscriptionDrops);
    std::printf(
        "  probe SET -> engine update: p50 %.1f ms, p99 %.1f ms, max %.1f ms; probes never seen "
        "%zu\n",
        pct(0.5), pct(0.99), delays.empty() ? 0.0 : delays.back(), missing);
    for (const auto& msg : last.messages) std::printf("  message: %s\n", msg.text.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) die("usage: monitor_bench inventory|storm|budget|monitor-run --port P [...]");
    std::string mode = argv[1];
    int port = 0, rounds = 3, clients = 8, pipeline = 16, steady = 30;
    double budget = monitor::MonitorOptions{}.scanBudgetPercent;
    long long keys = 1000000, requests = 3000000;
    std::string mix = "tracked";
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + a);
            return argv[++i];
        };
        if (a == "--port")
            port = std::stoi(value());
        else if (a == "--keys")
            keys = std::stoll(value());
        else if (a == "--rounds")
            rounds = std::stoi(value());
        else if (a == "--requests")
            requests = std::stoll(value());
        else if (a == "--clients")
            clients = std::stoi(value());
        else if (a == "--pipeline")
            pipeline = std::stoi(value());
        else if (a == "--budget")
            budget = std::stod(value());
        else if (a == "--steady")
            steady = std::stoi(value());
        else if (a == "--mix") {
            mix = value();
            if (mix != "tracked" && mix != "production")
                die("--mix takes tracked (91 % locks and counters) or production (4 %)");
        } else
            die("unknown argument " + a);
    }
    if (port <= 0) die("--port is required");
    try {
        if (mode == "monitor-run") return monitorRun(port);
        if (mode == "inventory") return inventory(port, keys, rounds, mix, argv[0]);
        if (mode == "storm") return storm(port, requests, clients, pipeline);
        if (mode == "budget") return budgetBench(port, keys, budget, steady, argv[0]);
    } catch (const redis::Error& e) {
        die(e.what());
    }
    die("unknown mode " + mode);
}

// Lock benchmark: uncontended acquire+release cycles per second of set-nx-px, reentrant, fair,
// read-write (write and read holds) and redlock, each as a ratio to a raw hiredis floor measured in
// the same run, plus contention runs (8 workers, one key, blocking acquire) of set-nx-px and fair
// in the same run: wait-time percentiles and fairness (least / most acquisitions per worker).
//
// Honesty rules (README.md#benchmarks): run pinned (bench/run_lock_bench.sh starts the servers and
// pins server and client with taskset); floor and strategy alternate round by round, so a noisy
// neighbour hits both; medians over the rounds are reported. A plain main rather than Google
// Benchmark because the rounds of two different loops must interleave.
//
// The floors do what the strategy's commands need and nothing else:
//   single node  SET key tok NX PX + EVALSHA compare-and-delete, redisCommandArgv, one connection
//   3 nodes      the same fanned out: redisAppendCommandArgv + flush to every node, then
//                redisGetReply from every node (one round trip per command, the best a client
//                can do; plain redisGetReply would flush node 0 and wait for it before writing
//                to node 1)
//   reentrant    EVALSHA of Redisson's lock script + EVALSHA of its unlock script
//   fair, read-write  against the single-node floor (SET NX PX + compare-and-delete): what their
//                queue / mode bookkeeping costs over the cheapest correct lock
// Tokens in the floors: LockScope's token format with a counter as nonce (see CounterToken).
//
// Usage: lock_bench --nodes 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3 [--pinning TEXT]
//                   [--rounds 61] [--round-ms 50] [--contention-ms 3000] [--workers 8]
//                   [--max-backoff MS]   (contention waiters' backoff cap; default WaitOptions)
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "locks/compare.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "redis/url.h"
#include "util/random.h"

namespace {

using namespace lockscope;
using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kTtl{10000};

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "lock_bench: %s\n", why.c_str());
    std::exit(1);
}

// ---- raw hiredis, for the floors -------------------------------------------------------------

struct ContextDeleter {
    void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyDeleter {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RawContext = std::unique_ptr<redisContext, ContextDeleter>;
using RawReply = std::unique_ptr<redisReply, ReplyDeleter>;

RawContext rawConnect(const redis::Endpoint& ep) {
    RawContext c(redisConnect(ep.tcp.host.c_str(), ep.tcp.port));
    if (!c || c->err)
        die("cannot connect to " + ep.display() + (c ? ": " + std::string(c->errstr) : ""));
    return c;
}

RawReply rawCommand(redisContext* c, std::initializer_list<std::string_view> args) {
    const char* argv[8];
    size_t lens[8];
    int n = 0;
    for (auto a : args) {
        argv[n] = a.data();
        lens[n++] = a.size();
    }
    RawReply r(static_cast<redisReply*>(redisCommandArgv(c, n, argv, lens)));
    if (!r) die(std::string("hiredis: ") + c->errstr);
    if (r->type == REDIS_REPLY_ERROR) die(std::string("server: ") + r->str);
    return r;
}

std::string loadScript(redisContext* c, const std::string& source) {
    auto r = rawCommand(c, {"SCRIPT", "LOAD", source});
    return std::string(r->str, r->len);
}

void expectStatusOk(const redisReply* r) {
    if (r->type != REDIS_REPLY_STATUS) die("floor: SET NX did not answer OK (is the key busy?)");
}
void expectInteger(const redisReply* r, long long v) {
    if (r->type != REDIS_REPLY_INTEGER || r->integer != v) die("floor: unexpected script reply");
}

// A unique token per cycle without a random generator: a real LockScope token whose 16-char
// nonce is replaced by a counter. Same format and length as the strategies' tokens, so the server
// does the same work (values over 44 bytes are stored differently); only the client's way of
// making them differs.
class CounterToken {
public:
    explicit CounterToken(std::string_view strategy)
        : text_(locks::Owner::create().newToken(strategy)) {}
    std::string_view next() {
        char digits[17];
        std::snprintf(digits, sizeof digits, "%016llx", ++n_);
        text_.replace(text_.size() - 16, 16, digits, 16);
        return text_;
    }

private:
    std::string text_;
    unsigned long long n_ = 0;
};

// SET NX PX + EVALSHA compare-and-delete on one connection.
class SingleNodeFloor {
public:
    SingleNodeFloor(const redis::Endpoint& ep, std::string key)
        : c_(rawConnect(ep)),
          key_(std::move(key)),
          sha_(loadScript(c_.get(), locks::compareAndDeleteScript().source())) {}
    void cycle() {
        auto tok = token_.next();
        expectStatusOk(rawCommand(c_.get(), {"SET", key_, tok, "NX", "PX", ttl_}).get());
        expectInteger(rawCommand(c_.get(), {"EVALSHA", sha_, "1", key_, tok}).get(), 1);
    }

private:
    RawContext c_;
    std::string key_;
    std::string sha_;
    std::string ttl_ = std::to_string(kTtl.count());
    CounterToken token_{"set-nx-px"};
};

// The same, fanned out: every command is written to every node before any reply is read.
class FanOutFloor {
public:
    FanOutFloor(const std::vector<redis::Endpoint>& eps, std::string key) : key_(std::move(key)) {
        for (const auto& ep : eps) nodes_.push_back(rawConnect(ep));
        for (auto& c : nodes_) sha_ = loadScript(c.get(), locks::compareAndDeleteScript().source());
    }
    void cycle() {
        auto tok = token_.next();
        fanOut({"SET", key_, tok, "NX", "PX", ttl_},
               [](const redisReply* r) { expectStatusOk(r); });
        fanOut({"EVALSHA", sha_, "1", key_, tok}, [](const redisReply* r) { expectInteger(r, 1); });
    }

private:
    template <typename Check>
    void fanOut(std::initializer_list<std::string_view> args, Check check) {
        const char* argv[8];
        size_t lens[8];
        int n = 0;
        for (auto a : args) {
            argv[n] = a.data();
            lens[n++] = a.size();
        }
        for (auto& c : nodes_)
            if (redisAppendCommandArgv(c.get(), n, argv, lens) != REDIS_OK) die("append");
        for (auto& c : nodes_) {
            int done = 0;
            while (!done)
                if (redisBufferWrite(c.get(), &done) != REDIS_OK) die("write");
        }
        for (auto& c : nodes_) {
            void* out = nullptr;
            if (redisGetReply(c.get(), &out) != REDIS_OK || !out) die("read");
            RawReply r(static_cast<redisReply*>(out));
            check(r.get());
        }
    }

    std::vector<RawContext> nodes_;
    std::string key_;
    std::string sha_;
    std::string ttl_ = std::to_string(kTtl.count());
    CounterToken token_{"redlock"};
};

// Redisson's RLock scripts (RedissonLock.tryLockInnerAsync / unlockInnerAsync), by EVALSHA.
class ReentrantFloor {
public:
    ReentrantFloor(const redis::Endpoint& ep, std::string key)
        : c_(rawConnect(ep)),
          key_(std::move(key)),
          channel_("redisson_lock__channel:{" + key_ + "}"),
          lockSha_(loadScript(c_.get(), R"lua(
if (redis.call('exists', KEYS[1]) == 0) then
    redis.call('hincrby', KEYS[1], ARGV[2], 1);
    redis.call('pexpire', KEYS[1], ARGV[1]);
    return nil;
end;
if (redis.call('hexists', KEYS[1], ARGV[2]) == 1) then
    redis.call('hincrby', KEYS[1], ARGV[2], 1);
    redis.call('pexpire', KEYS[1], ARGV[1]);
    return nil;
end;
return redis.call('pttl', KEYS[1]);
)lua")),
          unlockSha_(loadScript(c_.get(), R"lua(
if (redis.call('hexists', KEYS[1], ARGV[3]) == 0) then
    return nil;
end;
local counter = redis.call('hincrby', KEYS[1], ARGV[3], -1);
if (counter > 0) then
    redis.call('pexpire', KEYS[1], ARGV[2]);
    return 0;
else
    redis.call('del', KEYS[1]);
    redis.call('publish', KEYS[2], ARGV[1]);
    return 1;
end;
)lua")),
          field_(randomUuid4() + ":1") {}
    void cycle() {
        auto r = rawCommand(c_.get(), {"EVALSHA", lockSha_, "1", key_, ttl_, field_});
        if (r->type != REDIS_REPLY_NIL) die("reentrant floor: lock is busy");
        expectInteger(
            rawCommand(c_.get(), {"EVALSHA", unlockSha_, "2", key_, channel_, "0", ttl_, field_})
                .get(),
            1);
    }

private:
    RawContext c_;
    std::string key_;
    std::string channel_;
    std::string lockSha_;
    std::string unlockSha_;
    std::string field_;
    std::string ttl_ = std::to_string(kTtl.count());
};

// ---- measurement -----------------------------------------------------------------------------

// Cycles per second of `cycle` run for `duration`.
double rate(const std::function<void()>& cycle, milliseconds duration) {
    long long n = 0;
    const auto start = Steady::now();
    const auto end = start + duration;
    auto now = start;
    while (now < end) {
        for (int i = 0; i < 16; ++i) cycle();  // check the clock every 16 cycles
        n += 16;
        now = Steady::now();
    }
    return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

struct Pair {
    std::vector<double> floor, strategy, ratio;
};

// Alternates floor and strategy (which goes first alternates too), `rounds` times each.
Pair compare(const std::function<void()>& floor, const std::function<void()>& strategy, int rounds,
             milliseconds roundTime) {
    rate(floor, milliseconds(200));  // warm up: connections, scripts, caches
    rate(strategy, milliseconds(200));
    Pair p;
    for (int r = 0; r < rounds; ++r) {
        double f, s;
        if (r % 2 == 0) {
            f = rate(floor, roundTime);
            s = rate(strategy, roundTime);
        } else {
            s = rate(strategy, roundTime);
            f = rate(floor, roundTime);
        }
        p.floor.push_back(f);
        p.strategy.push_back(s);
        p.ratio.push_back(s / f);
    }
    return p;
}

// An uncontended acquire + release cycle of `lock`; anything but success aborts the run.
std::function<void()> strategyCycle(locks::LockStrategy& lock, const std::string& key) {
    return [&lock, key] {
        auto lease = lock.tryAcquire(key, kTtl);
        if (!lease) die(std::string(lock.id()) + ": uncontended tryAcquire failed");
        if (lock.release(*lease) != locks::ReleaseResult::Released)
            die(std::string(lock.id()) + ": release did not release");
    };
}

// goal 0: none.
void printRow(const char* name, const char* nodes, const Pair& p, double goal) {
    const double f = median(p.floor), s = median(p.strategy), r = median(p.ratio);
    const auto [lo, hi] = std::minmax_element(p.ratio.begin(), p.ratio.end());
    std::printf("%-10s %5s %12.0f %12.0f %7.3f   %5.3f-%5.3f", name, nodes, f, s, r, *lo, *hi);
    if (goal > 0) std::printf("   >=%.2f %s", goal, r >= goal ? "met" : "MISSED");
    std::printf("\n");
}

// ---- contention ------------------------------------------------------------------------------

struct ContentionResult {
    double p999us = 0;
    double fairness = 0;  // least / most acquisitions of a worker
};

ContentionResult contention(const std::string& strategy, const locks::LockContext& base,
                            const std::string& key, int workers, milliseconds duration,
                            const locks::WaitOptions& wait) {
    std::atomic<bool> stop{false};
    std::atomic<int> inside{0};
    std::atomic<long long> overlaps{0};
    // The "tiny critical section": a read-modify-write that only the lock makes exact (relaxed
    // load + store, not fetch_add, so overlapping holders would lose updates).
    std::atomic<long long> sharedCounter{0};
    std::vector<std::vector<double>> waits(static_cast<size_t>(workers));
    std::vector<long long> acquisitions(static_cast<size_t>(workers), 0);
    std::vector<long long> timeouts(static_cast<size_t>(workers), 0);
    std::vector<std::string> errors(static_cast<size_t>(workers));
    std::vector<std::thread> threads;
    std::atomic<int> ready{0};
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            const auto i = static_cast<size_t>(w);
            try {
                auto lock = locks::makeLockStrategy(strategy, base);
                waits[i].reserve(1 << 16);
                ++ready;
                while (ready.load() < workers) std::this_thread::yield();
                while (!stop.load(std::memory_order_relaxed)) {
                    const auto t0 = Steady::now();
                    auto lease = lock->acquire(key, kTtl, wait);
                    const auto t1 = Steady::now();
                    if (!lease) {
                        ++timeouts[i];
                        continue;
                    }
                    waits[i].push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
                    if (inside.fetch_add(1) != 0) ++overlaps;
                    sharedCounter.store(sharedCounter.load(std::memory_order_relaxed) + 1,
                                        std::memory_order_relaxed);
                    inside.fetch_sub(1);
                    lock->release(*lease);
                    ++acquisitions[i];
                }
            } catch (const std::exception& e) {
                errors[i] = e.what();
                ++ready;
            }
        });
    }
    while (ready.load() < workers) std::this_thread::yield();
    const auto start = Steady::now();
    std::this_thread::sleep_for(duration);
    stop = true;
    for (auto& t : threads) t.join();
    const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
    for (const auto& e : errors)
        if (!e.empty()) die("contention worker: " + e);

    std::vector<double> all;
    for (const auto& w : waits) all.insert(all.end(), w.begin(), w.end());
    std::sort(all.begin(), all.end());
    auto pct = [&](double q) {
        if (all.empty()) return 0.0;
        return all[std::min(all.size() - 1,
                            static_cast<size_t>(q * static_cast<double>(all.size())))];
    };
    const auto [mn, mx] = std::minmax_element(acquisitions.begin(), acquisitions.end());
    long long total = 0, lostTimeouts = 0;
    for (auto a : acquisitions) total += a;
    for (auto t : timeouts) lostTimeouts += t;
    if (strategy == "fair")
        std::printf(
            "\ncontention: fair, %d workers, one key, blocking acquire (FIFO queue, hand-off by "
            "message), critical section = one shared increment\n",
            workers);
    else
        std::printf(
            "\ncontention: %s, %d workers, one key, blocking acquire (backoff %lld-%lld ms "
            "with jitter), critical section = one shared increment\n",
            strategy.c_str(), workers, static_cast<long long>(wait.minBackoff.count()),
            static_cast<long long>(wait.maxBackoff.count()));
    std::printf(
        "  %lld acquisitions in %.1f s = %.0f/s; wait p50 %.0f us, p99 %.0f us, p99.9 %.0f us, "
        "max %.0f us\n",
        total, seconds, static_cast<double>(total) / seconds, pct(0.50), pct(0.99), pct(0.999),
        all.empty() ? 0.0 : all.back());
    std::printf(
        "  per worker: min %lld, max %lld acquisitions (min/max %.3f); acquire timeouts %lld; "
        "overlapping holders seen %lld; counter %s\n",
        *mn, *mx, *mx ? static_cast<double>(*mn) / static_cast<double>(*mx) : 0.0, lostTimeouts,
        overlaps.load(), sharedCounter.load() == total ? "exact" : "LOST UPDATES");
    ContentionResult r;
    r.p999us = pct(0.999);
    r.fairness = *mx ? static_cast<double>(*mn) / static_cast<double>(*mx) : 0.0;
    return r;
}

// An uncontended read-write cycle in `mode`.
std::function<void()> readWriteCycle(const std::vector<redis::Endpoint>& node,
                                     locks::LockConfig::RwMode mode,
                                     std::unique_ptr<locks::LockStrategy>& holder,
                                     const std::string& key) {
    locks::LockContext ctx;
    ctx.nodes = node;
    ctx.config.rwMode = mode;
    holder = locks::makeLockStrategy("read-write", ctx);
    return strategyCycle(*holder, key);
}

}  // namespace

int main(int argc, char** argv) {
    std::string nodesArg, pinning = "unpinned (use bench/run_lock_bench.sh)";
    // Many short rounds: load from other processes drifts slowly, so finely interleaved rounds
    // see the same conditions and the median of their ratios is stable.
    int rounds = 61, workers = 8;
    milliseconds roundTime{50}, contentionTime{3000};
    locks::WaitOptions wait;  // the defaults every blocking acquire gets
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + a);
            return argv[++i];
        };
        if (a == "--nodes")
            nodesArg = value();
        else if (a == "--pinning")
            pinning = value();
        else if (a == "--rounds")
            rounds = std::atoi(value().c_str());
        else if (a == "--round-ms")
            roundTime = milliseconds(std::atoi(value().c_str()));
        else if (a == "--contention-ms")
            contentionTime = milliseconds(std::atoi(value().c_str()));
        else if (a == "--workers")
            workers = std::atoi(value().c_str());
        else if (a == "--max-backoff")
            wait.maxBackoff = milliseconds(std::atoi(value().c_str()));
        else
            die("unknown argument " + a + " (see the comment at the top of bench/lock_bench.cpp)");
    }
    if (nodesArg.empty()) die("--nodes host:port,host:port,host:port is required");
    std::vector<redis::Endpoint> nodes;
    try {
        nodes = redis::parseNodeList(nodesArg);
    } catch (const redis::Error& e) {
        die(e.what());
    }
    if (nodes.size() < 3) die("give 3 nodes (the first one also serves the single-node runs)");
    nodes.resize(3);
    if (rounds < 1 || workers < 1) die("--rounds and --workers must be positive");

    const std::string prefix = "bench:" + randomHex(6) + ":";
    auto contextFor = [&](size_t n) {
        locks::LockContext ctx;
        ctx.nodes.assign(nodes.begin(), nodes.begin() + static_cast<long>(n));
        return ctx;
    };

    std::printf("lock_bench  pinning: %s\n", pinning.c_str());
    std::printf(
        "uncontended acquire+release cycles/s, medians of %d rounds x %lld ms, floor and "
        "strategy alternating; ratio = median of the per-round ratios\n\n",
        rounds, static_cast<long long>(roundTime.count()));
    std::printf("%-10s %5s %12s %12s %7s   %-11s   %s\n", "strategy", "nodes", "floor/s",
                "strategy/s", "ratio", "ratio range", "goal");

    try {
        {
            SingleNodeFloor floor(nodes[0], prefix + "floor1");
            auto lock = locks::makeLockStrategy("set-nx-px", contextFor(1));
            auto p = compare([&] { floor.cycle(); }, strategyCycle(*lock, prefix + "set-nx-px"),
                             rounds, roundTime);
            printRow("set-nx-px", "1", p, 0.95);
        }
        {
            std::unique_ptr<locks::LockStrategy> lock;
            try {
                lock = locks::makeLockStrategy("reentrant", contextFor(1));
            } catch (const redis::Error& e) {
                if (e.kind() != redis::ErrorKind::InvalidArgument) throw;
                std::printf("%-10s %5s   skipped: %s\n", "reentrant", "1", e.what());
            }
            if (lock) {
                ReentrantFloor floor(nodes[0], prefix + "floor-reentrant");
                auto p = compare([&] { floor.cycle(); }, strategyCycle(*lock, prefix + "reentrant"),
                                 rounds, roundTime);
                printRow("reentrant", "1", p, 0);
            }
        }
        {
            // fair and read-write against the set-nx-px floor (their cheapest correct rival).
            SingleNodeFloor floor(nodes[0], prefix + "floor-sync");
            auto fair = locks::makeLockStrategy("fair", contextFor(1));
            printRow("fair", "1",
                     compare([&] { floor.cycle(); }, strategyCycle(*fair, prefix + "fair"), rounds,
                             roundTime),
                     0);
            std::unique_ptr<locks::LockStrategy> rw;
            printRow("rw-write", "1",
                     compare([&] { floor.cycle(); },
                             readWriteCycle({nodes[0]}, locks::LockConfig::RwMode::Write, rw,
                                            prefix + "rw-write"),
                             rounds, roundTime),
                     0);
            printRow("rw-read", "1",
                     compare([&] { floor.cycle(); },
                             readWriteCycle({nodes[0]}, locks::LockConfig::RwMode::Read, rw,
                                            prefix + "rw-read"),
                             rounds, roundTime),
                     0);
        }
        {
            FanOutFloor floor(nodes, prefix + "floor3");
            auto lock = locks::makeLockStrategy("redlock", contextFor(3));
            auto p = compare([&] { floor.cycle(); }, strategyCycle(*lock, prefix + "redlock"),
                             rounds, roundTime);
            printRow("redlock", "3", p, 0.95);
        }
        if (contentionTime.count() > 0) {
            const auto plain = contention("set-nx-px", contextFor(1), prefix + "contended", workers,
                                          contentionTime, wait);
            const auto fair = contention("fair", contextFor(1), prefix + "contended-fair", workers,
                                         contentionTime, wait);
            std::printf(
                "\nfair vs set-nx-px: min/max acquisitions %.3f (goal >= 0.95: %s); wait p99.9 "
                "%.0f us vs %.0f us (goal below: %s)\n",
                fair.fairness, fair.fairness >= 0.95 ? "met" : "MISSED", fair.p999us, plain.p999us,
                fair.p999us < plain.p999us ? "met" : "MISSED");
        }
    } catch (const redis::Error& e) {
        die(e.what());
    }
    return 0;
}

// Issue 17.3: a long safety run of one lock strategy with a history, checked offline.
//
//   safety_run run --strategy S --history DIR [--acquisitions N] [--workers 8] [--keys 4]
//                  [--ttl-ms 1000] [--faults | --no-faults] [--fault-every-ms 3000] [--seed N]
//                  [--fault-kinds below,above,kill,restart,down]
//   safety_run check DIR          (run does it at the end too; exit 0 when the history is safe)
//
// `run` starts its own redis-servers on loopback (sandbox::RedisServer): the lock's server (5
// independent ones for redlock) and the protected resource's, which no fault touches. It forks
// --workers processes; each loops: acquire one of --keys lock keys (blocking), enter the
// resource, read its value, write value + 1 (with the fencing token for `fenced`) and leave, in
// two scripts, then release. The resource is the referee: every entry and every write+exit gets a
// number from one INCR on the resource's server, so the history has one total order that no
// client clock decides. Workers append each step to their own file with write(2) (a SIGKILLed
// worker loses nothing it wrote):
//   A <mono_us> <key> <fence|-1> <token> <valid_until_us>   granted (after acquire returned);
//                                             the lease's own validity (Lease::validUntil)
//   E <seq> <mono_us> <key> <others> <value>  entered; others = holders already inside
//   W <seq> <mono_us> <key> <accepted> <wrote> <fence|-1>   wrote value + 1 and left
//   R <mono_us> <key> <release result>
//   X <mono_us> <what>                        an error the worker rode out (connection lost...)
// The driver injects faults at random times (--faults): SIGSTOP a worker below the TTL (0.3-0.6
// TTL) and above it (1.5-2.5 TTL), SIGKILL a worker (a new one takes its place; the resource
// forgets the dead one: "K <seq> <worker>" in faults.log), restart the lock server (without
// persistence: every lock on it is gone), a Redlock node down for ~2 TTL. faults.log lines:
//   P <start_us> <end_us> <worker> below|above,  K <seq> <mono_us> <worker>,
//   S <start_us> <end_us> <node> restart|down
// `check` then requires, per key, in the resource's order:
//   - no two holders inside at once unless the earlier one's hold is explained: it was paused
//     above the TTL, the lock's server restarted (or, for redlock, a majority of nodes did) during
//     its hold, or its own hold outlasted the TTL (a starved scheduler: counted apart, "expired");
//   - every accepted fenced write carries a token above every earlier accepted one;
//   - a write nobody logged is recognised as such: a hold that entered and was killed or cut
//     off before logging its write may have written its read + 1; the next reader that sees
//     exactly that value saw that write (counted apart), not a lost update;
//   - every lost update (a write whose read was not the latest value) comes from such an
//     explained overlap.
// Monotonic times are CLOCK_MONOTONIC, one clock for every process on the machine.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "locks/lock_strategy.h"
#include "redis/connection.h"
#include "redis/error.h"
#include "redis/script.h"
#include "sandbox/redis_server.h"

namespace {

using namespace lockscope;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

long long monoUs() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

[[noreturn]] void die(const std::string& why) {
    std::fprintf(stderr, "safety_run: %s\n", why.c_str());
    std::exit(2);
}

// One line per write(2): nothing buffered in the process, so SIGKILL loses nothing written.
class Log {
public:
    explicit Log(const fs::path& path)
        : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
        if (fd_ < 0) die("cannot open " + path.string());
    }
    ~Log() { ::close(fd_); }
    Log(const Log&) = delete;
    Log& operator=(const Log&) = delete;
    void line(const std::string& text) {
        const std::string l = text + "\n";
        if (::write(fd_, l.data(), l.size()) != static_cast<ssize_t>(l.size())) die("log write");
    }

private:
    int fd_;
};

// KEYS: occupants hash, value key, fence key, seq key. ARGV: worker.
const redis::Script kEnter(R"(
local seq = redis.call('INCR', KEYS[4])
local others = redis.call('HLEN', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], seq)
local v = tonumber(redis.call('GET', KEYS[2]) or '0')
return {seq, others, v})");
// ARGV: worker, new value, fence (-1: none), lease token. A fenced write below the highest token
// seen is rejected (Kleppmann), and one equal to it unless it comes from the same lease
// (locks::FencedResource's rule: tokens repeat after the lock server restarts without
// persistence); KEYS[3] is a hash {fence, lease}. The worker leaves either way.
const redis::Script kWriteExit(R"(
local seq = redis.call('INCR', KEYS[4])
redis.call('HDEL', KEYS[1], ARGV[1])
local fence = tonumber(ARGV[3])
if fence >= 0 then
  local last = tonumber(redis.call('HGET', KEYS[3], 'fence') or '-1')
  if fence < last then return {seq, 0} end
  if fence == last and redis.call('HGET', KEYS[3], 'lease') ~= ARGV[4] then return {seq, 0} end
  redis.call('HSET', KEYS[3], 'fence', fence, 'lease', ARGV[4])
end
redis.call('SET', KEYS[2], ARGV[2])
return {seq, 1})");
// ARGV: worker. The driver's cleanup of a killed worker.
const redis::Script kForget(R"(
local seq = redis.call('INCR', KEYS[2])
for i = 3, #KEYS do redis.call('HDEL', KEYS[i], ARGV[1]) end
return seq)");

std::string lockKey(int k) { return "safety:lock:" + std::to_string(k); }
std::vector<std::string> resourceKeys(int k) {
    const std::string p = "safety:res:" + std::to_string(k) + ":";
    return {p + "occ", p + "value", p + "fence", "safety:seq"};
}

struct Config {
    std::string strategy = "set-nx-px";
    fs::path history;
    long long acquisitions = 100000;  // in total, over all workers
    int workers = 8;
    int keys = 4;
    milliseconds ttl{1000};
    bool faults = true;
    milliseconds faultEvery{3000};  // mean time between faults
    std::set<std::string> faultKinds{"below", "above", "kill", "restart", "down"};
    unsigned seed = 0;
};

// ---- worker (a forked child) -------------------------------------------------------------------

[[noreturn]] void workerMain(const Config& cfg, int worker, int generation,
                             const std::vector<redis::Endpoint>& lockNodes,
                             const redis::Endpoint& resource, const fs::path& stopFile) {
    Log log(cfg.history /
            ("w" + std::to_string(worker) + "-" + std::to_string(generation) + ".log"));
    std::mt19937 rng(cfg.seed * 7919u + static_cast<unsigned>(worker * 131 + generation));
    const std::string me = std::to_string(worker) + "." + std::to_string(generation);
    std::unique_ptr<locks::LockStrategy> lock;
    std::unique_ptr<redis::Connection> res;
    redis::ConnectOptions co;
    co.connectTimeout = milliseconds(500);
    co.commandTimeout = milliseconds(2000);
    locks::WaitOptions wait;
    wait.timeout = milliseconds(5000);
    int inside = -1;  // the key whose resource this worker entered and has not left
    while (!fs::exists(stopFile)) {
        try {
            if (!lock) {
                locks::LockContext ctx;
                ctx.nodes = lockNodes;
                ctx.connect = co;
                lock = locks::makeLockStrategy(cfg.strategy, ctx);
            }
            if (!res) res = std::make_unique<redis::Connection>(resource, co);
            const int k = static_cast<int>(rng() % static_cast<unsigned>(cfg.keys));
            const std::string key = lockKey(k);
            auto lease = lock->acquire(key, cfg.ttl, wait);
            if (!lease) continue;
            const long long fence = lease->fence.value_or(-1);
            const long long validUntil =
                std::chrono::duration_cast<std::chrono::microseconds>(
                    lease->validUntil.time_since_epoch())
                    .count();  // steady_clock is CLOCK_MONOTONIC, monoUs()'s clock
            log.line("A " + std::to_string(monoUs()) + " " + key + " " + std::to_string(fence) +
                     " " + lease->token + " " + std::to_string(validUntil));
            const auto rk = resourceKeys(k);
            inside = k;
            auto e = res->eval(kEnter, {rk[0], rk[1], rk[2], rk[3]}, {me});
            const long long value = e[2].integer();
            log.line("E " + std::to_string(e[0].integer()) + " " + std::to_string(monoUs()) + " " +
                     key + " " + std::to_string(e[1].integer()) + " " + std::to_string(value));
            auto w =
                res->eval(kWriteExit, {rk[0], rk[1], rk[2], rk[3]},
                          {me, std::to_string(value + 1), std::to_string(fence), lease->token});
            log.line("W " + std::to_string(w[0].integer()) + " " + std::to_string(monoUs()) + " " +
                     key + " " + std::to_string(w[1].integer()) + " " + std::to_string(value + 1) +
                     " " + std::to_string(fence));
            inside = -1;
            const auto r = lock->release(*lease);
            log.line("R " + std::to_string(monoUs()) + " " + key + " " +
                     std::string(locks::releaseResultName(r)));
        } catch (const std::exception& ex) {
            std::string what = ex.what();
            std::replace(what.begin(), what.end(), '\n', ' ');
            log.line("X " + std::to_string(monoUs()) + " " + what);
            if (inside >= 0) {
                // Left the resource without its write (the resource's connection failed): leave
                // it on a new one, so the history says where this hold ended.
                try {
                    redis::Connection c(resource, co);
                    const auto rk = resourceKeys(inside);
                    const long long seq = c.eval(kForget, {"x", rk[3], rk[0]}, {me}).integer();
                    log.line("L " + std::to_string(seq) + " " + std::to_string(monoUs()));
                } catch (const std::exception&) {}
                inside = -1;
            }
            // A strategy or connection in an unknown state: start both again.
            lock.reset();
            res.reset();
            std::this_thread::sleep_for(milliseconds(20));
        }
    }
    std::_Exit(0);
}

// ---- check -------------------------------------------------------------------------------------

struct Hold {
    std::string worker;  // "w<i>-<gen>"
    std::string key;
    long long grantUs = 0;
    long long askedUs = 0;       // when it began to acquire: the worker's previous line
    long long validUntilUs = 0;  // the lease's validity by the strategy's reckoning (0: unknown)
    long long enterSeq = 0, enterUs = 0;
    long long exitSeq = -1, exitUs = 0;  // -1: never left (killed, or an error)
    long long fence = -1;
    long long readValue = 0;
    bool accepted = false;
    bool wrote = false;
    bool enteredWithOthers = false;
};

struct Fault {
    char kind = 0;  // P pause, S server, K kill
    long long startUs = 0, endUs = 0;
    std::string target;
    std::string what;
    long long seq = 0;  // K: the resource's forget
};

struct Verdict {
    long long acquisitions = 0, entries = 0, releases = 0, errors = 0;
    long long overlaps = 0, explainedPause = 0, explainedServer = 0, explainedExpired = 0;
    long long explainedKill = 0, explainedOpen = 0, unexplained = 0;
    long long fencedAccepted = 0, fencedRejected = 0, fenceOrderViolations = 0;
    long long lostUpdates = 0, lostExplained = 0, lostUnexplained = 0;
    long long unloggedWrites = 0;  // landed, but the writer died (or was cut off) before logging
    std::map<std::string, long long> faults;
    std::vector<std::string> examples;
};

std::vector<std::string> split(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

Verdict check(const fs::path& dir, const std::string& strategy, milliseconds ttl, int lockNodes) {
    Verdict v;
    std::vector<Hold> holds;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.size() < 5 || name[0] != 'w' || entry.path().extension() != ".log") continue;
        const std::string worker = name.substr(0, name.size() - 4);
        std::ifstream in(entry.path());
        std::optional<Hold> open;
        long long lastUs = 0;  // the time of the worker's previous line: it then began to acquire
        for (std::string line; std::getline(in, line);) {
            auto f = split(line);
            if (f.empty()) continue;
            const long long previousUs = lastUs;
            if ((f[0] == "A" || f[0] == "R" || f[0] == "X") && f.size() >= 2)
                lastUs = std::stoll(f[1]);
            else if ((f[0] == "E" || f[0] == "W" || f[0] == "L") && f.size() >= 3)
                lastUs = std::stoll(f[2]);
            if (f[0] == "A" && f.size() >= 4) {
                if (open) holds.push_back(*open);
                ++v.acquisitions;
                open = Hold{};
                open->worker = worker;
                open->grantUs = std::stoll(f[1]);
                open->askedUs = previousUs > 0 ? previousUs : open->grantUs;
                if (f.size() >= 6) open->validUntilUs = std::stoll(f[5]);
                open->key = f[2];
                open->fence = std::stoll(f[3]);
            } else if (f[0] == "E" && f.size() >= 6 && open) {
                ++v.entries;
                open->enterSeq = std::stoll(f[1]);
                open->enterUs = std::stoll(f[2]);
                open->enteredWithOthers = std::stoll(f[4]) > 0;
                open->readValue = std::stoll(f[5]);
            } else if (f[0] == "W" && f.size() >= 7 && open) {
                open->exitSeq = std::stoll(f[1]);
                open->exitUs = std::stoll(f[2]);
                open->accepted = f[4] == "1";
                open->wrote = true;
            } else if (f[0] == "L" && f.size() >= 3 && open) {
                open->exitSeq = std::stoll(f[1]);
                open->exitUs = std::stoll(f[2]);
            } else if (f[0] == "R") {
                ++v.releases;
            } else if (f[0] == "X") {
                ++v.errors;
            }
        }
        if (open) holds.push_back(*open);
    }
    std::vector<Fault> faults;
    {
        std::ifstream in(dir / "faults.log");
        for (std::string line; std::getline(in, line);) {
            auto f = split(line);
            if (f.size() < 4) continue;
            Fault x;
            x.kind = f[0][0];
            if (x.kind == 'K') {
                x.seq = std::stoll(f[1]);
                x.startUs = x.endUs = std::stoll(f[2]);
                x.target = f[3];
                x.what = "kill";
            } else {
                x.startUs = std::stoll(f[1]);
                x.endUs = std::stoll(f[2]);
                x.target = f[3];
                x.what = f.size() > 4 ? f[4] : "";
            }
            ++v.faults[std::string(1, x.kind) + ":" + x.what];
            faults.push_back(x);
        }
    }
    // A killed worker's last hold ends where the resource forgot it.
    for (auto& h : holds) {
        if (h.exitSeq >= 0 || h.enterSeq == 0) continue;
        for (const auto& f : faults)
            if (f.kind == 'K' && f.target == h.worker && f.seq > h.enterSeq &&
                (h.exitSeq < 0 || f.seq < h.exitSeq))
                h.exitSeq = f.seq;
    }
    // Why an earlier hold `a` may have been overtaken (nullptr: it may not).
    auto explain = [&](const Hold& a) -> const char* {
        const long long until = a.exitSeq >= 0 && a.exitUs ? a.exitUs : monoUs();
        int serverFaults = 0;
        for (const auto& f : faults) {
            const bool during = f.startUs <= until && f.endUs >= a.grantUs;
            if (!during) continue;
            if (f.kind == 'P' && f.target == a.worker && f.what == "above") return "pause";
            // A restart without persistence forgets the locks on that node: enough for the
            // others, and for redlock too when the holder had a bare majority ("two majorities").
            if (f.kind == 'S' && f.what == "restart") return "server";
            if (f.kind == 'S') ++serverFaults;
        }
        // Nodes down (paused): redlock tolerates a minority.
        if (serverFaults > 0 && serverFaults * 2 >= lockNodes) return "server";
        if (a.exitSeq < 0) return "open";  // never left and never killed: reported apart
        for (const auto& f : faults)
            if (f.kind == 'K' && f.target == a.worker && f.seq == a.exitSeq) return "kill";
        // A starved process: still inside after its lease ran out (by the lease's own validity
        // where logged; a grant is logged after acquire returns, so the lease may be older).
        if (a.validUntilUs > 0 ? until > a.validUntilUs : until - a.grantUs > ttl.count() * 1000)
            return "expired";
        return nullptr;
    };
    auto explainStaleGrant = [&](const Hold& h) -> const char* {
        int serverFaults = 0;
        for (const auto& f : faults) {
            if (f.startUs > h.enterUs || f.endUs < h.askedUs) continue;
            if (f.kind == 'P' && f.target == h.worker && f.what == "above") return "pause";
            if (f.kind == 'S' && f.what == "restart") return "server";
            if (f.kind == 'S') ++serverFaults;
        }
        if (serverFaults > 0 && serverFaults * 2 >= lockNodes) return "server";
        if (h.validUntilUs > 0 && h.enterUs > h.validUntilUs) return "expired";
        return nullptr;
    };
    std::map<std::string, std::vector<const Hold*>> byKey;
    for (const auto& h : holds)
        if (h.enterSeq > 0) byKey[h.key].push_back(&h);
    std::set<const Hold*> explainedHolds;
    for (auto& [key, hs] : byKey) {
        std::sort(hs.begin(), hs.end(),
                  [](const Hold* a, const Hold* b) { return a->enterSeq < b->enterSeq; });
        // Sweep in the resource's order: who is inside when each holder enters.
        std::vector<const Hold*> inside;
        for (const Hold* h : hs) {
            std::erase_if(
                inside, [&](const Hold* o) { return o->exitSeq >= 0 && o->exitSeq < h->enterSeq; });
            for (const Hold* o : inside) {
                ++v.overlaps;
                const char* why = explain(*o);
                // Or the newcomer's grant was stale when it entered: it was paused past the lease
                // (or the lock server restarted) between asking for the lock and entering — the
                // grant is logged after acquire returns, so a pause right after the SET NX
                // succeeded shows as a grant later than the one it overlaps.
                if (!why) why = explainStaleGrant(*h);
                if (!why) {
                    ++v.unexplained;
                    if (v.examples.size() < 10)
                        v.examples.push_back(
                            key + ": " + o->worker + " (entered #" + std::to_string(o->enterSeq) +
                            ", left #" + std::to_string(o->exitSeq) + ") overlapped by " +
                            h->worker + " (entered #" + std::to_string(h->enterSeq) + ")");
                    continue;
                }
                explainedHolds.insert(h);
                explainedHolds.insert(o);
                const std::string w = why;
                if (w == "pause") ++v.explainedPause;
                if (w == "server") ++v.explainedServer;
                if (w == "expired") ++v.explainedExpired;
                if (w == "kill") ++v.explainedKill;
                if (w == "open") ++v.explainedOpen;
            }
            inside.push_back(h);
        }
        // Writes in the resource's order: fencing and lost updates.
        std::vector<const Hold*> writes, uncertain;
        for (const Hold* h : hs) (h->wrote ? writes : uncertain).push_back(h);
        std::set<const Hold*> usedUncertain;
        std::sort(writes.begin(), writes.end(),
                  [](const Hold* a, const Hold* b) { return a->exitSeq < b->exitSeq; });
        long long highestFence = -1, value = 0;
        for (const Hold* w : writes) {
            if (w->fence >= 0) {
                if (!w->accepted) {
                    ++v.fencedRejected;
                    continue;
                }
                ++v.fencedAccepted;
                if (w->fence <= highestFence) {
                    ++v.fenceOrderViolations;
                    if (v.examples.size() < 10)
                        v.examples.push_back(key + ": fenced write " + std::to_string(w->fence) +
                                             " accepted after " + std::to_string(highestFence));
                }
                highestFence = std::max(highestFence, w->fence);
            }
            if (!w->accepted) continue;
            if (w->readValue != value) {
                // A hold that entered but never logged its write (SIGKILLed between the write
                // and its log line, or cut off by a connection error) may still have written its
                // read + 1. A reader that sees exactly that value saw that write, not a lost one.
                for (const Hold* u : uncertain) {
                    if (u->enterSeq < w->enterSeq && u->readValue + 1 == w->readValue &&
                        u->readValue == value && usedUncertain.insert(u).second) {
                        ++v.unloggedWrites;
                        value = w->readValue;
                        break;
                    }
                }
            }
            if (w->readValue != value) {
                ++v.lostUpdates;
                if (explainedHolds.count(w))
                    ++v.lostExplained;
                else {
                    ++v.lostUnexplained;
                    if (v.examples.size() < 10)
                        v.examples.push_back(key + ": lost update by " + w->worker + " (read " +
                                             std::to_string(w->readValue) + ", value was " +
                                             std::to_string(value) + ")");
                }
            }
            value = w->readValue + 1;
        }
    }
    (void)strategy;
    return v;
}

int report(const Verdict& v, const std::string& strategy, double seconds) {
    std::printf(
        "strategy %s: %lld acquisitions in %.0f s (%.0f/s), %lld entries, %lld releases, %lld "
        "errors ridden out\n",
        strategy.c_str(), v.acquisitions, seconds, seconds > 0 ? v.acquisitions / seconds : 0.0,
        v.entries, v.releases, v.errors);
    std::printf("  faults:");
    for (const auto& [k, n] : v.faults) std::printf(" %s=%lld", k.c_str(), n);
    std::printf(
        "\n  overlaps in the resource's view: %lld (explained: pause above TTL %lld, "
        "server restart/down %lld, killed holder %lld, hold outlasted TTL %lld, holder "
        "never left %lld; UNEXPLAINED %lld)\n",
        v.overlaps, v.explainedPause, v.explainedServer, v.explainedKill, v.explainedExpired,
        v.explainedOpen, v.unexplained);
    std::printf("  fenced writes: %lld accepted, %lld stale rejected, %lld out of order\n",
                v.fencedAccepted, v.fencedRejected, v.fenceOrderViolations);
    std::printf(
        "  lost updates: %lld (explained %lld, UNEXPLAINED %lld); writes that landed "
        "unlogged (writer killed or cut off before its log line): %lld\n",
        v.lostUpdates, v.lostExplained, v.lostUnexplained, v.unloggedWrites);
    for (const auto& e : v.examples) std::printf("  ! %s\n", e.c_str());
    const bool safe = v.unexplained == 0 && v.fenceOrderViolations == 0 && v.lostUnexplained == 0;
    std::printf("  verdict: %s\n", safe ? "SAFE" : "VIOLATED");
    return safe ? 0 : 1;
}

// ---- driver ------------------------------------------------------------------------------------

struct Worker {
    pid_t pid = -1;
    int generation = 0;
};

// True when the worker's own log ends in a grant or an entry: it holds a lock right now. A pause
// of a worker that holds nothing tests nothing, so pauses prefer holders (read from the log's
// last line; the worker writes each line with one write(2)).
bool holdsALock(const fs::path& log) {
    const int fd = ::open(log.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buf[512];
    const off_t size = ::lseek(fd, 0, SEEK_END);
    const off_t from =
        size > static_cast<off_t>(sizeof buf) ? size - static_cast<off_t>(sizeof buf) : 0;
    const ssize_t n = ::pread(fd, buf, sizeof buf, from);
    ::close(fd);
    if (n <= 1) return false;
    std::string tail(buf, static_cast<size_t>(n));
    tail.pop_back();  // the last line's newline
    const size_t start = tail.rfind('\n');
    const char kind = tail[start == std::string::npos ? 0 : start + 1];
    return kind == 'A' || kind == 'E';
}

int run(Config cfg) {
    const bool redlock = cfg.strategy == "redlock";
    if (!locks::findLockStrategy(cfg.strategy)) die("unknown strategy " + cfg.strategy);
    fs::create_directories(cfg.history);
    for (const auto& entry : fs::directory_iterator(cfg.history)) fs::remove_all(entry.path());
    const fs::path stopFile = cfg.history / "stop";

    std::vector<std::unique_ptr<sandbox::RedisServer>> lockServers;
    for (int i = 0; i < (redlock ? 5 : 1); ++i)
        lockServers.push_back(std::make_unique<sandbox::RedisServer>());
    sandbox::RedisServer resourceServer;
    std::vector<redis::Endpoint> nodes;
    for (const auto& s : lockServers) nodes.push_back(s->endpoint());
    const redis::Endpoint resource = resourceServer.endpoint();
    redis::Connection admin(resource);

    Log faults(cfg.history / "faults.log");
    std::vector<Worker> workers(static_cast<size_t>(cfg.workers));
    auto spawn = [&](int i) {
        Worker& w = workers[static_cast<size_t>(i)];
        ++w.generation;
        const pid_t pid = ::fork();
        if (pid < 0) die("fork");
        if (pid == 0) workerMain(cfg, i, w.generation, nodes, resource, stopFile);
        w.pid = pid;
    };
    for (int i = 0; i < cfg.workers; ++i) spawn(i);

    std::mt19937 rng(cfg.seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const auto t0 = std::chrono::steady_clock::now();
    const long long ttlUs = cfg.ttl.count() * 1000;
    long long done = 0;
    auto lastReport = t0;
    // Progress from the resource's counter: two numbers per acquisition (entry, write+exit).
    auto progress = [&]() -> long long {
        const auto seq = admin.command({"GET", "safety:seq"}).optString();
        return seq ? std::stoll(*seq) / 2 : 0;
    };
    while ((done = progress()) < cfg.acquisitions) {
        // Exponentially distributed gaps: faults at random times, not on a beat.
        const double gap = -std::log(1.0 - unit(rng)) * static_cast<double>(cfg.faultEvery.count());
        std::this_thread::sleep_for(milliseconds(static_cast<long long>(std::min(gap, 30000.0))));
        for (auto& w : workers) {
            int status = 0;
            if (w.pid > 0 && ::waitpid(w.pid, &status, WNOHANG) == w.pid) {
                std::fprintf(stderr, "safety_run: worker %d exited by itself (status %d)\n",
                             static_cast<int>(&w - workers.data()), status);
                w.pid = -1;
                spawn(static_cast<int>(&w - workers.data()));
            }
        }
        if (std::chrono::steady_clock::now() - lastReport > std::chrono::seconds(30)) {
            lastReport = std::chrono::steady_clock::now();
            std::fprintf(stderr, "safety_run: %s %lld / %lld acquisitions\n", cfg.strategy.c_str(),
                         done, cfg.acquisitions);
        }
        if (!cfg.faults) continue;
        int victim = static_cast<int>(rng() % static_cast<unsigned>(cfg.workers));
        static const char* const kKinds[] = {"below", "above", "kill", "restart", "down"};
        std::vector<unsigned> allowed;
        for (unsigned k = 0; k < (redlock ? 5u : 4u); ++k)
            if (cfg.faultKinds.count(kKinds[k])) allowed.push_back(k);
        if (allowed.empty()) continue;
        const unsigned kind = allowed[rng() % allowed.size()];
        if (kind <= 1) {
            for (int i = 0; i < cfg.workers; ++i) {
                const int c = (victim + i) % cfg.workers;
                const Worker& cw = workers[static_cast<size_t>(c)];
                if (cw.pid > 0 &&
                    holdsALock(cfg.history / ("w" + std::to_string(c) + "-" +
                                              std::to_string(cw.generation) + ".log"))) {
                    victim = c;
                    break;
                }
            }
        }
        Worker& w = workers[static_cast<size_t>(victim)];
        const std::string name = "w" + std::to_string(victim) + "-" + std::to_string(w.generation);
        if (kind <= 1) {
            // Pause below (0.3-0.6 TTL) or above (1.5-2.5 TTL) the lease.
            const bool above = kind == 1;
            const double f = above ? 1.5 + unit(rng) : 0.3 + 0.3 * unit(rng);
            const long long start = monoUs();
            ::kill(w.pid, SIGSTOP);
            std::this_thread::sleep_for(
                std::chrono::microseconds(static_cast<long long>(f * static_cast<double>(ttlUs))));
            ::kill(w.pid, SIGCONT);
            faults.line("P " + std::to_string(start) + " " + std::to_string(monoUs()) + " " + name +
                        (above ? " above" : " below"));
        } else if (kind == 2) {
            ::kill(w.pid, SIGKILL);
            ::waitpid(w.pid, nullptr, 0);
            std::vector<std::string> keys = {"x", "safety:seq"};
            for (int k = 0; k < cfg.keys; ++k) keys.push_back(resourceKeys(k)[0]);
            const std::string me = std::to_string(victim) + "." + std::to_string(w.generation);
            std::vector<redis::Arg> ka(keys.begin(), keys.end());
            std::vector<redis::Arg> av{redis::Arg(me)};
            const long long seq = admin.eval(kForget, redis::Args(ka), redis::Args(av)).integer();
            faults.line("K " + std::to_string(seq) + " " + std::to_string(monoUs()) + " " + name);
            spawn(victim);
        } else if (kind == 3) {
            // The lock's server (one of redlock's) restarts without persistence.
            const size_t node = rng() % lockServers.size();
            const long long start = monoUs();
            lockServers[node]->restart();
            faults.line("S " + std::to_string(start) + " " + std::to_string(monoUs()) + " node" +
                        std::to_string(node) + " restart");
        } else {
            // Redlock: one node down for ~2 TTL (a minority: no overlap may follow).
            const size_t node = rng() % lockServers.size();
            const long long start = monoUs();
            lockServers[node]->pause();
            std::this_thread::sleep_for(cfg.ttl * 2);
            lockServers[node]->resume();
            faults.line("S " + std::to_string(start) + " " + std::to_string(monoUs()) + " node" +
                        std::to_string(node) + " down");
        }
    }
    std::ofstream(stopFile) << "stop\n";
    for (auto& w : workers) {
        if (w.pid <= 0) continue;
        ::kill(w.pid, SIGCONT);
        for (int i = 0; i < 100 && ::waitpid(w.pid, nullptr, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(milliseconds(50));
        ::kill(w.pid, SIGKILL);
        ::waitpid(w.pid, nullptr, 0);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    {
        std::ofstream meta(cfg.history / "meta");
        meta << cfg.strategy << " " << cfg.ttl.count() << " " << lockServers.size() << " "
             << seconds << "\n";
    }
    return report(check(cfg.history, cfg.strategy, cfg.ttl, static_cast<int>(lockServers.size())),
                  cfg.strategy, seconds);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "check") {
        std::ifstream meta(fs::path(args[1]) / "meta");
        std::string strategy;
        long long ttl = 0;
        int nodes = 1;
        double seconds = 0;
        if (!(meta >> strategy >> ttl >> nodes >> seconds)) die("no meta in " + args[1]);
        return report(check(args[1], strategy, milliseconds(ttl), nodes), strategy, seconds);
    }
    if (args.empty() || args[0] != "run")
        die("usage: safety_run run --strategy S --history DIR ...");
    Config cfg;
    cfg.seed = std::random_device{}();
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) die(a + " needs a value");
            return args[++i];
        };
        if (a == "--strategy")
            cfg.strategy = value();
        else if (a == "--history")
            cfg.history = value();
        else if (a == "--acquisitions")
            cfg.acquisitions = std::stoll(value());
        else if (a == "--workers")
            cfg.workers = std::stoi(value());
        else if (a == "--keys")
            cfg.keys = std::stoi(value());
        else if (a == "--ttl-ms")
            cfg.ttl = milliseconds(std::stoll(value()));
        else if (a == "--fault-every-ms")
            cfg.faultEvery = milliseconds(std::stoll(value()));
        else if (a == "--seed")
            cfg.seed = static_cast<unsigned>(std::stoul(value()));
        else if (a == "--fault-kinds") {
            // A comma-separated subset, e.g. "above" to show what a pause past the lease does.
            cfg.faultKinds.clear();
            std::stringstream list(value());
            for (std::string k; std::getline(list, k, ',');) {
                if (k != "below" && k != "above" && k != "kill" && k != "restart" && k != "down")
                    die("--fault-kinds: unknown kind '" + k +
                        "' (below, above, kill, restart, down)");
                cfg.faultKinds.insert(k);
            }
        } else if (a == "--faults")
            cfg.faults = true;
        else if (a == "--no-faults")
            cfg.faults = false;
        else
            die("unknown option " + a);
    }
    if (cfg.history.empty()) die("--history DIR is required");
    if (cfg.workers < 1 || cfg.keys < 1 || cfg.ttl.count() < 10)
        die("bad --workers/--keys/--ttl-ms");
    std::printf("safety_run: %s, %d workers on %d keys, ttl %lld ms, faults %s, seed %u\n",
                cfg.strategy.c_str(), cfg.workers, cfg.keys,
                static_cast<long long>(cfg.ttl.count()), cfg.faults ? "on" : "off", cfg.seed);
    std::fflush(stdout);
    return run(cfg);
}

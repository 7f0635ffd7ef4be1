// `lockscope-cli demo counter …`, `lockscope-cli demo lock …` and the internal `worker lock`.
#include "cli/demo_commands.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <iomanip>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/cli.h"
#include "cli/json.h"
#include "cli/session.h"
#include "counters/counter_strategy.h"
#include "demo/counter_demo.h"
#include "demo/faults.h"
#include "demo/lock_demo.h"
#include "demo/lock_worker.h"
#include "redis/error.h"
#include "redis/url.h"
#include "sandbox/redis_server.h"
#include "sandbox/run_password.h"
#include "sandbox/topology.h"

namespace lockscope::cli {
namespace {

using std::chrono::milliseconds;

std::string num(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string knownLockIds() {
    std::string known;
    for (const auto& s : locks::lockStrategies())
        known += (known.empty() ? "" : ", ") + std::string(s.id);
    return known;
}

// A progress bar on stderr, only when stderr is a terminal: scripts and tests see none of it.
class ProgressBar {
public:
    explicit ProgressBar(std::ostream& err) : err_(err), enabled_(::isatty(STDERR_FILENO) == 1) {}
    ~ProgressBar() { clear(); }
    demo::ProgressFn callback() {
        if (!enabled_) return {};
        return [this](const demo::DemoProgress& p) { show(p); };
    }

private:
    void show(const demo::DemoProgress& p) {
        if (p.event) {
            clear();
            err_ << "  +" << num(static_cast<double>(p.event->at.count()) / 1000.0, 3) << " s  "
                 << p.event->text << "\n";
        }
        if (p.finished) {
            clear();
            return;
        }
        const int width = 30;
        const double f =
            p.total > 0 ? std::min(1.0, static_cast<double>(p.done) / static_cast<double>(p.total))
                        : 0;
        const int filled = static_cast<int>(f * width);
        std::ostringstream line;
        line << "\r" << std::left << std::setw(18) << p.strategy << " ["
             << std::string(static_cast<size_t>(filled), '#')
             << std::string(static_cast<size_t>(width - filled), '.') << "] " << std::right
             << std::setw(3) << static_cast<int>(f * 100) << "%  ";
        // readers-writers counts its progress in milliseconds of its phases: say operations.
        if (p.completed == p.done)
            line << p.done << "/" << p.total;
        else
            line << p.completed << " operations";
        line << "  " << static_cast<long long>(p.opsPerSecond) << " ops/s";
        if (p.kind == "counter" && p.retries) line << "  retries " << p.retries;
        if (p.kind == "lock") line << "  violations " << p.violations;
        err_ << line.str() << "\033[K" << std::flush;
        shown_ = true;
    }
    void clear() {
        if (!shown_) return;
        err_ << "\r\033[K" << std::flush;
        shown_ = false;
    }
    std::ostream& err_;
    bool enabled_;
    bool shown_ = false;
};

demo::DemoTarget targetOf(const Session& session, size_t nodes) {
    demo::DemoTarget t;
    t.nodes = session.nodes();
    t.connect = session.connectOptions();
    t.controlled = session.sandboxServers();
    // erase, not resize: nothing is ever added here.
    if (nodes < t.nodes.size())
        t.nodes.erase(t.nodes.begin() + static_cast<long>(nodes), t.nodes.end());
    if (nodes < t.controlled.size())
        t.controlled.erase(t.controlled.begin() + static_cast<long>(nodes), t.controlled.end());
    return t;
}

int interrupted(std::ostream& err, const std::string& prefix) {
    err << "lockscope-cli: demo interrupted; its workers are stopped and its keys (" << prefix
        << "*) removed\n";
    return kFailed;
}

int counterDemo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "demo counter";
    Parsed p = parseOptions(args,
                            withGlobal({{"strategy", true},
                                        {"workers", true},
                                        {"ops", true},
                                        {"json", false},
                                        {"cap", true},
                                        {"batch-ms", true},
                                        {"lock-ttl", true}}),
                            cmd);
    if (!p.positional.empty())
        throw UsageError("'" + cmd + "' takes no arguments (see lockscope-cli --help)");
    std::vector<counters::CounterSpec> specs;
    try {
        specs = counters::expandCounterSpecs(p.require("strategy", cmd));
    } catch (const redis::Error& e) {
        throw UsageError(e.what());
    }
    demo::CounterDemoOptions o;
    o.strategies = specs;
    o.workers = static_cast<int>(p.integer("workers", 8, 1));
    o.opsPerWorker = p.integer("ops", 1000, 1);
    if (o.workers > 1024) throw UsageError("--workers must be at most 1024");
    o.config.cap = p.integer("cap", o.config.cap, 1);
    o.config.batchInterval = milliseconds(p.integer("batch-ms", o.config.batchInterval.count(), 1));
    o.config.lockTtl = milliseconds(p.millis("lock-ttl", o.config.lockTtl.count(), 1));
    bool multiNode = false;
    for (const auto& s : specs)
        if (s.id == "locked" && locks::findLockStrategy(s.variant)->multiNode) multiNode = true;

    Session session(p, multiNode ? 3 : 1, err);
    session.requireWrites("'demo counter'");
    o.target = targetOf(session, multiNode ? session.nodes().size() : 1);
    o.cancel = &stopRequested();
    ProgressBar bar(err);
    o.progress = bar.callback();
    const auto report = demo::runCounterDemo(o);
    if (report.interrupted) return interrupted(err, report.keyPrefix);

    if (p.has("json")) {
        Json rows = Json::array();
        for (const auto& r : report.results) rows.push_back(counterDemoJson(r));
        printJsonArray(out, std::move(rows));
        return kOk;
    }
    out << "demo counter: " << o.workers << " workers x " << o.opsPerWorker
        << " increments each on " << session.describe() << " (threads, one connection each)\n\n"
        << std::left << std::setw(18) << "strategy" << std::right << std::setw(10) << "expected"
        << std::setw(10) << "actual" << std::setw(8) << "lost" << std::setw(9) << "retries"
        << std::setw(10) << "ops/s" << std::setw(9) << "p50 us" << std::setw(9) << "p99 us"
        << "\n";
    for (const auto& r : report.results)
        out << std::left << std::setw(18) << r.label << std::right << std::setw(10) << r.expected
            << std::setw(10) << r.actual << std::setw(8) << r.lostUpdates << std::setw(9)
            << r.retries << std::setw(10) << static_cast<long long>(r.opsPerSecond) << std::setw(9)
            << num(r.p50Micros, 0) << std::setw(9) << num(r.p99Micros, 0) << "\n";
    out << "\n";
    for (const auto& r : report.results)
        out << std::left << std::setw(18) << r.label << r.explanation << "\n";
    return kOk;
}

// "####    " scaled to `most`.
std::string hashBar(long long n, long long most, int width) {
    const int filled = most > 0 ? static_cast<int>((n * width + most / 2) / most) : 0;
    return std::string(static_cast<size_t>(filled), '#') +
           std::string(static_cast<size_t>(width - filled), ' ');
}

// "<100 us", "100-200 us", "≥ 6.4 ms" for a waitDistribution range.
std::string rangeText(long long from, long long to) {
    auto t = [](long long us) {
        return us >= 1000 ? num(static_cast<double>(us) / 1000.0, us % 1000 ? 1 : 0) + " ms"
                          : std::to_string(us) + " us";
    };
    if (from == 0) return "< " + t(to);
    if (to < 0) return ">= " + t(from);
    return t(from) + " - " + t(to);
}

void printLockRun(std::ostream& out, const demo::LockDemoResult& r) {
    out << "  acquisitions           " << r.acquisitions << "  (" << num(r.opsPerSecond)
        << "/s; wait p50 " << num(r.waitP50Micros, 0) << " us, p99 " << num(r.waitP99Micros, 0)
        << " us, p99.9 " << num(r.waitP999Micros, 0) << " us)\n";
    if (r.waitsCensored > 0)
        out << "  waits never finished   " << r.waitsCensored
            << "  (timed out or cut off when the run stopped: counted at the time they were cut "
               "off, so the wait figures are lower bounds)\n";
    out << "  violations             " << r.violations
        << "  (entries while another holder was still inside)\n"
        << "  stale writes rejected  " << r.staleWritesRejected << "  (fencing)\n"
        << "  lost updates           " << r.lostUpdates << "  (" << r.writes
        << " accepted writes, value " << r.value << ")\n"
        << "  released a lost lock   " << r.lostLockOnRelease << "\n"
        << "  acquire timeouts       " << r.acquireTimeouts << "\n";
    if (r.errors) out << "  Redis errors ridden out " << r.errors << "\n";
    if (r.fault == "contention") {
        const long long most =
            r.perWorker.empty() ? 0 : *std::max_element(r.perWorker.begin(), r.perWorker.end());
        out << "\nacquisitions per worker (least / most " << num(r.fairness, 3) << "):\n";
        for (size_t i = 0; i < r.perWorker.size(); ++i)
            out << "  worker " << std::left << std::setw(3) << i
                << hashBar(r.perWorker[i], most, 40) << "  " << r.perWorker[i] << "\n";
        long long top = 0;
        for (const auto& [from, n] : r.waitDistribution) top = std::max(top, n);
        out << "\nwait before each acquisition (max " << num(r.waitMaxMicros, 0) << " us):\n";
        for (size_t i = 0; i < r.waitDistribution.size(); ++i) {
            const auto [from, n] = r.waitDistribution[i];
            const long long to =
                i + 1 < r.waitDistribution.size() ? r.waitDistribution[i + 1].first : -1;
            // One space at least between the range and its bar ("102.4 ms - 204.8 ms #").
            out << "  " << std::left << std::setw(21) << rangeText(from, to) << " "
                << hashBar(n, top, 40) << "  " << n << "\n";
        }
    }
    if (!r.readShares.empty()) {
        out << "\n"
            << std::left << std::setw(34) << "read share" << std::right << std::setw(8) << "reads"
            << std::setw(8) << "writes" << std::setw(9) << "ops/s" << std::setw(9) << "readers"
            << std::setw(16) << "writer p99 us" << std::setw(16) << "writer max us"
            << "\n";
        for (const auto& row : r.readShares)
            out << std::left << std::setw(34)
                << (std::to_string(static_cast<int>(row.readShare * 100)) + "% reads" +
                    (row.writerPreference ? ", writer preference" : ", no writer preference"))
                << std::right << std::setw(8) << row.reads << std::setw(8) << row.writes
                << std::setw(9) << num(row.opsPerSecond, 0) << std::setw(9)
                << row.maxReadersTogether << std::setw(16) << num(row.writerWaitP99Micros, 0)
                << std::setw(16) << num(row.writerWaitMaxMicros, 0) << "\n";
    }
    if (!r.events.empty()) {
        out << "\nwhat happened:\n";
        for (const auto& e : r.events)
            out << "  +" << num(static_cast<double>(e.at.count()) / 1000.0, 3) << " s  " << e.text
                << "\n";
    }
    // The explanation of an unexpected result already begins "not as documented (…)": said
    // once, in capitals (it read "NOT as documented: not as documented (…").
    constexpr std::string_view kNot = "not as documented";
    if (!r.asExpected && std::string_view(r.explanation).substr(0, kNot.size()) == kNot)
        out << "\nNOT" << std::string_view(r.explanation).substr(3) << "\n";
    else if (r.asExpected && !r.measuredOutcome.id.empty())
        // Worded from this run's figures (the table's outcome claims what they did not show).
        out << "\nas documented; this run measured: " << r.explanation << "\n";
    else
        out << "\n"
            << (r.asExpected ? "as documented: " : "NOT as documented: ") << r.explanation << "\n";
}

int lockDemo(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "demo lock";
    Parsed p = parseOptions(args,
                            withGlobal({{"strategy", true},
                                        {"workers", true},
                                        {"ops", true},
                                        {"json", false},
                                        {"fault", true},
                                        {"ttl", true},
                                        {"work-us", true},
                                        {"pause", true},
                                        {"skew", true},
                                        {"down", true},
                                        {"down-for", true},
                                        {"worker-binary", true},
                                        {"wait-replicas", true},
                                        {"wait-timeout", true}}),
                            cmd);
    if (!p.positional.empty())
        throw UsageError("'" + cmd + "' takes no arguments (see lockscope-cli --help)");
    demo::LockDemoOptions o;
    // Several strategies run one after another under the same settings (fair vs unfair).
    std::vector<std::string> strategies;
    {
        const std::string list = p.require("strategy", cmd);
        for (size_t at = 0; at <= list.size();) {
            const size_t comma = std::min(list.find(',', at), list.size());
            strategies.push_back(list.substr(at, comma - at));
            at = comma + 1;
        }
    }
    const locks::LockStrategyInfo* info = nullptr;
    for (const auto& s : strategies) {
        const auto* i = locks::findLockStrategy(s);
        if (!i) throw UsageError("unknown strategy '" + s + "'; known: " + knownLockIds());
        if (i->kind == locks::LockKind::Latch)
            throw UsageError("a latch is not a lock (nobody holds it): `lockscope-cli latch`");
        if (!info || i->multiNode) info = i;
    }
    o.strategy = strategies.front();
    if (auto f = p.value("fault")) {
        auto fault = demo::parseFault(*f);
        if (!fault) throw UsageError("unknown fault '" + *f + "'; known: " + demo::faultNames());
        o.fault = *fault;
    }
    const auto& fault = demo::faultInfo(o.fault);
    o.workers = static_cast<int>(p.integer("workers", 4, 1));
    o.opsPerWorker = p.integer("ops", 50, 1);
    if (o.workers > 64) throw UsageError("--workers must be at most 64 (each is a process)");
    for (const auto& s : strategies) {
        if (fault.redlockOnly && s != "redlock")
            throw UsageError("--fault " + std::string(fault.name) +
                             " is about redlock's independent nodes: use --strategy redlock");
        if (o.fault == demo::Fault::ReadersWriters && s != "read-write")
            throw UsageError(
                "--fault readers-writers is about the read-write lock: use --strategy read-write");
    }
    if (o.workers < fault.minWorkers)
        throw UsageError("--fault " + std::string(fault.name) + " needs at least " +
                         std::to_string(fault.minWorkers) + " workers");
    if (fault.needsControlledNodes && !p.has("sandbox"))
        throw UsageError("--fault " + std::string(fault.name) +
                         " stops and restarts servers the demo owns: add --sandbox");
    o.ttl = milliseconds(p.millis("ttl", 0, 1));
    o.work = std::chrono::microseconds(p.integer("work-us", o.work.count(), 0));
    o.pause = milliseconds(p.millis("pause", 0, 1));
    if (p.has("skew")) o.skew = milliseconds(p.millis("skew", 0, LLONG_MIN));
    o.down = static_cast<int>(p.integer("down", 0, 1));
    o.downFor = milliseconds(p.millis("down-for", 0, 1));
    o.workerExecutable = p.value("worker-binary").value_or("");
    o.replicaAcks = static_cast<int>(p.integer("wait-replicas", 0, 0));
    for (const auto& s : strategies)
        if (o.replicaAcks > 0 && s != "set-nx-px")
            throw UsageError("--wait-replicas is implemented by set-nx-px (WAIT after its SET)");
    o.replicaAckTimeout = milliseconds(p.millis("wait-timeout", o.replicaAckTimeout.count(), 1));
    if (p.has("wait-timeout") && o.replicaAcks == 0)
        throw UsageError("--wait-timeout goes with --wait-replicas N");
    if (o.replicaAcks > 0 && o.fault != demo::Fault::FailoverBeforeReplication)
        throw UsageError(
            "--wait-replicas applies to --fault failover-before-replication (only there "
            "is there a replica to wait for)");
    if (fault.sentinel && info->multiNode)
        throw UsageError("--fault " + std::string(fault.name) +
                         " is about one master and its replica: use a single-server strategy "
                         "(set-nx-px shows it best)");

    Session session(p, info->multiNode ? 3 : 1, err);
    session.requireWrites("'demo lock'");
    o.target = targetOf(session, info->multiNode ? session.nodes().size() : 1);
    // The failover demo runs the lock on a Sentinel group of its own; the resource stays on the
    // sandbox server.
    std::unique_ptr<sandbox::Topology> sentinels;
    if (fault.sentinel) {
        err << "sandbox: starting master + replica + 3 Sentinels for the failover...\n";
        sandbox::TopologyOptions to;
        to.kind = sandbox::TopologyKind::Sentinel;
        to.password = sandbox::runPassword();  // the workers' one LOCKSCOPE_PASSWORD
        sentinels = std::make_unique<sandbox::Topology>(to);
        o.target.topology = sentinels.get();
        err << "sandbox: " << redis::withoutPassword(sentinels->url()) << "\n";
    }
    o.cancel = &stopRequested();
    ProgressBar bar(err);
    o.progress = bar.callback();
    std::vector<demo::LockDemoResult> runs;
    for (const auto& strategy : strategies) {
        o.strategy = strategy;
        auto r = demo::runLockDemo(o);
        if (r.interrupted) return interrupted(err, r.keyPrefix);
        runs.push_back(std::move(r));
    }

    if (p.has("json")) {
        for (const auto& r : runs) printJsonLine(out, lockDemoJson(r));  // one line per run
        return kOk;
    }
    for (const auto& r : runs) {
        if (&r != &runs.front()) out << "\n";
        if (fault.sentinel)
            out << "demo lock: " << r.strategy
                << (o.replicaAcks ? " + WAIT " + std::to_string(o.replicaAcks) : "")
                << ", two scripted clients (A, B), TTL " << r.ttl.count() << " ms, fault "
                << r.fault << ", on " << redis::withoutPassword(sentinels->url())
                << " (resource on " << session.describe() << ")\n\n";
        else if (o.fault == demo::Fault::ReadersWriters)
            out << "demo lock: " << r.strategy << ", " << r.workers << " worker threads, "
                << o.phase.count() << " ms per read share, TTL " << r.ttl.count() << " ms, on "
                << session.describe() << "\n\n";
        else
            out << "demo lock: " << r.strategy << ", " << r.workers << " worker processes x "
                << r.opsPerWorker << " critical sections, TTL " << r.ttl.count() << " ms, fault "
                << r.fault << ", on " << session.describe() << "\n\n";
        printLockRun(out, r);
    }
    if (runs.size() > 1) {
        // The lesson in one table: who was starved, and how long the unlucky waited.
        out << "\n"
            << std::left << std::setw(22) << "compared" << std::right << std::setw(12)
            << "least/most" << std::setw(10) << "acq/s" << std::setw(12) << "p99 us"
            << std::setw(12) << "p99.9 us" << std::setw(12) << "max us"
            << "\n";
        for (const auto& r : runs)
            out << std::left << std::setw(22) << r.strategy << std::right << std::setw(12)
                << (r.fairness < 0 ? std::string("-") : num(r.fairness, 3)) << std::setw(10)
                << num(r.opsPerSecond, 0) << std::setw(12) << num(r.waitP99Micros, 0)
                << std::setw(12) << num(r.waitP999Micros, 0) << std::setw(12)
                << num(r.waitMaxMicros, 0) << "\n";
    }
    return kOk;
}

}  // namespace

int demoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    auto sub = splitCommand(args, globalOptions());
    if (!sub) throw UsageError("'demo' needs a subcommand: counter or lock");
    if (sub->word == "counter") return counterDemo(sub->rest, out, err);
    if (sub->word == "lock") return lockDemo(sub->rest, out, err);
    throw UsageError("unknown subcommand 'demo " + sub->word + "'; use counter or lock");
}

int workerCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    if (args.empty() || args.front() != "lock")
        throw UsageError("'worker' is internal to the demos (lockscope-cli demo lock starts it)");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    const auto spec = demo::parseLockWorkerArgs(rest);
    return demo::runLockWorker(spec, STDIN_FILENO, out, &stopRequested());
}

std::string demoCommandsHelp() {
    return R"(  demo counter --strategy S[,S...] [--workers N] [--ops M] [--json]
               [--cap N] [--batch-ms MS] [--lock-ttl MS]
      N workers (threads, one connection each; default 8) increment one counter M times each
      (default 1000), strategy after strategy: expected vs actual, lost updates, retries,
      ops/s, latency p50/p99, and why. `capped` runs as two rows, capped:naive and
      capped:atomic (--cap votes per user per day, default 5); locked:<lock strategy> picks
      the lock (default set-nx-px).
  demo lock --strategy S[,S...] [--workers N] [--ops M] [--fault NAME] [--ttl MS] [--json]
            [--pause MS] [--skew MS] [--down K] [--down-for MS] [--work-us US]
            [--wait-replicas N [--wait-timeout MS]]
      N worker processes (default 4) take the lock M times each (default 50) around a
      non-atomic update of a resource that counts overlapping holds, stale writes it
      rejected and lost updates; optionally with a fault (below). --ttl defaults to what
      makes the fault visible (500 ms for pause/crash, 5000 for node-restart). Node faults
      need --sandbox (--sandbox-nodes 5: node-down with 2 vs 3 of 5 nodes down).
      failover-before-replication starts its own master + replica + 3 Sentinels and runs two
      scripted clients; --wait-replicas 1 makes set-nx-px WAIT for the replica after SET.
      Lessons: --strategy set-nx-px,fair --fault contention --workers 8 (who gets the lock
      how often, and the waits: starvation and its cure); --strategy read-write --fault
      readers-writers (throughput as reads grow; writers starve without writer preference);
      --strategy semaphore,expirable-semaphore --fault crash-holder (a dead holder's permit
      leaks, or comes back after its lease). Several strategies run one after another (--json:
      one line each).
      The demo's keys (lockscope:demo:<run>:*) are removed when it ends.
  worker lock ...
      Internal: the worker process `demo lock` starts. Not for direct use.
)";
}

std::string demoStrategiesHelp() {
    std::ostringstream h;
    h << "\nCounter strategies (demo counter):\n";
    for (const auto& s : counters::counterStrategies())
        h << "  " << s.id << std::string(14 - s.id.size(), ' ') << s.summary << "\n";
    h << "\nDemo faults (demo lock --fault):\n";
    for (const auto& f : demo::faults()) {
        if (f.fault == demo::Fault::None) continue;
        // Long names get their summary on the next line.
        if (f.name.size() < 14)
            h << "  " << f.name << std::string(14 - f.name.size(), ' ') << f.summary << "\n";
        else
            h << "  " << f.name << "\n" << std::string(16, ' ') << f.summary << "\n";
    }
    return h.str();
}

}  // namespace lockscope::cli

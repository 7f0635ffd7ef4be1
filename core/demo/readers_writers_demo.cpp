#include "demo/readers_writers_demo.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include "demo/histogram.h"
#include "demo/run_text.h"
#include "demo/teaching_text.h"
#include "demo/verdict.h"
#include "locks/primitive_state.h"
#include "locks/read_write.h"
#include "redis/error.h"

namespace lockscope::demo {
namespace {

using Steady = std::chrono::steady_clock;
using Row = LockDemoResult::ReadShareRow;

struct Phase {
    double readShare;
    bool writerPreference;
};
constexpr Phase kPhases[] = {{0.0, true}, {0.5, true}, {0.9, true}, {0.9, false}};

// What the workers of one phase share: who is inside, and the writers' value.
struct Inside {
    std::atomic<int> readers{0};
    std::atomic<int> writers{0};
    std::atomic<int> maxReaders{0};
    std::atomic<long long> violations{0};
    std::atomic<long long> value{0};
    std::atomic<long long> ops{0};  // for progress reports
};

struct WorkerCounts {
    long long reads = 0, writes = 0, timeouts = 0;
    LatencyHistogram waits, writerWaits;
};

void runWorker(const LockDemoOptions& o, const std::string& key, milliseconds ttl, Phase phase,
               unsigned seed, const std::atomic<bool>& over, Inside& in, WorkerCounts& out) {
    locks::LockContext ctx;
    ctx.nodes = {o.target.nodes.front()};
    ctx.connect = o.target.connect;
    ctx.config.writerPreference = phase.writerPreference;
    locks::ReadWriteLock lock(ctx);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> pick(0.0, 1.0);
    locks::WaitOptions wait;
    wait.timeout = milliseconds(60000);  // the phase's end cancels it first
    wait.cancel = &over;
    while (!over.load()) {
        const bool read = pick(rng) < phase.readShare;
        lock.setMode(read ? locks::LockConfig::RwMode::Read : locks::LockConfig::RwMode::Write);
        const auto t0 = Steady::now();
        auto lease = lock.acquire(key, ttl, wait);
        const auto waited = Steady::now() - t0;
        // A writer still waiting when the phase ends has waited that long: starvation counts.
        if (!read) out.writerWaits.record(waited);
        if (!lease) {
            if (!over.load()) ++out.timeouts;
            continue;
        }
        out.waits.record(waited);
        if (read) {
            const int now = ++in.readers;
            if (in.writers.load() > 0) ++in.violations;
            int seen = in.maxReaders.load();
            while (now > seen && !in.maxReaders.compare_exchange_weak(seen, now)) {}
            std::this_thread::sleep_for(o.work);
            --in.readers;
            ++out.reads;
        } else {
            if (++in.writers > 1 || in.readers.load() > 0) ++in.violations;
            const long long v = in.value.load();
            std::this_thread::sleep_for(o.work);
            in.value.store(v + 1);
            --in.writers;
            ++out.writes;
        }
        lock.release(*lease);
        ++in.ops;
    }
}

}  // namespace

void judgeReadersWriters(LockDemoResult& r) {
    judgeLockRun(r, Fault::ReadersWriters);
    if (r.interrupted || r.readShares.size() != std::size(kPhases)) return;
    // The lesson's own checks, beyond the table's counts.
    const Row& allWrites = r.readShares[0];
    const Row& readHeavy = r.readShares[2];
    const Row& noPreference = r.readShares[3];
    std::string notes;
    auto note = [&](const std::string& s) { notes += (notes.empty() ? "" : "; ") + s; };
    if (readHeavy.maxReadersTogether < 2) note("readers never held the lock together");
    if (readHeavy.opsPerSecond <= allWrites.opsPerSecond)
        note("90% reads was not faster than all writes");
    if (noPreference.writerWaitMaxMicros <= readHeavy.writerWaitMaxMicros)
        note("without writer preference the writers' longest wait was not longer");
    if (notes.empty() && r.asExpected) {
        // The outcome in this run's figures: did throughput grow at every step, or only overall.
        const Row& half = r.readShares[1];
        auto whole = [](double v) { return std::to_string(std::llround(v)); };
        auto millis = [](double micros) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f", micros / 1000.0);
            return std::string(buf);
        };
        const bool grew = allWrites.opsPerSecond < half.opsPerSecond &&
                          half.opsPerSecond < readHeavy.opsPerSecond;
        r.measuredOutcome =
            grew ? message(kOcRwGrew,
                           {std::to_string(readHeavy.maxReadersTogether),
                            whole(allWrites.opsPerSecond), whole(half.opsPerSecond),
                            whole(readHeavy.opsPerSecond), millis(noPreference.writerWaitMaxMicros),
                            millis(readHeavy.writerWaitMaxMicros)})
                 : message(kOcRwNotSteady,
                           {std::to_string(readHeavy.maxReadersTogether),
                            whole(readHeavy.opsPerSecond), whole(allWrites.opsPerSecond),
                            whole(half.opsPerSecond), millis(noPreference.writerWaitMaxMicros),
                            millis(readHeavy.writerWaitMaxMicros)});
        r.explanation = render(r.measuredOutcome);
    }
    if (!notes.empty()) {
        r.mismatch = r.mismatch.empty() ? notes : r.mismatch + "; " + notes;
        r.asExpected = false;
        r.why = LockDemoResult::Why::NotAsDocumented;
        r.explanation = fillPlaceholders(kVerdictNotAsDocumented, {r.mismatch, r.expectedOutcome});
    }
}

LockDemoResult runReadersWritersDemo(const LockDemoOptions& o) {
    auto invalid = [](const std::string& m) {
        throw redis::Error(redis::ErrorKind::InvalidArgument, m);
    };
    if (o.strategy != "read-write")
        invalid("--fault readers-writers is about the read-write lock: use --strategy read-write");
    if (o.workers < 2 || o.workers > 64) invalid("readers-writers needs 2 to 64 workers");
    if (o.target.nodes.empty()) invalid("no Redis server given");
    checkReachable(o.target, 1);

    LockDemoResult r;
    r.strategy = o.strategy;
    r.fault = std::string(faultInfo(Fault::ReadersWriters).name);
    r.runId = o.runId.empty() ? newRunId() : o.runId;
    r.keyPrefix = demoPrefix(r.runId);
    r.workers = o.workers;
    r.ttl = o.ttl.count() > 0 ? o.ttl : faultInfo(Fault::ReadersWriters).defaultTtl;
    const std::string key = r.keyPrefix + "lock";
    DemoTarget one = o.target;
    one.nodes.resize(1);
    // Copies, not references into `r`: it may be moved out when returned, before this runs.
    struct Cleanup {
        const DemoTarget& target;
        std::string prefix;
        std::string writers;
        ~Cleanup() { removeDemoKeys(target, prefix, {writers}); }
    } cleanup{one, r.keyPrefix, locks::rwWritersWaitingKey(key)};
    // (A reader's lease key, "{<key>}:<field>:rwlock_timeout:<n>", goes with its release.)

    r.faultInjected = true;  // the lesson's phases are its "fault"
    LatencyHistogram waits;
    const auto start = Steady::now();
    const int phases = static_cast<int>(std::size(kPhases));
    for (int p = 0; p < phases && !(o.cancel && o.cancel->load()); ++p) {
        const Phase phase = kPhases[p];
        Inside in;
        std::atomic<bool> over{false};
        std::vector<WorkerCounts> counts(static_cast<size_t>(o.workers));
        std::vector<std::thread> threads;
        const auto phaseStart = Steady::now();
        for (int w = 0; w < o.workers; ++w)
            threads.emplace_back(runWorker, std::cref(o), std::cref(key), r.ttl, phase,
                                 static_cast<unsigned>(p * 1000 + w + 1), std::cref(over),
                                 std::ref(in), std::ref(counts[static_cast<size_t>(w)]));
        const std::string share = std::to_string(static_cast<int>(phase.readShare * 100));
        while (Steady::now() - phaseStart < o.phase) {
            if (o.cancel && o.cancel->load()) break;
            std::this_thread::sleep_for(std::min(o.progressInterval, milliseconds(50)));
            if (!o.progress) continue;
            // One strategy over all phases: done and total are milliseconds of the lesson
            // (the progress chart); `completed` counts the operations (the throughput chart).
            DemoProgress pr;
            pr.kind = "lock";
            pr.strategy = o.strategy;
            pr.total = o.phase.count() * phases;
            pr.done = std::min<long long>(
                o.phase.count() * (p + 1),
                o.phase.count() * p +
                    std::chrono::duration_cast<milliseconds>(Steady::now() - phaseStart).count());
            pr.elapsedSeconds = std::chrono::duration<double>(Steady::now() - start).count();
            const double inPhase =
                std::chrono::duration<double>(Steady::now() - phaseStart).count();
            pr.completed = r.acquisitions + in.ops.load();  // earlier phases' and this one's
            pr.opsPerSecond = inPhase > 0 ? static_cast<double>(in.ops.load()) / inPhase : 0;
            pr.violations = r.violations + in.violations.load();
            o.progress(pr);
        }
        over = true;
        for (auto& t : threads) t.join();
        const double seconds = std::chrono::duration<double>(Steady::now() - phaseStart).count();
        Row row;
        row.readShare = phase.readShare;
        row.writerPreference = phase.writerPreference;
        LatencyHistogram writerWaits;
        for (const auto& c : counts) {
            row.reads += c.reads;
            row.writes += c.writes;
            r.acquireTimeouts += c.timeouts;
            waits.merge(c.waits);
            writerWaits.merge(c.writerWaits);
        }
        row.opsPerSecond = seconds > 0 ? static_cast<double>(row.reads + row.writes) / seconds : 0;
        row.maxReadersTogether = in.maxReaders.load();
        row.writerWaitP99Micros = writerWaits.percentileMicros(0.99);
        row.writerWaitMaxMicros = writerWaits.maxMicros();
        r.readShares.push_back(row);
        r.acquisitions += row.reads + row.writes;
        r.writes += row.writes;
        r.value += in.value.load();
        r.violations += in.violations.load();
        Message line = message(phase.writerPreference ? kEvRwPhase : kEvRwPhaseNoPreference,
                               {share, std::to_string(row.reads), std::to_string(row.writes),
                                std::to_string(row.maxReadersTogether)});
        r.events.push_back(
            {std::chrono::duration_cast<milliseconds>(Steady::now() - start), render(line), line});
    }
    r.interrupted = o.cancel && o.cancel->load();
    r.lostUpdates = r.writes - r.value;
    r.acquisitionsAfterFault = r.acquisitions;
    r.seconds = std::chrono::duration<double>(Steady::now() - start).count();
    r.opsPerSecond = r.seconds > 0 ? static_cast<double>(r.acquisitions) / r.seconds : 0;
    r.waitP50Micros = waits.percentileMicros(0.50);
    r.waitP99Micros = waits.percentileMicros(0.99);
    r.waitP999Micros = waits.percentileMicros(0.999);
    r.waitMaxMicros = waits.maxMicros();
    r.waitDistribution = doublingRanges(waits);

    judgeReadersWriters(r);
    return r;
}

}  // namespace lockscope::demo

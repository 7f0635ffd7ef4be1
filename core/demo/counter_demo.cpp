#include "demo/counter_demo.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "counters/capped.h"
#include "demo/histogram.h"
#include "demo/teaching_text.h"
#include "locks/fenced.h"
#include "redis/error.h"
#include "util/thread_name.h"

namespace lockscope::demo {
namespace {

using Steady = std::chrono::steady_clock;

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// Workers connect first and wait here, so connecting is not timed and every worker starts
// contending at the same moment.
class StartGate {
public:
    void arrive() {
        std::lock_guard<std::mutex> g(m_);
        ++arrived_;
        cv_.notify_all();
    }
    void waitArrived(int n) {
        std::unique_lock<std::mutex> g(m_);
        cv_.wait(g, [&] { return arrived_ >= n; });
    }
    // True when opened, false when the run was aborted before it began.
    bool waitOpen() {
        std::unique_lock<std::mutex> g(m_);
        cv_.wait(g, [&] { return open_ || aborted_; });
        return open_;
    }
    void open(bool run) {
        std::lock_guard<std::mutex> g(m_);
        (run ? open_ : aborted_) = true;
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int arrived_ = 0;
    bool open_ = false;
    bool aborted_ = false;
};

struct Worker {
    std::unique_ptr<counters::CounterStrategy> strategy;
    LatencyHistogram latency;
    std::atomic<long long> done{0};
    std::atomic<long long> retries{0};
    Steady::time_point finishedAt{};
    // Errors stay on the worker's thread as values; the engine rethrows on its own thread.
    std::optional<redis::ErrorKind> errorKind;
    std::string error;
};

void emit(const CounterDemoOptions& o, DemoProgress p) {
    if (o.progress) o.progress(p);
}

// capped: op i of every worker votes as user "u<i / cap>".
std::string actorFor(long long op, long long cap) { return "u" + std::to_string(op / cap); }

}  // namespace

namespace {

// Ids as demo/teaching_text.h: counter-why.<strategy>[.<case>].
constexpr CounterSentence kSentences[] = {
    {"counter-why.capped.naive.over-votes",
     "check-then-INCR is two requests: several workers read a count below the cap before any of "
     "their INCRs landed, so users got up to %1 votes against a cap of %2 (%3 over-votes)."},
    {"counter-why.capped.naive.no-race",
     "no over-vote this time (%1 worker(s) never raced at the cap); the gap between the check and "
     "the INCR is still there — run more workers."},
    {"counter-why.capped.atomic",
     "the check and the INCRs run in one script, so no user got past the cap of %1 (most votes by "
     "one user: %2); %3 votes over the limit were refused."},
    {"counter-why.capped.atomic.over-cap",
     "UNEXPECTED: a user got past the cap of %1 (most votes by one user: %2); %3 votes over the "
     "limit were refused."},
    {"counter-why.not-exact", "NOT exact: %1 of %2 acknowledged increments are missing."},
    {"counter-why.locked.not-exact",
     "NOT exact: %1 of %2 acknowledged increments are missing although every GET+SET ran under "
     "the %3 lock: it let two workers in at once (%4)."},
    {"counter-why.naive.lost",
     "GET and SET are two commands: while one worker added 1 to what it had read, others wrote, "
     "and its SET overwrote their increments — %1 of %2 updates lost (%3%)."},
    {"counter-why.naive.one-worker",
     "one worker cannot race itself: run with more workers to see GET+SET lose updates."},
    {"counter-why.naive.no-overlap",
     "no overlap happened this time; the gap between GET and SET is still there — run more ops."},
    {"counter-why.incr",
     "INCRBY adds on the server in one command, so increments cannot interleave: exact, one round "
     "trip each."},
    {"counter-why.lua",
     "GET, add and SET run in one script, and Redis runs a script to completion before serving "
     "anyone else: exact, one round trip each."},
    {"counter-why.watch",
     "EXEC aborted whenever another worker wrote after this one's WATCH; the loop retried from a "
     "fresh GET (%1 retries, %2 per increment) and only committed transactions count: exact."},
    {"counter-why.versioned",
     "a write landed only if the version was still the one read; %1 writes found it moved (a "
     "conflict, %2 per increment) and retried from a fresh read: exact."},
    {"counter-why.locked",
     "each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock attempts found it "
     "busy."},
    {"counter-why.locked.gave-up",
     "each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock attempts found it "
     "busy, and %3 increments gave up waiting."},
    {"counter-why.batched",
     "increments were merged locally and sent as %1 INCRBYs for %2 increments (%3x fewer round "
     "trips); exact once every worker flushed. Until a flush Redis lags, and a crash loses what is "
     "pending."},
    {"counter-why.exact", "exact."},
    {"counter-why.inexact", "not exact."},
};

const CounterSentence* sentence(std::string_view id) {
    for (const auto& s : kSentences)
        if (s.id == id) return &s;
    return nullptr;
}

}  // namespace

std::span<const CounterSentence> counterExplanations() { return kSentences; }

CounterExplanation counterExplanation(const CounterDemoResult& r, int workers) {
    auto says = [](std::string_view id, std::vector<std::string> args = {}) {
        return CounterExplanation{sentence(id), std::move(args)};
    };
    const std::string lost = std::to_string(r.lostUpdates);
    const std::string expected = std::to_string(r.expected);
    const std::string retries = std::to_string(r.retries);
    const double perOp = r.ops ? static_cast<double>(r.retries) / static_cast<double>(r.ops) : 0;
    if (r.strategy == "capped") {
        const std::string cap = std::to_string(r.cap);
        const std::string most = std::to_string(r.maxPerUser);
        if (r.variant == "naive") {
            if (r.overCap > 0)
                return says("counter-why.capped.naive.over-votes",
                            {most, cap, std::to_string(r.overCap)});
            return says("counter-why.capped.naive.no-race", {std::to_string(workers)});
        }
        return says(r.maxPerUser <= r.cap ? "counter-why.capped.atomic"
                                          : "counter-why.capped.atomic.over-cap",
                    {cap, most, std::to_string(r.rejected)});
    }
    if (!r.exact && r.strategy != "naive") {
        if (r.strategy == "locked")
            return says("counter-why.locked.not-exact",
                        {lost, expected, r.variant,
                         std::string(locks::findLockStrategy(r.variant)->hazard)});
        return says("counter-why.not-exact", {lost, expected});
    }
    if (r.strategy == "naive") {
        if (r.lostUpdates > 0)
            return says("counter-why.naive.lost",
                        {lost, expected,
                         fmt("%.0f", 100.0 * static_cast<double>(r.lostUpdates) /
                                         static_cast<double>(std::max(1LL, r.expected)))});
        return says(workers == 1 ? "counter-why.naive.one-worker" : "counter-why.naive.no-overlap");
    }
    if (r.strategy == "incr") return says("counter-why.incr");
    if (r.strategy == "lua") return says("counter-why.lua");
    if (r.strategy == "watch") return says("counter-why.watch", {retries, fmt("%.2f", perOp)});
    if (r.strategy == "versioned")
        return says("counter-why.versioned", {retries, fmt("%.2f", perOp)});
    if (r.strategy == "locked") {
        if (r.rejected > 0)
            return says("counter-why.locked.gave-up",
                        {r.variant, retries, std::to_string(r.rejected)});
        return says("counter-why.locked", {r.variant, retries});
    }
    if (r.strategy == "batched")
        return says("counter-why.batched",
                    {std::to_string(r.roundTrips), std::to_string(r.ops),
                     fmt("%.0f", static_cast<double>(r.ops) /
                                     static_cast<double>(std::max(1LL, r.roundTrips)))});
    return says(r.exact ? "counter-why.exact" : "counter-why.inexact");
}

std::string explainCounter(const CounterDemoResult& r, int workers) {
    const auto e = counterExplanation(r, workers);
    return fillPlaceholders(e.sentence->english, e.args);
}

CounterDemoReport runCounterDemo(const CounterDemoOptions& options) {
    using redis::ErrorKind;
    if (options.workers < 1 || options.workers > 1024)
        throw redis::Error(ErrorKind::InvalidArgument, "workers must be between 1 and 1024");
    if (options.opsPerWorker < 1)
        throw redis::Error(ErrorKind::InvalidArgument, "ops per worker must be at least 1");
    if (options.strategies.empty())
        throw redis::Error(ErrorKind::InvalidArgument, "no counter strategy given");
    if (options.target.nodes.empty())
        throw redis::Error(ErrorKind::InvalidArgument, "no Redis server given");
    if (options.config.cap < 1)
        throw redis::Error(ErrorKind::InvalidArgument, "the vote cap must be at least 1");
    bool needsAllNodes = false;
    for (const auto& s : options.strategies)
        if (s.id == "locked" && locks::findLockStrategy(s.variant)->multiNode) needsAllNodes = true;
    checkReachable(options.target, needsAllNodes ? options.target.nodes.size() : 1);

    CounterDemoReport report;
    report.runId = options.runId.empty() ? newRunId() : options.runId;
    report.keyPrefix = demoPrefix(report.runId);
    report.workers = options.workers;
    report.opsPerWorker = options.opsPerWorker;

    std::vector<std::string> extraKeys;  // fenced locks keep their token counter outside the key
    struct Cleanup {
        const DemoTarget& target;
        const std::string& prefix;
        const std::vector<std::string>& extra;
        ~Cleanup() { removeDemoKeys(target, prefix, extra); }
    } cleanup{options.target, report.keyPrefix, extraKeys};

    const int count = static_cast<int>(options.strategies.size());
    for (int si = 0; si < count; ++si) {
        const counters::CounterSpec& spec = options.strategies[static_cast<size_t>(si)];
        const std::string label = spec.text();
        const std::string key = report.keyPrefix + label + ":counter";
        extraKeys.push_back(locks::fenceKey(key + ":lock"));
        const long long total = options.workers * options.opsPerWorker;
        const long long cap = options.config.cap;
        const bool capped = spec.id == "capped";

        std::atomic<bool> stop{false};
        StartGate gate;
        std::vector<std::unique_ptr<Worker>> workers;
        for (int w = 0; w < options.workers; ++w) workers.push_back(std::make_unique<Worker>());
        std::mutex finishedMutex;
        std::condition_variable finishedCv;
        int finished = 0;

        std::vector<std::thread> threads;
        for (int w = 0; w < options.workers; ++w) {
            threads.emplace_back([&, w] {
                setThreadName("ls-demo-cnt/" + std::to_string(w));
                Worker& me = *workers[static_cast<size_t>(w)];
                bool arrived = false;
                try {
                    counters::CounterContext ctx;
                    ctx.nodes = options.target.nodes;
                    ctx.connect = options.target.connect;
                    ctx.config = options.config;
                    ctx.config.cancel = &stop;
                    me.strategy = counters::makeCounterStrategy(label, key, ctx);
                    gate.arrive();
                    arrived = true;
                    if (gate.waitOpen()) {
                        for (long long i = 0; i < options.opsPerWorker; ++i) {
                            if (stop.load(std::memory_order_relaxed)) break;
                            const std::string actor = capped ? actorFor(i, cap) : std::string();
                            const auto t0 = Steady::now();
                            me.strategy->increment(1, actor);
                            me.latency.record(Steady::now() - t0);
                            me.done.fetch_add(1, std::memory_order_relaxed);
                            me.retries.store(static_cast<long long>(me.strategy->stats().retries),
                                             std::memory_order_relaxed);
                        }
                        me.strategy->flush();  // batched: what is still pending
                    }
                } catch (const redis::Error& e) {
                    me.errorKind = e.kind();
                    me.error = e.what();
                    stop = true;
                } catch (const std::exception& e) {
                    me.errorKind = ErrorKind::Server;
                    me.error = e.what();
                    stop = true;
                }
                if (!arrived) gate.arrive();
                me.finishedAt = Steady::now();
                std::lock_guard<std::mutex> g(finishedMutex);
                ++finished;
                finishedCv.notify_all();
            });
        }
        gate.waitArrived(options.workers);
        bool connectFailed = false;
        for (const auto& w : workers) connectFailed = connectFailed || w->errorKind.has_value();
        const auto start = Steady::now();
        gate.open(!connectFailed);

        bool cancelled = false;
        DemoProgress progress;
        progress.kind = "counter";
        progress.strategy = label;
        progress.strategyIndex = si;
        progress.strategyCount = count;
        progress.total = total;
        auto fill = [&] {
            long long done = 0, retries = 0;
            for (const auto& w : workers) {
                done += w->done.load(std::memory_order_relaxed);
                retries += w->retries.load(std::memory_order_relaxed);
            }
            progress.done = done;
            progress.completed = done;
            progress.retries = retries;
            progress.elapsedSeconds = std::chrono::duration<double>(Steady::now() - start).count();
            progress.opsPerSecond = progress.elapsedSeconds > 0
                                        ? static_cast<double>(done) / progress.elapsedSeconds
                                        : 0;
        };
        {
            std::unique_lock<std::mutex> g(finishedMutex);
            while (finished < options.workers) {
                finishedCv.wait_for(g, options.progressInterval);
                if (options.cancel && options.cancel->load() && !cancelled) {
                    cancelled = true;
                    stop = true;
                }
                if (finished < options.workers && !connectFailed) {
                    g.unlock();
                    fill();
                    emit(options, progress);
                    g.lock();
                }
            }
        }
        for (auto& t : threads) t.join();

        for (size_t w = 0; w < workers.size(); ++w) {
            if (workers[w]->errorKind)
                throw redis::Error(
                    *workers[w]->errorKind,
                    "demo " + label + ", worker " + std::to_string(w) + ": " + workers[w]->error);
        }
        if (cancelled) {
            report.interrupted = true;
            break;
        }

        CounterDemoResult r;
        r.strategy = spec.id;
        r.variant = spec.variant;
        r.label = label;
        LatencyHistogram latency;
        auto end = start;
        long long applied = 0;
        for (const auto& w : workers) {
            const auto& st = w->strategy->stats();
            applied += static_cast<long long>(st.applied);
            r.retries += static_cast<long long>(st.retries);
            r.rejected += static_cast<long long>(st.rejected);
            r.roundTrips += static_cast<long long>(st.roundTrips);
            r.ops += static_cast<long long>(st.ops);
            latency.merge(w->latency);
            end = std::max(end, w->finishedAt);
        }
        counters::CounterStrategy& reader = *workers.front()->strategy;
        r.actual = reader.read();
        r.seconds = std::chrono::duration<double>(end - start).count();
        r.opsPerSecond = r.seconds > 0 ? static_cast<double>(r.ops) / r.seconds : 0;
        r.p50Micros = latency.percentileMicros(0.50);
        r.p99Micros = latency.percentileMicros(0.99);
        if (capped) {
            auto& cc = dynamic_cast<counters::CappedCounter&>(reader);
            r.cap = cap;
            r.users = (options.opsPerWorker + cap - 1) / cap;
            for (long long u = 0; u < r.users; ++u) {
                const long long opsForUser = std::min(cap, options.opsPerWorker - u * cap);
                r.expected += std::min(cap, opsForUser * options.workers);
                r.maxPerUser = std::max(r.maxPerUser, cc.votesOf(actorFor(u * cap, cap)));
            }
            r.overCap = std::max(0LL, r.actual - r.expected);
        } else {
            r.expected = applied;
        }
        r.lostUpdates = std::max(0LL, r.expected - r.actual);
        r.exact = r.actual == r.expected;
        const auto why = counterExplanation(r, options.workers);
        r.explanationId = std::string(why.sentence->id);
        r.explanationArgs = why.args;
        r.explanation = fillPlaceholders(why.sentence->english, why.args);
        reader.reset();

        fill();
        progress.finished = true;
        emit(options, progress);
        report.results.push_back(std::move(r));
    }
    return report;
}

}  // namespace lockscope::demo

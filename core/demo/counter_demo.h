// The counter contention demo: N workers, each with its own connection (and its own strategy
// instance), increment one shared counter M times each, strategy after strategy; the engine then
// compares what Redis holds with what was acknowledged.
//
// Workers are threads: a counter demo injects no faults, so nothing needs a process of its own
// (lock demos, which pause and kill holders, use processes: lock_demo.h).
//
// Per strategy: expected (increments Redis acknowledged; for capped, the votes the cap allows),
// actual (what the counter holds), lost updates, retries, throughput and latency percentiles,
// and a plain-language explanation of why it came out that way.
//
// capped: worker op i votes as user "u<i / cap>", so every worker votes for the same user at
// the same time — cap votes each — and the correct total is cap per user (fewer for a last,
// partial user). The naive variant over-votes; the atomic one never exceeds the cap.
//
// Thread contract: runCounterDemo() runs on the caller's thread (the CLI's main thread, or a
// dashboard worker thread), starts and joins its worker threads, and throws only on that thread:
// redis::Error(InvalidArgument) for bad options, redis::Error (Connect, ...) when Redis cannot be
// reached or a worker failed. Keys are removed before it returns or throws. Cancel by setting
// *options.cancel from any thread (a signal handler included).
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "counters/counter_strategy.h"
#include "demo/demo.h"

namespace lockscope::demo {

struct CounterDemoOptions {
    DemoTarget target;
    std::vector<counters::CounterSpec> strategies;  // counters::expandCounterSpecs()
    int workers = 8;
    long long opsPerWorker = 1000;   // increments per worker (expected = workers × ops)
    counters::CounterConfig config;  // cap, batch interval, lock TTL; config.cancel is set here
    std::string runId;               // "" → a fresh one
    const std::atomic<bool>* cancel = nullptr;  // stop early; may be null
    ProgressFn progress;                        // may be empty
    milliseconds progressInterval{100};
};

struct CounterDemoResult {
    std::string strategy;  // registry id ("locked", "capped")
    std::string variant;   // "set-nx-px", "naive", … ("" when none)
    std::string label;     // strategy[:variant], as shown
    long long expected = 0;
    long long actual = 0;
    long long lostUpdates = 0;  // expected - actual, when positive
    long long overCap = 0;      // capped: actual - expected, when positive (over-votes)
    long long retries = 0;
    long long rejected = 0;  // capped: votes refused; locked: lock not had in time
    long long roundTrips = 0;
    long long ops = 0;  // increment() calls made
    double seconds = 0;
    double opsPerSecond = 0;
    double p50Micros = 0;  // latency of one increment() call
    double p99Micros = 0;
    long long cap = 0;         // capped only
    long long users = 0;       // capped only
    long long maxPerUser = 0;  // capped only: the most votes any one user got
    bool exact = false;        // actual == expected
    std::string explanation;
    // The sentence `explanation` was made from (counterExplanations()) and the numbers filling its
    // %1..: the dashboard says it in its own language.
    std::string explanationId;
    std::vector<std::string> explanationArgs;
};

struct CounterDemoReport {
    std::string runId;
    std::string keyPrefix;
    int workers = 0;
    long long opsPerWorker = 0;
    std::vector<CounterDemoResult> results;
    bool interrupted = false;  // cancelled: results hold the strategies that finished
};

CounterDemoReport runCounterDemo(const CounterDemoOptions& options);

// The explanation runCounterDemo() writes into a result (exposed for tests and the dashboard).
std::string explainCounter(const CounterDemoResult& result, int workers);

// The explanations' sentences, each under a stable message id (demo/teaching_text.h), with %1..
// where a run's numbers go.
struct CounterSentence {
    std::string_view id;
    std::string_view english;
};
std::span<const CounterSentence> counterExplanations();
// Which sentence explains `result`, and its arguments; explainCounter() fills them in.
struct CounterExplanation {
    const CounterSentence* sentence = nullptr;
    std::vector<std::string> args;
};
CounterExplanation counterExplanation(const CounterDemoResult& result, int workers);

}  // namespace lockscope::demo

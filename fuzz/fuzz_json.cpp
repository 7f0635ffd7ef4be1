// libFuzzer target: every JSON shape lockscope-cli writes besides the key records (which
// fuzz_classifier covers) — `lock acquire`, `lock inspect`, a removed key of `watch`, `demo lock`,
// `demo counter` — built from arbitrary bytes (keys, tokens, holders, node names, details, event
// texts) and arbitrary numbers (every double bit pattern: NaN, ±inf, subnormals, huge values).
// Invariants: each line parses back with a strict JSON parser, an array printed with
// printJsonArray parses as an array of the same length, no number is NaN or infinite (measured()
// makes those null), and the key's exact bytes are recoverable (as is, or through the one
// escaping rule of util/text.h when the JSON says key_escaped).
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/json.h"
#include "fuzz/fuzz_support.h"
#include "util/text.h"

using namespace lockscope;
using namespace std::chrono_literals;
using lockscope::fuzz::require;

namespace {

double anyDouble(fuzz::Input& in) {
    const auto bits = static_cast<std::uint64_t>(in.number64());
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

nlohmann::json parsed(const std::string& line) {
    try {
        return nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
        fuzz::violated("the JSON does not parse back", line + "\n  " + e.what());
    }
}

void noNonFinite(const nlohmann::json& j, const std::string& line) {
    if (j.is_number_float()) require(std::isfinite(j.get<double>()), "a non-finite number", line);
    if (j.is_structured())
        for (const auto& v : j) noNonFinite(v, line);
}

void keyRoundTrips(const nlohmann::json& j, const std::string& key, const std::string& line) {
    require(j.is_object() && j.contains("key") && j["key"].is_string(), "no key", line);
    const std::string shown = j["key"].get<std::string>();
    if (j.value("key_escaped", false)) {
        auto bytes = parseDisplayedBytes(shown);
        require(bytes && *bytes == key, "escaped key does not give the bytes back", line);
    } else {
        require(shown == key, "key changed in JSON", line);
    }
}

std::string line(cli::Json j) {
    std::ostringstream out;
    cli::printJsonLine(out, std::move(j));
    const std::string s = out.str();
    require(!s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1,
            "a JSON line is not one line", s);
    noNonFinite(parsed(s), s);
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const auto now = std::chrono::steady_clock::time_point(1000s);
    const std::uint8_t which = in.byte();

    // `lock acquire --json`
    {
        locks::Lease lease;
        lease.ttl = std::chrono::milliseconds(in.number64() % (1LL << 40));
        lease.acquiredAt = now - std::chrono::milliseconds(in.byte());
        lease.validUntil =
            now + std::chrono::milliseconds(static_cast<std::int16_t>(in.number64()));
        if (which & 1) lease.fence = in.number64();
        lease.nodesHeld = static_cast<int>(in.byte());
        lease.holdCount = static_cast<int>(in.byte());
        lease.key = in.field();
        lease.token = in.field();
        const std::string strategy = in.field();
        const std::string s = line(cli::leaseJson(strategy, lease, now));
        keyRoundTrips(parsed(s), lease.key, s);
    }
    // `lock inspect --json`
    {
        locks::LockInfo info;
        info.held = which & 2;
        info.ttl = std::chrono::milliseconds(in.number64());
        info.holdCount = static_cast<int>(in.byte());
        if (which & 4) info.fence = in.number64();
        info.nodesHeld = static_cast<int>(in.byte());
        info.nodesTotal = static_cast<int>(in.byte());
        const std::string key = in.field();
        const std::string strategy = in.field();
        info.holder = in.field();
        info.detail = in.field();
        const int nodes = in.byte() % 6;
        for (int i = 0; i < nodes && !in.empty(); ++i) {
            locks::NodeHolding n;
            n.reachable = in.byte() & 1;
            n.ttl = std::chrono::milliseconds(in.number64());
            n.node = in.field();
            if (in.byte() & 1) n.value = in.field();
            info.nodes.push_back(std::move(n));
        }
        const std::string s = line(cli::lockInfoJson(key, strategy, info));
        keyRoundTrips(parsed(s), key, s);
        const std::string gone = line(cli::removedKeyJson(key));
        keyRoundTrips(parsed(gone), key, gone);
    }
    // `demo lock --json`
    {
        demo::LockDemoResult r;
        r.workers = static_cast<int>(in.byte());
        r.opsPerWorker = in.number64();
        r.ttl = std::chrono::milliseconds(in.number64());
        r.acquisitions = in.number64();
        r.violations = in.number64();
        r.lostUpdates = in.number64();
        r.seconds = anyDouble(in);
        r.opsPerSecond = anyDouble(in);
        r.waitP50Micros = anyDouble(in);
        r.waitP99Micros = anyDouble(in);
        r.faultInjected = which & 8;
        r.stuck = which & 16;
        if (which & 32) r.recovery = std::chrono::milliseconds(in.number64());
        r.asExpected = which & 64;
        r.strategy = in.field();
        r.fault = in.field();
        r.runId = in.field();
        r.keyPrefix = in.field();
        r.expectedOutcome = in.field();
        r.mismatch = in.field();
        r.explanation = in.field();
        const int events = in.byte() % 6;
        for (int i = 0; i < events && !in.empty(); ++i)
            r.events.push_back({std::chrono::milliseconds(in.number64()), in.field()});
        (void)line(cli::lockDemoJson(r));
    }
    // `demo counter --json`: an array, one row per strategy.
    {
        cli::Json rows = cli::Json::array();
        const int n = 1 + in.byte() % 4;
        for (int i = 0; i < n; ++i) {
            demo::CounterDemoResult r;
            r.expected = in.number64();
            r.actual = in.number64();
            r.lostUpdates = in.number64();
            r.seconds = anyDouble(in);
            r.opsPerSecond = anyDouble(in);
            r.p50Micros = anyDouble(in);
            r.p99Micros = anyDouble(in);
            r.exact = in.byte() & 1;
            r.strategy = in.field();
            r.variant = in.field();
            r.label = in.field();
            r.explanation = in.field();
            rows.push_back(cli::counterDemoJson(r));
        }
        std::ostringstream out;
        cli::printJsonArray(out, rows);
        const auto back = parsed(out.str());
        require(back.is_array() && back.size() == static_cast<size_t>(n),
                "the array does not parse back whole", out.str());
        noNonFinite(back, out.str());
    }
    // measured(): NaN and ±inf are null, everything else a finite number.
    {
        const double d = anyDouble(in);
        const cli::Json m = cli::measured(d, in.byte() % 8);
        require(std::isfinite(d) ? m.is_number() : m.is_null(), "measured() of a double",
                std::to_string(d));
    }
    return 0;
}

// libFuzzer target: what the inspector read from Redis → the classifier → the CLI's JSON line.
// The input decides the key's name, type, TTL, idle time, value bytes, hash fields, companion
// keys and the CLIENT LIST text; any key a server can hold must classify without crashing or
// undefined behaviour, describe itself, and print as JSON that parses back with the key's exact
// bytes recoverable.
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli/json.h"
#include "fuzz/fuzz_support.h"
#include "monitor/classifier.h"
#include "util/text.h"

using namespace lockscope;
using namespace std::chrono_literals;
using lockscope::fuzz::require;

namespace {

constexpr const char* kTypes[] = {"string", "hash", "list", "set", "zset", "none", "moved", "ask"};
constexpr long long kWallNowMs = 1'796'000'000'000;  // December 2026

monitor::Observation observation(fuzz::Input& in) {
    monitor::Observation obs;
    const std::uint8_t t = in.byte();
    obs.type = t < 200 ? kTypes[t % std::size(kTypes)] : in.field();
    // TTLs near the edges of the clock as well as ordinary ones: a byte picks the shape.
    const long long raw = in.number64();
    switch (in.byte() % 4) {
        case 0:
            obs.pttlMs = raw;
            break;
        case 1:
            obs.pttlMs = raw % 100'000;
            break;
        case 2:
            obs.pttlMs = -1;
            break;
        default:
            obs.pttlMs = -2;
            break;
    }
    if (in.byte() & 1) obs.idleSeconds = in.number64();
    obs.length = in.number64();
    obs.truncated = in.byte() & 1;
    obs.key = in.field();
    obs.value = in.field();
    obs.movedTo = in.field();
    const int fields = in.byte() % 8;
    for (int i = 0; i < fields && !in.empty(); ++i) {
        std::string name = in.field();
        obs.fields.emplace_back(std::move(name), in.field());
    }
    return obs;
}

void checkJson(const monitor::KeyRecord& r, monitor::Steady::time_point now) {
    std::ostringstream out;
    cli::printJsonLine(out, cli::keyRecordJson(r, kWallNowMs, now, "127.0.0.1:6379"));
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(out.str());
    } catch (const nlohmann::json::exception& e) {
        fuzz::violated("the JSON line does not parse", out.str() + "\n  " + e.what());
    }
    require(parsed.is_object() && parsed.contains("key"), "no key in the JSON line", out.str());
    const std::string key = parsed["key"].get<std::string>();
    if (parsed.value("key_escaped", false)) {
        auto bytes = parseDisplayedBytes(key);
        require(bytes && *bytes == r.key, "escaped key does not give the bytes back", out.str());
    } else {
        require(key == r.key, "key changed in JSON", out.str());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const auto now = monitor::Steady::time_point(1000s);
    monitor::ClassifyContext ctx;
    ctx.wallNowMs = kWallNowMs;
    ctx.now = now;
    ctx.expiringSoon = 1000ms;
    if (in.byte() & 1) ctx.companions.lockscopeFence = in.number64();
    if (in.byte() & 1) ctx.companions.redissonToken = in.number64();
    ctx.companions.redissonQueue = in.byte() & 1;
    const auto clients = monitor::lockscopeClientsFromClientList(in.field());
    if (in.byte() & 1) ctx.lockscopeClientsByTag = &clients;

    monitor::Observation first = observation(in);
    (void)monitor::companionKeys(first);
    (void)monitor::isCompanionKey(first.key);
    (void)monitor::lockscopeTagOfClientName(first.key);
    monitor::KeyRecord r = monitor::classify(first, ctx);
    require(r.key == first.key, "classify() changed the key", displayBytes(r.key));
    (void)monitor::describe(r, kWallNowMs);
    checkJson(r, now);

    // A second observation of the same key later: carry over, then time passes.
    monitor::Observation second = observation(in);
    second.key = first.key;
    ctx.now = now + 1500ms;
    ctx.wallNowMs = kWallNowMs + 1500;
    monitor::KeyRecord again = monitor::classify(second, ctx);
    monitor::carryOver(r, again);
    (void)monitor::refreshState(again, now + 5s, kWallNowMs + 5000, 1000ms);
    (void)monitor::describe(again, kWallNowMs + 5000);
    checkJson(again, now + 5s);
    return 0;
}

// churn_check: keys re-created within one publish window must never vanish from `watch`
// (issue 16.7). Runs `lockscope-cli watch --json` on a prefix while it churns re-created keys —
// locks deleted and retaken, counters reset (DEL, then INCR), fixed-window rate-limit counters
// (INCR + EXPIRE) — at a given rate; then lets the watch settle and compares its view (the last
// JSON line per key) with a fresh `locks --json` and `counters --json`. Exit 0 when they are
// equal, 1 when not (the differences on stderr), 2 on a usage error.
//
//   churn_check --cli PATH --url URL [--seconds N] [--rate OPS] [--keys K] [--prefix P]
//
// Figures (operations, rate, keys compared, differences) on stdout, one line each.
//
// Thread contract: a plain program; one thread drives the churn, the watch is a child process.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "redis/connection.h"
#include "redis/url.h"
#include "util/subprocess.h"

using namespace lockscope;
using namespace std::chrono_literals;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string cli;
    std::string url;
    double seconds = 10;
    int rate = 3000;  // operations (Redis commands) per second
    int keys = 200;   // of each kind
    std::string prefix = "churn:";
};

// What a listing or a watch says about one key: a lock's holder or a counter's value.
using View = std::map<std::string, std::string>;

std::string describe(const Json& j) {
    if (j.contains("holder")) return "lock " + (j["holder"].is_null() ? "-" : j["holder"].dump());
    if (j.contains("value")) return "counter " + j["value"].dump();
    return j.dump();
}

// The last line per key, as a reader of `watch --json` keeps it: a removed key is gone, a free
// lock is not held.
View watchedView(const std::string& file) {
    View v;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '{') continue;
        auto j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.contains("key")) continue;
        const std::string key = j["key"];
        if (j.value("removed", false) || (j.contains("state") && j["state"] == "free"))
            v.erase(key);
        else
            v[key] = describe(j);
    }
    return v;
}

std::string runToFile(const std::vector<std::string>& argv, const std::string& file) {
    SpawnOptions so;
    so.out = Stdio::File;
    so.err = Stdio::Null;
    so.outputFile = file;
    auto p = Subprocess::spawn(argv, so);
    p.wait(std::chrono::milliseconds(60000));
    std::ifstream in(file);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

View listed(const Options& o, const std::filesystem::path& dir) {
    View v;
    for (const char* what : {"locks", "counters"}) {
        const auto text =
            runToFile({o.cli, "--url", o.url, what, "--match", o.prefix + "*", "--json"},
                      (dir / (std::string(what) + ".json")).string());
        auto a = Json::parse(text, nullptr, false);
        if (!a.is_array()) throw std::runtime_error(std::string(what) + " --json: " + text);
        for (const auto& j : a)
            if (!(j.contains("state") && j["state"] == "free")) v[j["key"]] = describe(j);
    }
    return v;
}

int usage(const char* why) {
    std::cerr << "churn_check: " << why
              << "\nusage: churn_check --cli PATH --url URL [--seconds N] [--rate OPS] [--keys K] "
                 "[--prefix P]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage(("missing value for " + a).c_str());
        const std::string v = argv[++i];
        if (a == "--cli")
            o.cli = v;
        else if (a == "--url")
            o.url = v;
        else if (a == "--seconds")
            o.seconds = std::stod(v);
        else if (a == "--rate")
            o.rate = std::stoi(v);
        else if (a == "--keys")
            o.keys = std::stoi(v);
        else if (a == "--prefix")
            o.prefix = v;
        else
            return usage(("unknown option " + a).c_str());
    }
    if (o.cli.empty() || o.url.empty()) return usage("--cli and --url are required");

    const auto dir =
        std::filesystem::temp_directory_path() / ("churn_check." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string watchFile = (dir / "watch.jsonl").string();

    redis::Connection c(redis::parseUrl(o.url).endpoint());
    const auto old = c.command({"KEYS", o.prefix + "*"});
    for (size_t i = 0; i < old.size(); ++i) c.command({"DEL", old[i].str()});

    SpawnOptions so;
    so.out = Stdio::File;
    so.err = Stdio::Null;
    so.outputFile = watchFile;
    auto watch = Subprocess::spawn(
        {o.cli, "--url", o.url, "watch", "--json", "--match", o.prefix + "*"}, so);
    std::this_thread::sleep_for(1500ms);  // subscribed and scanned

    std::mt19937 rng(42);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    long long ops = 0, recreated = 0;
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
    // Re-creations in flight: a key deleted now and written again a little later (within one
    // publish window or a few).
    struct Pending {
        Clock::time_point at;
        std::vector<std::string> cmd;
    };
    std::vector<Pending> pending;
    long long token = 0;
    // A batch is about 20 commands: 10 changes, each two commands (or one now and one later).
    const auto step = std::chrono::duration_cast<Clock::duration>(1s) / std::max(1, o.rate / 20);
    auto next = start;
    while (Clock::now() < end) {
        auto p = c.pipeline();
        int queued = 0;
        const auto now = Clock::now();
        for (auto it = pending.begin(); it != pending.end();) {
            if (it->at > now) {
                ++it;
                continue;
            }
            std::vector<redis::Arg> cmd(it->cmd.begin(), it->cmd.end());
            p.add(cmd);
            ++queued;
            ++recreated;
            it = pending.erase(it);
        }
        for (int i = 0; i < 10; ++i) {
            const int kind = pick(3);
            const std::string n = std::to_string(pick(o.keys));
            const auto later = now + std::chrono::milliseconds(pick(200));
            if (kind == 0) {  // a lock overwritten and retaken
                const std::string key = o.prefix + "lock:" + n;
                p.add({"DEL", key});
                pending.push_back(
                    {later,
                     {"SET", key, "lockscope:set-nx-px:churn:1:0123abcd:" + std::to_string(++token),
                      "PX", "600000"}});
            } else if (kind == 1) {  // a counter reset
                const std::string key = o.prefix + "count:" + n;
                p.add({"DEL", key});
                pending.push_back({later, {"INCRBY", key, std::to_string(1 + pick(1000))}});
            } else {  // a fixed-window rate-limit counter
                const std::string key = o.prefix + "rate:" + n;
                p.add({"INCR", key});
                p.add({"EXPIRE", key, "1", "NX"});
                ++queued;
            }
            ++queued;
        }
        p.exec();
        ops += queued;
        next += step;
        std::this_thread::sleep_until(next);
    }
    for (auto& pend : pending) {
        std::vector<redis::Arg> cmd(pend.cmd.begin(), pend.cmd.end());
        c.command(cmd);
        ++ops;
        ++recreated;
    }
    const double took = std::chrono::duration<double>(Clock::now() - start).count();
    // The rate-limit windows (1 s) run out and the watch hears of it; the last publish goes out.
    std::this_thread::sleep_for(3000ms);

    const View truth = listed(o, dir);
    std::this_thread::sleep_for(500ms);
    const View seen = watchedView(watchFile);
    watch.signal(SIGTERM);
    watch.wait(std::chrono::milliseconds(10000));

    int differences = 0;
    for (const auto& [k, v] : truth) {
        auto it = seen.find(k);
        if (it == seen.end() || it->second != v) {
            if (++differences <= 20)
                std::cerr << "differs: " << k << ": listed " << v << ", watched "
                          << (it == seen.end() ? "(missing)" : it->second) << "\n";
        }
    }
    for (const auto& [k, v] : seen)
        if (!truth.count(k) && ++differences <= 20)
            std::cerr << "differs: " << k << ": not listed, watched " << v << "\n";
    std::printf("operations: %lld in %.1f s (%.0f/s)\n", ops, took,
                static_cast<double>(ops) / took);
    std::printf("re-creations: %lld\n", recreated);
    std::printf("keys listed: %zu, watched: %zu, differences: %d\n", truth.size(), seen.size(),
                differences);
    std::filesystem::remove_all(dir);
    return differences == 0 ? 0 : 1;
}

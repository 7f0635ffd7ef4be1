// libFuzzer target: lockscope-cli's argument parsing up to the connection it would open — the
// command word, the options of a command, whole numbers, and --url / --nodes into a target
// (monitor::connectionSpec), without connecting anywhere.
// Invariants: a mistake is a UsageError or a redis::Error(InvalidArgument), nothing else; a
// password given in --url or LOCKSCOPE_PASSWORD appears in no message and no description.
#include <cstdint>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/session.h"
#include "fuzz/fuzz_support.h"
#include "monitor/target.h"
#include "redis/error.h"

using namespace lockscope;
using lockscope::fuzz::require;

namespace {

constexpr std::string_view kSecret = "Zq7-s3cret-Vx";

// The options lockscope-cli's commands take, besides the global ones (docs/cli-contract.md).
const std::vector<cli::OptionSpec>& commandOptions() {
    static const auto spec = cli::withGlobal({
        {"json", false},
        {"match", true},
        {"window", true},
        {"strategy", true},
        {"ttl", true},
        {"hold", true},
        {"token", true},
        {"holder", true},
        {"yes", false},
        {"workers", true},
        {"duration", true},
        {"fault", true},
        {"skew", true},
        {"interval", true},
        {"count", true},
        {"wait-replicas", true},
    });
    return spec;
}

bool secretIn(std::string_view text) { return text.find(kSecret) != std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const bool envSecret = in.byte() & 1;
    std::vector<std::string> args = in.fields();
    bool secretInArgs = false;
    for (const auto& a : args) secretInArgs = secretInArgs || secretIn(a);
    // Only an input that does not spell the secret itself can be judged for leaking it.
    const bool judge = !secretInArgs;
    // As operators write it: the password inside --url.
    for (auto& a : args)
        if (auto sep = a.find("://"); sep != std::string::npos && a.size() < 512)
            a.insert(sep + 3, ":" + std::string(kSecret) + "@");
    try {
        auto split = cli::splitCommand(args, cli::globalOptions());
        const std::string word = split ? split->word : "";
        const auto parsed = cli::parseOptions(split ? split->rest : args, commandOptions(), word);
        for (const char* name : {"timeout", "ttl", "hold", "workers", "duration", "count"})
            (void)parsed.integer(name, 1, 1);
        (void)parsed.integer("skew", 0, -1'000'000'000);
        monitor::ConnectionArgs connection;
        connection.url = parsed.value("url");
        connection.nodes = parsed.value("nodes");
        if (envSecret) connection.envPassword = std::string(kSecret);
        const auto spec = monitor::connectionSpec(connection);
        if (judge) require(!secretIn(spec.description), "description shows the password");
    } catch (const cli::UsageError& e) {
        if (judge) require(!secretIn(e.what()), "usage error shows the password", e.what());
    } catch (const redis::Error& e) {
        require(e.kind() == redis::ErrorKind::InvalidArgument, "not an InvalidArgument", e.what());
        if (judge) require(!secretIn(e.what()), "error shows the password", e.what());
    }
    return 0;
}

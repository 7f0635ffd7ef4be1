// Command-line parsing for lockscope-cli: "--name value", "--name=value", flags and positionals,
// checked against what each command accepts; "--" ends the options (what follows is positional,
// so a key may start with '-'). Mistakes throw UsageError (exit code 2) with a
// message that says what to type instead.
//
// Thread contract: value types.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace lockscope::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OptionSpec {
    std::string name;  // without "--"
    bool takesValue;
};

struct Parsed {
    std::map<std::string, std::string> values;            // the last value of each option
    std::map<std::string, std::vector<std::string>> all;  // every value, in order (repeatable)
    std::set<std::string> flags;
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return values.count(name) || flags.count(name); }
    std::optional<std::string> value(const std::string& name) const;
    // Every value of a repeatable option, in the order given.
    std::vector<std::string> valuesOf(const std::string& name) const;
    std::string require(const std::string& name, const std::string& command) const;
    // A non-negative integer option (milliseconds, counts); `fallback` when absent.
    long long integer(const std::string& name, long long fallback, long long min = 0) const;
    // A span option: a whole number with a unit suffix (`500ms`, `3s`, `2min`), or a bare number
    // in `bareUnitMs` (1000: seconds, 1: milliseconds — each option's historical unit). In ms;
    // `fallbackMs` when absent; below `minMs` or above one hour: a usage error saying why.
    long long span(const std::string& name, long long fallbackMs, long long bareUnitMs,
                   long long minMs = 0) const;
    // A duration option whose bare number is milliseconds (TTLs, waits, timeouts): a unit may be
    // given as for span() (`30s`, `2min`, `1h`), no upper bound; below `minMs` (a negative one too)
    // refused.
    long long millis(const std::string& name, long long fallbackMs, long long minMs = 0) const;
};

// Finds the first word that is not an option (skipping options of `leading`, with their values)
// and returns it with the remaining arguments; nullopt when there is none before "--".
struct CommandWord {
    std::string word;
    std::vector<std::string> rest;
};
std::optional<CommandWord> splitCommand(const std::vector<std::string>& args,
                                        const std::vector<OptionSpec>& leading);

Parsed parseOptions(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec,
                    const std::string& command);

}  // namespace lockscope::cli

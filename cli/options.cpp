#include "cli/options.h"

#include <charconv>
#include <limits>
#include <string_view>

#include "redis/url.h"

namespace lockscope::cli {
namespace {

// An argument as a message repeats it: a mistyped --url must not print its password.
std::string shown(const std::string& arg) { return redis::withoutPassword(arg); }

}  // namespace

std::optional<std::string> Parsed::value(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Parsed::valuesOf(const std::string& name) const {
    auto it = all.find(name);
    return it == all.end() ? std::vector<std::string>{} : it->second;
}

std::string Parsed::require(const std::string& name, const std::string& command) const {
    auto v = value(name);
    if (!v) throw UsageError("'" + command + "' needs --" + name + " (see lockscope-cli --help)");
    return *v;
}

long long Parsed::integer(const std::string& name, long long fallback, long long min) const {
    auto v = value(name);
    if (!v) return fallback;
    long long out = 0;
    auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (v->empty() || ec != std::errc() || ptr != v->data() + v->size())
        throw UsageError("--" + name + " takes a whole number, not '" + shown(*v) + "'");
    if (out < min)
        throw UsageError("--" + name + " must be at least " + std::to_string(min) + ", not " +
                         shown(*v));
    return out;
}

namespace {

// A duration's unit suffix in ms; 0 for one not accepted.
long long unitFactor(std::string_view unit) {
    return unit == "ms"    ? 1
           : unit == "s"   ? 1000
           : unit == "min" ? 60'000
           : unit == "h"   ? 3'600'000
                           : 0;
}

// What a duration option takes, said whenever its value cannot be read (adv11e: `--observe 2h`
// said "500ms, 3s, 2min" without naming the units or that `h` was not one of them).
std::string durationHelp(const std::string& name, const std::string& bare, std::string_view unit,
                         const std::string& value) {
    std::string s = "--" + name +
                    " takes a whole number with a unit — ms, s, min or h (500ms, 3s, 2min, 1h) — "
                    "or a bare number of " +
                    bare + ", not '" + value + "'";
    if (unit == "m")
        s += ": 'm' could be minutes or milliseconds — write min or ms";
    else if (unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds")
        s += ": write s";
    else if (unit == "hour" || unit == "hours" || unit == "hr")
        s += ": write h";
    else if (unit == "us" || unit == "µs")
        s += ": the smallest unit is ms";
    return s;
}

struct Duration {
    long long n = 0;
    long long factor = 0;  // of the unit, or the bare unit's
    std::string_view unit;
};

// `text` as [-]digits[unit]; throws with durationHelp() when it is not one.
Duration readDuration(const std::string& name, const std::string& value, long long bareUnitMs) {
    std::string_view text = value;
    // A minus is read, so a negative value is refused by the option's minimum (`--ttl=-5`: "must
    // be at least 1 ms"), not as a malformed number.
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const std::string_view number = text.substr(0, digits);
    Duration d;
    d.unit = text.substr(digits);
    const std::string bare = bareUnitMs == 1000 ? "seconds" : "milliseconds";
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), d.n);
    d.factor = d.unit.empty() ? bareUnitMs : unitFactor(d.unit);
    if (number.empty() || ec != std::errc() || ptr != number.data() + number.size() || !d.factor)
        throw UsageError(durationHelp(name, bare, d.unit, shown(value)));
    if (d.n > std::numeric_limits<long long>::max() / d.factor)
        throw UsageError("--" + name + " " + shown(value) + " is too long");
    if (negative) d.n = -d.n;
    return d;
}

}  // namespace

long long Parsed::span(const std::string& name, long long fallbackMs, long long bareUnitMs,
                       long long minMs) const {
    auto v = value(name);
    if (!v) return fallbackMs;
    const Duration d = readDuration(name, *v, bareUnitMs);
    const long long n = d.n;
    const std::string bare = bareUnitMs == 1000 ? "seconds" : "milliseconds";
    constexpr long long kHourMs = 3'600'000;
    if (n > kHourMs / d.factor)
        throw UsageError("--" + name + " " + shown(*v) + " is more than an hour" +
                         (d.unit.empty() ? " (a bare number is " + bare + " here)" : "") +
                         ": at most 1 h; write the unit (3s, 500ms)");
    // A bare number of seconds above 10 minutes reads as milliseconds meant (`--observe 3000`
    // ran 50 minutes): its unit is asked for.
    if (d.unit.empty() && bareUnitMs == 1000 && n > 600)
        throw UsageError("--" + name + " " + shown(*v) + " would be " + std::to_string(n / 60) +
                         " min (a bare number is seconds here): write the unit — " +
                         std::to_string(n) + "ms, or " + std::to_string(n) + "s if you mean it");
    const long long ms = n * d.factor;
    if (ms < minMs)
        throw UsageError("--" + name + " must be at least " + std::to_string(minMs) + " ms, not " +
                         shown(*v));
    return ms;
}

long long Parsed::millis(const std::string& name, long long fallbackMs, long long minMs) const {
    auto v = value(name);
    if (!v) return fallbackMs;
    const Duration d = readDuration(name, *v, 1);
    const long long ms = d.n * d.factor;
    if (ms < minMs)
        throw UsageError("--" + name + " must be at least " + std::to_string(minMs) + " ms, not " +
                         shown(*v));
    return ms;
}

std::optional<CommandWord> splitCommand(const std::vector<std::string>& args,
                                        const std::vector<OptionSpec>& leading) {
    size_t i = 0;
    // "--" ends the options: what follows are arguments, never the command word.
    while (i < args.size() && args[i].rfind("--", 0) == 0 && args[i] != "--") {
        bool takesValue = false;
        for (const auto& o : leading)
            if (args[i] == "--" + o.name) takesValue = o.takesValue;
        i += takesValue ? 2 : 1;
    }
    if (i >= args.size() || args[i] == "--") return std::nullopt;
    CommandWord cw;
    cw.word = args[i];
    cw.rest.assign(args.begin(), args.begin() + static_cast<long>(i));
    cw.rest.insert(cw.rest.end(), args.begin() + static_cast<long>(i) + 1, args.end());
    return cw;
}

Parsed parseOptions(const std::vector<std::string>& args, const std::vector<OptionSpec>& spec,
                    const std::string& command) {
    Parsed parsed;
    auto find = [&](const std::string& name) -> const OptionSpec* {
        for (const auto& o : spec)
            if (o.name == name) return &o;
        return nullptr;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            // Everything after "--" is an argument, even "-x" or "--name": a key may start so.
            parsed.positional.insert(parsed.positional.end(),
                                     args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
            if (a.size() > 1 && a[0] == '-' && a != "-")
                throw UsageError("unknown option '" + shown(a) + "' for '" + shown(command) +
                                 "' (options are spelled --name; see lockscope-cli --help)");
            parsed.positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* o = find(name);
        if (!o)
            throw UsageError("unknown option '--" + shown(name) + "' for '" + shown(command) +
                             "' (see lockscope-cli --help)");
        if (!o->takesValue) {
            if (inlineValue) throw UsageError("--" + name + " takes no value");
            parsed.flags.insert(name);
            continue;
        }
        if (inlineValue) {
            parsed.values[name] = *inlineValue;
        } else {
            if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
            parsed.values[name] = args[++i];
        }
        parsed.all[name].push_back(parsed.values[name]);
    }
    return parsed;
}

}  // namespace lockscope::cli

#include "cli/options.h"

#include <charconv>

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

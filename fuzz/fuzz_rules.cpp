// libFuzzer target: the user's rules (monitor/rules.h, issue 11.5; issue 17 asks every parser to
// have one). The input is a rules file's text, then a key after a '\0'.
// Invariants: parsing any text never crashes and keeps every line it could read; the text
// formatRules() writes parses back to the same rules without errors; globs match in bounded time
// (a pathological pattern of stars must not explode); a glob without special characters matches
// itself; a key a `lock` rule matches classifies as a lock unless a `not-lock` rule (which wins)
// or its being a companion key keeps it out.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "monitor/classifier.h"
#include "monitor/rules.h"

using namespace lockscope;
using lockscope::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::Input in(data, size);
    const std::string text = in.field();
    const std::string key = in.field();
    const auto parsed = monitor::parseRules(text);
    const auto again = monitor::parseRules(monitor::formatRules(parsed.rules));
    require(again.errors.empty(), "formatRules() wrote a line parseRules() refuses", text);
    require(again.rules == parsed.rules, "rules changed through formatRules() and back", text);

    for (const auto& group : {parsed.rules.lockPatterns, parsed.rules.notLockPatterns})
        for (const auto& glob : group) {
            (void)monitor::globMatch(glob, key);
            if (glob.find_first_of("*?[\\") == std::string::npos)
                require(monitor::globMatch(glob, glob), "a plain glob does not match itself", glob);
        }
    require(monitor::globMatch("*", key), "'*' does not match a key", key);

    monitor::Observation obs;
    obs.key = key;
    obs.type = "string";
    obs.value = text.substr(0, 64);
    obs.length = static_cast<long long>(obs.value.size());
    obs.pttlMs = -1;
    monitor::ClassifyContext ctx;
    ctx.rules = &parsed.rules;
    const auto r = monitor::classify(obs, ctx);
    if (parsed.rules.notLockRuleFor(key) && !monitor::isCompanionKey(key))
        require(!r.isLock(), "a not-lock rule did not keep the key out", key);
    else if (parsed.rules.lockRuleFor(key) && !monitor::isCompanionKey(key))
        require(r.isLock(), "a lock rule did not make the key a lock", key);
    (void)monitor::why(r);
    (void)monitor::whyNot(obs, r, &parsed.rules);
    return 0;
}

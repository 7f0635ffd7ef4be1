// The user's own rules: keys that are locks whatever their value (`lock GLOB`, the CLI's
// --lock-pattern) and keys that never are (`not-lock GLOB`, --not-lock). Globs use Redis's MATCH
// syntax (* ? [a-z] [^a] \x). A not-lock rule wins over a lock rule.
//
// The rules file (docs/rules.md): one rule a line, `lock GLOB` or `not-lock GLOB`, `#` comments
// (a whole line, or after a blank at the end of a rule);
// read by both programs from $XDG_CONFIG_HOME/lockscope/rules (~/.config/lockscope/rules).
//
// Thread contract: LockRules is a value type; the file functions do blocking file I/O on the
// caller's thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockscope::monitor {

// Redis's glob match (stringmatchlen): * ? [set] [^set] [a-z] and \ escapes; byte-wise.
bool globMatch(std::string_view pattern, std::string_view text);

// Why `glob` cannot be a rule (empty, an unclosed '[', a trailing lone '\\'), or nullopt.
std::optional<std::string> globProblem(std::string_view glob);

struct LockRules {
    std::vector<std::string> lockPatterns;
    std::vector<std::string> notLockPatterns;
    // Where each pattern came from, index for index ("rules file PATH line 3", "--lock-pattern");
    // shorter than the patterns when the source is not known.
    std::vector<std::string> lockOrigins;
    std::vector<std::string> notLockOrigins;

    bool empty() const { return lockPatterns.empty() && notLockPatterns.empty(); }
    // The pattern that decides `key`, or null.
    const std::string* lockRuleFor(std::string_view key) const;
    const std::string* notLockRuleFor(std::string_view key) const;
    // "the rule 'lock jobs:*' (rules file PATH line 3)" for a pattern these functions returned.
    std::string describe(const std::string* pattern) const;
    // The same rules, wherever they came from.
    bool operator==(const LockRules& o) const {
        return lockPatterns == o.lockPatterns && notLockPatterns == o.notLockPatterns;
    }
};

struct RulesParse {
    LockRules rules;
    std::vector<std::string> errors;  // "line 3: ...", one per refused line
};
// Never throws; a line it cannot read is an error, the others still count. A UTF-8 BOM is
// skipped; ' #' (a blank, then '#') starts a trailing comment. `origin` names the source in the
// rules' origins ("rules file PATH").
RulesParse parseRules(std::string_view text, const std::string& origin = {});
// The file text for `rules` (parseRules(formatRules(r)).rules == r).
std::string formatRules(const LockRules& rules);

// $XDG_CONFIG_HOME/lockscope/rules, or $HOME/.config/lockscope/rules; empty when neither is set.
std::string rulesFilePath();
// The rules of `path`; a missing file is no rules and no error; a bad line, or a path that is not
// a readable file (a directory), refuses all (no rules).
RulesParse loadRulesFile(const std::string& path);
// Writes atomically (a temp file renamed over it), creating the directory; false + `error`.
bool saveRulesFile(const std::string& path, const LockRules& rules, std::string* error);

}  // namespace lockscope::monitor

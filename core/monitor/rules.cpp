#include "monitor/rules.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <utility>

namespace lockscope::monitor {
namespace {

// One pattern element (not '*') at p[pi] against byte c: whether it matches, and its length.
bool matchOne(std::string_view p, size_t pi, char c, size_t& length) {
    const size_t start = pi;
    if (p[pi] == '?') {
        length = 1;
        return true;
    }
    if (p[pi] == '[') {
        ++pi;
        const bool negate = pi < p.size() && p[pi] == '^';
        if (negate) ++pi;
        bool match = false;
        while (pi < p.size() && p[pi] != ']') {
            if (p[pi] == '\\' && pi + 1 < p.size()) {
                if (p[pi + 1] == c) match = true;
                pi += 2;
            } else if (pi + 2 < p.size() && p[pi + 1] == '-' && p[pi + 2] != ']') {
                char lo = p[pi], hi = p[pi + 2];
                if (lo > hi) std::swap(lo, hi);
                if (c >= lo && c <= hi) match = true;
                pi += 3;
            } else {
                if (p[pi] == c) match = true;
                ++pi;
            }
        }
        if (pi < p.size()) ++pi;  // the ']' (an unclosed set runs to the end, as in Redis)
        length = pi - start;
        return match != negate;
    }
    if (p[pi] == '\\' && pi + 1 < p.size()) {
        length = 2;
        return p[pi + 1] == c;
    }
    length = 1;
    return p[pi] == c;
}

const std::string* firstMatch(const std::vector<std::string>& patterns, std::string_view key) {
    for (const auto& p : patterns)
        if (globMatch(p, key)) return &p;
    return nullptr;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Where ' #' (a blank, then '#') starts a comment in a rule line, or npos. A '#' after an escaping
// '\\' is the pattern's.
size_t commentStart(std::string_view line) {
    for (size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\') {
            ++i;
            continue;
        }
        if (line[i] == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
    }
    return std::string_view::npos;
}

}  // namespace

std::optional<std::string> globProblem(std::string_view glob) {
    if (glob.empty()) return "an empty pattern matches no key";
    // A line's end may carry a '\r' (a file saved on Windows) that trimming drops: a pattern
    // holding one would not survive being written back (fuzz_rules). '?' matches it.
    if (glob.find('\r') != std::string_view::npos)
        return "'" + std::string(glob) + "' holds a carriage return: match it with '?'";
    // Quotes are no syntax here: "jobs:*" would match only keys that begin and end with one.
    if (glob.size() >= 2 && (glob.front() == '"' || glob.front() == '\'') &&
        glob.back() == glob.front())
        return "'" + std::string(glob) +
               "' is in quotes, which would be part of the key (write it without them; '\\" +
               std::string(1, glob.front()) + "' matches a quote)";
    for (size_t i = 0; i < glob.size(); ++i) {
        if (glob[i] == '\\') {
            if (i + 1 == glob.size())
                return "'" + std::string(glob) +
                       "' ends in a lone '\\' (escape nothing; write '\\\\' for a backslash)";
            ++i;
        } else if (glob[i] == '[') {
            size_t j = i + 1;
            if (j < glob.size() && glob[j] == '^') ++j;
            for (; j < glob.size() && glob[j] != ']'; ++j)
                if (glob[j] == '\\') ++j;
            if (j >= glob.size())
                return "'" + std::string(glob) +
                       "' has an unclosed '[' (write '\\[' to match a '[')";
            if (j == i + 1)  // `[]`: a set of no characters, matched by no key
                return "'" + std::string(glob) +
                       "' has an empty '[]', which no character matches (write '\\[\\]' to "
                       "match the brackets)";
            i = j;
        }
    }
    return std::nullopt;
}

// Greedy with backtracking to the last '*': O(pattern × text), whatever the pattern (a recursive
// matcher is exponential in the number of stars).
bool globMatch(std::string_view p, std::string_view s) {
    size_t pi = 0, si = 0;
    size_t starP = std::string_view::npos, starS = 0;
    while (si < s.size()) {
        size_t length = 0;
        if (pi < p.size() && p[pi] == '*') {
            starP = ++pi;
            starS = si;
        } else if (pi < p.size() && matchOne(p, pi, s[si], length)) {
            pi += length;
            ++si;
        } else if (starP != std::string_view::npos) {
            pi = starP;
            si = ++starS;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

const std::string* LockRules::lockRuleFor(std::string_view key) const {
    return firstMatch(lockPatterns, key);
}

const std::string* LockRules::notLockRuleFor(std::string_view key) const {
    return firstMatch(notLockPatterns, key);
}

std::string LockRules::describe(const std::string* pattern) const {
    if (!pattern) return {};
    auto in = [&](const std::vector<std::string>& patterns, const std::vector<std::string>& origins,
                  std::string_view verb) -> std::string {
        const std::less<const std::string*> before;  // a total order, also across vectors
        if (patterns.empty() || before(pattern, patterns.data()) ||
            !before(pattern, patterns.data() + patterns.size()))
            return {};
        const auto at = static_cast<size_t>(pattern - patterns.data());
        std::string s = "the rule '" + std::string(verb) + " " + *pattern + "'";
        if (at < origins.size() && !origins[at].empty()) s += " (" + origins[at] + ")";
        return s;
    };
    if (auto s = in(lockPatterns, lockOrigins, "lock"); !s.empty()) return s;
    if (auto s = in(notLockPatterns, notLockOrigins, "not-lock"); !s.empty()) return s;
    return "the rule '" + *pattern + "'";
}

RulesParse parseRules(std::string_view text, const std::string& origin) {
    RulesParse out;
    // Editors on Windows start UTF-8 files with a BOM: it is no part of the first rule.
    if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
    size_t lineNo = 0;
    while (!text.empty()) {
        const size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++lineNo;
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        line = trim(line.substr(0, commentStart(line)));
        const size_t space = line.find_first_of(" \t");
        const std::string_view verb = line.substr(0, space);
        const std::string_view glob =
            space == std::string_view::npos ? std::string_view() : trim(line.substr(space));
        auto error = [&](const std::string& what) {
            out.errors.push_back("line " + std::to_string(lineNo) + ": " + what);
        };
        if (verb != "lock" && verb != "not-lock") {
            error("expected 'lock GLOB' or 'not-lock GLOB'");
            continue;
        }
        if (glob.empty()) {
            error("'" + std::string(verb) + "' needs a glob");
            continue;
        }
        // Several globs on one line, separated by blanks (`lock jobs:nightly jobs:hourly`): a
        // rule each. A blank inside a glob is written `\ `, `?` or `[ ]`.
        std::vector<std::string_view> globs;
        {
            size_t start = 0;
            bool inSet = false;
            for (size_t i = 0; i < glob.size(); ++i) {
                const char c = glob[i];
                if (c == '\\') {
                    ++i;  // the next byte is the glob's
                } else if (c == '[') {
                    inSet = true;
                } else if (c == ']') {
                    inSet = false;
                } else if (!inSet && (c == ' ' || c == '\t')) {
                    if (i > start) globs.push_back(glob.substr(start, i - start));
                    start = i + 1;
                }
            }
            if (start < glob.size()) globs.push_back(glob.substr(start));
        }
        bool bad = false;
        for (const auto g : globs) {
            if (g.size() > 1024) {
                error("glob longer than 1024 bytes");
                bad = true;
            } else if (auto problem = globProblem(g)) {
                error(*problem);
                bad = true;
            }
        }
        if (bad) continue;
        const bool lock = verb == "lock";
        for (const auto g : globs) {
            (lock ? out.rules.lockPatterns : out.rules.notLockPatterns).emplace_back(g);
            auto& origins = lock ? out.rules.lockOrigins : out.rules.notLockOrigins;
            origins.resize((lock ? out.rules.lockPatterns : out.rules.notLockPatterns).size() - 1);
            origins.push_back((origin.empty() ? "" : origin + " ") + "line " +
                              std::to_string(lineNo));
        }
    }
    return out;
}

std::string formatRules(const LockRules& rules) {
    std::string s =
        "# LockScope rules (docs/rules.md): 'lock GLOB' makes matching keys locks whatever\n"
        "# their value, 'not-lock GLOB' keeps them out; not-lock wins.\n";
    // A '#' after a blank would start a comment: escaped, it stays the pattern's.
    auto escaped = [](const std::string& p) {
        std::string e;
        bool inSet = false;  // as parseRules() reads it: a blank inside [ ] ends no glob
        for (size_t i = 0; i < p.size(); ++i) {
            if (p[i] == '\\' && i + 1 < p.size()) {  // escaped already: as it is
                e += p[i];
                e += p[++i];
                continue;
            }
            if (p[i] == '[') inSet = true;
            if (p[i] == ']') inSet = false;
            if (p[i] == '#' && i > 0 && (p[i - 1] == ' ' || p[i - 1] == '\t')) e += '\\';
            // A blank would end the glob (several globs on a line): escaped, it is the key's —
            // but not inside a set, where the escape would become one of the set's characters
            // (fuzz_rules: `lock job[ [^x]y?` came back as `job[\ [^x]y?`).
            if (!inSet && (p[i] == ' ' || p[i] == '\t')) e += '\\';
            e += p[i];
        }
        return e;
    };
    for (const auto& p : rules.lockPatterns) s += "lock " + escaped(p) + "\n";
    for (const auto& p : rules.notLockPatterns) s += "not-lock " + escaped(p) + "\n";
    return s;
}

std::string rulesFilePath() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::string(xdg) + "/lockscope/rules";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.config/lockscope/rules";
    return {};
}

RulesParse loadRulesFile(const std::string& path) {
    RulesParse out;
    if (path.empty()) return out;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        // An ifstream opens a directory and reads nothing: that is no "no rules".
        out.errors.push_back(path + ": is a directory, not a rules file");
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno != ENOENT) out.errors.push_back(path + ": " + std::strerror(errno));
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        out.errors.push_back(path + ": " + std::strerror(errno));
        return out;
    }
    out = parseRules(text.str(), "rules file " + path);
    for (auto& e : out.errors) e = path + ": " + e;
    // A file with a line that cannot be read is refused whole: half of it would list or hide
    // keys the user did not mean to.
    if (!out.errors.empty()) out.rules = {};
    return out;
}

bool saveRulesFile(const std::string& path, const LockRules& rules, std::string* error) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target(path);
    if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
    if (ec) {
        if (error) *error = target.parent_path().string() + ": " + ec.message();
        return false;
    }
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << formatRules(rules);
        if (!out.flush()) {
            if (error) *error = tmp + ": " + std::strerror(errno);
            return false;
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        if (error) *error = path + ": " + ec.message();
        return false;
    }
    return true;
}

}  // namespace lockscope::monitor

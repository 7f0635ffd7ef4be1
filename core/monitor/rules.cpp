#include "monitor/rules.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
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

}  // namespace

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

RulesParse parseRules(std::string_view text) {
    RulesParse out;
    size_t lineNo = 0;
    while (!text.empty()) {
        const size_t eol = text.find('\n');
        std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        ++lineNo;
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
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
        if (glob.size() > 1024) {
            error("glob longer than 1024 bytes");
            continue;
        }
        (verb == "lock" ? out.rules.lockPatterns : out.rules.notLockPatterns).emplace_back(glob);
    }
    return out;
}

std::string formatRules(const LockRules& rules) {
    std::string s =
        "# LockScope rules (docs/rules.md): 'lock GLOB' makes matching keys locks whatever\n"
        "# their value, 'not-lock GLOB' keeps them out; not-lock wins.\n";
    for (const auto& p : rules.lockPatterns) s += "lock " + p + "\n";
    for (const auto& p : rules.notLockPatterns) s += "not-lock " + p + "\n";
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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno != ENOENT) out.errors.push_back(path + ": " + std::strerror(errno));
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    out = parseRules(text.str());
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

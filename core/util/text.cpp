#include "util/text.h"

#include <algorithm>
#include <utility>

namespace lockscope {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
size_t utf8Length(std::string_view s, size_t i) {
    auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((b(i + k) >> 6) != 0x2) return 0;
    if (n == 2 && c < 0xc2) return 0;  // overlong
    if (n == 3) {
        unsigned cp = (c & 0x0f) << 12 | (b(i + 1) & 0x3f) << 6 | (b(i + 2) & 0x3f);
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return 0;  // overlong / surrogate
    }
    if (n == 4) {
        unsigned cp =
            (c & 0x07) << 18 | (b(i + 1) & 0x3f) << 12 | (b(i + 2) & 0x3f) << 6 | (b(i + 3) & 0x3f);
        if (cp < 0x10000 || cp > 0x10ffff) return 0;
    }
    return n;
}

// The code point of the valid `n`-byte UTF-8 sequence at s[i].
char32_t decode(std::string_view s, size_t i, size_t n) {
    auto b = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
    switch (n) {
        case 1:
            return b(0);
        case 2:
            return (b(0) & 0x1f) << 6 | (b(1) & 0x3f);
        case 3:
            return (b(0) & 0x0f) << 12 | (b(1) & 0x3f) << 6 | (b(2) & 0x3f);
        default:
            return (b(0) & 0x07) << 18 | (b(1) & 0x3f) << 12 | (b(2) & 0x3f) << 6 | (b(3) & 0x3f);
    }
}

// Characters that make one text look like another: controls terminals act on, characters that
// reorder or break the line, and ones that show as nothing or as a plain space. A holder written
// with them could pass for someone else's.
bool misleads(char32_t cp) {
    auto in = [&](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    return in(0x80, 0x9f) ||                      // C1 controls
           cp == 0xad ||                          // soft hyphen (invisible)
           cp == 0x34f || cp == 0x61c ||          // combining grapheme joiner, Arabic letter mark
           in(0x115f, 0x1160) || cp == 0x1680 ||  // Hangul fillers, Ogham space
           in(0x17b4, 0x17b5) ||                  // Khmer inherent vowels (invisible)
           in(0x180b, 0x180f) ||                  // Mongolian selectors and vowel separator
           in(0x2000, 0x200f) ||                  // spaces, zero-width, LRM / RLM
           in(0x2028, 0x202f) ||                  // line / paragraph separators, bidi embeddings
                                                  // and overrides (U+202E), narrow no-break space
           in(0x205f, 0x206f) ||                  // word joiner, invisible operators, isolates
           cp == 0x3164 ||                        // Hangul filler
           in(0xfe00, 0xfe0f) || cp == 0xfeff ||  // variation selectors, BOM
           cp == 0xffa0 || in(0xfff9, 0xfffb) ||  // halfwidth filler, annotation characters
           in(0xfffe, 0xffff) ||                  // noncharacters
           in(0x1d173, 0x1d17a) ||                // musical format characters
           in(0xe0000, 0xe007f) ||                // tag characters
           in(0xe0100, 0xe01ef);                  // variation selectors supplement
}

// A character that starts an emoji (Extended_Pictographic, roughly, and the regional indicators):
// only after one do ZWJ, variation selectors and tags belong to a picture rather than hide in text.
bool emojiBase(char32_t cp) {
    auto in = [&](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    return in(0x1f000, 0x1faff) || in(0x2600, 0x27bf) || in(0x2300, 0x23ff) || in(0x2b00, 0x2bff) ||
           in(0x2190, 0x21ff) || in(0x25a0, 0x25ff) || cp == 0xa9 || cp == 0xae || cp == 0x203c ||
           cp == 0x2049 || cp == 0x2122 || cp == 0x2139 || cp == 0x3030 || cp == 0x303d ||
           cp == 0x3297 || cp == 0x3299;
}

bool skinTone(char32_t cp) { return cp >= 0x1f3fb && cp <= 0x1f3ff; }

// The code point at s[i] and its length; {0, 0} when s[i] starts no valid UTF-8 sequence.
std::pair<char32_t, size_t> codePointAt(std::string_view s, size_t i) {
    if (i >= s.size()) return {0, 0};
    const size_t n = utf8Length(s, i);
    return n == 0 ? std::pair<char32_t, size_t>{0, 0} : std::pair{decode(s, i, n), n};
}

// Length of the emoji sequence starting at s[i] (base, then its modifiers: U+FE0E/U+FE0F, a skin
// tone, a keycap U+20E3, a tag run ending in U+E007F, and U+200D joining the next emoji), or 0
// when s[i] starts none. A keycap base (0-9 # *) counts only when U+FE0F U+20E3 follow. Joiners
// and selectors outside such a sequence stay escaped: there they could make one text pass for
// another ("ad\u200dmin").
size_t emojiSequenceLength(std::string_view s, size_t i) {
    auto [cp, n] = codePointAt(s, i);
    if (n == 0) return 0;
    size_t at = i + n;
    if (cp == '#' || cp == '*' || (cp >= '0' && cp <= '9')) {
        auto [vs, vn] = codePointAt(s, at);
        auto [cap, cn] = codePointAt(s, at + vn);
        return vs == 0xfe0f && cap == 0x20e3 ? n + vn + cn : 0;
    }
    // A flag: a pair of regional indicators (U+1F1E6–U+1F1FF, 🇩🇪) is one picture, one wide cell.
    if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
        auto [second, sn] = codePointAt(s, at);
        if (second >= 0x1f1e6 && second <= 0x1f1ff) return n + sn;
        return n;  // a lone indicator: one emoji of its own
    }
    if (!emojiBase(cp)) return 0;
    for (;;) {
        // Modifiers of the current element.
        for (;;) {
            auto [m, mn] = codePointAt(s, at);
            if (mn == 0) break;
            if (m == 0xfe0e || m == 0xfe0f || skinTone(m) || m == 0x20e3) {
                at += mn;
                continue;
            }
            if (m >= 0xe0020 && m <= 0xe007e) {  // a subdivision flag's tags, closed by U+E007F
                size_t t = at;
                for (;;) {
                    auto [tc, tn] = codePointAt(s, t);
                    if (tn == 0 || tc < 0xe0020 || tc > 0xe007f) return at - i;
                    t += tn;
                    if (tc == 0xe007f) break;
                }
                at = t;
                continue;
            }
            break;
        }
        auto [j, jn] = codePointAt(s, at);
        if (j != 0x200d) break;
        auto [next, nn] = codePointAt(s, at + jn);
        if (nn == 0 || !emojiBase(next)) break;  // a joiner must join two emoji
        at += jn + nn;
    }
    return at - i;
}

// Length of the character (or whole emoji sequence) at s[i] that may be shown as is, or 0: invalid
// UTF-8, or a character that misleads (C1 controls, bidi overrides, line separators, zero-width
// and invisible format characters, blank-looking spaces) outside an emoji sequence.
size_t safeLength(std::string_view s, size_t i) {
    if (const size_t e = emojiSequenceLength(s, i); e > 0) return e;
    const size_t n = utf8Length(s, i);
    if (n > 1 && misleads(decode(s, i, n))) return 0;
    return n;
}

// Length of the printable text at s[i] (one character or an emoji sequence), or 0 when it is to
// be escaped: the backslash, a C0 control or DEL, or what safeLength() refuses.
size_t printableLength(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\\') return 0;
    return safeLength(s, i);
}

void hexByte(std::string& out, unsigned char c) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
}

// Columns of one code point (a compact wcwidth: the wide and zero-width ranges that matter for
// keys and holders).
size_t columns(char32_t cp) {
    auto in = [&](char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; };
    if (in(0x300, 0x36f) || in(0x483, 0x489) || in(0x591, 0x5bd) || in(0x610, 0x61a) ||
        in(0x64b, 0x65f) || in(0x1ab0, 0x1aff) || in(0x1dc0, 0x1dff) || in(0x20d0, 0x20ff) ||
        in(0xfe20, 0xfe2f) || in(0x200b, 0x200f))
        return 0;
    if (in(0x1100, 0x115f) || in(0x2e80, 0x303e) || in(0x3041, 0x33ff) || in(0x3400, 0x4dbf) ||
        in(0x4e00, 0x9fff) || in(0xa000, 0xa4cf) || in(0xac00, 0xd7a3) || in(0xf900, 0xfaff) ||
        in(0xfe30, 0xfe4f) || in(0xff00, 0xff60) || in(0xffe0, 0xffe6) || in(0x1f300, 0x1f64f) ||
        in(0x1f680, 0x1f6ff) || in(0x1f900, 0x1faff) || in(0x20000, 0x3fffd))
        return 2;
    return 1;
}

}  // namespace

size_t displayWidth(std::string_view text) {
    size_t width = 0;
    for (size_t i = 0; i < text.size();) {
        if (const size_t e = emojiSequenceLength(text, i); e > 0) {
            width += 2;  // a terminal draws the whole sequence as one wide picture
            i += e;
            continue;
        }
        const size_t n = utf8Length(text, i);
        if (n == 0) {
            ++width;
            ++i;
            continue;
        }
        width += columns(decode(text, i, n));
        i += n;
    }
    return width;
}

std::string fitWidth(std::string_view text, size_t width) {
    std::string out;
    size_t used = 0;
    const bool cut = displayWidth(text) > width;
    const size_t room = cut && width > 0 ? width - 1 : width;  // a column for the '~'
    for (size_t i = 0; i < text.size();) {
        size_t n = utf8Length(text, i);
        size_t w = n == 0 ? 1 : columns(decode(text, i, n));
        if (n == 0) n = 1;
        if (const size_t e = emojiSequenceLength(text, i); e > 0) {
            n = e;  // never cut inside a sequence: half of one is another picture
            w = 2;
        }
        // displayBytes() escapes ("\\", "\xHH") are kept whole: half of one reads as other bytes.
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == '\\')) {
            n = text[i + 1] == 'x' ? std::min<size_t>(4, text.size() - i) : 2;
            w = n;
        }
        if (used + w > room) break;
        out.append(text.substr(i, n));
        used += w;
        i += n;
    }
    if (cut && width > 0) {
        out += '~';
        ++used;
    }
    out.append(width > used ? width - used : 0, ' ');
    return out;
}

bool isValidUtf8(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        size_t n = utf8Length(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool isSafeJsonText(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        const size_t n = safeLength(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool isPlainText(std::string_view bytes) {
    // A leading or trailing space is shown as \x20 (displayBytes).
    if (!bytes.empty() && (bytes.back() == ' ' || bytes.front() == ' ')) return false;
    for (size_t i = 0; i < bytes.size();) {
        const size_t n = printableLength(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string displayBytes(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    // A leading space is as invisible as a trailing one (a holder " web-1" printed in a table):
    // \x20 too (issue 11, adversarial round 3).
    size_t start = 0;
    if (!bytes.empty() && bytes.front() == ' ') {
        hexByte(out, ' ');
        start = 1;
    }
    for (size_t i = start; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\\') {
            out += "\\\\";
            ++i;
        } else if (const size_t n = printableLength(bytes, i); n > 0) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            // Every byte of an escaped character: its continuation bytes are not valid UTF-8 on
            // their own, so the next turns escape them too.
            hexByte(out, c);
            ++i;
        }
    }
    // A trailing space is invisible in a table and lost when copied: shown as \x20, which
    // parseDisplayedBytes reads back (issue 11, adversarial round 2, item 9).
    if (!out.empty() && out.back() == ' ') {
        out.pop_back();
        hexByte(out, ' ');
    }
    return out;
}

std::optional<std::string> parseDisplayedBytes(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out += text[i];
            continue;
        }
        if (i + 1 < text.size() && text[i + 1] == '\\') {
            out += '\\';
            ++i;
            continue;
        }
        if (i + 3 < text.size() && text[i + 1] == 'x') {
            auto hex = [](char h) {
                return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
            };
            int hi = hex(text[i + 2]), lo = hex(text[i + 3]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 3;
            continue;
        }
        return std::nullopt;
    }
    return out;
}

}  // namespace lockscope

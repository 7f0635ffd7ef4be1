#include "util/text.h"

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

// Length of the printable UTF-8 character at s[i], or 0 when it is to be escaped: invalid UTF-8,
// the backslash, a C0 control or DEL, or a C1 control (U+0080..U+009F, encoded c2 80..c2 9f),
// which terminals act on rather than show.
size_t printableLength(std::string_view s, size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || c == '\\') return 0;
    const size_t n = utf8Length(s, i);
    if (n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0) return 0;
    return n;
}

void hexByte(std::string& out, unsigned char c) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
}

}  // namespace

bool isValidUtf8(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        size_t n = utf8Length(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

bool isPlainText(std::string_view bytes) {
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
    for (size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == '\\') {
            out += "\\\\";
            ++i;
        } else if (const size_t n = printableLength(bytes, i); n > 0) {
            out.append(bytes.substr(i, n));
            i += n;
        } else {
            hexByte(out, c);  // a C1 control's second byte is escaped on the next turn
            ++i;
        }
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

// libFuzzer target: the one rule for showing bytes (util/text.h).
// Invariants: parseDisplayedBytes(displayBytes(b)) == b; what displayBytes() writes is plain text
// (valid UTF-8 without controls) and displays as itself only when it was plain already; parsing
// arbitrary text never crashes.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "util/text.h"

using namespace lockscope;
using lockscope::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const std::string shown = displayBytes(bytes);
    require(isValidUtf8(shown), "displayBytes() wrote invalid UTF-8", shown);
    std::string withoutBackslashes = shown;
    std::erase(withoutBackslashes, '\\');
    // Blanks at either end are plain text's own rule (shown as \x20), not a control character:
    // removing an escaped backslash "\\" can leave one there ("\\ \x00" → " x00").
    const auto first = withoutBackslashes.find_first_not_of(' ');
    const auto last = withoutBackslashes.find_last_not_of(' ');
    const std::string inner = first == std::string::npos
                                  ? std::string()
                                  : withoutBackslashes.substr(first, last - first + 1);
    require(isPlainText(inner), "displayBytes() wrote a control character", shown);
    auto back = parseDisplayedBytes(shown);
    require(back.has_value(), "displayBytes() output does not parse", shown);
    require(*back == bytes, "bytes changed through displayBytes() and back", shown);
    if (isPlainText(bytes)) require(shown == bytes, "plain text was escaped", shown);
    // Any text: no crash, and what parses displays as a text that parses to the same bytes.
    if (auto parsed = parseDisplayedBytes(bytes))
        require(parseDisplayedBytes(displayBytes(*parsed)) == parsed, "re-display differs", bytes);
    return 0;
}

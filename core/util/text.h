// Showing bytes to people and scripts without mangling them.
//
// Redis keys and values are arbitrary bytes. displayBytes() keeps valid UTF-8 (printable) as is
// and writes everything else as \xHH, with '\' itself doubled, so the result is unambiguous and
// can be turned back into the exact bytes by parseDisplayedBytes().
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lockscope {

std::string displayBytes(std::string_view bytes);
std::optional<std::string> parseDisplayedBytes(std::string_view text);
// True when `bytes` is valid UTF-8 without control characters: displayBytes() would not change it.
bool isPlainText(std::string_view bytes);

bool isValidUtf8(std::string_view bytes);

}  // namespace lockscope

// SHA-1 of a byte string, as lowercase hex: the name Redis gives a Lua script (EVALSHA).
// Written from FIPS 180-4; used only to name scripts, never for security.
#pragma once

#include <string>
#include <string_view>

namespace lockscope::redis {

std::string sha1Hex(std::string_view data);

}  // namespace lockscope::redis

// Thread contract: pure function.
//
// Reading the text an INFO reply carries: "# Server\r\nredis_version:7.0.15\r\n...".
#pragma once

#include <string>
#include <string_view>

namespace lockscope::redis {

// The value of `field` in an INFO reply, "" when the reply has no such field. Only a whole field
// name at the start of a line matches: "mode" is not found in "redis_mode:standalone".
std::string infoField(std::string_view info, std::string_view field);

}  // namespace lockscope::redis

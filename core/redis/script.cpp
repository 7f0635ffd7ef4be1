#include "redis/script.h"

#include "redis/sha1.h"

namespace lockscope::redis {

Script::Script(std::string source) : source_(std::move(source)), sha1_(sha1Hex(source_)) {}

}  // namespace lockscope::redis

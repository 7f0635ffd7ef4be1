// A Lua script known by its SHA-1: sent once, then called by EVALSHA (Connection::eval).
//
// Thread contract: immutable after construction; share freely (scripts are usually statics).
#pragma once

#include <string>

namespace lockscope::redis {

class Script {
public:
    explicit Script(std::string source);
    const std::string& source() const { return source_; }
    const std::string& sha1() const { return sha1_; }

private:
    std::string source_;
    std::string sha1_;
};

}  // namespace lockscope::redis

// Owned, binary-safe Redis replies.
//
// ReplyView is a non-owning view of a hiredis reply node; Reply owns a whole reply tree and frees
// it with freeReplyObject. Reading a value out of an error reply throws the server error
// (redis/error.h), so an error can never be read as data by accident.
//
// Thread contract: a Reply may be moved between threads; it is not shared.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct redisReply;

namespace lockscope::redis {

class ReplyView {
public:
    enum class Type { String, Array, Integer, Nil, Status, Error };

    explicit ReplyView(const redisReply* node) : node_(node) {}

    Type type() const;
    bool isNil() const { return type() == Type::Nil; }
    bool isError() const { return type() == Type::Error; }
    bool isString() const { return type() == Type::String; }
    bool isStatus() const { return type() == Type::Status; }
    bool isInteger() const { return type() == Type::Integer; }
    bool isArray() const { return type() == Type::Array; }

    // Bulk string or status text; throws the error of an error reply, Protocol for other types.
    std::string_view str() const;
    // nullopt for nil; otherwise as str().
    std::optional<std::string> optString() const;
    long long integer() const;
    // Integer reply, or a bulk string holding an integer (GET of a counter).
    long long asInteger() const;
    size_t size() const;  // elements of an array (0 for nil)
    ReplyView at(size_t i) const;
    ReplyView operator[](size_t i) const { return at(i); }

    // The message of an error reply ("" otherwise).
    std::string_view errorMessage() const;
    // Throws redis::Error(classifyServerError(...)) for an error reply; no-op otherwise.
    void throwIfError() const;
    // A short human-readable rendering, for logs and tests.
    std::string describe() const;

protected:
    const redisReply* node_;
};

class Reply : public ReplyView {
public:
    explicit Reply(redisReply* owned);  // takes ownership
    Reply(Reply&&) noexcept = default;
    Reply& operator=(Reply&&) noexcept = default;

private:
    struct Deleter {
        void operator()(redisReply* r) const;
    };
    std::unique_ptr<redisReply, Deleter> owned_;
};

}  // namespace lockscope::redis

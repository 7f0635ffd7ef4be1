#include "redis/reply.h"

#include <hiredis/hiredis.h>

#include <algorithm>

#include "redis/error.h"
#include "util/text.h"

namespace lockscope::redis {

ReplyView::Type ReplyView::type() const {
    switch (node_->type) {
        case REDIS_REPLY_STRING:
            return Type::String;
        case REDIS_REPLY_ARRAY:
            return Type::Array;
        case REDIS_REPLY_INTEGER:
            return Type::Integer;
        case REDIS_REPLY_NIL:
            return Type::Nil;
        case REDIS_REPLY_STATUS:
            return Type::Status;
        case REDIS_REPLY_ERROR:
            return Type::Error;
        default:
            break;
    }
    throw Error(ErrorKind::Protocol, "unknown reply type " + std::to_string(node_->type));
}

void ReplyView::throwIfError() const {
    if (node_->type == REDIS_REPLY_ERROR) {
        std::string_view message(node_->str, node_->len);
        // Redis 7 reports an error from a command inside a script as "<error> script: <sha>, on
        // @user_script:N.": the SHA and line mean nothing to a reader.
        if (const auto at = message.find(" script: ");
            at != std::string_view::npos &&
            message.find("@user_script:", at) != std::string_view::npos)
            message = message.substr(0, at);
        throw Error(classifyServerError(message), std::string(message));
    }
}

std::string_view ReplyView::errorMessage() const {
    return node_->type == REDIS_REPLY_ERROR ? std::string_view(node_->str, node_->len)
                                            : std::string_view();
}

std::string_view ReplyView::str() const {
    throwIfError();
    if (node_->type != REDIS_REPLY_STRING && node_->type != REDIS_REPLY_STATUS)
        throw Error(ErrorKind::Protocol, "expected a string reply, got " + describe());
    return {node_->str, node_->len};
}

std::optional<std::string> ReplyView::optString() const {
    if (node_->type == REDIS_REPLY_NIL) return std::nullopt;
    return std::string(str());
}

long long ReplyView::integer() const {
    throwIfError();
    if (node_->type != REDIS_REPLY_INTEGER)
        throw Error(ErrorKind::Protocol, "expected an integer reply, got " + describe());
    return node_->integer;
}

long long ReplyView::asInteger() const {
    throwIfError();
    if (node_->type == REDIS_REPLY_INTEGER) return node_->integer;
    if (node_->type == REDIS_REPLY_STRING) {
        std::string text(node_->str, node_->len);
        size_t used = 0;
        long long value = 0;
        try {
            value = std::stoll(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == text.size() && !text.empty()) return value;
    }
    throw Error(ErrorKind::Protocol, "expected an integer, got " + describe());
}

size_t ReplyView::size() const {
    throwIfError();
    if (node_->type == REDIS_REPLY_NIL) return 0;
    if (node_->type != REDIS_REPLY_ARRAY)
        throw Error(ErrorKind::Protocol, "expected an array reply, got " + describe());
    return node_->elements;
}

ReplyView ReplyView::at(size_t i) const {
    if (i >= size())
        throw Error(ErrorKind::Protocol, "reply array index " + std::to_string(i) +
                                             " out of range " + std::to_string(size()));
    return ReplyView(node_->element[i]);
}

std::string ReplyView::describe() const {
    switch (node_->type) {
        case REDIS_REPLY_STRING: {
            const std::string_view bytes(node_->str, std::min<size_t>(node_->len, 64));
            return "\"" + displayBytes(bytes) + (node_->len > 64 ? "...\"" : "\"");
        }
        case REDIS_REPLY_ARRAY:
            return "array[" + std::to_string(node_->elements) + "]";
        case REDIS_REPLY_INTEGER:
            return "(integer) " + std::to_string(node_->integer);
        case REDIS_REPLY_NIL:
            return "(nil)";
        case REDIS_REPLY_STATUS:
            return std::string(node_->str, node_->len);
        case REDIS_REPLY_ERROR:
            return "(error) " + std::string(node_->str, node_->len);
        default:
            return "(unknown reply type)";
    }
}

Reply::Reply(redisReply* owned) : ReplyView(owned), owned_(owned) {}

void Reply::Deleter::operator()(redisReply* r) const { freeReplyObject(r); }

}  // namespace lockscope::redis

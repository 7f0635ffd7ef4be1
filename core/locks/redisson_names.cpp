#include "locks/redisson_names.h"

#include <unistd.h>

#include <algorithm>

#include "util/random.h"

namespace lockscope::locks {

std::string redissonPrefixName(std::string_view prefix, std::string_view name) {
    if (name.find('{') != std::string_view::npos)
        return std::string(prefix) + ":" + std::string(name);
    return std::string(prefix) + ":{" + std::string(name) + "}";
}

std::string redissonSuffixName(std::string_view name, std::string_view suffix) {
    if (name.find('{') != std::string_view::npos)
        return std::string(name) + ":" + std::string(suffix);
    return "{" + std::string(name) + "}:" + std::string(suffix);
}

std::string redissonInstanceId(const Owner& owner) {
    std::string id = randomUuid4();
    const std::string& tag = owner.tag;
    const bool hex = std::all_of(tag.begin(), tag.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    // A tag that is not 8 hex digits would break Redisson's UUID shape: leave it out then.
    if (tag.size() == 8 && hex) id.replace(0, 8, tag);
    return id;
}

std::string redissonThreadField(const std::string& instanceId) {
    return instanceId + ":" + std::to_string(static_cast<long long>(::gettid()));
}

}  // namespace lockscope::locks

#include "monitor/fair_queue.h"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <unordered_map>

namespace lockscope::monitor {

std::string redissonCompanionKey(std::string_view prefix, std::string_view name) {
    std::string k(prefix);
    k += ':';
    if (name.find('{') != std::string_view::npos) {
        k += name;
    } else {
        k += '{';
        k += name;
        k += '}';
    }
    return k;
}

std::vector<FairWaiter> parseFairQueue(const redis::Reply& queue, const redis::Reply& timeouts) {
    std::vector<FairWaiter> out;
    if (!queue.isArray()) return out;
    std::unordered_map<std::string, long long> at;
    if (timeouts.isArray())
        for (size_t i = 0; i + 1 < timeouts.size(); i += 2) {
            const std::string_view score = timeouts[i + 1].str();
            double ms = 0;  // a score prints as a double ("1733490000000" or "1.7e12")
            if (std::from_chars(score.data(), score.data() + score.size(), ms).ec == std::errc())
                at.emplace(std::string(timeouts[i].str()), static_cast<long long>(ms));
        }
    for (size_t i = 0; i < queue.size(); ++i) {
        FairWaiter w;
        w.id = std::string(queue[i].str());
        if (auto it = at.find(w.id); it != at.end()) w.timeoutAtMs = it->second;
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<FairWaiter> readFairQueue(redis::Connection& c, const std::string& name, size_t max) {
    const auto last = static_cast<long long>(max) - 1;
    auto replies = c.pipeline()
                       .add({"LRANGE", redissonCompanionKey("redisson_lock_queue", name), 0, last})
                       .add({"ZRANGE", redissonCompanionKey("redisson_lock_timeout", name), 0, last,
                             "WITHSCORES"})
                       .exec();
    return parseFairQueue(replies[0], replies[1]);
}

std::vector<std::string> fairQueueOwners(std::string_view key) {
    std::string_view name;
    for (std::string_view prefix : {"redisson_lock_queue:", "redisson_lock_timeout:"})
        if (key.substr(0, prefix.size()) == prefix) name = key.substr(prefix.size());
    // Both writers brace a name without a tag: a companion name always has one.
    if (name.empty() || name.find('{') == std::string_view::npos) return {};
    std::vector<std::string> out;
    if (name.size() > 2 && name.front() == '{' && name.back() == '}' &&
        name.find('{', 1) == std::string_view::npos && name.find('}') == name.size() - 1)
        out.emplace_back(name.substr(1, name.size() - 2));
    out.emplace_back(name);
    return out;
}

size_t liveWaiters(const std::vector<FairWaiter>& waiters, long long wallNowMs) {
    return static_cast<size_t>(std::count_if(waiters.begin(), waiters.end(), [&](const auto& w) {
        return w.timeoutAtMs && *w.timeoutAtMs > wallNowMs;
    }));
}

}  // namespace lockscope::monitor

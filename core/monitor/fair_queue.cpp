#include "monitor/fair_queue.h"

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

std::vector<FairWaiter> readFairQueue(redis::Connection& c, const std::string& name, size_t max) {
    const auto last = static_cast<long long>(max) - 1;
    auto replies = c.pipeline()
                       .add({"LRANGE", redissonCompanionKey("redisson_lock_queue", name), 0, last})
                       .add({"ZRANGE", redissonCompanionKey("redisson_lock_timeout", name), 0, last,
                             "WITHSCORES"})
                       .exec();
    std::vector<FairWaiter> out;
    const auto& queue = replies[0];
    const auto& timeouts = replies[1];
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

}  // namespace lockscope::monitor

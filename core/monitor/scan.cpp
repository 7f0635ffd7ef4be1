#include "monitor/scan.h"

namespace lockscope::monitor {

std::optional<std::string> scanKeys(redis::Connection& c, const std::vector<std::string>& patterns,
                                    size_t count,
                                    const std::function<bool(std::vector<std::string>&&)>& onBatch) {
    std::vector<std::string> all = patterns;
    if (all.empty()) all.emplace_back();
    for (const auto& pattern : all) {
        std::string cursor = "0";
        do {
            redis::Command cmd{"SCAN", cursor};
            if (!pattern.empty()) cmd << "MATCH" << pattern;
            cmd << "COUNT" << count;
            auto reply = c.raw(cmd);
            if (reply.isError()) return std::string(reply.errorMessage());
            cursor = std::string(reply[0].str());
            auto items = reply[1];
            std::vector<std::string> keys;
            keys.reserve(items.size());
            for (size_t i = 0; i < items.size(); ++i) keys.emplace_back(items[i].str());
            if (!onBatch(std::move(keys))) return std::nullopt;
        } while (cursor != "0");
    }
    return std::nullopt;
}

}  // namespace lockscope::monitor

#include "redis/info.h"

namespace lockscope::redis {

std::string infoField(std::string_view info, std::string_view field) {
    for (size_t pos = 0; pos < info.size();) {
        size_t end = info.find('\n', pos);
        if (end == std::string_view::npos) end = info.size();
        std::string_view line = info.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.size() > field.size() && line[field.size()] == ':' &&
            line.substr(0, field.size()) == field)
            return std::string(line.substr(field.size() + 1));
        pos = end + 1;
    }
    return {};
}

}  // namespace lockscope::redis

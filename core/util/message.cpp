#include "util/message.h"

namespace lockscope {

std::string fillPlaceholders(std::string_view english, const std::vector<std::string>& args) {
    std::string out;
    for (size_t i = 0; i < english.size(); ++i) {
        const char c = english[i];
        if (c == '%' && i + 1 < english.size() && english[i + 1] >= '1' && english[i + 1] <= '9') {
            const auto n = static_cast<size_t>(english[i + 1] - '1');
            if (n < args.size()) {
                out += args[n];
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

std::string render(const Message& m) { return fillPlaceholders(m.english, m.args); }

std::string render(const std::vector<Message>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += separator;
        out += render(p);
    }
    return out;
}

}  // namespace lockscope

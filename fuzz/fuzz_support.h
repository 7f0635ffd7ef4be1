// Small helpers shared by the libFuzzer targets: reading structured input from the fuzzer's bytes
// and failing loudly when an invariant breaks (abort, so libFuzzer saves the input as a crash).
//
// Thread contract: single-threaded, like libFuzzer's callback.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace lockscope::fuzz {

// Reads the input front to back: fixed-size numbers, then '\0'-terminated fields.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    std::uint8_t byte() {
        if (rest_.empty()) return 0;
        auto b = static_cast<std::uint8_t>(rest_.front());
        rest_.remove_prefix(1);
        return b;
    }
    long long number64() {
        unsigned long long v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
        return static_cast<long long>(v);
    }
    // The bytes up to the next '\0' (or the end).
    std::string field() {
        auto nul = rest_.find('\0');
        std::string out(rest_.substr(0, nul));
        rest_.remove_prefix(nul == std::string_view::npos ? rest_.size() : nul + 1);
        return out;
    }
    std::vector<std::string> fields() {
        std::vector<std::string> out;
        while (!rest_.empty()) out.push_back(field());
        return out;
    }
    bool empty() const { return rest_.empty(); }

private:
    std::string_view rest_;
};

[[noreturn]] inline void violated(const char* what, std::string_view detail = {}) {
    std::fprintf(stderr, "invariant violated: %s\n  %.*s\n", what, static_cast<int>(detail.size()),
                 detail.data());
    std::abort();
}

inline void require(bool ok, const char* what, std::string_view detail = {}) {
    if (!ok) violated(what, detail);
}

}  // namespace lockscope::fuzz

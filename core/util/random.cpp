#include "util/random.h"

#include <random>

namespace lockscope {
namespace {

std::mt19937_64& engine() {
    thread_local std::mt19937_64 rng = [] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }();
    return rng;
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::uint64_t randomU64() { return engine()(); }

std::string randomHex(int chars) {
    std::string out;
    out.reserve(static_cast<size_t>(chars));
    std::uint64_t bits = 0;
    for (int i = 0; i < chars; ++i) {
        if (i % 16 == 0) bits = randomU64();
        out += kHex[bits & 15];
        bits >>= 4;
    }
    return out;
}

std::string randomUuid4() {
    std::string hex = randomHex(32);
    hex[12] = '4';                          // version 4
    hex[16] = kHex[8 + (randomU64() & 3)];  // variant 10xx
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::int64_t randomBetween(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    std::uniform_int_distribution<std::int64_t> dist(lo, hi);
    return dist(engine());
}

}  // namespace lockscope

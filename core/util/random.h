// Random identifiers for lock tokens and owner tags. Uniqueness, not secrecy: a per-thread
// 64-bit Mersenne Twister seeded from std::random_device.
#pragma once

#include <cstdint>
#include <string>

namespace lockscope {

std::uint64_t randomU64();
std::string randomHex(int chars);  // lowercase hex
std::string randomUuid4();         // "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
// Uniform in [lo, hi].
std::int64_t randomBetween(std::int64_t lo, std::int64_t hi);

}  // namespace lockscope

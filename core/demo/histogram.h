// Latency histogram with log-linear buckets: exact below 128 µs, then 64 buckets per power of
// two (at most 1.6% relative error). Fixed memory whatever the number of samples, mergeable
// across workers, and short enough as text for a worker process to send back in one line.
//
// Thread contract: a value type; one writer at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lockscope::demo {

class LatencyHistogram {
public:
    void record(std::chrono::nanoseconds latency);
    void recordMicros(std::uint64_t micros);
    void merge(const LatencyHistogram& other);
    std::uint64_t count() const { return count_; }
    // The latency (µs) at or below which a fraction q of the samples lie; 0 when empty.
    double percentileMicros(double q) const;
    // Samples at or above `fromMicros` and below `toMicros` (by bucket: within 1.6%).
    std::uint64_t countBetween(std::uint64_t fromMicros, std::uint64_t toMicros) const;
    double maxMicros() const;  // the highest bucket's upper end; 0 when empty

    // "index:count,index:count" (non-empty buckets only), and back; nullopt for malformed text.
    std::string encode() const;
    static std::optional<LatencyHistogram> decode(std::string_view text);

private:
    static std::size_t bucketOf(std::uint64_t micros);
    static std::uint64_t lowerBound(std::size_t bucket);
    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0;
};

// The samples in ranges doubling from `firstMicros`: {range's lower end µs, count}, the first
// range from 0, the last open-ended and the last non-empty one. Empty when h is.
std::vector<std::pair<long long, long long>> doublingRanges(const LatencyHistogram& h,
                                                            std::uint64_t firstMicros = 100);

}  // namespace lockscope::demo

#include "demo/histogram.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

namespace lockscope::demo {
namespace {

constexpr std::uint64_t kLinear = 128;  // values below are their own bucket
constexpr int kSubBits = 6;             // 64 sub-buckets per power of two above

}  // namespace

std::size_t LatencyHistogram::bucketOf(std::uint64_t v) {
    if (v < kLinear) return static_cast<std::size_t>(v);
    const int top = std::bit_width(v) - 1;  // >= 7
    const int shift = top - kSubBits;       // >= 1
    const std::uint64_t sub = v >> shift;   // 64..127
    return static_cast<std::size_t>(kLinear + static_cast<std::uint64_t>(shift - 1) * 64 +
                                    (sub - 64));
}

std::uint64_t LatencyHistogram::lowerBound(std::size_t bucket) {
    if (bucket < kLinear) return bucket;
    const std::size_t rest = bucket - kLinear;
    const int shift = static_cast<int>(rest / 64) + 1;
    return (64 + rest % 64) << shift;
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
    recordMicros(us < 0 ? 0 : static_cast<std::uint64_t>(us));
}

void LatencyHistogram::recordMicros(std::uint64_t micros) {
    const std::size_t b = bucketOf(micros);
    if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
    ++buckets_[b];
    ++count_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size(), 0);
    for (std::size_t i = 0; i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
}

double LatencyHistogram::percentileMicros(double q) const {
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The rank of the sample wanted, 1-based: the ceil(q * n)-th smallest.
    const auto rank = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        seen += buckets_[i];
        if (seen >= rank) {
            // Report the middle of the bucket: its width is 0 below 128 µs.
            const double lo = static_cast<double>(lowerBound(i));
            const double hi = static_cast<double>(lowerBound(i + 1));
            return i < kLinear ? lo : (lo + hi) / 2;
        }
    }
    return static_cast<double>(lowerBound(buckets_.size()));
}

std::uint64_t LatencyHistogram::countBetween(std::uint64_t fromMicros,
                                             std::uint64_t toMicros) const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        const std::uint64_t lo = lowerBound(i);
        if (lo >= fromMicros && lo < toMicros) n += buckets_[i];
    }
    return n;
}

double LatencyHistogram::maxMicros() const {
    for (std::size_t i = buckets_.size(); i-- > 0;)
        if (buckets_[i] > 0) return static_cast<double>(lowerBound(i + 1));
    return 0;
}

std::string LatencyHistogram::encode() const {
    std::string out;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        if (buckets_[i] == 0) continue;
        if (!out.empty()) out += ',';
        out += std::to_string(i) + ':' + std::to_string(buckets_[i]);
    }
    return out;
}

std::optional<LatencyHistogram> LatencyHistogram::decode(std::string_view text) {
    LatencyHistogram h;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        const auto colon = item.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        std::size_t bucket = 0;
        std::uint64_t n = 0;
        auto a = std::from_chars(item.data(), item.data() + colon, bucket);
        auto b = std::from_chars(item.data() + colon + 1, item.data() + item.size(), n);
        if (a.ec != std::errc() || a.ptr != item.data() + colon || b.ec != std::errc() ||
            b.ptr != item.data() + item.size() || bucket > 100000)
            return std::nullopt;
        if (bucket >= h.buckets_.size()) h.buckets_.resize(bucket + 1, 0);
        h.buckets_[bucket] += n;
        h.count_ += n;
        if (comma == std::string_view::npos) break;
        text = text.substr(comma + 1);
    }
    return h;
}

std::vector<std::pair<long long, long long>> doublingRanges(const LatencyHistogram& h,
                                                            std::uint64_t firstMicros) {
    std::vector<std::pair<long long, long long>> out;
    if (h.count() == 0) return out;
    const auto top = static_cast<std::uint64_t>(h.maxMicros());
    std::uint64_t lo = 0, hi = firstMicros;
    while (true) {
        const bool last = hi > top;
        const auto n = last ? h.countBetween(lo, UINT64_MAX) : h.countBetween(lo, hi);
        out.emplace_back(static_cast<long long>(lo), static_cast<long long>(n));
        if (last) break;
        lo = hi;
        hi *= 2;
    }
    return out;
}

}  // namespace lockscope::demo

#include "monitor/scan.h"

namespace lockscope::monitor {
namespace {

redis::Command scanCommand(const std::string& cursor, const std::string& pattern, size_t count) {
    redis::Command cmd{"SCAN", cursor};
    if (!pattern.empty()) cmd << "MATCH" << pattern;
    cmd << "COUNT" << count;
    return cmd;
}

std::vector<std::string> keysOf(const redis::ReplyView& scanReply, std::string& cursor) {
    cursor = std::string(scanReply[0].str());
    auto items = scanReply[1];
    std::vector<std::string> keys;
    keys.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) keys.emplace_back(items[i].str());
    return keys;
}

// One batch at a time: [round 1 of this batch + SCAN for the next] in one write, the follow-up
// rounds, then the budget's wait before anything else goes out.
std::optional<std::string> pacedScan(redis::Connection& scan, redis::Connection& detail,
                                     Inspector& inspector, const std::string& pattern, size_t count,
                                     const std::function<bool(std::vector<Inspected>&&)>& onBatch,
                                     const ScanPace& paced, bool& stopped) {
    std::string cursor = "0";
    auto t0 = std::chrono::steady_clock::now();
    auto first = scan.raw(scanCommand(cursor, pattern, count));
    if (first.isError()) return std::string(first.errorMessage());
    std::vector<std::string> keys = keysOf(first, cursor);
    bool more = cursor != "0";
    int rounds = 1;
    while (true) {
        std::vector<Inspected> inspected;
        if (!keys.empty() || more) {
            auto p = scan.pipeline();
            Inspector::Batch batch = inspector.queue(p, std::move(keys));
            keys.clear();
            const bool scans = more;
            if (scans) p.add(scanCommand(cursor, pattern, count));
            auto replies = p.exec();
            ++rounds;
            more = false;
            if (scans) {
                const auto& scanReply = replies.back();
                if (scanReply.isError()) return std::string(scanReply.errorMessage());
                keys = keysOf(scanReply, cursor);
                more = cursor != "0";
            }
            if (!batch.keys.empty()) {
                inspector.takeRoundTrips();
                inspected = inspector.complete(batch, replies.begin(), detail);
                rounds += static_cast<int>(inspector.takeRoundTrips());
            }
        }
        const auto wall = std::chrono::steady_clock::now() - t0;
        const bool last = keys.empty() && !more;
        stopped = (!inspected.empty() && !onBatch(std::move(inspected))) || !paced(wall, rounds);
        if (stopped) return std::nullopt;
        if (last) return std::nullopt;
        t0 = std::chrono::steady_clock::now();
        rounds = 0;
    }
}

}  // namespace

std::optional<std::string> scanAndInspect(
    redis::Connection& scan, redis::Connection& detail, Inspector& inspector,
    const std::vector<std::string>& patterns, size_t count,
    const std::function<bool(std::vector<Inspected>&&)>& onBatch, const ScanPace& paced) {
    std::vector<std::string> all = patterns;
    if (all.empty()) all.emplace_back();
    for (const auto& pattern : all) {
        if (paced) {
            bool stopped = false;
            auto refusal =
                pacedScan(scan, detail, inspector, pattern, count, onBatch, paced, stopped);
            if (refusal || stopped) return refusal;
            continue;
        }
        std::string cursor = "0";
        auto first = scan.raw(scanCommand(cursor, pattern, count));
        if (first.isError()) return std::string(first.errorMessage());
        std::vector<std::string> keys = keysOf(first, cursor);
        bool more = cursor != "0";

        // At most one pipeline in flight: round 1 of a batch, then the SCAN for the next one,
        // then the question about the batch before's integers (synchronisers' evidence), asked
        // here rather than in a round trip of its own that would wait behind this pipeline.
        std::optional<redis::Pipeline> flight;
        Inspector::Batch flightBatch;
        bool flightScans = false;
        std::optional<Inspector::Started> asked;  // the batch whose question the flight carries
        auto launch = [&](Inspector::Started* carry) {
            flight.emplace(scan);
            flightBatch = inspector.queue(*flight, std::move(keys));
            keys.clear();
            flightScans = more;
            if (more) flight->add(scanCommand(cursor, pattern, count));
            if (carry) inspector.queueEvidence(*flight, *carry);
            flight->send();
        };
        if (!keys.empty() || more) launch(nullptr);
        while (flight) {
            auto replies = flight->collect();
            flight.reset();
            Inspector::Batch done = std::move(flightBatch);
            const size_t ownReplies = done.replies() + (flightScans ? 1 : 0);
            more = false;
            if (flightScans) {
                const auto& scanReply = replies[ownReplies - 1];
                if (scanReply.isError()) return std::string(scanReply.errorMessage());
                keys = keysOf(scanReply, cursor);
                more = cursor != "0";
            }
            std::optional<Inspector::Started> now;
            if (!done.keys.empty()) now = inspector.start(done, replies.begin());
            // The server works on the next batch while this one is completed and classified.
            if (!keys.empty() || more) launch(now ? &*now : nullptr);
            if (asked) {
                inspector.takeEvidence(
                    *asked, replies.cbegin() + static_cast<std::ptrdiff_t>(ownReplies), detail);
                if (!onBatch(std::move(asked->out))) {
                    if (flight) flight->collect();  // leave the connection in step
                    return std::nullopt;
                }
                asked.reset();
            }
            if (!now) continue;
            inspector.followUp(*now, detail);
            if (now->deferred) {
                asked = std::move(now);  // complete when the next flight answers
            } else if (!onBatch(std::move(now->out))) {
                if (flight) flight->collect();
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

}  // namespace lockscope::monitor

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

}  // namespace

std::optional<std::string> scanAndInspect(
    redis::Connection& scan, redis::Connection& detail, Inspector& inspector,
    const std::vector<std::string>& patterns, size_t count,
    const std::function<bool(std::vector<Inspected>&&)>& onBatch) {
    std::vector<std::string> all = patterns;
    if (all.empty()) all.emplace_back();
    for (const auto& pattern : all) {
        std::string cursor = "0";
        auto first = scan.raw(scanCommand(cursor, pattern, count));
        if (first.isError()) return std::string(first.errorMessage());
        std::vector<std::string> keys = keysOf(first, cursor);
        bool more = cursor != "0";

        // At most one pipeline in flight: round 1 of a batch, then the SCAN for the next one.
        std::optional<redis::Pipeline> flight;
        Inspector::Batch flightBatch;
        bool flightScans = false;
        auto launch = [&] {
            flight.emplace(scan);
            flightBatch = inspector.queue(*flight, std::move(keys));
            keys.clear();
            flightScans = more;
            if (more) flight->add(scanCommand(cursor, pattern, count));
            flight->send();
        };
        if (!keys.empty() || more) launch();
        while (flight) {
            auto replies = flight->collect();
            flight.reset();
            Inspector::Batch done = std::move(flightBatch);
            more = false;
            if (flightScans) {
                const auto& scanReply = replies.back();
                if (scanReply.isError()) return std::string(scanReply.errorMessage());
                keys = keysOf(scanReply, cursor);
                more = cursor != "0";
            }
            // The server works on the next batch while this one is completed and classified.
            if (!keys.empty() || more) launch();
            if (done.keys.empty()) continue;
            if (!onBatch(inspector.complete(done, replies.begin(), detail))) {
                if (flight) flight->collect();  // leave the connection in step
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

}  // namespace lockscope::monitor

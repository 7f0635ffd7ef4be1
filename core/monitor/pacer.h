// Thread contract: one owner thread (a node's inspector). Time is passed in, so tests move it.
//
// Keeps the monitor's polling work (discovery sweeps, refreshes of tracked keys) inside a share of
// the watched server's time. Each batch is charged what it cost the server (its round trips, less
// the network's part); the next batch may go once the server has had `cost / share` of wall time
// for that cost — on average the monitor uses at most `share` of the server.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace lockscope::monitor {

class Pacer {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    using Duration = std::chrono::nanoseconds;

    // `percent` of the server's time (e.g. 3); 0 or >= 100 means unlimited.
    explicit Pacer(double percent = 0);

    bool unlimited() const { return share_ <= 0; }
    double percent() const { return share_ * 100; }
    // A batch that cost the server `cost`, finished at `now`.
    void charge(Duration cost, TimePoint now);
    // When the next batch may go (in the past when it may go now).
    TimePoint readyAt() const { return ready_; }
    bool ready(TimePoint now) const { return unlimited() || now >= ready_; }
    // Wall time a batch of `cost` takes at this budget (the cost itself when unlimited).
    Duration wallFor(Duration cost) const;

private:
    double share_ = 0;  // fraction of server time, (0, 1); 0 = unlimited
    TimePoint ready_{};
};

// The round trips misstate what a batch costs the server: they overstate it wherever the client
// waits for a CPU (a busy machine) or the network is slow, and understate the work the server
// does around a command (reading, parsing, writing the reply). The server's own counters (INFO cpu)
// say what it really spent: over a window, its CPU time divided by what the round trips suggested
// is the correction applied to later batches, between 1/50 and 3. Other clients' work counts as
// ours there — on a busy server, the monitor slows down, which is the safe side.
class CostCalibration {
public:
    // A batch's estimate from its round trips, before correction.
    void add(Pacer::Duration estimate) { pending_ += estimate; }
    // Enough estimated since the last reading for the server's counters to say something.
    bool due() const { return pending_ >= std::chrono::milliseconds(20); }
    // The server's used_cpu_sys + used_cpu_user (seconds) now. The first reading only sets the
    // start; each later one, when due(), updates factor().
    void observe(double serverCpuSeconds);
    double factor() const { return factor_; }
    Pacer::Duration corrected(Pacer::Duration estimate) const;
    void reset();  // another server or connection: start over

private:
    Pacer::Duration pending_{0};
    double lastCpu_ = -1;
    double factor_ = 1;
};

// What a batch cost the server: its wall time less `roundTrips` network round trips of `baseline`
// (the smallest PING round trip seen, which is almost all network), never below a tenth of the
// wall time (a baseline measured in a quiet moment must not make a busy batch look free).
Pacer::Duration serverCost(Pacer::Duration wall, int roundTrips, Pacer::Duration baseline);

// A batch of the budget's size costs the server well under a millisecond; a round trip far longer
// than this is the client waiting for a CPU, and must not stall the pacer for seconds.
constexpr std::chrono::milliseconds kMaxBatchEstimate{10};

// used_cpu_sys + used_cpu_user (seconds) from an INFO cpu reply; nullopt when not there.
std::optional<double> serverCpuSeconds(std::string_view info);

}  // namespace lockscope::monitor

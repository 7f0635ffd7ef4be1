#include "monitor/pacer.h"

#include <algorithm>
#include <exception>
#include <string>

#include "redis/info.h"

namespace lockscope::monitor {

namespace {
// An idle pacer lets this much wall time of credit build up, no more: a burst after a quiet
// spell stays a batch or two, never a backlog.
constexpr std::chrono::milliseconds kMaxCredit{200};
}  // namespace

Pacer::Pacer(double percent) : share_(percent > 0 && percent < 100 ? percent / 100 : 0) {}

Pacer::Duration Pacer::wallFor(Duration cost) const {
    if (unlimited()) return cost;
    return std::chrono::duration_cast<Duration>(cost / share_);
}

void Pacer::charge(Duration cost, TimePoint now) {
    if (unlimited() || cost <= Duration::zero()) return;
    ready_ =
        std::max(ready_, now - std::chrono::duration_cast<Duration>(kMaxCredit)) + wallFor(cost);
}

void CostCalibration::observe(double serverCpuSeconds) {
    if (lastCpu_ < 0 || serverCpuSeconds < lastCpu_) {  // the first reading, or a restart
        lastCpu_ = serverCpuSeconds;
        pending_ = Pacer::Duration::zero();
        return;
    }
    if (!due()) return;
    const double spent = serverCpuSeconds - lastCpu_;
    const double estimated = std::chrono::duration<double>(pending_).count();
    const double measured = std::clamp(spent / estimated, 0.02, 3.0);
    // Smoothed: one window with a burst of other clients' work does not swing it.
    factor_ = 0.5 * factor_ + 0.5 * measured;
    lastCpu_ = serverCpuSeconds;
    pending_ = Pacer::Duration::zero();
}

Pacer::Duration CostCalibration::corrected(Pacer::Duration estimate) const {
    return std::chrono::duration_cast<Pacer::Duration>(estimate * factor_);
}

void CostCalibration::reset() { *this = CostCalibration{}; }

Pacer::Duration serverCost(Pacer::Duration wall, int roundTrips, Pacer::Duration baseline) {
    const Pacer::Duration net = baseline * roundTrips;
    return std::max(wall - net, wall / 10);
}

std::optional<double> serverCpuSeconds(std::string_view info) {
    const std::string sys = redis::infoField(info, "used_cpu_sys");
    const std::string user = redis::infoField(info, "used_cpu_user");
    if (sys.empty() || user.empty()) return std::nullopt;
    try {
        return std::stod(sys) + std::stod(user);
    } catch (const std::exception&) {
        return std::nullopt;  // not numbers: nothing to learn from it
    }
}

}  // namespace lockscope::monitor

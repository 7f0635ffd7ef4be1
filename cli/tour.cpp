// `lockscope-cli tour`: one lock of every strategy, shown as Redis holds it, then released.
// It is the first thing the README's run command shows a newcomer (with --sandbox).
#include <iomanip>
#include <ostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/session.h"
#include "locks/latch.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "util/text.h"

namespace lockscope::cli {

int tourCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    Parsed p = parseOptions(args, withGlobal({{"ttl", true}}), "tour");
    if (!p.positional.empty()) throw UsageError("'tour' takes no arguments");
    const std::chrono::milliseconds ttl(p.millis("ttl", 10000, 1));
    Session session(p, 3, err);
    session.requireWrites("'tour'");

    out << "LockScope tour on " << session.describe() << "\n"
        << "One lock of every strategy, as Redis holds it (TTL " << ttl.count() << " ms):\n\n"
        << std::left;
    int failures = 0;
    for (const auto& s : locks::lockStrategies()) {
        const std::string id(s.id);
        const std::string key = "lockscope:tour:" + id;
        try {
            if (s.kind == locks::LockKind::Latch) {
                // Nobody holds a latch: set it to 3, count down once, show it, open it.
                locks::CountDownLatch latch(session.lockContext(id));
                const bool set = latch.trySetCount(key, 3);
                if (set) latch.countDown(key);
                auto info = latch.inspect(key);
                out << std::setw(14) << id << key << "\n"
                    << std::setw(14) << ""
                    << "holder  " << (set ? displayBytes(info.holder) : "(busy: set by someone)")
                    << "\n"
                    << std::setw(14) << "" << info.detail << "\n";
                if (set)
                    while (latch.countDown(key) > 0) {}
                continue;
            }
            auto lock = locks::makeLockStrategy(id, session.lockContext(id));
            auto lease = lock->tryAcquire(key, ttl);
            auto info = lock->inspect(key);
            out << std::setw(14) << id << key << "\n"
                << std::setw(14) << ""
                << "holder  "
                << (lease ? displayBytes(info.holder) : "(busy: someone else holds it)") << "\n";
            std::string facts = info.ttl.count() == -1 ? "no TTL"
                                : info.ttl.count() >= 0
                                    ? "ttl " + std::to_string(info.ttl.count()) + " ms"
                                    : "";
            if (!info.detail.empty()) facts += "; " + info.detail;
            out << std::setw(14) << "" << facts << "\n";
            if (lease) lock->release(*lease);
        } catch (const redis::Error& e) {
            ++failures;
            out << std::setw(14) << id << "error: " << e.what() << "\n";
        }
    }
    out << "\nWhat goes wrong with each (the demos show it):\n";
    for (const auto& s : locks::lockStrategies())
        if (!s.hazard.empty()) out << "  " << std::setw(14) << s.id << s.hazard << "\n";
    out << "\nAll tour locks were released. Next: lockscope-cli --help\n";
    return failures ? kFailed : kOk;
}

}  // namespace lockscope::cli

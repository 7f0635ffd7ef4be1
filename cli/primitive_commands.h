// The CLI's side of the synchronisers: `lock acquire`'s --mode and --permits, `lock inspect` of a
// latch, and `lockscope-cli latch set|count-down|await` (latchCommand, commands.h).
//
// Thread contract: called on the CLI's one thread.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/session.h"
#include "locks/lock_strategy.h"

namespace lockscope::cli {

// `lock acquire`'s options for the synchronisers: --mode read|write (read-write only),
// --permits N (the semaphores' size when they are created). Throws UsageError when an option
// does not apply to `strategy`, and for `latch` (nothing acquires a latch).
std::vector<OptionSpec> primitiveAcquireOptions();
void applyPrimitiveOptions(const Parsed& p, const std::string& strategy, locks::LockContext& ctx);

// `lock inspect KEY --strategy latch`.
// --adopt-bare-count: read a bare integer as a Redisson RCountDownLatch (it keeps no record).
locks::LockInfo inspectLatch(const Session& session, const std::string& key, bool adoptBareCount);

}  // namespace lockscope::cli

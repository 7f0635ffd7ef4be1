// The readers-writers lesson (`demo lock --strategy read-write --fault readers-writers`): the same
// workers share one read-write lock while the share of reads grows (0 %, 50 %, 90 %, each for
// LockDemoOptions::phase), then at 90 % once more without writer preference (Redisson's policy).
// Readers inside together raise throughput; a writer must wait for every reader inside to leave —
// with writer preference new readers wait behind it, without they keep joining and the writer
// starves. Each operation holds the lock for LockDemoOptions::work; a writer also does a
// read-modify-write of an in-process value, so two writers inside at once would lose an update.
//
// Workers are threads (no faults need a process here), each with its own connection; the lock
// lives on target.nodes[0]. Results are LockDemoResult's, with one ReadShareRow per phase;
// the verdict is the fault table's row (readers-writers, read-write) plus the lesson's own checks.
//
// Thread contract: runReadersWritersDemo() runs on the caller's thread, starts and joins its
// workers; cancel through options.cancel. Throws redis::Error like runLockDemo().
#pragma once

#include "demo/lock_demo.h"

namespace lockscope::demo {

LockDemoResult runReadersWritersDemo(const LockDemoOptions& options);

// The verdict of a finished run from its counts and r.readShares (one row per phase, in the
// order 0 %, 50 %, 90 %, 90 % without writer preference): the fault table's row, the lesson's own
// checks (readers together, 90 % reads faster than writes only, a longer writers' wait without
// preference), and r.measuredOutcome worded from the figures — whether throughput grew at every
// step or only from writes only to 90 % reads. A pure function.
void judgeReadersWriters(LockDemoResult& r);

}  // namespace lockscope::demo

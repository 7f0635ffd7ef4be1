// failover-before-replication, the demo users ask for about Sentinel: a lock granted on a master
// that fails over before the write replicated is granted twice.
//
// A scripted, deterministic scenario (not a contention run): two lock clients, A and B, in this
// process, on a Sentinel topology the caller owns (DemoTarget::topology); the protected resource
// (protected_resource.h) on DemoTarget::nodes[0] counts what happens:
//
//   1. The replica is cut off from its master (CONFIG SET masterauth to a password that cannot
//      work, then CLIENT KILL TYPE master): writes on the master no longer reach it — as if the
//      link lagged — while it keeps answering the Sentinels, so it can still be promoted.
//   2. A takes the lock on the master and enters the resource (reads the value).
//      With LockDemoOptions::replicaAcks, A WAITs for the replica after SET: WAIT answers 0, A
//      gives the lock back and never enters.
//   3. SENTINEL FAILOVER: the replica is promoted; then its master password is put back.
//   4. B asks the new master for the same lock: granted, since it never saw A's — B enters while A
//      is inside (a violation), increments and leaves.
//   5. A writes the value it read before the failover (B's increment is lost) and releases on the
//      old master, which Sentinel has not demoted yet.
//
// Thread contract: runs on the caller's thread, blocking (~2 s: the failover); must be called from
// the thread that owns the topology (it does not restart processes, but the topology's contract
// applies). Throws like runLockDemo(). Before it returns or throws, the replica's masterauth is put
// back and the demo's keys are deleted from the resource node and from every data node of the
// topology.
#pragma once

#include "demo/lock_demo.h"

namespace lockscope::demo {

LockDemoResult runFailoverDemo(const LockDemoOptions& options);

}  // namespace lockscope::demo

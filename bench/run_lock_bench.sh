#!/usr/bin/env bash
# Runs bench/lock_bench pinned, against 3 redis-servers it starts itself (and kills by pid).
#
#   bench/run_lock_bench.sh [same|split] [lock_bench args...]
#
#   same   server(s) and client on CPU 0 (the reported configuration: no cross-CPU wake-ups,
#          the steadiest figures on this VM, see README.md#benchmarks)
#   split  server(s) on CPU 0, client on CPU 1
#
# Builds with the `bench` preset (Release) unless LOCK_BENCH points at a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PIN="${1:-same}"
[[ $# -gt 0 ]] && shift
source bench/lib.sh
set_pinning "$PIN" || { echo "usage: $0 [same|split] [lock_bench args...]" >&2; exit 2; }

BIN="$(bench_binary lock_bench "${LOCK_BENCH:-}")"
[[ -x "$BIN" ]] || { echo "no lock_bench at $BIN" >&2; exit 1; }

NODES=""
for _ in 1 2 3; do
    start_server
    NODES="${NODES:+$NODES,}127.0.0.1:$STARTED_PORT"
done

taskset -c "$CLIENT_CPU" "$BIN" --nodes "$NODES" \
    --pinning "$PIN (redis-servers on CPU $SERVER_CPU, client on CPU $CLIENT_CPU; $(redis-server --version | cut -d' ' -f3))" \
    "$@"

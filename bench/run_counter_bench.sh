#!/usr/bin/env bash
# Runs bench/counter_bench pinned, against a redis-server it starts itself (and kills by pid).
#
#   bench/run_counter_bench.sh [same|split] [counter_bench args...]
#
#   same   server and client (and redis-benchmark) on CPU 0: no cross-CPU wake-ups, the steadiest
#          figures on this VM (README.md#benchmarks)
#   split  server on CPU 0, client and redis-benchmark on CPU 1
#
# Builds with the `bench` preset (Release) unless COUNTER_BENCH points at a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PIN="${1:-same}"
[[ $# -gt 0 ]] && shift
source bench/lib.sh
set_pinning "$PIN" || { echo "usage: $0 [same|split] [counter_bench args...]" >&2; exit 2; }

BIN="$(bench_binary counter_bench "${COUNTER_BENCH:-}")"
[[ -x "$BIN" ]] || { echo "no counter_bench at $BIN" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is not in PATH" >&2; exit 1; }

start_server

taskset -c "$CLIENT_CPU" "$BIN" --port "$STARTED_PORT" \
    --pinning "$PIN (redis-server on CPU $SERVER_CPU, client and redis-benchmark on CPU $CLIENT_CPU; $(redis-server --version | cut -d' ' -f3))" \
    "$@"

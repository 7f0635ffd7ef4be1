#!/usr/bin/env bash
# Monitor engine benchmarks against a pinned redis-server it starts itself (killed by pid).
#
#   bench/run_monitor_bench.sh inventory [--keys N] [--rounds R]
#   bench/run_monitor_bench.sh storm [--requests N]
#   bench/run_monitor_bench.sh budget [--keys N] [--budget PERCENT] [--steady S]
#
# Pinning "split": redis-server on CPU 0, monitor_bench on CPU 1 (the floor — a bare SCAN loop —
# runs in the same process under the same pinning). In `storm`, redis-benchmark shares CPU 0
# with the server, as a load generator on the server's machine would.
# Builds with the `bench` preset (Release) unless MONITOR_BENCH points at a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-inventory}"
[[ $# -gt 0 ]] && shift
source bench/lib.sh
BIN="$(bench_binary monitor_bench "${MONITOR_BENCH:-}")"
SERVER_CPU=0
if [[ "$MODE" == budget ]]; then
    # Notifications off (Redis's default; the benchmark turns them on for its second half), and
    # DEBUG POPULATE to fill 1M keys in a second.
    start_server --notify-keyspace-events '' --enable-debug-command local
else
    start_server --notify-keyspace-events KEA
fi
echo "monitor_bench $MODE: redis-server $(redis-server --version | cut -d' ' -f3) on CPU 0, client on CPU 1"
case "$MODE" in
    inventory) taskset -c 1 "$BIN" inventory --port "$STARTED_PORT" "$@" ;;
    storm) taskset -c 1 "$BIN" storm --port "$STARTED_PORT" "$@" ;;
    budget) taskset -c 1 "$BIN" budget --port "$STARTED_PORT" "$@" ;;
    *) echo "usage: $0 inventory|storm|budget [options]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# The dashboard under a notification storm: the real MainWindow follows a pinned redis-server
# (started here, killed by pid) while redis-benchmark SETs lock keys; see bench/gui_bench.cpp.
#
#   bench/run_gui_bench.sh [offscreen|xvfb] [gui_bench args: --requests N --clients C --pipeline P --keys K]
#   bench/run_gui_bench.sh [offscreen|xvfb] --inventory K   (K lock keys, then the first inventory:
#                                                          time until the Locks table has them all)
#
#   offscreen  Qt's offscreen platform (raster painting into memory, no display server): the default
#   xvfb       the xcb platform under xvfb-run (an X server in memory: adds the X11 round trips)
#
# Pinning "split": redis-server and redis-benchmark on CPU 0 (a load generator next to the server),
# the dashboard process — GUI thread and monitor engine threads — on CPU 1.
# Builds with the `bench` preset (Release) unless GUI_BENCH points at a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PLATFORM="${1:-offscreen}"
[[ $# -gt 0 ]] && shift
source bench/lib.sh
BIN="$(bench_binary gui_bench "${GUI_BENCH:-}")"
[[ -x "$BIN" ]] || { echo "no gui_bench at $BIN" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "redis-benchmark is not in PATH" >&2; exit 1; }

SERVER_CPU=0
start_server --notify-keyspace-events KEA
echo "gui_bench ($PLATFORM): redis-server $(redis-server --version | cut -d' ' -f3) and redis-benchmark on CPU 0, dashboard on CPU 1"
case "$PLATFORM" in
    offscreen) QT_QPA_PLATFORM=offscreen taskset -c 1 "$BIN" --port "$STARTED_PORT" "$@" ;;
    xvfb)
        command -v xvfb-run >/dev/null || { echo "xvfb-run is not installed (apt-get install xvfb xauth)" >&2; exit 1; }
        QT_QPA_PLATFORM=xcb taskset -c 1 xvfb-run -a -s "-screen 0 1400x900x24" "$BIN" --port "$STARTED_PORT" "$@" ;;
    *) echo "usage: $0 [offscreen|xvfb] [gui_bench args...]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Issue 17.3: the long safety run of every safe lock strategy under random faults, each with its
# history checked offline (bench/safety_run.cpp explains the history and the checks).
#
#   bench/run_safety.sh                  # 1,000,000 acquisitions per strategy (hours; run niced)
#   bench/run_safety.sh --short          # CI: 1,500 per strategy with faults every ~0.4 s
#   ACQUISITIONS=200000 STRATEGIES="set-nx-px fenced" bench/run_safety.sh
#
# SAFETY_RUN: the binary (default build/ci/bench/safety_run); SAFETY_DIR: where the histories go
# (default build/safety). Exit 1 when any strategy's history shows an unexplained overlap, a fenced
# write out of order or an unexplained lost update.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${SAFETY_RUN:-build/ci/bench/safety_run}"
DIR="${SAFETY_DIR:-build/safety}"
[[ -x "$BIN" ]] || { echo "no safety_run at $BIN (cmake --build --preset ci --target safety_run)" >&2; exit 2; }
STRATEGIES="${STRATEGIES:-set-nx-px fenced redlock reentrant heartbeat setnx-expire setnx-getset}"
if [[ "${1:-}" == "--short" ]]; then
    ARGS=(--acquisitions "${ACQUISITIONS:-1500}" --ttl-ms 300 --fault-every-ms 400 --workers 4 --keys 2)
    STRATEGIES="${STRATEGIES_SHORT:-set-nx-px fenced redlock}"
else
    ARGS=(--acquisitions "${ACQUISITIONS:-1000000}" --ttl-ms "${TTL_MS:-1000}"
          --fault-every-ms "${FAULT_EVERY_MS:-3000}" --workers "${WORKERS:-8}" --keys "${KEYS:-4}")
fi
status=0
for s in $STRATEGIES; do
    "$BIN" run --strategy "$s" --history "$DIR/$s" "${ARGS[@]}" || status=1
done
exit $status

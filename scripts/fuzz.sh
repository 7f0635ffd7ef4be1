#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz": clang, ASan + UBSan) and runs each of them.
#   scripts/fuzz.sh                  # CI: every target, a bounded number of runs (FUZZ_RUNS, 20000)
#   scripts/fuzz.sh --time 3600      # long: each target for that many seconds
#   scripts/fuzz.sh --time 600 fuzz_url   # one target
# Each run starts from the seed corpus in fuzz/corpus/<target>/ and keeps what it finds in
# build/fuzz/corpus/<target>/; a crash is written to build/fuzz/crashes/ and fails the script.
# A fixed crash goes into fuzz/corpus/<target>/ (replayed on every run) and gets a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=""
if [ "${1:-}" = "--time" ]; then
    seconds="$2"
    shift 2
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_url fuzz_text fuzz_classifier fuzz_cli_options fuzz_rules fuzz_json)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

out=build/fuzz
mkdir -p "$out/crashes"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
printf '%-18s %12s %8s %8s %8s\n' target executions seconds cov features
for t in "${targets[@]}"; do
    work="$out/corpus/$t"
    mkdir -p "$work"
    limit=(-runs="${FUZZ_RUNS:-20000}")
    [ -n "$seconds" ] && limit=(-max_total_time="$seconds")
    log="$out/$t.log"
    start=$(date +%s)
    if ! "$out/fuzz/$t" "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/crashes/$t-" -print_final_stats=1 \
        "$work" "fuzz/corpus/$t" >"$log" 2>&1; then
        echo "$t: FAILED — see $log and $out/crashes/" >&2
        grep -m5 -E "invariant violated|ERROR: |runtime error" "$log" >&2 || tail -20 "$log" >&2
        status=1
        continue
    fi
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo "?")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
    printf '%-18s %12s %8s %8s %8s\n' "$t" "$runs" "$(($(date +%s) - start))" "$cov" "$ft"
done
exit $status

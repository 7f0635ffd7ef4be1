#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: install what is missing, build with
# warnings as errors (CMake preset "ci"), check the formatting, run every test with CTest.
#   scripts/test.sh            # the same command CI runs (.ci/run)
#   PRESET=asan scripts/test.sh  # AddressSanitizer + UndefinedBehaviorSanitizer
# With the default preset it then runs every libFuzzer target briefly (scripts/fuzz.sh) and the
# chaos soak's short mode (bench/chaos_soak.sh --short, about 3 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET="${PRESET:-ci}"

scripts/deps.sh
scripts/check-format.sh
cmake --preset "$PRESET"
cmake --build --preset "$PRESET" -j "$(nproc)"
ctest --preset "$PRESET" -j "$(nproc)" "$@"
if [ "$PRESET" = ci ]; then
    scripts/fuzz.sh
    # The chaos soak's short mode (issue 17): the window and watch follow a Sentinel group through
    # a minute of faults and two failovers; exit 1 on a crash, an unfollowed failover or a final
    # state that differs from a fresh read.
    bench/chaos_soak.sh --short
fi

#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: install what is missing, build with
# warnings as errors (CMake preset "ci"), check the formatting, run every test with CTest.
#   scripts/test.sh            # the same command CI runs (.ci/run)
#   PRESET=asan scripts/test.sh  # AddressSanitizer + UndefinedBehaviorSanitizer
# With the default preset it then runs every libFuzzer target briefly (scripts/fuzz.sh).
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
fi

#!/usr/bin/env bash
# ThreadSanitizer over the whole test suite, GUI tests included (offscreen), so it stays green.
#   scripts/tsan.sh                # configure + build the `tsan` preset, run every test
#   scripts/tsan.sh -R test_monitor   # extra arguments go to ctest
# Suppressions: scripts/tsan.supp — only reports whose every frame is inside uninstrumented Qt
# (its futex-based QWaitCondition / QMutex that TSan cannot see); never one with a LockScope frame.
# A report fails the test (halt_on_error); the logs go to build/tsan/tsan-logs/.
# Waits and timeouts: the tsan build stretches the tests' waits, their ctest TIMEOUTs and Qt Test's
# function watchdog by one factor (20; tests/CMakeLists.txt), as TSan runs our code 2-50x slower;
# LOCKSCOPE_TEST_TIME_SCALE=<n> in the environment overrides it for the waits.
# Builds take the lock other engineers use when BUILD_LOCK names it (flock), e.g.
#   BUILD_LOCK=/work/wt/.build.lock scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset tsan >/dev/null
if [[ -n "${BUILD_LOCK:-}" ]]; then
    nice -n 5 flock "$BUILD_LOCK" cmake --build --preset tsan -j "$(nproc)"
else
    cmake --build --preset tsan -j "$(nproc)"
fi
mkdir -p build/tsan/tsan-logs
rm -f build/tsan/tsan-logs/*
# second_deadlock_stack: both stacks of a lock-order report; log_path: one file per process (the
# tests start CLI and worker processes too), checked below as well as by each test's exit code.
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan.supp halt_on_error=1 second_deadlock_stack=1 history_size=4 log_path=$PWD/build/tsan/tsan-logs/tsan"
status=0
# --timeout: only for a test registered without its own TIMEOUT (each lockscope_add_test has one).
ctest --preset tsan -j "${JOBS:-2}" --timeout 900 "$@" || status=1
if compgen -G "build/tsan/tsan-logs/tsan*" >/dev/null; then
    echo "ThreadSanitizer reports:" >&2
    grep -h -A3 "WARNING: ThreadSanitizer" build/tsan/tsan-logs/tsan* | head -80 >&2
    status=1
fi
exit $status

#!/usr/bin/env bash
# Install what is missing, build, and run LockScope on its embedded sandbox redis-server.
#   scripts/run.sh            # the tour of every lock strategy on a throwaway server
#   scripts/run.sh lock --help  # any other lockscope-cli command, also on the sandbox
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target lockscope-cli
if [ $# -eq 0 ]; then set -- tour; fi
exec build/dev/app/lockscope-cli --sandbox "$@"

#!/usr/bin/env bash
# Install what is missing, build, and start the LockScope dashboard on its embedded sandbox
# redis-server (with demo traffic). Arguments go to the dashboard: scripts/run.sh --url redis://...
# Without a display it runs lockscope-cli instead: `watch` on the servers the arguments name, or
# the tour on a sandbox when there are none.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target lockscope lockscope-cli
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "(For the dashboard without a screen: xvfb-run -a build/dev/app/lockscope $*)" >&2
    if [ $# -eq 0 ]; then
        echo "No display found: showing the command-line tour instead." >&2
        exec build/dev/app/lockscope-cli --sandbox tour
    fi
    # The dashboard's options (--url, --nodes, TLS, SSH) are lockscope-cli's too: follow the same
    # servers in the terminal. Watching only reads, so --read-only has nothing left to do.
    args=()
    for a in "$@"; do [ "$a" = --read-only ] || args+=("$a"); done
    echo "No display found: following them with lockscope-cli watch instead." >&2
    exec build/dev/app/lockscope-cli "${args[@]}" watch
fi
exec build/dev/app/lockscope "$@"

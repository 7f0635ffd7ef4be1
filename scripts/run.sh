#!/usr/bin/env bash
# Install what is missing, build, and start the LockScope dashboard on its embedded sandbox
# redis-server (with demo traffic). Arguments go to the dashboard: scripts/run.sh --url redis://...
# Without a display it runs the command-line tour on the sandbox instead.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --target lockscope lockscope-cli
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: showing the command-line tour instead." >&2
    echo "(For the dashboard without a screen: xvfb-run -a build/dev/app/lockscope)" >&2
    exec build/dev/app/lockscope-cli --sandbox tour
fi
exec build/dev/app/lockscope "$@"

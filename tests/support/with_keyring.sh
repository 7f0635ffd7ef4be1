#!/usr/bin/env bash
# Runs a test binary inside its own D-Bus session with a GNOME keyring (a real Secret Service)
# unlocked in a throwaway data directory, so the dashboard's keychain paths run for real on a
# headless machine. Usage: with_keyring.sh TEST_BINARY [ARGS...]
# Exit 77 (ctest: skipped) when dbus-run-session or gnome-keyring-daemon is missing.
set -euo pipefail
command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "with_keyring.sh: dbus-run-session and gnome-keyring-daemon are needed (scripts/deps.sh)" >&2
    exit 77
}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export XDG_DATA_HOME="$data" XDG_CONFIG_HOME="$data/config"
exec dbus-run-session -- bash -c '
    # The keyring daemon answers on the session bus; a new login keyring gets this password.
    printf keyring-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' with_keyring "$@"

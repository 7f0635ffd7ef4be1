#!/usr/bin/env bash
# Installs the Debian 12 packages LockScope needs, if any are missing (help2man, appstream, file,
# dpkg-dev and man-db: the Debian package, scripts/package.sh and its test).
# As root it runs apt-get; otherwise it prints the exact command to run and exits 1.
set -euo pipefail

PACKAGES=(
    build-essential cmake ninja-build pkg-config clang-format
    qt6-base-dev libgl-dev libxcb1-dev
    # Translations: lupdate/lrelease and their CMake package (qt_add_translations), Qt's own
    # qtbase_zh_CN.qm for its dialogs, and a CJK font so Chinese text has glyphs.
    qt6-tools-dev qt6-l10n-tools qt6-translations-l10n fonts-noto-cjk
    libhiredis-dev
    libssl-dev
    nlohmann-json3-dev
    libqcustomplot-dev
    qtkeychain-qt6-dev gnome-keyring dbus-daemon
    redis-server redis-sentinel redis-tools
    openssl openssh-client openssh-server
    xvfb xauth imagemagick
    clang libclang-rt-14-dev
    help2man appstream file dpkg-dev man-db
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "LockScope needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be empty or stale: update once, then install.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The redis-server package may start a system instance on 6379 where systemd runs; LockScope
# never uses it (every test and the sandbox start their own servers on free ports).

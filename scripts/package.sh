#!/usr/bin/env bash
# Builds the Debian package: dist/lockscope_<version>_<arch>.deb, from a clean clone in one
# command (it installs the build dependencies first, as root; see scripts/deps.sh).
#   scripts/package.sh && sudo apt install ./dist/lockscope_*.deb
# Builds only the two programs and their man pages (preset "ci": optimised, warnings are
# errors), not the test suite; the binaries are stripped in the package.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci --target lockscope lockscope-cli lockscope-man
rm -rf build/ci/package
cpack --config build/ci/CPackConfig.cmake -B build/ci/package
mkdir -p dist
for deb in build/ci/package/lockscope_*.deb; do
    mv -f "$deb" dist/
    echo "dist/$(basename "$deb")"
done

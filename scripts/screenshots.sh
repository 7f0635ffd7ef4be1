#!/usr/bin/env bash
# The README's screenshots: the real dashboard under Xvfb (X11 platform, a 1400x900 screen),
# driven through its views by tests/ui/screenshot_tour, each picture grabbed from the X server
# with ImageMagick's `import`. Writes docs/screenshots/*.png (or DIR).
#   scripts/screenshots.sh [DIR]
#   LANG=zh_CN.UTF-8 scripts/screenshots.sh DIR    # the same views in Simplified Chinese
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$(realpath -m "${1:-docs/screenshots}")"
scripts/deps.sh
cmake --preset ci >/dev/null
cmake --build --preset ci --target screenshot_tour lockscope-cli
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" \
    build/ci/tests/ui/screenshot_tour "$DIR" "$PWD/build/ci/app/lockscope-cli"

#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what .clang-format makes of it (clang-format 14,
# Debian 12). `scripts/check-format.sh --fix` reformats instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.h' 2>/dev/null || find core cli ui app tests bench -name '*.cpp' -o -name '*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/lockscope-format.$$; then
    grep -m 20 'error:' /tmp/lockscope-format.$$ >&2 || true
    rm -f /tmp/lockscope-format.$$
    echo "Formatting differs from .clang-format: run scripts/check-format.sh --fix" >&2
    exit 1
fi
rm -f /tmp/lockscope-format.$$

#!/usr/bin/env bash
# Builds the Debian package from this build tree (as scripts/package.sh does), then checks what a
# user gets: the file name, the control fields, the files, and that the unpacked programs, man
# pages, AppStream file and bash completion work.
#   check_package.sh BUILD_DIR CPACK VERSION
set -euo pipefail
build="$1" cpack="$2" version="$3"
arch="$(dpkg --print-architecture)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --build "$build" --target lockscope lockscope-cli lockscope-man >"$work/build.log" 2>&1 ||
    { cat "$work/build.log"; fail "could not build the programs and man pages"; }
"$cpack" --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$work/out/lockscope_${version}_${arch}.deb"
[ -f "$deb" ] || { ls "$work/out"; fail "no $(basename "$deb")"; }

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = lockscope ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
# dpkg-shlibdeps computed the libraries (a hand-written list would miss one).
depends="$(field Depends)"
for lib in libc6 libqt6widgets6 libhiredis libssl3 libqcustomplot libqt6keychain; do
    grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
recommends="$(field Recommends)"
for p in redis-server redis-sentinel redis-tools; do
    grep -qw "$p" <<<"$recommends" || fail "Recommends lacks $p: $recommends"
done

dpkg-deb -c "$deb" | awk '{print $NF}' >"$work/contents"
for f in ./usr/bin/lockscope ./usr/bin/lockscope-cli \
    ./usr/share/applications/lockscope.desktop \
    ./usr/share/icons/hicolor/scalable/apps/lockscope.svg \
    ./usr/share/icons/hicolor/256x256/apps/lockscope.png \
    ./usr/share/metainfo/io.github.lockscope.lockscope.metainfo.xml \
    ./usr/share/man/man1/lockscope.1.gz ./usr/share/man/man1/lockscope-cli.1.gz \
    ./usr/share/bash-completion/completions/lockscope-cli ./usr/share/doc/lockscope/copyright; do
    grep -qxF "$f" "$work/contents" || fail "the package lacks $f"
done
# Nothing of the build tree leaks in (static libraries, test programs, headers).
if grep -E '\.a$|/include/|test_' "$work/contents"; then fail "unexpected files in the package"; fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
cli="$root/usr/bin/lockscope-cli"
[ "$("$cli" --version)" = "lockscope-cli $version" ] || fail "lockscope-cli --version: $("$cli" --version)"
[ "$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/lockscope" --version)" = "lockscope $version" ] ||
    fail "lockscope --version"
# A real command against a real (sandbox) redis-server, from the unpacked tree.
out="$("$cli" --sandbox lock acquire pkg:lock --strategy set-nx-px --ttl 5000 2>"$work/err")" ||
    { cat "$work/err"; fail "lock acquire from the unpacked tree"; }
[ -n "$out" ] || fail "lock acquire printed no token"

# The man pages render without troff warnings and describe the program.
for prog in lockscope lockscope-cli; do
    page="$root/usr/share/man/man1/$prog.1.gz"
    text="$(MANWIDTH=80 man --warnings -l "$page" 2>"$work/man.err")"
    [ ! -s "$work/man.err" ] || { cat "$work/man.err"; fail "man $prog warns"; }
    grep -q "$prog" <<<"$text" || fail "man $prog does not name it"
    ! zgrep -qF '???' "$page" || fail "man $prog has text help2man could not decode"
done
MANWIDTH=80 man -l "$root/usr/share/man/man1/lockscope-cli.1.gz" 2>/dev/null | grep -q "force-release" ||
    fail "man lockscope-cli lacks the commands"

appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.lockscope.lockscope.metainfo.xml" \
    >"$work/as.log" 2>&1 || { cat "$work/as.log"; fail "appstreamcli validate"; }

# Completion, as bash would call it, with the unpacked program first on PATH.
complete_words() {
    PATH="$root/usr/bin:$PATH" bash -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _lockscope_cli; printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$root/usr/share/bash-completion/completions/lockscope-cli" "$@"
}
expect() {  # expect WORD -- COMPLETION WORDS...
    local want="$1"; shift 2
    # grep reads every line (-q would stop at the match, and pipefail took the SIGPIPE as a miss)
    complete_words "$@" | grep -xF -- "$want" >/dev/null || fail "completing '$*' does not offer $want"
}
expect locks -- lockscope-cli lo
expect topology -- lockscope-cli --url redis://h to
expect force-release -- lockscope-cli lock f
expect redlock -- lockscope-cli lock acquire k --strategy re
expect reentrant -- lockscope-cli lock acquire k --strategy re
expect lua -- lockscope-cli demo counter --strategy l
expect pause-holder -- lockscope-cli demo lock --strategy set-nx-px --fault p
expect sentinel -- lockscope-cli topology s
expect --json -- lockscope-cli counters --j
# Issue 14's commands and options (missing from the completion until issue 15's package check).
expect latch -- lockscope-cli la
expect count-down -- lockscope-cli latch c
expect --count -- lockscope-cli latch set k --c
expect read -- lockscope-cli lock acquire k --strategy read-write --mode r
expect --permits -- lockscope-cli lock acquire k --strategy semaphore --p
echo "package OK: $(basename "$deb"), $(wc -l <"$work/contents") entries"

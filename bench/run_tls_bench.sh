#!/usr/bin/env bash
# The set-nx-px lock cycle over TLS beside `redis-benchmark --tls -c 1 -t set`, in the same run
# and under the same pinning, against one pinned TLS redis-server it starts itself (certificates
# made with openssl in its temp dir; killed by pid on exit).
#
#   bench/run_tls_bench.sh [same|split] [rounds]
#
# A lock cycle is two round trips (SET NX PX, then EVALSHA compare-and-delete), one redis-benchmark
# SET is one: the ratio is 2 x cycles/s over SETs/s, per round, and the median is reported
# (goal >= 0.9). The two alternate round by round (which goes first alternates too).
# Builds with the `bench` preset (Release) unless TLS_BENCH points at a built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

PIN="${1:-same}"
ROUNDS="${2:-9}"
source bench/lib.sh
set_pinning "$PIN" || { echo "usage: $0 [same|split] [rounds]" >&2; exit 2; }
BIN="$(bench_binary tls_bench "${TLS_BENCH:-}")"
[[ -x "$BIN" ]] || { echo "no tls_bench at $BIN" >&2; exit 1; }

PKI="$TMP/pki"
mkdir -p "$PKI"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$PKI/ca.key" \
    -out "$PKI/ca.crt" -days 2 -subj "/CN=Bench CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$PKI/server.key" \
    -out "$PKI/server.csr" -subj "/CN=localhost" 2>/dev/null
echo "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$PKI/ext"
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/server.crt" -days 2 -extfile "$PKI/ext" 2>/dev/null

TLS_PORT=$((21000 + RANDOM % 20000))
start_server --tls-port "$TLS_PORT" --tls-cert-file "$PKI/server.crt" \
    --tls-key-file "$PKI/server.key" --tls-ca-cert-file "$PKI/ca.crt" --tls-auth-clients no

echo "tls_bench  pinning: $PIN (redis-server on CPU $SERVER_CPU, clients on CPU $CLIENT_CPU;" \
    "$(redis-server --version | cut -d' ' -f3), $(openssl version | cut -d' ' -f1-2))"
printf "%-6s %14s %14s %8s\n" round "SET/s (rb)" "cycles/s" ratio
RATIOS=()
for r in $(seq 1 "$ROUNDS"); do
    bench_set() {
        taskset -c "$CLIENT_CPU" redis-benchmark --tls --cacert "$PKI/ca.crt" -h 127.0.0.1 \
            -p "$TLS_PORT" -c 1 -t set -n 20000 --csv | awk -F'"' '/^"SET"/ {print $4}'
    }
    bench_lock() {
        taskset -c "$CLIENT_CPU" "$BIN" --url "rediss://127.0.0.1:$TLS_PORT" \
            --cacert "$PKI/ca.crt" --ms 1000
    }
    if ((r % 2)); then
        SETS="$(bench_set)"
        CYCLES="$(bench_lock)"
    else
        CYCLES="$(bench_lock)"
        SETS="$(bench_set)"
    fi
    RATIO="$(awk -v c="$CYCLES" -v s="$SETS" 'BEGIN {printf "%.3f", 2 * c / s}')"
    RATIOS+=("$RATIO")
    printf "%-6s %14s %14s %8s\n" "$r" "$SETS" "$CYCLES" "$RATIO"
done
MEDIAN="$(printf "%s\n" "${RATIOS[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')"
echo "median ratio (2 x cycles/s per SET/s, per round trip): $MEDIAN (goal >= 0.9)"

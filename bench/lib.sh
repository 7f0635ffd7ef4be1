# Shared by the bench/run_*.sh scripts: pinned throwaway redis-servers, killed by pid on exit.
# Set SERVER_CPU before calling start_server; it sets STARTED_PORT. Extra arguments go to
# redis-server. BENCH_PORT_MIN / BENCH_PORT_SPAN narrow the ports tried (default 21000 + 20000).
TMP="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

# Starts one pinned redis-server on a free loopback port; prints the port. `taskset` execs the
# server, so $! is the server's own pid.
start_server() {
    local port pid dir
    for _ in $(seq 1 30); do
        port=$((${BENCH_PORT_MIN:-21000} + RANDOM % ${BENCH_PORT_SPAN:-20000}))
        dir="$TMP/$port"
        mkdir -p "$dir"
        taskset -c "$SERVER_CPU" redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
            --save '' --appendonly no --daemonize no --logfile "$dir/redis.log" "$@" &
        pid=$!
        for _ in $(seq 1 100); do
            if [[ "$(redis-cli -p "$port" ping 2>/dev/null)" == PONG ]]; then
                PIDS+=("$pid")
                STARTED_PORT="$port"
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break  # port taken: try another
            sleep 0.05
        done
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "could not start redis-server" >&2
    exit 1
}


# set_pinning same|split: "same" puts server and client on CPU 0 (no cross-CPU wake-ups, the
# steadiest figures on this VM, see README.md#benchmarks); "split" puts the client on CPU 1.
set_pinning() {
    case "$1" in
        same) SERVER_CPU=0 CLIENT_CPU=0 ;;
        split) SERVER_CPU=0 CLIENT_CPU=1 ;;
        *) return 1 ;;
    esac
}

# bench_binary TARGET [PATH]: PATH if given (a binary built elsewhere), else TARGET built with the
# `bench` preset (Release). Prints the binary's path.
bench_binary() {
    local target="$1" given="${2:-}"
    if [[ -n "$given" ]]; then
        echo "$given"
        return
    fi
    cmake --preset bench >/dev/null
    cmake --build --preset bench --target "$target" >/dev/null
    echo "build/bench/bench/$target"
}

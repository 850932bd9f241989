# What the benchmarks share (sourced, not run): a temporary directory, a redis-server and an
# optgated of their own on free loopback ports, stopped by pid however the script ends.
#
#   bench_start_redis                 sets redis_port
#   bench_start_daemon CONFIG_YAML    sets port and daemon_pid ({redis_port} and {work} already
#                                     expanded)
#   bench_wait_ready                  waits until the daemon's /readyz says ready (10 s at most)
#   bench_key_sha256 KEY              the sha256 line's value for api_keys:
#   bench_profile_start / _stop       with BENCH_PERF=FILE set, perf records the daemon (with
#                                     call graphs) in between; without it, they do nothing
set -euo pipefail
cd "$(dirname "$0")/.."
daemon=${OPTGATE_BUILD_DIR:-build}/daemon/optgated
[[ -x "$daemon" ]] || { echo "bench: build first (tools/build)" >&2; exit 1; }

work=$(mktemp -d /tmp/optgate-bench-XXXXXX)
pids=()
bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap bench_cleanup EXIT

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

bench_start_redis() {
  redis_port=$(bench_free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
    --daemonize no --logfile "$work/redis.log" &
  pids+=($!)
  for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
}

bench_key_sha256() {
  printf %s "$1" | sha256sum | cut -d' ' -f1
}

bench_start_daemon() {
  printf '%s\n' "$1" > "$work/optgate.yaml"
  "$daemon" --config "$work/optgate.yaml" 2> "$work/optgated.log" &
  daemon_pid=$!
  pids+=("$daemon_pid")
  port=""
  for _ in $(seq 200); do
    port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/optgated.log" | grep -o '[0-9]*$' || true)
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { echo "bench: optgated did not start:"; cat "$work/optgated.log"; exit 1; }
}

bench_wait_ready() {
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "bench: optgated is not ready:"; cat "$work/optgated.log"; exit 1
}

bench_profile_start() {
  [[ -n "${BENCH_PERF:-}" ]] || return 0
  perf record -g -F 1999 -o "$BENCH_PERF" -p "$daemon_pid" 2> "$work/perf.log" &
  perf_pid=$!
  sleep 0.5  # perf attaches before the measured requests
}

bench_profile_stop() {
  [[ -n "${perf_pid:-}" ]] || return 0
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  perf_pid=""
  echo "bench: perf profile of optgated in $BENCH_PERF (perf report -i $BENCH_PERF --no-children)"
}

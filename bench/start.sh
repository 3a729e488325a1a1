#!/usr/bin/env bash
# make bench-start: how soon the gateway is ready. For each way of starting it, BENCH_STARTS (7) starts
# of target/hookgate.jar with conf/hookgate.yaml (a fresh store each time, port 0), timed from the
# launch to the first 200 of GET /health; prints each time and the median, and writes
# bench/results/start.md. Ways: "java -jar" (plain) and "make run" (its JVM options: the AppCDS archive
# target/hookgate.jsa that make builds with the jar).
set -euo pipefail
cd "$(dirname "$0")/.."
starts=${BENCH_STARTS:-7}
jar=target/hookgate.jar
archive=target/hookgate.jsa
[ -f "$jar" ] && [ -f "$archive" ] || { echo "run make jar first (it makes $jar and $archive)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# one start: prints the milliseconds from launch to /health 200, then stops the gateway (SIGTERM)
start_once() {
  local log="$work/gateway.log" port="" t0 t1 pid
  rm -rf "$work/data" "$log"
  t0=$(date +%s%N)
  HOOKGATE_HTTP_PORT=0 HOOKGATE_HTTP_HOST=127.0.0.1 HOOKGATE_STORE_PATH="$work/data/hookgate.db" \
    java "$@" -jar "$jar" --config conf/hookgate.yaml >"$log" 2>&1 &
  pid=$!
  while :; do
    if [ -z "$port" ] && [ -f "$log" ]; then
      port=$(sed -n 's/.* listening on [^:]*:\([0-9]*\) .*/\1/p' "$log")
    fi
    if [ -n "$port" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/health"; then
      t1=$(date +%s%N)
      break
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "the gateway exited" >&2; exit 1; }
    sleep 0.01
  done
  kill -TERM "$pid"
  wait "$pid" || true
  echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

report="bench/results/start.md"
mkdir -p bench/results
{
  echo "# Start to ready (GET /health 200), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| how | median ms | each start, ms |"
  echo "|---|---|---|"
} >"$report"
for way in plain make-run; do
  case "$way" in
    plain) opts=() ; label='`java -jar target/hookgate.jar`' ;;
    make-run) opts=("@conf/jvm.options" "-XX:SharedArchiveFile=$archive") ; label='`make run` (conf/jvm.options, AppCDS archive)' ;;
  esac
  start_once "${opts[@]}" >/dev/null   # a first start: the OS's file cache
  times=()
  for _ in $(seq 1 "$starts"); do times+=("$(start_once "${opts[@]}")"); done
  med=$(printf '%s\n' "${times[@]}" | median)
  echo "$way: median ${med} ms (${times[*]})"
  echo "| $label | $med | ${times[*]} |" >>"$report"
done
echo "results in $report"

#!/usr/bin/env bash
# hookgate load benchmark (issue 9): the gateway (fat jar) side by side with four baseline Vert.x
# servers, in one run, on the same machine, everything on 127.0.0.1, load from wrk.
#
#   make bench            (or bench/run.sh from the repo root or anywhere; about 10-12 minutes)
#
# Baselines (dev.hookgate.bench.Baseline, src/test/java, not in the jar; one process each, started
# for its own runs and stopped after; same number of event loops as the gateway):
#   bare             parses the Mattermost form and answers the ack JSON (hooks: the JSON, "ok");
#   durable          the same plus ONE group-committed INSERT into SQLite (WAL, synchronous=FULL,
#                    one writer thread, one transaction per batch) before it answers;
#   bare-forward     bare, then POSTs the reply JSON to the command's response_url (Vert.x WebClient,
#                    no store, no retry);
#   durable-forward  bare-forward plus the INSERT before the ack and an UPDATE once the reply is
#                    delivered, on the same writer (dev.hookgate.bench.GroupCommitWriter).
# The sink (dev.hookgate.bench.Sink) plays the chat server: every command's response_url points at
# it (each request its own id, so every reply is counted per wrk run), and so do the hooks'
# destinations (messages counted per destination, lines of coalesced posts too).
#
# Figures (each process first warmed up: rounds of BENCH_WARMUP_ROUND until one's rate is within
# 10 % of the one before, at most BENCH_WARMUP_MAX; the backlog of the warm-up is waited for):
#   * slash-command full path: wrk POSTing the form to /commands/echo for BENCH_DURATION; rate =
#     distinct replies the sink got for that run / (last reply − start of wrk); the same for
#     bare-forward and durable-forward; the ack rate (wrk's req/s) against the bare route;
#   * ack rate while the queue grows: a second gateway (fresh store) with a slow command (its job
#     an HTTP GET to the sink answered after BENCH_SLOW_JOB_MS, concurrency 1): warmed up on it,
#     then three BENCH_ROUND rounds back to back, third ÷ first, first ÷ bare route;
#   * relay ingest: after a warm-up on another hook, wrk POSTing the hook fixture to
#     /hooks/<key> (deliveries to the sink running) ÷ the durable route; relay delivery = messages
#     the sink got / (last arrival − start of wrk) ÷ ingest;
#   * store operations per command and per relay message: hookgate_store_operations_total from the
#     gateway's /metrics before and after (run + its backlog) ÷ acked ("n/a" if absent);
#   * CPU per message: utime+stime of the gateway process (/proc/PID/stat) over the run and its
#     backlog ÷ acked; RSS (VmRSS, VmHWM);
#   * ack rate with a long history: the gateway is stopped, BENCH_FILL_ROWS (1,000,000) delivered
#     rows are inserted straight into its SQLite store (dev.hookgate.bench.StoreFill), it is
#     restarted and measured again like the first time: after ÷ before;
#   * accept-to-delivery latency at a steady BENCH_LATENCY_RATE (dev.hookgate.bench.RelayLatency).
#
# Knobs (environment): BENCH_DURATION (10s), BENCH_WARMUP_ROUND (5: seconds), BENCH_WARMUP_MAX (60),
# BENCH_ROUND (10s), BENCH_SLOW_JOB_MS (200), BENCH_THREADS (2), BENCH_CONNECTIONS (32),
# BENCH_DRAIN_MAX (150: seconds to wait for a run's replies or deliveries; the next run waits
# for the backlog of the one before, so that it does not compete), BENCH_FILL_ROWS
# (1000000; 0 skips), BENCH_LATENCY_RATE (1000), BENCH_LATENCY_SECONDS (10; 0 skips),
# BENCH_RELAY_MAX_IN_FLIGHT (4), BENCH_JOB_WORKERS (4: jobs.worker-instances, the default), BENCH_JAVA_OPTS (extra JVM flags, every JVM), BENCH_LOG_LEVEL
# (gateway log level, INFO), BENCH_KEEP=1 (keep the temp folder with logs and stores).
# Output: a Markdown report on stdout and in bench/results/latest.md; wrk's raw output in
# bench/results/latest-wrk.txt.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RESULTS=$ROOT/bench/results
DURATION=${BENCH_DURATION:-10s}
WARMUP_ROUND=${BENCH_WARMUP_ROUND:-5}
WARMUP_MAX=${BENCH_WARMUP_MAX:-60}
ROUND=${BENCH_ROUND:-10s}
SLOW_JOB_MS=${BENCH_SLOW_JOB_MS:-200}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
DRAIN_MAX=${BENCH_DRAIN_MAX:-150}
FILL_ROWS=${BENCH_FILL_ROWS:-1000000}
LATENCY_RATE=${BENCH_LATENCY_RATE:-1000}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-10}
RELAY_MAX_IN_FLIGHT=${BENCH_RELAY_MAX_IN_FLIGHT:-4}
JOB_WORKERS=${BENCH_JOB_WORKERS:-4}
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"
T0=$SECONDS

BENCH_NAME=bench
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------- 1. tools and build
bench_tools_and_build

# ---------------------------------------------------------------- 2. processes, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookgate-bench.XXXXXX")
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pids "${PIDS[@]}"
  [ "$rc" -eq 0 ] || show_logs "$WORK"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

log "starting the sink"
java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.Sink 0 "$WORK/sink.port" \
  "$ROOT/bench/fixtures/seed-hook-curl.json" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!; PIDS+=("$SINK_PID")
SINK_PORT=$(wait_port_file "$WORK/sink.port" "$SINK_PID" sink)
SINK=http://127.0.0.1:$SINK_PORT

# ---------------------------------------------------------------- 3. request bodies
TOKEN=$(rand 26)
FIXTURES=$ROOT/bench/fixtures
FORM=application/x-www-form-urlencoded
JSON=application/json
AUTH="Token $TOKEN"
# command_form NAME: the fixture's form for /NAME, token = ours, response_url at the sink
command_form() {
  awk '{ sub(/\r$/, "") } body { print; next } $0 == "" { body = 1 }' "$FIXTURES/mattermost-slash-command-post.http" \
    | sed -E \
      -e "s/(^|&)token=[^&]*/\1token=$TOKEN/" \
      -e "s/(^|&)command=[^&]*/\1command=%2F$1/" \
      -e "s#(^|&)response_url=https?%3A%2F%2F[^%&]*#\1response_url=http%3A%2F%2F127.0.0.1%3A$SINK_PORT#" \
    | tr -d '\n' >"$WORK/$1.form"
  grep -q "token=$TOKEN" "$WORK/$1.form" || die "could not set the token in the command body"
  grep -q "response_url=http%3A%2F%2F127.0.0.1%3A$SINK_PORT%2Fhooks%2Fcommands%2F" "$WORK/$1.form" \
    || die "could not point response_url at the sink"
}
command_form echo
command_form slow
# every request gets its own response_url (as from Mattermost): wrk replaces this id in each one
# with <run id (4)><thread (2)><counter (20)>, and the sink counts the replies per run id
RESPONSE_URL_ID=$(sed -nE 's/.*response_url=[^&]*%2Fhooks%2Fcommands%2F([a-z0-9]{26}).*/\1/p' "$WORK/echo.form")
[ -n "$RESPONSE_URL_ID" ] || die "no 26-character id at the end of the fixture's response_url"
cp "$FIXTURES/seed-hook-curl.json" "$WORK/hook.json"
EXPECTED_ACK='{"response_type":"ephemeral","text":"Command received."}'

# ---------------------------------------------------------------- 4. measuring helpers
declare -A R # R[label.field]: requests rps p50_us p99_us non2xx errors run ok start_ms
: >"$WORK/wrk.txt"
RUN_NO=0
# run LABEL URL BODYFILE CONTENT_TYPE AUTH DURATION: one wrk run (unique response_url ids for forms)
run() {
  local label=$1 url=$2 body=$3 type=$4 auth=$5 dur=$6 out line kv unique=
  out=$WORK/wrk-$label.txt
  RUN_NO=$(( RUN_NO + 1 ))
  R[$label.run]=$(printf 'r%03d' "$RUN_NO")
  [ "$type" = "$FORM" ] && unique=$RESPONSE_URL_ID
  log "wrk $label: -t$THREADS -c$CONNS -d$dur $url"
  R[$label.start_ms]=$(now_ms)
  BENCH_BODY_FILE=$body BENCH_CONTENT_TYPE=$type BENCH_AUTH=$auth BENCH_UNIQUE=$unique BENCH_RUN_ID=${R[$label.run]} \
    wrk -t"$THREADS" -c"$CONNS" -d"$dur" --timeout 10s --latency -s "$ROOT/bench/post.lua" "$url" >"$out" 2>&1 \
    || die "wrk failed: $(tail -n 5 "$out")"
  R[$label.end_ms]=$(now_ms)
  { echo "=== $label (run id ${R[$label.run]}): wrk -t$THREADS -c$CONNS -d$dur $url"; cat "$out"; echo; } >>"$WORK/wrk.txt"
  line=$(grep '^BENCH ' "$out") || die "no summary from wrk ($label)"
  for kv in ${line#BENCH }; do R[$label.${kv%%=*}]=${kv#*=}; done
  R[$label.errors]=$(( ${R[$label.connect]} + ${R[$label.read]} + ${R[$label.write]} + ${R[$label.timeout]} ))
  R[$label.ok]=$(( ${R[$label.requests]} - ${R[$label.non2xx]} ))
  log "  -> ${R[$label.rps]} req/s, p50 ${R[$label.p50_us]} us, p99 ${R[$label.p99_us]} us," \
    "non-2xx ${R[$label.non2xx]}, socket errors ${R[$label.errors]}"
}
# warm LABEL URL BODYFILE CONTENT_TYPE AUTH: warms the process under test up (the JIT: on a slow
# machine its rate still climbs for 40 s and more): rounds of WARMUP_ROUND seconds until one's rate
# is within 10 % of the round before, at most WARMUP_MAX seconds. Sets R[LABEL.rounds|secs|ok] (ok:
# acked in all rounds); round N is R[LABEL-N.*].
warm() {
  local label=$1 i=0 prev=0
  R[$label.ok]=0
  while :; do
    i=$(( i + 1 ))
    run "$label-$i" "$2" "$3" "$4" "$5" "${WARMUP_ROUND}s"
    R[$label.ok]=$(( ${R[$label.ok]} + ${R[$label-$i.ok]} ))
    if [ "$i" -ge 2 ] && awk -v a="${R[$label-$i.rps]}" -v b="$prev" \
        'BEGIN { exit !(b > 0 && a >= 0.9 * b && a <= 1.1 * b) }'; then
      break
    fi
    [ $(( (i + 1) * WARMUP_ROUND )) -gt "$WARMUP_MAX" ] && break
    prev=${R[$label-$i.rps]}
  done
  R[$label.rounds]=$i; R[$label.secs]=$(( i * WARMUP_ROUND ))
  log "  warm-up $label: $i round(s) of ${WARMUP_ROUND}s"
}
# warm_summary: how long each warm-up took ("label N s, ...")
warm_summary() {
  local k out=
  for k in $(printf '%s\n' "${!R[@]}" | sort); do
    case $k in *.secs) out="$out${out:+, }${k%.secs} ${R[$k]} s" ;; esac
  done
  echo "$out"
}
# wait_warm_replies LABEL: waits for the replies of every round of the warm-up LABEL
wait_warm_replies() {
  local i
  for i in $(seq 1 "${R[$1.rounds]}"); do
    wait_count replies "${R[$1-$i.run]}" "${R[$1-$i.ok]}" "$DRAIN_MAX" >/dev/null
  done
}
# delivered LABEL WHAT KEY: waits for what run LABEL acked; sets R[LABEL.delivered|dup|last_ms|rate]
delivered() {
  local label=$1 n f l x
  read -r n f l x < <(wait_count "$2" "$3" "${R[$label.ok]}" "$DRAIN_MAX")
  R[$label.delivered]=$n; R[$label.extra]=$x; R[$label.last_ms]=$l
  R[$label.rate]=$(awk -v m="$n" -v t=$(( l - ${R[$label.start_ms]} )) 'BEGIN { if (t > 0) printf "%.1f", m * 1000 / t; else print 0 }')
  R[$label.missing]=$(( ${R[$label.ok]} > n ? ${R[$label.ok]} - n : 0 ))
  # what the gateway handled: wrk does not count the requests in flight when it stops
  R[$label.handled]=$(( ${R[$label.ok]} > n ? ${R[$label.ok]} : n ))
  log "  -> $n of ${R[$label.ok]} acked delivered, last $(( l - ${R[$label.start_ms]} )) ms after the start:" \
    "${R[$label.rate]}/s (missing ${R[$label.missing]})"
}
# store_ops FILE: the gateway's hookgate_store_operations_total lines ("operation value"), or nothing
store_ops() { # operations by name, and the group commits as "@transactions"
  curl -fsS --max-time 5 "$GW/metrics" | awk '/^hookgate_store_operations_total[{ ]/ {
      op = "all"; if (match($0, /operation="[^"]*"/)) op = substr($0, RSTART + 11, RLENGTH - 12)
      v[op] += $NF } /^hookgate_store_transactions_total[{ ]/ { v["@transactions"] += $NF }
      END { for (o in v) print o, v[o] }' >"$1" || : >"$1"
}
# tx_per BEFORE AFTER N: store transactions (group commits) per message
tx_per() {
  awk -v n="$3" 'FILENAME == ARGV[1] { b[$1] = $2; next } $1 == "@transactions" { printf "%.2f", ($2 - b[$1]) / n }' "$1" "$2"
}
# ops_per BEFORE AFTER N: "T (op a, op b, ...)" store operations per message, largest first, or n/a
ops_per() {
  if [ ! -s "$2" ]; then echo "n/a (no hookgate_store_operations_total in /metrics)"; return; fi
  local delta='FILENAME == ARGV[1] { b[$1] = $2; next } $1 ~ /^@/ { next } { d = $2 - b[$1] }'
  awk -v n="$3" "$delta"' { t += d } END { printf "%.2f (", t / n }' "$1" "$2"
  awk -v n="$3" "$delta"' d > 0 { printf "%s %.2f\n", $1, d / n }' "$1" "$2" | sort -k2 -rn \
    | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 } END { print ")" }'
}
# baseline MODE: starts a baseline server; its base URL in BASE, pid in BASE_PID
baseline() {
  rm -f "$WORK/$1.port"
  java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.Baseline "$1" 0 "$WORK/$1.port" "$WORK/$1.db" \
    >"$WORK/baseline-$1.log" 2>&1 &
  BASE_PID=$!; PIDS+=("$BASE_PID")
  BASE=http://127.0.0.1:$(wait_port_file "$WORK/$1.port" "$BASE_PID" "baseline $1")
  local got
  got=$(curl -sS -H "Content-Type: $FORM" -H "Authorization: $AUTH" --data-binary "@$WORK/echo.form" "$BASE/commands/echo")
  [ "$got" = "$EXPECTED_ACK" ] || die "baseline $1 /commands/echo answered: $got"
}
# cpu_per LABEL PID TICKS0: CPU µs per message of run LABEL since TICKS0 (messages: handled, else acked)
cpu_per() {
  R[$1.cpu_us]=$(awk -v t=$(( $(cpu_ticks "$2") - $3 )) -v hz="$HZ" -v n="${R[$1.handled]:-${R[$1.ok]}}" \
    'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "n/a" }')
}

# ---------------------------------------------------------------- 5. baselines
LOAD_START=$(loadavg)
log "load average at the start: $LOAD_START"
for mode in bare durable bare-forward durable-forward; do
  log "=== baseline $mode"
  baseline "$mode"
  warm "b-$mode-warmup" "$BASE/commands/echo" "$WORK/echo.form" "$FORM" "$AUTH"
  case $mode in *forward) wait_warm_replies "b-$mode-warmup" ;; esac
  ticks0=$(cpu_ticks "$BASE_PID")
  run "b-$mode-cmd" "$BASE/commands/echo" "$WORK/echo.form" "$FORM" "$AUTH" "$DURATION"
  case $mode in *forward) delivered "b-$mode-cmd" replies "${R[b-$mode-cmd.run]}" ;; esac
  cpu_per "b-$mode-cmd" "$BASE_PID" "$ticks0"
  case $mode in
    bare|durable)
      warm "b-$mode-hook-warmup" "$BASE/hooks/bench" "$WORK/hook.json" "$JSON" ""
      run "b-$mode-hook" "$BASE/hooks/bench" "$WORK/hook.json" "$JSON" "" "$DURATION" ;;
  esac
  kill -0 "$BASE_PID" 2>/dev/null || die "baseline $mode died"
  stop_pids "$BASE_PID"
done

# ---------------------------------------------------------------- 6. the gateway
GW_PORT=$(free_port)
GW=http://127.0.0.1:$GW_PORT
WARM_KEY=warm-$(rand 26); RELAY_KEY=relay-$(rand 26); LATENCY_KEY=latency-$(rand 26)
WARM_PATH=/hooks/warmdestination000000000000
RELAY_PATH=/hooks/relaydestination0000000000
LATENCY_PATH=/hooks/latencydestination00000000
cat >"$WORK/hookgate.yaml" <<EOF
# written by bench/run.sh (store.path: HOOKGATE_STORE_PATH of each gateway)
http:
  host: 127.0.0.1
  port: $GW_PORT
store:
  path: $WORK/unused.db
jobs:
  worker-instances: $JOB_WORKERS
response-url:
  allowed-hosts: ["http://127.0.0.1"]
destinations:
  sink:
    url: $SINK/hooks/fallbackdestination00000000
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: 64
  warm:
    url: $SINK$WARM_PATH
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: $RELAY_MAX_IN_FLIGHT
  relay:
    url: $SINK$RELAY_PATH
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: $RELAY_MAX_IN_FLIGHT
  latency:
    url: $SINK$LATENCY_PATH
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: $RELAY_MAX_IN_FLIGHT
commands:
  echo:
    token: $TOKEN
    ack: "Command received."
    job:
      template: "## Commande reçue!\nPayload : {{text}}"
    reply: {response-type: in_channel, fallback: sink}
    concurrency: 64
    max-queued: 1000000
  slow:
    token: $TOKEN
    ack: "Command received."
    job:
      http: {url: "$SINK/slow?ms=$SLOW_JOB_MS"}
      timeout: 60s
    reply: {response-type: in_channel, fallback: sink}
    concurrency: 1
    max-queued: 1000000
hooks:
  warm:
    key: $WARM_KEY
    destination: warm
  relay:
    key: $RELAY_KEY
    destination: relay
  latency:
    key: $LATENCY_KEY
    destination: latency
EOF
# gateway NAME STORE: starts the fat jar on GW_PORT with that SQLite file; pid in GW_PID
gateway() {
  local name=$1
  log "starting the gateway $name ($JAR, store $2)"
  # no HOOKGATE_* variable of the caller's environment may override the bench config
  mapfile -t UNSET < <(env | sed -n 's/^\(HOOKGATE_[A-Za-z0-9_]*\)=.*/-u\n\1/p')
  (cd "$WORK" && exec env "${UNSET[@]}" HOOKGATE_LOG_LEVEL="${BENCH_LOG_LEVEL:-INFO}" HOOKGATE_STORE_PATH="$2" \
    java "@$ROOT/conf/jvm.options" "${JAVA_OPTS[@]}" -jar "$ROOT/$JAR" --config "$WORK/hookgate.yaml") >>"$WORK/gateway-$name.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  for _ in $(seq 1 600); do # poll /health, 60 s at most
    curl -fsS -o /dev/null --max-time 2 "$GW/health" 2>/dev/null && break
    kill -0 "$GW_PID" 2>/dev/null || die "the gateway exited before listening"
    sleep 0.1
  done
  curl -fsS -o /dev/null --max-time 2 "$GW/health" || die "the gateway does not answer on $GW/health after 60 s"
  local got
  got=$(curl -sS -H "Content-Type: $FORM" -H "Authorization: $AUTH" --data-binary "@$WORK/echo.form" "$GW/commands/echo")
  [ "$got" = "$EXPECTED_ACK" ] || die "$GW/commands/echo answered: $got"
}
# command_run LABEL: warm-up on /commands/echo, its replies waited for, then the measured run, its
# replies waited for; store operations and CPU over the measured run and its backlog
command_run() {
  local label=$1 ticks0
  warm "$label-warmup" "$GW/commands/echo" "$WORK/echo.form" "$FORM" "$AUTH"
  wait_warm_replies "$label-warmup"
  store_ops "$WORK/$label-ops0.txt"; ticks0=$(cpu_ticks "$GW_PID")
  run "$label" "$GW/commands/echo" "$WORK/echo.form" "$FORM" "$AUTH" "$DURATION"
  R[$label.rss]=$(rss_kb "$GW_PID")
  delivered "$label" replies "${R[$label.run]}"
  cpu_per "$label" "$GW_PID" "$ticks0"; store_ops "$WORK/$label-ops1.txt"
  R[$label.ops]=$(ops_per "$WORK/$label-ops0.txt" "$WORK/$label-ops1.txt" "${R[$label.handled]}")
  R[$label.tx]=$(tx_per "$WORK/$label-ops0.txt" "$WORK/$label-ops1.txt" "${R[$label.handled]}")
  log "  -> CPU ${R[$label.cpu_us]} µs per command; store operations per command: ${R[$label.ops]}; transactions ${R[$label.tx]}"
}

G1_DB=$WORK/gateway.db
gateway main "$G1_DB"
RSS_IDLE=$(rss_kb "$GW_PID")
LOAD_GW=$(loadavg)
log "=== gateway: slash command, full path"
command_run gw-cmd

log "=== gateway: relay"
warm gw-relay-warmup "$GW/hooks/$WARM_KEY" "$WORK/hook.json" "$JSON" ""
wait_count path "$WARM_PATH" "${R[gw-relay-warmup.ok]}" "$DRAIN_MAX" >/dev/null
store_ops "$WORK/relay-ops0.txt"; ticks0=$(cpu_ticks "$GW_PID")
run gw-relay "$GW/hooks/$RELAY_KEY" "$WORK/hook.json" "$JSON" "" "$DURATION"
RSS_LOAD=$(rss_kb "$GW_PID")
delivered gw-relay path "$RELAY_PATH"
cpu_per gw-relay "$GW_PID" "$ticks0"; store_ops "$WORK/relay-ops1.txt"
R[gw-relay.ops]=$(ops_per "$WORK/relay-ops0.txt" "$WORK/relay-ops1.txt" "${R[gw-relay.handled]}")
log "  -> CPU ${R[gw-relay.cpu_us]} µs per message; store operations per message: ${R[gw-relay.ops]}"

LATENCY_NOTE="skipped (BENCH_LATENCY_SECONDS=0)"
declare -A L
if [ "$LATENCY_SECONDS" -gt 0 ]; then
  log "=== relay latency: $LATENCY_RATE messages/s for $LATENCY_SECONDS s (after a 2 s warm-up)"
  java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.RelayLatency "$GW/hooks/$LATENCY_KEY" "$SINK" "$LATENCY_PATH" \
    "$LATENCY_RATE" "$LATENCY_SECONDS" 2 16 "$DRAIN_MAX" >"$WORK/latency.log" 2>&1 \
    || die "RelayLatency failed: $(tail -n 5 "$WORK/latency.log")"
  { echo "=== relay latency: RelayLatency $LATENCY_RATE/s for $LATENCY_SECONDS s"; cat "$WORK/latency.log"; echo; } >>"$WORK/wrk.txt"
  line=$(grep '^LATENCY ' "$WORK/latency.log") || die "no summary from RelayLatency"
  for kv in ${line#LATENCY }; do L[${kv%%=*}]=${kv#*=}; done
  LATENCY_NOTE="p50 ${L[p50_ms]} ms, p90 ${L[p90_ms]} ms, p99 ${L[p99_ms]} ms, max ${L[max_ms]} ms; ${L[accepted]} of ${L[sent]} accepted, ${L[delivered]} of those delivered, ${L[duplicates]} duplicates"
  log "  -> $LATENCY_NOTE"
fi
HWM=$(hwm_kb "$GW_PID")
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"
stop_pids "$GW_PID"

log "=== gateway (fresh store): ack rate while the slow command's queue grows"
gateway slow "$WORK/slow.db"
# the warm-up is on the slow command itself: its jobs stay queued, the rounds add to them
warm gw-slow-warmup "$GW/commands/slow" "$WORK/slow.form" "$FORM" "$AUTH"
LOAD_SLOW=$(loadavg)
SLOW_ACKED=${R[gw-slow-warmup.ok]}
for i in 1 2 3; do
  run "gw-slow-$i" "$GW/commands/slow" "$WORK/slow.form" "$FORM" "$AUTH" "$ROUND"
  SLOW_ACKED=$(( SLOW_ACKED + ${R[gw-slow-$i.ok]} ))
done
SLOW_REPLIED=0
for l in $(seq -f "gw-slow-warmup-%g" 1 "${R[gw-slow-warmup.rounds]}") gw-slow-1 gw-slow-2 gw-slow-3; do
  read -r n _ _ _ < <(replies "${R[$l.run]}"); SLOW_REPLIED=$(( SLOW_REPLIED + n ))
done
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"
stop_pids "$GW_PID"

FILL_NOTE="skipped (BENCH_FILL_ROWS=0)"
if [ "$FILL_ROWS" -gt 0 ]; then
  log "=== filling the store with $FILL_ROWS delivered messages (gateway stopped)"
  java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.StoreFill "$G1_DB" "$FILL_ROWS" >"$WORK/fill.log" 2>&1 \
    || die "StoreFill failed: $(tail -n 5 "$WORK/fill.log")"
  line=$(grep '^FILL ' "$WORK/fill.log") || die "no summary from StoreFill"
  declare -A F
  for kv in ${line#FILL }; do F[${kv%%=*}]=${kv#*=}; done
  FILL_NOTE="${F[inserted]} rows inserted in ${F[seconds]} s (deliveries now holds ${F[rows]} rows, $(du -m "$G1_DB" | cut -f1) MB file)"
  log "  -> $FILL_NOTE"
  gateway filled "$G1_DB"
  LOAD_FILLED=$(loadavg)
  command_run gw-filled
  RSS_FILLED=$(rss_kb "$GW_PID")
  kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"
  stop_pids "$GW_PID"
fi

# ---------------------------------------------------------------- 7. report
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
errs() { local n=${R[$1.non2xx]} e=${R[$1.errors]}; if [ "$n" -eq 0 ] && [ "$e" -eq 0 ]; then echo 0; else echo "$n non-2xx, $e socket"; fi; }
replies_row() { # LABEL TITLE
  local note="all delivered"
  [ "${R[$1.missing]}" -gt 0 ] && note="**$(num "${R[$1.missing]}") not delivered after ${DRAIN_MAX} s**"
  printf '| %s | %s | %s | %s | %s | %s |\n' "$2" "$(num "${R[$1.ok]}")" "$(num "${R[$1.delivered]}")" \
    "${R[$1.extra]}" "$note" "$(errs "$1")"
}
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
JAVA_VERSION=$(java -version 2>&1 | sed -n 1p)
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)
LOAD_END=$(loadavg)
ELAPSED=$(( SECONDS - T0 ))
mkdir -p "$RESULTS"
{
  echo "## hookgate load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION; wrk -t$THREADS -c$CONNS, $DURATION per measured run, all on 127.0.0.1; whole run ${ELAPSED} s."
  echo "Warm-up of each process (the JIT: on a slow machine a gateway's rate still climbs after 40 s of load): rounds of ${WARMUP_ROUND} s until one's rate is within 10 % of the round before, at most ${WARMUP_MAX} s; it took: $(warm_summary)."
  echo "Load average (1/5/15 min): start $LOAD_START; gateway runs $LOAD_GW; slow command $LOAD_SLOW; after the fill ${LOAD_FILLED:-n/a}; end $LOAD_END. wrk, the server under test, the sink and anything else running share the same $(nproc) cores."
  echo "\`uptime\` at the end: $(uptime)"
  echo
  echo "| measure (issues 9 and 15) | this run | target |"
  echo "|---|---|---|"
  echo "| slash command, full path (ack, job, reply delivered to the sink as response_url) ÷ bare-forward | $(ratio_of "${R[gw-cmd.rate]}" "${R[b-bare-forward-cmd.rate]}") | $(target "${R[gw-cmd.rate]}" "${R[b-bare-forward-cmd.rate]}" 0.4) |"
  echo "| the same ÷ durable-forward | $(ratio_of "${R[gw-cmd.rate]}" "${R[b-durable-forward-cmd.rate]}") | $(target "${R[gw-cmd.rate]}" "${R[b-durable-forward-cmd.rate]}" 0.8) |"
  echo "| the same ÷ the bare route (answer only) | $(ratio_of "${R[gw-cmd.rate]}" "${R[b-bare-cmd.rps]}") | reported |"
  echo "| ack rate while the queue grows (slow command, concurrency 1, three $ROUND rounds: $(num "${R[gw-slow-1.rps]}") → $(num "${R[gw-slow-2.rps]}") → $(num "${R[gw-slow-3.rps]}")/s): third ÷ first | $(ratio_of "${R[gw-slow-3.rps]}" "${R[gw-slow-1.rps]}") | $(target "${R[gw-slow-3.rps]}" "${R[gw-slow-1.rps]}" 0.8) |"
  echo "| that first round ÷ bare route | $(ratio_of "${R[gw-slow-1.rps]}" "${R[b-bare-cmd.rps]}") | $(target "${R[gw-slow-1.rps]}" "${R[b-bare-cmd.rps]}" 0.25) |"
  echo "| relay ingest (deliveries running, after a warm-up on another hook) ÷ the durable route | $(ratio_of "${R[gw-relay.rps]}" "${R[b-durable-hook.rps]}") | $(target "${R[gw-relay.rps]}" "${R[b-durable-hook.rps]}" 0.9) |"
  echo "| relay delivery (lines delivered/s, start of the load to end of the backlog) ÷ relay ingest | $(ratio_of "${R[gw-relay.rate]}" "${R[gw-relay.rps]}") | $(target "${R[gw-relay.rate]}" "${R[gw-relay.rps]}" 0.9) |"
  echo "| store operations per command delivered (transactions per command: ${R[gw-cmd.tx]}) | ${R[gw-cmd.ops]%% (*} | ≤ 3.0 ($(awk -v o="${R[gw-cmd.ops]%% (*}" 'BEGIN { print (o + 0 <= 3.0 ? "met" : "**not met**") }')) |"
  echo "| CPU per command ÷ durable-forward's | ${R[gw-cmd.cpu_us]} µs ÷ ${R[b-durable-forward-cmd.cpu_us]} µs = **$(awk -v a="${R[gw-cmd.cpu_us]}" -v b="${R[b-durable-forward-cmd.cpu_us]}" 'BEGIN { printf "%.2f", a / b }')×** | ≤ 2.0× ($(awk -v a="${R[gw-cmd.cpu_us]}" -v b="${R[b-durable-forward-cmd.cpu_us]}" 'BEGIN { print (a / b <= 2.0 ? "met" : "**not met**") }')) |"
  echo "| peak RSS of the gateway (VmHWM, JVM options of conf/jvm.options) | $(mib "$HWM") | ≤ 300 MB ($(awk -v k="$HWM" 'BEGIN { print (k * 1024 <= 300e6 ? "met" : "**not met**") }')) |"
  if [ "$FILL_ROWS" -gt 0 ]; then
    echo "| ack rate with $(num "$FILL_ROWS") delivered messages in the store ÷ empty store | $(ratio_of "${R[gw-filled.rps]}" "${R[gw-cmd.rps]}") | $(target "${R[gw-filled.rps]}" "${R[gw-cmd.rps]}" 0.8) |"
    echo "| full path with $(num "$FILL_ROWS") delivered messages ÷ empty store | $(ratio_of "${R[gw-filled.rate]}" "${R[gw-cmd.rate]}") | reported |"
  fi
  echo
  echo "Reference ratios between the baselines (what the work itself costs here):"
  echo "durable-forward ÷ bare-forward $(ratio_of "${R[b-durable-forward-cmd.rate]}" "${R[b-bare-forward-cmd.rate]}");"
  echo "durable route ÷ bare route, commands $(ratio_of "${R[b-durable-cmd.rps]}" "${R[b-bare-cmd.rps]}"), hooks $(ratio_of "${R[b-durable-hook.rps]}" "${R[b-bare-hook.rps]}");"
  echo "gateway ack rate (full-path run) ÷ bare route $(ratio_of "${R[gw-cmd.rps]}" "${R[b-bare-cmd.rps]}"); relay ingest ÷ bare route $(ratio_of "${R[gw-relay.rps]}" "${R[b-bare-hook.rps]}")."
  echo
  echo "| run | req/s (wrk) | p50 / p99 ms | delivered/s | CPU µs per message | store operations per message |"
  echo "|---|---:|---:|---:|---:|---|"
  printf '| %s | %s | %s / %s | %s | %s | %s |\n' \
    "baseline bare, \`/commands/echo\`" "$(num "${R[b-bare-cmd.rps]}")" "$(ms "${R[b-bare-cmd.p50_us]}")" "$(ms "${R[b-bare-cmd.p99_us]}")" "" "${R[b-bare-cmd.cpu_us]}" "0" \
    "baseline durable, \`/commands/echo\`" "$(num "${R[b-durable-cmd.rps]}")" "$(ms "${R[b-durable-cmd.p50_us]}")" "$(ms "${R[b-durable-cmd.p99_us]}")" "" "${R[b-durable-cmd.cpu_us]}" "1 (INSERT)" \
    "baseline bare-forward" "$(num "${R[b-bare-forward-cmd.rps]}")" "$(ms "${R[b-bare-forward-cmd.p50_us]}")" "$(ms "${R[b-bare-forward-cmd.p99_us]}")" "$(num "${R[b-bare-forward-cmd.rate]}")" "${R[b-bare-forward-cmd.cpu_us]}" "0" \
    "baseline durable-forward" "$(num "${R[b-durable-forward-cmd.rps]}")" "$(ms "${R[b-durable-forward-cmd.p50_us]}")" "$(ms "${R[b-durable-forward-cmd.p99_us]}")" "$(num "${R[b-durable-forward-cmd.rate]}")" "${R[b-durable-forward-cmd.cpu_us]}" "2 (INSERT, UPDATE)" \
    "baseline bare, \`/hooks/<key>\`" "$(num "${R[b-bare-hook.rps]}")" "$(ms "${R[b-bare-hook.p50_us]}")" "$(ms "${R[b-bare-hook.p99_us]}")" "" "" "0" \
    "baseline durable, \`/hooks/<key>\`" "$(num "${R[b-durable-hook.rps]}")" "$(ms "${R[b-durable-hook.p50_us]}")" "$(ms "${R[b-durable-hook.p99_us]}")" "" "" "1 (INSERT)" \
    "**hookgate** slash command \`/commands/echo\` (full path)" "$(num "${R[gw-cmd.rps]}")" "$(ms "${R[gw-cmd.p50_us]}")" "$(ms "${R[gw-cmd.p99_us]}")" "$(num "${R[gw-cmd.rate]}")" "${R[gw-cmd.cpu_us]}" "${R[gw-cmd.ops]}" \
    "**hookgate** relay \`/hooks/<key>\`" "$(num "${R[gw-relay.rps]}")" "$(ms "${R[gw-relay.p50_us]}")" "$(ms "${R[gw-relay.p99_us]}")" "$(num "${R[gw-relay.rate]}")" "${R[gw-relay.cpu_us]}" "${R[gw-relay.ops]}"
  if [ "$FILL_ROWS" -gt 0 ]; then
    printf '| %s | %s | %s / %s | %s | %s | %s |\n' \
      "**hookgate** slash command, $(num "$FILL_ROWS") delivered in the store" "$(num "${R[gw-filled.rps]}")" "$(ms "${R[gw-filled.p50_us]}")" "$(ms "${R[gw-filled.p99_us]}")" "$(num "${R[gw-filled.rate]}")" "${R[gw-filled.cpu_us]}" "${R[gw-filled.ops]}"
  fi
  for i in 1 2 3; do
    printf '| **hookgate** slow command, round %s | %s | %s / %s | | | |\n' "$i" "$(num "${R[gw-slow-$i.rps]}")" "$(ms "${R[gw-slow-$i.p50_us]}")" "$(ms "${R[gw-slow-$i.p99_us]}")"
  done
  echo
  echo "Delivered/s = distinct replies (or relay lines) the sink got for that run ÷ time from the start of wrk to the last arrival. CPU per message = utime+stime of that process over the run and its backlog ÷ messages handled (the larger of acked and delivered: wrk does not count the requests in flight when it stops; acked for the routes that do not forward). Store operations = the delta of \`hookgate_store_operations_total\` (gateway /metrics, by operation) over the run and its backlog ÷ messages handled, zero counts left out."
  echo
  echo "| every reply and message counted | acked (2xx counted by wrk) | delivered (distinct) | duplicates / posts | missing | errors |"
  echo "|---|---:|---:|---:|---|---|"
  replies_row b-bare-forward-cmd "baseline bare-forward replies (duplicates)"
  replies_row b-durable-forward-cmd "baseline durable-forward replies (duplicates)"
  replies_row gw-cmd "hookgate slash-command replies (duplicates)"
  replies_row gw-relay "hookgate relay messages (in posts)"
  [ "$FILL_ROWS" -gt 0 ] && replies_row gw-filled "hookgate replies, filled store (duplicates)"
  echo "| hookgate slow command (concurrency 1, a ${SLOW_JOB_MS} ms job each: not waited for) | $(num "$SLOW_ACKED") | $(num "$SLOW_REPLIED") | | $(num $(( SLOW_ACKED - SLOW_REPLIED ))) still queued when stopped | |"
  echo
  echo "wrk does not count the requests still in flight when it stops, so delivered may end slightly above acked; missing = acked − delivered when positive (waited for up to ${DRAIN_MAX} s)."
  echo
  echo "| gateway memory | VmRSS |"
  echo "|---|---:|"
  echo "| idle, after start | $(mib "$RSS_IDLE") |"
  echo "| right after the slash-command load | $(mib "${R[gw-cmd.rss]}") |"
  echo "| right after the relay load | $(mib "$RSS_LOAD") |"
  echo "| peak (VmHWM), first gateway | $(mib "$HWM") |"
  [ "$FILL_ROWS" -gt 0 ] && echo "| after the slash-command load on the filled store | $(mib "$RSS_FILLED") |"
  echo
  echo "Store fill: $FILL_NOTE; the gateway was stopped, filled, restarted and measured as the first time (warm-up, then $DURATION)."
  echo "Relay latency (accept → delivery at a steady $LATENCY_RATE msg/s for $LATENCY_SECONDS s, \`RelayLatency\`): $LATENCY_NOTE."
  echo "Slow command: its job is an HTTP GET to the sink answered after ${SLOW_JOB_MS} ms, concurrency 1, so the queue grows by about the ack rate; second gateway, fresh store; a warm-up on the slow command itself comes first (its $(num "${R[gw-slow-warmup.ok]}") jobs stay queued too)."
} >"$RESULTS/latest.md"
cp "$WORK/wrk.txt" "$RESULTS/latest-wrk.txt"
cat "$RESULTS/latest.md"
log "written to bench/results/latest.md (raw wrk output: bench/results/latest-wrk.txt) in ${ELAPSED} s"

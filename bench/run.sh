#!/usr/bin/env bash
# hookgate load benchmark: the gateway (fat jar) against a bare Vert.x 5 server on the same machine.
#
#   make bench            (or bench/run.sh from the repo root or anywhere)
#
# What it measures, all on 127.0.0.1 with wrk:
#   * slash-command ack: POST /commands/echo with the Mattermost form of
#     bench/fixtures/mattermost-slash-command-post.http, at BENCH_CONNECTIONS (32) and at
#     BENCH_LOW_CONNECTIONS (4) connections; the gateway stores each job in SQLite before it acks;
#   * relay ingest: POST /hooks/<key> with bench/fixtures/seed-hook-curl.json; the gateway stores
#     each message before it answers "200 ok";
#   * the gateway's RSS (VmRSS, and peak VmHWM) idle, right after the load, and after
#     BENCH_DRAIN_SECONDS (10) more seconds during which the job/delivery backlog drains into
#     the local sink (dev.hookgate.bench.Sink), whose counts are reported;
#   * end-to-end relay throughput: wrk posting the hook fixture straight to the sink's incoming
#     hook (the "chat server": requests/s = messages/s) against wrk posting it to the gateway's
#     /hooks/<key> for the same time, the destination being the sink with an unlimited rate
#     (rate-per-second and burst 1000000, max-in-flight BENCH_RELAY_MAX_IN_FLIGHT (4)); relay
#     messages/s = the messages the sink got on that destination (lines of coalesced posts, during
#     the run and the drain after it) / the time from the start of wrk to the last arrival;
#   * accept-to-delivery latency at a fixed rate: dev.hookgate.bench.RelayLatency posts exactly
#     BENCH_LATENCY_RATE (1000) messages/s for BENCH_LATENCY_SECONDS (10) to another hook (after a
#     2 s warm-up), each text carrying a sequence number; per message, the sink's arrival time
#     minus the time its 200 came back (wall-clock ms of the same machine); p50/p99/max.
# The baseline is dev.hookgate.bench.BareServer (src/test/java, not in the jar): same routes, same
# body parsing and answers, same number of event loops, nothing else.
#
# Knobs (environment): BENCH_DURATION (15s), BENCH_LOW_DURATION (10s), BENCH_WARMUP (5s),
# BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_LOW_CONNECTIONS (4), BENCH_DRAIN_SECONDS (10),
# BENCH_SETTLE_MAX (15: seconds to wait for the gateway's backlog before the next measured run),
# BENCH_JAVA_OPTS (extra JVM flags, given to every JVM), BENCH_LOG_LEVEL (gateway log level, INFO),
# BENCH_GATEWAY_PORT (default: a free port picked at random), BENCH_KEEP=1 (keep the temp folder
# with logs and the SQLite store), BENCH_RELAY_MAX_IN_FLIGHT (4), BENCH_RELAY_DRAIN_MAX (30: seconds
# to wait for the relay's last deliveries), BENCH_LATENCY_RATE (1000), BENCH_LATENCY_SECONDS (10).
# Output: a Markdown table on stdout, also written to bench/results/latest.md; wrk's raw output
# in bench/results/latest-wrk.txt (bench/results/ is git-ignored).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RESULTS=$ROOT/bench/results
DURATION=${BENCH_DURATION:-15s}
LOW_DURATION=${BENCH_LOW_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-5s}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
LOW_CONNS=${BENCH_LOW_CONNECTIONS:-4}
DRAIN_SECONDS=${BENCH_DRAIN_SECONDS:-10}
SETTLE_MAX=${BENCH_SETTLE_MAX:-15}
RELAY_MAX_IN_FLIGHT=${BENCH_RELAY_MAX_IN_FLIGHT:-4}
RELAY_DRAIN_MAX=${BENCH_RELAY_DRAIN_MAX:-30}
LATENCY_RATE=${BENCH_LATENCY_RATE:-1000}
LATENCY_SECONDS=${BENCH_LATENCY_SECONDS:-10}
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"
MVN=(mvn -B -ntp -q)

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- 1. tools and build
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  SUDO=()
  [ "$(id -u)" -eq 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq wrk >/dev/null
  command -v wrk >/dev/null || die "wrk could not be installed"
fi
command -v curl >/dev/null || die "curl is needed"
command -v java >/dev/null || die "java is needed"

JAR=target/hookgate.jar
if [ ! -f "$JAR" ] || [ -n "$(find src/main conf pom.xml -newer "$JAR" -print -quit)" ]; then
  log "building $JAR"
  "${MVN[@]}" -DskipTests package
fi
log "compiling the bench classes (test scope)"
"${MVN[@]}" -DskipTests test-compile
if [ ! -s target/cp.txt ] || [ pom.xml -nt target/cp.txt ]; then
  "${MVN[@]}" dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
fi
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/cp.txt)"
[ -f target/test-classes/dev/hookgate/bench/BareServer.class ] || die "BareServer was not compiled"
[ -f target/test-classes/dev/hookgate/bench/RelayLatency.class ] || die "RelayLatency was not compiled"

# ---------------------------------------------------------------- 2. processes, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookgate-bench.XXXXXX")
PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for f in "$WORK"/*.log; do
      [ -f "$f" ] || continue
      log "last lines of $f:"
      tail -n 15 "$f" >&2 || true
    done
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_port_file FILE PID NAME: prints the port a server wrote into FILE (30 s at most)
wait_port_file() {
  for _ in $(seq 1 300); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || die "$3 exited before listening"
    sleep 0.1
  done
  die "$3 did not listen within 30 s"
}

log "starting the sink and the bare server"
java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.Sink 0 "$WORK/sink.port" \
  "$ROOT/bench/fixtures/seed-hook-curl.json" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!; PIDS+=("$SINK_PID")
java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.BareServer 0 "$WORK/bare.port" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!; PIDS+=("$BARE_PID")
SINK_PORT=$(wait_port_file "$WORK/sink.port" "$SINK_PID" sink)
BARE_PORT=$(wait_port_file "$WORK/bare.port" "$BARE_PID" "bare server")
SINK=http://127.0.0.1:$SINK_PORT
BARE=http://127.0.0.1:$BARE_PORT

# ---------------------------------------------------------------- 3. the gateway
# a free port for the gateway (a port nobody answers on, picked at random; bounded tries)
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}
GW_PORT=${BENCH_GATEWAY_PORT:-$(free_port)}
TOKEN=$(head -c 32 /dev/urandom | sha256sum | tr -d -c 'a-z0-9' | tr '0' 'x' | head -c 26)
HOOK_KEY=bench-$(head -c 32 /dev/urandom | sha256sum | head -c 26)
RELAY_KEY=relay-$(head -c 32 /dev/urandom | sha256sum | head -c 26)
LATENCY_KEY=latency-$(head -c 32 /dev/urandom | sha256sum | head -c 26)
# the sink's incoming-hook paths: one per destination, so that each is counted apart
DIRECT_PATH=/hooks/directdestination000000000
RELAY_PATH=/hooks/relaydestination0000000000
LATENCY_PATH=/hooks/latencydestination00000000
cat >"$WORK/hookgate.yaml" <<EOF
# written by bench/run.sh
http:
  host: 127.0.0.1
  port: $GW_PORT
store:
  path: $WORK/hookgate.db
response-url:
  allowed-hosts: ["http://127.0.0.1"]
destinations:
  sink:
    url: $SINK/hooks/benchdestination00000000000
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: 64
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
hooks:
  bench:
    key: $HOOK_KEY
    destination: sink
  relay:
    key: $RELAY_KEY
    destination: relay
  latency:
    key: $LATENCY_KEY
    destination: latency
EOF

log "starting the gateway ($JAR)"
# no HOOKGATE_* variable of the caller's environment may override the bench config
mapfile -t UNSET < <(env | sed -n 's/^\(HOOKGATE_[A-Za-z0-9_]*\)=.*/-u\n\1/p')
(cd "$WORK" && exec env "${UNSET[@]}" HOOKGATE_LOG_LEVEL="${BENCH_LOG_LEVEL:-INFO}" \
  java "${JAVA_OPTS[@]}" -jar "$ROOT/$JAR" --config "$WORK/hookgate.yaml") >"$WORK/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
GW=http://127.0.0.1:$GW_PORT
for _ in $(seq 1 300); do # poll /health, 30 s at most
  curl -fsS -o /dev/null --max-time 2 "$GW/health" 2>/dev/null && break
  kill -0 "$GW_PID" 2>/dev/null || die "the gateway exited before listening"
  sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$GW/health" || die "the gateway does not answer on $GW/health after 30 s"
log "sink $SINK, bare $BARE, gateway $GW (pid $GW_PID)"

# ---------------------------------------------------------------- 4. request bodies
FIXTURES=$ROOT/bench/fixtures
awk '{ sub(/\r$/, "") } body { print; next } $0 == "" { body = 1 }' "$FIXTURES/mattermost-slash-command-post.http" \
  | sed -E \
    -e "s/(^|&)token=[^&]*/\1token=$TOKEN/" \
    -e "s/(^|&)command=[^&]*/\1command=%2Fecho/" \
    -e "s#(^|&)response_url=https?%3A%2F%2F[^%&]*#\1response_url=http%3A%2F%2F127.0.0.1%3A$SINK_PORT#" \
  | tr -d '\n' >"$WORK/command.form"
grep -q "token=$TOKEN" "$WORK/command.form" || die "could not set the token in the command body"
grep -q "response_url=http%3A%2F%2F127.0.0.1%3A$SINK_PORT%2Fhooks%2Fcommands%2F" "$WORK/command.form" \
  || die "could not point response_url at the sink"
# every request gets its own response_url (as from Mattermost): wrk replaces this id in each one
RESPONSE_URL_ID=$(sed -nE 's/.*response_url=[^&]*%2Fhooks%2Fcommands%2F([a-z0-9]{26}).*/\1/p' "$WORK/command.form")
[ -n "$RESPONSE_URL_ID" ] || die "no 26-character id at the end of the fixture's response_url"
cp "$FIXTURES/seed-hook-curl.json" "$WORK/hook.json"
FORM=application/x-www-form-urlencoded
JSON=application/json

# sanity: both servers must give the expected answer before anything is timed
EXPECTED_ACK='{"response_type":"ephemeral","text":"Command received."}'
for base in "$BARE" "$GW"; do
  got=$(curl -sS -H "Content-Type: $FORM" -H "Authorization: Token $TOKEN" --data-binary "@$WORK/command.form" \
    "$base/commands/echo")
  [ "$got" = "$EXPECTED_ACK" ] || die "$base/commands/echo answered: $got"
  got=$(curl -sS -H "Content-Type: $JSON" --data-binary "@$WORK/hook.json" "$base/hooks/$HOOK_KEY")
  [ "$got" = ok ] || die "$base/hooks/<key> answered: $got"
done
got=$(curl -sS -H "Content-Type: $JSON" --data-binary "@$WORK/hook.json" "$SINK$DIRECT_PATH")
[ "$got" = ok ] || die "the sink's $DIRECT_PATH answered: $got"

# ---------------------------------------------------------------- 5. wrk runs
declare -A R # R[label.field]: requests rps p50_us p99_us non2xx errors
: >"$WORK/wrk.txt"
ACKED_COMMANDS=1 # the sanity request
ACKED_HOOKS=1

RUN_NO=0
# bench LABEL URL BODYFILE CONTENT_TYPE AUTH CONNECTIONS DURATION [UNIQUE_SUBSTRING]
bench() {
  local label=$1 url=$2 body=$3 type=$4 auth=$5 conns=$6 dur=$7 unique=${8:-} out line
  out=$WORK/wrk-$label.txt
  RUN_NO=$(( RUN_NO + 1 ))
  log "wrk $label: -t$THREADS -c$conns -d$dur $url"
  BENCH_BODY_FILE=$body BENCH_CONTENT_TYPE=$type BENCH_AUTH=$auth BENCH_UNIQUE=$unique \
    BENCH_RUN_ID=$(printf 'r%03d' "$RUN_NO") \
    wrk -t"$THREADS" -c"$conns" -d"$dur" --timeout 10s --latency -s "$ROOT/bench/post.lua" "$url" >"$out" 2>&1 \
    || die "wrk failed: $(tail -n 5 "$out")"
  { echo "=== $label: wrk -t$THREADS -c$conns -d$dur $url"; cat "$out"; echo; } >>"$WORK/wrk.txt"
  line=$(grep '^BENCH ' "$out") || die "no summary from wrk ($label)"
  local kv k v
  for kv in ${line#BENCH }; do
    k=${kv%%=*}; v=${kv#*=}
    R[$label.$k]=$v
  done
  R[$label.errors]=$(( ${R[$label.connect]} + ${R[$label.read]} + ${R[$label.write]} + ${R[$label.timeout]} ))
  local ok=$(( ${R[$label.requests]} - ${R[$label.non2xx]} ))
  case $label in
    gw-cmd*) ACKED_COMMANDS=$(( ACKED_COMMANDS + ok )) ;;
    gw-hook*) ACKED_HOOKS=$(( ACKED_HOOKS + ok )) ;;
  esac
  log "  -> ${R[$label.rps]} req/s, p50 ${R[$label.p50_us]} us, p99 ${R[$label.p99_us]} us," \
    "non-2xx ${R[$label.non2xx]}, socket errors ${R[$label.errors]}"
}

sink_count() { # prints "replies hook_messages hook_posts"
  curl -fsS --max-time 5 "$SINK/count" \
    | sed -E 's/.*"replies":([0-9]+).*"posts":([0-9]+).*"messages":([0-9]+).*/\1 \3 \2/'
  echo
}

# settle MAXSECONDS: waits until the sink got everything the gateway acked (or MAXSECONDS);
# prints the seconds waited. wrk does not count the requests still in flight when it stops,
# so the sink may end slightly above the acked counts.
settle() {
  local max=$1 start=$SECONDS replies deliveries posts
  while :; do
    read -r replies deliveries posts < <(sink_count)
    if [ "$replies" -ge "$ACKED_COMMANDS" ] && [ "$deliveries" -ge "$ACKED_HOOKS" ]; then
      echo $(( SECONDS - start )); return 0
    fi
    if [ $(( SECONDS - start )) -ge "$max" ]; then
      echo "not drained after ${max}"; return 0
    fi
    sleep 1
  done
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
RSS_IDLE=$(rss_kb "$GW_PID")
BARE_RSS_IDLE=$(rss_kb "$BARE_PID")
AUTH="Token $TOKEN"
SETTLED=()

# slash-command ack. Each server gets a warm-up; before a measured run, the gateway's backlog
# (jobs, replies to the sink) is given up to BENCH_SETTLE_MAX s to drain so it does not compete.
bench bare-cmd-warmup "$BARE/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$CONNS" "$WARMUP" \
  "$RESPONSE_URL_ID"
bench bare-cmd "$BARE/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$CONNS" "$DURATION" \
  "$RESPONSE_URL_ID"
bench bare-cmd-low "$BARE/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$LOW_CONNS" "$LOW_DURATION" \
  "$RESPONSE_URL_ID"
bench gw-cmd-warmup "$GW/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$CONNS" "$WARMUP" \
  "$RESPONSE_URL_ID"
SETTLED+=("before gateway ack -c$CONNS: $(settle "$SETTLE_MAX") s")
bench gw-cmd "$GW/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$CONNS" "$DURATION" \
  "$RESPONSE_URL_ID"
SETTLED+=("before gateway ack -c$LOW_CONNS: $(settle "$SETTLE_MAX") s")
bench gw-cmd-low "$GW/commands/echo" "$WORK/command.form" "$FORM" "$AUTH" "$LOW_CONNS" "$LOW_DURATION" \
  "$RESPONSE_URL_ID"

# relay ingest
SETTLED+=("before bare relay: $(settle "$SETTLE_MAX") s")
bench bare-hook-warmup "$BARE/hooks/$HOOK_KEY" "$WORK/hook.json" "$JSON" "" "$CONNS" "$WARMUP"
bench bare-hook "$BARE/hooks/$HOOK_KEY" "$WORK/hook.json" "$JSON" "" "$CONNS" "$DURATION"
bench gw-hook-warmup "$GW/hooks/$HOOK_KEY" "$WORK/hook.json" "$JSON" "" "$CONNS" "$WARMUP"
SETTLED+=("before gateway relay: $(settle "$SETTLE_MAX") s")
bench gw-hook "$GW/hooks/$HOOK_KEY" "$WORK/hook.json" "$JSON" "" "$CONNS" "$DURATION"

# ---------------------------------------------------------------- 6. memory and backlog
RSS_LOAD=$(rss_kb "$GW_PID")
BARE_RSS_LOAD=$(rss_kb "$BARE_PID")
read -r SINK_R0 SINK_D0 SINK_P0 < <(sink_count)
log "gateway RSS after the load: $(mib "$RSS_LOAD"); waiting ${DRAIN_SECONDS} s for the backlog"
DRAINED_AT=
for i in $(seq 1 "$DRAIN_SECONDS"); do
  sleep 1
  if [ -z "$DRAINED_AT" ]; then
    read -r r d p < <(sink_count)
    if [ "$r" -ge "$ACKED_COMMANDS" ] && [ "$d" -ge "$ACKED_HOOKS" ]; then DRAINED_AT=$i; fi
  fi
done
RSS_DRAIN=$(rss_kb "$GW_PID")
HWM=$(hwm_kb "$GW_PID")
read -r SINK_R SINK_D SINK_P < <(sink_count)
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"
if [ -n "$DRAINED_AT" ]; then
  if [ "$SINK_R0" -ge "$ACKED_COMMANDS" ] && [ "$SINK_D0" -ge "$ACKED_HOOKS" ]; then
    DRAIN_NOTE="backlog already drained when the load stopped"
  else
    DRAIN_NOTE="backlog drained within ${DRAINED_AT} s"
  fi
else
  DRAIN_NOTE="backlog NOT drained after ${DRAIN_SECONDS} s"
fi

# ---------------------------------------------------------------- 7. end-to-end relay
LOAD_RELAY=$(cut -d' ' -f1-3 /proc/loadavg)
# path_stats PATH: prints the sink's "posts messages first_ms last_ms" for one hook path (0s if none)
path_stats() {
  local out
  out=$(curl -fsS --max-time 5 "$SINK/stats" \
    | sed -nE "s#.*\"$1\":\{\"posts\":([0-9]+),\"messages\":([0-9]+),\"first_ms\":([0-9]+),\"last_ms\":([0-9]+)\}.*#\1 \2 \3 \4#p")
  echo "${out:-0 0 0 0}"
}
now_ms() { date +%s%3N; }

# (a) direct: wrk posting the fixture straight to the sink's incoming hook (the chat server)
bench direct-warmup "$SINK$DIRECT_PATH" "$WORK/hook.json" "$JSON" "" "$CONNS" "$WARMUP"
bench direct "$SINK$DIRECT_PATH" "$WORK/hook.json" "$JSON" "" "$CONNS" "$DURATION"
# (b) relay: the same through the gateway to an unthrottled destination on the same sink; the
# gateway has been idle since the drain above. Counted: every message the sink gets on RELAY_PATH.
RELAY_START_MS=$(now_ms)
bench gw-relay "$GW/hooks/$RELAY_KEY" "$WORK/hook.json" "$JSON" "" "$CONNS" "$DURATION"
RELAY_WRK_END_MS=$(now_ms)
RELAY_ACKED=$(( ${R[gw-relay.requests]} - ${R[gw-relay.non2xx]} ))
read -r RELAY_P0 RELAY_M0 _ _ < <(path_stats "$RELAY_PATH")
log "relay: the gateway acked $RELAY_ACKED; the sink had $RELAY_M0 when wrk stopped; waiting for the rest"
# until the sink has every acked message and nothing more came for 1 s (RELAY_DRAIN_MAX s at most)
RELAY_WAIT_START=$SECONDS
prev=-1; stable=0
while :; do
  read -r RELAY_P RELAY_M _ RELAY_LAST_MS < <(path_stats "$RELAY_PATH")
  if [ "$RELAY_M" -ge "$RELAY_ACKED" ] && [ "$RELAY_M" -eq "$prev" ]; then
    stable=$(( stable + 1 ))
    [ "$stable" -ge 4 ] && break
  else
    stable=0
  fi
  prev=$RELAY_M
  [ $(( SECONDS - RELAY_WAIT_START )) -ge "$RELAY_DRAIN_MAX" ] && break
  sleep 0.25
done
RELAY_ELAPSED_MS=$(( RELAY_LAST_MS - RELAY_START_MS ))
RELAY_RATE=$(awk -v m="$RELAY_M" -v t="$RELAY_ELAPSED_MS" 'BEGIN { if (t > 0) printf "%.1f", m * 1000 / t; else print 0 }')
RELAY_TAIL_MS=$(( RELAY_LAST_MS - RELAY_WRK_END_MS ))
if [ "$RELAY_M" -ge "$RELAY_ACKED" ]; then
  RELAY_NOTE="all $RELAY_ACKED acked messages delivered"
else
  RELAY_NOTE="only $RELAY_M of $RELAY_ACKED acked messages delivered after ${RELAY_DRAIN_MAX} s"
fi
log "  -> relay delivered $RELAY_M messages in $RELAY_P posts, last ${RELAY_ELAPSED_MS} ms after the start: $RELAY_RATE msg/s"

# accept-to-delivery latency at a fixed rate
LOAD_LATENCY=$(cut -d' ' -f1-3 /proc/loadavg)
log "relay latency: $LATENCY_RATE messages/s for $LATENCY_SECONDS s (after a 2 s warm-up) to /hooks/<latency key>"
java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.RelayLatency "$GW/hooks/$LATENCY_KEY" "$SINK" "$LATENCY_PATH" \
  "$LATENCY_RATE" "$LATENCY_SECONDS" 2 16 "$RELAY_DRAIN_MAX" >"$WORK/latency.log" 2>&1 \
  || die "RelayLatency failed: $(tail -n 5 "$WORK/latency.log")"
{ echo "=== relay latency: RelayLatency $LATENCY_RATE/s for $LATENCY_SECONDS s"; cat "$WORK/latency.log"; echo; } >>"$WORK/wrk.txt"
sed 's/^/  /' "$WORK/latency.log" >&2
line=$(grep '^LATENCY ' "$WORK/latency.log") || die "no summary from RelayLatency"
declare -A L
for kv in ${line#LATENCY }; do L[${kv%%=*}]=${kv#*=}; done
if [ "${L[delivered]}" -eq "${L[sent]}" ] && [ "${L[accepted]}" -eq "${L[sent]}" ]; then
  LATENCY_NOTE="all ${L[sent]} accepted and delivered"
else
  LATENCY_NOTE="NOT all delivered: ${L[accepted]} of ${L[sent]} accepted, ${L[delivered]} of those delivered"
fi
kill -0 "$GW_PID" 2>/dev/null || die "the gateway died"

# ---------------------------------------------------------------- 8. report
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v g="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", g / b; else print "n/a" }'; }
rps() { awk -v r="$1" 'BEGIN { printf "%.0f", r }'; }
errs() { # non-2xx / socket errors, for a label
  local n=${R[$1.non2xx]} e=${R[$1.errors]}
  if [ "$n" -eq 0 ] && [ "$e" -eq 0 ]; then echo 0; else echo "${n} non-2xx, ${e} socket"; fi
}
row() { # row TITLE CONNS BARE_LABEL GW_LABEL
  printf '| %s | %s | %s | %s | %s | %s / %s | %s / %s | %s / %s |\n' "$1" "$2" \
    "$(rps "${R[$3.rps]}")" "$(rps "${R[$4.rps]}")" "$(ratio "${R[$4.rps]}" "${R[$3.rps]}")" \
    "$(ms "${R[$3.p50_us]}")" "$(ms "${R[$3.p99_us]}")" "$(ms "${R[$4.p50_us]}")" "$(ms "${R[$4.p99_us]}")" \
    "$(errs "$3")" "$(errs "$4")"
}
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
JAVA_VERSION=$(java -version 2>&1 | head -n 1)
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

mkdir -p "$RESULTS"
{
  echo "## hookgate load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION (-t$THREADS, $DURATION per run, ${LOW_DURATION} at -c$LOW_CONNS, ${WARMUP} warm-up per server and scenario), all on 127.0.0.1."
  echo "Load average (1/5/15 min) at the start: $LOAD_START, at the end: $LOAD_END. wrk, the servers and anything else running share the same $(nproc) cores: other processes add noise."
  echo "Bare = \`dev.hookgate.bench.BareServer\` (Vert.x, 2 event loops, parse + same answer); gateway = \`target/hookgate.jar\` (token check, durable SQLite enqueue, then the same answer; jobs and deliveries go on in the background to a local sink)."
  echo
  echo "| scenario | conns | bare req/s | gateway req/s | gateway / bare | bare p50 / p99 (ms) | gateway p50 / p99 (ms) | errors bare / gateway |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  row "slash-command ack \`POST /commands/echo\`" "$CONNS" bare-cmd gw-cmd
  row "slash-command ack \`POST /commands/echo\`" "$LOW_CONNS" bare-cmd-low gw-cmd-low
  row "relay ingest \`POST /hooks/<key>\`" "$CONNS" bare-hook gw-hook
  echo
  echo "| gateway memory | VmRSS |"
  echo "|---|---:|"
  echo "| idle, before the load | $(mib "$RSS_IDLE") |"
  echo "| right after the load | $(mib "$RSS_LOAD") |"
  echo "| ${DRAIN_SECONDS} s later | $(mib "$RSS_DRAIN") |"
  echo "| peak (VmHWM) | $(mib "$HWM") |"
  echo "| (bare server: idle / after the load) | $(mib "$BARE_RSS_IDLE") / $(mib "$BARE_RSS_LOAD") |"
  echo
  echo "Backlog: the gateway acked $ACKED_COMMANDS commands and $ACKED_HOOKS hook messages (as counted by wrk and the sanity requests; requests in flight when wrk stops are not counted). The sink had received $SINK_R0 command replies and $SINK_D0 hook messages ($SINK_P0 posts: the gateway coalesces a backlog) when the load stopped, $SINK_R and $SINK_D ($SINK_P posts) ${DRAIN_SECONDS} s later: $DRAIN_NOTE."
  echo "Waits for the backlog before measured runs (at most ${SETTLE_MAX} s): $(IFS=';'; echo "${SETTLED[*]}" | sed 's/;/; /g')."
  echo
  echo "| end-to-end relay (hook fixture) | conns | direct to the sink, msg/s | through the gateway, msg/s delivered | relay / direct (target ≥ 0.5) | gateway accepted, req/s | posts received | last arrival − end of wrk | errors direct / relay |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '| wrk %s each | %s | %s | %s | %s | %s | %s | %s ms | %s / %s |\n' "$DURATION" "$CONNS" \
    "$(rps "${R[direct.rps]}")" "$(rps "$RELAY_RATE")" "$(ratio "$RELAY_RATE" "${R[direct.rps]}")" \
    "$(rps "${R[gw-relay.rps]}")" "$RELAY_P" "$RELAY_TAIL_MS" "$(errs direct)" "$(errs gw-relay)"
  echo
  echo "Load average (1/5/15 min) before the direct/relay runs: $LOAD_RELAY; before the latency run: $LOAD_LATENCY."
  echo
  echo "Direct = wrk posting the fixture straight to the sink's incoming hook (one request = one message). Relay = wrk posting it to the gateway's \`/hooks/<key>\`, destination = the same sink, rate 1000000/s, burst 1000000, max-in-flight $RELAY_MAX_IN_FLIGHT: $RELAY_M messages counted by the sink (lines of coalesced posts) / ${RELAY_ELAPSED_MS} ms from the start of wrk to the last arrival; $RELAY_NOTE (wrk counted $RELAY_ACKED; the sink had $RELAY_M0 in $RELAY_P0 posts when wrk stopped; a negative *last arrival − end of wrk* means the deliveries kept up with the load)."
  echo
  echo "| accept → delivery, ${L[rate]} msg/s for ${L[seconds]} s | sent (achieved rate) | accepted | delivered | posts | p50 | p90 | p99 (target ≤ 50 ms) | max | send → 200 p50 / p99 |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '| `dev.hookgate.bench.RelayLatency` | %s (%s/s) | %s | %s | %s | %s ms | %s ms | %s ms | %s ms | %s / %s ms |\n' \
    "${L[sent]}" "$(rps "${L[send_rate]}")" "${L[accepted]}" "${L[delivered]}" "${L[posts]}" "${L[p50_ms]}" \
    "${L[p90_ms]}" "${L[p99_ms]}" "${L[max_ms]}" "${L[ack_p50_ms]}" "${L[ack_p99_ms]}"
  echo
  echo "Per message: the sink's arrival time minus the time its 200 came back to the load generator (wall-clock ms, both JVMs on this machine; lines merged into one post all count at that post's arrival; ${L[early]} arrived before their 200 came back, counted as negative); paced by a 1 ms timer over 16 keep-alive connections, after a 2 s warm-up; $LATENCY_NOTE, ${L[duplicates]} duplicates."
} >"$RESULTS/latest.md"
cp "$WORK/wrk.txt" "$RESULTS/latest-wrk.txt"
cat "$RESULTS/latest.md"
log "written to bench/results/latest.md (raw wrk output: bench/results/latest-wrk.txt)"

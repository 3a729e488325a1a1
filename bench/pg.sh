#!/usr/bin/env bash
# hookgate relay benchmark on PostgreSQL vs SQLite, one node and two nodes, in one run.
#
#   make bench-pg         (or bench/pg.sh from the repo root or anywhere; about 5 minutes)
#
# Needs a PostgreSQL server (default: postgresql://postgres@127.0.0.1:5432/postgres, trust auth;
# BENCH_PG_URI to change it: a role allowed to CREATE DATABASE, and the admin database to connect
# to) and psql. Every PostgreSQL scenario gets a fresh database, CREATE DATABASE bench_<random>,
# dropped at the end (WITH (FORCE)), also on failure or Ctrl-C.
#
# Scenarios (BENCH_PG_SCENARIOS, default "sqlite pg1 pg2"), one after the other, each with fresh
# gateway processes (the fat jar) and a fresh store:
#   sqlite  one node, the embedded SQLite store (as bench/run.sh);
#   pg1     one node, store.kind: postgres;
#   pg2     two nodes, the same config (only HOOKGATE_HTTP_PORT differs), one fresh database.
# In each, after a BENCH_WARMUP (45s: the JIT) warm-up to another hook/destination and a wait for its backlog:
#   * relay ingest: wrk posting bench/fixtures/seed-hook-curl.json to /hooks/<key> for
#     BENCH_DURATION (15s) at BENCH_CONNECTIONS (32) connections and BENCH_THREADS (2) threads.
#     Two nodes: two wrk processes started together, one per node, each with half the connections
#     and threads; req/s = their sum; p50/p99 are given per node (wrk's percentiles do not add up).
#   * end-to-end relay throughput, from the same wrk run: the destination is the local sink
#     (dev.hookgate.bench.Sink, the "chat server") with an unlimited rate (rate-per-second and burst
#     1000000, max-in-flight BENCH_RELAY_MAX_IN_FLIGHT (4)); msg/s = messages the sink got on that
#     destination (lines of coalesced posts, during the run and the drain after it) / time from the
#     start of wrk to the last arrival (as bench/run.sh).
#   * what it costs: CPU seconds of the gateway JVM(s) and of all postgres processes during the
#     measured run (from /proc, as cores busy), the machine's idle share, and for PostgreSQL the
#     database's committed transactions per second (pg_stat_database.xact_commit).
# Reference: wrk posting the same fixture straight to the sink (one request = one message).
#
# Knobs (environment): BENCH_DURATION (15s), BENCH_WARMUP (45s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_RELAY_MAX_IN_FLIGHT (4), BENCH_RELAY_DRAIN_MAX (30: seconds to wait
# for the last deliveries), BENCH_SETTLE_MAX (15: seconds to wait for the warm-up's backlog),
# BENCH_PG_URI, BENCH_PG_SCENARIOS, BENCH_JAVA_OPTS (extra JVM flags, every JVM), BENCH_LOG_LEVEL
# (gateway log level, INFO), BENCH_KEEP=1 (keep the temp folder with the logs and configs).
# Output: a Markdown table on stdout, also written to bench/results/latest-pg.md; wrk's raw output in
# bench/results/latest-pg-wrk.txt (bench/results/ is git-ignored).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
RESULTS=$ROOT/bench/results
DURATION=${BENCH_DURATION:-15s}
WARMUP=${BENCH_WARMUP:-45s} # the JIT: on a slow machine a gateway's rate still climbs after 40 s of load
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
RELAY_MAX_IN_FLIGHT=${BENCH_RELAY_MAX_IN_FLIGHT:-4}
RELAY_DRAIN_MAX=${BENCH_RELAY_DRAIN_MAX:-30}
SETTLE_MAX=${BENCH_SETTLE_MAX:-15}
PG_URI=${BENCH_PG_URI:-postgresql://postgres@127.0.0.1:5432/postgres}
read -r -a SCENARIOS <<< "${BENCH_PG_SCENARIOS:-sqlite pg1 pg2}"
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"

BENCH_NAME=bench-pg
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# ---------------------------------------------------------------- 1. tools, PostgreSQL, build
for s in "${SCENARIOS[@]}"; do
  case $s in
    sqlite) ;;
    pg1|pg2) NEED_PG=1 ;;
    *) die "unknown scenario '$s' in BENCH_PG_SCENARIOS (sqlite, pg1, pg2)" ;;
  esac
done

# the server part of PG_URI (without the database and parameters), for the gateways' URIs
PG_SERVER=${PG_URI%%\?*}
case ${PG_SERVER#*://} in
  */*) PG_SERVER=${PG_SERVER%/*} ;;
esac
psql_admin() { PGCONNECT_TIMEOUT=5 psql "$PG_URI" -v ON_ERROR_STOP=1 -qAtX "$@"; }
if [ "${NEED_PG:-0}" = 1 ]; then
  command -v psql >/dev/null || die "psql is needed (apt-get install postgresql-client)"
  PG_VERSION=$(psql_admin -c 'SHOW server_version' 2>&1) \
    || die "PostgreSQL does not answer at $PG_URI: $PG_VERSION (set BENCH_PG_URI)"
  PG_SETTINGS=$(psql_admin -F ' ' -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'shared_buffers', 'max_connections')")
fi

bench_tools_and_build

# ---------------------------------------------------------------- 2. processes, databases, cleanup
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookgate-bench-pg.XXXXXX")
DBS=()
drop_db() {
  psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || log "could not drop database $1"
}
cleanup() {
  local rc=$? db
  trap - EXIT INT TERM
  stop_pids "${PIDS[@]}"
  for db in "${DBS[@]}"; do drop_db "$db"; done
  [ "$rc" -eq 0 ] || show_logs "$WORK"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting the sink"
java "${JAVA_OPTS[@]}" -cp "$CP" dev.hookgate.bench.Sink 0 "$WORK/sink.port" \
  "$ROOT/bench/fixtures/seed-hook-curl.json" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!; PIDS+=("$SINK_PID")
SINK=http://127.0.0.1:$(wait_port_file "$WORK/sink.port" "$SINK_PID" sink)
cp "$ROOT/bench/fixtures/seed-hook-curl.json" "$WORK/hook.json"
JSON=application/json

# ---------------------------------------------------------------- 3. measuring helpers
declare -A R # R[label.field]: requests rps p50_us p99_us non2xx errors
: >"$WORK/wrk.txt"

# wrk_start LABEL URL CONNECTIONS THREADS DURATION: starts wrk in the background; pid in WRK_PID
wrk_start() {
  local label=$1 url=$2 conns=$3 threads=$4 dur=$5
  log "wrk $label: -t$threads -c$conns -d$dur $url"
  BENCH_BODY_FILE=$WORK/hook.json BENCH_CONTENT_TYPE=$JSON BENCH_AUTH= BENCH_UNIQUE= BENCH_RUN_ID=$label \
    wrk -t"$threads" -c"$conns" -d"$dur" --timeout 10s --latency -s "$ROOT/bench/post.lua" "$url" \
    >"$WORK/wrk-$label.txt" 2>&1 &
  WRK_PID=$!
  echo "=== $label: wrk -t$threads -c$conns -d$dur $url" >"$WORK/wrk-$label.head"
}
# wrk_finish LABEL PID: waits for it and parses its summary line into R[LABEL.*]
wrk_finish() {
  local label=$1 out line kv
  out=$WORK/wrk-$label.txt
  wait "$2" || die "wrk failed ($label): $(tail -n 5 "$out")"
  { cat "$WORK/wrk-$label.head" "$out"; echo; } >>"$WORK/wrk.txt"
  line=$(grep '^BENCH ' "$out") || die "no summary from wrk ($label)"
  for kv in ${line#BENCH }; do R[$label.${kv%%=*}]=${kv#*=}; done
  R[$label.errors]=$(( ${R[$label.connect]} + ${R[$label.read]} + ${R[$label.write]} + ${R[$label.timeout]} ))
  log "  -> $label: ${R[$label.rps]} req/s, p50 ${R[$label.p50_us]} us, p99 ${R[$label.p99_us]} us," \
    "non-2xx ${R[$label.non2xx]}, socket errors ${R[$label.errors]}"
}
# pg_ticks_snapshot FILE: "pid ticks" of every process named postgres (the server and its backends)
pg_ticks_snapshot() {
  local f
  for f in /proc/[0-9]*/stat; do
    awk '$2 == "(postgres)" { sub(/^.*\) /, ""); print FILENAME, $12 + $13 }' "$f" 2>/dev/null || true
  done >"$1"
}
# pg_ticks_delta BEFORE AFTER: ticks spent by postgres processes between the snapshots
pg_ticks_delta() {
  awk 'NR == FNR { before[$1] = $2; next } { d += $2 - (($1 in before) ? before[$1] : 0) } END { print d + 0 }' "$1" "$2"
}
# machine_ticks: "busy total" clock ticks of all cores, from /proc/stat
machine_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
cores() { awk -v t="$1" -v ms="$2" -v hz="$HZ" 'BEGIN { if (ms > 0) printf "%.2f", t / hz / (ms / 1000); else print "n/a" }'; }
xact_commits() { psql_admin -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$1'"; }
wal_syncs() { psql_admin -c "SELECT wal_sync FROM pg_stat_wal"; } # server-wide WAL flushes (fsync/fdatasync)
# sample_waits DB OUT PID...: every 0.5 s while one of the PIDs runs, what each active backend of DB
# waits on ("CPU" when it waits on nothing), one line per backend and sample
sample_waits() {
  local db=$1 out=$2 pid alive
  shift 2
  while :; do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || break
    psql_admin -c "SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
      WHERE datname = '$db' AND state NOT IN ('idle') AND pid <> pg_backend_pid()" >>"$out" 2>/dev/null || true
    sleep 0.5
  done
}
# wait_summary FILE: the 4 most frequent waits as shares of the active-backend samples
wait_summary() {
  sort "$1" | uniq -c | sort -rn | awk -v n="$(wc -l <"$1")" \
    'NR <= 4 { printf "%s%s %.0f%%", (NR > 1 ? ", " : ""), $2, 100 * $1 / n } END { if (n == 0) printf "none" }'
}

# ---------------------------------------------------------------- 4. reference: straight to the sink
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
DIRECT_PATH=/hooks/directdestination000000000
got=$(curl -sS -H "Content-Type: $JSON" --data-binary "@$WORK/hook.json" "$SINK$DIRECT_PATH")
[ "$got" = ok ] || die "the sink's $DIRECT_PATH answered: $got"
wrk_start direct-warmup "$SINK$DIRECT_PATH" "$CONNS" "$THREADS" "$WARMUP"; wrk_finish direct-warmup "$WRK_PID"
wrk_start direct "$SINK$DIRECT_PATH" "$CONNS" "$THREADS" "$DURATION"; wrk_finish direct "$WRK_PID"

# ---------------------------------------------------------------- 5. the scenarios
declare -A S # S[scenario.field]
# start_node NAME CONFIG PORT: starts a gateway; pid in NODE_PID
start_node() {
  local name=$1 config=$2 port=$3 base=http://127.0.0.1:$3
  # no HOOKGATE_* variable of the caller's environment may override the bench config
  mapfile -t UNSET < <(env | sed -n 's/^\(HOOKGATE_[A-Za-z0-9_]*\)=.*/-u\n\1/p')
  (cd "$WORK" && exec env "${UNSET[@]}" HOOKGATE_LOG_LEVEL="${BENCH_LOG_LEVEL:-INFO}" HOOKGATE_HTTP_PORT="$port" \
    java "${JAVA_OPTS[@]}" -jar "$ROOT/$JAR" --config "$config") >"$WORK/$name.log" 2>&1 &
  NODE_PID=$!; PIDS+=("$NODE_PID")
}
wait_health() { # BASE PID NAME
  for _ in $(seq 1 300); do # 30 s at most
    curl -fsS -o /dev/null --max-time 2 "$1/health" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || die "$3 exited before listening"
    sleep 0.1
  done
  die "$3 does not answer on $1/health after 30 s"
}

run_scenario() {
  local sc=$1 nodes=1 store db= uri= i
  [ "$sc" = pg2 ] && nodes=2
  local relay_path=/hooks/relay${sc}destination00000 warm_path=/hooks/warm${sc}destination000000
  local relay_key=relay-$(rand 26) warm_key=warm-$(rand 26)
  log "=== scenario $sc: $nodes node(s)"
  if [ "$sc" = sqlite ]; then
    store="store: {path: $WORK/$sc.db}"
  else
    db=bench_$(rand 16)
    psql_admin -c "CREATE DATABASE $db" >/dev/null || die "CREATE DATABASE $db failed"
    DBS+=("$db")
    uri=$PG_SERVER/$db
    store="store: {kind: postgres, postgres: {uri: \"$uri\"}, lease: 30s}"
    log "fresh database $db"
  fi
  cat >"$WORK/$sc.yaml" <<EOF
# written by bench/pg.sh (http.port: HOOKGATE_HTTP_PORT of each node)
http:
  host: 127.0.0.1
$store
destinations:
  warm:
    url: $SINK$warm_path
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: $RELAY_MAX_IN_FLIGHT
  relay:
    url: $SINK$relay_path
    rate-per-second: 1000000
    burst: 1000000
    max-in-flight: $RELAY_MAX_IN_FLIGHT
hooks:
  warm:
    key: $warm_key
    destination: warm
  relay:
    key: $relay_key
    destination: relay
EOF
  local pids=() bases=() port
  for i in $(seq 1 "$nodes"); do
    port=$(free_port)
    start_node "$sc-node$i" "$WORK/$sc.yaml" "$port"
    pids+=("$NODE_PID"); bases+=("http://127.0.0.1:$port")
  done
  for i in $(seq 1 "$nodes"); do wait_health "${bases[i-1]}" "${pids[i-1]}" "$sc node $i"; done
  log "gateway(s) ${bases[*]} (pids ${pids[*]})"
  for b in "${bases[@]}"; do # sanity: each node answers "ok" on both hooks
    for k in "$warm_key" "$relay_key"; do
      got=$(curl -sS -H "Content-Type: $JSON" --data-binary "@$WORK/hook.json" "$b/hooks/$k")
      [ "$got" = ok ] || die "$b/hooks/<key> answered: $got"
    done
  done
  local relay_sanity=$nodes warm_acked=$nodes

  # warm-up (JIT, pools, lane ownership) on its own hook and destination, then its backlog drains
  local c=$(( CONNS / nodes )) t=$(( THREADS / nodes )) wpids=()
  [ "$t" -ge 1 ] || t=1
  for i in $(seq 1 "$nodes"); do
    wrk_start "$sc-warmup-n$i" "${bases[i-1]}/hooks/$warm_key" "$c" "$t" "$WARMUP"; wpids+=("$WRK_PID")
  done
  for i in $(seq 1 "$nodes"); do
    wrk_finish "$sc-warmup-n$i" "${wpids[i-1]}"
    warm_acked=$(( warm_acked + ${R[$sc-warmup-n$i.requests]} - ${R[$sc-warmup-n$i.non2xx]} ))
  done
  local t0=$SECONDS wp wm
  read -r wm _ _ wp < <(wait_count path "$warm_path" "$warm_acked" "$SETTLE_MAX")
  S[$sc.settle]="$(( SECONDS - t0 )) s, $wm of $warm_acked warm-up messages delivered"
  log "warm-up backlog: ${S[$sc.settle]}"

  # the measured run: ingest (wrk) and delivery (the sink) together
  local commits0=0 commits1=0 gw0 gw1 m0 m1 start_ms end_ms
  S[$sc.load]=$(cut -d' ' -f1-3 /proc/loadavg)
  local syncs0=0 syncs1=0 sampler=
  if [ -n "$db" ]; then commits0=$(xact_commits "$db"); syncs0=$(wal_syncs); fi
  : >"$WORK/$sc-waits.txt"
  gw0=$(cpu_ticks "${pids[@]}"); pg_ticks_snapshot "$WORK/pg0.txt"; read -r mb0 mt0 < <(machine_ticks)
  start_ms=$(now_ms)
  wpids=()
  for i in $(seq 1 "$nodes"); do
    wrk_start "$sc-n$i" "${bases[i-1]}/hooks/$relay_key" "$c" "$t" "$DURATION"; wpids+=("$WRK_PID")
  done
  if [ -n "$db" ]; then sample_waits "$db" "$WORK/$sc-waits.txt" "${wpids[@]}" & sampler=$!; fi
  for i in $(seq 1 "$nodes"); do wrk_finish "$sc-n$i" "${wpids[i-1]}"; done
  end_ms=$(now_ms)
  gw1=$(cpu_ticks "${pids[@]}"); pg_ticks_snapshot "$WORK/pg1.txt"; read -r mb1 mt1 < <(machine_ticks)
  if [ -n "$db" ]; then commits1=$(xact_commits "$db"); syncs1=$(wal_syncs); wait "$sampler" || true; fi
  local wall=$(( end_ms - start_ms )) acked=$relay_sanity rps=0 req=0 non2xx=0 errors=0 lat=
  for i in $(seq 1 "$nodes"); do
    local l=$sc-n$i
    acked=$(( acked + ${R[$l.requests]} - ${R[$l.non2xx]} ))
    req=$(( req + ${R[$l.requests]} )); non2xx=$(( non2xx + ${R[$l.non2xx]} )); errors=$(( errors + ${R[$l.errors]} ))
    rps=$(awk -v a="$rps" -v b="${R[$l.rps]}" 'BEGIN { printf "%.1f", a + b }')
    local who=
    if [ "$nodes" -gt 1 ]; then who="node $i: "; fi
    lat+="${lat:+; }$who$(ms "${R[$l.p50_us]}") / $(ms "${R[$l.p99_us]}")"
  done
  local p0 mm0
  read -r p0 mm0 _ _ < <(path_stats "$relay_path")
  log "relay: the gateway(s) acked $acked; the sink had $mm0 when wrk stopped; waiting for the rest"
  local rp rm rf rl
  read -r rm rf rl rp < <(wait_count path "$relay_path" "$acked" "$RELAY_DRAIN_MAX")
  local elapsed=$(( rl - start_ms ))
  S[$sc.nodes]=$nodes
  S[$sc.rps]=$rps
  S[$sc.lat]=$lat
  S[$sc.errors]=$( [ "$non2xx" -eq 0 ] && [ "$errors" -eq 0 ] && echo 0 || echo "$non2xx non-2xx, $errors socket")
  S[$sc.msgs]=$(awk -v m="$rm" -v t="$elapsed" 'BEGIN { if (t > 0) printf "%.1f", m * 1000 / t; else print 0 }')
  S[$sc.delivered]=$rm; S[$sc.acked]=$acked; S[$sc.posts]=$rp; S[$sc.tail]=$(( rl - end_ms ))
  S[$sc.at_stop]=$mm0
  S[$sc.gw_cpu]=$(cores $(( gw1 - gw0 )) "$wall")
  S[$sc.pg_cpu]=$( [ -n "$db" ] && cores "$(pg_ticks_delta "$WORK/pg0.txt" "$WORK/pg1.txt")" "$wall" || echo "n/a")
  S[$sc.idle]=$(awk -v b=$(( mb1 - mb0 )) -v t=$(( mt1 - mt0 )) 'BEGIN { if (t > 0) printf "%.0f %%", 100 * (t - b) / t; else print "n/a" }')
  S[$sc.commits]=$( [ -n "$db" ] && awk -v c=$(( commits1 - commits0 )) -v ms="$wall" 'BEGIN { printf "%.0f", c * 1000 / ms }' || echo "n/a")
  S[$sc.syncs]=$( [ -n "$db" ] && awk -v c=$(( syncs1 - syncs0 )) -v ms="$wall" 'BEGIN { printf "%.0f", c * 1000 / ms }' || echo "n/a")
  S[$sc.per_msg]=$( [ -n "$db" ] && awk -v c=$(( commits1 - commits0 )) -v a="$acked" 'BEGIN { if (a > 0) printf "%.1f", c / a; else print "n/a" }' || echo "n/a")
  S[$sc.waits]=$( [ -n "$db" ] && wait_summary "$WORK/$sc-waits.txt" || echo "n/a")
  # which node sends to the destination (one owner per destination on PostgreSQL)
  local owners=
  for i in $(seq 1 "$nodes"); do
    grep -q "this node now sends to dest:relay" "$WORK/$sc-node$i.log" && owners+="${owners:+, }node $i"
  done
  S[$sc.owner]=${owners:-none logged}
  log "  -> $sc: ingest $rps req/s; delivered $rm of $acked messages in $rp posts, last ${elapsed} ms after the start:" \
    "${S[$sc.msgs]} msg/s; gateway CPU ${S[$sc.gw_cpu]} cores, postgres ${S[$sc.pg_cpu]}, idle ${S[$sc.idle]}," \
    "transactions/s ${S[$sc.commits]} (${S[$sc.per_msg]} per message), WAL flushes/s ${S[$sc.syncs]}," \
    "backend waits: ${S[$sc.waits]}; relay destination sent by ${S[$sc.owner]}"
  for i in $(seq 1 "$nodes"); do kill -0 "${pids[i-1]}" 2>/dev/null || die "$sc node $i died"; done
  stop_pids "${pids[@]}"
  if [ -n "$db" ]; then drop_db "$db"; fi
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
rnd() { awk -v r="$1" 'BEGIN { printf "%.0f", r }'; }
ratio() { awk -v g="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", g / b; else print "n/a" }'; }

for sc in "${SCENARIOS[@]}"; do run_scenario "$sc"; done
DBS=() # dropped at the end of each scenario

# ---------------------------------------------------------------- 6. report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
JAVA_VERSION=$(java -version 2>&1 | sed -n 1p)
WRK_VERSION=$( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)
title() {
  case $1 in
    sqlite) echo "SQLite, 1 node" ;;
    pg1) echo "PostgreSQL, 1 node" ;;
    pg2) echo "PostgreSQL, 2 nodes" ;;
  esac
}
sending_note() { # whether the deliveries kept up with the ingest
  if [ "${S[$1.delivered]}" -ge "${S[$1.acked]}" ] && [ "${S[$1.tail]}" -le 1000 ]; then
    echo "it kept up, last arrival ${S[$1.tail]} ms after wrk stopped: not the limit at this ingest rate"
  else
    echo "it lagged: ${S[$1.delivered]} of ${S[$1.acked]} delivered, last arrival ${S[$1.tail]} ms after wrk stopped"
  fi
}
limit() { # one line of measured facts per scenario (what the store and the CPU did)
  local sc=$1
  case $sc in
    sqlite) echo "the gateway used ${S[$sc.gw_cpu]} cores, the machine was ${S[$sc.idle]} idle (shared with wrk and the sink); delivery: $(sending_note "$sc")" ;;
    pg1|pg2) echo "${S[$sc.per_msg]} PostgreSQL transactions per accepted message, ${S[$sc.syncs]} WAL flushes/s (server-wide), backend waits ${S[$sc.waits]}; gateway(s) ${S[$sc.gw_cpu]} + postgres ${S[$sc.pg_cpu]} cores of $(nproc), machine ${S[$sc.idle]} idle; the relay destination was sent by ${S[$sc.owner]}; delivery: $(sending_note "$sc")" ;;
  esac
}
# ratio_line A B: "A/s ÷ B/s = 0.NN×" of the ingest req/s of two scenarios (n/a if one did not run)
ratio_line() {
  if [ -z "${S[$1.rps]:-}" ] || [ -z "${S[$2.rps]:-}" ]; then echo "n/a (scenario not run)"; return; fi
  ratio_of "${S[$1.rps]}" "${S[$2.rps]}"
}
mkdir -p "$RESULTS"
{
  echo "## hookgate relay on PostgreSQL vs SQLite, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores ($CPU), $JAVA_VERSION, $WRK_VERSION; PostgreSQL ${PG_VERSION:-n/a} on ${PG_SERVER#*@} (${PG_SETTINGS:-n/a}), all on 127.0.0.1."
  echo "Load average (1/5/15 min) at the start: $LOAD_START, at the end: $LOAD_END; wrk, the gateway(s), the sink and PostgreSQL share the same $(nproc) cores."
  echo "\`uptime\` at the end: $(uptime)"
  echo "Per scenario: fresh gateway process(es) and store (PostgreSQL: a fresh database, dropped after), ${WARMUP} warm-up on another hook, then wrk -c$CONNS -t$THREADS for $DURATION to \`POST /hooks/<key>\` (two nodes: two wrk at once, -c$(( CONNS / 2 )) each, one per node); the destination is the sink, unthrottled, max-in-flight $RELAY_MAX_IN_FLIGHT."
  echo
  echo "| scenario | ingest req/s | ingest p50 / p99 (ms) | delivered msg/s | delivered / direct | delivered / acked | posts | last arrival − end of wrk | gateway CPU (cores) | postgres CPU (cores) | machine idle | PG transactions/s (per message) | WAL flushes/s | errors | load avg before |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '| direct to the sink (reference) | %s | %s / %s | %s | 1.00 | | | | | | | | | %s | %s |\n' \
    "$(rnd "${R[direct.rps]}")" "$(ms "${R[direct.p50_us]}")" "$(ms "${R[direct.p99_us]}")" "$(rnd "${R[direct.rps]}")" \
    "$( [ "${R[direct.non2xx]}" -eq 0 ] && [ "${R[direct.errors]}" -eq 0 ] && echo 0 || echo "${R[direct.non2xx]} non-2xx, ${R[direct.errors]} socket")" \
    "$LOAD_START"
  for sc in "${SCENARIOS[@]}"; do
    printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s ms | %s | %s | %s | %s | %s | %s | %s |\n' "$(title "$sc")" \
      "$(rnd "${S[$sc.rps]}")" "${S[$sc.lat]}" "$(rnd "${S[$sc.msgs]}")" "$(ratio "${S[$sc.msgs]}" "${R[direct.rps]}")" \
      "${S[$sc.delivered]}" "${S[$sc.acked]}" "${S[$sc.posts]}" "${S[$sc.tail]}" "${S[$sc.gw_cpu]}" "${S[$sc.pg_cpu]}" \
      "${S[$sc.idle]}" "$( [ "${S[$sc.commits]}" = n/a ] && echo n/a || echo "${S[$sc.commits]} (${S[$sc.per_msg]})")" \
      "${S[$sc.syncs]}" "${S[$sc.errors]}" "${S[$sc.load]}"
  done
  echo
  echo "| measure (issue 9) | this run | target |"
  echo "|---|---|---|"
  echo "| PostgreSQL, one node, relay ingest ÷ SQLite | $(ratio_line pg1 sqlite) | $(target "${S[pg1.rps]:-0}" "${S[sqlite.rps]:-0}" 0.4) |"
  echo "| PostgreSQL, two nodes together ÷ one node (same total connections, $CONNS) | $(ratio_line pg2 pg1) | $(target "${S[pg2.rps]:-0}" "${S[pg1.rps]:-0}" 1.0) |"
  echo
  echo "What each scenario cost:"
  echo
  for sc in "${SCENARIOS[@]}"; do echo "- **$(title "$sc")**: $(limit "$sc")."; done
  echo
  echo "Delivered msg/s = messages the sink counted on the destination (lines of coalesced posts) / time from the start of wrk to the last arrival; *delivered / acked* compares them with the 200s wrk counted plus the sanity requests (requests in flight when wrk stops are not counted, so delivered may end slightly above); a negative *last arrival − end of wrk* means the deliveries kept up with the load. CPU = CPU seconds of the gateway JVM(s) (and of every \`postgres\` process) during the measured run / its wall time. Warm-up backlog waits (at most ${SETTLE_MAX} s): $(for sc in "${SCENARIOS[@]}"; do printf '%s: %s; ' "$(title "$sc")" "${S[$sc.settle]}"; done | sed 's/; $//')."
} >"$RESULTS/latest-pg.md"
cp "$WORK/wrk.txt" "$RESULTS/latest-pg-wrk.txt"
cat "$RESULTS/latest-pg.md"
log "written to bench/results/latest-pg.md (raw wrk output: bench/results/latest-pg-wrk.txt)"

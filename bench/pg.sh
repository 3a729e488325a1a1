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
#   * what it costs: CPU seconds of each gateway JVM and of PostgreSQL (the postmaster and its
#     processes: the server's own and the benchmark database's backends, from /proc) during the
#     measured run, as cores busy and as CPU ms per accepted message; the machine's idle share; the
#     database's committed transactions per second (pg_stat_database.xact_commit); the gateways'
#     store commits per second and mean batch (operations per commit, from their /metrics).
#   * a projection from the CPU per message (two nodes if run, else one): nodes and PostgreSQL
#     cores for BENCH_PROJECT_RATES msg/s (nodes of BENCH_NODE_CORES (2) cores, PostgreSQL on
#     BENCH_PG_CORES (4) for the two-node ratio, everything busy at most BENCH_UTILIZATION (0.7)),
#     checked against the run: each PostgreSQL scenario's CPU predicted from the other's.
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
# the server's postmaster: the parent of its checkpointer (pg_stat_activity names it)
pg_postmaster() {
  local ckpt
  ckpt=$(psql_admin -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'") || return 0
  [ -n "$ckpt" ] && awk '{ sub(/^.*\) /, ""); print $2 }' "/proc/$ckpt/stat" 2>/dev/null || true
}
# pg_ticks_snapshot FILE DB: "pid ticks" of the postmaster and its children: the server's own processes
# and the client backends of DB (not those of other databases on a shared server), from /proc
pg_ticks_snapshot() {
  local f pid cmd
  : >"$1"
  [ -n "${PG_POSTMASTER:-}" ] || return 0
  for f in /proc/[0-9]*/stat; do
    pid=${f#/proc/}; pid=${pid%/stat}
    read -r ppid ticks < <(awk '{ sub(/^.*\) /, ""); print $2, $12 + $13 }' "$f" 2>/dev/null) || continue
    [ "$pid" = "$PG_POSTMASTER" ] || [ "$ppid" = "$PG_POSTMASTER" ] || continue
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    case $cmd in
      *"("[0-9]*")"*|*"[local]"*) case $cmd in *" $2 "*) ;; *) continue ;; esac ;; # a client backend: ours only
    esac
    echo "$pid $ticks"
  done >"$1"
}
if [ "${NEED_PG:-0}" = 1 ]; then
  PG_POSTMASTER=$(pg_postmaster)
  [ -n "$PG_POSTMASTER" ] || log "the postmaster's pid is not readable: PostgreSQL CPU will read 0"
fi
# store_counts BASE: "operations transactions" the gateway's store committed (its /metrics)
store_counts() {
  curl -fsS --max-time 5 "$1/metrics" 2>/dev/null | awk '/^hookgate_store_operations_total[{ ]/ { o += $NF }
    /^hookgate_store_transactions_total[{ ]/ { t += $NF } END { printf "%.0f %.0f\n", o, t }'
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
  local nt0=() nt1=() sc0=() sc1=()
  for i in $(seq 1 "$nodes"); do nt0+=("$(cpu_ticks "${pids[i-1]}")"); sc0+=("$(store_counts "${bases[i-1]}")"); done
  gw0=$(cpu_ticks "${pids[@]}"); pg_ticks_snapshot "$WORK/pg0.txt" "$db"; read -r mb0 mt0 < <(machine_ticks)
  start_ms=$(now_ms)
  wpids=()
  for i in $(seq 1 "$nodes"); do
    wrk_start "$sc-n$i" "${bases[i-1]}/hooks/$relay_key" "$c" "$t" "$DURATION"; wpids+=("$WRK_PID")
  done
  if [ -n "$db" ]; then sample_waits "$db" "$WORK/$sc-waits.txt" "${wpids[@]}" & sampler=$!; fi
  for i in $(seq 1 "$nodes"); do wrk_finish "$sc-n$i" "${wpids[i-1]}"; done
  end_ms=$(now_ms)
  gw1=$(cpu_ticks "${pids[@]}"); pg_ticks_snapshot "$WORK/pg1.txt" "$db"; read -r mb1 mt1 < <(machine_ticks)
  for i in $(seq 1 "$nodes"); do nt1+=("$(cpu_ticks "${pids[i-1]}")"); sc1+=("$(store_counts "${bases[i-1]}")"); done
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
  # CPU per accepted message (ms): each node (its ticks ÷ the messages it acked), all gateways,
  # PostgreSQL (postmaster and its processes), the whole machine (wrk and the sink included)
  local pg_ticks=0 ops=0 txs=0 o0 t0 o1 t1 per_node=
  [ -n "$db" ] && pg_ticks=$(pg_ticks_delta "$WORK/pg0.txt" "$WORK/pg1.txt")
  for i in $(seq 1 "$nodes"); do
    local na=$(( ${R[$sc-n$i.requests]} - ${R[$sc-n$i.non2xx]} ))
    per_node+="${per_node:+ / }$(ms_per_msg $(( nt1[i-1] - nt0[i-1] )) "$na")"
    read -r o0 t0 <<<"${sc0[i-1]}"; read -r o1 t1 <<<"${sc1[i-1]}"
    ops=$(( ops + o1 - o0 )); txs=$(( txs + t1 - t0 ))
  done
  S[$sc.gw_node_ms]=$per_node
  S[$sc.gw_ms]=$(ms_per_msg $(( gw1 - gw0 )) "$acked")
  S[$sc.pg_ms]=$( [ -n "$db" ] && ms_per_msg "$pg_ticks" "$acked" || echo 0)
  S[$sc.machine_ms]=$(ms_per_msg $(( mb1 - mb0 )) "$acked")
  S[$sc.cores_used]=$(cores $(( gw1 - gw0 + pg_ticks )) "$wall")
  S[$sc.gw_commits]=$(awk -v c="$txs" -v ms="$wall" 'BEGIN { printf "%.0f", c * 1000 / ms }')
  S[$sc.batch]=$(awk -v o="$ops" -v t="$txs" 'BEGIN { if (t > 0) printf "%.1f", o / t; else print "n/a" }')
  # which node sends to the destination (one owner per destination on PostgreSQL)
  local owners=
  for i in $(seq 1 "$nodes"); do
    grep -q "this node now sends to dest:relay" "$WORK/$sc-node$i.log" && owners+="${owners:+, }node $i"
  done
  S[$sc.owner]=${owners:-none logged}
  log "  -> $sc: ingest $rps req/s; delivered $rm of $acked messages in $rp posts, last ${elapsed} ms after the start:" \
    "${S[$sc.msgs]} msg/s; gateway CPU ${S[$sc.gw_cpu]} cores, postgres ${S[$sc.pg_cpu]}, idle ${S[$sc.idle]}," \
    "transactions/s ${S[$sc.commits]} (${S[$sc.per_msg]} per message), WAL flushes/s ${S[$sc.syncs]}," \
    "backend waits: ${S[$sc.waits]}; relay destination sent by ${S[$sc.owner]}; CPU ms per message: gateway(s)" \
    "${S[$sc.gw_ms]} (each node ${S[$sc.gw_node_ms]}), postgres ${S[$sc.pg_ms]}, machine ${S[$sc.machine_ms]};" \
    "store commits/s ${S[$sc.gw_commits]}, mean batch ${S[$sc.batch]} operations"
  for i in $(seq 1 "$nodes"); do kill -0 "${pids[i-1]}" 2>/dev/null || die "$sc node $i died"; done
  stop_pids "${pids[@]}"
  if [ -n "$db" ]; then drop_db "$db"; fi
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ms_per_msg() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN { if (n > 0) printf "%.3f", t / hz * 1000 / n; else print "n/a" }'; }
rnd() { awk -v r="$1" 'BEGIN { printf "%.0f", r }'; }
ratio() { awk -v g="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", g / b; else print "n/a" }'; }

for sc in "${SCENARIOS[@]}"; do run_scenario "$sc"; done

# ---------------------------------------------------------------- projection (from CPU per message)
# A linear model: a message costs g ms of gateway CPU (on whichever node took it) and p ms of
# PostgreSQL CPU, whatever the rate. N nodes of NODE_CORES cores and a PostgreSQL of C cores, each
# busy at most UTILIZATION, carry min(N × NODE_CORES × U × 1000 / g, C × U × 1000 / p) msg/s.
NODE_CORES=${BENCH_NODE_CORES:-2}
PG_CORES=${BENCH_PG_CORES:-4}
UTILIZATION=${BENCH_UTILIZATION:-0.7}
read -r -a PROJECT_RATES <<< "${BENCH_PROJECT_RATES:-2000 5000 10000 20000 50000}"
proj_source() { if [ -n "${S[pg2.gw_ms]:-}" ]; then echo pg2; elif [ -n "${S[pg1.gw_ms]:-}" ]; then echo pg1; fi; }
projected_ratio() {
  local src; src=$(proj_source)
  [ -n "$src" ] || { echo 0; return; }
  awk -v g="${S[$src.gw_ms]}" -v p="${S[$src.pg_ms]}" -v n="$NODE_CORES" -v c="$PG_CORES" -v u="$UTILIZATION" '
    function cap(nodes) { a = nodes * n * u * 1000 / g; b = (p > 0) ? c * u * 1000 / p : a; return a < b ? a : b }
    BEGIN { if (g > 0) printf "%.2f", cap(2) / cap(1); else print 0 }'
}
projection() {
  local src; src=$(proj_source)
  [ -n "$src" ] || return 0
  local g=${S[$src.gw_ms]} p=${S[$src.pg_ms]}
  echo "**Projection** from $(title "$src")'s CPU per message (gateway $g ms, PostgreSQL $p ms), nodes of $NODE_CORES cores and PostgreSQL busy at most $(awk -v u="$UTILIZATION" 'BEGIN { printf "%.0f %%", u * 100 }') (BENCH_NODE_CORES, BENCH_UTILIZATION):"
  echo
  echo "| relay messages/s | gateway cores | nodes of $NODE_CORES cores | PostgreSQL cores |"
  echo "|---:|---:|---:|---:|"
  for r in "${PROJECT_RATES[@]}"; do
    awk -v r="$r" -v g="$g" -v p="$p" -v n="$NODE_CORES" -v u="$UTILIZATION" 'function ceil(x) { return (x == int(x)) ? x : int(x) + 1 }
      BEGIN { gc = r * g / 1000; pc = r * p / 1000; printf "| %d | %.1f | %d | %d (%.1f busy) |\n", r, gc, ceil(gc / (n * u)), ceil(pc / u), pc }'
  done
  echo
  echo "Two nodes ÷ one with PostgreSQL on $PG_CORES cores: $(projected_ratio)× (one node is bound by its own $NODE_CORES cores; PostgreSQL on $PG_CORES cores carries $(awk -v p="$p" -v c="$PG_CORES" -v u="$UTILIZATION" 'BEGIN { if (p > 0) printf "%.0f", c * u * 1000 / p; else print "n/a" }') msg/s)."
  echo
  echo "Check of the model against this run: the CPU (gateways + PostgreSQL) each scenario would use at its measured rate with the other scenario's CPU per message, and what it used:"
  echo
  local a b
  for a in pg1 pg2; do
    b=$( [ "$a" = pg1 ] && echo pg2 || echo pg1)
    [ -n "${S[$a.gw_ms]:-}" ] && [ -n "${S[$b.gw_ms]:-}" ] || continue
    awk -v r="${S[$a.rps]}" -v g="${S[$b.gw_ms]}" -v p="${S[$b.pg_ms]}" -v used="${S[$a.cores_used]}" -v ta="$(title "$a")" -v tb="$(title "$b")" \
      'BEGIN { pred = r * (g + p) / 1000; printf "- %s at %.0f msg/s: %.2f cores predicted from %s, %.2f used (%+.0f %%)\n", ta, r, pred, tb, used, (used > 0 ? 100 * (pred - used) / used : 0) }'
  done
}
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
  echo "| measure (issue 18) | this run | target |"
  echo "|---|---|---|"
  echo "| PostgreSQL, one node, relay ingest ÷ SQLite | $(ratio_line pg1 sqlite) | $(target "${S[pg1.rps]:-0}" "${S[sqlite.rps]:-0}" 0.5) |"
  echo "| PostgreSQL, two nodes together ÷ one node (same total connections, $CONNS) | $(ratio_line pg2 pg1) | $(target "${S[pg2.rps]:-0}" "${S[pg1.rps]:-0}" 1.0) |"
  echo "| projection: two ${NODE_CORES}-core nodes ÷ one, PostgreSQL on ${PG_CORES} cores (below) | $(projected_ratio) | $(target "$(projected_ratio)" 1 1.7) |"
  echo
  echo "CPU per accepted message (ms of CPU, during the measured run ÷ the messages acked in it: ingest and delivery together) and the store's batching:"
  echo
  echo "| scenario | gateway CPU ms/msg (each node) | postgres CPU ms/msg | whole machine CPU ms/msg (wrk, sink included) | store commits/s (the gateways' count) | PG transactions/s | mean batch (operations per commit) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for sc in "${SCENARIOS[@]}"; do
    printf '| %s | %s (%s) | %s | %s | %s | %s | %s |\n' "$(title "$sc")" "${S[$sc.gw_ms]}" "${S[$sc.gw_node_ms]}" \
      "$( [ "$sc" = sqlite ] && echo n/a || echo "${S[$sc.pg_ms]}")" "${S[$sc.machine_ms]}" "${S[$sc.gw_commits]}" \
      "${S[$sc.commits]}" "${S[$sc.batch]}"
  done
  echo
  projection
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

# Shared by bench/run.sh and bench/pg.sh (sourced, from the repo root; set BENCH_NAME first).
# Needs: ROOT; defines log/die, the tools and build step (CP: the test classpath), process and
# port helpers, the sink queries (SINK), CPU ticks and number formatting.

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# bench_tools_and_build: wrk (installed with apt-get if missing), curl, java; the fat jar (built
# if older than the sources) and the test classes; sets CP
bench_tools_and_build() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    command -v wrk >/dev/null || die "wrk could not be installed"
  fi
  command -v curl >/dev/null || die "curl is needed"
  command -v java >/dev/null || die "java is needed"
  local mvn=(mvn -B -ntp -q)
  JAR=target/hookgate.jar
  if [ ! -f "$JAR" ] || [ -n "$(find src/main conf pom.xml -newer "$JAR" -print -quit)" ]; then
    log "building $JAR"
    "${mvn[@]}" -o -DskipTests package 2>/dev/null || "${mvn[@]}" -DskipTests package
  fi
  log "compiling the bench classes (test scope)"
  "${mvn[@]}" -o -DskipTests test-compile 2>/dev/null || "${mvn[@]}" -DskipTests test-compile
  if [ ! -s target/cp.txt ] || [ pom.xml -nt target/cp.txt ]; then
    "${mvn[@]}" dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
  fi
  CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/cp.txt)"
  local c
  for c in Baseline Sink StoreFill RelayLatency; do
    [ -f "target/test-classes/dev/hookgate/bench/$c.class" ] || die "$c was not compiled"
  done
}

PIDS=() # every process the script started and has not stopped yet
# stop_pids PID...: SIGTERM to each, 20 s to exit, then SIGKILL; forgotten from PIDS
stop_pids() {
  local pid p keep
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    keep=()
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
  done
}
show_logs() { # DIR: the last lines of every log in DIR (after a failure)
  local f
  for f in "$1"/*.log; do
    [ -f "$f" ] || continue
    log "last lines of $f:"
    tail -n 15 "$f" >&2 || true
  done
}

wait_port_file() { # FILE PID NAME: prints the port a server wrote into FILE (30 s at most)
  for _ in $(seq 1 300); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    kill -0 "$2" 2>/dev/null || die "$3 exited before listening"
    sleep 0.1
  done
  die "$3 did not listen within 30 s"
}
free_port() { # a port nobody answers on, picked at random (bounded tries)
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}
rand() { head -c 32 /dev/urandom | sha256sum | tr -d -c 'a-z0-9' | head -c "$1"; }
now_ms() { date +%s%3N; }
HZ=$(getconf CLK_TCK)
cpu_ticks() { # PID...: utime+stime (clock ticks) of the given processes, summed
  local pid sum=0 t
  for pid in "$@"; do
    t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    sum=$(( sum + t ))
  done
  echo "$sum"
}
# num X: X rounded, with thousands separators
num() { awk -v r="$1" 'BEGIN { s = sprintf("%.0f", r); o = ""; while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) } print s o }'; }
# ratio_of A B: "A/s ÷ B/s = **0.NN×**"
ratio_of() {
  awk -v a="$1" -v b="$2" -v fa="$(num "$1")" -v fb="$(num "$2")" \
    'BEGIN { if (b > 0) printf "%s/s ÷ %s/s = **%.2f×**", fa, fb, a / b; else printf "%s/s ÷ n/a", fa }'
}

# target A B MIN: "≥ MIN× (met)" or "≥ MIN× (**not met**)" for the ratio A ÷ B
target() {
  awk -v a="$1" -v b="$2" -v m="$3" 'BEGIN { if (b <= 0) printf "≥ %s× (n/a)", m;
    else if (sprintf("%.2f", a / b) + 0 >= m) printf "≥ %s× (met)", m; else printf "≥ %s× (**not met**)", m }'
}

# path_stats PATH: the sink's "posts messages first_ms last_ms" for one hook path (0s if none)
path_stats() {
  local out
  out=$(curl -fsS --max-time 5 "$SINK/stats" \
    | sed -nE "s#.*\"$1\":\{\"posts\":([0-9]+),\"messages\":([0-9]+),\"first_ms\":([0-9]+),\"last_ms\":([0-9]+)\}.*#\1 \2 \3 \4#p")
  echo "${out:-0 0 0 0}"
}
# replies RUN: the sink's "distinct duplicates first_ms last_ms" for the replies of one wrk run
replies() {
  local out
  out=$(curl -fsS --max-time 5 "$SINK/replies?run=$1" \
    | sed -nE 's/.*"replies":([0-9]+),"duplicates":([0-9]+),"first_ms":([0-9]+),"last_ms":([0-9]+).*/\1 \2 \3 \4/p')
  [ -n "$out" ] || die "the sink did not answer /replies"
  echo "$out"
}
# wait_count replies|path KEY EXPECTED MAX: until the count (distinct replies of run KEY, or
# messages on hook path KEY) reaches EXPECTED and has not moved for 1 s, MAX seconds at most;
# prints "count first_ms last_ms extra" (extra: duplicates for replies, posts for a path)
wait_count() {
  local what=$1 key=$2 expected=$3 max=$4 start=$SECONDS prev=-1 stable=0 a b f l n x
  while :; do
    if [ "$what" = replies ]; then read -r a b f l < <(replies "$key"); n=$a; x=$b
    else read -r a b f l < <(path_stats "$key"); n=$b; x=$a; fi
    if [ "$n" -ge "$expected" ] && [ "$n" -eq "$prev" ]; then
      stable=$(( stable + 1 ))
      [ "$stable" -ge 4 ] && break
    else
      stable=0
    fi
    prev=$n
    [ $(( SECONDS - start )) -ge "$max" ] && break
    sleep 0.25
  done
  echo "$n $f $l $x"
}

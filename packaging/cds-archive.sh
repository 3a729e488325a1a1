#!/usr/bin/env bash
# The AppCDS archive of the jar (make builds target/hookgate.jsa with it; the Debian package, at install): a training run of
# `java -XX:ArchiveClassesAtExit=ARCHIVE -jar JAR` with conf/hookgate.yaml (a scratch store, port 0)
# that starts, answers GET /health, a slash command and a relay post, and stops on SIGTERM; the JVM
# writes the classes it loaded into ARCHIVE at exit. `java -XX:SharedArchiveFile=ARCHIVE -jar JAR`
# then maps them instead of loading and verifying them one by one (Java 17; 19+ could use
# -XX:+AutoCreateSharedArchive). The archive holds the jar's path, size and time: it serves that jar
# only (another one: a warning, and a start without it). It is made with the JVM options it will be used
# with (JVM_OPTIONS, a java @file), so that the classes it holds are those that start loads. usage: packaging/cds-archive.sh [JAR [ARCHIVE [CONFIG [JVM_OPTIONS]]]]
set -euo pipefail
jar=${1:-target/hookgate.jar}
archive=${2:-${jar%.jar}.jsa}
config=${3:-conf/hookgate.yaml}
jvm_options=${4:-conf/jvm.options}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$archive"
HOOKGATE_HTTP_PORT=0 HOOKGATE_HTTP_HOST=127.0.0.1 HOOKGATE_STORE_PATH="$work/hookgate.db" \
  java "@$jvm_options" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" --config "$config" >"$work/log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 600); do
  port=$(sed -n 's/.* listening on [^:]*:\([0-9]*\) .*/\1/p' "$work/log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; echo "cds-archive: the training run exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { kill "$pid"; cat "$work/log" >&2; echo "cds-archive: the training run did not start" >&2; exit 1; }
# what the first requests load: /health, a command (refused: the token is wrong), a relay post
request() {   # bash's /dev/tcp: no curl needed (postinst runs this too)
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s' "$1" >&3
  timeout 5 cat <&3 >/dev/null || true
  exec 3<&-
}
request $'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
request $'POST /commands/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\nConnection: close\r\n\r\ntoken=wrong'
request $'POST /hooks/training-run-unknown-key HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"text":""}'
kill -TERM "$pid"
wait "$pid" || { cat "$work/log" >&2; echo "cds-archive: the training run did not stop cleanly" >&2; exit 1; }
[ -s "$archive" ] || { cat "$work/log" >&2; echo "cds-archive: no archive written" >&2; exit 1; }
echo "cds-archive: $archive ($(du -h "$archive" | cut -f1))"

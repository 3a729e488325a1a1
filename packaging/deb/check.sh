#!/usr/bin/env bash
# make deb-check (CI, as root on Debian): installs target/hookgate_*.deb with apt-get (which installs a
# Java runtime if none is there), checks what it installed, runs the launcher, then removes and purges it.
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls target/hookgate_*.deb)
if dpkg -s hookgate >/dev/null 2>&1; then
  echo "hookgate is already installed here: not touching it" >&2; exit 1
fi
trap 'apt-get purge -y hookgate >/dev/null 2>&1 || true' EXIT
# a fresh machine may have no package lists yet (the Java runtime the package depends on comes from them)
DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb" \
  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "./$deb"; }

command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl
fail() { echo "deb-check: $*" >&2; exit 1; }
hookgate --version
hookgate --check-config /etc/hookgate/hookgate.yaml
getent passwd hookgate | grep -q ':/var/lib/hookgate:/usr/sbin/nologin$' || fail "no system user hookgate"
[ "$(stat -c '%U:%G %a' /var/lib/hookgate)" = "hookgate:hookgate 700" ] || fail "/var/lib/hookgate: $(stat -c '%U:%G %a' /var/lib/hookgate)"
[ "$(stat -c '%U:%G %a' /etc/hookgate/hookgate.yaml)" = "root:hookgate 640" ] || fail "config: $(stat -c '%U:%G %a' /etc/hookgate/hookgate.yaml)"
[ "$(stat -c '%U:%G %a' /etc/hookgate/env)" = "root:root 600" ] || fail "env: $(stat -c '%U:%G %a' /etc/hookgate/env)"
dpkg-query -W -f='${Conffiles}\n' hookgate | grep -q '/etc/hookgate/hookgate.yaml' || fail "the config is not a conffile"
grep -q '^ExecStart=/usr/bin/hookgate --config /etc/hookgate/hookgate.yaml$' /lib/systemd/system/hookgate.service \
  || fail "the unit does not run the launcher"
grep -q '@/opt/hookgate/conf/jvm.options' /usr/bin/hookgate || fail "the launcher does not read /opt/hookgate/conf/jvm.options"
grep -qx -- '-XX:+ExitOnOutOfMemoryError' /opt/hookgate/conf/jvm.options || fail "the JVM options lack -XX:+ExitOnOutOfMemoryError"
[ -s /opt/hookgate/hookgate.jsa ] || fail "postinst made no AppCDS archive"

# the service as systemd would run it (no systemd here, maybe): its user, the unit's environment, its
# working directory, the installed config (127.0.0.1; the port moved to a free one: 8080 may be taken
# here); it must answer /health, then stop with 0
log=$(mktemp)
(cd /opt/hookgate && exec setpriv --reuid=hookgate --regid=hookgate --init-groups \
  env HOOKGATE_STORE_PATH=/var/lib/hookgate/hookgate.db HOOKGATE_HTTP_PORT=0 \
  /usr/bin/hookgate --config /etc/hookgate/hookgate.yaml) >"$log" 2>&1 &
pid=$!
port=
for _ in $(seq 1 150); do
  port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$log")
  [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "the service exited"; }
  sleep 0.2
done
[ -n "$port" ] || { cat "$log"; fail "no start line listening on 127.0.0.1"; }
curl -fsS "http://127.0.0.1:$port/health" || { cat "$log"; fail "no /health on 127.0.0.1:$port"; }
echo
kill -TERM "$pid"
status=0; wait "$pid" || status=$?
cat "$log"
[ "$status" = 0 ] || fail "SIGTERM: exit status $status"
! grep -q '\[warning\]\[cds' "$log" || fail "the launcher's AppCDS archive does not fit the installed jar"
[ -s /var/lib/hookgate/hookgate.db ] || fail "no store in /var/lib/hookgate"

# an upgrade (the same package again: dpkg runs the same scripts) keeps a locally edited config
echo "# edited here" >> /etc/hookgate/hookgate.yaml
DEBIAN_FRONTEND=noninteractive dpkg --force-confold -i "$deb"
tail -1 /etc/hookgate/hookgate.yaml | grep -q '^# edited here$' || fail "the upgrade replaced the edited config"
[ -s /var/lib/hookgate/hookgate.db ] || fail "the upgrade lost the store"

apt-get remove -y hookgate
[ ! -e /usr/bin/hookgate ] && [ ! -e /opt/hookgate/hookgate.jsa ] || fail "remove left /usr/bin/hookgate or the archive"
[ -e /etc/hookgate/hookgate.yaml ] && [ -d /var/lib/hookgate ] || fail "remove must keep the config and the store"
apt-get purge -y hookgate
[ ! -e /etc/hookgate ] && [ ! -e /var/lib/hookgate ] || fail "purge left /etc/hookgate or /var/lib/hookgate"
trap - EXIT
echo "deb-check: $deb installs, runs, removes and purges"

#!/usr/bin/env bash
# make deb: target/hookgate_<version>_<arch>.deb from target/hookgate.jar, with dpkg-deb (no debhelper).
# The unit is conf/hookgate.service with /usr/bin/hookgate in place of "java <options> -jar <jar>"; the
# launcher gets the options of the unit's ExecStart, so the two never disagree. The config is
# conf/hookgate.yaml listening on 127.0.0.1 (a conffile: dpkg keeps local edits at an upgrade).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/deb
jar=target/hookgate.jar
[ -f "$jar" ] || { echo "no $jar: run make jar first" >&2; exit 1; }

upstream=$(java -jar "$jar" --version | sed -n 's/^hookgate //p')
version=${upstream//-/\~}   # 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT: sorts before the 0.1.0 release
arch=$(dpkg --print-architecture)
case "$arch" in amd64|arm64) ;; *) echo "the jar holds SQLite natives for amd64 and arm64 only, not $arch" >&2; exit 1;; esac

exec_start=$(sed -n 's/^ExecStart=//p' conf/hookgate.service)
jvm_options=$(sed -E 's|^/usr/bin/java (.*)-jar /opt/hookgate/hookgate.jar .*$|\1|' <<<"$exec_start")
jvm_options=${jvm_options% }
[ "$jvm_options" != "$exec_start" ] || { echo "conf/hookgate.service: ExecStart is not /usr/bin/java ... -jar /opt/hookgate/hookgate.jar" >&2; exit 1; }
grep -qx -- '-XX:+ExitOnOutOfMemoryError' conf/jvm.options \
  || { echo "conf/jvm.options must end the JVM on an OutOfMemoryError" >&2; exit 1; }

root=target/deb/root
rm -rf target/deb && mkdir -p "$root/DEBIAN"
install -D -m 0644 "$jar" "$root/opt/hookgate/hookgate.jar"
install -D -m 0644 conf/jvm.options "$root/opt/hookgate/conf/jvm.options"   # the unit's ExecStart: java @<it>
install -D -m 0755 packaging/cds-archive.sh "$root/opt/hookgate/cds-archive.sh"   # run by postinst
install -D -m 0755 conf/scripts/report.sh "$root/opt/hookgate/conf/scripts/report.sh"
install -D -m 0644 README.md "$root/opt/hookgate/README.md"
install -D -m 0644 LICENSE "$root/usr/share/doc/hookgate/copyright"
install -D -m 0644 conf/prometheus/hookgate-alerts.yml "$root/usr/share/doc/hookgate/prometheus/hookgate-alerts.yml"
install -D -m 0644 conf/grafana/hookgate-dashboard.json "$root/usr/share/doc/hookgate/grafana/hookgate-dashboard.json"

mkdir -p "$root/usr/bin"
sed "s|@JVM_OPTIONS@|$jvm_options|" "$here/hookgate.sh" > "$root/usr/bin/hookgate"
chmod 0755 "$root/usr/bin/hookgate"

mkdir -p "$root/lib/systemd/system"
{
  echo "# Installed by the hookgate package. Secrets: /etc/hookgate/env (mode 0600, KEY=value lines)."
  echo "# Local changes: systemctl edit hookgate (this file is replaced at each upgrade)."
  sed -n '/^\[Unit\]/,$p' conf/hookgate.service \
    | sed -E 's|^(ExecStart(Pre)?=)/usr/bin/java .*-jar /opt/hookgate/hookgate.jar |\1/usr/bin/hookgate |' \
    | sed 's|^Documentation=.*|Documentation=file:///opt/hookgate/README.md|'
} > "$root/lib/systemd/system/hookgate.service"
grep -q '^ExecStart=/usr/bin/hookgate --config /etc/hookgate/hookgate.yaml$' "$root/lib/systemd/system/hookgate.service" \
  || { echo "the packaged unit's ExecStart is not /usr/bin/hookgate --config /etc/hookgate/hookgate.yaml" >&2; exit 1; }

mkdir -p "$root/etc/hookgate"
sed -E 's/^(  host: )0\.0\.0\.0\b/\1127.0.0.1/' conf/hookgate.yaml > "$root/etc/hookgate/hookgate.yaml"
grep -q '^  host: 127\.0\.0\.1' "$root/etc/hookgate/hookgate.yaml" \
  || { echo "the packaged config does not listen on 127.0.0.1" >&2; exit 1; }
chmod 0640 "$root/etc/hookgate/hookgate.yaml"
echo /etc/hookgate/hookgate.yaml > "$root/DEBIAN/conffiles"

for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" \
    -e "s|@SIZE@|$(du -sk --exclude=DEBIAN "$root" | cut -f1)|" "$here/control" > "$root/DEBIAN/control"

out="target/hookgate_${version}_${arch}.deb"
rm -f target/hookgate_*.deb
dpkg-deb --root-owner-group --build "$root" "$out"

#!/bin/sh
# hookgate launcher (Debian package): the JVM options of the systemd unit, and the AppCDS archive made
# at install (faster start) when it is there and matches this Java. HOOKGATE_JAVA_OPTIONS adds options.
jar=/opt/hookgate/hookgate.jar
archive=/opt/hookgate/hookgate.jsa
cds=
[ -r "$archive" ] && [ "$archive" -nt "$jar" ] && cds="-XX:SharedArchiveFile=$archive"
# shellcheck disable=SC2086 # the options are words
exec /usr/bin/java @JVM_OPTIONS@ $cds ${HOOKGATE_JAVA_OPTIONS:-} -jar "$jar" "$@"

#!/bin/sh
# make demo's long job: three ::progress lines (sent to the user as ephemeral updates), then the report.
period="${1:-daily}"
for step in 1 2 3; do
  echo "::progress step $step of 3: collecting the $period figures..."
  sleep 2
done
echo "#### Report ($period) for @${HOOKGATE_USER_NAME:-someone}"
echo "| metric | value |"
echo "|---|---|"
echo "| load | $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a) |"

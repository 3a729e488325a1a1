#!/bin/sh
# Example report for the /report command: prints a small Markdown table.
# $1 is the command's text (after "--"); HOOKGATE_USER_NAME, HOOKGATE_CHANNEL_NAME... are set too.
[ "$1" = "--" ] && shift   # hookgate's config puts "--" before the user's text: never an option
period="${1:-daily}"
echo "#### Report ($period) for @${HOOKGATE_USER_NAME:-someone}"
echo "| metric | value |"
echo "|---|---|"
echo "| load | $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo n/a) |"
echo "| uptime (s) | $(cut -d' ' -f1 /proc/uptime 2>/dev/null | cut -d. -f1) |"

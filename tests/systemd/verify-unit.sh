#!/usr/bin/env bash
# systemd-analyze verify UNIT, failing on any output: verify exits 0 on many warnings
# (unknown keys, deprecated settings), and a clean unit prints nothing.
set -uo pipefail
analyze=$1 unit=$2
output=$("$analyze" verify "$unit" 2>&1)
status=$?
if (( status != 0 )) || [[ -n $output ]]; then
  printf 'systemd-analyze verify %s: exit %d\n%s\n' "$unit" "$status" "$output"
  exit 1
fi
echo "systemd-analyze verify $unit: clean"

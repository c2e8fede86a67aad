#!/usr/bin/env bash
# Runs every go test -fuzz target in the repository for a bounded time each, one after the other.
# Usage: scripts/fuzz.sh [TIME_PER_TARGET]   (default 10s; `make fuzz` uses 60s)
set -euo pipefail
cd "$(dirname "$0")/.."
per=${1:-10s}
fail=0
while read -r dir name; do
  echo "== fuzz $dir $name ($per)"
  if ! go test "$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "$per" -fuzzminimizetime 5s >/tmp/fuzz.$$.log 2>&1; then
    tail -n 30 /tmp/fuzz.$$.log
    fail=1
  else
    tail -n 1 /tmp/fuzz.$$.log
  fi
done < <(grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
  for n in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do echo "./$(dirname "${f#./}") $n"; done
done | sort -u)
rm -f /tmp/fuzz.$$.log
exit $fail

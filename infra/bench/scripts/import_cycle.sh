#!/usr/bin/env bash
# One before/after run of the bulk path on a fresh stack (issue #22): the stack's data deleted, `./meridian up` with
# the WAR given, then `./meridian import` of each Synthea directory in turn, with `uptime` before and after each.
#   MERIDIAN_STATE=... infra/bench/scripts/import_cycle.sh LABEL WAR LOG SYNTHEA_DIR...
# Run stack_cpu.py beside it to get the CPU seconds of the app, Elasticsearch and PostgreSQL per phase.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
: "${MERIDIAN_STATE:?set MERIDIAN_STATE to a state directory of its own: its data is deleted}"
label="$1" war="$2" log="$3"; shift 3
cd "$ROOT"
echo "== $label $(date -u +%T) $(uptime)" >"$log"
./meridian down >/dev/null 2>&1 || true
rm -rf "$MERIDIAN_STATE/postgres" "$MERIDIAN_STATE/elasticsearch" "$MERIDIAN_STATE/import-dir"
MERIDIAN_WAR="$war" ./meridian up >>"$log" 2>&1
for dir in "$@"; do
  echo "== import $dir start $(date -u +%T) $(uptime)" >>"$log"
  ./meridian import "$dir" >>"$log" 2>&1
  echo "== import $dir end $(date -u +%T) $(uptime)" >>"$log"
done

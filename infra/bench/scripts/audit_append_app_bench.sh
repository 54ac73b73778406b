#!/usr/bin/env bash
# Audit appends/s through the app at 1, 8, 32, 64 concurrent clients (issue #21, docs/benchmarks.md).
# Every request is an audited FHIR read (GET /fhir/Patient/{id} as dr.jansen): bearer token validated, the access
# policy decides (care team, consent), and one ledger entry is appended and committed before the answer. wrk (Debian:
# wrk) keeps one connection per client; the appends are counted in the ledger itself (the highest seq after the cell
# minus the highest before, over the cell's seconds), so an answer without its entry would show as a shortfall.
# Needs ./meridian up (the demo data: Anna de Vries in dr.jansen's care), wrk, psql, curl, python3.
# Usage: infra/bench/scripts/audit_append_app_bench.sh [seconds per cell, default 15] [clients..., default 1 8 32 64]
set -euo pipefail
SECS="${1:-15}"; shift || true
CLIENTS=("${@:-1 8 32 64}"); read -r -a CLIENTS <<<"${CLIENTS[*]}"
APP="http://127.0.0.1:${MERIDIAN_APP_PORT:-8080}"
KC="http://127.0.0.1:${MERIDIAN_KC_PORT:-8180}/realms/meridian/protocol/openid-connect/token"
PSQL=(env PGPASSWORD="${MERIDIAN_OWNER_PASSWORD:-meridian_owner}" psql -qtA -h 127.0.0.1 -p "${MERIDIAN_PG_PORT:-55432}" -U meridian_owner meridian)
TOKEN=$(curl -sf -d grant_type=password -d client_id=meridian-cli -d username=dr.jansen -d password=meridian "$KC" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PATIENT=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Accept: application/fhir+json' \
  "$APP/fhir/Patient?family=de%20Vries&_count=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["entry"][0]["resource"]["id"])')
URL="$APP/fhir/Patient/$PATIENT"
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL") == 200 ]] || { echo "cannot read $URL" >&2; exit 1; }
seq() { "${PSQL[@]}" -c "SELECT coalesce(max(seq), 0) FROM audit_event"; }
unsealed() { "${PSQL[@]}" -c "SELECT count(*) FROM audit_event e WHERE e.seq > $1 AND NOT EXISTS (SELECT 1 FROM audit_seal_leaf l WHERE l.seq = e.seq)"; }
echo "# $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg), ${SECS}s per cell, GET /fhir/Patient/{id} as dr.jansen"
wrk -t1 -c1 -d3s -H "Authorization: Bearer $TOKEN" -H 'Accept: application/fhir+json' "$URL" >/dev/null # warm-up
first_before=$(seq)
printf '| %7s | %12s | %12s | %8s | %8s | %10s |\n' clients "requests/s" "appends/s" "p50 ms" "p99 ms" "load"
for c in "${CLIENTS[@]}"; do
  t=$(( c < 2 ? 1 : 2 ))
  before=$(seq)
  out=$(wrk -t"$t" -c"$c" -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" -H 'Accept: application/fhir+json' "$URL")
  after=$(seq)
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out"); p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [[ -z $non2xx ]] || echo "  ($non2xx non-2xx answers at $c clients)"
  printf '| %7s | %12s | %12.1f | %8s | %8s | %10s |\n' "$c" "$rps" "$(echo "($after - $before) / $SECS" | bc -l)" \
    "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)"
  sleep 2
done
sleep 2
echo "# entries of the run not yet in a signed batch 2 s after the last cell: $(unsealed "$first_before")"

#!/usr/bin/env bash
# Synthetic patients for imports and benchmarks: Synthea 3.3.0 (from Maven Central) with a fixed seed and a fixed
# reference date, so the same command always writes the same bundles.
#
#   ./meridian seed --patients N [--seed S] [--years Y] [--scale-from M] [--force]
#
#   --patients N     living patients Synthea generates (it also writes the records of people who died on the way,
#                    so the directory holds N bundles or more)
#   --seed S         Synthea's -s and -cs (default 42)
#   --years Y        --exporter.years_of_history (default 10: all demographics and conditions, 10 years of
#                    encounters; Synthea's own default is 10 as well, 0 would mean the whole life)
#   --scale-from M   generate M patients with Synthea, then clone them into N with new identities (new
#                    identifiers, names, addresses in NL/DE, shifted dates) — see infra/bench PopulationScaler
#   --force          regenerate even if the output directory is complete
#
# Output: $MERIDIAN_STATE/synthea/<N>-<S>/fhir (scaled: <N>-<S>-from<M>/fhir), plus the hospital and practitioner
# bundles Synthea writes there (they must be imported before the patient bundles; `./meridian import` does).
# Synthea and its dependencies are copied once into $MERIDIAN_DIST/synthea/lib (or $MERIDIAN_SYNTHEA_LIB) with Maven
# (infra/synthea/pom.xml).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${MERIDIAN_STATE:-$ROOT/.meridian}"
DIST="${MERIDIAN_DIST:-$STATE/dist}"
SYNTHEA_LIB="${MERIDIAN_SYNTHEA_LIB:-$DIST/synthea/lib}"
SYNTHEA_VERSION=3.3.0
REFERENCE_DATE=20260101

die() { echo "meridian: seed: $*" >&2; exit 1; }
say() { echo "meridian: seed: $*"; }

PATIENTS="" SEED=42 YEARS=10 SCALE_FROM="" FORCE=0
while (($#)); do
  case "$1" in
    --patients) PATIENTS="${2:-}"; shift 2 ;;
    --seed) SEED="${2:-}"; shift 2 ;;
    --years) YEARS="${2:-}"; shift 2 ;;
    --scale-from) SCALE_FROM="${2:-}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see ./meridian seed --help)" ;;
  esac
done
[[ "$PATIENTS" =~ ^[1-9][0-9]*$ ]] || die "--patients N is required (a positive number)"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed must be a number"
[[ "$YEARS" =~ ^[0-9]+$ ]] || die "--years must be a number"
if [[ -n "$SCALE_FROM" ]]; then
  [[ "$SCALE_FROM" =~ ^[1-9][0-9]*$ ]] || die "--scale-from M must be a positive number"
  ((SCALE_FROM <= PATIENTS)) || die "--scale-from M must not exceed --patients N"
fi

fetch_synthea() {
  [[ -s "$SYNTHEA_LIB/synthea-$SYNTHEA_VERSION.jar" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "mvn not found: cannot fetch Synthea (apt-get install maven)"
  say "fetching Synthea $SYNTHEA_VERSION and its dependencies from Maven Central into $SYNTHEA_LIB ..."
  mkdir -p "$SYNTHEA_LIB"
  mvn -q -B -f "$ROOT/infra/synthea/pom.xml" dependency:copy-dependencies "-Dsynthea.lib=$SYNTHEA_LIB" \
    || die "fetching Synthea failed"
  [[ -s "$SYNTHEA_LIB/synthea-$SYNTHEA_VERSION.jar" ]] || die "synthea-$SYNTHEA_VERSION.jar missing after fetch"
}

# Draws "alive k/N, records r" from Synthea's one line per person ("12 -- Name (34 y/o F) Town, State [DECEASED]").
# Redrawn in place in a terminal; when the output is a log (CI, nohup), one line every 5 seconds and the last one.
progress() {
  local total="$1" alive=0 records=0 line last=0 tty=0
  [[ -t 1 ]] && tty=1
  while IFS= read -r line; do
    echo "$line" >>"$LOG"
    if [[ "$line" =~ ^[0-9]+\ --\  ]]; then
      records=$((records + 1))
      [[ "$line" == *DECEASED* ]] || alive=$((alive + 1))
      local width=30 filled=$((alive * 30 / total))
      ((filled > width)) && filled=$width
      if ((tty)); then
        printf '\rmeridian: seed: [%-30s] alive %d/%d, records %d' "$(printf '%*s' "$filled" '' | tr ' ' '#')" \
          "$alive" "$total" "$records"
      elif ((SECONDS - last >= 5 || alive >= total)); then
        printf 'meridian: seed: alive %d/%d, records %d\n' "$alive" "$total" "$records"
        last=$SECONDS
      fi
    fi
  done
  ((tty)) && echo
  return 0
}

run_synthea() { # count outdir
  local count="$1" out="$2"
  rm -rf "$out"; mkdir -p "$out"
  LOG="$out/synthea.log"; : >"$LOG"
  say "Synthea: $count patients, seed $SEED, reference date $REFERENCE_DATE, $YEARS years of history -> $out/fhir"
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  set +e
  (cd "$out" && "$java" -Xmx2g -cp "$SYNTHEA_LIB/*" App -p "$count" -s "$SEED" -cs "$SEED" -r "$REFERENCE_DATE" \
      --exporter.baseDirectory "$out" --exporter.fhir.transaction_bundle true \
      --exporter.years_of_history "$YEARS" --exporter.fhir.bulk_data false 2>&1) | progress "$count"
  local rc=${PIPESTATUS[0]}
  set -e
  ((rc == 0)) || die "Synthea failed (exit $rc); see $LOG"
  compgen -G "$out/fhir/*.json" >/dev/null || die "Synthea wrote no bundles; see $LOG"
  touch "$out/.complete"
}

scale() { # from-dir to-dir
  local jar="$ROOT/infra/bench/target/meridian-bench.jar"
  [[ -s "$jar" ]] || die "$jar missing: build first (mvn -q -DskipTests package)"
  rm -rf "$2"; mkdir -p "$2"
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$jar:$ROOT/infra/bench/target/lib/*" health.meridian.bench.Main \
    scale --from "$1/fhir" --to "$2/fhir" --patients "$PATIENTS" --seed "$SEED" || die "scaling failed"
  touch "$2/.complete"
}

main() {
  fetch_synthea
  local base="$STATE/synthea/${SCALE_FROM:-$PATIENTS}-$SEED"
  [[ "$YEARS" == 10 ]] || base="$base-y$YEARS"
  if [[ $FORCE == 1 || ! -e "$base/.complete" ]]; then
    run_synthea "${SCALE_FROM:-$PATIENTS}" "$base"
  else
    say "already generated: $base/fhir (--force regenerates)"
  fi
  local target="$base"
  if [[ -n "$SCALE_FROM" ]]; then
    target="$STATE/synthea/$PATIENTS-$SEED-from$SCALE_FROM"
    [[ "$YEARS" == 10 ]] || target="$target-y$YEARS"
    if [[ $FORCE == 1 || ! -e "$target/.complete" ]]; then scale "$base" "$target"; fi
  fi
  local files; files=$(find "$target/fhir" -maxdepth 1 -name '*.json' | wc -l)
  say "done: $files bundles in $target/fhir"
  echo "$target/fhir"
}

main

#!/usr/bin/env bash
# Audit appends/s straight on PostgreSQL at 1, 8, 32, 64 clients (issue #21, docs/benchmarks.md):
#   chained  — the V2 design: every insert takes the row lock of the one chain head until commit;
#   queued   — the V15 design: seq from a sequence and a queue row for the sealer (no shared lock; hashing is the
#              sealer's, off the request path);
#   triggered — the V18/V19 design: a SECURITY DEFINER trigger stamps the appending transaction's id, seq from a
#              sequence and the time, no queue row (the sealer finds late commits through the transactions running
#              at its last round);
#   ledger   — the V27 design: the same stamps as column defaults, no trigger (the app role may not name them);
#   plain    — the same row appended with no trigger at all (the limit of this box).
# A throw-away PostgreSQL cluster (the same binaries as the stack, from MERIDIAN_DIST) on port 55999; needs pgbench
# and psql on the PATH (Debian: postgresql-client). Usage: infra/bench/scripts/audit_append_pgbench.sh [seconds]
set -euo pipefail
SECS="${1:-15}"
DIST="${MERIDIAN_DIST:-$(cd "$(dirname "$0")/../../.." && pwd)/.meridian/dist}"
PGBIN="$(ls -d "$DIST"/postgres-*/bin | head -n 1)"
DIR="$(mktemp -d /tmp/meridian-pgbench.XXXXXX)"
PORT=55999
# PostgreSQL refuses to run as root: run it as the stack's service user then (MERIDIAN_SERVICE_USER, else nobody).
AS=()
if [[ $(id -u) == 0 ]]; then u="${MERIDIAN_SERVICE_USER:-meridian}"; id "$u" >/dev/null 2>&1 || u=nobody; AS=(runuser -u "$u" --); chmod 777 "$DIR"; fi
trap '"${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
(cd / && "${AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U bench --auth=trust >/dev/null)
(cd / && "${AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c max_connections=200 -c shared_buffers=256MB" \
  -l "$DIR/log" -w start >/dev/null)
PSQL=(psql -q -h 127.0.0.1 -p "$PORT" -U bench -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<'SQL'
CREATE TABLE chained (seq bigint PRIMARY KEY, recorded_at timestamptz NOT NULL, subject text NOT NULL,
  username text, interaction text NOT NULL, resource_type text, resource_id text, outcome text NOT NULL,
  detail text, prev_hash text, hash text);
CREATE TABLE queued (LIKE chained INCLUDING ALL);
CREATE TABLE triggered (LIKE chained INCLUDING ALL);
CREATE TABLE ledger (LIKE chained INCLUDING ALL);
CREATE TABLE plain (LIKE chained INCLUDING ALL);
CREATE SEQUENCE plain_seq;
ALTER TABLE plain ALTER COLUMN seq SET DEFAULT nextval('plain_seq');
CREATE TABLE chain_head (id boolean PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL);
INSERT INTO chain_head VALUES (true, 0, repeat('0', 64));
CREATE FUNCTION canonical(e chained) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(CASE WHEN v IS NULL THEN '-' ELSE length(v)::text || ':' || v END, '|' ORDER BY n)
    FROM unnest(ARRAY[e.seq::text, ((extract(epoch FROM e.recorded_at) * 1000000)::bigint)::text, e.subject,
                      e.username, e.interaction, e.resource_type, e.resource_id, e.outcome, e.detail])
         WITH ORDINALITY AS f(v, n) $$;
CREATE FUNCTION chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head chain_head;
BEGIN
  SELECT * INTO STRICT head FROM chain_head WHERE id FOR UPDATE;
  NEW.seq := head.seq + 1; NEW.prev_hash := head.hash;
  NEW.hash := encode(sha256(convert_to(NEW.prev_hash || '|' || canonical(NEW), 'UTF8')), 'hex');
  UPDATE chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
  RETURN NEW;
END $$;
CREATE TRIGGER chain BEFORE INSERT ON chained FOR EACH ROW EXECUTE FUNCTION chain();
CREATE SEQUENCE ledger_seq;
CREATE TABLE unsealed (seq bigint PRIMARY KEY, queued_at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION ledger_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.seq := nextval('ledger_seq'); NEW.prev_hash := NULL; NEW.hash := NULL;
  INSERT INTO unsealed (seq) VALUES (NEW.seq);
  RETURN NEW;
END $$;
CREATE TRIGGER ledger BEFORE INSERT ON queued FOR EACH ROW EXECUTE FUNCTION ledger_append();
ALTER TABLE triggered ADD COLUMN xid xid8;
CREATE INDEX triggered_xid ON triggered (xid) WHERE xid IS NOT NULL;
CREATE SEQUENCE trigger_seq;
CREATE FUNCTION ledger_append_v18() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = public, pg_temp AS $$
BEGIN
  NEW.xid := pg_current_xact_id(); NEW.seq := nextval('trigger_seq');
  NEW.recorded_at := date_trunc('microseconds', clock_timestamp()); NEW.prev_hash := NULL; NEW.hash := NULL;
  RETURN NEW;
END $$;
CREATE TRIGGER ledger_v18 BEFORE INSERT ON triggered FOR EACH ROW EXECUTE FUNCTION ledger_append_v18();
ALTER TABLE ledger ADD COLUMN xid xid8 DEFAULT pg_current_xact_id();
CREATE INDEX ledger_xid ON ledger (xid) WHERE xid IS NOT NULL;
ALTER TABLE ledger ALTER COLUMN seq SET DEFAULT nextval('ledger_seq');
ALTER TABLE ledger ALTER COLUMN recorded_at SET DEFAULT clock_timestamp();
SQL
for table in chained queued triggered ledger plain; do
  cols="recorded_at, subject, username, interaction, resource_type, resource_id, outcome, detail"
  vals="clock_timestamp(), 'sub-' || :client_id, 'dr.bench', 'read', 'Observation', 'obs-' || random(), '0', NULL"
  if [[ $table == ledger ]]; then cols="${cols#recorded_at, }"; vals="${vals#clock_timestamp(), }"; fi
  if [[ $table != plain && $table != ledger ]]; then cols="seq, $cols"; vals="0, $vals"; fi
  echo "INSERT INTO $table ($cols) VALUES ($vals);" >"$DIR/$table.sql"
done
printf '%-8s %22s %22s %22s %22s %22s %s\n' clients "chained (V2)" "queued (V15)" "trigger (V18)" "ledger (V27)" plain \
  "ledger/plain"
# Each cell is run REPS times (default 3), the tables taking turns within a repetition, and the median kept: the
# machine's drift then hits every design alike (the chained design once: it is far below the others anyway).
REPS="${REPS:-3}"
declare -A tpsof latof
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for c in 1 8 32 64; do
  declare -A all=() lats=()
  for ((rep = 0; rep < REPS; rep++)); do
    for table in chained queued triggered ledger plain; do
      [[ $table == chained && $rep -gt 0 ]] && continue
      out=$(pgbench -n -h 127.0.0.1 -p "$PORT" -U bench -c "$c" -j "$((c < 4 ? c : 4))" -T "$SECS" \
        -f "$DIR/$table.sql" postgres 2>&1)
      all[$table]+=" $(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -n 1)"
      lats[$table]+=" $(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")"
    done
  done
  row=()
  for table in chained queued triggered ledger plain; do
    tpsof[$table]=$(median <<<"${all[$table]}"); latof[$table]=$(median <<<"${lats[$table]}")
    row+=("$(printf '%.0f tps %s ms' "${tpsof[$table]}" "${latof[$table]}")")
  done
  printf '%-8s %22s %22s %22s %22s %22s %s\n' "$c" "${row[0]}" "${row[1]}" "${row[2]}" "${row[3]}" "${row[4]}" \
    "$(awk -v a="${tpsof[ledger]}" -v b="${tpsof[plain]}" 'BEGIN { printf "%.0f %%", 100 * a / b }')"
  unset all lats
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); seconds per cell: $SECS; repetitions (median): $REPS"

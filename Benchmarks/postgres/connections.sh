#!/usr/bin/env bash
# Serving from PostgreSQL as connections grow: does throughput hold from 64 to 256 connections?
#
#   Benchmarks/postgres/connections.sh [--quick]
#
# One PostgreSQL database (Debian's packages, .ci/postgres.sh with TACT_PG_DURABLE=1), 20,000 consenting
# people, 10,000 items, 200,000 events, iALS with 64 factors. `tact serve --cache-seconds 0` (every answer
# computed: each request reads the person's consent and history from PostgreSQL), then wrk with random
# people at each connection count in CONNECTIONS (default "64 256"), 15 s each (5 s with --quick) after
# a warm-up. With PEER=/path/to/an/older/tact, the same runs for that binary too, side by side (the peer:
# the build before a change), on the same database. Prints a table and one JSON line; draws
# bench-out/postgres-connections.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=15; warmup=3
if [ "${1:-}" = "--quick" ]; then duration=5; warmup=2; fi
counts=${CONNECTIONS:-"64 256"}
out=${OUT:-bench-out}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

[ -n "${TACT:-}" ] || swift build -c release --product tact >&2
tact=${TACT:-$PWD/.build/release/tact}
binaries=("this build=$tact")
[ -n "${PEER:-}" ] && binaries=("peer=$PEER" "${binaries[@]}")
work=$(mktemp -d)
server=""
pgport=${PGPORT_BENCH:-55491}
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  pkill -f "postgres -D /tmp/tact-pg.* -p $pgport" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export TACT_SECRET=$(printf 'b%.0s' $(seq 64))
export TACT_LOG_LEVEL=warning
results="$work/results.jsonl"; : > "$results"
users=20000; items=10000; events=200000

echo "starting PostgreSQL..." >&2
url=$(TACT_PG_DURABLE=1 .ci/postgres.sh "$pgport")
"$tact" generate --users "$users" --items "$items" --interactions "$events" --seed 5 --out "$work/gen" >&2
dir="$work/data"
"$tact" init --data "$dir" --database "$url" >/dev/null
"$tact" import items "$work/gen/items.csv" --data "$dir" --database "$url" >/dev/null
"$tact" import interactions "$work/gen/interactions.csv" --grant personalization,model-training --data "$dir" --database "$url" >/dev/null
echo "training..." >&2
"$tact" train --algorithm als --factors 64 --iterations 8 --force --data "$dir" --database "$url" >/dev/null  # a speed benchmark: served even below popularity
# A load generator reads people uniformly at random, none coming back: a batch job's shape. As an app
# (the default for these scopes) the Guard would stop it as a scraper within about 400 reads (docs/guard.md).
key=$("$tact" keys create --name bench --scopes recommend --role batch --data "$dir" --database "$url" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

cat > "$work/recs.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", "/v1/people/u" .. math.random(1, $users) .. "/recommendations?k=10", {["Authorization"] = "Bearer $key"})
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('REPORT {"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
LUA

for entry in "${binaries[@]}"; do
  name=${entry%%=*}; bin=${entry#*=}
  "$bin" serve --data "$dir" --database "$url" --port 18310 --rate 1000000 --burst 1000000 --factors 64 --cache-seconds 0 --no-guard \
    --max-connections 2000 2> "$work/serve.log" &
  server=$!
  for _ in $(seq 300); do curl -sf http://127.0.0.1:18310/health/ready >/dev/null && break; sleep 0.2; done
  curl -sf http://127.0.0.1:18310/health/ready >/dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
  for c in $counts; do
    echo "$name: $c connections..." >&2
    wrk -t2 -c"$c" -d"${warmup}s" -s "$work/recs.lua" http://127.0.0.1:18310/ >/dev/null
    line=$(wrk -t2 -c"$c" -d"${duration}s" --timeout 10s -s "$work/recs.lua" http://127.0.0.1:18310/ | grep '^REPORT ' | cut -c8-)
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(binary=sys.argv[2], connections=int(sys.argv[3])); print(json.dumps(d))' "$line" "$name" "$c" >> "$results"
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
python3 Benchmarks/postgres/connections_report.py "$results" "$out/postgres-connections.svg" "$duration"

#!/usr/bin/env bash
# PostgreSQL against SQLite, and two servers against one, on this machine, in one run.
#
#   Benchmarks/postgres/run.sh [--quick]
#
# 1. Ingestion: `tact import` of a synthetic catalog (10,000 items) and 300,000 consented events by
#    20,000 people, into SQLite (the data directory's file) and into PostgreSQL (--database), timed.
# 2. Serving: iALS (64 factors) trained on each; `tact serve --cache-seconds 0` (every answer computed,
#    so each request reads the person's history and consent from the store); wrk, 32 connections,
#    random people, 20 s (5 s with --quick) after a warm-up.
# 3. Two servers on the one PostgreSQL database (each its own data directory and port) under the same
#    total load, split between them; then an erasure through one, seen by the other.
# PostgreSQL runs from Debian's packages in a temporary directory (.ci/postgres.sh with TACT_PG_DURABLE=1:
# fsync on, asynchronous commit, like SQLite's synchronous=NORMAL). Everything shares this machine's cores.
# Prints a table and one JSON line; draws docs/benchmarks/postgres.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=20; warmup=5
if [ "${1:-}" = "--quick" ]; then duration=5; warmup=2; fi
connections=${CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

swift build -c release --product tact >&2
tact=$PWD/.build/release/tact
work=$(mktemp -d)
pids=()
pgport=${PGPORT_BENCH:-55490}
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pkill -f "postgres -D /tmp/tact-pg.* -p $pgport" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export TACT_SECRET=$(printf 'b%.0s' $(seq 64))
export TACT_LOG_LEVEL=warning
results="$work/results.jsonl"; : > "$results"
users=20000; items=10000; events=300000

echo "starting PostgreSQL..." >&2
url=$(TACT_PG_DURABLE=1 .ci/postgres.sh "$pgport")
echo "generating $events events by $users people over $items items..." >&2
"$tact" generate --users "$users" --items "$items" --interactions "$events" --seed 5 --out "$work/gen" >&2

now() { python3 -c 'import time; print(time.time())'; }
record() { python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])))' "$1" >> "$results"; }

for backend in sqlite postgres; do
  dir="$work/data-$backend"
  db=(); [ "$backend" = postgres ] && db=(--database "$url")
  "$tact" init --data "$dir" "${db[@]}" >/dev/null
  "$tact" import items "$work/gen/items.csv" --data "$dir" "${db[@]}" >/dev/null
  echo "ingesting into $backend..." >&2
  t0=$(now)
  "$tact" import interactions "$work/gen/interactions.csv" --grant personalization,model-training --data "$dir" "${db[@]}" >/dev/null
  t1=$(now)
  record "{\"name\":\"ingest\",\"backend\":\"$backend\",\"events\":$events,\"seconds\":$(python3 -c "print($t1-$t0)")}"
  echo "training on $backend..." >&2
  "$tact" train --algorithm als --factors 64 --iterations 8 --force --data "$dir" "${db[@]}" >/dev/null  # a speed benchmark: served even below popularity
done
# A load generator reads people uniformly at random, none coming back: a batch job's shape. As an app
# (the default for these scopes) the Guard would stop it as a scraper within about 400 reads (docs/guard.md).
# The PostgreSQL key also erases people, which a batch job may not: it is an admin (held to its own baselines).
key_sqlite=$("$tact" keys create --name bench --scopes recommend --role batch --data "$work/data-sqlite" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
key_pg=$("$tact" keys create --name bench --scopes recommend,subjects --role admin --data "$work/data-postgres" --database "$url" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('REPORT {"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
LUA
script() { # key seed
  cat > "$work/recs-$2.lua" <<LUA
math.randomseed($2)
request = function()
  return wrk.format("GET", "/v1/people/u" .. math.random(1, $users) .. "/recommendations?k=10", {["Authorization"] = "Bearer $1"})
end
LUA
  cat "$work/report.lua" >> "$work/recs-$2.lua"
  echo "$work/recs-$2.lua"
}
serve() { # data-dir port [database...]
  local dir=$1 port=$2; shift 2
  "$tact" serve --data "$dir" "$@" --port "$port" --rate 1000000 --burst 1000000 --factors 64 --cache-seconds 0 --no-guard 2> "$work/serve-$port.log" &
  pids+=($!)
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && return 0; sleep 0.2; done
  echo "the server on $port did not start:" >&2; cat "$work/serve-$port.log" >&2; exit 1
}
stop_servers() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
wrk_run() { # connections script url -> REPORT json
  wrk -t1 -c"$1" -d"${duration}s" -s "$2" "$3" | grep '^REPORT ' | cut -c8-
}

echo "serving from SQLite..." >&2
serve "$work/data-sqlite" 18301
s=$(script "$key_sqlite" 1)
wrk -t1 -c"$connections" -d"${warmup}s" -s "$s" http://127.0.0.1:18301/ >/dev/null
line=$(wrk_run "$connections" "$s" http://127.0.0.1:18301/)
record "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(name="serve", backend="sqlite", servers=1); print(json.dumps(d))' "$line")"
stop_servers

echo "serving from PostgreSQL, one server..." >&2
serve "$work/data-postgres" 18302 --database "$url"
p=$(script "$key_pg" 2)
wrk -t1 -c"$connections" -d"${warmup}s" -s "$p" http://127.0.0.1:18302/ >/dev/null
line=$(wrk_run "$connections" "$p" http://127.0.0.1:18302/)
record "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(name="serve", backend="postgres", servers=1); print(json.dumps(d))' "$line")"

echo "serving from PostgreSQL, two servers..." >&2
second="$work/data-postgres-2"; mkdir -p "$second"
cp "$work/data-postgres/config.json" "$work/data-postgres/policy.json" "$second/"
serve "$second" 18303 --database "$url"
half=$((connections / 2))
wrk -t1 -c"$half" -d"${warmup}s" -s "$p" http://127.0.0.1:18303/ >/dev/null
wrk_run "$half" "$p" http://127.0.0.1:18302/ > "$work/a.txt" &
wa=$!
wrk_run "$half" "$(script "$key_pg" 3)" http://127.0.0.1:18303/ > "$work/b.txt"
wait "$wa"
python3 - "$work/a.txt" "$work/b.txt" >> "$results" <<'PY'
import json, sys
a, b = (json.loads(open(f).read()) for f in sys.argv[1:3])
print(json.dumps({"name": "serve", "backend": "postgres", "servers": 2, "requests": a["requests"] + b["requests"],
                  "seconds": max(a["seconds"], b["seconds"]), "p50_ms": max(a["p50_ms"], b["p50_ms"]),
                  "p99_ms": max(a["p99_ms"], b["p99_ms"]), "errors": a["errors"] + b["errors"]}))
PY

# An erasure through one server, watched from the other: right after the load (the servers are still
# writing the audit entries of its reads, and writes are serialized), then again on quiet servers.
erase_and_watch() { # label person
  local before t0 t1 seen="" after
  before=$(curl -s -H "Authorization: Bearer $key_pg" "http://127.0.0.1:18303/v1/people/$2/recommendations?k=3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["personalized"])')
  t0=$(now)
  curl -sf -X DELETE -H "Authorization: Bearer $key_pg" "http://127.0.0.1:18302/v1/people/$2" > "$work/erase.json"
  t1=$(now)
  for _ in $(seq 400); do
    after=$(curl -s -H "Authorization: Bearer $key_pg" "http://127.0.0.1:18303/v1/people/$2/recommendations?k=3" | python3 -c 'import json,sys; print(json.load(sys.stdin)["personalized"])')
    if [ "$after" = False ]; then seen=$(python3 -c "print($(now)-$t1)"); break; fi
    sleep 0.02
  done
  record "{\"name\":\"erasure-seen-by-other-server\",\"when\":\"$1\",\"backend\":\"postgres\",\"personalized_before\":\"$before\",\"request_seconds\":$(python3 -c "print($t1-$t0)"),\"seconds\":${seen:-null},\"reply\":$(cat "$work/erase.json")}"
}
echo "an erasure through one server, seen by the other: right after the load, then quiet..." >&2
erase_and_watch "after the load" u7
sleep 15
erase_and_watch "quiet" u8
stop_servers

python3 Benchmarks/postgres/report.py "$results" docs/benchmarks/postgres.svg "$connections" "$duration"

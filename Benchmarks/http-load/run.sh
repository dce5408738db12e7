#!/usr/bin/env bash
# HTTP load: recommendations with reasons from `tact serve`, against the same server's health route
# (the ceiling: routing, HTTP and JSON with no work), with wrk on loopback.
#
#   Benchmarks/http-load/run.sh [--quick]
#   SERVE_FLAGS=--no-guard Benchmarks/http-load/run.sh --quick   # extra flags for both servers, e.g. to see the Guard's cost
#
# For each catalog (10,000 and 100,000 items): generates consenting people and events, trains iALS
# (64 factors), starts the server, then runs wrk (64 connections, 30 s; 5 s with --quick) against
#   1. GET /v1/people/{random person}/recommendations?k=10   (3 reasons per item), every answer computed
#   2. GET /health/live
#   3. the recommendations again on a server started with its defaults, which keeps answers
# after a warm-up each. Reports requests/s, p50/p99 latency, errors, and the server's resident memory
# before and after. Prints a table and one JSON line; draws bench-out/http-load.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The default server keeps answers: its warm-up runs until every person has been asked once (at the
# computed rate, 20,000 people take ~5 s), so its run measures the steady state, as a long-running server is.
duration=30; warmup=5; cached_warmup=20
if [ "${1:-}" = "--quick" ]; then duration=5; warmup=2; cached_warmup=5; fi
connections=${CONNECTIONS:-64}
out=${OUT:-bench-out}
mkdir -p "$out"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

swift build -c release --product tact >&2
tact=$PWD/.build/release/tact
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export TACT_SECRET=$(printf 'c%.0s' $(seq 64))
export TACT_LOG_LEVEL=warning
results="$work/results.jsonl"
: > "$results"
port=18080

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

for items in 10000 100000; do
  users=20000
  events=$((items * 8 > 600000 ? items * 8 : 600000))
  dir="$work/data-$items"
  echo "catalog of $items items: generating $events events by $users people..." >&2
  "$tact" generate --users "$users" --items "$items" --interactions "$events" --seed 3 --out "$work/gen-$items" >&2
  "$tact" init --data "$dir" >/dev/null
  "$tact" import items "$work/gen-$items/items.csv" --data "$dir" >/dev/null
  "$tact" import interactions "$work/gen-$items/interactions.csv" --grant personalization,model-training --data "$dir" >/dev/null
  echo "training iALS (64 factors)..." >&2
  "$tact" train --algorithm als --factors 64 --iterations 8 --force --data "$dir" >/dev/null  # a speed benchmark: served even below popularity
  # A load generator reads people uniformly at random, none coming back: a batch job's shape. As an app
  # (the default for these scopes) the Guard would stop it as a scraper within about 400 reads (docs/guard.md).
  key=$("$tact" keys create --name bench --scopes recommend --role batch --data "$dir" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
  port=$((port + 1))
  # First every answer computed (--cache-seconds 0), with the health route as the ceiling.
  "$tact" serve --data "$dir" --port "$port" --rate 1000000 --burst 1000000 --factors 64 ${SERVE_FLAGS:-} --cache-seconds 0 2> "$work/serve-$items.log" &
  server=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "the server did not start:" >&2; cat "$work/serve-$items.log" >&2; exit 1; }
  sample=$(curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$port/v1/people/u1/recommendations?k=10")
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["personalized"] and len(d["items"])==10 and d["items"][0]["reasons"], d' "$sample"

  cat > "$work/recs.lua" <<LUA
math.randomseed(7)
request = function()
  local u = math.random(1, $users)
  return wrk.format("GET", "/v1/people/u" .. u .. "/recommendations?k=10", {["Authorization"] = "Bearer $key"})
end
LUA
  cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('REPORT {"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
LUA
  cat "$work/recs.lua" "$work/report.lua" > "$work/recs-report.lua"
  measure() { # name url script [warm-up seconds]
    wrk -t1 -c"$connections" -d"${4:-$warmup}s" ${3:+-s "$3"} "$2" >/dev/null
    local before after line
    before=$(rss_kib "$server")
    line=$(wrk -t1 -c"$connections" -d"${duration}s" -s "${3:-$work/report.lua}" "$2" | grep '^REPORT ' | cut -c8-)
    after=$(rss_kib "$server")
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(name=sys.argv[2], items=int(sys.argv[3]), rss_before_mib=int(sys.argv[4])/1024, rss_after_mib=int(sys.argv[5])/1024, rps=d["requests"]/d["seconds"]); print(json.dumps(d))' \
      "$line" "$1" "$items" "$before" "$after" >> "$results"
  }
  echo "wrk: recommendations ($items items)..." >&2
  measure recommendations "http://127.0.0.1:$port/" "$work/recs-report.lua"
  echo "wrk: health ($items items)..." >&2
  measure health "http://127.0.0.1:$port/health/live" ""
  kill "$server"; wait "$server" 2>/dev/null || true; server=""

  # Then the same load on the server as it starts by default, keeping answers (see docs/http-api.md).
  port=$((port + 1))
  "$tact" serve --data "$dir" --port "$port" --rate 1000000 --burst 1000000 --factors 64 ${SERVE_FLAGS:-} 2> "$work/serve-cache-$items.log" &
  server=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  echo "wrk: recommendations, default server with its answer cache ($items items)..." >&2
  measure recommendations-cached "http://127.0.0.1:$port/" "$work/recs-report.lua" "$cached_warmup"
  curl -s "http://127.0.0.1:$port/metrics" | awk '/^tact_recommendation_cache_(hits|misses)_total/ {print $1, $2}' > "$work/cache-$items.txt"
  python3 - "$results" "$items" "$work/cache-$items.txt" <<'PY'
import json, sys
path, items, counts = sys.argv[1], int(sys.argv[2]), dict(line.split() for line in open(sys.argv[3]))
hits, misses = float(counts.get("tact_recommendation_cache_hits_total", 0)), float(counts.get("tact_recommendation_cache_misses_total", 0))
rows = [json.loads(l) for l in open(path)]
for r in rows:
    if r["name"] == "recommendations-cached" and r["items"] == items:
        r["cache_hit_rate"] = hits / max(1.0, hits + misses)
open(path, "w").write("".join(json.dumps(r) + "\n" for r in rows))
PY
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done

python3 Benchmarks/http-load/report.py "$results" "$out/http-load.svg" "$duration" "$connections"

#!/usr/bin/env bash
# The Guard live (issue 29, "The Guard must not take production down"): a benign app and two scrapers
# against one `tact serve` started with its defaults (the Guard on, no --rate, no guard flags).
#
#   Benchmarks/guard-live/run.sh [--quick]          # builds tact (swift build -c release --product tact)
#   TACT=/path/to/tact Benchmarks/guard-live/run.sh  # uses that binary instead
#
# Generates 100,000 consenting people, 2,000 items and 600,000 events (seed 5), imports them and
# starts the server (no training: it chooses its model at start). Then, each with its own fresh key:
#   1. the app (role app): 4 connections, 200 requests/s in all, paced, for 20 s (5 s with --quick),
#      recommendations for people of Zipf-distributed activity (P(rank r) ∝ 1/r over a random
#      permutation of the ids). Target: every answer 200, and no throttle or suspension of its key.
#   2. a scraper reading every person once in random order, then one in id order (u1, u2, ...), each
#      with 16 connections as fast as it can, until 200 refusals (401 suspended, 429 throttled) or
#      30 s (10 s with --quick). Target: under 1% of the persons read with 200, in all.
# Lists the Guard's alerts (GET /v1/guard/alerts, an audit key of role admin), prints a table and
# one JSON line, draws bench-out/guard-live.svg, and exits 1 when a target is missed.
#
# A binary from before keys had roles has no `keys create --role`: ALLOW_NO_ROLE=1 makes the keys
# without one, for debugging the script against it (the report says so); otherwise it stops.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=false; app_seconds=20; scrape_seconds=30
if [ "${1:-}" = "--quick" ]; then quick=true; app_seconds=5; scrape_seconds=10; fi
users=100000
out=${OUT:-bench-out}
port=${PORT:-18290}
mkdir -p "$out"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

if [ -n "${TACT:-}" ]; then
  tact=$(realpath -s "$TACT"); built=false
else
  swift build -c release --product tact >&2
  tact=$PWD/.build/release/tact; built=true
fi
roles=true
key_help=$("$tact" keys create --help)
if [[ "$key_help" != *--role* ]]; then
  if [ "${ALLOW_NO_ROLE:-}" = 1 ]; then
    roles=false
    echo "WARNING: $tact has no 'keys create --role': making the keys without a role (ALLOW_NO_ROLE=1, debugging only)" >&2
  else
    echo "$tact has no 'keys create --role' (a binary from before keys had roles); build this tree, or ALLOW_NO_ROLE=1 to debug" >&2
    exit 2
  fi
fi
here=$PWD/Benchmarks/guard-live
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export TACT_SECRET=$(printf 'c%.0s' $(seq 64))
export TACT_LOG_LEVEL=warning
dir="$work/data"

echo "generating $users people, 2,000 items, 600,000 events..." >&2
"$tact" generate --users "$users" --items 2000 --interactions 600000 --seed 5 --out "$work/gen" >/dev/null
"$tact" init --data "$dir" >/dev/null
"$tact" import items "$work/gen/items.csv" --data "$dir" >/dev/null
"$tact" import interactions "$work/gen/interactions.csv" --grant personalization,model-training --data "$dir" >/dev/null

make_key() { # name scopes role → "id key"
  local role_args=()
  $roles && role_args=(--role "$3")
  "$tact" keys create --name "$1" --scopes "$2" "${role_args[@]}" --data "$dir" --json |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["key"])'
}
read -r audit_id audit_key < <(make_key guard-live-audit audit admin)
read -r app_id app_key < <(make_key guard-live-app recommend app)
read -r random_id random_key < <(make_key guard-live-scraper-random recommend app)
read -r order_id order_key < <(make_key guard-live-scraper-id recommend app)
[ -n "$audit_key" ] && [ -n "$app_key" ] && [ -n "$random_key" ] && [ -n "$order_key" ] || { echo "tact keys create failed" >&2; exit 1; }

echo "starting tact serve with its defaults on port $port..." >&2
"$tact" serve --data "$dir" --port "$port" 2> "$work/serve.log" &
server=$!
for _ in $(seq 900); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

traffic() { python3 "$here/traffic.py" "$@" --port "$port" --persons "$users"; }
echo "app: 4 connections, 200 requests/s, ${app_seconds} s..." >&2
traffic app --key "$app_key" --seconds "$app_seconds" --rate 200 --connections 4 > "$work/app.json"
echo "scraper, random order: 16 connections, at most ${scrape_seconds} s or 200 refusals..." >&2
traffic scrape --key "$random_key" --order random --connections 16 --max-seconds "$scrape_seconds" --max-refusals 200 > "$work/scrape-random.json"
echo "scraper, id order: 16 connections, at most ${scrape_seconds} s or 200 refusals..." >&2
traffic scrape --key "$order_key" --order id --connections 16 --max-seconds "$scrape_seconds" --max-refusals 200 > "$work/scrape-id.json"
traffic alerts --key "$audit_key" > "$work/alerts.json"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

python3 - "$work/context.json" "$users" "$tact" "$built" "$roles" "$quick" "$audit_id" "$app_id" "$random_id" "$order_id" <<'PY'
import json, sys
path, users, tact, built, roles, quick, audit, app, random_order, id_order = sys.argv[1:]
json.dump({"persons": int(users), "tact": tact, "built": built == "true", "roles": roles == "true", "quick": quick == "true",
           "keys": {"audit": audit, "app": app, "scraper-random": random_order, "scraper-id": id_order}}, open(path, "w"))
PY
python3 "$here/report.py" "$work" "$out/guard-live.svg"

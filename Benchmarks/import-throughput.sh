#!/usr/bin/env bash
# Import throughput: Tact's whole ingestion pipeline (parse, pseudonymize with HMAC-SHA256, consent
# gate and ledger, SQLite with its indexes and foreign keys) against a peer, the sqlite3 shell's
# .import of the same rows into one bare table (parsing and inserting only: no privacy, no indexes).
#
#   Benchmarks/import-throughput.sh [ML100K_DIR] [ROWS]
#
# Defaults: ../shared/data/ml-100k and a generated 1,000,000-row file (70,000 people, 10,000 items).
# Prints a table and one JSON line, and draws bench-out/import-throughput.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
ml=${1:-../shared/data/ml-100k}
rows=${2:-1000000}
runs=${RUNS:-3}
out=${OUT:-bench-out}
mkdir -p "$out"
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed for the peer: apt-get install -y sqlite3" >&2; exit 1; }
[ -f "$ml/u.data" ] || { echo "no MovieLens 100K at $ml (give its directory as the first argument)" >&2; exit 1; }

swift build -c release --product tact >&2
tact=.build/release/tact
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "generating $rows rows..." >&2
"$tact" generate --users 70000 --items 10000 --interactions "$rows" --seed 1 --out "$work/gen" >&2

results="$work/results.jsonl"
: > "$results"
run_tact() { # name path
  for i in $(seq "$runs"); do
    rm -rf "$work/d"
    TACT_SECRET=$(printf 'b%.0s' $(seq 64)) "$tact" init --data "$work/d" >/dev/null
    /usr/bin/time -f '%M %e' -o "$work/time" \
      env TACT_SECRET=$(printf 'b%.0s' $(seq 64)) "$tact" import interactions "$2" --grant personalization,model-training --data "$work/d" --json > "$work/tact.json"
    read -r rss wall < "$work/time"
    python3 - "$1" "$rss" "$wall" "$work/tact.json" >> "$results" <<'PY'
import json, sys
name, rss, wall, path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
r = json.load(open(path))
print(json.dumps({"dataset": name, "engine": "tact", "rows": r["read"], "stored": r["stored"],
                  "pipeline_seconds": r["seconds"], "wall_seconds": wall, "peak_rss_bytes": rss * 1024}))
PY
  done
}
run_peer() { # name path separator skip
  for i in $(seq "$runs"); do
    rm -f "$work/peer.sqlite"
    if [ "$3" = "tab" ]; then
      sqlite3 "$work/peer.sqlite" "CREATE TABLE interactions(user TEXT, item TEXT, value REAL, timestamp INTEGER);"
      cmds=(-cmd ".mode tabs" -cmd ".import $2 interactions")
    else
      sqlite3 "$work/peer.sqlite" "CREATE TABLE interactions(user TEXT, item TEXT, value REAL, timestamp INTEGER, kind TEXT, context TEXT);"
      cmds=(-cmd ".import --csv --skip 1 $2 interactions")
    fi
    /usr/bin/time -f '%M %e' -o "$work/time" sqlite3 "${cmds[@]}" "$work/peer.sqlite" "SELECT 1;" > /dev/null
    read -r rss wall < "$work/time"
    n=$(sqlite3 "$work/peer.sqlite" "SELECT COUNT(*) FROM interactions;")
    echo "{\"dataset\": \"$1\", \"engine\": \"sqlite3 .import\", \"rows\": $n, \"wall_seconds\": $wall, \"peak_rss_bytes\": $((rss * 1024))}" >> "$results"
  done
}

echo "importing (runs: $runs each)..." >&2
run_tact ml-100k "$ml"
run_peer ml-100k "$ml/u.data" tab
run_tact "generated-$rows" "$work/gen/interactions.csv"
run_peer "generated-$rows" "$work/gen/interactions.csv" csv

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || uname -m)
python3 Benchmarks/import_report.py "$results" "$commit" "$cpu ($(nproc) cores)" "$out/import-throughput.svg"

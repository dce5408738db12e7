#!/usr/bin/env bash
# The default against popularity and iALS's flag defaults on a generated store where the old default lost to
# popularity: 70,000 people × 10,000 items × 1,000,000 events (tact generate --seed 7), 2 threads.
# Times one iALS fit and the default search as whole processes, then scores (stratified 25% held out):
# the default, popularity, --algorithm als, and the search with 10× its budget.
#
#   Benchmarks/quality/generated.sh [OUT_DIR]     (default: bench-out/quality-generated)
#
# Prints a table and one JSON line, and draws OUT_DIR/generated.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-bench-out/quality-generated}"
mkdir -p "$out"
swift build -c release --product tact >&2
tact="$(swift build -c release --show-bin-path)/tact"
data="$out/data"
rm -rf "$data" "$out/gen"
"$tact" generate --users 70000 --items 10000 --interactions 1000000 --seed 7 --out "$out/gen" > /dev/null
"$tact" init --data "$data" > /dev/null
"$tact" import items "$out/gen/items.csv" --data "$data" > /dev/null
"$tact" import interactions "$out/gen/interactions.csv" --grant personalization,model-training --data "$data" > /dev/null
seconds() { local s; s=$(date +%s.%N); "$@" > /dev/null; python3 -c "import sys; print(round($(date +%s.%N) - $s, 2))"; }
echo "{\"one_fit_seconds\": $(seconds "$tact" train --algorithm als --threads 2 --force --data "$data" --json), \"search_train_seconds\": $(seconds "$tact" train --threads 2 --data "$data" --json)}" > "$out/times.json"
: > "$out/scores.jsonl"
for flags in "" "--algorithm popular" "--algorithm als" "--budget 150"; do
  "$tact" evaluate --split stratified --test-fraction 0.25 --threads 2 $flags --data "$data" --json 2>/dev/null | tail -1 |
    python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); d["flags"]=sys.argv[1]; print(json.dumps(d))' "$flags" >> "$out/scores.jsonl"
done
python3 Benchmarks/quality/generated_report.py "$out"

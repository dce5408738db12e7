#!/usr/bin/env bash
# Recommendation quality on MovieLens 100K, Microsoft Recommenders' protocol (per-person stratified 75/25
# split, every rating a positive, top 10 over unrated items, NDCG@10 with binary relevance): Tact's
# defaults and its algorithms tuned on a validation split of the training part, against implicit's ALS and
# BPR tuned the same way and cornac's BPR with Recommenders' settings, all scored by the same code.
#
#   Benchmarks/quality/run.sh PATH/TO/ml-100k [OUT_DIR] [SEED]     (OUT_DIR default: bench-out/quality)
#
# Prints a table and one JSON line, and draws OUT_DIR/quality.svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:?give the folder holding MovieLens 100K (u.data)}"
out="${2:-bench-out/quality}"
seed="${3:-42}"
[ -f "$data/u.data" ] || { echo "no MovieLens 100K at $data" >&2; exit 1; }
mkdir -p "$out"

swift build -c release --product quality >&2
bin="$(swift build -c release --show-bin-path)"

# QUALITY_VENV: a virtual environment of your own with torch as well, for the BiVAE row (peers.py says when it is skipped).
venv="${QUALITY_VENV:-.venv-quality}"
if ! "$venv/bin/python" -c 'import implicit, cornac, numpy, scipy, threadpoolctl; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  echo "creating $venv (implicit 0.7.3, cornac, numpy, scipy, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet implicit==0.7.3 cornac numpy scipy threadpoolctl >&2
fi

"$bin/quality" "$data" "$out" --seed "$seed" > "$out/tact.jsonl"
OPENBLAS_NUM_THREADS=1 "$venv/bin/python" Benchmarks/quality/peers.py "$out" > "$out/peers.jsonl"
: > "$out/scored.jsonl"
python3 -c 'import json,sys; [print(json.loads(l)["lists"]) for l in open(sys.argv[1]) if "lists" in json.loads(l)]' "$out/peers.jsonl" |
  while read -r lists; do "$bin/quality" --score "$out" "$lists" "$lists" >> "$out/scored.jsonl"; done
python3 Benchmarks/quality/report.py "$out" "$seed"

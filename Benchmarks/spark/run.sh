#!/usr/bin/env bash
# Tact's iALS against Spark MLlib's implicit ALS (tact train/evaluate --engine spark) on MovieLens 100K:
# the same consented data directory, the same split, the same evaluation, the same factors and iterations.
#
#   Benchmarks/spark/run.sh ML100K_DIR [--quick]
#
# 1. creates Benchmarks/spark/.venv (pyspark, numpy from PyPI) unless it has them; Spark needs Java 17+;
# 2. builds tact in release (TACT=/path/to/tact uses that binary instead);
# 3. imports MovieLens 100K into a temporary data directory (everyone granted model-training);
# 4. tunes each engine on its own grid of regularization and alpha, on a tuning split (seed 2), by NDCG@10:
#    Spark's regParam is scaled by each row's count of ratings (ALS-WR) and Tact's λ is not, so one λ
#    for both would favour one side; --quick skips the tuning and uses the best values found before;
# 5. scores both tuned models on the reported split (seed 1, 20% of each person's items held out):
#    NDCG@10, recall@20, training seconds (Spark's: the whole run, JVM start and Parquet included, and
#    the fit alone).
# Prints a table and one JSON line (commit, machine); writes OUT (default bench-out/) spark.json and
# the chart spark.svg. Environment: FACTORS (64), ITERATIONS (15), MASTER (local[N], N = cores),
# TACT_REGS, SPARK_REGS, ALPHAS (the grids, comma-separated; the defaults hold both optima found in
# docs/spark.md). About 6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:?usage: Benchmarks/spark/run.sh ML100K_DIR [--quick]}
[ -f "$data/u.data" ] || { echo "no MovieLens 100K at $data (give the folder holding u.data)" >&2; exit 1; }
quick=${2:-}
factors=${FACTORS:-64} iterations=${ITERATIONS:-15} master=${MASTER:-local[$(nproc)]}
tact_regs=${TACT_REGS:-3,10,30,100} spark_regs=${SPARK_REGS:-0.03,0.1,0.3} alphas=${ALPHAS:-0.5,1}
out=${OUT:-bench-out}
mkdir -p "$out"

venv=Benchmarks/spark/.venv
if ! "$venv/bin/python" -c 'import pyspark, numpy' 2>/dev/null; then
  echo "creating $venv (pyspark, numpy)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pyspark numpy >&2
fi
java -version >/dev/null 2>&1 || { echo "Spark needs Java 17 or later on the PATH" >&2; exit 1; }
python=$(cd "$venv/bin" && pwd)/python

if [ -z "${TACT:-}" ]; then
  swift build -c release --product tact >&2
  TACT=.build/release/tact
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$TACT" init --data "$work/data" >/dev/null
"$TACT" import interactions "$data" --data "$work/data" --grant personalization,model-training >/dev/null

common=(--data "$work/data" --factors "$factors" --iterations "$iterations" --threads "$(nproc)" --json)
spark=(--engine spark --python "$python" --spark-master "$master")
evaluate() {  # engine seed k regularization alpha
  local engine=$1 seed=$2 k=$3 reg=$4 alpha=$5 extra=()
  [ "$engine" = spark ] && extra=("${spark[@]}")
  "$TACT" evaluate "${common[@]}" "${extra[@]}" --seed "$seed" --k "$k" --regularization "$reg" --alpha "$alpha" 2>>"$out/spark-stderr.log" \
    | python3 -c 'import json, sys; r = json.loads(sys.stdin.read()); r.update(seed=int(sys.argv[1]), regularization=float(sys.argv[2]), alpha=float(sys.argv[3])); print(json.dumps(r))' "$seed" "$reg" "$alpha"
}

: > "$out/spark-tuning.jsonl"
: > "$out/spark-stderr.log"
best() {  # engine grid -> "regularization alpha" with the best NDCG@10 on the tuning split
  local engine=$1 grid=$2
  if [ "$quick" = --quick ]; then
    [ "$engine" = spark ] && echo "0.1 0.5" || echo "10 0.5"
    return
  fi
  for reg in ${grid//,/ }; do
    for alpha in ${alphas//,/ }; do
      echo "  $engine: λ $reg, alpha $alpha" >&2
      evaluate "$engine" 2 10 "$reg" "$alpha" | tee -a "$out/spark-tuning.jsonl" >/dev/null
    done
  done
  python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["engine"] == sys.argv[2]]
b = max(rows, key=lambda r: r["ndcg"])
print(b["regularization"], b["alpha"])' "$out/spark-tuning.jsonl" "$engine"
}
echo "tuning Tact's iALS..." >&2
read -r tact_reg tact_alpha < <(best builtin "$tact_regs")
echo "tuning Spark's ALS..." >&2
read -r spark_reg spark_alpha < <(best spark "$spark_regs")

echo "scoring on the reported split (Tact λ $tact_reg alpha $tact_alpha; Spark regParam $spark_reg alpha $spark_alpha)..." >&2
: > "$out/spark-final.jsonl"
for k in 10 20; do
  evaluate builtin 1 "$k" "$tact_reg" "$tact_alpha" >> "$out/spark-final.jsonl"
  evaluate spark 1 "$k" "$spark_reg" "$spark_alpha" >> "$out/spark-final.jsonl"
done
spark_version=$("$python" -c 'import pyspark; print(pyspark.__version__)')
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo "+changes")
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
python3 Benchmarks/spark/report.py "$out" "$commit" "$machine" "$spark_version" "$factors" "$iterations" "$master" | tee "$out/spark.txt"

#!/usr/bin/env bash
# Erasure latency side by side with what erasure costs without exact unlearning: a full retrain,
# by Tact's iALS and by the Python library implicit (0.7.3) on the same matrix, in the same run.
#
#   Benchmarks/erasure/run.sh [--quick]
#
# Default: 1,000,000 interactions, 100,000 items, 30 people with 1,000 interactions each erased.
# --quick: 100,000 interactions, 10,000 items, 10 people. OUT=DIR for the JSON lines (bench-out/).
set -euo pipefail
cd "$(dirname "$0")/../.."
args=()
for arg in "$@"; do
  case $arg in
    --quick) args+=(--items 10000 --interactions 100000 --people 5000 --heavy 10) ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
out=${OUT:-bench-out}
mkdir -p "$out"
venv=.venv-bench
if ! "$venv/bin/python" -c 'import implicit, numpy, scipy, threadpoolctl; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  echo "creating $venv (implicit 0.7.3, numpy, scipy, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet implicit==0.7.3 numpy scipy threadpoolctl >&2
fi
swift build -c release --product erasure-latency >&2
matrix=$(mktemp)
trap 'rm -f "$matrix"' EXIT
.build/release/erasure-latency --matrix "$matrix" "${args[@]}" | tee "$out/erasure.txt"
# The peer: implicit retrains from scratch on the same matrix (same factors, iterations, regularization).
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" Benchmarks/erasure/implicit_retrain.py "$matrix" "$out/erasure.txt" | tee -a "$out/erasure.txt"

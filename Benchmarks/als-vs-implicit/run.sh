#!/usr/bin/env bash
# iALS side by side: Tact against the Python library implicit (0.7.3), same data, split and
# hyperparameters, in the same run. See README.md beside this file.
#
#   Benchmarks/als-vs-implicit/run.sh [ML100K_DIR] [--quick]
#
# ML100K_DIR defaults to ../shared/data/ml-100k. --quick skips the 20M-event dataset.
# TACT=/path/to/tact uses that binary instead of building one (release) in .build.
# OUT=DIR puts the chart somewhere other than bench-out/. KEEP=1 keeps the train/test files.
# RUNS=N runs each engine N times (interleaved) and reports the median seconds per iteration.
set -euo pipefail
cd "$(dirname "$0")/../.."
ml=../shared/data/ml-100k
extra=()
for arg in "$@"; do
  case $arg in
    --quick) extra+=(--quick) ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $arg" >&2; exit 2 ;;
    *) ml=$arg ;;
  esac
done
[ -f "$ml/u.data" ] || { echo "no MovieLens 100K at $ml (give its directory as the first argument)" >&2; exit 1; }
[ "${KEEP:-}" = 1 ] && extra+=(--keep)

venv=.venv-bench
if ! "$venv/bin/python" -c 'import implicit, numpy, scipy, threadpoolctl; assert implicit.__version__ == "0.7.3"' 2>/dev/null; then
  echo "creating $venv (implicit 0.7.3, numpy, scipy, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet implicit==0.7.3 numpy scipy threadpoolctl >&2
fi

if [ -z "${TACT:-}" ]; then
  swift build -c release --product tact >&2
  TACT=.build/release/tact
fi

# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE would pin OpenBLAS to a kernel or cache size not chosen for
# this CPU: unset them so implicit runs as it would on a plain install. The driver prints the kernel.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$venv/bin/python" Benchmarks/als-vs-implicit/driver.py \
  --ml100k "$ml" --tact "$TACT" --out "${OUT:-bench-out}" "${extra[@]}"

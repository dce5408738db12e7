#!/usr/bin/env bash
# Privacy-preserving advertising (issue 13's measurements): ad selection among 10,000 active campaigns
# (the kernel, scanning and through the index, and end to end on SQLite), and the error of DP reports
# at ε = 1 on a simulated 100,000-impression campaign, beside OpenDP's discrete Laplace on the same
# counts and scales.
#
#   Benchmarks/ads/run.sh [OUT_DIR]        (default bench-out/ads)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-bench-out/ads}"
mkdir -p "$out"
swift build -c release --product ad-selection >&2
bin="$(swift build -c release --show-bin-path)"
venv=.venv-bench
if ! "$venv/bin/python" -c 'import opendp' 2>/dev/null; then
  echo "installing opendp into $venv..." >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet opendp >&2
fi
"$bin/ad-selection" 2>/dev/null > "$out/tact.txt"
"$venv/bin/python" Benchmarks/ads/opendp_reports.py < "$out/tact.txt" > "$out/opendp.json"
python3 Benchmarks/ads/report.py "$out"

#!/usr/bin/env bash
# Federated learning on MovieLens 100K with each person a device, and the cost of secure aggregation:
#
#   Benchmarks/federated/run.sh ML100K_DIR [--rounds 10] [--factors 64]
#
# 1. federated iALS (secure aggregation, every device, Harary graph of degree 32) against centralized
#    iALS with the same settings: NDCG@10, recall@20, bytes and CPU per device, round time;
# 2. federated DP-ALS at ε = 8 against centralized DP-ALS at the same ε (16 factors, 2 rounds: DP-ALS's defaults);
# 3. one secure aggregation of a 1,682 × 64 update with 100 and 1,000 devices (federated-cost);
# 4. local-DP popularity telemetry (count-mean sketch) at ε 2, 4, 8 with 1, 10 and 50 reports per device.
# Prints tables and one JSON line (commit, machine); writes OUT (default bench-out/) federated.json and
# the chart federated.svg. About 10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${1:?usage: Benchmarks/federated/run.sh ML100K_DIR [--rounds N] [--factors K]}
shift
rounds=10 factors=64
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=${2:?}; shift 2 ;;
    --factors) factors=${2:?}; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
out=${OUT:-bench-out}
mkdir -p "$out"
swift build -c release --product tact >&2
swift build -c release --product federated-cost >&2
tact=.build/release/tact
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$tact" init --data "$dir/data" >/dev/null
"$tact" import interactions "$data" --data "$dir/data" --grant personalization,model-training >/dev/null

echo "federated iALS, $rounds rounds, $factors factors..." >&2
"$tact" federated simulate --data "$dir/data" --rounds "$rounds" --factors "$factors" --json > "$out/federated-als.json"
echo "federated DP-ALS, ε = 8..." >&2
"$tact" federated simulate --data "$dir/data" --rounds 2 --factors 16 --epsilon 8 --json > "$out/federated-dp.json"
echo "secure aggregation cost..." >&2
.build/release/federated-cost --devices 100,1000 | tail -n 1 > "$out/federated-cost.json"
echo "local-DP telemetry..." >&2
: > "$out/federated-telemetry.jsonl"
for e in 2 4 8; do
  for r in 1 10 50; do
    "$tact" federated telemetry --data "$dir/data" --epsilon "$e" --reports "$r" --json >> "$out/federated-telemetry.jsonl"
  done
done
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo "+changes")
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
python3 Benchmarks/federated/report.py "$out" "$commit" "$machine" | tee "$out/federated.txt"

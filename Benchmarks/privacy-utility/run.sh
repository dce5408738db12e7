#!/usr/bin/env bash
# The privacy–utility report (issue 6) on MovieLens 100K and on a generated 100,000-person dataset:
# non-private iALS and popularity against DP-ALS and DP popularity at each ε, on the same split.
#
#   Benchmarks/privacy-utility/run.sh ML100K_DIR [--quick]
#
# ML100K_DIR holds u.data (for example ../shared/data/ml-100k). --quick: a 10,000-person generated set.
# Writes OUT/privacy-utility-{ml100k,generated}.{txt,json,svg} (OUT defaults to bench-out/) and prints
# one JSON line per dataset with the commit and the machine. The non-private iALS settings are the
# best of a small grid per dataset (docs/differential-privacy.md); DP-ALS on MovieLens uses one
# iteration and a 0.4 count share (943 people afford less noise than 100,000).
set -euo pipefail
cd "$(dirname "$0")/../.."
ml=${1:?give the MovieLens 100K directory}
people=100000 interactions=2000000 items=5000
[[ ${2:-} == --quick ]] && people=10000 interactions=200000 items=2000
out=${OUT:-bench-out}
mkdir -p "$out"
swift build -c release --product tact >&2
tact=.build/release/tact
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo "+changes")
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

$tact init --data "$work/ml" >/dev/null
$tact import interactions "$ml" --data "$work/ml" --grant personalization,model-training >/dev/null
$tact generate --users $people --items $items --interactions $interactions --seed 42 --out "$work/gen" >/dev/null
$tact init --data "$work/g" >/dev/null
$tact import interactions "$work/gen/interactions.csv" --data "$work/g" --grant personalization,model-training >/dev/null

report() {  # name data-dir epsilons [flags...]
  local name=$1 dir=$2 epsilons=$3; shift 3
  $tact evaluate --privacy --data "$dir" --epsilons "$epsilons" --delta 1e-5 "$@" \
    --report-json "$out/privacy-utility-$name.json" --chart "$out/privacy-utility-$name.svg" | tee "$out/privacy-utility-$name.txt"
  python3 - "$out/privacy-utility-$name.json" "$name" "$commit" "$machine" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
rows = [{k: r.get(k) for k in ("model", "epsilon", "accountedEpsilon", "recallAt20", "ndcgAt10")} for r in report["rows"]]
print(json.dumps({"benchmark": "privacy-utility", "dataset": sys.argv[2], "commit": sys.argv[3], "machine": sys.argv[4],
                  "people": report["people"], "items": report["items"], "delta": report["delta"], "rows": rows}))
PY
}
report ml100k "$work/ml" 0.5,1,2,4,8,16 --factors 16 --alpha 4 --regularization 1 --iterations 15 --dp-iterations 1 --count-share 0.4
report generated "$work/g" 0.5,1,2,4,8,10,16 --factors 16 --alpha 10 --regularization 10 --iterations 15

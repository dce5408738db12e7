"""Prints generated.sh's table and one JSON line, and draws OUT_DIR/generated.svg."""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
import run_context  # noqa: E402  (Benchmarks/run_context.py)
from bars import horizontal_bars  # noqa: E402

out = sys.argv[1]
times = json.load(open(os.path.join(out, "times.json")))
names = {"": "tact default (search, default budget)", "--algorithm popular": "popularity",
         "--algorithm als": "iALS, --algorithm als defaults", "--budget 150": "the search, 10x the budget (150 s)"}
rows = [json.loads(l) for l in open(os.path.join(out, "scores.jsonl"))]
print(f"Generated 70,000 x 10,000 x 1,000,000 (seed 7), stratified 25% held out — commit {run_context.commit()}, {run_context.machine()}")
print(f"  one iALS fit, whole process: {times['one_fit_seconds']} s; tact train with the search: {times['search_train_seconds']} s "
      f"({times['search_train_seconds'] / times['one_fit_seconds']:.1f}x)")
print(f"  {'model':<40} {'NDCG@10':>8} {'recall@10':>10}  chosen")
for r in rows:
    chosen = f"{r['algorithm']} {json.dumps(r.get('settings', {}), sort_keys=True)}" if r["flags"] in ("", "--budget 150") else ""
    print(f"  {names[r['flags']]:<40} {r['ndcg']:>8.4f} {r['recall']:>10.4f}  {chosen}")
default = next(r for r in rows if r["flags"] == ""); popular = next(r for r in rows if r["flags"] == "--algorithm popular")
wide = next(r for r in rows if r["flags"] == "--budget 150")
print(f"  default / popularity: {default['ndcg'] / popular['ndcg']:.2f}x; default / 10x budget: {default['ndcg'] / wide['ndcg']:.3f}")
print(json.dumps({"benchmark": "quality-generated", "commit": run_context.commit(), "machine": run_context.machine(), "times": times,
                  "rows": [{"model": names[r["flags"]], "algorithm": r["algorithm"], "ndcg@10": r["ndcg"], "recall@10": r["recall"],
                            "settings": r.get("settings", {})} for r in rows]}, sort_keys=True))
open(os.path.join(out, "generated.svg"), "w").write(horizontal_bars(
    "NDCG@10, generated 70k x 10k x 1M, stratified 25% held out", [(names[r["flags"]], r["ndcg"], "#1f77b4") for r in rows], width=640, left=280))

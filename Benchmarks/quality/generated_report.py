"""Prints generated.sh's table and one JSON line, and draws OUT_DIR/generated.svg."""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

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
width, left, row_height = 640, 280, 24
scale = (width - left - 60) / max(r["ndcg"] for r in rows)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{50 + row_height * len(rows)}" font-family="sans-serif" font-size="12">',
       '<text x="10" y="20" font-size="14">NDCG@10, generated 70k x 10k x 1M, stratified 25% held out</text>']
for i, r in enumerate(rows):
    y = 34 + i * row_height
    svg.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{names[r["flags"]]}</text>')
    svg.append(f'<rect x="{left}" y="{y + 3}" width="{r["ndcg"] * scale:.1f}" height="{row_height - 6}" fill="#1f77b4"/>')
    svg.append(f'<text x="{left + r["ndcg"] * scale + 4:.1f}" y="{y + 14}">{r["ndcg"]:.3f}</text>')
svg.append("</svg>")
open(os.path.join(out, "generated.svg"), "w").write("\n".join(svg))

"""Prints the quality benchmark's table and one JSON line, and draws OUT_DIR/quality.svg."""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
import run_context  # noqa: E402  (Benchmarks/run_context.py)
from bars import horizontal_bars  # noqa: E402

out, seed = sys.argv[1], int(sys.argv[2])
tact = [json.loads(l) for l in open(os.path.join(out, "tact.jsonl"))]
peers = [json.loads(l) for l in open(os.path.join(out, "peers.jsonl"))]
scored = {s["model"]: s for s in (json.loads(l) for l in open(os.path.join(out, "scored.jsonl")))}
# The default runs once per search seed: one row with the mean, the range and each seed's winner.
defaults = [r for r in tact if r["model"] == "tact default (no model flags)"]
rows = [dict(r, source="tact") for r in tact if r not in defaults]
if defaults:
    mean = {k: sum(r[k] for r in defaults) / len(defaults) for k in ("ndcg@10", "precision@10", "recall@10", "map@10")}
    per_seed = {str(r["settings"]["search_seed"]): {"ndcg@10": round(r["ndcg@10"], 4), "algorithm": r["settings"]["algorithm"]} for r in defaults}
    rows.insert(0, dict(mean, model=f"tact default (no flags), mean of {len(defaults)} searches", source="tact",
                        seconds=sum(r["seconds"] for r in defaults) / len(defaults),
                        settings={"min": round(min(r["ndcg@10"] for r in defaults), 4), "max": round(max(r["ndcg@10"] for r in defaults), 4), "seeds": per_seed}))
for p in peers:
    if "lists" in p:
        rows.append(dict(scored[p["lists"]], model=p["model"], settings=p.get("settings", {}), seconds=p.get("seconds"), source="peer"))
    else:
        print(f"skipped: {p['model']}: {p['skipped']}")
# Microsoft Recommenders' published MovieLens 100K table (their benchmark notebook), for reference: not run here.
published = [("BiVAE (published)", 0.475), ("BPR (published)", 0.442), ("LightGCN (published)", 0.420),
             ("NCF (published)", 0.396), ("SAR (published)", 0.382)]

print(f"Quality on MovieLens 100K, stratified 75/25 split (seed {seed}) — commit {run_context.commit()}, {run_context.machine()}")
print()
print(f"  {'model':<44} {'NDCG@10':>8} {'P@10':>7} {'R@10':>7} {'MAP@10':>7} {'seconds':>8}  settings")
for r in rows:
    seconds = f"{r['seconds']:.1f}" if r.get("seconds") is not None else ""
    print(f"  {r['model']:<44} {r['ndcg@10']:>8.4f} {r['precision@10']:>7.4f} {r['recall@10']:>7.4f} {r['map@10']:>7.4f} {seconds:>8}  {json.dumps(r['settings'], sort_keys=True)}")
for name, value in published:
    print(f"  {name:<44} {value:>8.3f}")
best_peer = max((r for r in rows if r["source"] == "peer"), key=lambda r: r["ndcg@10"], default=None)
default = rows[0] if defaults else next(r for r in rows if r["model"] == "tact iALS, --algorithm als defaults")
best_tact = max((r for r in rows if r["source"] == "tact"), key=lambda r: r["ndcg@10"])
print()
print(f"Tact's default ({default['model']}): {default['ndcg@10']:.4f}" + (f" (range {default['settings']['min']}–{default['settings']['max']})" if defaults else "") + f"; its best model ({best_tact['model']}): {best_tact['ndcg@10']:.4f}"
      + (f", {best_tact['ndcg@10'] / best_peer['ndcg@10']:.3f}× the best peer ({best_peer['model']}, {best_peer['ndcg@10']:.4f})" if best_peer else ""))
print(json.dumps({"benchmark": "quality-ml100k", "commit": run_context.commit(), "machine": run_context.machine(), "seed": seed,
                  "rows": [{k: r[k] for k in ("model", "source", "ndcg@10", "precision@10", "recall@10", "map@10", "settings") if k in r} for r in rows],
                  "published": dict(published)}, sort_keys=True))

# A horizontal bar per model: Tact's in blue, peers run here in orange, the published table in grey.
bars = [(r["model"], r["ndcg@10"], "#1f77b4" if r["source"] == "tact" else "#ff7f0e") for r in rows] + [(n, v, "#999999") for n, v in published]
bars.sort(key=lambda b: -b[1])
open(os.path.join(out, "quality.svg"), "w").write(horizontal_bars(
    f"NDCG@10 on MovieLens 100K, stratified 75/25 (seed {seed}): Tact (blue), peers run here (orange), published (grey)", bars))

#!/usr/bin/env python3
"""Tables, one JSON line and an SVG chart from Benchmarks/federated/run.sh's outputs.

    report.py OUT COMMIT MACHINE
"""
import json
import os
import sys
from xml.sax.saxutils import escape

out, commit, machine = sys.argv[1:4]
load = lambda name: json.load(open(os.path.join(out, name)))
als, dp, cost = load("federated-als.json"), load("federated-dp.json"), load("federated-cost.json")
telemetry = [json.loads(line) for line in open(os.path.join(out, "federated-telemetry.jsonl")) if line.strip()]
score = lambda report, name: next(s for s in report["scores"] if s["model"] == name)

print(f"Federated learning on MovieLens 100K (each person a device); commit {commit}; {machine}")
print()
print(f"{'model':<26} {'NDCG@10':>8} {'recall@20':>9} {'ε':>6}")
rows = [(als, "federated iALS"), (als, "iALS"), (dp, "federated DP-ALS"), (dp, "DP-ALS")]
for report, name in rows:
    s = score(report, name)
    eps = f"{s['epsilon']:.2f}" if s.get("epsilon") is not None else "–"
    print(f"{name:<26} {s['ndcgAt10']:8.4f} {s['recallAt20']:9.4f} {eps:>6}")
ratio, dp_ratio = als["ndcg_ratio"], dp["ndcg_ratio"]
print(f"federated iALS: {100 * ratio:.1f}% of centralized NDCG@10 (target ≥ 95%); federated DP-ALS: {100 * dp_ratio:.1f}% of DP-ALS at the same ε")
r = als["rounds"]
mean = lambda key: sum(x[key] for x in r) / len(r)
print(f"per round ({len(r)} rounds, {r[0]['devices']} devices, {r[0]['aggregations']} aggregations): "
      f"{mean('bytesUp') / 1e6:.2f} MB up, {mean('bytesDown') / 1e6:.2f} MB down per device, device {mean('deviceMilliseconds'):.0f} ms, "
      f"server {mean('serverMilliseconds'):.0f} ms, round {mean('roundSeconds'):.2f} s; largest |secure − plain| {max(x['largestAggregationError'] for x in r):.1e}; "
      f"clamped {sum(x['clampedValues'] for x in r)}")
print()
print(f"One secure aggregation of a {cost['items']} × {cost['factors']} update, dropout {cost['dropout']}; masks at {cost['mask_gb_per_s']:.2f} GB/s on one core")
print(f"{'devices':>7} {'graph':<10} {'method':<10} {'up kB':>8} {'down kB':>8} {'device ms':>9} {'server ms':>9} {'round s':>7} exact")
for row in cost["rows"]:
    print(f"{row['devices']:>7} {row['graph']:<10} {row['method']:<10} {row['bytesUp'] / 1e3:8.1f} {row['bytesDown'] / 1e3:8.1f} "
          f"{row['deviceMilliseconds']:9.0f} {row['serverMilliseconds']:9.0f} {row['roundSeconds']:7.2f} {'yes' if row['exact'] else 'NO'}")
print()
print("Local-DP telemetry (count-mean sketch 256 × 1024): error of the estimated counts against the true counts")
print(f"{'ε':>4} {'reports/device':>14} {'reports':>8} {'RMSE':>7} {'predicted σ':>11} {'top 10':>6} {'top 50':>6}")
for t in telemetry:
    print(f"{t['epsilonPerReport']:4.0f} {t['reportsPerDevice']:14d} {t['reports']:8d} {t['rootMeanSquareError']:7.1f} "
          f"{t['predictedStandardDeviation']:11.1f} {t['top10Overlap']:6d} {t['top50Overlap']:6d}")

line = {"benchmark": "federated", "commit": commit, "machine": machine,
        "federated_ndcg": score(als, "federated iALS")["ndcgAt10"], "central_ndcg": score(als, "iALS")["ndcgAt10"], "ndcg_ratio": ratio,
        "federated_dp_ndcg": score(dp, "federated DP-ALS")["ndcgAt10"], "dp_als_ndcg": score(dp, "DP-ALS")["ndcgAt10"], "dp_ratio": dp_ratio,
        "rounds": r, "cost": cost["rows"], "mask_gb_per_s": cost["mask_gb_per_s"], "telemetry": telemetry}
print(json.dumps(line))
with open(os.path.join(out, "federated.json"), "w") as f:
    f.write(json.dumps(line) + "\n")

# Chart: NDCG@10 of the four models, and per-device CPU of one aggregation by round size and graph.
width, height = 760, 330
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14" font-weight="bold">Federated learning on MovieLens 100K: quality and cost</text>',
         f'<text x="10" y="38" fill="#555">commit {escape(commit)}; {escape(machine[:90])}</text>']
# Left: NDCG bars.
left, top, plot = 20, 70, 200
scores = [(name, score(report, name)["ndcgAt10"]) for report, name in rows]
colors = {"federated iALS": "#3b7dd8", "iALS": "#9a9a9a", "federated DP-ALS": "#3b7dd8", "DP-ALS": "#9a9a9a"}
top_value = max(v for _, v in scores) * 1.15
parts.append(f'<text x="{left}" y="{top - 12}" font-weight="bold">NDCG@10 (blue: federated, grey: centralized)</text>')
for i, (name, value) in enumerate(scores):
    x = left + 20 + i * 85
    h = plot * value / top_value
    parts.append(f'<rect x="{x}" y="{top + plot - h:.1f}" width="60" height="{h:.1f}" fill="{colors[name]}"/>'
                 f'<text x="{x + 30}" y="{top + plot - h - 4:.1f}" text-anchor="middle" font-size="11">{value:.3f}</text>'
                 f'<text x="{x + 30}" y="{top + plot + 16}" text-anchor="middle" font-size="10">{escape(name.replace("federated ", "fed. "))}</text>')
parts.append(f'<text x="{left + 105}" y="{top + plot + 34}" text-anchor="middle" font-size="10" fill="#555">no DP</text>'
             f'<text x="{left + 275}" y="{top + plot + 34}" text-anchor="middle" font-size="10" fill="#555">ε = 8</text>')
# Right: device ms per aggregation.
x0, w = 430, 300
parts.append(f'<text x="{x0}" y="{top - 12}" font-weight="bold">CPU per device, one {cost["items"]} × {cost["factors"]} aggregation</text>')
bars = [(f'{row["devices"]} {row["graph"]}', row["deviceMilliseconds"]) for row in cost["rows"] if row["method"] == "full round" or row["devices"] > 200]
largest = max(v for _, v in bars)
for i, (label, value) in enumerate(bars):
    y = top + 10 + i * 40
    bw = (w - 170) * value / largest
    parts.append(f'<text x="{x0}" y="{y + 14}" font-size="11">{escape(label)}</text>'
                 f'<rect x="{x0 + 110}" y="{y}" width="{bw:.1f}" height="20" fill="#3b7dd8"/>'
                 f'<text x="{x0 + 114 + bw:.1f}" y="{y + 14}" font-size="11">{value:.0f} ms</text>')
parts.append("</svg>")
with open(os.path.join(out, "federated.svg"), "w") as f:
    f.write("\n".join(parts) + "\n")
print(f"chart: {os.path.join(out, 'federated.svg')}", file=sys.stderr)

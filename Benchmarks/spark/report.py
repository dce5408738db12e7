#!/usr/bin/env python3
"""The table, one JSON line and an SVG chart from Benchmarks/spark/run.sh's outputs.

    report.py OUT COMMIT MACHINE SPARK_VERSION FACTORS ITERATIONS MASTER
"""
import json
import os
import sys
from xml.sax.saxutils import escape

out, commit, machine, spark_version, factors, iterations, master = sys.argv[1:8]
final = [json.loads(line) for line in open(os.path.join(out, "spark-final.jsonl")) if line.strip()]
tuning = [json.loads(line) for line in open(os.path.join(out, "spark-tuning.jsonl")) if line.strip()]


def result(engine):
    at10 = next(r for r in final if r["engine"] == engine and r["k"] == 10)
    at20 = next(r for r in final if r["engine"] == engine and r["k"] == 20)
    runs = [at10, at20]
    return {"engine": engine, "ndcg_at_10": at10["ndcg"], "recall_at_20": at20["recall"],
            "train_seconds": sum(r["train_seconds"] for r in runs) / 2,
            "fit_seconds": sum(r["seconds_per_iteration"] for r in runs) / 2 * int(iterations),
            "regularization": at10["regularization"], "alpha": at10["alpha"], "users": at10["users"]}


tact, spark = result("builtin"), result("spark")
names = {"builtin": "Tact iALS", "spark": f"Spark ALS {spark_version}"}
print(f"Tact iALS against Spark MLlib ALS (implicitPrefs) on MovieLens 100K; {factors} factors, {iterations} iterations; "
      f"Spark master {master}; commit {commit}; {machine}")
print(f"tuned on a separate split (seed 2) over {len(tuning)} runs; scored on the split with seed 1 ({tact['users']} people with held-out items)")
print()
print(f"{'engine':<18} {'λ / regParam':>12} {'alpha':>6} {'NDCG@10':>8} {'recall@20':>9} {'train s':>8} {'fit s':>7}")
for r in (tact, spark):
    print(f"{names[r['engine']]:<18} {r['regularization']:>12g} {r['alpha']:>6g} {r['ndcg_at_10']:8.4f} {r['recall_at_20']:9.4f} "
          f"{r['train_seconds']:8.2f} {r['fit_seconds']:7.2f}")
ndcg_ratio = spark["ndcg_at_10"] / tact["ndcg_at_10"]
recall_ratio = spark["recall_at_20"] / tact["recall_at_20"]
time_ratio = spark["train_seconds"] / tact["train_seconds"]
print(f"Spark / Tact: NDCG@10 {ndcg_ratio:.3f}, recall@20 {recall_ratio:.3f}, training time {time_ratio:.1f}× "
      f"(Spark's train s: the whole run, JVM start and the Parquet export included; fit s: ALS.fit alone)")
if tuning:
    print()
    print("tuning (NDCG@10 on the tuning split):")
    for engine in ("builtin", "spark"):
        rows = sorted((r for r in tuning if r["engine"] == engine), key=lambda r: (r["regularization"], r["alpha"]))
        print("  " + names[engine] + ": " + ", ".join(f"λ {r['regularization']:g} α {r['alpha']:g} → {r['ndcg']:.4f}" for r in rows))

line = {"benchmark": "spark", "commit": commit, "machine": machine, "spark_version": spark_version, "master": master,
        "factors": int(factors), "iterations": int(iterations), "tact": tact, "spark": spark,
        "ndcg_ratio": ndcg_ratio, "recall_ratio": recall_ratio, "time_ratio": time_ratio,
        "tuning": [{k: r[k] for k in ("engine", "regularization", "alpha", "ndcg", "train_seconds")} for r in tuning]}
print(json.dumps(line))
with open(os.path.join(out, "spark.json"), "w") as f:
    f.write(json.dumps(line) + "\n")

# Chart: NDCG@10 and recall@20 side by side, and training seconds.
width, height = 720, 300
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14" font-weight="bold">Tact iALS and Spark ALS on MovieLens 100K: quality and training time</text>',
         f'<text x="10" y="38" fill="#555">{factors} factors, {iterations} iterations, each tuned; Spark {escape(spark_version)} {escape(master)}; '
         f'commit {escape(commit)}; {escape(machine[:60])}</text>']
colors = {"builtin": "#3b7dd8", "spark": "#e07b39"}
left, top, plot = 30, 80, 160
metrics = [("NDCG@10", "ndcg_at_10"), ("recall@20", "recall_at_20")]
top_value = max(max(tact[k], spark[k]) for _, k in metrics) * 1.2
for m, (label, key) in enumerate(metrics):
    for e, r in enumerate((tact, spark)):
        x = left + m * 170 + e * 70
        h = plot * r[key] / top_value
        parts.append(f'<rect x="{x}" y="{top + plot - h:.1f}" width="60" height="{h:.1f}" fill="{colors[r["engine"]]}"/>'
                     f'<text x="{x + 30}" y="{top + plot - h - 4:.1f}" text-anchor="middle" font-size="11">{r[key]:.3f}</text>')
    parts.append(f'<text x="{left + m * 170 + 65}" y="{top + plot + 18}" text-anchor="middle">{label}</text>')
x0, w = 400, 300
parts.append(f'<text x="{x0}" y="{top - 10}" font-weight="bold">training seconds</text>')
bars = [("Tact iALS", tact["train_seconds"], "builtin"), ("Spark, whole run", spark["train_seconds"], "spark"),
        ("Spark, fit alone", spark["fit_seconds"], "spark")]
largest = max(v for _, v, _ in bars)
for i, (label, value, engine) in enumerate(bars):
    y = top + 10 + i * 40
    bw = max((w - 170) * value / largest, 1)
    parts.append(f'<text x="{x0}" y="{y + 14}" font-size="11">{escape(label)}</text>'
                 f'<rect x="{x0 + 110}" y="{y}" width="{bw:.1f}" height="20" fill="{colors[engine]}"/>'
                 f'<text x="{x0 + 114 + bw:.1f}" y="{y + 14}" font-size="11">{value:.1f} s</text>')
parts.append(f'<rect x="{left}" y="{height - 30}" width="12" height="12" fill="{colors["builtin"]}"/><text x="{left + 18}" y="{height - 20}">Tact iALS</text>'
             f'<rect x="{left + 110}" y="{height - 30}" width="12" height="12" fill="{colors["spark"]}"/><text x="{left + 128}" y="{height - 20}">Spark ALS</text>')
parts.append("</svg>")
with open(os.path.join(out, "spark.svg"), "w") as f:
    f.write("\n".join(parts) + "\n")
print(f"chart: {os.path.join(out, 'spark.svg')}", file=sys.stderr)

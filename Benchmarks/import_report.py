"""Summarises import-throughput runs: a table, one JSON line, and an SVG bar chart (medians)."""
import json
import statistics
import sys

results_path, commit, machine, svg_path = sys.argv[1:5]
runs = [json.loads(line) for line in open(results_path) if line.strip()]
groups = {}
for r in runs:
    groups.setdefault((r["dataset"], r["engine"]), []).append(r)

rows = []
for (dataset, engine), rs in groups.items():
    wall = statistics.median(r["wall_seconds"] for r in rs)
    n = rs[0]["rows"]
    row = {"dataset": dataset, "engine": engine, "rows": n, "runs": len(rs),
           "wall_seconds": wall, "rows_per_second_wall": n / wall if wall else 0,
           "peak_rss_mib": max(r["peak_rss_bytes"] for r in rs) / 2**20}
    if engine == "tact":
        p = statistics.median(r["pipeline_seconds"] for r in rs)
        row["pipeline_seconds"] = p
        row["rows_per_second_pipeline"] = n / p if p else 0
        row["stored"] = rs[0]["stored"]
    rows.append(row)

for row in rows:
    peer = next((r for r in rows if r["dataset"] == row["dataset"] and r["engine"] != "tact"), None)
    if row["engine"] == "tact" and peer:
        row["wall_ratio_vs_sqlite3"] = row["wall_seconds"] / peer["wall_seconds"]

print(f"Import throughput, commit {commit}, {machine}; medians of {rows[0]['runs']} runs")
print(f"{'dataset':<20} {'engine':<16} {'rows':>10} {'wall s':>8} {'rows/s (wall)':>14} {'rows/s (pipeline)':>18} {'peak MiB':>9} {'time vs sqlite3':>16}")
for r in rows:
    pipe = f"{r['rows_per_second_pipeline']:,.0f}" if "rows_per_second_pipeline" in r else "-"
    ratio = f"{r['wall_ratio_vs_sqlite3']:.2f}x" if "wall_ratio_vs_sqlite3" in r else "-"
    print(f"{r['dataset']:<20} {r['engine']:<16} {r['rows']:>10,} {r['wall_seconds']:>8.2f} {r['rows_per_second_wall']:>14,.0f} {pipe:>18} {r['peak_rss_mib']:>9.1f} {ratio:>16}")
print(json.dumps({"benchmark": "import-throughput", "commit": commit, "machine": machine, "results": rows}))

# SVG: rows per second (wall), grouped by dataset.
datasets = list(dict.fromkeys(r["dataset"] for r in rows))
engines = list(dict.fromkeys(r["engine"] for r in rows))
colors = {"tact": "#2b6cb0", "sqlite3 .import": "#a0aec0"}
width, height, left, top, bar = 640, 90 + 70 * len(datasets), 150, 50, 22
peak = max(r["rows_per_second_wall"] for r in rows) or 1
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="10" y="20" font-size="14" font-weight="bold">Import throughput (rows/s, whole process, higher is better)</text>',
       f'<text x="10" y="36" fill="#555">commit {commit}; {machine}</text>']
y = top
for d in datasets:
    svg.append(f'<text x="10" y="{y + bar}" >{d}</text>')
    for e in engines:
        r = next((r for r in rows if r["dataset"] == d and r["engine"] == e), None)
        if not r:
            continue
        w = (width - left - 120) * r["rows_per_second_wall"] / peak
        svg.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 4}" fill="{colors.get(e, "#718096")}"/>')
        svg.append(f'<text x="{left + w + 6:.1f}" y="{y + bar - 8}">{r["rows_per_second_wall"]:,.0f} ({e})</text>')
        y += bar
    y += 26
svg.append('</svg>')
open(svg_path, "w").write("\n".join(svg))
print(f"chart: {svg_path}", file=sys.stderr)

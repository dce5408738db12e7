"""Turns the HTTP load runs into a table, one JSON line and an SVG chart."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

results_path, svg_path, duration, connections = sys.argv[1:5]
rows = [json.loads(line) for line in open(results_path)]
commit, machine = run_context.commit(), run_context.machine()

by = {(r["items"], r["name"]): r for r in rows}
print(f"HTTP load, wrk {connections} connections, {duration} s per run; commit {commit}; {machine}")
print(f"{'catalog':>9} {'route':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'RSS before':>11} {'RSS after':>10} {'vs health':>10}")
summary = []
for (items, name), r in sorted(by.items()):
    health = by.get((items, "health"))
    ratio = r["rps"] / health["rps"] if health else None
    print(f"{items:>9,} {name:<22} {r['rps']:>9,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7} "
          f"{r['rss_before_mib']:>8.1f} MiB {r['rss_after_mib']:>7.1f} MiB {ratio:>9.2f}x"
          + (f"  cache hits {r['cache_hit_rate']:.0%}" if "cache_hit_rate" in r else ""))
    summary.append(dict(r, ratio_to_health=ratio))
targets = {  # measured without the optional cache: every answer computed

    "p99_under_10ms_at_100k": by[(100000, "recommendations")]["p99_ms"] < 10,
    "recs_at_least_half_of_health_at_10k": by[(10000, "recommendations")]["rps"] >= 0.5 * by[(10000, "health")]["rps"],
    "zero_errors": all(r["errors"] == 0 for r in rows),
}
cached = {}
if (100000, "recommendations-cached") in by and (10000, "recommendations-cached") in by:
    cached = {
        "p99_under_10ms_at_100k": by[(100000, "recommendations-cached")]["p99_ms"] < 10,
        "recs_at_least_half_of_health_at_10k": by[(10000, "recommendations-cached")]["rps"] >= 0.5 * by[(10000, "health")]["rps"],
    }
print("targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in targets.items()))
if cached:
    print("with the answer cache: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in cached.items()))
print(json.dumps({"benchmark": "http-load", "commit": commit, "machine": machine, "connections": int(connections),
                  "seconds": float(duration), "results": summary, "targets": targets, "targets_with_cache": cached}))

# Chart: requests per second per route and catalog, with p99 written on each bar.
width, height, left, top, bar = 700, 360, 210, 60, 26
peak = max(r["rps"] for r in rows)
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         '<rect width="100%" height="100%" fill="white"/>',
         f'<text x="10" y="20" font-size="14" font-weight="bold">tact serve: requests per second (wrk, {connections} connections, {duration} s)</text>',
         f'<text x="10" y="38" fill="#555">commit {commit}; {machine[:80]}</text>']
y = top
for (items, name), r in sorted(by.items()):
    w = (width - left - 140) * r["rps"] / peak
    color = "#3b7dd8" if name == "recommendations" else "#999"
    parts.append(f'<text x="10" y="{y + 17}">{items:,} items, {name}</text>')
    parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 6}" fill="{color}"/>')
    parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 15}">{r["rps"]:,.0f}/s, p99 {r["p99_ms"]:.2f} ms</text>')
    y += bar + 8
parts.append("</svg>")
open(svg_path, "w").write("\n".join(parts))
print(f"chart: {svg_path}", file=sys.stderr)

"""Turns the serving-from-PostgreSQL runs at several connection counts into a table, one JSON line and an SVG chart."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

results_path, svg_path, duration = sys.argv[1:4]
rows = [json.loads(line) for line in open(results_path)]
commit, machine = run_context.commit(), run_context.machine()
pg_version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
for r in rows:
    r["rps"] = r["requests"] / r["seconds"]
binaries = list(dict.fromkeys(r["binary"] for r in rows))
counts = sorted({r["connections"] for r in rows})
by = {(r["binary"], r["connections"]): r for r in rows}

print(f"Recommendations from PostgreSQL, every answer computed, {duration} s per run; commit {commit}; {machine}; {pg_version}")
print()
print(f"{'binary':<12} {'connections':>11} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>9} {'errors':>7} {'vs fewest':>10}")
for b in binaries:
    base = by[(b, counts[0])]["rps"]
    for c in counts:
        r = by[(b, c)]
        print(f"{b:<12} {c:>11} {r['rps']:>9,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>9.2f} {r['errors']:>7} {r['rps'] / base:>9.2f}x")
if len(binaries) == 2:
    print()
    for c in counts:
        print(f"{c} connections: this build / peer = {by[(binaries[1], c)]['rps'] / by[(binaries[0], c)]['rps']:.2f}x")
summary = {"benchmark": "postgres-connections", "commit": commit, "machine": machine, "postgres": pg_version,
           "runs": {b: {str(c): {"rps": round(by[(b, c)]["rps"]), "p50_ms": by[(b, c)]["p50_ms"], "p99_ms": by[(b, c)]["p99_ms"],
                                 "errors": by[(b, c)]["errors"]} for c in counts} for b in binaries}}
print(json.dumps(summary))

width, left, top, bar_h, gap = 720, 200, 50, 26, 10
height = top + 20 + len(binaries) * len(counts) * (bar_h + gap)
peak = max(r["rps"] for r in rows)
colors = ["#BAB0AC", "#4C78A8", "#F58518"]
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14">Recommendations from PostgreSQL, req/s by connections (commit {commit}, {os.cpu_count()} cores)</text>']
y = top
for i, b in enumerate(binaries):
    for c in counts:
        r = by[(b, c)]
        w = (width - left - 120) * r["rps"] / peak
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.65}" text-anchor="end">{b}, {c} connections</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[(i + 1) % len(colors)] if len(binaries) > 1 else colors[1]}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.65}">{r["rps"]:,.0f} (p99 {r["p99_ms"]:.0f} ms)</text>')
        y += bar_h + gap
parts.append("</svg>")
os.makedirs(os.path.dirname(svg_path) or ".", exist_ok=True)
open(svg_path, "w").write("\n".join(parts))
print(f"chart: {svg_path}", file=sys.stderr)

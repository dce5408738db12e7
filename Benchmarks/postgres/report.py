"""Turns the PostgreSQL-against-SQLite runs into a table, one JSON line and an SVG chart."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

results_path, svg_path, connections, duration = sys.argv[1:5]
rows = [json.loads(line) for line in open(results_path)]
commit, machine = run_context.commit(), run_context.machine()
pg_version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()

ingest = {r["backend"]: r for r in rows if r["name"] == "ingest"}
serve = {(r["backend"], r["servers"]): r for r in rows if r["name"] == "serve"}
erasures = [r for r in rows if r["name"] == "erasure-seen-by-other-server"]
for r in ingest.values():
    r["events_per_second"] = r["events"] / r["seconds"]
for r in serve.values():
    r["rps"] = r["requests"] / r["seconds"]

print(f"PostgreSQL against SQLite; commit {commit}; {machine}; {pg_version}; everything on this machine")
print()
print(f"{'ingestion (tact import, 300,000 consented events)':<52} {'events/s':>10} {'seconds':>8} {'vs SQLite':>10}")
for backend in ["sqlite", "postgres"]:
    r = ingest[backend]
    print(f"{backend:<52} {r['events_per_second']:>10,.0f} {r['seconds']:>8.1f} {r['events_per_second'] / ingest['sqlite']['events_per_second']:>9.2f}x")
print()
print(f"{f'recommendations, every answer computed ({connections} connections, {duration} s)':<52} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'vs SQLite':>10}")
labels = {("sqlite", 1): "SQLite, one server", ("postgres", 1): "PostgreSQL, one server", ("postgres", 2): "PostgreSQL, two servers (load split)"}
for key, label in labels.items():
    r = serve[key]
    print(f"{label:<52} {r['rps']:>10,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>7} {r['rps'] / serve[('sqlite', 1)]['rps']:>9.2f}x")
for erasure in erasures:
    seen = erasure["seconds"]
    print(f"an erasure through one server ({erasure['when']}): the request took {erasure['request_seconds']:.2f} s (store, key, model patch, model published); "
          f"the other server stopped personalizing for the person {'%.3f s' % seen if seen is not None else 'NOT within 8 s'} after it returned")

summary = {
    "benchmark": "postgres", "commit": commit, "machine": machine, "postgres": pg_version,
    "ingest_events_per_second": {b: round(r["events_per_second"]) for b, r in ingest.items()},
    "ingest_postgres_vs_sqlite": ingest["postgres"]["events_per_second"] / ingest["sqlite"]["events_per_second"],
    "serve": {labels[k]: {"rps": round(r["rps"]), "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "errors": r["errors"]} for k, r in serve.items()},
    "serve_postgres_vs_sqlite": serve[("postgres", 1)]["rps"] / serve[("sqlite", 1)]["rps"],
    "serve_two_vs_one_server": serve[("postgres", 2)]["rps"] / serve[("postgres", 1)]["rps"],
    "erasures": [{"when": e["when"], "request_seconds": e["request_seconds"], "seen_by_other_server_seconds": e["seconds"]} for e in erasures],
}
print(json.dumps(summary))

# Two bar groups: ingestion rate and request rate, each relative to SQLite.
bars = [("ingest", "SQLite", ingest["sqlite"]["events_per_second"], "events/s"),
        ("ingest", "PostgreSQL", ingest["postgres"]["events_per_second"], "events/s"),
        ("serve", "SQLite", serve[("sqlite", 1)]["rps"], "req/s"),
        ("serve", "PostgreSQL", serve[("postgres", 1)]["rps"], "req/s"),
        ("serve", "PostgreSQL ×2 servers", serve[("postgres", 2)]["rps"], "req/s")]
width, height, left, top, bar_h, gap = 720, 300, 190, 50, 26, 10
peak = {"ingest": max(b[2] for b in bars if b[0] == "ingest"), "serve": max(b[2] for b in bars if b[0] == "serve")}
colors = {"SQLite": "#4C78A8", "PostgreSQL": "#F58518", "PostgreSQL ×2 servers": "#E45756"}
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="14">PostgreSQL against SQLite (commit {commit}, {os.cpu_count()} cores, one machine)</text>']
y = top
for group, title in [("ingest", "Ingestion, events/s"), ("serve", "Recommendations, req/s (every answer computed)")]:
    parts.append(f'<text x="10" y="{y + 4}" font-weight="bold">{title}</text>')
    y += 12
    for g, label, value, unit in bars:
        if g != group:
            continue
        w = (width - left - 120) * value / peak[group]
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.65}" text-anchor="end">{label}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colors[label]}"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + bar_h * 0.65}">{value:,.0f}</text>')
        y += bar_h + gap
    y += 16
parts.append("</svg>")
os.makedirs(os.path.dirname(svg_path), exist_ok=True)
open(svg_path, "w").write("\n".join(parts))
print(f"chart: {svg_path}", file=sys.stderr)

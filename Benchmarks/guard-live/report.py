"""Turns the live Guard runs (Benchmarks/guard-live/run.sh) into a table, the alerts, one JSON line and
an SVG chart; exits 1 when a target is missed, so the benchmark works as a check.

    report.py WORK_DIR SVG_PATH

WORK_DIR holds app.json, scrape-random.json, scrape-id.json (traffic.py's lines), alerts.json and
context.json (persons, key ids, the run's settings)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

work, svg_path = sys.argv[1:3]


def load(name):
    return json.load(open(os.path.join(work, name)))


ctx = load("context.json")
app, scrapers = load("app.json"), [load("scrape-random.json"), load("scrape-id.json")]
alerts = load("alerts.json")["alerts"]
persons = ctx["persons"]
limit = persons // 100  # 1% of the persons
commit, machine = run_context.commit(), run_context.machine()
names = {"key:" + ctx["keys"][role]: role for role in ctx["keys"]}


def ms(v):
    return "-" if v is None else f"{v:.2f}"


print(f"Guard live: tact serve with its defaults, {persons:,} persons; commit {commit}; {machine}")
print(f"binary: {ctx['tact']}{'' if ctx['built'] else ' (given with TACT=, not built from this tree)'}"
      + ("" if ctx["roles"] else "; WARNING: this binary has no --role, the keys were made without one"))
print()
print("| phase | requests | 200 | refused (401/429) | persons read before stopped | share | read in all | share | p50 ms | p99 ms | first refusal |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
first = "none" if app["first_refusal_s"] is None else f"{app['first_refusal_s']:.2f} s"
print(f"| app ({app['connections']} conn, {app['target_rps']:.0f}/s, {app['seconds']:.0f} s) | {app['requests']:,} | {app['ok']:,} | "
      f"{app['s401']:,}/{app['s429']:,} | - | - | {app['distinct_persons']:,} asked | - | {ms(app['p50_ms'])} | {ms(app['p99_ms'])} | {first} |")
for s in scrapers:
    first = "none" if s["first_refusal_s"] is None else f"{s['first_refusal_s']:.2f} s"
    print(f"| scraper, {s['order']} order ({s['connections']} conn) | {s['requests']:,} | {s['ok']:,} | {s['s401']:,}/{s['s429']:,} | "
          f"{s['read_before_refusal']:,} | {s['share_before_refusal']:.2%} | {s['read_in_all']:,} | {s['share_in_all']:.2%} | "
          f"{ms(s['p50_ms'])} | {ms(s['p99_ms'])} | {first} |")
others = [f"app {app['other']} other (statuses {app['statuses']})"] if app["other"] else []
others += [f"{s['order']} scraper {s['other']} other (statuses {s['statuses']})" for s in scrapers if s["other"]]
if others:
    print("non-200, non-refusal answers: " + "; ".join(others))
print()
print(f"Guard alerts ({len(alerts)}):")
for a in sorted(alerts, key=lambda a: (a["at"], a.get("id") or 0)):
    who = names.get(a["principal"].split(" ")[0], "?")
    print(f"  {a['kind']:<14} {a['severity']:<8} {a['action']:<9} {a['principal']} ({who}): {a['explanation'][:160]}")
if not alerts:
    print("  none")
app_acted = [a for a in alerts if a["principal"].split(" ")[0] == "key:" + ctx["keys"]["app"] and a["action"] in ("throttle", "suspend")]

targets = {
    "app_no_refusal": app["s401"] + app["s429"] == 0,
    "app_all_200": app["ok"] == app["requests"] and app["requests"] > 0,
    "app_not_throttled_or_suspended": not app_acted,
    "random_scraper_under_1pct": scrapers[0]["read_in_all"] < limit,
    "id_order_scraper_under_1pct": scrapers[1]["read_in_all"] < limit,
}
passed = all(targets.values())
print()
print("targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in targets.items()))
print(json.dumps({
    "benchmark": "guard-live", "commit": commit, "machine": machine, "quick": ctx["quick"], "tact": ctx["tact"],
    "built": ctx["built"], "roles": ctx["roles"], "persons": persons, "app": app, "scrapers": scrapers,
    "alerts": [{k: a[k] for k in ("kind", "severity", "action", "principal", "persons")} | {"key": names.get(a["principal"].split(" ")[0])}
               for a in alerts],
    "targets": targets, "passed": passed,
}))

# Chart: persons each scraper read before it was stopped (and in all), against the 1% line.
width, height, left, bottom, top = 640, 320, 70, 50, 60
rows = [(f"{s['order']} order", s["read_before_refusal"], s["read_in_all"]) for s in scrapers]
peak = max([limit] + [v for _, b, t in rows for v in (b, t)]) * 1.15
plot_h = height - bottom - top
slot = (width - left - 20) / len(rows)


def y(v):
    return top + plot_h - v / peak * plot_h


out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       '<rect width="100%" height="100%" fill="white"/>',
       f'<text x="10" y="20" font-size="14" font-weight="bold">tact serve (defaults): persons a scraper reads before the Guard stops it</text>',
       f'<text x="10" y="38" fill="#555">{persons:,} persons, 16 connections; commit {commit}; {machine[:70]}</text>']
for i in range(5):
    v = peak / 1.15 * i / 4
    out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>')
    out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:,.0f}</text>')
for i, (label, before, total) in enumerate(rows):
    x = left + i * slot + slot * 0.2
    bar = slot * 0.3
    for j, (value, colour, what) in enumerate([(before, "#c0504d", "before stopped"), (total, "#e6a5a3", "in all")]):
        out.append(f'<rect x="{x + j * bar:.1f}" y="{y(value):.1f}" width="{bar - 3:.1f}" height="{y(0) - y(value):.1f}" fill="{colour}"/>')
        out.append(f'<text x="{x + j * bar + bar / 2:.1f}" y="{y(value) - 4:.1f}" text-anchor="middle" font-size="10">{value:,} ({value / persons:.2%})</text>')
    out.append(f'<text x="{x + bar:.1f}" y="{height - bottom + 18}" text-anchor="middle">scraper, {label}</text>')
out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(limit):.1f}" y2="{y(limit):.1f}" stroke="#333" stroke-dasharray="6,4"/>')
out.append(f'<text x="{width - 22}" y="{y(limit) - 4:.1f}" text-anchor="end">1% of persons ({limit:,}): the target</text>')
out.append(f'<rect x="{left + 10}" y="{height - 18}" width="10" height="10" fill="#c0504d"/><text x="{left + 25}" y="{height - 9}">before the first refusal</text>')
out.append(f'<rect x="{left + 190}" y="{height - 18}" width="10" height="10" fill="#e6a5a3"/><text x="{left + 205}" y="{height - 9}">in all, within the bounded run</text>')
out.append("</svg>")
open(svg_path, "w").write("\n".join(out))
print(f"chart: {svg_path}", file=sys.stderr)
sys.exit(0 if passed else 1)

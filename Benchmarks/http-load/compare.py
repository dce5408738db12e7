#!/usr/bin/env python3
"""Two builds of `tact` under the same HTTP load, in one run: is B as fast as A?

    Benchmarks/http-load/compare.py A_TACT B_TACT [--label-a NAME] [--label-b NAME] [--seconds 20] [--rounds 2]

Build A at the commit to compare with, in its own scratch path (for example
`git worktree add /tmp/a COMMIT && (cd /tmp/a && swift build -c release --product tact)`), and B here.
Data: 20,000 consenting people, 10,000 items, 600,000 events (`tact generate --seed 3` by B), imported by
each binary into its own data directory, iALS with 64 factors and 8 iterations. Each round runs, for A then B,
wrk (64 connections, one thread) against GET /v1/people/{random person}/recommendations?k=10 on
  computed        --cache-seconds 0, every answer computed
  cached          the server's defaults (the answer cache), after a warm-up that asks every person once
  health          /health/live, the ceiling
  computed-guard  every answer computed, with the Guard on (B's key has role batch; A's the default role, if
                  it has none: a build whose Guard stops the load generator shows errors here)
all but computed-guard with --no-guard, so that the Guard's own changes between the builds do not count.
Each run has a fresh key.
Prints a table (the median of the rounds, and B/A), one JSON line, and draws bench-out/http-load-compare.svg.
"""
import argparse, json, os, pathlib, platform, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("a"); parser.add_argument("b")
parser.add_argument("--label-a", default="A"); parser.add_argument("--label-b", default="B")
parser.add_argument("--seconds", type=int, default=20); parser.add_argument("--rounds", type=int, default=2)
parser.add_argument("--out", default="bench-out")
args = parser.parse_args()
if not shutil.which("wrk"):
    sys.exit("wrk is needed: apt-get install -y wrk")
root = pathlib.Path(__file__).resolve().parent.parent.parent
work = pathlib.Path(tempfile.mkdtemp())
env = dict(os.environ, TACT_SECRET="c" * 64, TACT_LOG_LEVEL="warning")
users, items, events = 20000, 10000, 600000

def tact(binary, *argv, capture=False):
    return subprocess.run([binary, *argv], env=env, check=True, text=True, stdout=subprocess.PIPE if capture else subprocess.DEVNULL).stdout


print(f"generating {events} events by {users} people over {items} items...", file=sys.stderr)
tact(args.b, "generate", "--users", str(users), "--items", str(items), "--interactions", str(events), "--seed", "3", "--out", str(work / "gen"))
data_dirs = {}
for label, binary in (("a", args.a), ("b", args.b)):
    data = str(work / f"data-{label}")
    tact(binary, "init", "--data", data)
    tact(binary, "import", "items", str(work / "gen/items.csv"), "--data", data)
    tact(binary, "import", "interactions", str(work / "gen/interactions.csv"), "--grant", "personalization,model-training", "--data", data)
    force = ["--force"] if "--force" in tact(binary, "train", "--help", capture=True) else []  # a speed benchmark: served even below popularity
    tact(binary, "train", "--algorithm", "als", "--factors", "64", "--iterations", "8", *force, "--data", data)
    data_dirs[label] = data

def new_key(binary, data):
    """A fresh key for each run: one the Guard suspended in an earlier run (A's Guard has no roles, and
    takes a load generator for a scraper) stays suspended in the store."""
    role = ["--role", "batch"] if "--role" in tact(binary, "keys", "create", "--help", capture=True) else []
    return json.loads(tact(binary, "keys", "create", "--name", "bench", "--scopes", "recommend", *role, "--data", data, "--json", capture=True))["key"]

report_lua = work / "report.lua"
report_lua.write_text("""done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('REPORT {"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
""")
port = 18300

def serve(binary, data, extra):
    global port
    port += 1
    proc = subprocess.Popen([binary, "serve", "--data", data, "--port", str(port), "--rate", "1000000", "--burst", "1000000", "--factors", "64", *extra],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=1)
            return proc
        except Exception:
            time.sleep(0.2)
    proc.kill()
    sys.exit(f"{binary} serve did not start")

def wrk(url, script, seconds):
    out = subprocess.run(["wrk", "-t1", "-c64", f"-d{seconds}s", "-s", str(script), url], text=True, capture_output=True, check=True).stdout
    return json.loads(next(l for l in out.splitlines() if l.startswith("REPORT "))[7:])

def recs_script(key):
    path = work / f"recs-{key[:6]}.lua"
    path.write_text(f"""math.randomseed(7)
request = function()
  local u = math.random(1, {users})
  return wrk.format("GET", "/v1/people/u" .. u .. "/recommendations?k=10", {{["Authorization"] = "Bearer {key}"}})
end
""" + report_lua.read_text())
    return path

modes = [("computed", ["--no-guard", "--cache-seconds", "0"], 3),
         ("cached", ["--no-guard"], 10),
         ("health", ["--no-guard"], 2),
         ("computed-guard", ["--cache-seconds", "0"], 3)]
rows = []
for rnd in range(args.rounds):
    for mode, extra, warm in modes:
        for label, binary in (("a", args.a), ("b", args.b)):
            data = data_dirs[label]
            key = new_key(binary, data)
            server = serve(binary, data, extra)
            try:
                url = f"http://127.0.0.1:{port}/" + ("health/live" if mode == "health" else "")
                script = report_lua if mode == "health" else recs_script(key)
                wrk(url, script, warm)
                r = wrk(url, script, args.seconds)
            finally:
                server.send_signal(signal.SIGTERM); server.wait()
            r.update(round=rnd, mode=mode, build=label, rps=r["requests"] / r["seconds"])
            rows.append(r)
            print(f"round {rnd + 1} {mode:15} {label}: {r['rps']:9.0f} req/s  p99 {r['p99_ms']:6.2f} ms  errors {r['errors']}", file=sys.stderr)

def median(xs):
    xs = sorted(xs); n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2

summary = {}
print(f"\n| mode | {args.label_a} req/s | {args.label_b} req/s | B/A | {args.label_a} p99 ms | {args.label_b} p99 ms | errors A/B |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for mode, _, _ in modes:
    a = [r for r in rows if r["mode"] == mode and r["build"] == "a"]
    b = [r for r in rows if r["mode"] == mode and r["build"] == "b"]
    ra, rb = median([r["rps"] for r in a]), median([r["rps"] for r in b])
    pa, pb = median([r["p99_ms"] for r in a]), median([r["p99_ms"] for r in b])
    ea, eb = sum(r["errors"] for r in a), sum(r["errors"] for r in b)
    summary[mode] = dict(a_rps=round(ra), b_rps=round(rb), ratio=round(rb / ra, 3), a_p99_ms=pa, b_p99_ms=pb, a_errors=ea, b_errors=eb)
    print(f"| {mode} | {ra:,.0f} | {rb:,.0f} | {rb / ra:.2f}× | {pa:.2f} | {pb:.2f} | {ea}/{eb} |")
commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], text=True, capture_output=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(json.dumps(dict(benchmark="http-load-compare", commit=commit, machine=f"{cpu}, {os.cpu_count()} cores", a=args.label_a, b=args.label_b,
                      seconds=args.seconds, rounds=args.rounds, connections=64, items=items, people=users, results=summary)))

# The chart: requests/s per mode, A and B side by side.
out = pathlib.Path(args.out); out.mkdir(exist_ok=True)
w, h, left, bottom = 640, 300, 60, 40
top = max(max(v["a_rps"], v["b_rps"]) for v in summary.values()) * 1.1
bar, gap = 36, 40
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
       f'<text x="{left}" y="16">requests/s, {args.label_a} (grey) and {args.label_b} (blue), 64 connections, {items:,} items</text>']
for i, (mode, v) in enumerate(summary.items()):
    x = left + i * (2 * bar + gap)
    for j, (value, colour) in enumerate(((v["a_rps"], "#999"), (v["b_rps"], "#36c"))):
        height = (h - bottom - 30) * value / top
        svg.append(f'<rect x="{x + j * bar}" y="{h - bottom - height:.1f}" width="{bar - 4}" height="{height:.1f}" fill="{colour}"/>')
        svg.append(f'<text x="{x + j * bar}" y="{h - bottom - height - 4:.1f}" font-size="10">{value:,}</text>')
    svg.append(f'<text x="{x}" y="{h - bottom + 16}">{mode}</text>')
    svg.append(f'<text x="{x}" y="{h - bottom + 30}" font-size="10">B/A {v["ratio"]:.2f}×</text>')
svg.append("</svg>")
(out / "http-load-compare.svg").write_text("\n".join(svg) + "\n")
shutil.rmtree(work, ignore_errors=True)

#!/usr/bin/env python3
"""A soak: one `tact serve` under mixed traffic for a long time, with invariants checked at the end (issue 28, point 7).

    python3 Benchmarks/soak/soak.py --tact .build/release/tact [--minutes 30] [--out soak-results]

Data: `tact generate` (20,000 people, 2,000 items, 300,000 events, seed 7), imported with consent for
personalization and model training, on SQLite (or `--database postgres://…`). The server runs with its defaults
(answer cache on) except: ALS is served even where it scores below popularity (on this generated data it does, and
popularity personalizes nothing, which would make the erasure checks empty), the rate limit is lifted, the Guard only alerts (the soak reads many people, as
the Guard is meant to notice), retention runs are off (the generated history is not the point here), and it
retrains every 5 minutes.

Traffic, from CLIENTS threads as fast as the server answers, each request picking its person so that a few are asked
often and most rarely (index = N·u⁴, u uniform: half the requests go to the first 1/16 of the people):
    recommendations 41%, event batches (1-5 events) 31%, session recommendations 10%, consent changes 8%,
    exports 6%, erasures 2% (half of a person of the imported history, kept out of the other traffic; half of a
    new person given consent and events first; each asked for recommendations, then erased), the operator console
    (three pages, signed in with an admin key) 2%; and a retrain requested every minute.
Every 10 s it samples each request's latency and the server's resident memory, and from /metrics where that memory is
(the C heap in use and held free, SQLite's page caches), so that growth can be told apart from a cache filling up.

At the end it checks, and exits 1 if one fails:
  - no answer was a 5xx, and none a 4xx (every request the soak sends is valid);
  - every erased person: their export holds no event, consent record or audit entry, and their recommendations
    are not personalized, from the model in service and again after a restart, from the saved model: no event
    or vector of theirs is left;
  - every consent change answered 2xx is the person's state at the end (the consent ledger agrees);
  - `tact audit verify` passes (the audit chain and its checkpoints);
  - a retraining was saved during the soak (the model in service at the end was trained after the traffic began);
  - memory is flat after warm-up: the median resident size of the last fifth of the run is at most 10% above that
    of the second fifth.
Prints a table and a JSON line (commit, machine), and draws p99 latency and memory over time as an SVG.
"""
import argparse, html, http.client, json, os, pathlib, random, re, subprocess, sys, tempfile, threading, time, urllib.error, urllib.parse, urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import run_context

parser = argparse.ArgumentParser()
parser.add_argument("--tact", required=True)
parser.add_argument("--minutes", type=float, default=30)
parser.add_argument("--clients", type=int, default=6)
parser.add_argument("--people", type=int, default=20_000)
parser.add_argument("--out", default="soak-results")
parser.add_argument("--database", help="postgres://… to soak the PostgreSQL store instead of SQLite")
args = parser.parse_args()

WINDOW = 10.0
MIX = [("recommendations", 41), ("events", 31), ("session", 10), ("consent", 8), ("export", 6), ("erasure", 2), ("console", 2)]
RETRAIN_SECONDS = 60
work = pathlib.Path(tempfile.mkdtemp(prefix="tact-soak-"))
data = str(work / "data")
out = pathlib.Path(args.out)
out.mkdir(parents=True, exist_ok=True)
env = dict(os.environ, TACT_SECRET="s" * 64, TACT_LOG_LEVEL="warning")
if args.database:
    env["TACT_DATABASE_URL"] = args.database
else:
    env.pop("TACT_DATABASE_URL", None)


def tact(*argv, check=True):
    return subprocess.run([args.tact, *argv], env=env, check=check, capture_output=True, text=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


print(f"setting up in {work} ...", flush=True)
tact("init", "--data", data, "--mode", "opt-in")
tact("generate", "--users", str(args.people), "--items", "2000", "--interactions", "300000", "--seed", "7", "--out", str(work / "gen"))
tact("import", "items", str(work / "gen/items.csv"), "--data", data)
tact("import", "interactions", str(work / "gen/interactions.csv"), "--grant", "personalization,model-training", "--data", data)
with open(work / "gen/interactions.csv") as f:
    next(f)
    people = sorted({line.split(",", 1)[0] for line in f})
with open(work / "gen/items.csv") as f:
    next(f)
    items = [line.split(",", 1)[0] for line in f]
key = json.loads(tact("keys", "create", "--data", data, "--name", "soak", "--scopes", "ingest,recommend,subjects,admin,audit,catalog", "--json").stdout)["key"]
port = free_port()
log = open(work / "serve.log", "ab")
base = f"http://127.0.0.1:{port}"


def serve():
    """Starts `tact serve` and waits until it is ready; exits the script if it does not become ready."""
    process = subprocess.Popen([args.tact, "serve", "--data", data, "--port", str(port), "--rate", "1000000", "--burst", "1000000",
                                "--guard-high", "alert", "--guard-critical", "alert", "--guard-decisive", "alert", "--retention-every", "0",
                                "--algorithm", "als", "--serve-below-popularity", "--retrain-every", "300"], env=env, stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(1200):
        try:
            with urllib.request.urlopen(base + "/health/ready", timeout=1) as r:
                if r.status == 200:
                    return process
        except Exception:
            time.sleep(0.5)
    process.kill()
    sys.exit("the server did not become ready")


server = serve()


def request(method, path, body=None, cookie=None, timeout=60):
    """(status, body bytes) of an API call with the soak's key, or of a console page with the operator's `cookie`;
    status None when no answer came."""
    headers = {"Cookie": cookie} if cookie else {"Authorization": f"Bearer {key}"}
    payload = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        payload = json.dumps(body).encode()
    req = urllib.request.Request(base + path, method=method, headers=headers, data=payload)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception:
        return None, b""


lock = threading.Lock()
samples = []  # (seconds since start, op, latency s, status)
erased = []  # person ids
consent_state = {}  # person -> last acknowledged "grant"/"withdraw"
stop = threading.Event()
started = time.monotonic()
fresh = iter(range(10**9))


# The last tenth of the people are kept for erasure (they are in the first model); the traffic asks for the others.
reserved = people[len(people) * 9 // 10:]
people = people[:len(people) * 9 // 10]
personalized_before = [0, 0]  # erased people served personalized just before their erasure, of those asked


def pick_person():
    return people[int(len(people) * random.random() ** 4)]


def pick_item():
    return items[int(len(items) * random.random() ** 3)]


def console_session():
    """Signs in to the operator console with the soak's admin key, as a browser would (the form, its token and
    cookies); returns the Cookie header to send, or None. The cookies are Secure, which Python's cookie jar keeps
    from plain http, so they are carried by hand."""
    cookies = {}

    def exchange(method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = dict(headers or {}, Cookie="; ".join(f"{k}={v}" for k, v in cookies.items()))
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        page = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            cookies[name.strip()] = value.strip()
        connection.close()
        return response.status, page

    try:
        status, page = exchange("GET", "/console/signin")
        token = re.search(rb'name="csrf" value="([^"]+)"', page)
        if status != 200 or not token:
            return None
        form = urllib.parse.urlencode({"key": key, "csrf": html.unescape(token.group(1).decode())})
        status, _ = exchange("POST", "/console/signin", form, {"Content-Type": "application/x-www-form-urlencoded"})
    except OSError:
        return None
    return "; ".join(f"{k}={v}" for k, v in cookies.items()) if status in (302, 303) else None


def one(op, worker, console):
    """Runs one request of kind `op`; returns its status (or the first failing status of a sequence)."""
    if op == "recommendations":
        return request("GET", f"/v1/people/{pick_person()}/recommendations?k=10")[0]
    if op == "events":
        person = pick_person()
        return request("POST", "/v1/events", {"events": [{"user": person, "item": pick_item(), "kind": "play"} for _ in range(random.randint(1, 5))]})[0]
    if op == "session":
        return request("POST", "/v1/sessions/recommendations", {"items": [pick_item() for _ in range(random.randint(1, 8))], "k": 10})[0]
    if op == "consent":
        # Each worker changes only its own share of the people, so the last answer it got is the person's state.
        person = people[(int(len(people) * random.random() ** 4) // args.clients) * args.clients + worker] if len(people) > args.clients else people[0]
        decision = random.choice(["grant", "withdraw"])
        status = request("POST", f"/v1/people/{person}/consent", {"decisions": {"personalization": decision}})[0]
        if status is not None and 200 <= status < 300:
            with lock:
                consent_state[person] = decision
        return status
    if op == "export":
        return request("GET", f"/v1/people/{pick_person()}/export")[0]
    if op == "erasure":
        # Half the time a person of the imported history (in the trained model), else a new person given events first.
        with lock:
            person = reserved.pop() if reserved and random.random() < 0.5 else f"soak-erased-{next(fresh)}"
        if person.startswith("soak-erased-"):
            status = request("POST", f"/v1/people/{person}/consent", {"decisions": {"personalization": "grant", "model-training": "grant"}})[0]
            if status is None or status >= 300:
                return status
            status = request("POST", "/v1/events", {"events": [{"user": person, "item": pick_item(), "kind": "play"} for _ in range(5)]})[0]
            if status is None or status >= 300:
                return status
        status, body = request("GET", f"/v1/people/{person}/recommendations")
        if status is None or status >= 300:
            return status
        with lock:
            personalized_before[0] += json.loads(body).get("personalized") is True
            personalized_before[1] += 1
        status = request("DELETE", f"/v1/people/{person}")[0]
        if status is not None and 200 <= status < 300:
            with lock:
                erased.append(person)
        return status
    if op == "console":
        if console is None:
            return None
        for page in ("/console", "/console/privacy", "/console/security"):
            status, body = request("GET", page, cookie=console)
            if status != 200:
                return status
            if b"/console/signout" not in body:
                return 401  # not signed in: counted as a failed request
        return 200
    raise ValueError(op)


def client(worker):
    random.seed(worker)
    console = console_session()
    ops, weights = zip(*MIX)
    while not stop.is_set():
        op = random.choices(ops, weights)[0]
        sent = time.monotonic()
        status = one(op, worker, console)
        with lock:
            samples.append((sent - started, op, time.monotonic() - sent, status))


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None


def retrainer():
    while not stop.wait(RETRAIN_SECONDS):
        sent = time.monotonic()
        status = request("POST", "/v1/model/retrain")[0]
        status = 200 if status == 409 else status  # 409: a retrain is already under way, as the API says
        with lock:
            samples.append((sent - started, "retrain", time.monotonic() - sent, status))


memory = []  # (seconds, KiB)
GAUGES = {"tact_heap_in_use_bytes": "heap in use", "tact_heap_free_bytes": "heap held free", "tact_sqlite_memory_bytes": "SQLite"}
breakdown = {name: [] for name in GAUGES}  # gauge: [(seconds, MiB)], from /metrics


def sample_breakdown(at):
    status, body = request("GET", "/metrics", timeout=10)
    if status != 200:
        return
    for line in body.decode().splitlines():
        name, _, value = line.partition(" ")
        if name in breakdown:
            breakdown[name].append((at, float(value) / 2**20))


threads = [threading.Thread(target=client, args=(w,)) for w in range(args.clients)] + [threading.Thread(target=retrainer)]
traffic_started_at = time.time()
for t in threads:
    t.start()
end = started + args.minutes * 60
while time.monotonic() < end and server.poll() is None:
    time.sleep(min(WINDOW, max(0.1, end - time.monotonic())))
    memory.append((time.monotonic() - started, resident_kib(server.pid)))
    sample_breakdown(memory[-1][0])
    with lock:
        done, errors = len(samples), sum(1 for s in samples if s[3] is None or s[3] >= 500)
    print(f"  {memory[-1][0] / 60:5.1f} min: {done:,} requests, {errors} 5xx or unanswered, {(memory[-1][1] or 0) / 1024:.0f} MiB resident", flush=True)
stop.set()
for t in threads:
    t.join()
# Retraining must land: a model trained while erasures complete is refused and trained again. Patching a model for an
# erasure keeps its training time, so the model in service was trained during the soak only if a retraining was saved.
status, body = request("GET", "/v1/model")
model = json.loads(body) if status == 200 else {}
trained_during = (model.get("trainedAt") or 0) >= traffic_started_at

failures = []
if not trained_during:
    failures.append(f"no retraining was saved during the soak: the model in service was trained before it (see 'background retraining failed' in {work / 'serve.log'})")
if server.poll() is not None:
    failures.append(f"the server exited during the soak (status {server.returncode}); see {work / 'serve.log'}")

# Erased people, through the API.
for person in erased:
    # An export of a person the store does not hold is an empty document (or 404).
    status, body = request("GET", f"/v1/people/{person}/export")
    document = json.loads(body or b"{}") if status == 200 else {}
    held = len(document.get("interactions", [])) + len(document.get("consent", {}).get("history", [])) + len(document.get("audit", []))
    if status not in (200, 404) or held:
        failures.append(f"erased person {person}: export answered {status} holding {held} events, consent records or audit entries")
    status, body = request("GET", f"/v1/people/{person}/recommendations")
    if status != 200 or json.loads(body).get("personalized") is not False:
        failures.append(f"erased person {person}: recommendations answered {status}, personalized {json.loads(body or b'{}').get('personalized')}")
# The consent ledger: each person's state is the last change acknowledged.
for person, decision in consent_state.items():
    status, body = request("GET", f"/v1/people/{person}/consent")
    permitted = next((p["permitted"] for p in json.loads(body).get("purposes", []) if p["purpose"] == "personalization"), None) if status == 200 else None
    if permitted != (decision == "grant"):
        failures.append(f"consent of {person}: last acknowledged '{decision}', the server says permitted={permitted} (status {status})")

stopping = time.monotonic()
server.terminate()
try:
    server.wait(timeout=600)
except subprocess.TimeoutExpired:
    server.kill()
    server.wait()
    failures.append("the server did not stop within 600 s of SIGTERM")
stopped_in = time.monotonic() - stopping
verify = tact("audit", "verify", "--data", data, check=False)
if verify.returncode != 0:
    failures.append(f"tact audit verify failed: {(verify.stdout + verify.stderr).strip()[-500:]}")
# The saved model, as a restarted server loads it from the store, holds no erased person either.
server = serve()
for person in erased:
    status, body = request("GET", f"/v1/people/{person}/recommendations")
    if status != 200 or json.loads(body).get("personalized") is not False:
        failures.append(f"erased person {person}: after a restart, recommendations answered {status}, personalized {json.loads(body or b'{}').get('personalized')}")
server.terminate()
server.wait()

# Latency per window, and per kind of request over the whole run.
def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


duration = max((s[0] for s in samples), default=0) + WINDOW
windows = []
for w in range(int(duration // WINDOW)):
    inside = [s[2] for s in samples if w * WINDOW <= s[0] < (w + 1) * WINDOW and s[1] not in ("erasure", "retrain", "console")]
    if inside:
        windows.append(((w + 0.5) * WINDOW, percentile(inside, 0.99) * 1000, percentile(inside, 0.5) * 1000, len(inside) / WINDOW))
server_errors = [s for s in samples if s[3] is None or s[3] >= 500]
if server_errors:
    failures.append(f"{len(server_errors)} requests answered 5xx or not at all: " + ", ".join(sorted({f'{s[1]} {s[3]}' for s in server_errors})[:8]))
refused = [s for s in samples if s[3] is not None and 400 <= s[3] < 500]
if refused:
    # Every request the soak sends is valid: a 4xx means the server refused what it should take (a console
    # session lost, a key suspended, a person not found).
    failures.append(f"{len(refused)} requests answered 4xx: " + ", ".join(sorted({f'{s[1]} {s[3]}' for s in refused})[:8]))
rss = [(t, kib / 1024) for t, kib in memory if kib]


def after_warmup(series):
    """(median of the second fifth, median of the last fifth) of a series, or None when it is too short."""
    fifth = len(series) // 5
    if fifth < 2:
        return None
    return sorted(m for _, m in series[fifth:2 * fifth])[fifth // 2], sorted(m for _, m in series[-fifth:])[fifth // 2]


growth = None
parts = {}  # gauge: (second fifth MiB, last fifth MiB): where growth went
for name, series in breakdown.items():
    if (medians := after_warmup(series)) is not None:
        parts[name] = medians
if (medians := after_warmup(rss)) is not None:
    second, last = medians
    growth = last / second - 1
    if growth > 0.10:
        failures.append(f"memory grew {growth:.0%} after warm-up ({second:.0f} MiB in the second fifth, {last:.0f} MiB in the last)")

print()
print(f"| request | count | p50 ms | p99 ms | max ms | 4xx | 5xx or no answer |")
print(f"| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
table = {}
for op in [*(op for op, _ in MIX), "retrain"]:
    lat = [s[2] * 1000 for s in samples if s[1] == op]
    bad = sum(1 for s in samples if s[1] == op and (s[3] is None or s[3] >= 500))
    four = sum(1 for s in samples if s[1] == op and s[3] is not None and 400 <= s[3] < 500)
    table[op] = {"count": len(lat), "p50_ms": round(percentile(lat, 0.5), 2), "p99_ms": round(percentile(lat, 0.99), 2),
                 "max_ms": round(max(lat, default=0), 1), "4xx": four, "5xx": bad}
    print(f"| {op} | {len(lat):,} | {percentile(lat, 0.5):.1f} | {percentile(lat, 0.99):.1f} | {max(lat, default=0):.0f} | {four} | {bad} |")
print()
print(f"model in service at the end trained during the soak: {trained_during}; erased {len(erased)} people ({personalized_before[0]} of them served personalized just before); {len(consent_state)} people's consent changed; the server stopped {stopped_in:.1f} s after SIGTERM; memory {rss[0][1] if rss else 0:.0f} MiB at first sample, "
      f"{rss[-1][1] if rss else 0:.0f} MiB at the end, growth after warm-up {growth if growth is None else f'{growth:+.1%}'}")
if parts:
    print("memory after warm-up, median of the second fifth -> of the last fifth: "
          + "; ".join(f"{GAUGES[name]} {a:.0f} -> {b:.0f} MiB" for name, (a, b) in parts.items()))


def draw(path):
    width, height, left, top, plot_h = 900, 460, 70, 40, 160
    span = max(duration, 1)
    x = lambda t: left + (width - left - 30) * t / span

    def chart(y0, series, label, unit, colour):
        peak = max((v for _, v in series), default=1) * 1.1 or 1
        y = lambda v: y0 + plot_h - plot_h * v / peak
        points = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in series)
        ticks = "".join(f'<text x="{left - 6}" y="{y(peak * f / 1.1) + 4:.1f}" text-anchor="end" font-size="11">{peak * f / 1.1:.0f}</text>' for f in (0, 0.5, 1))
        return (f'<text x="{left}" y="{y0 - 8}" font-size="13">{label} ({unit})</text>'
                f'<rect x="{left}" y="{y0}" width="{width - left - 30}" height="{plot_h}" fill="none" stroke="#bbb"/>{ticks}'
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.5"/>')

    minutes = "".join(f'<text x="{x(m * 60):.1f}" y="{height - 8}" text-anchor="middle" font-size="11">{m:g}</text>'
                      for m in range(0, int(span / 60) + 1, max(1, int(span / 60) // 10 or 1)))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">'
           f'<text x="{left}" y="20" font-size="15">Soak: {args.minutes:g} min, {len(samples):,} requests, {run_context.commit()}, {html.escape(run_context.machine())}</text>'
           + chart(top + 20, [(t, p99) for t, p99, _, _ in windows], "p99 latency per 10 s, recommendations, events, sessions, consent, exports", "ms", "#c0392b")
           + chart(top + 60 + plot_h, rss, "server resident memory", "MiB", "#2c6fbb")
           + "".join(f'<polyline points="{" ".join(f"{x(t):.1f},{top + 60 + plot_h + plot_h - plot_h * v / (max((m for _, m in rss), default=1) * 1.1):.1f}" for t, v in series)}" '
                     f'fill="none" stroke="{colour}" stroke-width="1" stroke-dasharray="4 2"/>'
                     f'<text x="{width - 200}" y="{top + 72 + plot_h + 14 * i}" font-size="11" fill="{colour}">- - {GAUGES[name]}</text>'
                     for i, ((name, series), colour) in enumerate(zip(breakdown.items(), ("#27ae60", "#8e44ad", "#e67e22"))) if series)
           + minutes + f'<text x="{width / 2}" y="{height - 22}" text-anchor="middle" font-size="11">minutes</text></svg>')
    path.write_text(svg)


svg_path = out / "soak.svg"
draw(svg_path)
print(f"drawn: {svg_path}")
print(json.dumps({"benchmark": "soak", "commit": run_context.commit(), "machine": run_context.machine(), "minutes": args.minutes,
                  "store": "postgres" if args.database else "sqlite", "clients": args.clients, "total_requests": len(samples), "requests": table,
                  "retrained_during_soak": trained_during, "erased": len(erased), "erased_personalized_before": personalized_before[0], "consent_people": len(consent_state), "rss_mib_first": rss[0][1] if rss else None,
                  "rss_mib_last": rss[-1][1] if rss else None, "rss_growth_after_warmup": growth,
                  "memory_parts_mib_after_warmup": {name: [round(a, 1), round(b, 1)] for name, (a, b) in parts.items()}, "stop_seconds": round(stopped_in, 1),
                  "p99_ms_per_window": [round(p, 1) for _, p, _, _ in windows], "failures": failures[:20]}))
for f in failures[:10]:
    print("FAIL", f)
kinds = {}
for f in failures:
    kinds[re.sub(r"\d+", "N", f)[:90]] = kinds.get(re.sub(r"\d+", "N", f)[:90], 0) + 1
for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1]):
    print(f"  {n} x {kind}")
print("soak: every invariant held" if not failures else f"soak: {len(failures)} failures")
sys.exit(1 if failures else 0)

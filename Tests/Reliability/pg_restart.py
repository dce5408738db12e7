#!/usr/bin/env python3
"""PostgreSQL restarts and stalls under load (issue 28, point 5).

    python3 Tests/Reliability/pg_restart.py --tact .build/debug/tact [--clients 8]

Starts a PostgreSQL server of its own (`.ci/postgres.sh`, commits synchronous) and `tact serve` on it, with a
statement deadline of 3 s (`?timeout=3` in the address) and a request deadline of 5 s (`--timeout 5`). CLIENTS
threads send event batches and consent changes as fast as the server answers, all through these phases:
  1. load                    (3 s);
  2. PostgreSQL stopped dead  (`pg_ctl stop -m immediate`: its processes quit at once, as in a crash), 4 s down,
     then started again;
  3. load                    (until ready, then 3 s);
  4. PostgreSQL paused        (SIGSTOP to every process of it: connections stay open and nothing answers,
     as when its machine hangs or its network drops packets), 8 s, then resumed;
  5. load                    (until ready, then 3 s).
Then it checks:
  - readiness (`/health/ready`) said 503 while PostgreSQL was gone or paused, and 200 again after each;
  - the server came back by itself: writes were acknowledged after each phase, with no restart of `tact`;
  - no request was answered 500, and none waited past its deadline (5 s, plus 1 s of slack for a loaded
    2-core machine): a request to a paused database is answered 503, not held, and no request waits behind
    another's blocked store read;
  - every write answered 2xx is stored whole, and no write is stored in part (read back through the API).
Prints what it counted and exits 1 on any failure. Standard library only.
"""
import argparse, json, os, signal, subprocess, sys, tempfile, threading, time

from tact_server import call, free_port
import tact_server

parser = argparse.ArgumentParser()
parser.add_argument("--tact", required=True)
parser.add_argument("--clients", type=int, default=8)
parser.add_argument("--address-options", default="timeout=3", help="the database address's options ('' for a build that has no ?timeout=)")
args = parser.parse_args()

REQUEST_DEADLINE = 5.0
SLACK = 1.0
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
work = tempfile.mkdtemp(prefix="tact-pg-restart-")
os.chmod(work, 0o711)  # PostgreSQL runs as its own user when this runs as root: it must reach its directory
pg_dir = os.path.join(work, "pg")
pg_port = free_port()
started_pg = subprocess.run([os.path.join(root, ".ci", "postgres.sh"), str(pg_port)], capture_output=True, text=True,
                            env=dict(os.environ, TACT_PG_DATA=pg_dir, TACT_PG_COMMITS="1"))
if started_pg.returncode != 0:
    sys.exit(f"PostgreSQL did not start: {started_pg.stderr[-2000:]}")
address = started_pg.stdout.strip()
with open(os.path.join(pg_dir, "db", "postmaster.opts")) as f:  # the server's command line: its binary, beside pg_ctl
    pg_bin = os.path.dirname(f.read().split()[0])
as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def pg_ctl(*argv):
    subprocess.run([*as_owner, os.path.join(pg_bin, "pg_ctl"), "-D", os.path.join(pg_dir, "db"), "-l", os.path.join(pg_dir, "server.log"), "-w",
                    *argv], check=True, capture_output=True)


def pg_processes():
    """The postmaster (first line of postmaster.pid) and its children."""
    with open(os.path.join(pg_dir, "db", "postmaster.pid")) as f:
        main = int(f.readline())
    children = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True).stdout.split()
    return [main, *map(int, children)]


data = os.path.join(work, "data")
env = dict(os.environ, TACT_SECRET="k" * 64, TACT_LOG_LEVEL="error", TACT_DATABASE_URL=address + (f"?{args.address_options}" if args.address_options else ""))


def tact(*argv):
    return subprocess.run([args.tact, *argv], env=env, check=True, capture_output=True, text=True).stdout


tact("init", "--data", data, "--mode", "opt-out")
ingest = json.loads(tact("keys", "create", "--data", data, "--name", "pg-ingest", "--scopes", "ingest", "--json"))["key"]
subjects = json.loads(tact("keys", "create", "--data", data, "--name", "pg-subjects", "--scopes", "subjects", "--json"))["key"]
port = free_port()
server = tact_server.serve(args.tact, data, port, env, os.path.join(work, "serve.log"), extra=("--timeout", str(REQUEST_DEADLINE)))

lock = threading.Lock()
counter = iter(range(10**9))
outcomes = {}  # n -> (kind, acknowledged)
answers = []  # (sent at, seconds waited, status or None for no answer)
stop = threading.Event()
started = time.monotonic()


def client():
    while not stop.is_set():
        with lock:
            n = next(counter)
        sent = time.monotonic()
        try:
            kind, status = tact_server.write(port, ingest, subjects, n, timeout=REQUEST_DEADLINE + 30)
        except Exception:
            kind, status = tact_server.write_kind(n), None
        waited = time.monotonic() - sent
        with lock:
            outcomes[n] = (kind, status is not None and 200 <= status < 300)
            answers.append((sent - started, waited, status))
        if status is None or status >= 500:
            time.sleep(0.2)  # a client backs off a little on 503, as Retry-After asks


readiness = []  # (at, status, seconds waited)


def probe():
    while not stop.is_set():
        sent = time.monotonic()
        try:
            status = call(port, "GET", "/health/ready", timeout=REQUEST_DEADLINE + 30)[0]
        except Exception:
            status = None
        with lock:
            readiness.append((sent - started, status, time.monotonic() - sent))
        time.sleep(0.25)


def now():
    return time.monotonic() - started


def acknowledged_since(t):
    with lock:
        return sum(1 for at, _, status in answers if at >= t and status is not None and 200 <= status < 300)


def wait_ready(since, limit=45):
    """Seconds until readiness said 200 after `since`, or None."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        with lock:
            ready = [at for at, status, _ in readiness if at >= since and status == 200]
        if ready:
            return ready[0] - since
        time.sleep(0.2)
    return None


failures = []
phases = {}
counts = {"events": [0, 0], "consent": [0, 0]}
threads = [threading.Thread(target=client) for _ in range(args.clients)] + [threading.Thread(target=probe)]
for t in threads:
    t.start()
try:
    time.sleep(3)
    # 2. Stopped dead, then started again.
    down = now()
    pg_ctl("stop", "-m", "immediate")
    time.sleep(4)
    up = now()
    pg_ctl("-o", f"-p {pg_port}", "start")
    back = wait_ready(up)
    phases["stopped"] = (down, up, back)
    time.sleep(3)
    if acknowledged_since(up) == 0:
        failures.append("no write was acknowledged after PostgreSQL came back: the server did not reconnect")
    # 4. Paused, then resumed.
    paused = now()
    stopped = pg_processes()
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(8)
    resumed = now()
    for pid in stopped:
        os.kill(pid, signal.SIGCONT)
    back = wait_ready(resumed)
    phases["paused"] = (paused, resumed, back)
    time.sleep(3)
    if acknowledged_since(resumed) == 0:
        failures.append("no write was acknowledged after PostgreSQL resumed: the server did not recover")
finally:
    stop.set()
    for t in threads:
        t.join()

try:
    for name, (begin, end, back) in phases.items():
        # Probes sent from 1 s after PostgreSQL went away and answered before it was back.
        with lock:
            during = [status for at, status, waited in readiness if at >= begin + 1 and at + waited <= end]
        if not during or any(status != 503 for status in during):
            failures.append(f"PostgreSQL {name}: readiness said {sorted(set(during), key=str)} while it was away (expected 503 only)")
        if back is None:
            failures.append(f"PostgreSQL {name}: readiness did not say 200 within 45 s of its return")
    late = [(at, waited, status) for at, waited, status in answers if waited > REQUEST_DEADLINE + SLACK]
    late += [(at, waited, status) for at, status, waited in readiness if waited > REQUEST_DEADLINE + SLACK]
    if late:
        failures.append(f"{len(late)} requests waited past the deadline, up to {max(w for _, w, _ in late):.1f} s (first at {late[0][0]:.1f} s)")
    errors = [status for _, _, status in answers if status is not None and status >= 500 and status != 503]
    if errors:
        failures.append(f"{len(errors)} writes were answered with a server error other than 503: {sorted(set(errors))}")
    unanswered = sum(1 for _, _, status in answers if status is None)
    if unanswered:
        failures.append(f"{unanswered} writes got no answer at all")
    counts, lost = tact_server.check_writes(port, subjects, outcomes)
    failures += lost
finally:
    server.terminate()
    server.wait()
    pg_ctl("stop", "-m", "fast")

if os.environ.get("TACT_PG_RESTART_TRACE"):
    for at, waited, status in sorted(answers, key=lambda a: -a[1])[:15]:
        print(f"  sent at {at:.1f} s, answered {status} after {waited:.2f} s")
refused = sum(1 for _, _, status in answers if status == 503)
longest = max((waited for _, waited, _ in answers), default=0)
print(f"writes: {len(answers)} sent, {refused} answered 503 while PostgreSQL was away, the longest wait {longest:.1f} s "
      f"(deadline {REQUEST_DEADLINE:g} s); event batches {counts['events'][0]} acknowledged, {counts['events'][1]} not; "
      f"consent changes {counts['consent'][0]} acknowledged, {counts['consent'][1]} not")
for name, (begin, end, back) in phases.items():
    print(f"PostgreSQL {name} for {end - begin:.1f} s: ready again {back if back is None else f'{back:.1f} s'} after its return")
for f in failures[:20]:
    print("FAIL", f)
print("PostgreSQL restarts: every acknowledged write kept, no request held past its deadline" if not failures else f"PostgreSQL restarts: {len(failures)} failures")
sys.exit(1 if failures else 0)

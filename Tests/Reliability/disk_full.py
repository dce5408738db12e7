#!/usr/bin/env python3
"""A full disk (issue 28, point 4): writes fail with a clear error, nothing is half-stored, reads go on.

    python3 Tests/Reliability/disk_full.py --tact .build/debug/tact

The disk is made full for one process by its file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored): a write
past the limit fails as it does on a full disk, and SQLite reports the disk full or the write failed. Then:
  1. `tact serve` under a limit a little above the database's size, with clients sending event batches until
     the writes fail: every refusal is 503 with problem type `storage` (never 500), the server stays up,
     answers reads (health, recommendations) and its readiness says the store cannot write;
  2. the server is restarted without the limit: every batch answered 2xx is stored whole, none in part,
     the database passes SQLite's integrity check, and the server takes writes again;
  3. `tact import` under the limit fails with a message that names the cause, exits non-zero, and leaves
     the store as it was (the same events, integrity check ok).
Prints what it counted and exits 1 on any failure. Standard library only.
"""
import argparse, json, os, resource, signal, sqlite3, subprocess, sys, tempfile, time

from tact_server import call, free_port
import tact_server

parser = argparse.ArgumentParser()
parser.add_argument("--tact", required=True)
args = parser.parse_args()

work = tempfile.mkdtemp(prefix="tact-disk-full-")
data = os.path.join(work, "data")
database = os.path.join(data, "tact.sqlite")
env = dict(os.environ, TACT_SECRET="d" * 64, TACT_LOG_LEVEL="error")
env.pop("TACT_DATABASE_URL", None)
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def limited(limit):
    """A preexec function: files of the child may not grow past `limit` bytes, and passing it is an error, not a signal."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def tact(*argv, limit=None):
    return subprocess.run([args.tact, *argv], env=env, capture_output=True, text=True, preexec_fn=limited(limit) if limit else None)


def serve(port, limit=None):
    return tact_server.serve(args.tact, data, port, env, os.path.join(work, "serve.log"),
                             extra=("--retrain-every", "86400", "--checkpoint-every", "86400"), preexec_fn=limited(limit) if limit else None)


def stored_events():
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM interactions").fetchone()[0]


def integrity():
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


assert tact("init", "--data", data, "--mode", "opt-out").returncode == 0
ingest = json.loads(tact("keys", "create", "--data", data, "--name", "full-ingest", "--scopes", "ingest", "--json").stdout)["key"]
reader = json.loads(tact("keys", "create", "--data", data, "--name", "full-reader", "--scopes", "recommend,subjects", "--role", "batch", "--json").stdout)["key"]
seed = os.path.join(work, "seed.csv")
with open(seed, "w") as f:
    f.write("user,item,value,timestamp\n")
    for u in range(200):
        for i in range(5):
            f.write(f"s{u},i{(u + i) % 40},1,{int(time.time()) - 3600}\n")
assert tact("import", "interactions", seed, "--data", data).returncode == 0
assert tact("retention", "run", "--data", data).returncode == 0  # nothing to delete; leaves the WAL checkpointed as a server's start would
# 1. The server under a file-size limit a little above what the database holds now.
sizes = [os.path.getsize(p) for p in (database, database + "-wal") if os.path.exists(p)]
limit = max(sizes) + 512 * 1024
port = free_port()
server = serve(port, limit)
acknowledged, refused, statuses = [], [], {}
for n in range(20000):
    status, body = call(port, "POST", "/v1/events", ingest, {"events": [{"user": f"b{n}", "item": f"i{j}", "kind": "play"} for j in range(5)]})
    statuses[status] = statuses.get(status, 0) + 1
    if 200 <= status < 300:
        acknowledged.append(n)
    else:
        refused.append((n, status, body))
        if len(refused) >= 20:
            break
print(f"file-size limit {limit} bytes: {len(acknowledged)} batches answered 2xx before the disk was full; statuses {statuses}")
check(len(acknowledged) > 0 and len(refused) >= 20, "the limit was reached after some writes succeeded")
check(all(s == 503 and (b or {}).get("type", "").endswith("storage") for _, s, b in refused),
      f"every refused batch is 503 with problem type storage: {[(s, (b or {}).get('type')) for _, s, b in refused[:3]]}")
if refused and refused[0][2]:
    print("     the problem's detail: " + refused[0][2].get("detail", "")[:200])
check(server.poll() is None, "the server is still running")
check(call(port, "GET", "/health/live")[0] == 200, "liveness: 200")
ready_status, ready = call(port, "GET", "/health/ready")
check(ready_status == 503 and "cannot write" in (ready or {}).get("detail", ""), f"readiness reports the fault: {ready_status} {ready}")
rec_status, rec = call(port, "GET", "/v1/people/s1/recommendations?k=5", reader)
check(rec_status == 200 and len((rec or {}).get("items", [])) > 0, f"reads are answered: recommendations {rec_status}")
server.terminate()
server.wait()

# 2. Restarted without the limit.
check(integrity() == "ok", "the database passes SQLite's integrity check")
server = serve(port)
wrong = []
for n in acknowledged[-50:] + [n for n, _, _ in refused]:
    status, export = call(port, "GET", f"/v1/people/b{n}/export", reader)
    count = len(export["interactions"]) if status == 200 else 0 if status == 404 else None
    if (n in acknowledged and count != 5) or (n not in acknowledged and count not in (0, 5)):
        wrong.append((n, count))
check(not wrong, f"the last 50 acknowledged batches are stored whole and refused ones whole or not at all: {wrong[:5]}")
check(call(port, "POST", "/v1/events", ingest, {"events": [{"user": "after", "item": "i1", "kind": "play"}]})[0] == 200, "writes are taken again")
check(call(port, "GET", "/health/ready")[0] == 200, "readiness: 200 again")
server.terminate()
server.wait()

# 3. An import under the limit.
before = stored_events()
big = os.path.join(work, "big.csv")
with open(big, "w") as f:
    f.write("user,item,value,timestamp\n")
    for n in range(200000):
        f.write(f"m{n},i{n % 40},1,{int(time.time()) - 60}\n")
sizes = [os.path.getsize(p) for p in (database, database + "-wal") if os.path.exists(p)]
result = tact("import", "interactions", big, "--data", data, limit=max(sizes) + 256 * 1024)
message = (result.stderr + result.stdout).strip().splitlines()
print(f"     tact import under the limit exited {result.returncode}: {message[-1][:200] if message else ''}")
check(result.returncode != 0 and any("cannot write" in line for line in message), "the import fails and says why")
after = stored_events()
check(integrity() == "ok", "the database passes SQLite's integrity check after the failed import")
check((after - before) % 1 == 0 and after >= before, f"the events stored before the import are still there ({before} → {after})")

print("disk full: " + ("every check passed" if not failures else f"{len(failures)} failures"))
sys.exit(1 if failures else 0)

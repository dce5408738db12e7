#!/usr/bin/env python3
"""Acknowledged writes survive `kill -9` of the server (issue 28, point 3).

    python3 Tests/Reliability/kill9.py --tact .build/debug/tact [--seconds 4] [--clients 8]

Starts `tact serve` on a fresh opt-out data directory and has CLIENTS threads send, as fast as it answers,
event batches (five events of one new person each) and consent changes (one new person withdraws
personalization). After SECONDS, with requests still in flight, the server is killed with SIGKILL and started
again on the same directory. Then, through the API:
  - every batch answered 2xx is stored whole (five events for its person);
  - every batch answered otherwise, or not answered, is stored whole or not at all, never in part;
  - every consent change answered 2xx is in force; one not answered is in force or not, never half-recorded;
  - the restarted server is ready.
Prints what it counted and exits 1 on any failure. Standard library only.
"""
import argparse, json, os, signal, subprocess, sys, tempfile, threading, time

from tact_server import call, free_port
import tact_server

parser = argparse.ArgumentParser()
parser.add_argument("--tact", required=True)
parser.add_argument("--seconds", type=float, default=4)
parser.add_argument("--clients", type=int, default=8)
args = parser.parse_args()

work = tempfile.mkdtemp(prefix="tact-kill9-")
data = os.path.join(work, "data")
env = dict(os.environ, TACT_SECRET="k" * 64, TACT_LOG_LEVEL="error")
env.pop("TACT_DATABASE_URL", None)


def tact(*argv):
    return subprocess.run([args.tact, *argv], env=env, check=True, capture_output=True, text=True).stdout


def serve(port):
    return tact_server.serve(args.tact, data, port, env, os.path.join(work, "serve.log"))


tact("init", "--data", data, "--mode", "opt-out")
ingest = json.loads(tact("keys", "create", "--data", data, "--name", "kill9-ingest", "--scopes", "ingest", "--json"))["key"]
subjects = json.loads(tact("keys", "create", "--data", data, "--name", "kill9-subjects", "--scopes", "subjects", "--json"))["key"]
port = free_port()
server = serve(port)

lock = threading.Lock()
counter = iter(range(10**9))
outcomes = {}  # n -> (kind, acknowledged)
stop = threading.Event()


def client():
    while not stop.is_set():
        with lock:
            n = next(counter)
        try:
            kind, status = tact_server.write(port, ingest, subjects, n)
            acknowledged = 200 <= status < 300
        except Exception:
            kind, acknowledged = tact_server.write_kind(n), False
        with lock:
            outcomes[n] = (kind, acknowledged)
        if not acknowledged:
            return


threads = [threading.Thread(target=client) for _ in range(args.clients)]
for t in threads:
    t.start()
time.sleep(args.seconds)
server.send_signal(signal.SIGKILL)
server.wait()
stop.set()
for t in threads:
    t.join()

server = serve(port)
try:
    counts, failures = tact_server.check_writes(port, subjects, outcomes)
    status, _ = call(port, "GET", "/health/ready", ingest)
    if status != 200:
        failures.append(f"the restarted server is not ready: {status}")
finally:
    server.terminate()
    server.wait()

print(f"event batches: {counts['events'][0]} answered 2xx, {counts['events'][1]} not; "
      f"consent changes: {counts['consent'][0]} answered 2xx, {counts['consent'][1]} not; killed after {args.seconds:g} s with {args.clients} clients")
for f in failures[:20]:
    print("FAIL", f)
print("kill -9: every acknowledged write survived" if not failures else f"kill -9: {len(failures)} failures")
sys.exit(1 if failures else 0)

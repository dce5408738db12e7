#!/usr/bin/env python3
"""Traffic for the live Guard benchmark (Benchmarks/guard-live/run.sh): a benign app and scrapers
against a running `tact serve`, with the standard library only. Each mode prints one JSON line.

    traffic.py app --port P --key KEY [--seconds 20] [--rate 200] [--connections 4] [--persons 100000]
        Paced recommendation requests (each connection keeps rate/connections per second) for people
        drawn with Zipf-distributed activity: the person of rank r (over a random permutation of the
        ids, so that the heavy users are not u1, u2, ...) is asked for with probability ∝ 1/r^s.

    traffic.py scrape --port P --key KEY --order random|id [--connections 16] [--max-seconds 30]
                      [--max-refusals 200] [--persons 100000]
        Reads every person once, as fast as it can, until 200 refusals (401 suspended, 429 throttled),
        max-seconds, or every person read, whichever comes first. Counts the distinct persons read with
        200 before the first refusal, and in all.

    traffic.py alerts --port P --key AUDIT_KEY
        The Guard's alerts (GET /v1/guard/alerts), as {"alerts": [...]}.
"""
import argparse
import bisect
import http.client
import json
import random
import sys
import threading
import time

PATH = "/v1/people/{}/recommendations?k=10"


class Client:
    """One persistent HTTP/1.1 connection that reconnects once when the server closed it."""

    def __init__(self, host, port, key):
        self.host, self.port = host, port
        self.headers = {"Authorization": "Bearer " + key}
        self.conn = None

    def get(self, path):
        """(status, seconds), status 0 when the request failed twice on the network."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            started = time.perf_counter()
            try:
                self.conn.request("GET", path, headers=self.headers)
                response = self.conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, elapsed
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 1:
                    return 0, time.perf_counter() - started
        return 0, 0.0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Tally:
    """Statuses and latencies shared by the connections of one run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.latencies = []
        self.first_refusal = None  # seconds after the start
        self.refusals = 0

    def add(self, status, seconds, at):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(seconds)
            if status in (401, 429):
                self.refusals += 1
                if self.first_refusal is None:
                    self.first_refusal = at

    def summary(self, seconds):
        lat = sorted(self.latencies)

        def pct(p):
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 3) if lat else None

        total = len(lat)
        ok, s401, s429 = (self.statuses.get(s, 0) for s in (200, 401, 429))
        return {
            "requests": total, "ok": ok, "s401": s401, "s429": s429, "other": total - ok - s401 - s429,
            "network_errors": self.statuses.get(0, 0),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(seconds, 3), "rps": round(total / seconds, 1) if seconds > 0 else 0.0,
            "p50_ms": pct(50), "p99_ms": pct(99),
            "first_refusal_s": None if self.first_refusal is None else round(self.first_refusal, 3),
        }


def run_app(a):
    rng = random.Random(a.seed)
    ids = [f"u{i}" for i in range(1, a.persons + 1)]
    rng.shuffle(ids)  # rank r is ids[r - 1]: the heavy users are spread over the id space
    cumulative, total = [], 0.0
    for r in range(1, a.persons + 1):
        total += 1.0 / r ** a.zipf
        cumulative.append(total)
    per_connection = a.rate / a.connections
    tally = Tally()
    start = time.perf_counter() + 0.2
    deadline = start + a.seconds
    asked = set()
    asked_lock = threading.Lock()

    def worker(n):
        client = Client(a.host, a.port, a.key)
        local = random.Random(a.seed * 1000 + n)
        # Each connection sends on its own schedule, offset so that the four do not send together.
        due = start + n / a.rate
        while due < deadline:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            person = ids[bisect.bisect_left(cumulative, local.random() * total)]
            status, seconds = client.get(PATH.format(person))
            tally.add(status, seconds, time.perf_counter() - start)
            with asked_lock:
                asked.add(person)
            due += 1.0 / per_connection
        client.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = tally.summary(time.perf_counter() - start)
    result.update(mode="app", connections=a.connections, target_rps=a.rate, distinct_persons=len(asked), zipf=a.zipf)
    print(json.dumps(result))


def run_scrape(a):
    ids = [f"u{i}" for i in range(1, a.persons + 1)]
    if a.order == "random":
        random.Random(a.seed).shuffle(ids)
    position = [0]
    lock = threading.Lock()
    read_before, read_all = set(), set()
    tally = Tally()
    stop = threading.Event()
    start = time.perf_counter()
    deadline = start + a.max_seconds

    def worker():
        client = Client(a.host, a.port, a.key)
        while not stop.is_set():
            with lock:
                if position[0] >= len(ids):
                    stop.set()
                    break
                person = ids[position[0]]
                position[0] += 1
            status, seconds = client.get(PATH.format(person))
            now = time.perf_counter()
            with lock:  # one order for the tally and the sets: "before" is before the first refusal tallied
                tally.add(status, seconds, now - start)
                if status == 200:
                    read_all.add(person)
                    if tally.first_refusal is None:
                        read_before.add(person)
            if tally.refusals >= a.max_refusals or now >= deadline:
                stop.set()
        client.close()

    threads = [threading.Thread(target=worker) for _ in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = tally.summary(time.perf_counter() - start)
    result.update(mode="scrape", order=a.order, connections=a.connections, persons=a.persons,
                  read_before_refusal=len(read_before), read_in_all=len(read_all),
                  share_before_refusal=len(read_before) / a.persons, share_in_all=len(read_all) / a.persons,
                  stopped_by="refusals" if tally.refusals >= a.max_refusals
                  else "every person read" if position[0] >= len(ids) else "time")
    print(json.dumps(result))


def run_alerts(a):
    client = Client(a.host, a.port, a.key)
    client.conn = http.client.HTTPConnection(a.host, a.port, timeout=30)
    client.conn.request("GET", "/v1/guard/alerts?limit=1000", headers=client.headers)
    response = client.conn.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"GET /v1/guard/alerts answered {response.status}: {body[:300]!r}")
    print(json.dumps(json.loads(body)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)
    for name in ("app", "scrape", "alerts"):
        s = sub.add_parser(name)
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, required=True)
        s.add_argument("--key", required=True)
        s.add_argument("--persons", type=int, default=100_000)
        s.add_argument("--seed", type=int, default=7)
    app = sub.choices["app"]
    app.add_argument("--seconds", type=float, default=20)
    app.add_argument("--rate", type=float, default=200, help="requests per second in all")
    app.add_argument("--connections", type=int, default=4)
    app.add_argument("--zipf", type=float, default=1.0, help="exponent s of the activity: P(rank r) ∝ 1/r^s")
    scrape = sub.choices["scrape"]
    scrape.add_argument("--order", choices=["random", "id"], required=True)
    scrape.add_argument("--connections", type=int, default=16)
    scrape.add_argument("--max-seconds", type=float, default=30)
    scrape.add_argument("--max-refusals", type=int, default=200)
    a = p.parse_args()
    {"app": run_app, "scrape": run_scrape, "alerts": run_alerts}[a.mode](a)


if __name__ == "__main__":
    main()

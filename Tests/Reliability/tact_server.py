"""What the reliability scripts share: a free port, JSON calls to the API, `tact serve` started on a data
directory with its Guard only alerting (these scripts read many people, as an auditor does) and a model that
trains in a moment (with no model flag a restart would search models before it is ready), and the writes they
send at load and check afterwards. Standard library only."""
import json, socket, subprocess, sys, time, urllib.error, urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, key=None, body=None, timeout=30):
    """(status, the JSON body or None). Connection failures raise, so that callers can tell 'no answer'."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, None


def serve(tact, data, port, env, log, extra=(), preexec_fn=None):
    """Starts `tact serve` and returns the process once /health/live answers; exits the script if it does not."""
    server = subprocess.Popen([tact, "serve", "--data", data, "--port", str(port), "--rate", "1000000", "--burst", "1000000",
                               "--guard-high", "alert", "--guard-critical", "alert", "--guard-decisive", "alert", "--retention-every", "0",
                               "--algorithm", "popular", "--no-model-evaluation", *extra],
                              env=env, stdout=subprocess.DEVNULL, stderr=open(log, "ab"), preexec_fn=preexec_fn)
    for _ in range(600):
        if server.poll() is not None:
            break
        try:
            if call(port, "GET", "/health/live", timeout=1)[0] == 200:
                return server
        except Exception:
            time.sleep(0.1)
    server.kill()
    with open(log, "rb") as f:
        sys.exit(f"the server did not start: {f.read().decode(errors='replace')[-2000:]}")


def write_kind(n):
    """What write number n is: one time in four a consent change, else an event batch."""
    return "consent" if n % 4 == 3 else "events"


def write(port, ingest, subjects, n, timeout=30):
    """Write number n: an event batch (five events for the new person bN) or a consent change (the new person cN
    withdraws personalization), as `write_kind` says. Returns (kind, status); a request that got no answer raises."""
    if write_kind(n) == "consent":
        return "consent", call(port, "POST", f"/v1/people/c{n}/consent", subjects, {"decisions": {"personalization": "withdraw"}}, timeout)[0]
    return "events", call(port, "POST", "/v1/events", ingest, {"events": [{"user": f"b{n}", "item": f"i{j}", "kind": "play"} for j in range(5)]}, timeout)[0]


def check_writes(port, subjects, outcomes):
    """Reads back every write of `outcomes` (n -> (kind, acknowledged)) through the API. Every write answered 2xx
    must be there whole; one that was not must be there whole or not at all. Returns (counts, failures)."""
    failures = []
    counts = {"events": [0, 0], "consent": [0, 0]}
    for n, (kind, acknowledged) in sorted(outcomes.items()):
        counts[kind][0 if acknowledged else 1] += 1
        if kind == "events":
            status, export = call(port, "GET", f"/v1/people/b{n}/export", subjects)
            stored = len(export["interactions"]) if status == 200 else 0 if status == 404 else None
            if stored is None or (acknowledged and stored != 5) or (not acknowledged and stored not in (0, 5)):
                failures.append(f"batch {n} ({'answered 2xx' if acknowledged else 'not acknowledged'}): {stored} of 5 events stored (export {status})")
        else:
            status, consent = call(port, "GET", f"/v1/people/c{n}/consent", subjects)
            # 404: nothing recorded for them, so the opt-out default (permitted) holds.
            permitted = True if status == 404 else None
            if status == 200:
                permitted = next(p["permitted"] for p in consent["purposes"] if p["purpose"] == "personalization")
            if permitted is None or (acknowledged and permitted):
                failures.append(f"consent change {n} ({'answered 2xx' if acknowledged else 'not acknowledged'}): personalization permitted {permitted} (status {status})")
    if counts["events"][0] == 0 or counts["consent"][0] == 0:
        failures.append("no event batch or no consent change was acknowledged: the check checked nothing")
    return counts, failures

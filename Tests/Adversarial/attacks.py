#!/usr/bin/env python3
"""Replays the attacks of issue 22 (and the ones that held before it) against a real `tact serve`, and checks
each ends safely. Prints a table of attack, outcome and verdict, and closes with 'N passed, N failed'.

    python3 Tests/Adversarial/attacks.py --tact .build/debug/tact [--port 18766]

Standard library only; loopback only; bounded in requests and time (well under five minutes).
Exits non-zero when any attack is not refused or contained as it should be.
"""
import argparse, json, os, socket, stat, subprocess, sys, tempfile, time, urllib.error, urllib.request

RESULTS = []


def record(attack, outcome, ok):
    RESULTS.append((attack, outcome, bool(ok)))
    print(f"{'ok  ' if ok else 'FAIL'} {attack}: {outcome}", flush=True)


def call(base, method, path, key=None, body=None, raw=None, headers=None):
    """(status, parsed JSON or {}, text) of one request; never raises on an HTTP error status."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(base + path, method=method, data=data)
    if key:
        request.add_header("Authorization", "Bearer " + key)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as error:
        text, status = error.read().decode("utf-8", "replace"), error.code
    try:
        parsed = json.loads(text) if text else {}
    except ValueError:
        parsed = {}
    return status, parsed if isinstance(parsed, dict) else {}, text


def raw_request(port, text, wait=5.0):
    """Sends `text` as is on a new connection; returns what came back before the server closed or went quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(text.encode("latin-1"))
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except socket.timeout:
            pass
    return b"".join(chunks).decode("latin-1")


def closed_now(s):
    """Whether the server has closed `s` already (without waiting)."""
    try:
        return s.recv(4096, socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def closed_by_server(s, wait=0.2):
    s.settimeout(wait)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return True
    except socket.timeout:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True


def audited(base, audit_key, action):
    status, body, _ = call(base, "GET", "/v1/audit?limit=10000", audit_key)
    return sum(int(e.get("detail", "").split("requests=")[-1].split()[0]) if "requests=" in e.get("detail", "") else 1
               for e in body.get("entries", []) if e.get("action") == action)


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def create_key(tact, data, name, scopes):
    out = subprocess.run([tact, "keys", "create", "--data", data, "--name", name, "--scopes", scopes, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["key"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tact", required=True)
    parser.add_argument("--port", type=int, default=18766)
    args = parser.parse_args()
    started = time.time()
    work = tempfile.mkdtemp(prefix="tact-adversarial-")
    data = os.path.join(work, "data")
    base, port = f"http://127.0.0.1:{args.port}", args.port
    subprocess.run([args.tact, "demo", "--data", data, "--users", "400", "--items", "120", "--interactions", "8000"],
                   check=True, capture_output=True)
    keys = {s: create_key(args.tact, data, "adv-" + s, s) for s in ["recommend", "subjects", "audit", "catalog", "ingest", "admin"]}
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([args.tact, "serve", "--data", data, "--port", str(port), "--guard-high", "alert", "--guard-critical", "alert", "--guard-decisive", "alert",
                               "--header-timeout", "2", "--body-timeout", "2", "--max-connections", "100", "--cache-megabytes", "16"],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                if call(base, "GET", "/health/ready")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            record("server start", "no answer on /health/ready", False)
            return finish(started)
        rec, sub, aud, cat, ing, adm = (keys[k] for k in ["recommend", "subjects", "audit", "catalog", "ingest", "admin"])

        # 1. Audit and Guard bypass through the path.
        action = "GET /v1/people/{person}/recommendations"
        before = audited(base, aud, action)
        spellings = ["//v1/people/u7/recommendations", "/v1//people/u7/recommendations", "/v1/people//u7/recommendations",
                     "/v1/people/u7/recommendations/", "/v1/./people/u7/recommendations", "/v1/people/x/../u7/recommendations",
                     "/v1/people/u7%00/recommendations"]
        statuses = [call(base, "GET", p, rec)[0] for p in spellings]
        time.sleep(0.5)
        record("folded paths (//, dot segments, %00) to a person", f"statuses {sorted(set(statuses))}",
               all(s == 400 for s in statuses) and audited(base, aud, action) == before)
        answered = sum(1 for i in range(300) if call(base, "GET", f"//v1/people/u{i}/recommendations", rec)[0] < 400)
        record("300 persons read through //", f"{answered} answered", answered == 0)
        call(base, "GET", "/v1/people/u7/recommendations", rec)
        time.sleep(0.5)
        record("canonical read is audited once", f"{audited(base, aud, action) - before} new entries", audited(base, aud, action) - before == 1)

        # 2. Erasures visible to the audit log and the Guard.
        status, body, _ = call(base, "DELETE", "/v1/people/nobody-ever-seen", sub)
        time.sleep(0.5)
        erased = audited(base, aud, "DELETE /v1/people/{person}")
        record("erasing an unknown person", f"{status}, found={body.get('found')}, {erased} audit entries", status == 200 and erased == 1)

        # 3. Unbounded memory through the answer cache.
        rss0 = rss_kib(server.pid)
        codes = {}
        for i in range(700):
            tags = "&".join(f"tag=t{i}x{j}" for j in range(90))
            code = call(base, "GET", f"/v1/people/u{i % 300}/recommendations?{tags}&exclude=e{i}", rec)[0]
            codes[code] = codes.get(code, 0) + 1
        huge = call(base, "GET", "/v1/people/u1/recommendations?" + "&".join(f"tag=t{j}" for j in range(150)), rec)[0]
        longer = call(base, "GET", "/v1/people/u1/recommendations?exclude=" + "x" * 20000, rec)[0]
        grown = (rss_kib(server.pid) - rss0) / 1024
        record("700 unique long-key requests, 150 tags, a 20 KB query", f"{codes}, {huge}, {longer}, RSS +{grown:.1f} MB",
               huge == 400 and longer == 414 and grown < 40)

        # 4. Federated sessions: one key, unbounded devices; one person, several devices (issue 23).
        import base64, struct
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        raw = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        started_session = call(base, "POST", "/v1/federated/sessions", adm, {"rounds": 1, "factors": 2})[0]
        secure_round = call(base, "GET", "/v1/federated/task", ing)[1].get("secureRound", 0)

        def device_join(person):
            signer = Ed25519PrivateKey.generate()
            channel, mask = os.urandom(32), os.urandom(32)
            signature = signer.sign(b"tact secagg keys v1" + struct.pack("<Q", secure_round) + channel + mask)
            token = call(base, "POST", f"/v1/people/{person}/tokens", sub)[1].get("token", "")
            body = {"channelKey": channel, "maskKey": mask, "signingKey": signer.public_key().public_bytes(*raw), "signature": signature}
            body = {k: base64.b64encode(v).decode() for k, v in body.items()}
            body["personToken"] = token
            return call(base, "POST", "/v1/federated/join", ing, body)

        joins = [device_join(f"fed-person-{i}")[0] for i in range(20)]
        twice, _, twice_text = device_join("fed-person-0")
        task = call(base, "GET", "/v1/federated/task", ing)[1]
        advance = call(base, "POST", "/v1/federated/advance", adm)[0]
        call(base, "DELETE", "/v1/federated/sessions/current", adm)
        record("one ingest key joining 20 devices", f"session {started_session}; joined {joins.count(201)}, refused {joins.count(409)}; "
               f"keys {task.get('keys')}; advance {advance}",
               started_session == 201 and joins.count(201) == 16 and joins.count(409) == 4 and task.get("keys") == 1 and advance == 409)
        record("one person's second device joining the same aggregation", f"{twice}", twice == 409 and "already has a device" in twice_text)

        # 5. NUL in identifiers.
        put = call(base, "PUT", "/v1/items/i1%00evil", cat, {"title": "Evil"})[0]
        delete = call(base, "DELETE", "/v1/items/i2%00x", cat)[0]
        event = call(base, "POST", "/v1/events", ing, {"events": [{"user": "u1\u0000x", "item": "i1", "kind": "play"}]})[0]
        tag = call(base, "PUT", "/v1/items/new-item", cat, {"title": "T", "tags": ["a\u001fb"]})[0]
        item_status, item, _ = call(base, "GET", "/v1/items/i2", cat)
        record("NUL and control characters in ids and tags", f"put {put}, delete {delete}, event {event}, tag {tag}; i2 still {item_status}",
               put == delete == event == tag == 400 and item_status == 200)

        # 6. Egress alerts amplify.
        call(base, "PUT", "/v1/items/i3", cat, {"title": "Call me at leak@example.com", "tags": []})
        _, stored, _ = call(base, "GET", "/v1/items/i3", cat)
        for i in range(50):
            call(base, "GET", f"/v1/people/u{i}/recommendations?k=20", rec)
        time.sleep(1)
        _, alerts, _ = call(base, "GET", "/v1/guard/alerts", aud)
        kinds = [a.get("kind") for a in alerts.get("alerts", [])]
        record("personal data in a catalog title, 50 answers", f"stored '{stored.get('title')}', egress alerts {kinds.count('egress')}, catalog alerts {kinds.count('catalog-pii')}",
               "leak@" not in stored.get("title", "") and kinds.count("egress") <= 1 and kinds.count("catalog-pii") == 1)

        # 7. Files readable by other users.
        loose = []
        for root, dirs, files in os.walk(data):
            for name in dirs + files:
                path = os.path.join(root, name)
                mode = stat.S_IMODE(os.lstat(path).st_mode)
                if not os.path.islink(path) and mode & 0o077:
                    loose.append(f"{os.path.relpath(path, data)} {oct(mode)}")
        if stat.S_IMODE(os.stat(data).st_mode) & 0o077:
            loose.append(". " + oct(stat.S_IMODE(os.stat(data).st_mode)))
        record("files in the data directory", f"{len(loose)} open to others {loose[:3]}", not loose)

        # 8. A planted form cookie.
        _, issued, _ = call(base, "POST", "/v1/people/u3/tokens", sub)
        token = issued.get("token", "")
        signin = raw_request(port, f"GET /privacy/signin?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
        person_cookie = next((l.split(":", 1)[1].split(";")[0].strip() for l in signin.split("\r\n") if l.lower().startswith("set-cookie:") and "tact_person=" in l), "")
        attacker = raw_request(port, f"GET /console/signin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: tact_form={'A' * 43}\r\nConnection: close\r\n\r\n")
        forged = attacker.split('name="csrf" value="')[1].split('"')[0] if 'name="csrf" value="' in attacker else ""
        form = f"csrf={forged}&confirm=delete"
        answer = raw_request(port, f"POST /privacy/delete HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {person_cookie}; tact_form={'A' * 43}\r\n"
                                   f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\nConnection: close\r\n\r\n{form}")
        status_line = answer.split("\r\n", 1)[0]
        still = call(base, "GET", "/v1/people/u3/consent", sub)[0]
        record("form token for a planted form cookie", f"{status_line}; person still there: {still == 200}", " 403 " in status_line and still == 200)

        # 9. Slow clients.
        slow = []
        for i in range(150):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n" if i % 2 == 0 else
                      b"POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9999\r\n\r\n{")
            slow.append(s)
        time.sleep(3.5)
        held = sum(1 for s in slow if not closed_by_server(s))
        for s in slow:
            s.close()
        crowd = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
        time.sleep(0.5)
        refused = sum(1 for s in crowd if closed_now(s))
        for s in crowd:
            s.close()
        time.sleep(0.3)
        record("150 slowloris and slow-body sockets; 150 at once under a cap of 100", f"{held} still held after 3.5 s; {refused} closed at once",
               held == 0 and 48 <= refused <= 55 and call(base, "GET", "/health/live")[0] == 200)

        # 10. Purpose chosen by the client.
        subprocess.run([args.tact, "consent", "deny", "--data", data, "u5", "all"], capture_output=True)
        status, body, _ = call(base, "POST", "/v1/events", ing, {"events": [{"user": "u5", "item": "i1", "kind": "play", "purpose": "essential"}]})
        record("an ingest key claiming 'essential'", f"{status} field={body.get('field')}", status == 403)

        # 11. Audience-key collision: a tag holding the old separator is refused at the door.
        status = call(base, "POST", "/v1/items", cat, {"items": [{"id": "ad-x", "title": "x", "tags": ["rock\u001fjazz"]}]})[0]
        record("a tag with U+001F", str(status), status == 400)

        # Attacks that held before: they must still hold.
        record("scope escalation (recommend key lists keys)", str(call(base, "GET", "/v1/keys", rec)[0]), call(base, "GET", "/v1/keys", rec)[0] == 403)
        cross = call(base, "GET", "/v1/people/u4/consent", token)[0]
        record("a person token reading another person", str(cross), cross == 403)
        smuggled = raw_request(port, "POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/keys HTTP/1.1\r\nHost: x\r\n\r\n", wait=3)
        record("request smuggling (Content-Length with chunked)", smuggled.split("\r\n", 1)[0] or "connection closed",
               smuggled.count("HTTP/1.1 200") == 0)
        big = call(base, "POST", "/v1/events", ing, raw=b'{"events":[' + b'{"user":"u1","item":"i1"},' * 80000 + b'{"user":"u1","item":"i1"}]}')[0]
        record("a 2 MB body", str(big), big == 413)
        deep = call(base, "POST", "/v1/events", ing, raw=b"[" * 100000)[0]
        record("100,000 nested brackets", str(deep), deep == 400)
        bad_utf8 = call(base, "POST", "/v1/events", ing, raw=b'{"events":[{"user":"\xff\xfe","item":"i1"}]}')[0]
        record("invalid UTF-8 in a body", str(bad_utf8), bad_utf8 == 400)
        alive = call(base, "GET", "/health/ready")[0]
        record("the server after all of it", f"/health/ready {alive}", alive == 200 and server.poll() is None)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    verify = subprocess.run([args.tact, "audit", "verify", "--data", data], capture_output=True, text=True)
    record("tact audit verify", verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else verify.stderr.strip()[:120], verify.returncode == 0)
    return finish(started)


def finish(started):
    width = max(len(a) for a, _, _ in RESULTS)
    print()
    print(f"{'attack'.ljust(width)} | verdict | outcome")
    for attack, outcome, ok in RESULTS:
        print(f"{attack.ljust(width)} | {'safe' if ok else 'UNSAFE'}    | {outcome}")
    passed = sum(1 for _, _, ok in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"adversarial suite took {time.time() - started:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""What the reliability scripts share: a free port, JSON calls to the API, and `tact serve` started on a data
directory with its Guard only alerting (these scripts read many people, as an auditor does) and a model that
trains in a moment (with no model flag a restart would search models before it is ready). Standard library only."""
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

"""Prints the ads benchmark's table and one JSON line from the files run.sh wrote."""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

out = sys.argv[1]
lines = open(os.path.join(out, "tact.txt")).read().splitlines()
tact = json.loads(lines[-1])
peer = json.loads(open(os.path.join(out, "opendp.json")).read())
print(f"Privacy-preserving advertising — commit {run_context.commit()}, {run_context.machine()}")
print()
print("\n".join(lines[:-1]))
print()
print(f"Peer: {peer['peer']}, discrete Laplace on the same counts and scales:")
for name, ours, theirs in zip(["impressions", "clicks", "conversions"], tact["mean_absolute_error"], peer["mean_absolute_error"]):
    print(f"  {name:12} mean |error| Tact {ours:7.2f}   OpenDP {theirs:7.2f}   ratio {ours / theirs:.2f}")
print(json.dumps({"benchmark": "ads", "commit": run_context.commit(), "machine": run_context.machine(), "tact": tact, "peer": peer}, sort_keys=True))

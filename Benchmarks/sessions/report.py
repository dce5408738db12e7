"""Prints the sessions benchmark's table and one JSON line from the files run.sh wrote."""
import json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import run_context  # noqa: E402  (Benchmarks/run_context.py)

out = sys.argv[1]
tradeoff = json.loads(open(os.path.join(out, "tradeoff.json")).read())
lines = open(os.path.join(out, "sessions.txt")).read().splitlines()
sessions = json.loads(lines[-1])
peer = json.loads(open(os.path.join(out, "implicit.json")).read())

print(f"Sessions, diversity and playlists on MovieLens 100K — commit {run_context.commit()}, {run_context.machine()}")
print()
print("Accuracy against diversity (iALS, 64 factors, λ 10, α 0.5; chart: accuracy-diversity.svg)")
print(f"  {'MMR λ':>6} {'NDCG@10':>8} {'diversity':>10} {'novelty':>8} {'coverage':>9}")
for p in tradeoff["tradeoff"]:
    print(f"  {p['lambda']:>6.2f} {p['ndcg']:>8.4f} {p['intra_list_diversity']:>10.4f} {p['novelty']:>8.3f} {p['coverage']:>9.4f}")
print()
print("\n".join(lines[:-1]))
print()
latency = sessions["session_latency_ms"]
print(f"Peer: {peer['peer']}, 5-item session over {peer['items']} items (recalculate_user=True, an exact scan), one thread: "
      f"p50 {peer['p50']:.3f} ms, p99 {peer['p99']:.3f} ms; at p50 Tact's exact scan is {peer['p50'] / latency['exact_p50']:.1f}× faster, "
      f"its index {peer['p50'] / latency['p50']:.1f}× faster")
print(json.dumps({"benchmark": "sessions", "commit": run_context.commit(), "machine": run_context.machine(),
                  "tradeoff": tradeoff["tradeoff"], "sessions": sessions, "peer_latency": peer}, sort_keys=True))

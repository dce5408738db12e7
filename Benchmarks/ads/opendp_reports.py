"""The peer for DP report error: OpenDP's discrete Laplace mechanism on the same counts, caps and ε
(split over the three counts) as Tact's reports. Reads the ad-selection JSON line on stdin; prints one JSON line."""
import json, sys

import opendp.prelude as dp

dp.enable_features("contrib")
tact = json.loads(sys.stdin.read().strip().splitlines()[-1])
caps, epsilon, reports = [10, 3, 1], tact["report_epsilon"], tact["reports"]
errors = []
for count, cap in zip(tact["capped_counts"], caps):
    scale = cap * 3 / epsilon
    laplace = dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=float(scale))
    errors.append(sum(abs(laplace(count) - count) for _ in range(reports)) / reports)
version = getattr(dp, "__version__", None)
try:
    from importlib.metadata import version as v
    version = v("opendp")
except Exception:
    pass
print(json.dumps({"peer": f"opendp {version}", "mean_absolute_error": errors}))

"""Reference numbers for Tact's privacy accountant, from an independent implementation: Google's
dp-accounting (PyPI). Prints one JSON object; the numbers become the test vectors in
Tests/TactPrivacyTests/PrivacyAccountantTests.swift.

    Benchmarks/dp-accounting/run.sh        # creates .venv-dp with dp-accounting, then runs this
    Benchmarks/dp-accounting/run.sh --pure # only the fast sections: no analytic Gaussian calibration
                                           # (its PLD accountant takes minutes and ~10 GB on 2 cores)
"""
import json
import sys
import dp_accounting
from dp_accounting.rdp import rdp_privacy_accountant as rdp

# The same grid as PrivacyAccountant.defaultOrders.
ORDERS = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5] + list(range(5, 65)) + [128, 256, 512, 1024]


def epsilon(events, delta):
    accountant = rdp.RdpAccountant(orders=ORDERS)
    for event, count in events:
        accountant.compose(event, count)
    return accountant.get_epsilon(delta)


cases = []
for sigma, count, delta in [(1.0, 1, 1e-5), (5.0, 10, 1e-6), (20.0, 100, 1e-5), (0.8, 3, 1e-3)]:
    cases.append({"kind": "gaussian", "sigma": sigma, "count": count, "delta": delta,
                  "epsilon": epsilon([(dp_accounting.GaussianDpEvent(sigma), count)], delta)})
# The continuous Laplace curve: no longer a test vector (the accountant charges every pure ε-DP event
# on randomized response's larger curve, below); kept to show what the old curve under-counted.
for eps, count, delta in [(0.5, 1, 1e-5), (0.1, 50, 1e-6), (1.0, 10, 1e-5)]:
    cases.append({"kind": "laplace", "pure_epsilon": eps, "count": count, "delta": delta,
                  "epsilon": epsilon([(dp_accounting.LaplaceDpEvent(1 / eps), count)], delta)})
for q, z, steps, delta in [(0.01, 1.1, 1000, 1e-5), (0.001, 0.8, 10000, 1e-6), (0.1, 2.0, 100, 1e-5)]:
    event = dp_accounting.PoissonSampledDpEvent(q, dp_accounting.GaussianDpEvent(z))
    cases.append({"kind": "subsampled-gaussian", "rate": q, "noise_multiplier": z, "steps": steps, "delta": delta,
                  "epsilon": epsilon([(event, steps)], delta)})
# Composition of different kinds in one accountant.
mixed = [(dp_accounting.GaussianDpEvent(4.0), 5), (dp_accounting.LaplaceDpEvent(2.0), 3)]
cases.append({"kind": "mixed", "delta": 1e-5, "epsilon": epsilon(mixed, 1e-5)})

# Pure ε-DP mechanisms (discrete Laplace, randomized response, report-noisy-max): the binary randomized
# response curve bounds the RDP of every ε-DP mechanism, and is exact for randomized response itself.
# Binary RR with dp-accounting's noise parameter p keeps the input with probability 1 − p/2, so it is
# ε-DP for p = 2/(1 + e^ε). dp-accounting composes RR under REPLACE_ONE; the curve is the same one.
import math
from dp_accounting.rdp.rdp_privacy_accountant import NeighborRel


def rr_event(eps):
    return dp_accounting.RandomizedResponseDpEvent(noise_parameter=2 / (1 + math.exp(eps)), num_buckets=2)


def rr_rdp(eps, count):
    accountant = rdp.RdpAccountant(orders=ORDERS, neighboring_relation=NeighborRel.REPLACE_ONE)
    accountant.compose(rr_event(eps), count)
    return accountant._rdp


pure = []
for eps, count, delta in [(0.5, 1, 1e-5), (0.1, 50, 1e-6), (1.0, 10, 1e-5), (2.0, 3, 1e-6), (0.01, 1000, 1e-5)]:
    pure.append({"pure_epsilon": eps, "count": count, "delta": delta,
                 "epsilon": rdp.compute_epsilon(ORDERS, rr_rdp(eps, count), delta)[0]})
# Gaussian and pure ε-DP in one composition: RDP adds per order.
gaussian = rdp.RdpAccountant(orders=ORDERS)
gaussian.compose(dp_accounting.GaussianDpEvent(4.0), 5)
pure_mixed = {"sigma": 4.0, "gaussian_count": 5, "pure_epsilon": 0.5, "pure_count": 3, "delta": 1e-5,
              "epsilon": rdp.compute_epsilon(ORDERS, gaussian._rdp + rr_rdp(0.5, 3), 1e-5)[0]}
# The curve itself at a few orders (ε_α of one ε-DP mechanism).
curve = [{"pure_epsilon": eps, "order": ORDERS[i], "rdp": rr_rdp(eps, 1)[i]}
         for eps in [0.1, 1.0, 5.0] for i in [0, 3, 10, 69, 73]]

# Analytic Gaussian calibration (Balle and Wang 2018), from dp-accounting's mechanism calibration.
from dp_accounting import mechanism_calibration
analytic = []
for eps, delta in [] if "--pure" in sys.argv else [(1.0, 1e-5), (0.5, 1e-6), (4.0, 1e-5), (0.1, 1e-3)]:
    def make(sigma):
        return dp_accounting.GaussianDpEvent(sigma)
    # Tight (ε, δ) of one Gaussian by the PLD accountant, which is exact for it.
    sigma = mechanism_calibration.calibrate_dp_mechanism(
        lambda: dp_accounting.pld.PLDAccountant(), make, eps, delta,
        mechanism_calibration.LowerEndpointAndGuess(0.01, 1.0), tol=1e-6)
    analytic.append({"epsilon": eps, "delta": delta, "sigma": sigma})

print(json.dumps({"source": "dp-accounting " + getattr(dp_accounting, "__version__", "?"), "orders": ORDERS,
                  "cases": cases, "analytic_gaussian": analytic,
                  "pure": pure, "pure_mixed": pure_mixed, "pure_curve": curve}, indent=1))

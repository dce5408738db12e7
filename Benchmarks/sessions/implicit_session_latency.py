"""The peer for session latency: the implicit library folding a 5-item session into a 64-factor ALS
model of N items (recalculate_user=True) and taking the top 10, one thread. Prints one JSON line."""
import json, sys, time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits
import implicit
from implicit.cpu.als import AlternatingLeastSquares

items, factors, queries = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(3)
model = AlternatingLeastSquares(factors=factors, regularization=10.0, alpha=0.5, random_state=3)
model.item_factors = rng.standard_normal((items, factors)).astype(np.float32) * 0.1
model.user_factors = np.zeros((1, factors), dtype=np.float32)
times = []
with threadpool_limits(1):
    for q in range(queries):
        session = rng.choice(items, 5, replace=False)
        row = sp.csr_matrix((np.ones(5, dtype=np.float32), (np.zeros(5, dtype=np.int32), session)), shape=(1, items))
        started = time.perf_counter()
        model.recommend(0, row, N=10, recalculate_user=True, filter_already_liked_items=True)
        times.append((time.perf_counter() - started) * 1000)
times = sorted(times[100:])
print(json.dumps({"peer": "implicit " + implicit.__version__, "items": items, "p50": times[len(times) // 2],
                  "p99": times[min(len(times) - 1, int(len(times) * 0.99))]}))

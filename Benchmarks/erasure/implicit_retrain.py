"""The peer of the erasure benchmark: a full retrain by implicit (0.7.3) on the matrix Tact trained on.

Reads user,item,strength lines and Tact's JSON line (for factors, iterations and its erasure times),
trains implicit's CPU ALS with the same settings, and prints a table row and a JSON line with the ratio.
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits
import implicit

matrix_path, report_path = sys.argv[1], sys.argv[2]
tact = [json.loads(line) for line in open(report_path) if line.startswith("{")][-1]
data = np.loadtxt(matrix_path, delimiter=",", dtype=np.float64, ndmin=2)
users, items = int(data[:, 0].max()) + 1, int(data[:, 1].max()) + 1
m = sp.csr_matrix((data[:, 2].astype(np.float32), (data[:, 0].astype(np.int32), data[:, 1].astype(np.int32))), shape=(users, items))
with threadpool_limits(1, "blas"):
    model = implicit.cpu.als.AlternatingLeastSquares(factors=tact["factors"], iterations=tact["iterations"], regularization=0.05,
                                                     random_state=1, calculate_training_loss=False)
    start = time.perf_counter()
    model.fit(m, show_progress=False)
    seconds = time.perf_counter() - start
ratio = tact["erase_and_serve_ms_p50"] / (seconds * 1000)
print(f"full retrain without them (implicit 0.7.3) {seconds * 1000:9.1f}")
print(f"erase + serve p50 is {ratio:.4f}x the time of implicit's full retrain")
print(json.dumps({"benchmark": "erasure-peer", "commit": tact["commit"], "machine": tact["machine"], "peer": "implicit 0.7.3",
                  "implicit_full_retrain_ms": seconds * 1000, "erase_and_serve_p50_over_implicit_retrain": ratio}))

"""Peers on the split `quality` wrote: implicit's ALS and BPR, tuned on the same fit/validation split with
the same kind of grid, and cornac's BPR with Microsoft Recommenders' published settings. Each writes its
top-10 lists (row, tab, items) for `quality --score`, so every model is scored by the same code.

    python peers.py OUT_DIR
"""
import json, os, sys, time

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

out = sys.argv[1]
rows, cols = map(int, open(os.path.join(out, "shape.txt")).read().split())


def load(name):
    pairs = np.loadtxt(os.path.join(out, name), dtype=np.int64, ndmin=2)
    return sp.csr_matrix((np.ones(len(pairs), dtype=np.float32), (pairs[:, 0], pairs[:, 1])), shape=(rows, cols))


train, fit, validation = load("train.tsv"), load("fit.tsv"), load("validation.tsv")


def ndcg(lists, test):
    total, users = 0.0, 0
    for u in range(rows):
        relevant = set(test.indices[test.indptr[u]:test.indptr[u + 1]])
        if not relevant:
            continue
        dcg = sum(1 / np.log2(i + 2) for i, item in enumerate(lists.get(u, [])[:10]) if item in relevant)
        idcg = sum(1 / np.log2(i + 2) for i in range(min(10, len(relevant))))
        total, users = total + dcg / idcg, users + 1
    return total / users


def implicit_lists(model, data):
    ids, _ = model.recommend(np.arange(rows), data, N=10, filter_already_liked_items=True)
    return {u: [int(i) for i in ids[u] if i >= 0] for u in range(rows)}


def write(name, lists):
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    path = os.path.join(out, f"lists-{slug}.tsv")
    with open(path, "w") as f:
        for u in range(rows):
            f.write(f"{u}\t{','.join(map(str, lists.get(u, [])))}\n")
    return path


def tune(name, grid, make):
    from implicit.cpu.als import AlternatingLeastSquares  # noqa: F401  (imported for its side effect of loading BLAS once)
    started, best, tried = time.time(), None, []
    for settings in grid:
        model = make(**settings)
        model.fit(fit, show_progress=False)
        score = ndcg(implicit_lists(model, fit), validation)
        tried.append({**settings, "validation_ndcg@10": score})
        if best is None or score > best[1]:
            best = (settings, score)
    model = make(**best[0])
    model.fit(train, show_progress=False)
    path = write(name, implicit_lists(model, train))
    print(json.dumps({"model": name, "lists": path, "settings": best[0], "validation_ndcg@10": best[1], "tried": tried,
                      "seconds": time.time() - started}), flush=True)


with threadpool_limits(1, "blas"):
    import implicit
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.cpu.bpr import BayesianPersonalizedRanking
    als_grid = [dict(factors=f, regularization=r, alpha=a) for f in (64, 128) for r in (0.01, 1, 10, 50) for a in (1, 5, 20)]
    tune(f"implicit {implicit.__version__} ALS, tuned", als_grid,
         lambda factors, regularization, alpha: AlternatingLeastSquares(factors=factors, regularization=regularization, alpha=alpha,
                                                                       iterations=15, random_state=1))
    bpr_grid = [dict(factors=f, learning_rate=lr, regularization=r) for f in (64, 128) for lr in (0.01, 0.05) for r in (0.001, 0.01)]
    tune(f"implicit {implicit.__version__} BPR, tuned", bpr_grid,
         lambda factors, learning_rate, regularization: BayesianPersonalizedRanking(factors=factors, learning_rate=learning_rate,
                                                                                   regularization=regularization, iterations=100, random_state=1))

def cornac_lists(model, dataset):
    """Each person's top 10 of the items they have not rated, by the model's scores."""
    lists = {}
    for u in range(rows):
        inner = dataset.uid_map.get(str(u))
        if inner is None:
            continue
        scores = model.score(inner)
        seen = set(train.indices[train.indptr[u]:train.indptr[u + 1]])
        order = np.argsort(-scores)
        lists[u] = [int(dataset.item_ids[j]) for j in order if int(dataset.item_ids[j]) not in seen][:10]
    return lists


try:
    import cornac
    from cornac.models import BPR
    started = time.time()
    triples = [(str(u), str(i), 1.0) for u in range(rows) for i in train.indices[train.indptr[u]:train.indptr[u + 1]]]
    dataset = cornac.data.Dataset.from_uir(triples, seed=42)
    # Microsoft Recommenders' cornac BPR notebook: k 200, max_iter 100, learning_rate 0.01, lambda_reg 0.001, seed 123.
    model = BPR(k=200, max_iter=100, learning_rate=0.01, lambda_reg=0.001, seed=123, verbose=False)
    model.fit(dataset)
    path = write("cornac-bpr", cornac_lists(model, dataset))
    print(json.dumps({"model": f"cornac {cornac.__version__} BPR, Recommenders' settings", "lists": path,
                      "settings": {"k": 200, "max_iter": 100, "learning_rate": 0.01, "lambda_reg": 0.001}, "seconds": time.time() - started}), flush=True)
except Exception as error:  # noqa: BLE001  (a peer that cannot run is reported, not fatal)
    print(json.dumps({"model": "cornac BPR", "skipped": f"cornac did not run: {type(error).__name__}: {error}"}), flush=True)

# BiVAE needs PyTorch, which the quality venv does not install by default (several GB): run with a venv that
# has it (QUALITY_VENV in run.sh) to get this row; without it the row says why it was skipped.
try:
    import cornac
    import torch
    from cornac.models import BiVAECF
    started = time.time()
    triples = [(str(u), str(i), 1.0) for u in range(rows) for i in train.indices[train.indptr[u]:train.indptr[u + 1]]]
    dataset = cornac.data.Dataset.from_uir(triples, seed=42)
    torch.set_num_threads(int(os.environ.get("PEER_THREADS", "2")))
    # Microsoft Recommenders' cornac BiVAE deep-dive notebook: k 50, encoder [100], tanh, Poisson likelihood,
    # 500 epochs, batch 128, learning rate 0.001, seed 42.
    settings = dict(k=50, encoder_structure=[100], act_fn="tanh", likelihood="pois", n_epochs=500, batch_size=128, learning_rate=0.001)
    model = BiVAECF(**settings, seed=42, use_gpu=False, verbose=False)
    model.fit(dataset)
    path = write("cornac-bivae", cornac_lists(model, dataset))
    print(json.dumps({"model": f"cornac {cornac.__version__} BiVAE, Recommenders' settings", "lists": path,
                      "settings": settings, "seconds": time.time() - started}), flush=True)
except Exception as error:  # noqa: BLE001
    print(json.dumps({"model": "cornac BiVAE", "skipped": f"BiVAE did not run: {type(error).__name__}: {error}"}), flush=True)

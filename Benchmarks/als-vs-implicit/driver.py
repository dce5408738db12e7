"""iALS side by side: Tact against `implicit` (benfred, 0.7.3) on identical data, split and
hyperparameters. Run it through run.sh, which sets up the virtual environment and builds Tact.

    driver.py --ml100k DIR --tact PATH [--quick] [--out bench-out] [--only a,b,c] [--keep]

Datasets: (a) MovieLens 100K (value = rating), (b) a generated 1M-event log (70k people, 10k items),
(c) a generated 20M-event log (1M people, 100k items; skipped with --quick). (b) and (c) are
aggregated to unique (user, item) pairs whose value is the number of events that are not a skip or
a dislike (pairs with value 0 are dropped). (a) and (b) are split per user into train.csv and
test.csv; both engines read exactly those files. (c) only compares time per iteration and peak
memory, on all pairs.

Each implicit job runs in a fresh Python process, so its peak RSS is its own. Tact runs under
/usr/bin/time for an independent peak-RSS figure. Prints a table, the targets, then one JSON line,
and writes OUT/als-vs-implicit.svg.
"""
import argparse
import array
import csv
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Same for both engines.
PARAMS = {"factors": 64, "iterations": 15, "regularization": 0.01, "alpha": 1.0, "cg_steps": 3,
          "threads": 2, "k": 10, "seed": 1}
TEST_FRACTION_PERCENT = 20  # per user, rounded down
SPLIT_SEED = 1

DATASETS = {
    "a": {"name": "ml-100k", "label": "MovieLens 100K"},
    "b": {"name": "generated-1M", "label": "generated 70k x 10k, 1M events",
          "generate": {"users": 70000, "items": 10000, "interactions": 1000000, "seed": 1}},
    "c": {"name": "generated-20M", "label": "generated 1M x 100k, 20M events",
          "generate": {"users": 1000000, "items": 100000, "interactions": 20000000, "seed": 2}},
}

# Targets.
SPEED_TARGET = 0.5       # on (b): Tact s/iteration <= 0.5 x implicit's
QUALITY_TOLERANCE = 0.02  # on (a), (b): NDCG@10 and recall@10 within 2% (relative) of implicit's
MEMORY_TARGET = 1.5      # on (c): Tact peak <= 1.5 x (matrix + factors bytes)

NOT_COUNTED_KINDS = {"skip", "dislike"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Reading and aggregating events

def parse_timestamp(s):
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return int(float(s))
    except ValueError:
        pass
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = datetime.fromisoformat(s)
    if d.tzinfo is None:
        from datetime import timezone
        d = d.replace(tzinfo=timezone.utc)
    return int(d.timestamp())


class Index:
    """String ids to dense ints, in order of first appearance."""

    def __init__(self):
        self.ids = {}

    def names(self):
        out = np.empty(len(self.ids), dtype=object)
        for name, i in self.ids.items():
            out[i] = name
        return out

    def __len__(self):
        return len(self.ids)


def read_ml100k(path, users, items):
    """u.data: user \\t item \\t rating \\t timestamp. Returns event arrays."""
    u, i, v, t = array.array("i"), array.array("i"), array.array("d"), array.array("q")
    uids, iids = users.ids, items.ids
    with open(path, newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if not row:
                continue
            u.append(uids.setdefault(row[0], len(uids)))
            i.append(iids.setdefault(row[1], len(iids)))
            v.append(float(row[2]))
            t.append(parse_timestamp(row[3]))
    return (np.frombuffer(u, dtype=np.int32), np.frombuffer(i, dtype=np.int32),
            np.frombuffer(v, dtype=np.float64), np.frombuffer(t, dtype=np.int64))


def read_generated(path, users, items):
    """tact generate's interactions.csv (RFC 4180). Streams; returns event arrays with
    value 1 for an event that counts and 0 for a skip or dislike."""
    u, i, v, t = array.array("i"), array.array("i"), array.array("b"), array.array("q")
    uids, iids = users.ids, items.ids
    n = 0
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: k for k, name in enumerate(header)}
        cu, ci, ct, ck = col["user"], col["item"], col["timestamp"], col["kind"]
        for row in reader:
            u.append(uids.setdefault(row[cu], len(uids)))
            i.append(iids.setdefault(row[ci], len(iids)))
            v.append(0 if row[ck] in NOT_COUNTED_KINDS else 1)
            try:
                t.append(int(row[ct]))
            except ValueError:
                t.append(parse_timestamp(row[ct]))
            n += 1
            if n % 5_000_000 == 0:
                log(f"  read {n:,} events")
    return (np.frombuffer(u, dtype=np.int32), np.frombuffer(i, dtype=np.int32),
            np.frombuffer(v, dtype=np.int8), np.frombuffer(t, dtype=np.int64))


def aggregate(u, i, v, t, n_items, mode):
    """Unique (user, item) pairs, sorted by user then item. mode 'count': value = sum of v
    (pairs with 0 dropped); mode 'latest': value = v of the latest event. timestamp: the pair's
    latest event."""
    key = u.astype(np.int64) * n_items + i
    order = np.lexsort((t, key))  # by key, then time
    key, t = key[order], t[order]
    v = v[order]
    del order
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)] - 1
    ts = t[ends]  # sorted by time within a pair: the last is the latest
    if mode == "count":
        val = np.add.reduceat(v.astype(np.int64), starts)
    else:
        val = v[ends]
    pk = key[starts]
    keep = val > 0
    pk, val, ts = pk[keep], val[keep], ts[keep]
    return (pk // n_items).astype(np.int32), (pk % n_items).astype(np.int32), val, ts


def split(u, n_users, seed):
    """Per user, a seeded random 20% of that user's pairs (rounded down) go to test; users with
    fewer than 2 pairs keep everything in train. Returns a boolean test mask."""
    rng = np.random.default_rng(seed)
    r = rng.random(len(u))
    order = np.lexsort((r, u))
    counts = np.bincount(u, minlength=n_users)
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    uo = u[order]
    rank = np.arange(len(u)) - starts[uo]
    n_test = counts * TEST_FRACTION_PERCENT // 100
    n_test[counts < 2] = 0
    mask = np.zeros(len(u), dtype=bool)
    mask[order] = rank < n_test[uo]
    return mask


def write_pairs(path, unames, inames, u, i, v, t):
    integral = np.issubdtype(v.dtype, np.integer) or bool(np.all(v == np.floor(v)))
    vals = v.astype(np.int64) if integral else v
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["user", "item", "value", "timestamp"])
        step = 1_000_000
        for s in range(0, len(u), step):
            e = s + step
            w.writerows(zip(unames[u[s:e]].tolist(), inames[i[s:e]].tolist(),
                            vals[s:e].tolist(), t[s:e].tolist()))


def read_pairs(path, users, items):
    """train.csv / test.csv as written above, read back the way an engine would."""
    u, i, v = array.array("i"), array.array("i"), array.array("d")
    uids, iids = users.ids, items.ids
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: k for k, name in enumerate(header)}
        cu, ci, cv = col["user"], col["item"], col["value"]
        for row in reader:
            u.append(uids.setdefault(row[cu], len(uids)))
            i.append(iids.setdefault(row[ci], len(iids)))
            v.append(float(row[cv]))
    return (np.frombuffer(u, dtype=np.int32), np.frombuffer(i, dtype=np.int32),
            np.frombuffer(v, dtype=np.float64))


def save_csr(path, users, items, u, i, data, n_users, n_items):
    """CSR (users x items) with the given values, as implicit wants it, saved for a child."""
    import scipy.sparse as sp
    m = sp.csr_matrix((data.astype(np.float32), (u, i)), shape=(n_users, n_items))
    m.sum_duplicates()
    m.sort_indices()
    np.savez(path, data=m.data, indices=m.indices, indptr=m.indptr, shape=np.array(m.shape))
    return m.nnz


# ---------------------------------------------------------------------------------------------
# Running things

def run_measured(cmd, stdout_path, cwd=None, env=None):
    """Runs cmd, stdout to a file, stderr to stdout_path + '.err'. Returns (rc, wall seconds,
    ru_maxrss bytes from wait4, which includes this process's own peak: see implicit_child)."""
    t0 = time.perf_counter()
    with open(stdout_path, "wb") as out, open(stdout_path + ".err", "wb") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.perf_counter() - t0, ru.ru_maxrss * 1024


def last_json_line(path):
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                return None
    return None


def tail(path, n=1):
    try:
        lines = [l for l in open(path, errors="replace").read().splitlines() if l.strip()]
    except OSError:
        return ""
    return " | ".join(lines[-n:])[:200]


def head(path):
    try:
        lines = [l.strip() for l in open(path, errors="replace").read().splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[0][:160] if lines else ""


def child_env():
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    return env


def run_implicit(npz, test_npz, work, name, seed):
    cmd = [sys.executable, os.path.abspath(__file__), "_implicit", "--npz", npz, "--seed", str(seed)]
    if test_npz:
        cmd += ["--test-npz", test_npz]
    out = os.path.join(work, f"implicit-{name}.out")
    rc, wall, _ = run_measured(cmd, out, env=child_env())
    r = last_json_line(out)
    if rc != 0 or r is None:
        raise SystemExit(f"implicit failed on {name} (exit {rc}): {tail(out + '.err', 5)}")
    r["wall_seconds"] = wall
    return r


def median_run(runs):
    """Of several runs, the one with the median seconds per iteration, with every run's figure and
    the largest peak attached."""
    if not runs:
        return None
    ordered = sorted(runs, key=lambda r: r["seconds_per_iteration"])
    r = dict(ordered[(len(ordered) - 1) // 2])
    r["runs"] = len(runs)
    if len(runs) > 1:
        r["seconds_per_iteration_runs"] = [x["seconds_per_iteration"] for x in runs]
        for k in ("peak_rss_bytes", "peak_rss_bytes_time", "ru_maxrss_bytes", "peak_memory_bytes"):
            if all(x.get(k) is not None for x in runs):
                r[k] = max(x[k] for x in runs)
    return r


def mean_metrics(row, runs):
    """Accuracy averaged over the runs (one seed each): a single seed moves recall@10 on MovieLens 100K
    by about 1%, as much as the tolerance being checked. Timings stay the median run's."""
    keys = ("precision", "recall", "ndcg", "map", "auc", "hit_rate", "coverage")
    for k in keys:
        values = [x[k] for x in runs if x.get(k) is not None]
        if len(values) == len(runs) and values:
            row[k + "_runs"] = values
            row[k] = float(np.mean(values))
    row["seeds"] = [PARAMS["seed"] + n for n in range(len(runs))]
    return row


def tact_args(command, train, test, seed):
    p = PARAMS
    common = ["--algorithm", "als", "--factors", str(p["factors"]), "--iterations", str(p["iterations"]),
              "--regularization", str(p["regularization"]), "--alpha", "1", "--cg-steps", str(p["cg_steps"]),
              "--threads", str(p["threads"])]
    if command == "evaluate":
        return ["evaluate", "--train", train, "--test", test] + common + ["--k", str(p["k"]), "--seed", str(seed), "--json"]
    return ["train", "--from", train] + common + ["--seed", str(seed), "--json"]


def run_tact(tact, command, train, test, work, name, seed):
    """Returns a result dict, or {'available': False, 'reason': ...}."""
    if not tact or not os.access(tact, os.X_OK):
        return {"available": False, "reason": f"no binary at {tact}"}
    out = os.path.join(work, f"tact-{name}.out")
    timefile = os.path.join(work, f"tact-{name}.time")
    cmd = [tact] + tact_args(command, train, test, seed)
    use_time = os.access("/usr/bin/time", os.X_OK)
    if use_time:
        cmd = ["/usr/bin/time", "-f", "%M %e", "-o", timefile] + cmd
    log(f"  tact {' '.join(tact_args(command, os.path.basename(train), os.path.basename(test or ''), seed))}")
    rc, wall, _ = run_measured(cmd, out, cwd=work)
    r = last_json_line(out)
    if rc != 0 or r is None or "seconds_per_iteration" not in r:
        reason = head(out + ".err") or head(out) or "no JSON line on stdout"
        return {"available": False, "reason": f"exit {rc}: {reason}"}
    r = dict(r)
    r["available"] = True
    r["wall_seconds"] = wall
    if use_time:
        try:
            kib, elapsed = open(timefile).read().split()[-2:]
            r["peak_rss_bytes_time"] = int(kib) * 1024
            r["wall_seconds"] = float(elapsed)
        except (OSError, ValueError):
            pass
    # /usr/bin/time forks Tact from its own small image, so its figure is Tact's alone. Without it,
    # Tact's own report (wait4 on a child of this large process would include this process's peak).
    r["peak_rss_bytes"] = r.get("peak_rss_bytes_time", r.get("peak_memory_bytes"))
    return r


def tact_generate(tact, spec, out_dir, work):
    if not tact or not os.access(tact, os.X_OK):
        return f"no Tact binary at {tact}"
    cmd = [tact, "generate", "--users", str(spec["users"]), "--items", str(spec["items"]),
           "--interactions", str(spec["interactions"]), "--seed", str(spec["seed"]), "--out", out_dir]
    log(f"  {' '.join(cmd[1:])}")
    p = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    if p.returncode != 0 or not os.path.exists(os.path.join(out_dir, "interactions.csv")):
        return f"tact generate failed (exit {p.returncode}): {p.stderr.strip()[:200]}"
    return None


# ---------------------------------------------------------------------------------------------
# The implicit child: a fresh process per job

def vm_status(field):
    try:
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def implicit_child(args):
    import scipy.sparse as sp
    import threadpoolctl

    d = np.load(args.npz)
    shape = tuple(int(x) for x in d["shape"])
    train = sp.csr_matrix((d["data"], d["indices"], d["indptr"]), shape=shape)
    test = None
    if args.test_npz:
        t = np.load(args.test_npz)
        test = sp.csr_matrix((t["data"], t["indices"], t["indptr"]), shape=shape)
    rss_loaded = vm_status("VmRSS")

    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k
    import implicit

    p = PARAMS
    result = {"engine": "implicit", "implicit_version": implicit.__version__}
    with threadpoolctl.threadpool_limits(1, "blas"):
        result["blas"] = [{k: api.get(k) for k in ("user_api", "internal_api", "version", "architecture", "num_threads", "filepath")}
                          for api in threadpoolctl.threadpool_info()]
        model = AlternatingLeastSquares(factors=p["factors"], iterations=p["iterations"],
                                        regularization=p["regularization"], alpha=p["alpha"],
                                        use_cg=True, num_threads=p["threads"], random_state=args.seed)
        assert model.cg_steps == p["cg_steps"], model.cg_steps
        per_iteration, hwm = [], []

        def callback(iteration, elapsed, loss):
            per_iteration.append(elapsed)
            hwm.append(vm_status("VmHWM"))

        t0 = time.perf_counter()
        model.fit(train, show_progress=False, callback=callback)
        fit_seconds = time.perf_counter() - t0
        result.update({
            "seconds_per_iteration": sum(per_iteration) / len(per_iteration),
            "seconds_per_iteration_median": float(np.median(per_iteration)),
            "iteration_seconds": per_iteration,
            "peak_rss_bytes_after_each_iteration": hwm,
            "fit_seconds": fit_seconds,
            "fit_seconds_per_iteration": fit_seconds / p["iterations"],
            "users": shape[0], "items": shape[1], "nonzeros": int(train.nnz),
        })
        if test is not None:
            t0 = time.perf_counter()
            m = ranking_metrics_at_k(model, train, test, K=p["k"], show_progress=False, num_threads=p["threads"])
            result["implicit_metrics"] = {k: float(v) for k, v in m.items()}
            result.update(own_metrics(model, train, test, p["k"]))
            result["ndcg"] = result["implicit_metrics"]["ndcg"]
            result["map"] = result["implicit_metrics"]["map"]
            result["auc"] = result["implicit_metrics"]["auc"]
            result["evaluate_seconds"] = time.perf_counter() - t0
    result["rss_after_load_bytes"] = rss_loaded
    result["rss_at_end_bytes"] = vm_status("VmRSS")
    # Peak RSS: VmHWM, this process's own high-water mark since exec. getrusage's ru_maxrss is not
    # used for the figure: Linux folds the high-water mark of the image replaced by exec into it,
    # and this process was spawned (vfork + exec) by the driver, which holds the whole dataset, so
    # ru_maxrss reports the driver's peak whenever that is larger. Kept in the JSON for reference.
    result["peak_rss_bytes"] = vm_status("VmHWM")
    result["ru_maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def own_metrics(model, train, test, K):
    """recall@K, hit rate@K, precision@K (hits / K), NDCG@K and MAP@K (as implicit defines them),
    and catalog coverage, from model.recommend(userids, train[userids], N=K,
    filter_already_liked_items=True) for every user with test items."""
    n_items = train.shape[1]
    test_counts = np.diff(test.indptr)
    users = np.flatnonzero(test_counts > 0)
    test_keys = np.repeat(np.arange(test.shape[0], dtype=np.int64), test_counts) * n_items + test.indices
    discount = 1.0 / np.log2(np.arange(2, K + 2))
    idcg = np.cumsum(discount)
    hits_total = recall = hit_rate = precision = ndcg = ap = 0.0
    recommended = np.zeros(n_items, dtype=bool)
    for s in range(0, len(users), 10000):
        batch = users[s:s + 10000]
        ids, _ = model.recommend(batch, train[batch], N=K, filter_already_liked_items=True)
        ids = np.asarray(ids)
        valid = ids >= 0
        recommended[ids[valid]] = True
        keys = batch[:, None].astype(np.int64) * n_items + ids
        hits = np.isin(keys, test_keys) & valid
        n_test = test_counts[batch]
        h = hits.sum(1)
        hits_total += h.sum()
        recall += (h / n_test).sum()
        hit_rate += (h > 0).sum()
        precision += (h / K).sum()
        denom = np.minimum(K, n_test)
        ndcg += ((hits * discount).sum(1) / idcg[denom - 1]).sum()
        ap += ((np.cumsum(hits, 1) / np.arange(1, K + 1) * hits).sum(1) / denom).sum()
    n = len(users)
    trained_items = int((np.diff(train.tocsc().indptr) > 0).sum())
    return {"eval_users": int(n), "recall": recall / n, "hit_rate": hit_rate / n, "precision": precision / n,
            "own_ndcg": ndcg / n, "own_map": ap / n,
            "coverage": int(recommended.sum()) / max(trained_items, 1)}


def confidence_child(args):
    import threadpoolctl
    with threadpoolctl.threadpool_limits(1, "blas"):
        _confidence_check()


def _confidence_check():
    """Checks on a small problem how implicit's native CG solver treats stored values: it should
    converge to the exact minimiser of sum_i c_ui (1 - x.y_i)^2 + lambda |x|^2 over observed items
    plus sum_i (0 - x.y_i)^2 over the others, with c_ui the stored value itself (not 1 + value)."""
    import scipy.sparse as sp
    from implicit.cpu import _als
    from implicit.cpu.als import AlternatingLeastSquares
    rng = np.random.default_rng(0)
    n_users, n_items, f, lam = 5, 40, 8, 0.1
    dense = (rng.random((n_users, n_items)) < 0.3) * rng.integers(1, 6, (n_users, n_items))
    C = sp.csr_matrix(dense.astype(np.float32))
    Y = rng.normal(size=(n_items, f)).astype(np.float32)
    X = np.zeros((n_users, f), dtype=np.float32)
    _als.least_squares_cg(C, X, Y, lam, num_threads=1, cg_steps=200)
    worst_full = worst_plus_one = 0.0
    for u in range(n_users):
        c = dense[u].astype(np.float64)
        p = (c > 0).astype(np.float64)
        for conf, name in ((np.where(c > 0, c, 1.0), "full"), (np.where(c > 0, 1.0 + c, 1.0), "plus_one")):
            A = Y.T.astype(np.float64) @ (conf[:, None] * Y) + lam * np.eye(f)
            x = np.linalg.solve(A, Y.T.astype(np.float64) @ (conf * p))
            diff = float(np.abs(x - X[u]).max() / (np.abs(x).max() + 1e-12))
            if name == "full":
                worst_full = max(worst_full, diff)
            else:
                worst_plus_one = max(worst_plus_one, diff)
    # alpha: fit multiplies the matrix by alpha unless alpha == 1.0
    seen = {}
    for a in (1.0, 2.0):
        m = AlternatingLeastSquares(factors=4, iterations=1, alpha=a, regularization=lam, random_state=0)
        orig = _als.least_squares_cg
        def spy(Cui, *rest, **kw):
            seen.setdefault(a, float(Cui.data.max()))
            return orig(Cui, *rest, **kw)
        import implicit.cpu.als as als_module
        als_module._als.least_squares_cg = spy
        try:
            m.fit(C, show_progress=False)
        finally:
            als_module._als.least_squares_cg = orig
    print(json.dumps({"rel_diff_if_value_is_full_confidence": worst_full,
                      "rel_diff_if_confidence_is_1_plus_value": worst_plus_one,
                      "max_stored_value": float(C.data.max()),
                      "max_value_seen_by_solver": {str(k): v for k, v in seen.items()}}))


# ---------------------------------------------------------------------------------------------
# Preparing datasets

def prepare(key, args, work):
    """Returns a dataset record with paths and sizes, or one with 'error'."""
    spec = DATASETS[key]
    d = {"key": key, "name": spec["name"], "label": spec["label"]}
    ddir = os.path.join(work, spec["name"])
    os.makedirs(ddir, exist_ok=True)
    users, items = Index(), Index()
    t0 = time.perf_counter()
    if key == "a":
        path = os.path.join(args.ml100k, "u.data")
        if not os.path.exists(path):
            d["error"] = f"no MovieLens 100K at {args.ml100k}"
            return d
        log(f"[{spec['name']}] reading {path}")
        u, i, v, t = read_ml100k(path, users, items)
        d["events"] = len(u)
        u, i, v, t = aggregate(u, i, v, t, len(items), "latest")
    else:
        gen = os.path.join(ddir, "gen")
        log(f"[{spec['name']}] generating")
        err = tact_generate(args.tact, spec["generate"], gen, work)
        if err:
            d["error"] = err
            return d
        log(f"[{spec['name']}] reading {gen}/interactions.csv")
        u, i, v, t = read_generated(os.path.join(gen, "interactions.csv"), users, items)
        d["events"] = len(u)
        d["events_counted"] = int(v.sum())
        u, i, v, t = aggregate(u, i, v, t, len(items), "count")
        shutil.rmtree(gen, ignore_errors=True)
    d["pairs"] = len(u)
    d["users"] = int(len(np.unique(u)))
    d["items"] = int(len(np.unique(i)))
    unames, inames = users.names(), items.names()
    d["train"] = os.path.join(ddir, "train.csv")
    if key == "c":
        write_pairs(d["train"], unames, inames, u, i, v, t)
        d["train_pairs"] = len(u)
    else:
        mask = split(u, len(users), SPLIT_SEED)
        d["test"] = os.path.join(ddir, "test.csv")
        write_pairs(d["train"], unames, inames, u[~mask], i[~mask], v[~mask], t[~mask])
        write_pairs(d["test"], unames, inames, u[mask], i[mask], v[mask], t[mask])
        d["train_pairs"] = int((~mask).sum())
        d["test_pairs"] = int(mask.sum())
        d["test_users"] = int(len(np.unique(u[mask])))
    del u, i, v, t, unames, inames, users, items
    d["prepare_seconds"] = time.perf_counter() - t0

    # Read the files back, as an engine would, into the CSR matrices implicit gets.
    users, items = Index(), Index()
    tu, ti, tv = read_pairs(d["train"], users, items)
    n_train_items = len(items)
    if key != "c":
        su, si, sv = read_pairs(d["test"], users, items)
        d["test_only_items"] = len(items) - n_train_items
    n_users, n_items = len(users), len(items)
    conf = 1.0 + PARAMS["alpha"] * tv  # Tact's confidence, given to implicit as the stored value
    d["npz_train"] = os.path.join(ddir, "train.npz")
    d["nonzeros"] = save_csr(d["npz_train"], users, items, tu, ti, conf, n_users, n_items)
    d["matrix_users"], d["matrix_items"] = n_users, n_items
    d["train_users"] = int(len(np.unique(tu)))
    d["train_items"] = n_train_items
    if key != "c":
        d["npz_test"] = os.path.join(ddir, "test.npz")
        save_csr(d["npz_test"], users, items, su, si, np.ones(len(su)), n_users, n_items)
    f = PARAMS["factors"]
    d["matrix_plus_factors_bytes"] = d["nonzeros"] * (4 + 4) + (n_users + 1) * 8 + (n_users + n_train_items) * f * 4
    log(f"[{spec['name']}] {d['pairs']:,} pairs, {d['users']:,} users, {d['items']:,} items; "
        f"train {d['train_pairs']:,}" + (f", test {d['test_pairs']:,}" if key != "c" else ""))
    return d


# ---------------------------------------------------------------------------------------------
# Reporting

def fmt(x, spec, none="-"):
    return none if x is None else format(x, spec)


def rel(a, b):
    return (a - b) / b if b else None


def machine():
    cpu = None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu or platform.processor() or platform.machine(), "cores": os.cpu_count()}


def commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_svg(path, rows, datasets, title_note):
    groups = [d for d in datasets if any(r["dataset"] == d["name"] for r in rows)]
    colors = {"tact": "#2b6cb0", "implicit": "#a0aec0"}
    width, left, top, bar = 760, 190, 64, 24
    height = top + sum(2 * bar + 30 for _ in groups) - 10
    esc = lambda s: str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14" font-weight="bold">iALS: seconds per iteration (lower is better), Tact vs implicit 0.7.3</text>',
           f'<text x="10" y="37" fill="#555">{esc(title_note)}</text>',
           '<text x="10" y="52" fill="#555">64 factors, 3 CG steps, 2 threads; bars scaled within each dataset; NDCG@10 on the held-out 20%</text>']
    y = top
    for d in groups:
        rs = [r for r in rows if r["dataset"] == d["name"]]
        peak = max((r.get("seconds_per_iteration") or 0) for r in rs) or 1
        svg.append(f'<text x="10" y="{y + bar + 2}" font-weight="bold">{esc(d["name"])}</text>')
        for engine in ("tact", "implicit"):
            r = next((r for r in rs if r["engine"] == engine), None)
            if r is None:
                continue
            if not r.get("available"):
                svg.append(f'<text x="{left}" y="{y + bar - 8}" fill="#c53030">{engine}: not available</text>')
            else:
                s = r["seconds_per_iteration"]
                w = (width - left - 260) * s / peak
                label = f"{s:.4g} s ({engine})"
                if r.get("ratio_vs_implicit"):
                    label = f"{s:.4g} s ({engine}, {r['ratio_vs_implicit']:.2f}x implicit's)"
                if r.get("ndcg") is not None:
                    label += f", NDCG@10 {r['ndcg']:.4f}"
                svg.append(f'<rect x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{bar - 4}" fill="{colors[engine]}"/>')
                svg.append(f'<text x="{left + w + 6:.1f}" y="{y + bar - 8}">{esc(label)}</text>')
            y += bar
        y += 30
    svg.append("</svg>")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")


def report(datasets, rows, blas, confidence, out_dir, quick, load):
    mach, sha = machine(), commit()
    load_end = os.getloadavg()
    by = {(r["dataset"], r["engine"]): r for r in rows}
    for r in rows:
        if r["engine"] == "tact" and r.get("available"):
            peer = by.get((r["dataset"], "implicit"))
            if peer and peer.get("seconds_per_iteration"):
                r["ratio_vs_implicit"] = r["seconds_per_iteration"] / peer["seconds_per_iteration"]

    print()
    print(f"iALS, Tact vs implicit 0.7.3 — commit {sha}, {mach['cpu']}, {mach['cores']} cores")
    p = PARAMS
    print(f"factors {p['factors']}, iterations {p['iterations']}, regularization {p['regularization']}, "
          f"alpha {p['alpha']} (confidence 1 + alpha*value), CG {p['cg_steps']} steps, {p['threads']} threads, K={p['k']}")
    print(f"load average (1 min) at start {load[0]:.2f}, at end {load_end[0]:.2f}"
          + ("  — other work was running: timings are noisy, rerun with RUNS=3" if load[0] > 0.5 else ""))
    for api in blas:
        if api.get("user_api") == "blas":
            print(f"BLAS (implicit's process, threadpoolctl): {api.get('internal_api')} {api.get('version')}, "
                  f"kernel {api.get('architecture')}, {api.get('num_threads')} thread(s), {os.path.basename(api.get('filepath') or '')}")
    if confidence:
        print(f"implicit's confidence check: relative error if stored value = full confidence c: "
              f"{confidence['rel_diff_if_value_is_full_confidence']:.1e}; if c = 1 + value: "
              f"{confidence['rel_diff_if_confidence_is_1_plus_value']:.1e}")
    for d in datasets:
        if d.get("error"):
            print(f"{d['name']}: skipped — {d['error']}")
        else:
            extra = f", test {d['test_pairs']:,} pairs of {d['test_users']:,} users" if "test_pairs" in d else ""
            print(f"{d['name']}: {d['events']:,} events -> {d['pairs']:,} pairs ({d['users']:,} users, {d['items']:,} items); "
                  f"train {d['train_pairs']:,}{extra}")
    print()
    hdr = (f"{'dataset':<14} {'engine':<9} {'s/iter':>8} {'tact/impl':>9} {'NDCG@10':>8} {'recall@10':>9} "
           f"{'prec@10':>8} {'MAP@10':>8} {'hit@10':>7} {'peak MiB':>9} {'mat+fac MiB':>11} {'peak/(m+f)':>10}")
    print(hdr)
    print("-" * len(hdr))
    dmap = {d["name"]: d for d in datasets}
    for r in rows:
        d = dmap[r["dataset"]]
        if not r.get("available"):
            print(f"{r['dataset']:<14} {r['engine']:<9} {r['engine']}: not available ({r.get('reason', '')})")
            continue
        mf = d.get("matrix_plus_factors_bytes") if d["key"] == "c" else None
        peak = r.get("peak_rss_bytes")
        ratio = r.get("ratio_vs_implicit")
        cells = [fmt(r.get("seconds_per_iteration"), ".4f"), fmt(ratio, ".2f") + "x" if ratio else "-",
                 fmt(r.get("ndcg"), ".4f"), fmt(r.get("recall"), ".4f"), fmt(r.get("precision"), ".4f"),
                 fmt(r.get("map"), ".4f"), fmt(r.get("hit_rate"), ".4f"),
                 fmt(peak / 2**20 if peak else None, ".1f"), fmt(mf / 2**20 if mf else None, ".1f"),
                 fmt(peak / mf, ".2f") + "x" if (mf and peak) else "-"]
        widths = [8, 9, 8, 9, 8, 8, 7, 9, 11, 10]
        print(f"{r['dataset']:<14} {r['engine']:<9} " + " ".join(c.rjust(w) for c, w in zip(cells, widths)))
    for r in rows:  # the two engines should have seen the same problem
        peer = by.get((r["dataset"], "implicit"))
        if r["engine"] != "tact" or not r.get("available") or not peer:
            continue
        for mine, theirs in (("users", "eval_users" if "eval_users" in peer else "users"), ("items", "items"), ("nonzeros", "nonzeros")):
            if r.get(mine) is not None and peer.get(theirs) is not None and r[mine] != peer[theirs]:
                print(f"note: {r['dataset']}: Tact reports {mine} {r[mine]:,}, implicit's side {peer[theirs]:,}")
    print()
    print("s/iter: mean over the 15 iterations (implicit: from fit's callback, both half-steps of each "
          "iteration; Tact: its own seconds_per_iteration). peak: whole-process max RSS "
          "(implicit: VmHWM of its fresh process, which loads the prepared CSR; Tact: /usr/bin/time, CSV parsing included).")
    print("prec@10 is hits/10 for both; implicit's own 'precision' (hits / min(10, |test|), pooled) is in the JSON.")

    # Targets
    targets = []
    def target(name, value, ok, detail):
        targets.append({"target": name, "met": ok, "value": value, "detail": detail})

    def not_run(ds):
        return (dmap.get(ds) or {}).get("error") or "dataset not run"

    t, i = by.get(("generated-1M", "tact")), by.get(("generated-1M", "implicit"))
    if i is None:
        target("generated-1M: Tact s/iteration <= 0.5x implicit's", None, None, not_run("generated-1M"))
    elif not (t and t.get("available")):
        target("generated-1M: Tact s/iteration <= 0.5x implicit's", None, None, "tact not available")
    else:
        ratio = t["ratio_vs_implicit"]
        target("generated-1M: Tact s/iteration <= 0.5x implicit's", ratio, ratio <= SPEED_TARGET, f"{ratio:.2f}x")
    for ds in ("ml-100k", "generated-1M"):
        t, i = by.get((ds, "tact")), by.get((ds, "implicit"))
        for metric, label in (("ndcg", "NDCG@10"), ("recall", "recall@10")):
            name = f"{ds}: {label} within 2% of implicit's"
            if i is None:
                target(name, None, None, not_run(ds))
            elif not (t and t.get("available")) or t.get(metric) is None:
                target(name, None, None, "tact not available")
            else:
                diff = rel(t[metric], i[metric])
                target(name, diff, abs(diff) <= QUALITY_TOLERANCE,
                       f"Tact {t[metric]:.4f} vs implicit {i[metric]:.4f} ({diff:+.1%})")
    name = "generated-20M: Tact peak <= 1.5x (matrix + factors)"
    t, d = by.get(("generated-20M", "tact")), dmap.get("generated-20M")
    if d is None or d.get("error"):
        target(name, None, None, "skipped (--quick)" if quick else (d or {}).get("error", "dataset not run"))
    elif not (t and t.get("available")):
        target(name, None, None, "tact not available")
    elif not t.get("peak_rss_bytes"):
        target(name, None, None, "no peak figure for Tact")
    else:
        m = t["peak_rss_bytes"] / d["matrix_plus_factors_bytes"]
        target(name, m, m <= MEMORY_TARGET, f"{t['peak_rss_bytes'] / 2**20:.0f} MiB = {m:.2f}x of "
               f"{d['matrix_plus_factors_bytes'] / 2**20:.0f} MiB")
    print()
    print("Targets:")
    for x in targets:
        status = "met" if x["met"] else ("not met" if x["met"] is False else "n/a")
        print(f"  {status:<8} {x['target']}: {x['detail']}")

    svg = os.path.join(out_dir, "als-vs-implicit.svg")
    write_svg(svg, rows, datasets, f"commit {sha}; {mach['cpu']}, {mach['cores']} cores")
    print(f"\nchart: {svg}")
    clean = []
    for r in rows:
        clean.append({k: v for k, v in r.items() if k not in ("blas",)})
    summary = {"benchmark": "als-vs-implicit", "commit": sha, "machine": mach,
               "python": platform.python_version(), "params": PARAMS,
               "load_average_1min": {"start": load[0], "end": load_end[0]},
               "split": {"test_percent_per_user": TEST_FRACTION_PERCENT, "seed": SPLIT_SEED},
               "blas": blas, "implicit_confidence_check": confidence,
               "datasets": [{k: v for k, v in d.items() if k not in ("train", "test", "npz_train", "npz_test")} for d in datasets],
               "results": clean, "targets": targets}
    print(json.dumps(summary))


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ml100k", default=os.path.join(REPO, "..", "shared", "data", "ml-100k"))
    ap.add_argument("--tact", default=os.environ.get("TACT", os.path.join(REPO, ".build", "release", "tact")))
    ap.add_argument("--quick", action="store_true", help="skip the 20M-event dataset (c)")
    ap.add_argument("--only", default="a,b,c", help="datasets to run, of a,b,c (default all)")
    ap.add_argument("--out", default=os.path.join(REPO, "bench-out"))
    ap.add_argument("--keep", action="store_true", help="keep the work directory (train/test files)")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "1")),
                    help="runs of each engine per dataset, interleaved; the median s/iteration is reported")
    args = ap.parse_args()
    args.tact = os.path.abspath(args.tact) if args.tact else None
    args.ml100k = os.path.abspath(args.ml100k)
    keys = [k for k in args.only.split(",") if k in DATASETS]
    if args.quick and "c" in keys:
        keys.remove("c")

    load = os.getloadavg()
    work = tempfile.mkdtemp(prefix="als-vs-implicit-")
    log(f"work directory: {work}")
    try:
        out = os.path.join(work, "confidence.out")
        rc, _, _ = run_measured([sys.executable, os.path.abspath(__file__), "_confidence"], out, env=child_env())
        confidence = last_json_line(out) if rc == 0 else None
        if confidence is None:
            log(f"confidence check failed: {tail(out + '.err', 5)}")

        datasets, rows, blas = [], [], []
        for key in keys:
            d = prepare(key, args, work)
            datasets.append(d)
            if d.get("error"):
                log(f"[{d['name']}] skipped: {d['error']}")
                continue
            evaluate = key != "c"
            implicit_runs, tact_runs = [], []
            for n in range(args.runs):
                suffix = f" (run {n + 1} of {args.runs})" if args.runs > 1 else ""
                log(f"[{d['name']}] implicit, fresh process{suffix}")
                seed = PARAMS["seed"] + n   # each run its own seed, the same for both engines
                r = run_implicit(d["npz_train"], d.get("npz_test"), work, d["name"], seed)
                blas = blas or r.get("blas", [])
                r.pop("blas", None)
                implicit_runs.append(r)
                log(f"[{d['name']}] implicit: {r['seconds_per_iteration']:.4f} s/iteration" +
                    (f", NDCG@10 {r['ndcg']:.4f}, recall@10 {r['recall']:.4f}" if evaluate else ""))
                log(f"[{d['name']}] tact{suffix}")
                t = run_tact(args.tact, "evaluate" if evaluate else "train", d["train"], d.get("test"), work, d["name"], seed)
                tact_runs.append(t)
                if not t.get("available"):
                    log(f"[{d['name']}] tact: not available ({t['reason']})")
                else:
                    log(f"[{d['name']}] tact: {t['seconds_per_iteration']:.4f} s/iteration" +
                        (f", NDCG@10 {t['ndcg']:.4f}, recall@10 {t['recall']:.4f}" if evaluate and t.get("ndcg") is not None else ""))
            r = mean_metrics(median_run(implicit_runs), implicit_runs)
            r.update({"dataset": d["name"], "engine": "implicit", "available": True})
            available = [x for x in tact_runs if x.get("available")]
            t = mean_metrics(median_run(available), available) if available else tact_runs[-1]
            t.update({"dataset": d["name"], "engine": "tact"})
            rows += [t, r]
            if not args.keep:
                for f in os.listdir(os.path.join(work, d["name"])):
                    os.remove(os.path.join(work, d["name"], f))
        report(datasets, rows, blas, confidence, args.out, args.quick, load)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_implicit":
        ap = argparse.ArgumentParser()
        ap.add_argument("_implicit")
        ap.add_argument("--npz", required=True)
        ap.add_argument("--test-npz")
        ap.add_argument("--seed", type=int, default=PARAMS["seed"])
        implicit_child(ap.parse_args())
    elif len(sys.argv) > 1 and sys.argv[1] == "_confidence":
        confidence_child(None)
    else:
        main()

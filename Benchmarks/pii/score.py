#!/usr/bin/env python3
"""Scores PII predictions against the labelled corpus.

    score.py GOLD PRED [--json] [--min-score X]
    score.py --self-check GOLD

GOLD: corpus lines {"text": ..., "entities": [{"type", "start", "end"}]}. PRED: one line per gold line, in the
same order, {"findings": [{"type", "start", "end", "score"}]} (offsets in Unicode scalars, end exclusive).

Matching rule: within one line, a predicted span is a true positive when it has the same type as a gold span
that no earlier prediction has matched, and the two overlap by at least half the length of the longer of
the two: overlap >= 0.5 * max(len(pred), len(gold)). Predictions are taken in order of start (then end);
each takes the still-unmatched gold span of its type with the largest overlap (the earliest on a tie). A
prediction that matches nothing is a false positive (so is a second prediction of an already matched gold
span); a gold span left unmatched is a false negative. Predicted types outside the corpus's twelve are not
false positives: they are counted per type as "ignored". Predictions whose offsets fall outside the text
count as "invalid" and as false positives.

Prints a table of per-type precision, recall and F1 with overall micro (pooled counts) and macro (mean of
per-type F1) figures; --json prints one JSON object instead. --self-check scores GOLD against itself
(every type must come out at F1 1.0) and checks the matching rule on hand-made cases.
"""
import argparse
import json
import sys

TYPES = ["EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "MAC_ADDRESS", "US_SSN", "URL", "DATE",
         "CRYPTO", "PERSON", "STREET_ADDRESS"]


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_line(gold, pred):
    """gold, pred: lists of (type, start, end). Returns {type: [tp, fp, fn]} for this line."""
    counts = {}
    matched = [False] * len(gold)
    for ptype, ps, pe in sorted(pred, key=lambda p: (p[1], p[2], p[0])):
        best, best_ov = None, 0
        for i, (gtype, gs, ge) in enumerate(gold):
            if matched[i] or gtype != ptype:
                continue
            ov = overlap((ps, pe), (gs, ge))
            if ov > 0 and 2 * ov >= max(pe - ps, ge - gs) and ov > best_ov:
                best, best_ov = i, ov
        c = counts.setdefault(ptype, [0, 0, 0])
        if best is None:
            c[1] += 1
        else:
            matched[best] = True
            c[0] += 1
    for i, (gtype, _, _) in enumerate(gold):
        if not matched[i]:
            counts.setdefault(gtype, [0, 0, 0])[2] += 1
    return counts


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score(gold_rows, pred_rows, min_score=None):
    if len(gold_rows) != len(pred_rows):
        raise SystemExit(f"score.py: {len(gold_rows)} gold lines but {len(pred_rows)} prediction lines")
    totals = {t: [0, 0, 0] for t in TYPES}
    ignored, invalid = {}, 0
    for lineno, (g, p) in enumerate(zip(gold_rows, pred_rows), 1):
        text_len = len(g["text"])
        gold = [(e["type"], e["start"], e["end"]) for e in g["entities"]]
        pred = []
        for f in p.get("findings", []):
            t = f.get("type")
            if t not in totals:
                ignored[t] = ignored.get(t, 0) + 1
                continue
            if min_score is not None and f.get("score", 1.0) < min_score:
                continue
            s, e = f.get("start"), f.get("end")
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= text_len):
                invalid += 1
                totals[t][1] += 1
                continue
            pred.append((t, s, e))
        for t, (tp, fp, fn) in match_line(gold, pred).items():
            c = totals[t]
            c[0] += tp
            c[1] += fp
            c[2] += fn
    per_type = {}
    for t in TYPES:
        tp, fp, fn = totals[t]
        p, r, f = prf(tp, fp, fn)
        per_type[t] = {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}
    tp, fp, fn = (sum(c[i] for c in totals.values()) for i in range(3))
    p, r, f = prf(tp, fp, fn)
    present = [t for t in TYPES if per_type[t]["support"] > 0]
    macro = sum(per_type[t]["f1"] for t in present) / len(present) if present else 0.0
    return {"lines": len(gold_rows), "per_type": per_type,
            "micro": {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn},
            "macro_f1": macro, "ignored": dict(sorted(ignored.items(), key=lambda kv: str(kv[0]))), "invalid": invalid}


def print_table(result, out=sys.stdout):
    print(f"{'type':<15} {'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>6} {'FN':>6}", file=out)
    for t, m in result["per_type"].items():
        print(f"{t:<15} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:6d} {m['fp']:6d} {m['fn']:6d}", file=out)
    m = result["micro"]
    print(f"{'micro':<15} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:6d} {m['fp']:6d} {m['fn']:6d}", file=out)
    print(f"{'macro F1':<15} {'':6} {'':6} {result['macro_f1']:6.3f}", file=out)
    if result["ignored"]:
        print("ignored (types outside the corpus): " + ", ".join(f"{t} {n}" for t, n in result["ignored"].items()), file=out)
    if result["invalid"]:
        print(f"invalid spans (counted as false positives): {result['invalid']}", file=out)


def self_check(gold_path):
    def case(gold, pred, want):
        got = match_line(gold, pred)
        got = {t: c for t, c in got.items() if any(c)}
        assert got == want, (gold, pred, got, want)

    # exact, half-overlap boundary (inclusive), just under half, type mismatch, duplicates, best overlap
    case([("EMAIL", 0, 10)], [("EMAIL", 0, 10)], {"EMAIL": [1, 0, 0]})
    case([("EMAIL", 0, 10)], [("EMAIL", 5, 15)], {"EMAIL": [1, 0, 0]})
    case([("EMAIL", 0, 10)], [("EMAIL", 6, 15)], {"EMAIL": [0, 1, 1]})
    case([("DATE", 0, 10)], [("DATE", 0, 20)], {"DATE": [1, 0, 0]})
    case([("DATE", 0, 10)], [("DATE", 0, 21)], {"DATE": [0, 1, 1]})
    case([("PHONE", 0, 10)], [("EMAIL", 0, 10)], {"PHONE": [0, 0, 1], "EMAIL": [0, 1, 0]})
    case([("URL", 0, 10)], [("URL", 0, 10), ("URL", 1, 10)], {"URL": [1, 1, 0]})
    case([("IP_ADDRESS", 0, 8), ("IP_ADDRESS", 9, 17)], [("IP_ADDRESS", 0, 17)], {"IP_ADDRESS": [0, 1, 2]})
    case([("PERSON", 0, 4), ("PERSON", 5, 9)], [("PERSON", 5, 9), ("PERSON", 0, 4)], {"PERSON": [2, 0, 0]})
    case([("CRYPTO", 0, 6), ("CRYPTO", 6, 12)], [("CRYPTO", 2, 9)], {"CRYPTO": [1, 0, 1]})
    case([("URL", 0, 10), ("URL", 2, 12)], [("URL", 2, 12), ("URL", 0, 10)], {"URL": [2, 0, 0]})
    case([("URL", 0, 10), ("URL", 2, 12)], [("URL", 1, 11)], {"URL": [1, 0, 1]})
    case([("CRYPTO", 0, 6), ("CRYPTO", 5, 12)], [("CRYPTO", 3, 10)], {"CRYPTO": [1, 0, 1]})
    gold = read_jsonl(gold_path)
    pred = [{"findings": [dict(e, score=1.0) for e in row["entities"]] + [{"type": "ORGANIZATION", "start": 0, "end": 1}]}
            for row in gold]
    result = score(gold, pred)
    bad = {t: m["f1"] for t, m in result["per_type"].items() if m["support"] and m["f1"] != 1.0}
    missing = [t for t, m in result["per_type"].items() if not m["support"]]
    assert not bad, f"gold against itself is not F1 1.0: {bad}"
    assert result["micro"]["f1"] == 1.0 and result["ignored"] == {"ORGANIZATION": len(gold)}
    empty = score(gold, [{"findings": []} for _ in gold])
    assert empty["micro"]["recall"] == 0.0 and empty["micro"]["fp"] == 0
    note = f" (types with no gold span: {', '.join(missing)})" if missing else ""
    print(f"score.py self-check: ok, {len(gold)} lines, F1 1.0 for every type{note}")


def main():
    ap = argparse.ArgumentParser(description="Per-type precision, recall and F1 of PII predictions against the corpus.")
    ap.add_argument("gold")
    ap.add_argument("pred", nargs="?")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--min-score", type=float, default=None, help="drop findings with a lower score")
    ap.add_argument("--self-check", action="store_true", help="score GOLD against itself and test the matching rule")
    args = ap.parse_args()
    if args.self_check:
        self_check(args.gold)
        return
    if not args.pred:
        ap.error("PRED is required unless --self-check")
    result = score(read_jsonl(args.gold), read_jsonl(args.pred), args.min_score)
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main()

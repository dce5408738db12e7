#!/usr/bin/env python3
"""Tact against Presidio on the PII corpus: a side-by-side table, one JSON line and an SVG chart.

    report.py OUT COMMIT MACHINE

Reads from OUT: pii-corpus.jsonl, pii-{tact,presidio}.score.json (score.py --json), pii-tact.timing.json
({"seconds": ...}, the whole `tact detect` process), pii-tact-detector.json (pii-throughput: the detector
alone, timed like Presidio) and pii-presidio.jsonl.timing.json (presidio_detect.py: analysis only). Tact's files may be missing (run.sh --skip-tact): its columns are then left empty.
Writes OUT/pii-f1.svg (F1 per type, both tools) and OUT/pii.json (the JSON line, which is also printed).
"""
import json
import os
import sys
from xml.sax.saxutils import escape

out, commit, machine = sys.argv[1:4]


def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None


with open(os.path.join(out, "pii-corpus.jsonl"), encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
nbytes = sum(len(t.encode("utf-8")) for t in texts)
tact, presidio = load("pii-tact.score.json"), load("pii-presidio.score.json")
tact_time, presidio_time = load("pii-tact.timing.json"), load("pii-presidio.jsonl.timing.json")
types = list(presidio["per_type"])
tact_mbps = nbytes / 1e6 / tact_time["seconds"] if tact and tact_time else None
presidio_mbps = presidio_time["mb_per_s"]
ratio = tact_mbps / presidio_mbps if tact_mbps else None
detector = load("pii-tact-detector.json")
detector_mbps = detector["median_mb_per_s"] if detector else None
detector_ratio = detector_mbps / presidio_mbps if detector_mbps else None


def cells(result, key):
    if result is None:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    m = result["per_type"][key] if key in result["per_type"] else result[key]
    return f"{m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"


print(f"PII detection, {len(texts):,} lines ({nbytes / 1e6:.2f} MB); commit {commit}; {machine}")
print(f"{'':<15} {'Tact':^20}   {'Presidio ' + presidio_time['presidio_version']:^20}")
print(f"{'type':<15} {'P':>6} {'R':>6} {'F1':>6}   {'P':>6} {'R':>6} {'F1':>6}   {'ΔF1':>6} {'gold':>6}")
for t in types:
    delta = f"{tact['per_type'][t]['f1'] - presidio['per_type'][t]['f1']:+6.3f}" if tact else f"{'-':>6}"
    print(f"{t:<15} {cells(tact, t)}   {cells(presidio, t)}   {delta} {presidio['per_type'][t]['support']:6d}")
delta = f"{tact['micro']['f1'] - presidio['micro']['f1']:+6.3f}" if tact else f"{'-':>6}"
print(f"{'micro':<15} {cells(tact, 'micro')}   {cells(presidio, 'micro')}   {delta}")
tm = f"{tact['macro_f1']:6.3f}" if tact else f"{'-':>6}"
print(f"{'macro F1':<15} {'':>13} {tm}   {'':>13} {presidio['macro_f1']:6.3f}")
tput = f"{tact_mbps:20.3f}" if tact_mbps else f"{'-':>20}"
dput = f"{detector_mbps:20.3f}" if detector_mbps else f"{'-':>20}"
print(f"{'MB/s detection':<15} {dput}   {presidio_mbps:20.4f}   " + (f"Tact is {detector_ratio:,.1f}x Presidio" if detector_ratio else ""))
print(f"{'MB/s end to end':<15} {tput}   {'':>20}   " + (f"Tact is {ratio:,.1f}x Presidio's detection" if ratio else ""))
print("MB/s on one core. Detection: Tact's detector alone (median of 9 passes, texts decoded first), like Presidio's analysis-only time.")
print("End to end: the whole `tact detect --jsonl` process (start, reading, JSON, detection, writing) over the texts repeated 10 times, divided by 10.")
for name, r in (("Tact", tact), ("Presidio", presidio)):
    if r and r["ignored"]:
        print(f"{name} types not scored: " + ", ".join(f"{t} {n}" for t, n in r["ignored"].items()))


def summary(result, mbps, seconds):
    if result is None:
        return None
    return {"micro_f1": result["micro"]["f1"], "micro_precision": result["micro"]["precision"],
            "micro_recall": result["micro"]["recall"], "macro_f1": result["macro_f1"], "mb_per_s": mbps, "seconds": seconds,
            "per_type": {t: {k: m[k] for k in ("precision", "recall", "f1", "tp", "fp", "fn")} for t, m in result["per_type"].items()}}


line = {"benchmark": "pii-detection", "commit": commit, "machine": machine, "lines": len(texts), "bytes": nbytes,
        "tact": dict(summary(tact, tact_mbps, tact_time["seconds"] if tact_time else None) or {},
                     detector_mb_per_s=detector_mbps, detector_best_mb_per_s=detector["best_mb_per_s"] if detector else None) if tact else None,
        "presidio": dict(summary(presidio, presidio_mbps, presidio_time["analysis_seconds"]),
                         version=presidio_time["presidio_version"], spacy_model=presidio_time["spacy_model"],
                         mode=presidio_time["mode"], overlaps=presidio_time["overlaps"]),
        "throughput_ratio_tact_over_presidio": ratio, "detector_ratio_tact_over_presidio": detector_ratio}
print(json.dumps(line))
with open(os.path.join(out, "pii.json"), "w") as f:
    f.write(json.dumps(line) + "\n")

# Chart: F1 per type, Tact and Presidio side by side, micro F1 last.
rows = types + ["micro"]
width, left, top, bar, gap = 760, 140, 78, 12, 10
plot = width - left - 70
height = top + len(rows) * (2 * bar + gap) + 40
colors = {"Tact": "#3b7dd8", "Presidio": "#9a9a9a"}
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
         '<rect width="100%" height="100%" fill="white"/>',
         f'<text x="10" y="20" font-size="14" font-weight="bold">PII detection F1 per type: Tact and Presidio {escape(presidio_time["presidio_version"])}</text>',
         f'<text x="10" y="38" fill="#555">{len(texts):,} synthetic lines; commit {escape(commit)}; {escape(machine[:90])}</text>',
         f'<text x="10" y="54" fill="#555">MB/s on one core: Tact detector {detector_mbps or 0:.1f} (end to end {tact_mbps:.1f}), Presidio {presidio_mbps:.4f}' + (f' ({detector_ratio:,.0f}x)' if detector_ratio else '') + '</text>'
         if tact_mbps else f'<text x="10" y="54" fill="#555">MB/s on one core: Presidio {presidio_mbps:.4f} (no Tact run)</text>']
for i, name in enumerate(("Tact", "Presidio")):
    parts.append(f'<rect x="{width - 200 + i * 95}" y="62" width="10" height="10" fill="{colors[name]}"/>'
                 f'<text x="{width - 186 + i * 95}" y="71">{name}</text>')
for k in range(0, 11, 2):  # grid at 0, 0.2, ... 1.0
    x = left + plot * k / 10
    parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 30}" stroke="#e4e4e4"/>'
                 f'<text x="{x:.1f}" y="{height - 16}" text-anchor="middle" fill="#555">{k / 10:.1f}</text>')
y = top
for t in rows:
    weight = ' font-weight="bold"' if t == "micro" else ""
    parts.append(f'<text x="10" y="{y + bar + 4}"{weight}>{"micro F1" if t == "micro" else t}</text>')
    for j, (name, result) in enumerate((("Tact", tact), ("Presidio", presidio))):
        yy = y + j * bar
        if result is None:
            parts.append(f'<text x="{left + 4}" y="{yy + bar - 2}" fill="#999" font-size="10">not run</text>')
            continue
        f1 = result["micro"]["f1"] if t == "micro" else result["per_type"][t]["f1"]
        parts.append(f'<rect x="{left}" y="{yy}" width="{plot * f1:.1f}" height="{bar - 1}" fill="{colors[name]}"/>'
                     f'<text x="{left + plot * f1 + 4:.1f}" y="{yy + bar - 2}" font-size="10">{f1:.3f}</text>')
    y += 2 * bar + gap
parts.append("</svg>")
with open(os.path.join(out, "pii-f1.svg"), "w") as f:
    f.write("\n".join(parts) + "\n")
print(f"chart: {os.path.join(out, 'pii-f1.svg')}", file=sys.stderr)

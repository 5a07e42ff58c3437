"""Compare our HTML main-content rules with trafilatura on the corpus pages.

For each page: the share of gold anchors (non-optional) found in the extracted text, and the
share of known boilerplate phrases that leaked in. Run: python scripts/compare_html_extractors.py
"""
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from pipeline.ingest import ingest_file  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "html"
GOLD = ROOT.parent / "shared" / "gold"
# Text that is navigation or page furniture on each page (must not come out).
BOILERPLATE = {
    "avert-uk-hiv-aids-news-2006": ["site guide", "Lost? Search here", "Copyright © AVERT"],
    "guardian-society-child-tax-credits-2005": ["Recent articles", "Sign in", "Printable version",
                                                "spacedesc"],
    "nz-treasury-prefu-1999-economic-fiscal-summary": ["About Treasury", "Previous Budgets",
                                                       "Back to Top", "472 2733"],
    "wikipedia-new-zealand": ["Jump to navigation", "Personal tools", "Articles relating to New Zealand",
                              "Members of the Commonwealth of Nations"],
}


def norm(s):
    return re.sub(r"[\s*\u00a0]+", "", s or "").lower()


def score(name, text):
    gold = [json.loads(line) for line in (GOLD / f"{name}.jsonl").read_text().splitlines() if line.strip()]
    anchors = [g["anchor"] for g in gold if g.get("anchor") and "optional" not in g.get("flags", [])]
    t = norm(text)
    found = sum(norm(a) in t for a in anchors)
    leaked = sum(norm(b) in t for b in BOILERPLATE[name])
    return found / len(anchors), leaked, len(BOILERPLATE[name])


def main():
    import trafilatura
    print(f"{'page':48} {'ours: anchors':>14} {'leaks':>6} {'time':>6} | {'trafilatura':>12} {'leaks':>6} {'time':>6}")
    for path in sorted(CORPUS.glob("*.html")):
        t0 = time.perf_counter()
        ours = ingest_file(path).text
        t1 = time.perf_counter()
        theirs = trafilatura.extract(path.read_bytes(), include_tables=True, include_comments=False,
                                     favor_recall=True) or ""
        t2 = time.perf_counter()
        a, l, n = score(path.stem, ours)
        ta, tl, _ = score(path.stem, theirs)
        print(f"{path.stem:48} {a:14.1%} {l:>3}/{n:<2} {t1 - t0:6.2f} | {ta:12.1%} {tl:>3}/{n:<2} {t2 - t1:6.2f}")


if __name__ == "__main__":
    main()

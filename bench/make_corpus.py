#!/usr/bin/env python3
"""Generate a benchmark corpus: the corpus documents plus variants with other years and numbers.

Text, markdown and HTML variants are the documents with every year shifted and every figure
scaled; PDF variants are redrawn word by word at the same positions (reportlab), with the same
substitutions, so they keep the original layouts, tables included.

usage: python bench/make_corpus.py OUT_RAW_DIR [--n 200] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
YEAR = re.compile(r"(?<![\d,.])(19[89]\d|20[0-3]\d)(?![\d,])")
FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+\.\d+)(?![\d])")


def mutate(text: str, k: int) -> str:
    """Shift years by k and scale figures by a factor that depends on k."""
    factor = 1 + ((k * 7) % 23 + 1) / 100

    def year(m):
        return str(int(m.group(1)) + k)

    def figure(m):
        s = m.group(1)
        if "," in s:
            return f"{round(int(s.replace(',', '')) * factor):,}"
        whole, frac = s.split(".")
        return f"{float(s) * factor:.{len(frac)}f}"

    return FIGURE.sub(figure, YEAR.sub(year, text))


def pdf_variant(src: Path, dest: Path, k: int) -> None:
    import pdfplumber
    from reportlab.pdfgen import canvas

    with pdfplumber.open(src) as pdf:
        c = canvas.Canvas(str(dest), pagesize=(float(pdf.pages[0].width), float(pdf.pages[0].height)))
        c.setTitle(mutate(pdf.metadata.get("Title", "") or "", k))
        for page in pdf.pages:
            c.setPageSize((float(page.width), float(page.height)))
            for w in page.extract_words(extra_attrs=["size", "fontname"]):
                bold = any(t in w["fontname"] for t in ("Bold", "Heavy", "Demi", "Black"))
                c.setFont("Helvetica-Bold" if bold else "Helvetica", float(w["size"]))
                c.drawString(float(w["x0"]), float(page.height) - float(w["bottom"]) + 0.2 * float(w["size"]),
                             mutate(w["text"], k))
            c.showPage()
        c.save()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in args.corpus.rglob("*") if p.suffix in (".txt", ".pdf", ".html"))
    for p in sources:
        rel = p.relative_to(args.corpus)
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, out / rel)
    count = len(sources)
    k = 0
    while count < args.n:
        k += 1
        for p in sources:
            if count >= args.n:
                break
            dest = out / "variants" / f"v{k:03d}-{p.name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            if p.suffix == ".pdf":
                pdf_variant(p, dest, k)
            else:
                raw = p.read_bytes()
                enc = "iso-8859-1" if b"iso-8859-1" in raw[:400].lower() else "utf-8"
                dest.write_bytes(mutate(raw.decode(enc, errors="replace"), k).encode(enc, errors="replace"))
            count += 1
    print(f"{count} documents in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

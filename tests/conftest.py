"""Shared fixtures: the real corpus in ../shared/corpus (see scripts/shared.py), ingested once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from shared import shared_dir  # noqa: E402  (../shared, or beside the checkout this was cloned from)

SHARED = shared_dir()
CORPUS = Path(os.environ.get("FACTPIPE_CORPUS", SHARED / "corpus"))
GOLD = Path(os.environ.get("FACTPIPE_GOLD", SHARED / "gold"))
RULES = ROOT / "rules"
RAW = ROOT / "raw"

TRANSPARENCY = "ncmec-ojjdp-transparency-cy2022.pdf"
BY_ESP = "ncmec-cybertipline-reports-by-esp-2020.pdf"
BY_COUNTRY = "ncmec-cybertipline-reports-by-country-2019.pdf"


def corpus_file(name: str) -> Path:
    p = CORPUS / name
    if not p.exists():
        pytest.skip(f"corpus document {name} not found in {CORPUS} (set FACTPIPE_CORPUS)")
    return p


_DOCS: dict[str, object] = {}


@pytest.fixture(scope="session")
def ingested():
    """ingested(name) -> Document, each corpus document ingested once per session."""
    from pipeline.ingest import ingest_file

    def get(name: str):
        if name not in _DOCS:
            _DOCS[name] = ingest_file(corpus_file(name), source=Path(name).as_posix())
        return _DOCS[name]

    return get


@pytest.fixture(scope="session")
def corpus_texts(ingested):
    """The text of every block (and table cell) of every corpus document."""
    names = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*")
                   if p.suffix in (".txt", ".pdf", ".html"))
    if not names:
        pytest.skip(f"no corpus documents in {CORPUS}")
    texts = []
    for name in names:
        for block in ingested(name).blocks:
            texts.append(block.text)
            if block.table:
                texts.extend(c.text for row in block.table.rows for c in row.cells)
    return texts


_EXTRACTOR = {}


@pytest.fixture(scope="session")
def extractor():
    from pipeline.extract import Extractor

    if "x" not in _EXTRACTOR:
        _EXTRACTOR["x"] = Extractor.from_dir(RULES)
    return _EXTRACTOR["x"]


def facts(*args, cwd=None, input=None, env=None, timeout=600):
    """Run the `facts` command the way a user does; returns the CompletedProcess."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, input=input, env=e, timeout=timeout)


PAGE_2020 = "001_f37116a4be8a75c9.txt"
PAGE_2021 = "003_e4de62413ed41204.txt"


def make_raw(tmp_path: Path, names: list[str]) -> Path:
    """A raw folder holding some corpus documents and their manifest entries."""
    import shutil

    import yaml

    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    manifest = yaml.safe_load((RAW / "sources.yaml").read_text())
    manifest["sources"] = [s for s in manifest["sources"] if s["file"] in names]
    (raw / "sources.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    for n in names:
        (raw / n).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus_file(n), raw / n)
    return raw


def run_facts(raw, out, *extra, env=None, rules=RULES):
    return facts("run", "--raw", raw, "--out", out, "--rules", rules, "--jobs", "1", *extra, env=env)


@pytest.fixture(scope="session")
def scenario(tmp_path_factory):
    """v0001 from the 2020 and 2021 web pages; v0002 after adding the CY 2022 transparency report."""
    import shutil

    import yaml

    tmp = tmp_path_factory.mktemp("scenario")
    raw, out = make_raw(tmp, [PAGE_2020, PAGE_2021]), tmp / "extracted"
    r1 = run_facts(raw, out)
    assert r1.returncode == 0, r1.stderr
    shutil.copy(corpus_file(TRANSPARENCY), raw / TRANSPARENCY)
    entry = next(s for s in yaml.safe_load((RAW / "sources.yaml").read_text())["sources"] if s["file"] == TRANSPARENCY)
    m = yaml.safe_load((raw / "sources.yaml").read_text())
    m["sources"].append(entry)
    (raw / "sources.yaml").write_text(yaml.safe_dump(m, sort_keys=False))
    r2 = run_facts(raw, out, "-v")
    assert r2.returncode == 0, r2.stderr
    return {"raw": raw, "out": out, "r1": r1, "r2": r2}

"""Shared fixtures: the real corpus in ../shared/corpus, ingested once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("FACTPIPE_CORPUS", ROOT.parent / "shared" / "corpus"))
GOLD = Path(os.environ.get("FACTPIPE_GOLD", ROOT.parent / "shared" / "gold"))
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

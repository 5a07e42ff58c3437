"""The main job, and the only place that knows the order of the stages.

ingest -> extract (per document, cached, locally or on Dask) -> reconcile -> write a version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import __version__
from .documents import find_entry, list_documents, source_meta, source_name
from .errors import FactpipeError, IngestError
from .extract.rules import load_rules, rule_files, rules_hash
from .manifest import load_manifest
from .models import Observation, Skipped


# The code that decides a document's observations: a change here reruns extraction, a change
# elsewhere (reconciliation, the report) only writes a new version from the cached results.
EXTRACTION_CODE = ("ingest", "extract", "models.py", "documents.py", "manifest.py", "errors.py", "run.py",
                   "dataset/io.py")  # (the documents' CSV rows are made and cached with their observations)


@lru_cache(maxsize=4)
def code_version(scope: tuple[str, ...] = ()) -> str:
    """The package version plus a hash of its source (only the parts in `scope`, if given)."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root)
        if scope and rel.parts[0] not in scope and rel.as_posix() not in scope:
            continue
        h.update(rel.as_posix().encode())
        h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


@dataclass
class DocResult:
    source: str
    sha256: str
    observations: list[Observation] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    title: str | None = None
    pages: int = 0
    error: str | None = None
    rows: tuple[str, str] | None = None  # its rows of observations.csv and skipped.csv (io.document_rows)


_EXTRACTORS: dict = {}  # rules hash -> Extractor


def get_extractor(rules_dir: str | Path):
    """One Extractor per rules version per process (the spaCy pipeline loads once): the rules'
    files are hashed for every document, but parsed and validated only when they change."""
    from .extract import Extractor  # here: a run that processes nothing never loads spaCy

    rules_dir = Path(rules_dir)
    try:
        ex = _EXTRACTORS.get(rules_hash(rules_dir, rule_files(rules_dir)))
    except OSError:
        ex = None  # a missing file: load_rules says which
    if ex is None:
        rules = load_rules(rules_dir)
        _EXTRACTORS.clear()
        ex = _EXTRACTORS[rules.hash] = Extractor(rules)
    return ex


def process_document(path: Path, name: str, meta, rules_dir: str | Path, max_bytes: int | None = None,
                     with_rows: bool = False) -> DocResult:
    """Ingest and extract one document (`with_rows`: and make its CSV rows, for a run). Raises
    IngestError for a document that cannot be read."""
    from .ingest import DEFAULT_MAX_BYTES, ingest_file

    doc = ingest_file(path, source=name, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
    ex = get_extractor(rules_dir)
    res = ex.extract(doc, meta)
    from .dataset.io import document_rows

    return DocResult(source=name, sha256=doc.sha256, observations=res.observations, skipped=res.skipped,
                     title=doc.title, pages=len(doc.pages),
                     rows=document_rows(res.observations, res.skipped) if with_rows else None)


def extract_files(files: list[Path], *, rules_dir, raw_dir=None) -> tuple[list[DocResult], list[FactpipeError]]:
    """`facts extract`: observations of the given files; unreadable files are reported, not fatal."""
    get_extractor(rules_dir)  # a broken rules folder fails before any document is read
    manifest = load_manifest(raw_dir) if raw_dir and Path(raw_dir).is_dir() else None
    results, errors = [], []
    for f in files:
        name = source_name(f, raw_dir)
        meta = source_meta(find_entry(manifest, name)) if manifest else None
        try:
            results.append(process_document(Path(f), name, meta, rules_dir))
        except FactpipeError as e:
            errors.append(e)
    return results, errors


@dataclass
class RunOptions:
    raw_dir: Path = Path("raw")
    rules_dir: Path = Path("rules")
    out_dir: Path = Path("extracted")
    jobs: int | None = None
    executor: str = "local"
    scheduler: str | None = None
    use_cache: bool = True
    max_bytes: int | None = None
    verbose: int = 0


@dataclass
class RunResult:
    version: str | None
    summary: str
    errors: list[FactpipeError] = field(default_factory=list)


def run_pipeline(opts: RunOptions, progress: Callable[[str, int], None] = lambda m, l=1: None) -> RunResult:
    from .dataset.versions import write_run

    return write_run(opts, progress)


__all__ = ["DocResult", "EXTRACTION_CODE", "RunOptions", "RunResult", "code_version", "extract_files", "list_documents",
           "process_document", "run_pipeline", "IngestError"]

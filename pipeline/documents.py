"""Documents in a raw folder: which files count, and what the manifest says about each."""

from __future__ import annotations

from pathlib import Path

from .extract.source import SourceMeta
from .ingest import FORMATS
from .manifest import MANIFEST, Manifest, Source


def list_documents(raw_dir: str | Path) -> list[Path]:
    """Every file under the raw folder that is a document (by extension), in a stable order.

    Hidden files and the manifest itself are not documents; unsupported extensions are listed
    too, so that the run reports them instead of silently ignoring them.
    """
    raw_dir = Path(raw_dir)
    out = []
    for p in sorted(raw_dir.rglob("*")):
        rel = p.relative_to(raw_dir)
        if not p.is_file() or any(part.startswith(".") for part in rel.parts) or rel.as_posix() == MANIFEST:
            continue
        if p.suffix.lower() in (".yaml", ".yml", ".json", ".md5", ".sha256") and p.suffix.lower() not in FORMATS:
            continue
        out.append(p)
    return out


def source_name(path: Path, raw_dir: Path | None) -> str:
    """A document's name in the dataset: its path relative to the raw folder if it is inside."""
    if raw_dir is not None:
        try:
            return Path(path).resolve().relative_to(Path(raw_dir).resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).name


def find_entry(manifest: Manifest, name: str) -> Source | None:
    """The manifest entry for a document, by its relative path or, failing that, its file name."""
    entry = manifest.get(name)
    if entry is None:
        base = Path(name).name
        entry = next((s for s in manifest.sources if Path(s.file).name == base), None)
    return entry


def source_meta(entry: Source | None) -> SourceMeta | None:
    """The manifest entry as the extractor's SourceMeta (None for a document not listed)."""
    if entry is None:
        return None
    return SourceMeta(published=entry.published, published_inferred=entry.published_inferred,
                      as_of=entry.as_of, as_of_inferred=entry.as_of_inferred, currency=entry.currency,
                      url=entry.url, title=entry.title)

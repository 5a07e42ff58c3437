"""The review report: one self-contained HTML page per dataset version."""

from __future__ import annotations

from pathlib import Path

from ..dataset.store import resolve_version, latest, list_versions, write_atomic
from ..errors import DatasetError


def render_version(version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None, changes=None) -> str:
    """The report of a version folder as one string."""
    return "".join(_chunks(version_dir, raw_dir, previous, changes))


def write_version_report(target: Path, version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None,
                         changes=None, facts=None) -> Path:
    """Write the report of a version folder to `target`, streamed (a large page is never held
    twice). `facts`: the version's facts when the caller has them (else read from facts.csv)."""
    write_atomic(target, _chunks(version_dir, raw_dir, previous, changes, facts))
    return target


def _chunks(version_dir, raw_dir, previous, changes, facts=None):
    from .render import render

    return render(Path(version_dir), raw_dir=Path(raw_dir) if raw_dir else None, previous=previous, changes=changes,
                  facts=facts)


def write_report(out_dir, version: str | None = None, out_file=None, raw_dir=None) -> Path:
    out_dir = Path(out_dir)
    versions = list_versions(out_dir)
    if not versions:
        raise DatasetError(out_dir, "no dataset versions yet (run `facts run`)")
    name = resolve_version(out_dir, version) if version else (latest(out_dir) or versions[-1])
    earlier = [v for v in versions if v < name]
    target = Path(out_file) if out_file else out_dir / name / "report.html"
    if out_file is None and target.exists():
        return target  # a version folder is never modified once written
    return write_version_report(target, out_dir / name, raw_dir=raw_dir,
                                previous=out_dir / earlier[-1] if earlier else None)

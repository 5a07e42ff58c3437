"""The review report: one self-contained HTML page per dataset version."""

from __future__ import annotations

from pathlib import Path

from ..dataset.store import latest, list_versions, resolve_version, write_atomic
from ..errors import DatasetError
from ..forked import Forked


class ObservationData:
    """The report's observations and crops (render.observation_data), made in a forked process
    when `parallel` (the second core renders them while the run reconciles), else when asked
    for. `get()` returns them; `cancel()` stops the process."""

    def __init__(self, version_dir: Path, raw_dir: Path | None, parallel: bool):
        self.version_dir, self.raw_dir = Path(version_dir), raw_dir
        self.part = self.version_dir / ".observations.part"
        self._job = Forked(self._write, parallel)

    def _make(self) -> tuple[bytes, bytes]:
        from .render import observation_data

        return observation_data(self.version_dir, self.raw_dir)

    def _write(self) -> None:
        obs, crops = self._make()
        self.part.write_bytes(obs + b"\x00" + crops)  # (JSON holds no NUL byte)

    def get(self) -> tuple[bytes, bytes]:
        if self._job.join() and self.part.exists():
            obs, _, crops = self.part.read_bytes().partition(b"\x00")
            self.part.unlink()
            return obs, crops
        self.part.unlink(missing_ok=True)
        return self._make()

    def cancel(self) -> None:
        self._job.cancel()


def render_version(version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None, changes=None) -> str:
    """The report of a version folder as one string."""
    return "".join(c.decode() if isinstance(c, bytes) else c for c in _chunks(version_dir, raw_dir, previous, changes))


def write_version_report(target: Path, version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None,
                         changes=None, facts=None, observations: ObservationData | None = None,
                         conflicts=None) -> Path:
    """Write the report of a version folder to `target`, streamed (a large page is never held
    twice). `facts`, `conflicts`: the version's when the caller has them (else read from its
    files); `observations`: the page's observations and crops under way."""
    write_atomic(target, _chunks(version_dir, raw_dir, previous, changes, facts, observations, conflicts))
    return target


def _chunks(version_dir, raw_dir, previous, changes, facts=None, observations=None, conflicts=None):
    from .render import render

    return render(Path(version_dir), raw_dir=Path(raw_dir) if raw_dir else None, previous=previous, changes=changes,
                  facts=facts, observations=observations, conflicts=conflicts)


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

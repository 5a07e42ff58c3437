"""`facts diff`: what became of each fact between two versions.

A change is one of: `added` (a new fact), `removed`, `agreed` (a new source printed the same
figure), `revised` (a later edition restated it: the fact takes the new value), `changed` (its
value changed otherwise) and `status` (only its status changed, e.g. it entered a conflict).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import NamedTuple

from ..errors import DatasetError
from ..models import Fact
from .store import list_versions, resolve_version


@dataclass
class FactChange:
    fact_id: str
    change: str  # see CHANGES
    metric: str
    metric_label: str
    dimensions: str
    period_end: str
    old_value: float | None = None
    new_value: float | None = None
    old_status: str = ""
    new_status: str = ""
    unit: str = ""


@dataclass
class Diff:
    old: str | None
    new: str
    changes: list[FactChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.change == kind)


CHANGES = ("added", "removed", "agreed", "revised", "changed", "status")


class FactSummary(NamedTuple):
    """What a diff compares of a fact (read from facts.csv without validating whole facts)."""

    fact_id: str
    metric: str
    metric_label: str
    dimensions: str
    period_end: str
    unit: str
    value: float
    status: str
    n_sources: str


def read_summaries(path: Path) -> list[FactSummary]:
    """The facts of a facts.csv as FactSummary rows."""
    if not Path(path).exists():
        return []
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        at = [header.index(f) for f in FactSummary._fields]
        value = FactSummary._fields.index("value")
        out = []
        for row in reader:
            if row:
                fields = [row[i] for i in at]
                fields[value] = float(fields[value])
                out.append(FactSummary(*fields))
        return out


def _iso(d: date | str | None) -> str:
    return d.isoformat() if isinstance(d, date) else d or ""


def diff_facts(old: list[Fact | FactSummary], new: list[Fact | FactSummary]) -> list[FactChange]:
    a = {f.fact_id: f for f in old}
    b = {f.fact_id: f for f in new}
    out = []
    for fid in sorted(set(a) | set(b), key=lambda k: ((b.get(k) or a.get(k)).metric_label, k)):
        fa, fb = a.get(fid), b.get(fid)
        f = fb or fa
        base = dict(fact_id=fid, metric=f.metric, metric_label=f.metric_label, dimensions=f.dimensions,
                    period_end=_iso(f.period_end), unit=f.unit)
        if fa is None:
            out.append(FactChange(change="added", new_value=fb.value, new_status=fb.status, **base))
        elif fb is None:
            out.append(FactChange(change="removed", old_value=fa.value, old_status=fa.status, **base))
        else:
            kind = _kind(fa, fb)
            if kind:
                out.append(FactChange(change=kind, old_value=fa.value, new_value=fb.value, old_status=fa.status,
                                      new_status=fb.status, **base))
    return out


def _kind(a: Fact | FactSummary, b: Fact | FactSummary) -> str:
    """What happened to a fact present in both versions ("" for nothing)."""
    if a.value != b.value:
        return "revised" if b.status == "revised" else "changed"
    if b.status == "agreed" and int(b.n_sources) > int(a.n_sources):
        return "agreed"
    return "status" if a.status != b.status else ""


def load_facts(version_dir: Path) -> list[FactSummary]:
    path = version_dir / "facts.csv"
    if not path.exists():
        raise DatasetError(path, "missing: not a complete dataset version")
    return read_summaries(path)


def diff_versions(out_dir, old: str | None = None, new: str | None = None) -> Diff:
    out_dir = Path(out_dir)
    versions = list_versions(out_dir)
    if not versions:
        raise DatasetError(out_dir, "no dataset versions yet (run `facts run`)")
    new_v = resolve_version(out_dir, new) if new else versions[-1]
    if old:
        old_v = resolve_version(out_dir, old)
    else:
        earlier = [v for v in versions if v < new_v]
        old_v = earlier[-1] if earlier else None
    new_facts = load_facts(out_dir / new_v)
    old_facts = load_facts(out_dir / old_v) if old_v else []
    return Diff(old_v, new_v, diff_facts(old_facts, new_facts))


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:,.10g}"


def format_diff_text(d: Diff) -> str:
    lines = [f"facts diff {d.old or '(nothing)'} -> {d.new}: " + ", ".join(f"{d.count(k)} {k if k != 'status' else 'status changed'}"
                                                                      for k in CHANGES)]
    sign = {"added": "+", "removed": "-", "agreed": "=", "revised": "r", "changed": "~", "status": "s"}
    # each kind of change in its own block, in the order of CHANGES
    for c in sorted(d.changes, key=lambda c: CHANGES.index(c.change)):
        what = f"{c.metric_label or c.metric or 'fact ' + c.fact_id}" + (f" [{c.dimensions}]" if c.dimensions else "") + \
            (f" {c.period_end}" if c.period_end else "")
        if c.change == "added":
            val = f"{_fmt(c.new_value)} {c.unit} ({c.new_status})"
        elif c.change == "removed":
            val = f"{_fmt(c.old_value)} {c.unit} ({c.old_status})"
        else:
            val = f"{_fmt(c.old_value)} ({c.old_status}) -> {_fmt(c.new_value)} ({c.new_status}) {c.unit}"
        lines.append(f"{sign[c.change]} {what}: {val}")
    return "\n".join(lines) + "\n"


def format_diff_csv(d: Diff) -> str:
    buf = io.StringIO()
    cols = ["change", "fact_id", "metric", "metric_label", "dimensions", "period_end", "unit",
            "old_value", "new_value", "old_status", "new_status"]
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for c in d.changes:
        w.writerow({k: ("" if getattr(c, k) is None else getattr(c, k)) for k in cols})
    return buf.getvalue()

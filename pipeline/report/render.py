"""Render a version folder into one self-contained HTML page.

Everything from documents is untrusted: the template autoescapes, and the data the page's
script works with is JSON in a <script type="application/json"> element with <, > and &
escaped, which the script inserts with textContent only. Styles, script, charts and page crops
are inlined; the page makes no network request.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape

from ..dataset.diff import CHANGES, diff_facts, read_summaries
from ..dataset.io import iter_rows, read_csv
from ..models import ConflictMember, Fact
from .charts import Point, line_chart
from .crops import Cropper

STATIC = Path(__file__).parent / "static"


# UTF-8 JSON (orjson: several times faster on a large version's data) that cannot close its
# <script> element or start markup: the escapes of _safe apply to any piece of the encoding on its
# own. The page reads it with JSON.parse, which takes U+2028 and the like as they are.
_dumps = orjson.dumps


def _safe(json_bytes: bytes) -> bytes:
    return json_bytes.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def _int(text: str) -> int | None:
    return int(text) if text else None


def _env() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True))
    env.filters["num"] = lambda v: "" if v is None else f"{v:,.10g}"
    return env


def _series(facts: list[Fact]) -> list[dict]:
    """Metrics with values over three or more calendar years (one breakdown at a time)."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.metric and f.period_end and f.period_type in ("calendar_year", "fiscal_year") and f.unit != "ratio":
            groups[(f.metric, f.dimensions, f.unit)].append(f)
    out = []
    for (metric, dims, unit), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        years = {f.period_end.year for f in items}
        if len(years) < 3:
            continue
        by_year = {}
        for f in sorted(items, key=lambda f: f.status != "conflict"):
            by_year.setdefault(f.period_end.year, f)
        pts = [Point(y, f.value, f.status, f.metric_label) for y, f in by_year.items()]
        out.append({"metric": metric, "label": items[0].metric_label, "dimensions": dims, "unit": unit,
                    "svg": line_chart(pts, unit), "n": len(pts),
                    "conflicts": sum(1 for p in pts if p.status == "conflict")})
        if len(out) >= 40:
            break
    return out


def observation_data(version_dir: Path, raw_dir: Path | None) -> tuple[bytes, bytes]:
    """The page's observations and PDF crops as (safe) UTF-8 JSON. They depend on
    observations.csv and the documents alone, so a run can make them while it reconciles."""
    cropper = Cropper(raw_dir, cache_dir=version_dir.parent / ".cache" / "crops")
    obs_json = {}
    try:
        for o in iter_rows(version_dir / "observations.csv"):
            page = _int(o["page"])
            crop = cropper.crop(o["source"], page, o["bbox"], o["source_sha256"]) if o["bbox"] else None
            obs_json[o["observation_id"]] = {
                "source": o["source"], "page": page, "quote": o["quote"], "at": _int(o["quote_offset"]),
                "surface": o["surface"], "value": float(o["value"]), "unit": o["unit"], "qual": o["qualifier"],
                "rule": o["rule"], "label": o["metric_label"], "dims": o["dimensions"], "end": o["period_end"],
                "kind": o["kind"], "flags": o["flags"], "crop": crop}
    finally:
        cropper.close()
    return _safe(_dumps(obs_json)), _safe(_dumps(cropper.images))


def _conflict_row(m: ConflictMember) -> dict:
    """A conflict member as conflicts.csv gives it back (text as written)."""
    return {"conflict_id": m.conflict_id, "kind": m.kind, "status": m.status, "resolution": m.resolution,
            "fact_id": m.fact_id, "observation_id": m.observation_id, "source": m.source,
            "page": "" if m.page is None else str(m.page), "quote": m.quote, "surface": m.surface,
            "value": str(m.value), "unit": m.unit, "qualifier": m.qualifier,
            "period_end": m.period_end.isoformat() if m.period_end else "", "detail": m.detail}


class _Json(bytes):
    """UTF-8 JSON made safe already: the page takes it as it is."""


def render(version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None, changes=None, facts=None,
           observations=None, conflicts=None):
    """The report of a version folder, as chunks of HTML. Observations, conflicts and skipped
    numbers are read as plain rows straight into the page's data; the facts and conflicts are
    read from facts.csv and conflicts.csv unless given; `observations`, if given, has the
    page's observations and crops ready (`.get()`, see report.ObservationData)."""
    run = json.loads((version_dir / "run.json").read_text())
    if facts is None:
        facts = read_csv(version_dir / "facts.csv", Fact)
    if changes is None:
        prev_facts = read_summaries(previous / "facts.csv") if previous and (previous / "facts.csv").exists() else None
        changes = diff_facts(prev_facts, facts) if prev_facts is not None else []
    changes = sorted(changes, key=lambda c: CHANGES.index(c.change))  # each kind of change together

    titles = {d["source"]: d.get("title") or d["source"] for d in run["documents"]}
    obs_text, crops_text = observations.get() if observations is not None else observation_data(version_dir, raw_dir)
    facts_json = [{
        "id": f.fact_id, "metric": f.metric, "label": f.metric_label, "dims": f.dimensions,
        "start": f.period_start.isoformat() if f.period_start else "", "end": f.period_end.isoformat() if f.period_end else "",
        "ptype": f.period_type, "value": f.value, "unit": f.unit, "qual": f.qualifier, "status": f.status,
        "n": f.n_sources, "obs": f.observation_ids.split(";"), "chosen": f.chosen_observation,
        "why": f.chosen_reason, "stale": f.stale}
        for f in facts]
    groups: dict[str, dict] = {}
    for c in (map(_conflict_row, conflicts) if conflicts is not None else iter_rows(version_dir / "conflicts.csv")):
        g = groups.setdefault(c["conflict_id"], {"id": c["conflict_id"], "kind": c["kind"], "status": c["status"],
                                                 "resolution": c["resolution"], "members": []})
        g["members"].append({"fact": c["fact_id"], "obs": c["observation_id"], "source": c["source"],
                             "page": _int(c["page"]), "quote": c["quote"], "surface": c["surface"],
                             "value": float(c["value"]), "unit": c["unit"], "qual": c["qualifier"],
                             "end": c["period_end"], "detail": c["detail"]})
        if c["status"] == "open":
            g["status"] = "open"
    skipped_by_doc: dict[str, list] = defaultdict(list)
    for s in iter_rows(version_dir / "skipped.csv"):
        skipped_by_doc[s["source"]].append({"surface": s["surface"], "reason": s["reason"], "page": _int(s["page"]),
                                            "context": s["context"]})
    data = {"facts": facts_json, "obs": _Json(obs_text), "crops": _Json(crops_text),
            "conflicts": sorted(groups.values(), key=lambda g: (g["status"] != "open", g["kind"], g["id"])),
            "skipped": skipped_by_doc, "titles": titles}  # changes are rendered in the page itself
    status_counts = run["counts"].get("facts_by_status", {})
    docs = []
    for d in run["documents"]:
        url = d.get("url") or ""
        docs.append({**d, "url": url if url.startswith(("http://", "https://")) else "",
                     "skipped": len(skipped_by_doc.get(d["source"], []))})
    page = _env().get_template("report.html.j2").render(
        run=run, docs=docs, status_counts=status_counts, series=_series(facts),
        n_conflicts_open=sum(1 for g in groups.values() if g["status"] == "open"),
        n_conflicts=len(groups), changes=changes, previous=previous.name if previous else None,
        css=(STATIC / "report.css").read_text(), js=(STATIC / "report.js").read_text(),
        data_json=_DATA_MARK)
    head, tail = page.split(_DATA_MARK)
    return _stream(head, data, tail)


_DATA_MARK = "\x00report-data\x00"


def _stream(head: str, data, tail: str):
    """The page around its data, the data encoded piece by piece: a large report's JSON is
    never one string in memory."""
    yield head
    batch, size = [], 0
    for piece in _pieces(data, depth=2):
        if isinstance(piece, _Json):
            yield _safe(b"".join(batch))
            for i in range(0, len(piece), 1 << 20):  # written in slices, never copied whole
                yield piece[i:i + (1 << 20)]
            batch, size = [], 0
            continue
        batch.append(piece)
        size += len(piece)
        if size > 1 << 20:
            yield _safe(b"".join(batch))
            batch, size = [], 0
    yield _safe(b"".join(batch))
    yield tail


def _pieces(obj, depth: int, batch: int = 500):
    """JSON of `obj` (bytes): containers down to `depth` in slices of `batch` items, what is
    below in one (fast) call; the pieces join to what one encoding of the whole would give."""
    if depth and isinstance(obj, dict):
        yield b"{"
        items = list(obj.items())
        for i in range(0, len(items), batch):
            if depth > 1:
                for j, (k, v) in enumerate(items[i:i + batch]):
                    yield (b"," if i + j else b"") + _dumps(k) + b":"
                    yield from _pieces(v, depth - 1)
            else:
                yield (b"," if i else b"") + _dumps(dict(items[i:i + batch]))[1:-1]
        yield b"}"
    elif depth and isinstance(obj, list):
        yield b"["
        for i in range(0, len(obj), batch):
            if depth > 1:
                for j, v in enumerate(obj[i:i + batch]):
                    if i + j:
                        yield b","
                    yield from _pieces(v, depth - 1)
            else:
                yield (b"," if i else b"") + _dumps(obj[i:i + batch])[1:-1]
        yield b"]"
    elif isinstance(obj, _Json):
        yield obj
    else:
        yield _dumps(obj)

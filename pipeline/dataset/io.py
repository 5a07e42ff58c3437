"""CSV and JSON lines for observations, facts and conflicts: the column orders users rely on."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from ..models import ConflictMember, Fact, Observation, Skipped

OBSERVATION_COLUMNS = list(Observation.model_fields)
FACT_COLUMNS = list(Fact.model_fields)
CONFLICT_COLUMNS = list(ConflictMember.model_fields)
SKIPPED_COLUMNS = list(Skipped.model_fields)


def _cell(v):
    # the models' fields are plain values (str, int, float, bool, date): written as
    # model_dump(mode="json") would give them, without its cost on large versions
    if v is None:
        return ""
    if v is True or v is False:
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return int(v)
    if isinstance(v, date):
        return v.isoformat()
    return v


def to_csv(models, columns: list[str], header: bool = True) -> str:
    """The models as CSV text in `columns` order (without the header line: rows to join)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(columns)
    in_order = None  # are the models' fields in the columns' order (as a model declares them)?
    for m in models:
        values = m.__dict__
        if in_order is None:
            in_order = list(values) == columns
        row = values.values() if in_order else [values.get(c) for c in columns]
        w.writerow([v if v.__class__ is str else _cell(v) for v in row])  # most values are text
    return buf.getvalue()


def document_rows(observations, skipped) -> tuple[str, str]:
    """One document's rows of observations.csv and skipped.csv (no header), in the files' order:
    a version's files are its documents' rows one after the other, by source."""
    return (to_csv(sorted(observations, key=lambda o: (o.char_start, o.char_end, o.rule)), OBSERVATION_COLUMNS,
                   header=False),
            to_csv(sorted(skipped, key=lambda s: s.char_start), SKIPPED_COLUMNS, header=False))


def to_jsonl(models) -> str:
    return "".join(json.dumps(m.model_dump(mode="json"), ensure_ascii=False, sort_keys=False) + "\n" for m in models)


def iter_csv(path: Path, model):
    """The rows of a CSV written by `to_csv`, as models, one at a time."""
    fields = model.model_fields
    text = {k for k, f in fields.items() if f.annotation is str}  # "" stays "", elsewhere it is None
    flags = {k for k, f in fields.items() if f.annotation is bool}
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            clean = {k: (None if v == "" and k not in text else v) for k, v in r.items() if k in fields}
            for k in flags & clean.keys():
                if clean[k] in ("true", "false"):
                    clean[k] = clean[k] == "true"
            yield model.model_validate(clean)


def read_csv(path: Path, model) -> list:
    return list(iter_csv(path, model))


def iter_rows(path: Path):
    """The rows of a CSV as plain dicts of strings (cheaper than models where that is all we
    need); nothing if the file is absent."""
    if not Path(path).exists():
        return
    with Path(path).open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return
        for row in reader:
            if row:
                yield dict(zip(header, row))


def read_column(path: Path, *columns: str) -> list[tuple[str, ...]]:
    """Some columns of a CSV as plain strings."""
    return [tuple(r[c] for c in columns) for r in iter_rows(path)]

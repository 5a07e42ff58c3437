"""CSV and JSON lines for observations, facts and conflicts: the column orders users rely on."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..models import ConflictMember, Fact, Observation, Skipped

OBSERVATION_COLUMNS = list(Observation.model_fields)
FACT_COLUMNS = list(Fact.model_fields)
CONFLICT_COLUMNS = list(ConflictMember.model_fields)
SKIPPED_COLUMNS = list(Skipped.model_fields)


def _row(model) -> dict:
    out = {}
    for k, v in model.model_dump(mode="json").items():
        if v is None:
            out[k] = ""
        elif isinstance(v, bool):
            out[k] = "true" if v else "false"
        elif isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            out[k] = int(v)
        else:
            out[k] = v
    return out


def to_csv(models, columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for m in models:
        w.writerow(_row(m))
    return buf.getvalue()


def to_jsonl(models) -> str:
    return "".join(json.dumps(m.model_dump(mode="json"), ensure_ascii=False, sort_keys=False) + "\n" for m in models)


def read_csv(path: Path, model):
    with Path(path).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        clean = {k: (None if v == "" and model.model_fields[k].annotation not in (str,) else v)
                 for k, v in r.items() if k in model.model_fields}
        for k, v in list(clean.items()):
            if v in ("true", "false") and model.model_fields[k].annotation is bool:
                clean[k] = v == "true"
        out.append(model.model_validate(clean))
    return out

"""Manual decisions about conflicts, as validated data in rules/resolutions.yaml.

A resolution names a fact (metric, breakdown, period end), the value that stands, why, who and
when, and the observation ids it was decided on. It applies while the fact's evidence is those
same observations; when a new document adds or changes evidence, the conflict opens again.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import RulesError

FILE = "resolutions.yaml"


class FactRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metric: str
    dimensions: str = ""
    period_end: date | None = None
    unit: str | None = None


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    fact: FactRef
    kind: str | None = Field(default=None, description="the conflict kind this settles (default: all)")
    value: float
    reason: str = Field(min_length=3)
    by: str = Field(min_length=1)
    date: date
    evidence: list[str] = Field(min_length=1, description="observation ids the decision was made on")


class ResolutionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolutions: list[Resolution] = Field(default_factory=list)


def load_resolutions(rules_dir: str | Path) -> list[Resolution]:
    path = Path(rules_dir) / FILE
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise RulesError(path, f"not valid YAML: {getattr(e, 'problem', e)}") from None
    try:
        parsed = ResolutionFile(**data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = list(err["loc"])
        where = ".".join(map(str, loc))
        if len(loc) >= 2 and loc[0] == "resolutions" and isinstance(loc[1], int):
            rid = (data.get("resolutions") or [{}])[loc[1]].get("id", f"#{loc[1] + 1}")
            where = f"resolution {rid}: " + ".".join(map(str, loc[2:]))
        raise RulesError(path, f"{where}: {err['msg']}") from None
    except TypeError:
        raise RulesError(path, "expected a mapping with a 'resolutions' list") from None
    ids = [r.id for r in parsed.resolutions]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise RulesError(path, f"duplicate resolution id {sorted(dup)[0]}")
    return parsed.resolutions

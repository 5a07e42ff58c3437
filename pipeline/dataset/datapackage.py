"""datapackage.json: a Frictionless Data Package (v2) describing the CSVs of a version."""

from __future__ import annotations

import json
import typing
from datetime import date

from ..models import ConflictMember, Fact, Observation, Skipped

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DESCRIPTIONS = {
    "observations": "Every number-metric-period mention found in the documents, with its provenance.",
    "facts": "One row per metric, breakdown and period: the reconciled value and its status.",
    "conflicts": "Every group of observations that disagree, one row per member.",
    "skipped": "Numbers seen in the documents that did not become observations, and why.",
}
PRIMARY_KEYS = {"observations": ["observation_id"], "facts": ["fact_id"]}


def _field_type(annotation) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    a = args[0]
    if a is bool:
        return "boolean"
    if a is int:
        return "integer"
    if a is float:
        return "number"
    if a is date:
        return "date"
    return "string"


def _schema(model) -> dict:
    fields = []
    for name, f in model.model_fields.items():
        ftype = _field_type(f.annotation)
        fd = {"name": name, "type": ftype}
        if ftype == "boolean":
            fd["trueValues"], fd["falseValues"] = ["true"], ["false"]
        fields.append(fd)
    return {"fields": fields, "missingValues": [""]}


def datapackage(version: str, files: dict[str, str]) -> str:
    """The descriptor for the CSV files of a version; `files` maps resource name -> file name."""
    models = {"observations": Observation, "facts": Fact, "conflicts": ConflictMember, "skipped": Skipped}
    resources = []
    for name, path in files.items():
        schema = _schema(models[name])
        if name in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        resources.append({"name": name, "type": "table", "path": path, "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "description": DESCRIPTIONS[name], "schema": schema})
    pkg = {"$schema": PROFILE, "name": "factpipe-dataset", "title": f"factpipe dataset {version}",
           "version": version, "description": "Statistics extracted from published reports, with provenance.",
           "resources": resources}
    return json.dumps(pkg, indent=2) + "\n"

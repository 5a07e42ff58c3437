"""raw/sources.yaml: one entry per document with its origin, checksum and dates.

A document missing from the manifest is still processed. Dates that had to be inferred are
marked (`published_inferred`, `as_of_inferred`). `facts fetch` records when it retrieved each
file in raw/.retrieved.json (git-ignored), which overrides the manifest's `retrieved`.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ManifestError

MANIFEST = "sources.yaml"
RETRIEVED_LOG = ".retrieved.json"


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="path of the document relative to the raw folder")
    title: str | None = None
    publisher: str | None = None
    url: str | None = Field(default=None, description="the publisher's address of the document")
    sha256: str | None = None
    published: date | None = None
    published_inferred: bool = False
    as_of: date | None = Field(default=None, description="the date cumulative 'since ...' figures describe")
    as_of_inferred: bool = False
    retrieved: datetime | date | None = None
    authority: int = Field(default=0, description="higher wins when documents disagree")
    currency: str | None = Field(default=None, description="currency of a bare '$' (e.g. nzd)")
    notes: str | None = None

    @field_validator("file")
    @classmethod
    def _relative(cls, v: str) -> str:
        if not v or v.startswith("/") or ".." in Path(v).parts:
            raise ValueError("must be a path inside the raw folder")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^(https?|file)://\S+$", v):
            raise ValueError("must be an http(s) URL")
        return v

    @field_validator("sha256")
    @classmethod
    def _sha(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[0-9a-f]{64}", v.lower()):
            raise ValueError("must be 64 hexadecimal characters")
        return v.lower() if v else v

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str | None) -> str | None:
        return v.lower() if v else v


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[Source] = Field(default_factory=list)

    def get(self, file: str) -> Source | None:
        file = Path(file).as_posix()
        for s in self.sources:
            if s.file == file:
                return s
        return None


def load_manifest(raw_dir: str | Path) -> Manifest:
    """Read raw/sources.yaml (an empty manifest if there is none); errors name the entry."""
    raw_dir = Path(raw_dir)
    path = raw_dir / MANIFEST
    if not path.exists():
        return Manifest()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ManifestError(path, f"not valid YAML{f' (line {mark.line + 1})' if mark else ''}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources", []), list):
        raise ManifestError(path, "expected a mapping with a 'sources' list")
    try:
        manifest = Manifest(**data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
            entry = data["sources"][loc[1]]
            name = entry.get("file") if isinstance(entry, dict) else None
            where = f"entry {loc[1] + 1}" + (f" ({name})" if name else "")
            field = ".".join(str(x) for x in loc[2:]) or "entry"
            raise ManifestError(path, f"{where}: {field}: {err['msg']}") from None
        raise ManifestError(path, f"{'.'.join(map(str, loc))}: {err['msg']}") from None
    seen = set()
    for i, s in enumerate(manifest.sources, 1):
        if s.file in seen:
            raise ManifestError(path, f"entry {i} ({s.file}): listed twice")
        seen.add(s.file)
    log = raw_dir / RETRIEVED_LOG
    if log.exists():
        try:
            retrieved = json.loads(log.read_text())
        except json.JSONDecodeError:
            retrieved = {}
        for s in manifest.sources:
            rec = retrieved.get(s.file)
            if rec and rec.get("retrieved"):
                s.retrieved = datetime.fromisoformat(rec["retrieved"])
    return manifest

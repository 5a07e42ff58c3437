"""Per-document cache of ingestion and extraction, keyed by what determines the result:
the document's bytes, the rules, the code version and the manifest entry."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..models import Observation, Skipped

CACHE_DIR = ".cache"


def cache_key(sha256: str, rules_hash: str, code_version: str, entry_json: str, max_bytes: int | None) -> str:
    return hashlib.sha256(f"{sha256}|{rules_hash}|{code_version}|{entry_json}|{max_bytes}".encode()).hexdigest()


class Cache:
    def __init__(self, out_dir: Path):
        self.root = Path(out_dir) / CACHE_DIR

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        p = self._path(key)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, OSError):
            return None
        data["observations"] = [Observation.model_validate(o) for o in data["observations"]]
        data["skipped"] = [Skipped.model_validate(s) for s in data["skipped"]]
        return data

    def put(self, key: str, result) -> None:
        p = self._path(key)
        p.parent.mkdir(parents=True, exist_ok=True)
        payload = {"source": result.source, "sha256": result.sha256, "title": result.title, "pages": result.pages,
                   "observations": [o.model_dump(mode="json") for o in result.observations],
                   "skipped": [s.model_dump(mode="json") for s in result.skipped]}
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
        os.replace(tmp, p)

"""Per-document cache of ingestion and extraction, keyed by what determines the result:
the document's bytes, the rules, the code version and the manifest entry."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..models import Observation, Skipped
from .store import write_atomic

CACHE_DIR = ".cache"


def cache_key(sha256: str, rules_hash: str, code_version: str, entry_json: str, max_bytes: int | None) -> str:
    return hashlib.sha256(f"{sha256}|{rules_hash}|{code_version}|{entry_json}|{max_bytes}".encode()).hexdigest()


class CachedDocument(BaseModel):
    source: str
    sha256: str
    title: str | None = None
    pages: int = 0
    observations: list[Observation]
    skipped: list[Skipped]
    rows: tuple[str, str] | None = None  # the document's CSV rows (io.document_rows)


class Cache:
    def __init__(self, out_dir: Path):
        self.root = Path(out_dir) / CACHE_DIR

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str) -> CachedDocument | None:
        try:
            # parsed and validated in one call: much faster than a model per row from json.loads
            return CachedDocument.model_validate_json(self._path(key).read_bytes())
        except (FileNotFoundError, ValidationError, OSError):
            return None

    def put(self, key: str, result) -> None:
        payload = CachedDocument(source=result.source, sha256=result.sha256, title=result.title, pages=result.pages,
                                 observations=result.observations, skipped=result.skipped, rows=result.rows)
        write_atomic(self._path(key), payload.model_dump_json())

"""What the manifest says about a document, as extraction uses it (no spaCy needed to build one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class SourceMeta:
    """What the manifest says about a document (all optional)."""

    published: date | None = None
    published_inferred: bool = False
    as_of: date | None = None
    as_of_inferred: bool = False
    currency: str | None = None
    url: str | None = None
    title: str | None = None

"""Extraction: every statistic of an ingested document as an observation (see extractor.py).

The submodules (numbers, periods, rules, ...) import without spaCy; `Extractor` loads it when
first used, so commands that extract nothing start fast.
"""

from __future__ import annotations

__all__ = ["Extraction", "Extractor", "SourceMeta"]


def __getattr__(name: str):
    if name == "SourceMeta":
        from .source import SourceMeta

        return SourceMeta
    if name in __all__:
        from . import extractor

        return getattr(extractor, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

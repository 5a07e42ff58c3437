"""Editions: a later edition that restates a figure with another value revises it.

Figures of one fact that disagree are a revision, not a conflict, when they are vintages of one
publisher: every source has that publisher and a published date, no source contradicts itself
(all its figures agree), and sources published on the same date agree. The fact takes the value
of the latest vintage; every vintage stays in conflicts.csv as a member of kind `revision`.
Disagreeing sources of one date, of different publishers or without dates stay a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..models import Observation


@dataclass(frozen=True)
class SourceInfo:
    authority: int = 0
    published: date | None = None
    publisher: str = ""


@dataclass(frozen=True)
class Vintage:
    published: date
    sources: tuple[str, ...]
    cluster: int  # index into the group's clusters


def _publisher(name: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def vintages(clusters: list[list[Observation]], sources: dict[str, SourceInfo]) -> list[Vintage] | None:
    """The vintages of disagreeing clusters, oldest first, when they are editions of one
    publisher (see the module docstring); None when they are a conflict."""
    cluster_of: dict[str, int] = {}
    for i, c in enumerate(clusters):
        for o in c:
            if cluster_of.setdefault(o.source, i) != i:
                return None  # a document that contradicts itself
    infos = {s: sources.get(s, SourceInfo()) for s in cluster_of}
    if any(not i.published or not i.publisher for i in infos.values()):
        return None
    if len({_publisher(i.publisher) for i in infos.values()}) != 1:
        return None
    by_date: dict[date, set[int]] = {}
    for s, i in infos.items():
        by_date.setdefault(i.published, set()).add(cluster_of[s])
    if any(len(cs) > 1 for cs in by_date.values()) or len(by_date) < 2:
        return None  # sources of one vintage disagree
    return [Vintage(d, tuple(sorted(s for s, i in infos.items() if i.published == d)), next(iter(cs)))
            for d, cs in sorted(by_date.items())]

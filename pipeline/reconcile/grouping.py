"""Which observations are one fact: the same series (metric), breakdown, period and unit.

A figure a curated rule attributes has that rule's metric id. Any other figure is given a
derived id from the words of its label (a table's caption and title, or the prose label), with
years and other numbers left out, so the same wording in the next edition names the same series
("derived.cybertipline_reports_by_country"). A derived id only names a series: its figures that
agree are one fact, and figures that disagree are separate facts, never a conflict.

A breakdown value with a code (an ISO country code, a company's folded name) is identified by
its code, so "Bahrein" and "Bahrain", "Twitter, Inc." and "Twitter" are one series.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from ..models import Observation
from .agreement import unit_family

DERIVED = "derived."


@lru_cache(maxsize=65536)
def derived_metric(label: str) -> str:
    """A stable id from a label's words (no numbers, no case): '' when it has no words."""
    words = re.findall(r"[a-z]+", label.casefold())[:12]
    return DERIVED + "_".join(words) if words else ""


def metric_key(o: Observation) -> str:
    """The series of an observation: its curated metric, else the id derived from its label."""
    return o.metric or derived_metric(o.metric_label)


def is_derived(metric: str) -> bool:
    return metric.startswith(DERIVED)


@lru_cache(maxsize=65536)
def normalize_dims(dims: str) -> str:
    """Dimensions in one order ("a=1; b=2"); cached: the same few repeat across many facts."""
    parts = [p.strip() for p in dims.split(";") if p.strip()]
    return "; ".join(sorted(parts))


@lru_cache(maxsize=65536)
def identity_dims(dims: str, codes: str) -> str:
    """The breakdown as an identity: a coded value by its code ("country=#BHR" for "Bahrein"
    and "Bahrain"), any other by its printed value; in one order."""
    if not codes:
        return normalize_dims(dims)
    coded = dict(p.strip().split("=", 1) for p in codes.split(";") if "=" in p)
    parts = []
    for p in dims.split(";"):
        k, _, v = p.strip().partition("=")
        if k:
            parts.append(f"{k}=#{coded[k]}" if k in coded else f"{k}={v}")
    return "; ".join(sorted(parts))


def group_key(o: Observation) -> tuple:
    """Observations of one fact: same series, breakdown, period and unit. A figure with no
    label words to name a series stands alone (its own mention)."""
    metric = metric_key(o)
    dims = identity_dims(o.dimensions, o.dimension_codes)
    if not metric:
        return ("", dims, "mention", o.source, str(o.char_start), unit_family(o.unit))
    if o.period_type == "cumulative":
        period = ("cumulative", "", o.period_end.isoformat() if o.period_end else "")
    else:
        period = ("", o.period_start.isoformat() if o.period_start else "", o.period_end.isoformat() if o.period_end else "")
    return (metric, dims, *period, unit_family(o.unit))


def fact_id(key: tuple) -> str:
    return hashlib.sha1("|".join(key).encode()).hexdigest()[:16]


def group_observations(observations, groups: dict[tuple, list[Observation]] | None = None
                       ) -> dict[tuple, list[Observation]]:
    """Observations by fact (group_key), added to `groups` if given."""
    groups = {} if groups is None else groups
    for o in observations:
        groups.setdefault(group_key(o), []).append(o)
    return groups


def metric_origins(facts) -> dict[str, int]:
    """How many facts have a curated metric id, a derived one, or none."""
    out = {"curated": 0, "derived": 0, "none": 0}
    for f in facts:
        out["derived" if is_derived(f.metric) else "curated" if f.metric else "none"] += 1
    return out


def unresolved_values(observations, keys) -> list[str]:
    """Breakdown values of the given dimension keys that have no code ("country=Europe"), each
    once with the documents that print it: kept verbatim, listed for a reviewer."""
    seen: dict[str, set[str]] = {}
    for o in observations:
        if not o.dimensions or o.kind != "table":
            continue
        coded = {p.split("=", 1)[0].strip() for p in o.dimension_codes.split(";") if "=" in p}
        for p in o.dimensions.split(";"):
            k, _, v = p.strip().partition("=")
            if k in keys and k not in coded:
                seen.setdefault(f"{k}={v}", set()).add(o.source)
    return [f"{kv} ({', '.join(sorted(srcs))})" for kv, srcs in sorted(seen.items())]

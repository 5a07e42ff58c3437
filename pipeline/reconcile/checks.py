"""Consistency checks across facts: breakdowns against their totals, cumulative figures over time."""

from __future__ import annotations

from ..models import Fact
from .agreement import unit_family

Check = tuple[str, list[str], dict[str, str]]  # kind, fact ids, detail per fact id


def _dims(f: Fact) -> frozenset[tuple[str, str]]:
    out = set()
    for part in f.dimensions.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out.add((k.strip(), v.strip()))
    return frozenset(out)


def _metric(f: Fact) -> str:
    return f.metric or "label:" + f.metric_label.lower()


def sum_conflicts(facts: list[Fact]) -> list[Check]:
    """A total whose breakdown (facts with one more dimension, all of the same key) does not add up.
    `facts` are one document's printings (anything with a fact's fields)."""
    out: list[Check] = []
    index: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.unit == "percent" or f.period_type == "cumulative":
            continue
        index.setdefault((_metric(f), f.period_start, f.period_end, unit_family(f.unit)), []).append(f)
    for group in index.values():
        if len(group) < 3:
            continue
        # the parts of a total are the facts with its dimensions plus one: index each fact
        # under its dimensions minus each one of them
        parts_of: dict[frozenset, dict[str, list[Fact]]] = {}
        for f in group:
            d = _dims(f)
            for extra in d:
                parts_of.setdefault(d - {extra}, {}).setdefault(extra[0], []).append(f)
        for total in group:
            for key, parts in parts_of.get(_dims(total), {}).items():
                if len(parts) < 2:
                    continue
                total_sum = sum(p.value for p in parts)
                exact = all(p.qualifier == "exact" for p in parts + [total]) and all(
                    float(p.value).is_integer() for p in parts + [total])
                tolerance = 0.0 if exact else 0.01 * abs(total.value)
                if abs(total_sum - total.value) > tolerance + 1e-9:
                    detail = {p.fact_id: f"part ({key})" for p in parts}
                    detail[total.fact_id] = (f"stated total {total.value:,.10g}; the {len(parts)} parts by {key} "
                                             f"add up to {total_sum:,.10g} (difference {total_sum - total.value:+,.10g})")
                    out.append(("sum_mismatch", [total.fact_id] + [p.fact_id for p in parts], detail))
    return out


def monotonic_conflicts(facts: list[Fact]) -> list[Check]:
    """A cumulative figure ("since 1998") that falls from one as-of date to a later one."""
    out: list[Check] = []
    series: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.period_type == "cumulative" and f.period_end and f.metric:
            series.setdefault((f.metric, f.dimensions, unit_family(f.unit)), []).append(f)
    for items in series.values():
        items.sort(key=lambda f: f.period_end)
        for earlier, later in zip(items, items[1:]):
            if later.value < earlier.value * (1 - 1e-9) and later.period_end > earlier.period_end:
                out.append(("non_monotone", [earlier.fact_id, later.fact_id], {
                    earlier.fact_id: f"{earlier.value:,.10g} as of {earlier.period_end}",
                    later.fact_id: f"{later.value:,.10g} as of {later.period_end}: lower than the earlier total"}))
    return out

"""Reconciliation: observations from all documents become facts, disagreements conflicts.

Observations are grouped by metric, breakdown, period and unit. A group whose figures agree (see
agreement.py) is one fact; a group that splits into disagreeing clusters is a conflict, as are a
scale anomaly, a breakdown that does not add up to its total, and a cumulative figure that falls
between two as-of dates (checks.py). Resolutions in rules/resolutions.yaml settle conflicts.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..models import ConflictMember, Fact, Observation
from .agreement import agree, interval, is_precise, precision_rank, unit_family
from .checks import monotonic_conflicts, sum_conflicts
from .resolutions import Resolution


@dataclass(frozen=True)
class SourceInfo:
    authority: int = 0
    published: date | None = None


def metric_key(o: Observation) -> str:
    return o.metric or _label_key(o.metric_label)


@lru_cache(maxsize=65536)
def _label_key(label: str) -> str:
    return "label:" + " ".join(re.findall(r"[a-z0-9]+", label.lower())[:12])


@lru_cache(maxsize=65536)
def normalize_dims(dims: str) -> str:
    """Dimensions in one order ("a=1; b=2"); cached: the same few repeat across many facts."""
    parts = [p.strip() for p in dims.split(";") if p.strip()]
    return "; ".join(sorted(parts))


def group_key(o: Observation) -> tuple:
    """Observations of one fact: same metric, breakdown, period and unit. Figures without a metric
    rule are labelled from their own words; two of them are the same fact only if they are the
    same mention, so each stands alone."""
    if not o.metric:
        return (metric_key(o), normalize_dims(o.dimensions), "mention", o.source, str(o.char_start), unit_family(o.unit))
    if o.period_type == "cumulative":
        period = ("cumulative", "", o.period_end.isoformat() if o.period_end else "")
    else:
        period = ("", o.period_start.isoformat() if o.period_start else "", o.period_end.isoformat() if o.period_end else "")
    return (metric_key(o), normalize_dims(o.dimensions), *period, unit_family(o.unit))


def fact_id(key: tuple) -> str:
    return hashlib.sha1("|".join(key).encode()).hexdigest()[:16]


def _descaled(o: Observation) -> Observation:
    """A scale anomaly ("29,397,681 million") compared as the figure it spells out."""
    if "scale_anomaly" in o.flags.split(";"):
        m = re.search(r"\d[\d,]*(?:\.\d+)?", o.surface)
        if m:
            return o.model_copy(update={"value": float(m.group().replace(",", "")), "surface": m.group()})
    return o


def _clusters(obs: list[Observation]) -> list[list[Observation]]:
    """Greedy cover by mutually agreeing observations, most precise first."""
    if len(obs) == 1:
        return [list(obs)]  # most facts have one observation: nothing to compare
    clusters: list[list[Observation]] = []
    for o in sorted(obs, key=lambda x: (precision_rank(_descaled(x)), x.source, x.char_start)):
        d = _descaled(o)
        for c in clusters:
            if all(agree(d, _descaled(m)) for m in c):
                c.append(o)
                break
        else:
            clusters.append([o])
    return clusters


def _best(obs: list[Observation], sources: dict[str, SourceInfo]) -> Observation:
    """The most precise exact value from the most authoritative source; ties to the latest published."""
    if len(obs) == 1:
        return obs[0]

    def key(o: Observation):
        s = sources.get(o.source, SourceInfo())
        flagged = "scale_anomaly" in o.flags
        return (flagged, precision_rank(o), -s.authority, -(s.published.toordinal() if s.published else 0),
                o.source, o.char_start)
    return min(obs, key=key)


def _member(cid: str, kind: str, fid: str, o: Observation, detail: str = "") -> ConflictMember:
    return ConflictMember(conflict_id=cid, kind=kind, fact_id=fid, observation_id=o.observation_id, source=o.source,
                          page=o.page, quote=o.quote, surface=o.surface, value=o.value, unit=o.unit,
                          qualifier=o.qualifier, period_end=o.period_end, detail=detail)


def conflict_id(kind: str, fact_ids: list[str]) -> str:
    return hashlib.sha1((kind + "|" + "|".join(sorted(fact_ids))).encode()).hexdigest()[:12]


def group_observations(observations, groups: dict[tuple, list[Observation]] | None = None
                       ) -> dict[tuple, list[Observation]]:
    """Observations by fact (group_key), added to `groups` if given."""
    groups = {} if groups is None else groups
    for o in observations:
        groups.setdefault(group_key(o), []).append(o)
    return groups


def reconcile_group(key: tuple, obs: list[Observation], sources: dict[str, SourceInfo] | None = None,
                    stale_sources: set[str] = frozenset()) -> tuple[Fact, list[ConflictMember], list[Observation]]:
    """One group's fact, its own conflict members (values that disagree, a scale anomaly) and its
    observations in order."""
    fid = fact_id(key)
    if len(obs) == 1 and "scale_anomaly" not in obs[0].flags:
        # most facts: one observation, nothing to compare or choose
        o = obs[0]
        return Fact(
            fact_id=fid, metric=o.metric, metric_label=o.metric_label, dimensions=normalize_dims(o.dimensions),
            period_start=o.period_start, period_end=o.period_end, period_type=o.period_type, value=o.value,
            unit=o.unit, qualifier=o.qualifier, status="single", n_sources=1, observation_ids=o.observation_id,
            chosen_observation=o.observation_id, chosen_reason="only source",
            stale=o.source in stale_sources), [], [o]
    sources = sources or {}
    members: list[ConflictMember] = []
    # a list of its own (the group's may grow)
    obs = sorted(obs, key=lambda o: (o.source, o.char_start, o.observation_id)) if len(obs) > 1 else [obs[0]]
    clusters = _clusters(obs)
    best = _best(obs if len(clusters) == 1 else max(clusters, key=lambda c: _cluster_weight(c, sources)), sources)
    status = "single" if len(obs) == 1 else "agreed" if len(clusters) == 1 else "conflict"
    reason = _reason(best, obs, sources)
    if len(clusters) > 1:
        docs = {o.source for o in obs}
        kind = "value_mismatch" if len(docs) > 1 else "intra_document"
        cid = conflict_id(kind, [fid])
        for ci, c in enumerate(clusters):
            for o in c:
                members.append(_member(cid, kind, fid, o, detail=f"cluster {ci + 1} of {len(clusters)}"))
    anomalies = [o for o in obs if o.flags and "scale_anomaly" in o.flags.split(";")]
    if anomalies:
        status = "conflict"
        cid = conflict_id("scale_anomaly", [fid])
        for o in obs:
            detail = "scale word on a precise figure" if o in anomalies else "agrees once the scale word is dropped" \
                if agree(_descaled(anomalies[0]), o) else ""
            members.append(_member(cid, "scale_anomaly", fid, o, detail=detail))
        best = _best([o for o in obs if o not in anomalies] or obs, sources)
        reason = _reason(best, obs, sources)
    first = obs[0]
    fact = Fact(
        fact_id=fid, metric=first.metric, metric_label=best.metric_label, dimensions=normalize_dims(first.dimensions),
        period_start=best.period_start if key[2] != "cumulative" else min(
            (o.period_start for o in obs if o.period_start), default=None),
        period_end=best.period_end, period_type=best.period_type, value=best.value, unit=best.unit,
        qualifier=best.qualifier, status=status, n_sources=len({o.source for o in obs}) if len(obs) > 1 else 1,
        observation_ids=";".join([o.observation_id for o in obs]), chosen_observation=best.observation_id,
        chosen_reason=reason, stale=bool(stale_sources) and all(o.source in stale_sources for o in obs))
    return fact, members, obs


def reconcile(observations: list[Observation], sources: dict[str, SourceInfo] | None = None,
              resolutions: list[Resolution] = (), stale_sources: set[str] = frozenset(),
              groups: dict[tuple, list[Observation]] | None = None,
              done: dict[tuple, tuple] | None = None) -> tuple[list[Fact], list[ConflictMember]]:
    """Facts and conflict members of the observations. A caller that grouped most of them
    earlier passes the `groups` (group_observations), and the groups it reconciled already as
    `done` (reconcile_group by key, with no stale source among them): one is reused while its
    group holds the observations it was made of (groups only grow, so: as many)."""
    sources = sources or {}
    if groups is None:
        groups = group_observations(observations)
    facts: list[Fact] = []
    members: list[ConflictMember] = []
    by_fact: dict[str, list[Observation]] = {}
    for key in sorted(groups):
        got = done.get(key) if done else None
        if got is None or len(got[2]) != len(groups[key]):
            got = reconcile_group(key, groups[key], sources, stale_sources)
        fact, own, obs = got
        facts.append(fact)
        members.extend(own)
        by_fact[fact.fact_id] = obs
    # checks across facts
    fact_by_id = {f.fact_id: f for f in facts}
    checks = [(kind, fids, detail, None) for kind, fids, detail in monotonic_conflicts(facts)]
    checks += _table_sum_checks(facts, by_fact)
    for kind, fids, detail, source in checks:
        cid = conflict_id(kind, fids)
        for fid in fids:
            f = fact_by_id[fid]
            # a sum check's member is that document's printing; any other check's the chosen one
            pick = (lambda o: o.source == source) if source else (lambda o: o.observation_id == f.chosen_observation)
            chosen = next((o for o in by_fact[fid] if pick(o)), by_fact[fid][0])
            members.append(_member(cid, kind, fid, chosen, detail=detail.get(fid, "")))
            if f.status in ("single", "agreed"):
                f.status = "conflict"
    _apply_resolutions(facts, members, resolutions)
    members.sort(key=lambda m: (m.conflict_id, m.fact_id, m.source, m.observation_id))
    return facts, members


@dataclass(frozen=True)
class _Printed:
    """One document's printing of a fact's figure in a table: what a sum check compares."""

    fact_id: str
    metric: str
    metric_label: str
    dimensions: str
    period_start: date | None
    period_end: date | None
    period_type: str
    unit: str
    value: float
    qualifier: str


def _table_sum_checks(facts: list[Fact], by_fact: dict[str, list[Observation]]) -> list[tuple]:
    """Sum checks within each document's tables: a printed total against the parts that the same
    document prints for the same metric and period (a figure restated by another edition is not
    counted again, and one document's parts are never added to another's)."""
    per_source: dict[str, dict[str, _Printed]] = {}
    for f in facts:
        for o in by_fact[f.fact_id]:
            if o.kind == "table":
                per_source.setdefault(o.source, {}).setdefault(f.fact_id, _Printed(
                    f.fact_id, f.metric, f.metric_label, f.dimensions, f.period_start, f.period_end,
                    f.period_type, o.unit, o.value, o.qualifier))
    out, seen = [], set()
    for source in sorted(per_source):
        for kind, fids, detail in sum_conflicts(list(per_source[source].values())):
            if (kind, tuple(fids)) not in seen:
                seen.add((kind, tuple(fids)))
                out.append((kind, fids, detail, source))
    return out


def _cluster_weight(c: list[Observation], sources: dict[str, SourceInfo]) -> tuple:
    return (max(sources.get(o.source, SourceInfo()).authority for o in c), len(c))


def _reason(best: Observation, obs: list[Observation], sources: dict[str, SourceInfo]) -> str:
    if len(obs) == 1:
        return "only source"
    s = sources.get(best.source, SourceInfo())
    bits = ["most precise" if is_precise(best) else "exact" if best.qualifier == "exact" else "best available"]
    bits.append(f"authority {s.authority}")
    if s.published:
        bits.append(f"published {s.published.isoformat()}")
    return f"{best.source}: " + ", ".join(bits)


def _apply_resolutions(facts: list[Fact], members: list[ConflictMember], resolutions) -> None:
    for r in resolutions:
        for f in facts:
            if f.metric != r.fact.metric or f.dimensions != normalize_dims(r.fact.dimensions):
                continue
            if r.fact.period_end and f.period_end != r.fact.period_end:
                continue
            if r.fact.unit and unit_family(f.unit) != unit_family(r.fact.unit):
                continue
            mine = [m for m in members if m.fact_id == f.fact_id and (r.kind is None or m.kind == r.kind)]
            if not mine:
                continue
            if set(f.observation_ids.split(";")) != set(r.evidence):
                for m in mine:
                    m.detail = (m.detail + "; " if m.detail else "") + \
                        f"resolution {r.id} no longer matches the evidence"
                continue
            for m in mine:
                m.status = "resolved"
                m.resolution = f"{r.id}: {r.value:g} by {r.by} on {r.date.isoformat()}: {r.reason}"
            if all(m.status == "resolved" for m in members if m.fact_id == f.fact_id):
                f.status = "resolved"
                f.value = r.value
                f.chosen_reason = f"resolution {r.id} by {r.by} on {r.date.isoformat()}: {r.reason}"


__all__ = ["SourceInfo", "reconcile", "reconcile_group", "group_key", "group_observations", "fact_id", "interval"]

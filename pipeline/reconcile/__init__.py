"""Reconciliation: observations from all documents become facts, disagreements conflicts.

Observations are grouped by series, breakdown, period and unit (grouping.py). A group whose
figures agree (agreement.py) is one fact. A group that splits into disagreeing clusters is a
revision when the clusters are editions of one publisher (revisions.py), several facts when its
series is only a derived id, and otherwise a conflict; so are a scale anomaly, a breakdown that
does not add up to its total, and a cumulative figure that falls between two as-of dates
(checks.py). Resolutions in rules/resolutions.yaml settle conflicts (resolutions.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..models import ConflictMember, Fact, Observation
from .agreement import agree, interval, is_precise, precision_rank, unit_family
from .checks import monotonic_conflicts, sum_conflicts
from .grouping import (fact_id, group_key, group_observations, is_derived, metric_origins, normalize_dims,
                       unresolved_values)
from .resolutions import Resolution
from .revisions import SourceInfo, Vintage, vintages


class Group(NamedTuple):
    """What one group of observations becomes: its facts (one, or one per disagreeing cluster of
    a derived series), their own conflict members, and the group's observations."""

    facts: list[Fact]
    members: list[ConflictMember]
    observations: list[Observation]


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


def _fact(fid: str, key: tuple, obs: list[Observation], best: Observation, status: str, reason: str,
          stale_sources: set[str]) -> Fact:
    """The one place a Fact is made: its identity from the group, its value from `best`."""
    return Fact(
        fact_id=fid, metric=key[0], metric_label=best.metric_label, dimensions=normalize_dims(best.dimensions),
        dimension_codes=normalize_dims(best.dimension_codes),
        period_start=best.period_start if key[2] != "cumulative" else min(
            (o.period_start for o in obs if o.period_start), default=None),
        period_end=best.period_end, period_type=best.period_type, value=best.value, unit=best.unit,
        qualifier=best.qualifier, status=status, n_sources=len({o.source for o in obs}),
        observation_ids=";".join([o.observation_id for o in obs]), chosen_observation=best.observation_id,
        chosen_reason=reason, stale=bool(stale_sources) and all(o.source in stale_sources for o in obs))


def reconcile_group(key: tuple, obs: list[Observation], sources: dict[str, SourceInfo] | None = None,
                    stale_sources: set[str] = frozenset()) -> Group:
    """One group's facts, their own conflict members (values that disagree, a revision, a scale
    anomaly) and its observations in order."""
    fid = fact_id(key)
    if len(obs) == 1 and "scale_anomaly" not in obs[0].flags:
        # most facts: one observation, nothing to compare or choose
        return Group([_fact(fid, key, obs, obs[0], "single", "only source", stale_sources)], [], [obs[0]])
    sources = sources or {}
    obs = sorted(obs, key=lambda o: (o.source, o.char_start, o.observation_id))
    clusters = _clusters(obs)
    if len(clusters) > 1 and is_derived(key[0]):
        # a derived id names a series, not one measure: each agreeing cluster is a fact of its own
        facts = []
        for c in sorted(clusters, key=lambda c: (c[0].source, c[0].char_start)):
            best = _best(c, sources)
            ckey = key + (f"{_descaled(best).value:.10g}",)
            facts.append(_fact(fact_id(ckey), ckey, c, best, "single" if len(c) == 1 else "agreed",
                               _reason(best, c, sources), stale_sources))
        return Group(facts, [], obs)
    members: list[ConflictMember] = []
    best = _best(obs if len(clusters) == 1 else max(clusters, key=lambda c: _cluster_weight(c, sources)), sources)
    status = "single" if len(obs) == 1 else "agreed" if len(clusters) == 1 else "conflict"
    reason = _reason(best, obs, sources)
    if len(clusters) > 1:
        editions = vintages(clusters, sources)
        if editions is not None:
            best, reason, status = _best(clusters[editions[-1].cluster], sources), _revised(editions), "revised"
            members.extend(_revision_members(fid, clusters, editions))
        else:
            kind = "value_mismatch" if len({o.source for o in obs}) > 1 else "intra_document"
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
    return Group([_fact(fid, key, obs, best, status, reason, stale_sources)], members, obs)


def _revised(editions: list[Vintage]) -> str:
    last = editions[-1]
    return f"revised: the latest edition, {', '.join(last.sources)} (published {last.published.isoformat()})"


def _revision_members(fid: str, clusters: list[list[Observation]], editions: list[Vintage]) -> list[ConflictMember]:
    """Every vintage's figures, settled by the latest edition."""
    cid = conflict_id("revision", [fid])
    out = []
    for n, v in enumerate(editions, 1):
        for o in clusters[v.cluster]:
            if o.source not in v.sources:
                continue
            m = _member(cid, "revision", fid, o, detail=f"vintage {n} of {len(editions)}: published "
                                                         f"{v.published.isoformat()}" + (" (latest)" if n == len(editions) else ""))
            m.status, m.resolution = "resolved", _revised(editions)
            out.append(m)
    return out


def reconcile(observations: list[Observation], sources: dict[str, SourceInfo] | None = None,
              resolutions: list[Resolution] = (), stale_sources: set[str] = frozenset(),
              groups: dict[tuple, list[Observation]] | None = None,
              done: dict[tuple, Group] | None = None) -> tuple[list[Fact], list[ConflictMember]]:
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
        if got is None or len(got.observations) != len(groups[key]):
            got = reconcile_group(key, groups[key], sources, stale_sources)
        facts.extend(got.facts)
        members.extend(got.members)
        if len(got.facts) == 1:
            by_fact[got.facts[0].fact_id] = got.observations
        else:
            ids = {o.observation_id: o for o in got.observations}
            for f in got.facts:
                by_fact[f.fact_id] = [ids[i] for i in f.observation_ids.split(";")]
    # checks across facts
    fact_by_id = {f.fact_id: f for f in facts}
    checks = [(kind, fids, detail, None) for kind, fids, detail in monotonic_conflicts(
        [f for f in facts if not is_derived(f.metric)])]
    checks += _table_sum_checks(facts, by_fact)
    for kind, fids, detail, source in checks:
        cid = conflict_id(kind, fids)
        for fid in fids:
            f = fact_by_id[fid]
            # a sum check's member is that document's printing; any other check's the chosen one
            pick = (lambda o: o.source == source) if source else (lambda o: o.observation_id == f.chosen_observation)
            chosen = next((o for o in by_fact[fid] if pick(o)), by_fact[fid][0])
            members.append(_member(cid, kind, fid, chosen, detail=detail.get(fid, "")))
            if f.status in ("single", "agreed", "revised"):
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


__all__ = ["Group", "SourceInfo", "reconcile", "reconcile_group", "group_key", "group_observations", "fact_id",
           "interval", "metric_origins", "unresolved_values"]

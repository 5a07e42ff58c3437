"""When do two figures agree? Each observation stands for an interval of true values.

Publishers round and truncate: NCMEC truncates, so "29.3 million" means some value in
[29,300,000, 29,400,000) and agrees with 29,397,681. A figure written with less precision covers
the values that truncate or round to it; "over X" the values above X up to the next step at the
precision written; "about X" one step either side; "under X" up to X.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..models import Observation

_DIGITS = re.compile(r"(\d[\d,]*)(?:\.(\d+))?")
MONEY = {"usd", "nzd", "gbp", "eur", "aud", "cad", "jpy", "hkd", "gbp_pence"}


def unit_family(unit: str) -> str:
    """Units that can be compared: a percentage and a count never are."""
    if unit in MONEY:
        return unit
    return unit or "count"


def step(obs: Observation) -> float:
    """One unit of the last digit written: '21.7 million' -> 100,000; '1,200' -> 100; '4,560' -> 1."""
    return _step(obs.surface, obs.value, obs.kind)


@lru_cache(maxsize=65536)
def _step(surface: str, value: float, kind: str) -> float:
    m = _DIGITS.search(surface)
    if not m:
        return 1.0
    whole, frac = m.group(1).replace(",", ""), m.group(2) or ""
    written = float(whole + ("." + frac if frac else ""))
    scale = abs(value) / written if written else 1.0
    if frac:
        return scale * 10 ** -len(frac)
    if scale > 1.5:  # "32 million": one of the scale's units
        return scale
    zeros = len(whole) - len(whole.rstrip("0"))
    # two or more trailing zeros in running text read as a rounded figure ("1,200", "35,000")
    return float(10 ** zeros) if zeros >= 2 and kind == "prose" else 1.0


def interval(obs: Observation) -> tuple[float, float]:
    """The true values an observation is consistent with, as a closed interval."""
    v, u = obs.value, step(obs)
    eps = 1e-9 * max(1.0, abs(v))
    if obs.qualifier == "over":  # "more than 21.7 million": above it, at the precision written
        return v + eps, v + u
    if obs.qualifier == "about":
        return v - u, v + u
    if obs.qualifier == "under":
        return v - u, v
    if u == 1.0 and obs.unit != "percent" and float(v).is_integer() and obs.kind == "table" or \
            u == 1.0 and re.search(r"\d,\d{3}$", obs.surface.split(" ")[0].rstrip("%")):
        return v - eps, v + eps  # a precise count is exact
    # written with less precision: NCMEC truncates ("29.3 million" is 29,397,681), others round
    return v - u / 2, v + u - eps


def is_precise(obs: Observation) -> bool:
    return obs.qualifier == "exact" and step(obs) <= 1


def agree(a: Observation, b: Observation) -> bool:
    if unit_family(a.unit) != unit_family(b.unit):
        return False
    lo1, hi1 = interval(a)
    lo2, hi2 = interval(b)
    return lo1 <= hi2 and lo2 <= hi1


def precision_rank(obs: Observation) -> tuple:
    """Sort key: exact before qualified, then the finest step."""
    unit = step(obs)
    return (obs.qualifier != "exact", unit if unit > 0 else math.inf)

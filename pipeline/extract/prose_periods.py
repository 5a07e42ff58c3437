"""Which period a prose figure covers, read the way a reader reads: from the nearest statement of
one (a date next to it, its clause, its sentence, a sentence it points back at, its paragraph's
source, its section heading, the document's forecast period, a news item's dateline). Never a
guess: when none of these says, the period stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import Document
from .numbers import WORD_NUMBERS, Quantity
from .periods import (RELATIVE_KINDS, Mention, Period, as_year, cumulative, month_end,
                      resolve_relative)

DATA_WORDS = re.compile(r"\b(data|figures|statistics|snapshot|chart|table|numbers|totals?)\b", re.I)
_SOURCE_WORDS = re.compile(r"\b(census|survey|estimates?|data|figures|statistics|fiscal year|financial year|"
                           r"reporting period|year ended|year ending)\b", re.I)
_PROJECTION = re.compile(r"\b(projected|forecasts?|expected to|will|would|target|predicted|by \d{4})\b", re.I)
# words that place a statement at a time other than its news item's date
_ELSEWHEN = re.compile(r"\b(?:1[89]\d0s|20[0-9]0s|\d0s|ago|at the time|back then|historically|formerly|previously|"
                       r"used to|in the past|originally|initially)\b|'\d0s", re.I)
# a period the sentence states without its year ("in the fourth quarter", "the 12 months to
# February"): not the item's date, and not one to guess
_UNDATED_SPAN = re.compile(r"\b(?:first|second|third|fourth|final|last|latest|previous|march|june|september|december)"
                           r"\squarter\b|\bmonths\sto\b|\byear\sto\b", re.I)
_FROM_WHEN = re.compile(r"\s*(?:from|starting|beginning|effective)\b", re.I)
_ABOUT_PERSON = re.compile(r"\bwho\b[^,;.]*$", re.I)
_CHANGE_BY = re.compile(r"\b(?:by|up|down|rose|fell|increased|decreased|grew|dropped|declined|jumped)\s(?:\w+\s)?$", re.I)
FORECAST_SPAN = re.compile(r"\b(?=[ofp])(?:outlook|forecasts?|projections?)\b[^.]*?\b(?:for|over)\sthe\s(?:next|coming)\s"
                           r"(?P<n>\d|one|two|three|four|five|six|seven|eight|nine|ten)\syears\b", re.I)
_FORECAST_REF = re.compile(r"\b(?:(?:final|last)\syear\sof|(?:by\s)?the\send\sof|over|during|across|throughout)\sthe\s"
                           r"(?:forecast\s|projection\s)?(?:period|horizon)\b", re.I)
_PERIOD_WORD = re.compile(r"period|horizon", re.I)  # a cheap test before the patterns that need one
# "June years" (years ending in June); no leading \b, so the search skips to a month's capital
_MONTH_YEARS = re.compile(r"(January|February|March|April|May|June|July|August|September|October|November|December)"
                          r" years\b")


def years_end(text: str) -> re.Match | None:
    """The first "<Month> years" in `text` that starts a word."""
    for m in _MONTH_YEARS.finditer(text):
        if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_"):
            return m
    return None


_ANAPHORA = re.compile(r"\b(?:these|those|of them|of whom|of which|the (?:fall|rise|increase|decrease|"
                       r"change|drop|remainder|rest|figure|total))\b", re.I)
_CONTENT_WORD = re.compile(r"[A-Za-z][a-z-]{3,}")
_DEFINITE = re.compile(r"\b(?:the|this|that)\s(?:[\w-]+\s)?([a-z][a-z-]{3,})\b", re.I)
PRESENT = re.compile(r"\b(?:current|currently|still|presently)\b", re.I)


def carries(text: str, mentions: list[Mention], period: Period | None) -> bool:
    """Does this sentence's period govern the sentences after it in its paragraph? Yes if it
    states one period and says where its figures come from ("In the 2018 census", "As of
    January 31, 2023"), unless it projects."""
    if period is None or _PROJECTION.search(text):
        return False
    return any(m.kind == "as_of" for m in mentions) or bool(_SOURCE_WORDS.search(text))


@dataclass
class Section:
    level: int
    period: Period | None = None
    reference: date | None = None
    heading: str = ""
    dateline: date | None = None  # a news item's date, printed under its headline


@dataclass
class Context:
    doc: Document
    meta: object  # the manifest's SourceMeta
    title_period: Period | None
    reference: date | None
    as_of: date | None
    as_of_inferred: bool
    currency: str
    fiscal_end_month: int | None = None
    sections: list[Section] = field(default_factory=list)
    last_range: Period | None = None  # the last span a block stated ("over the same period")
    forecast: Period | None = None  # "the outlook for the next three years": the forecast period
    year_end_month: int | None = None  # the month the document's years end ("March years")
    last_table: tuple[str, int] | None = None  # (row key, number of columns) of the last keyed table
    # (row key, code) -> the row label that has it in this document (one code, one spelling)
    row_codes: dict[tuple[str, str], str] = field(default_factory=dict)

    def section_period(self) -> Period | None:
        for s in reversed(self.sections):
            if s.period is not None:
                return s.period
        return None

    def section_reference(self) -> date | None:
        for s in reversed(self.sections):
            if s.reference is not None:
                return s.reference
        return self.reference

    def dateline(self) -> date | None:
        """The date of the news item this block belongs to: its dateline, or the publication
        date of a page that declares itself an article."""
        for s in reversed(self.sections):
            if s.dateline is not None:
                return s.dateline
        return self.doc.published if self.doc.article else None

    def heading_text(self) -> str:
        return " ".join(s.heading for s in self.sections[-2:] if s.heading)


def prose_period(ctx: Context, text: str, q: Quantity, qi: int, qs: list[Quantity],
                  mentions: list[Mention], clause: tuple[int, int], carry: Period | None):
    """The period of a prose figure, from the nearest statement of one (never a guess)."""
    reference = ctx.section_reference()
    resolved: list[tuple[Mention, Period | None]] = []
    for m in mentions:
        if m.role in ("base", "after") or m.role == "event" and not clause[0] <= m.start < clause[1]:
            continue
        if m.start >= q.end and _GLUED_OPENING.search(text, max(0, m.start - 12), m.start):
            continue  # "...the CyberTiplineIn 1998, ...": a sentence glued on after the figure's
        if m.kind == "since":
            p = cumulative(m, ctx.as_of, ctx.as_of_inferred)
        elif m.kind == "following_n":
            p = _following(resolved, int(m.text.split()[0]))
        elif m.kind in RELATIVE_KINDS:
            p = resolve_relative(m, reference, ctx.as_of)
        else:
            p = m.period
        resolved.append((m, p))
    cs, ce = clause
    # the figure's clause, widened back to the last semicolon so that "; in CY 2021, it
    # received 29.3 million" keeps its "in CY 2021"
    lo = qs[qi - 1].end if qi else 0
    semi = max(text.rfind(c, lo, q.start) for c in ";:(")
    wide_start = min(cs, semi if semi >= 0 else lo)
    own = [(m, p) for m, p in resolved if cs <= m.start < ce]
    wide = [(m, p) for m, p in resolved if wide_start <= m.start < ce]

    # "$245 million, $165 million and $85 million in 2000/01, 2001/02 and 2002/03 respectively"
    paired = _respectively(text, q, qs, resolved)
    if paired is not None:
        return as_year(paired), paired.inferred
    # the forecast period a document announced: "in the final year of the forecast period",
    # "by the end of the period", "beyond 1999/2000"; without one, no period
    if _PERIOD_WORD.search(text, cs, ce) and _FORECAST_REF.search(text[cs:ce]) or \
            any(m.role == "after" and m.end <= q.start for m in mentions):
        f = ctx.forecast
        return (Period(f.start, f.end, "range", inferred=True), True) if f else (None, False)
    # a period right after the figure ("3.7% in 2007") wins over everything else
    tight = [(m, p) for m, p in own if m.start >= q.end and p is not None and m.kind != "since"
             and re.fullmatch(r"\s*(?:in|during|for|by|as of|as at|at)?\s*", text[q.end:m.start], re.I)]
    if tight:
        return _pair(text, q, qi, qs, tight[0][1]), tight[0][1].inferred
    # "since ..." in the figure's clause, or opening the sentence before it, makes it cumulative
    since = next(((m, p) for m, p in own if m.kind == "since"), None)
    if since is None:
        opening = [(m, p) for m, p in resolved if m.end <= q.start]
        if opening and opening[0][0].kind == "since" and not any(
                p is not None and m.kind != "since" for m, p in opening[1:]):
            since = opening[0]
    if since is not None:
        p = since[1]
        return (p, p.inferred) if p else (None, False)
    starts_change = qi + 1 < len(qs) and re.search(r"\bfrom\s*$", text[max(0, q.start - 8):q.start].lower()) and \
        re.fullmatch(r"\s*to\s*", text[q.end:qs[qi + 1].start].lower())
    if starts_change:
        # "falls from 21.8% to 17.8% between 1998/99 and 2002/03": the span's first year
        after_next = [p for m, p in resolved if m.start >= qs[qi + 1].end and p is not None and p.type == "range"
                      and re.fullmatch(r"\s*(?:between|over|from|during|in)?\s*", text[qs[qi + 1].end:m.start], re.I)]
        if after_next:
            return _pair(text, q, qi, qs, after_next[0]), after_next[0].inferred
        # "From April, the limit rises from £135 to £175": £135 holds until April
        lead = next(((m, p) for m, p in resolved if m.start < 20 and p is not None and p.start), None)
        if lead is not None and _FROM_WHEN.match(text):
            if lead[1].type == "range":  # "From 2010 to 2020, reports rose from 5 to 10"
                return _pair(text, q, qi, qs, lead[1]), lead[1].inferred
            return Period(None, lead[1].start - timedelta(days=1), "point"), False
    # "during the review period": the span the sentence's own years mark out (for the
    # "from" figure of "from 32 to 107 during the same period", in the "to" figure's clause)
    scope = text[cs:qs[qi + 1].end + 40] if starts_change else text[cs:ce]
    same = re.search(r"\bsame period\b", text[:ce]) if "same period" in text else None
    if same and any(same.end() <= m.start < q.start for m, _ in resolved):
        same = None  # a date between "the same period" and the figure is nearer
    if same or _PERIOD_WORD.search(scope) and \
            re.search(r"\b(?:during|over|in|of|throughout|end of)\s(?:the|this|that)\s(?:\w+\s)?period\b", scope, re.I):
        dated = [p for m, p in resolved if p is not None and m.kind != "since"]
        if len(dated) >= 2:
            span = Period(min(p.start for p in dated if p.start), max(p.end for p in dated), "range")
            return _pair(text, q, qi, qs, span), False
        if carry is not None:
            return carry, carry.inferred
        if ctx.last_range is not None and not dated and same:
            return _pair(text, q, qi, qs, ctx.last_range), False
    # "went up by 23 percent from 2,278 in 2004 to 2,807 in 2005": a change over the span
    # the dates after it mark out
    if q.unit == "percent" and _CHANGE_BY.search(text[max(0, q.start - 30):q.start]):
        later = [p for m, p in resolved if m.start >= q.end and p is not None and p.start and m.kind != "since"]
        if len(later) >= 2:
            return Period(min(p.start for p in later), max(p.end for p in later), "range"), False
    # a period right after the figure: "16.9 million reports in 2019", "as of Dec. 31, 2021"
    following = [(m, p) for m, p in own if m.start >= q.end and p is not None]
    if following:
        m, p = following[0]
        gap = text[q.end:m.start]
        if len(gap) <= 3 or len(gap) <= 12 and not re.search(r"\b(from|than|since|on)\b", gap) or len(gap) <= 60 and re.search(
                r"\b(in|during|for|by|as of|as at|of|to|at|through|between|from)\s*(?:the\s)?$", gap.lower() + " "):
            return _pair(text, q, qi, qs, p), p.inferred
    # (not one another figure holds: the "in 2021" of "up from 29.3 million in 2021, and 88 million")
    preceding = [(m, p) for m, p in wide if m.end <= q.start and p is not None and not _held(text, m, qs)]
    if preceding:
        p = preceding[-1][1]
        return _pair(text, q, qi, qs, p), p.inferred
    if following:
        p = following[0][1]
        return _pair(text, q, qi, qs, p), p.inferred
    # "from 80 years to 85 years in 2050": the starting figure is not at the end's date
    if starts_change:
        return (carry, carry.inferred) if carry else _reported(ctx, text, resolved)
    # "... a total of 14,902 incidents involving 18,867 children since we began tracking in 2005":
    # a "since" later in the sentence, with no other date between, covers this figure too
    later_since = [(m, p) for m, p in resolved if m.kind == "since" and m.start >= q.end]
    if later_since and not any(p is not None and m.kind != "since" and q.end <= m.start < later_since[0][0].start
                               for m, p in resolved):
        p = later_since[0][1]
        return (p, p.inferred) if p else (None, False)
    # a period that opens the sentence ("In 2021, ...", "As of January 31, 2023, ...") or, nearer
    # before the figure, one of its clauses ("In 2020, it received 21,669,264 reports, while in
    # 2021, it received 29,309,106 reports, an increase of 35.3 percent")
    lead = [(m, p) for m, p in resolved if p is not None and m.kind != "since" and (
        m.start < 25 or m.end <= q.start and _CLAUSE_LEAD.search(text, max(0, m.start - 20), m.start)
        and text.startswith(",", m.end))]
    lead = [x for x in lead if x[0].end <= q.start][-1:] or lead
    if lead:
        p = lead[0][1]
        return _pair(text, q, qi, qs, p), p.inferred
    # (not one in a clause about a person: "said Dr X, who two years ago helped ...")
    periods = {p for m, p in resolved if p is not None and m.kind != "since"
               and not _ABOUT_PERSON.search(text[max(0, m.start - 60):m.start]) and not _held(text, m, qs)}
    if len(periods) == 1:
        p = next(iter(periods))
        return _pair(text, q, qi, qs, p), p.inferred
    if carry is not None:
        return carry, carry.inferred
    sec = ctx.section_period()
    if sec is not None:
        return sec, sec.inferred
    if ctx.forecast is not None and not resolved and re.search(r"\bforecasts?\b", text, re.I):
        # "Net debt forecasts are lower by $100 million": over the forecast period
        return Period(ctx.forecast.start, ctx.forecast.end, "range", inferred=True), True
    return _reported(ctx, text, resolved)


# a capitalised preposition glued to the word before it: text that lost a sentence break
_GLUED_OPENING = re.compile(r"[a-z](?:In|On|At|By|For|During|Since|As of)\s+$")
# "..., while in 2021," / "; in CY 2021,": a period that opens a clause
_CLAUSE_LEAD = re.compile(r"(?:[,;:—–]\s*|\b(?:while|whereas|and|but|then)\s+)(?:in|during|for|by|as of|as at)\s+$", re.I)
_HOLDS = re.compile(r"\s*(?:in|during|for|by|as of|as at|at)?\s*(?:the\s)?", re.I)
_BASE_BEFORE = re.compile(r"\b(?:from|than|compared (?:to|with)|versus|vs\.?|against)\s(?:[a-z-]+\s){0,3}$", re.I)


def _held(text: str, m: Mention, qs: list[Quantity]) -> bool:
    """Is the mention the period of a comparison base right before it ("up from 21.7 million in
    2020", "down from 4.5% in the fourth quarter of 2003"), its own and no other figure's? (The
    result of a change shares its period: "fell by 13% to 19,392 cases in 2005".)"""
    prev = max((x for x in qs if x.end <= m.start), key=lambda x: x.end, default=None)
    if prev is None or _HOLDS.fullmatch(text, prev.end, m.start) is None:
        return False
    start = prev.qualifier_span[0] if prev.qualifier_span else prev.start
    return _BASE_BEFORE.search(text, max(0, start - 40), start) is not None


def _reported(ctx: Context, text: str, resolved: list[tuple[Mention, Period | None]]):
    """A figure a dated news item states without a period of its own is as of the item's
    date ("63,500 adults are living with HIV", "the campaign has cost £4 million"), marked
    inferred; not when the sentence places it elsewhere in time ("in the late 1990s")."""
    day = ctx.dateline()
    if day is None or resolved or _ELSEWHEN.search(text) or _UNDATED_SPAN.search(text):
        return None, False
    return Period(None, day, "as_reported", inferred=True), True


def _pair(text: str, q: Quantity, qi: int, qs: list[Quantity], p: Period) -> Period:
    """'from 35% to 33%' over a range: the first figure is its start, the second its end."""
    if p.type != "range" or not p.start or not p.end or p.start.year == p.end.year:
        return as_year(p)
    before = text[max(0, q.start - 6):q.start].lower()
    if re.search(r"\bfrom\s$", before) and qi + 1 < len(qs) and re.match(r"\s?to\s", text[q.end:qs[qi + 1].start].lower()):
        return Period(p.start, date(p.start.year, 12, 31) if p.start.month == 1 else _fy_end_of(p.start), "year")
    return p


def _fy_end_of(d: date) -> date:
    return date(d.year + 1, d.month - 1 if d.month > 1 else 12, 28) if d.month != 1 else date(d.year, 12, 31)


def stated(period: Period | None, text: str) -> Period | None:
    """The period a sentence states for what it reports (not a projection's target year)."""
    return None if period is None or _PROJECTION.search(text) else period


def points_back(text: str, before: str) -> bool:
    """Does a sentence refer to the one before it: "of these children", "the fall", or a
    definite noun phrase whose noun the sentence before used ("the one-off items")?"""
    if _ANAPHORA.search(text):
        return True
    earlier = {w.lower() for w in _CONTENT_WORD.findall(before)}
    return any(w.lower() in earlier for w in _DEFINITE.findall(text))


def _following(resolved: list[tuple[Mention, Period | None]], n: int) -> Period | None:
    """'in the following two years': the n years after the last period stated before it."""
    before = [p for _, p in resolved if p is not None and p.end]
    if not before:
        return None
    end = before[-1].end
    return Period(end + timedelta(days=1), _add_years(end, n), "range")


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def _respectively(text: str, q: Quantity, qs: list[Quantity], resolved) -> Period | None:
    """The n-th of n figures takes the n-th of the n periods listed before 'respectively'."""
    r = text.find("respectively", q.end)
    if r < 0:
        return None
    last_q = max((x.end for x in qs if x.end <= r), default=0)
    dated = [p for m, p in resolved if last_q <= m.start < r and p is not None]
    if len(dated) < 2:
        return None
    figures = [x for x in qs if x.end <= last_q and x.unit == q.unit][-len(dated):]
    if len(figures) != len(dated) or q not in figures:
        return None
    return dated[figures.index(q)]


def forecast_period(ctx: Context, m: re.Match) -> Period | None:
    """'the outlook for the next three years', stated at the reference date: from then to the end
    of the (fiscal) year three years after the current one."""
    ref = ctx.section_reference()
    if ref is None:
        return None
    n = int(m.group("n")) if m.group("n").isdigit() else WORD_NUMBERS[m.group("n").lower()]
    fem = ctx.year_end_month or 12
    year_end = date(ref.year if ref.month <= fem else ref.year + 1, fem, 1)
    return Period(ref, month_end(year_end.year + n, fem), "range", inferred=True)

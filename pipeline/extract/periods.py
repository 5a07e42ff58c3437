"""Period expressions ("CY 2021", "since 1998", "between 1998 and June, 2012", "1998/99", "last
year") and the rules that give a figure its period. Never guess: when nothing in the sentence,
its section or (for tables) its headers and document title says when, the period stays empty.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from .numbers import WORD_NUMBERS, finditer_in, merged_windows

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NAMES.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTH_NAMES["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
# One date: "Dec. 31, 2021", "31 December 2021", "11th November 2012", "June, 2012", "12/31/2021"
_DATE = (rf"(?:{_MONTH}\s{_DAY},?\s{_YEAR}|{_DAY}\s(?:of\s)?{_MONTH},?\s{_YEAR}|{_MONTH},?\s{_YEAR}"
         rf"|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})\b)")
_FY = rf"(?:{_YEAR}[/–-](?:\d{{4}}|\d{{2}}|\d)\b)"
_POINT = rf"(?:{_DATE}|(?:CY|FY|calendar year|fiscal year)\s?{_YEAR}|{_FY}|{_YEAR})"

# the characters around a year (or a d/m/y date's "1/3") that hold any match of a dated pattern
# without start strings: a range of two dates at most, by default
NEAR = (60, 60)
_N = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty)"
# (?=...): fail fast where no date (a month name or a day's digit) starts
_DATE_START = r"(?=[jfmasond\d])(?=\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_DATE_RX = re.compile(rf"{_DATE_START}(?P<a>{_DATE})", re.I)
_SINCE_BARE = re.compile(r"\bsince\b(?P<a>)", re.I)


class _Pattern(NamedTuple):
    """A period pattern. With `starts`, it runs only where a match can start: at an occurrence
    (in the lower-cased text) of one of them, found by `str.find`, far cheaper than trying the
    regular expression at every position. Without, it runs near the text's years (or, for a
    relative period, everywhere)."""

    kind: str
    rx: re.Pattern
    starts: tuple[str, ...] = ()
    needs: tuple[str, ...] | None = None  # strings the text must hold for any match: a cheaper gate
    near: tuple[int, int] = NEAR  # characters before and after a year that hold any match


_MONTHS_LOW = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
_RELATIVE = ("last year", "this year", "next year", "the previous year", "the past year", "a year ago", "last month",
             "this month", "this week", "last week", "yesterday", "today", "now", "currently", "to date", "so far",
             "at present")
PATTERNS = [
    _Pattern("range", re.compile(rf"\b(?:between|from)\s(?P<a>{_POINT})\s(?:and|to|through|until|-|–)\s(?P<b>{_POINT})",
                                 re.I), ("between", "from")),
    _Pattern("range", re.compile(rf"(?<![\w/]){_DATE_START}(?P<a>{_DATE}|{_YEAR})\s?(?:-|–|to|through)\s?"
                                 rf"(?P<b>{_DATE}|{_YEAR})(?![\w/])", re.I)),
    _Pattern("as_of", re.compile(rf"\b(?:as (?:of|at)|at the end of|by the end of|up to and including|to the end of)"
                                 rf"\s(?P<a>{_POINT})", re.I),
             ("as of", "as at", "at the end of", "by the end of", "up to and including", "to the end of")),
    # "the March quarter 2004", "the fourth quarter of 2003", "Q1 2013", "2013 Q1"
    _Pattern("quarter", re.compile(
        rf"\b(?:the\s)?(?:(?P<m>March|June|September|December)\squarter(?:\sof)?|(?P<q>first|second|third|fourth|"
        rf"1st|2nd|3rd|4th)\squarter\sof(?:\sthe\syear)?)\s(?P<a>{_YEAR})\b|\bQ(?P<n>[1-4])\s?(?P<a2>{_YEAR})\b"
        rf"|\b(?P<a3>{_YEAR})\s?Q(?P<n3>[1-4])\b", re.I), needs=("quarter", "q1", "q2", "q3", "q4"), near=(36, 8)),
    _Pattern("year_to", re.compile(rf"\b(?:the\s)?year (?:to|ending|ended)\s(?P<m>{_MONTH})\s(?P<a>{_YEAR})", re.I),
             ("the", "year")),
    _Pattern("year_to", re.compile(rf"\bthe\s(?P<m>{_MONTH})\s(?P<a>{_YEAR})\s(?:year|quarter)\b", re.I), ("the",)),
    _Pattern("since", re.compile(rf"\bsince\s(?:[\w'’]+\s){{0,8}}?(?:in\s)?(?P<a>{_POINT})", re.I), ("since",)),
    _Pattern("since", _SINCE_BARE, ("since",)),
    _Pattern("point", _DATE_RX, near=(24, 12)),  # "30th of September, 2021", "12/31/2021"
    _Pattern("point", re.compile(rf"(?P<a>(?:CY|FY|calendar year|fiscal year)\s?{_YEAR}(?:[/–-]\d{{2,4}})?)", re.I),
             ("cy", "fy", "calendar year", "fiscal year")),
    _Pattern("point", re.compile(rf"(?P<a>{_FY})"), near=(1, 8)),
    _Pattern("point", re.compile(rf"(?P<a>(?:\bthe\s)?{_YEAR}\syear\b)", re.I), needs=("year",), near=(6, 8)),
    # a year, not a decade ("the late 1990s")
    _Pattern("point", re.compile(rf"(?<![\d,.$£€])(?P<a>{_YEAR})(?!\d|,\d|\.\d|\s?%|['’]?s\b)"), near=(1, 6)),
    _Pattern("relative", re.compile(rf"\b(?P<a>{'|'.join(_RELATIVE)})\b", re.I),
             ("last ", "this ", "next ", "the p", "a year", "yesterday", "today", "now", "currently", "to date",
              "so far", "at present"),
             needs=("year", "month", "week", "yesterday", "today", "now", "currently", "to date", "so far", "present")),
    _Pattern("last_n", re.compile(rf"\b(?:during|over|in|for)\sthe\s(?:last|past|previous)\s(?P<n>{_N})\s"
                                  rf"(?P<u>years|months)\b", re.I),
             ("during", "over", "in", "for"), needs=("last", "past", "previous")),
    # "2½% in the year to March 2000, 3½% in the following two years": after the period before it
    _Pattern("following_n", re.compile(rf"\b(?:in|over|for|during)\sthe\s(?:following|subsequent)\s(?P<n>{_N})\s"
                                       rf"(?P<u>years)\b", re.I),
             ("in", "over", "for", "during"), needs=("following", "subsequent")),
    _Pattern("ago", re.compile(rf"\b(?P<n>{_N}|a)\s(?P<u>years?)\sago\b", re.I), needs=("ago",)),
    # "over the next three years", "will total 13% over three years": from the reference date on
    _Pattern("next_n", re.compile(rf"\bover\s(?P<next>the\s(?:next|coming)\s)?(?P<n>{_N})\s(?P<u>years)\b", re.I),
             ("over",)),
    # "will spend £260m in the first year": the n-th year after the reference date
    _Pattern("nth_year", re.compile(r"\bin\sthe\s(?P<n>first|second|third|fourth|fifth)\syear\b(?!\sof\b)", re.I),
             ("in",), needs=("year",)),
    # a month without its year ("in August", "From April"): the one nearest the reference date
    _Pattern("month", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Ff]rom|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hrough|[Ll]ast|[Tt]his|[Ee]arly|"
                                 r"[Ll]ate)\s(?P<m>January|February|March|April|May|June|July|August|September|October|"
                                 r"November|December)\b(?!,?\s\d{1,2}\b|[\s,]*\d{4})"),
             ("in", "since", "from", "during", "by", "until", "through", "last", "this", "early", "late"),
             needs=_MONTHS_LOW),
]
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_BASELINE = re.compile(r"\s(?:average|mean|baseline|norm|levels?|figures?)\b", re.I)
_CHANGE = re.compile(r"\b(increas\w*|decreas\w*|ris(?:e|es|ing)|rose|fell|fall\w*|grew|grow\w*|up|down|"
                     r"drop\w*|declin\w*|jump\w*|doubl\w*|trebl\w*|tripl\w*|chang\w*|higher|lower|more|less|"
                     r"%|per ?cent)\b|%")
_YEARISH = re.compile(r"(?:1[6-9]|20)\d\d|\d/\d")
_MONTHISH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d/\d")  # a date needs one of these
# period kinds that need no year: resolved against the reference date
RELATIVE_KINDS = ("relative", "last_n", "ago", "next_n", "nth_year", "month", "following_n")
# what a text without a year must hold to state any period
_ANY_TRIGGER = re.compile("|".join(re.escape(t) for p in PATTERNS if p.kind in RELATIVE_KINDS + ("since",)
                                   for t in p.needs or p.starts))
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", re.I)


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    type: str  # calendar_year, fiscal_year, range, cumulative, point, year
    inferred: bool = False

    @property
    def end_year(self) -> int | None:
        return self.end.year if self.end else None


@dataclass
class Mention:
    start: int
    end: int
    kind: str  # range, as_of, since, point, relative, year_to, last_n
    period: Period | None  # None for relative/since-without-year until resolved
    text: str
    role: str = ""  # "base" for a comparison base ("from 2020"), "since" for cumulative starts,
    #                 "event" for the date of something else ("founded in 1984"),
    #                 "after" for the start of what follows it ("beyond 1999/2000")

    def shifted(self, by: int) -> Mention:
        """This mention with its span `by` characters further left (block to sentence offsets);
        itself when `by` is 0."""
        if not by:
            return self
        return Mention(self.start - by, self.end - by, self.kind, self.period, self.text, self.role)


def _year_period(y: int, fiscal_end_month: int | None = None) -> Period:
    if fiscal_end_month:
        return Period(_month_start(y - 1, fiscal_end_month % 12 + 1), month_end(y, fiscal_end_month), "fiscal_year")
    return Period(date(y, 1, 1), date(y, 12, 31), "calendar_year")


def _month_start(y: int, m: int) -> date:
    return date(y, m, 1)


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _two_digit_year(y: int) -> int:
    return 2000 + y if y < 50 else 1900 + y


@lru_cache(maxsize=8192)
def parse_point(s: str, fiscal_end_month: int | None = None) -> Period | None:
    """One point or year: '2021', 'CY 2021', '1998/99', 'Dec. 31, 2021', 'June, 2012'. Cached:
    the same years come back all through a document (a Period is immutable)."""
    s = s.strip().rstrip(".,")
    m = re.fullmatch(rf"(?:the\s)?({_YEAR})\syear", s, re.I)
    if m:
        return _year_period(int(m.group(1)), fiscal_end_month or 6)
    m = re.fullmatch(rf"(CY|FY|calendar year|fiscal year)\s?({_YEAR})(?:[/–-](\d{{2,4}}))?", s, re.I)
    if m:
        y = int(m.group(2))
        if m.group(1).lower().startswith(("fy", "fiscal")):
            if m.group(3):
                y = _fy_end(y, m.group(3))
            return _year_period(y, fiscal_end_month or 6)
        return _year_period(y)
    m = re.fullmatch(rf"({_YEAR})[/–-](\d{{1,4}})", s)
    if m:
        y2 = _fy_end(int(m.group(1)), m.group(2))
        if y2 is None:
            return None
        return _year_period(y2, fiscal_end_month or 6)
    m = re.fullmatch(_YEAR, s)
    if m:
        return _year_period(int(s))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", s)
    if m:
        mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y if y > 99 else _two_digit_year(y)
        if mo > 12:  # day/month/year
            mo, d = d, mo
        try:
            dt = date(y, mo, d)
        except ValueError:
            return None
        return Period(dt, dt, "point")
    m = re.fullmatch(rf"({_MONTH})\s({_DAY}),?\s({_YEAR})", s, re.I) or None
    if m:
        mo = MONTH_NAMES[m.group(1).rstrip(".").lower()]
        dt = _safe_date(int(m.group(3)), mo, int(re.match(r"\d+", m.group(2)).group()))
        return Period(dt, dt, "point") if dt else None
    m = re.fullmatch(rf"({_DAY})\s(?:of\s)?({_MONTH}),?\s({_YEAR})", s, re.I)
    if m:
        mo = MONTH_NAMES[m.group(2).rstrip(".").lower()]
        dt = _safe_date(int(m.group(3)), mo, int(re.match(r"\d+", m.group(1)).group()))
        return Period(dt, dt, "point") if dt else None
    m = re.fullmatch(rf"({_MONTH}),?\s({_YEAR})", s, re.I)
    if m:
        mo, y = MONTH_NAMES[m.group(1).rstrip(".").lower()], int(m.group(2))
        return Period(_month_start(y, mo), month_end(y, mo), "month")
    return None


_DATELINE_PREFIX = re.compile(r"^(?:(?:posted|updated|published|last updated)\s*(?:on)?\s*:?\s*)?"
                              r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s)?", re.I)


def dateline(text: str) -> date | None:
    """The day a short block under a headline dates its item: the block is a date ("24th November
    2006", "Posted: 3 May 2021") or a byline with the date on a line of its own."""
    if len(text) > 160:
        return None
    for line in text.strip().splitlines()[:4]:
        p = parse_point(_DATELINE_PREFIX.sub("", line.strip()))
        if p is not None and p.type == "point":
            return p.end
    return None


def _safe_date(y, m, d) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _fy_end(y1: int, tail: str) -> int | None:
    """'1998/99' -> 1999, '1999/2000' -> 2000, '2006/7' -> 2007; None if not consecutive."""
    if len(tail) == 4:
        y2 = int(tail)
    elif len(tail) == 2:
        y2 = y1 // 100 * 100 + int(tail)
        if y2 < y1:
            y2 += 100
    else:
        y2 = y1 // 10 * 10 + int(tail)
        if y2 < y1:
            y2 += 10
    return y2 if y2 == y1 + 1 else None


class _Starts:
    """Where each start string occurs in a lower-cased text, found once per text."""

    def __init__(self, lowered: str):
        self.lowered = lowered
        self._at: dict[str, list[int]] = {}

    def _find(self, s: str) -> list[int]:
        at = self._at.get(s)
        if at is None:
            at, i = [], self.lowered.find(s)
            while i >= 0:
                at.append(i)
                i = self.lowered.find(s, i + 1)
            self._at[s] = at
        return at

    def of(self, p: _Pattern) -> list[int]:
        lists = [at for at in map(self._find, p.starts) if at]
        return lists[0] if len(lists) == 1 else sorted(set().union(*lists))


def finditer_at(rx: re.Pattern, text: str, starts: list[int]):
    """`rx.finditer(text)` for a pattern whose matches (never empty) can only start at `starts`
    (sorted): the leftmost match, then the next one from its end."""
    end = 0
    for i in starts:
        if i >= end:
            m = rx.match(text, i)
            if m is not None:
                end = m.end()
                yield m


def find_mentions(text: str, fiscal_end_month: int | None = None, kinds: tuple[str, ...] | None = None) -> list[Mention]:
    """Every period expression in `text` (of `kinds` only, if given), longest first, without
    overlaps."""
    if len(text) <= 200:  # table headers and row labels repeat on every page
        return list(_find_short(text, fiscal_end_month, kinds))
    return _find_mentions(text, fiscal_end_month, kinds)


@lru_cache(maxsize=8192)
def _find_short(text: str, fiscal_end_month: int | None, kinds: tuple[str, ...] | None) -> tuple[Mention, ...]:
    return tuple(_find_mentions(text, fiscal_end_month, kinds))


def _find_mentions(text: str, fiscal_end_month: int | None, kinds: tuple[str, ...] | None = None) -> list[Mention]:
    lowered = text.lower()
    dated = _YEARISH.search(text) is not None
    if not dated and _ANY_TRIGGER.search(lowered) is None:
        return []  # no year, and none of the words a relative period needs
    found: list[Mention] = []
    # nothing inside a web address is a date ("wp-content/uploads/2018/03/...")
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _URL.finditer(text)] \
        if "http" in lowered or "www." in lowered else []
    has_date = dated and _MONTHISH.search(lowered) is not None
    starts, years, windows = _Starts(lowered), None, {}
    for p in PATTERNS:
        if kinds is not None and p.kind not in kinds:
            continue
        if p.needs is not None and not any(t in lowered for t in p.needs):
            continue  # a cheap test before the regular expression
        undated = p.kind in RELATIVE_KINDS or p.rx is _SINCE_BARE
        if not dated and not undated or p.rx is _DATE_RX and not has_date:
            continue  # every other pattern needs a year (or a d/m/y date)
        if p.starts:
            matches = finditer_at(p.rx, text, starts.of(p))
        elif undated:
            matches = p.rx.finditer(text)
        else:  # a dated pattern holds a year (or a d/m/y date): run it near one
            if years is None:
                years = [m.span() for m in _YEARISH.finditer(text)]
            if p.near not in windows:
                windows[p.near] = merged_windows(years, len(text), *p.near)
            matches = finditer_in(p.rx, text, windows[p.near])
        for m in matches:
            a, b = m.start(), m.end()
            if any(not (b <= x or a >= y) for x, y in taken):
                continue
            men = _mention(p.kind, m, text, fiscal_end_month)
            if men is None:
                continue
            found.append(men)
            taken.append((a, b))
    found.sort(key=lambda x: x.start)
    for men in found:
        if men.kind not in ("point", "range", "year_to", "quarter"):
            continue
        wider = text[max(0, men.start - 60):men.start].lower()
        before = re.split(r"[.!?]\s", wider)[-1]  # within the sentence
        if _BASELINE.match(text, men.end) and re.search(r"\b(?:above|below|than|to|with|over)\s(?:the\s|its\s)?$", before):
            men.role = "base"  # "40% above the 1991-2020 average", "close to the 2019 level"
            continue
        if men.kind == "range":
            continue
        if _EVENT.search(wider):
            men.role = "event"  # "established by Congress in 1984": when something else happened
            continue
        if re.search(r"\b(?:beyond|after)\s(?:the\s)?$", before):
            men.role = "after"  # "Beyond 1999/2000 the balance rises": the years after it
            continue
        # a comparison base: "increased more than 40% from 2020", "up by 5% on 2004 figures"
        if re.search(r"\b(than|compared (?:to|with)|versus|vs\.?|relative to)\s(?:(?:in|during|for)\s)?(?:the\s)?$",
                     before) or (
                re.search(r"\b(from|on|over)\s(?:the\s)?$", before) and _CHANGE.search(before)):
            men.role = "base"
    return found


# a verb of founding or starting: the year after it dates that event, not the figures around it
_EVENT = re.compile(r"\b(?:founded|established|launched|created|formed|opened|set up|introduced|enacted|passed|"
                    r"signed|adopted|ratified|abolished|declared|designated|recognised|recognized|elected|"
                    r"appointed|incorporated|inaugurated|chartered|built|born|began|begun|started|died|"
                    r"creation|founding|foundation|inception|launch|establishment|opening)"
                    r"(?:\s[\w.,&'’-]+){0,6}?\s(?:in|on|during)\s(?:the\s)?$")
_FUTURE = re.compile(r"\b(?:will|shall|is to|are to|is set to|are set to)\b", re.I)


def _mention(kind, m, text, fem) -> Mention | None:
    s = m.group(0)
    if kind == "range":
        pa, pb = parse_point(m.group("a"), fem), parse_point(m.group("b"), fem)
        if not pa or not pb or (pa.start and pb.end and pa.start > pb.end):
            return None
        return Mention(m.start(), m.end(), kind, Period(pa.start, pb.end, "range"), s)
    if kind == "as_of":
        p = parse_point(m.group("a"), fem)
        return Mention(m.start(), m.end(), kind, Period(None, p.end, "point"), s) if p else None
    if kind == "quarter":
        y = int(m.group("a") or m.group("a2") or m.group("a3"))
        if m.group("m"):
            last = MONTH_NAMES[m.group("m").lower()]
        elif m.group("q"):
            last = 3 * _QUARTER[m.group("q").lower()]
        else:
            last = 3 * int(m.group("n") or m.group("n3"))
        return Mention(m.start(), m.end(), kind, Period(_month_start(y, last - 2), month_end(y, last), "quarter"), s)
    if kind == "year_to":
        mo, y = MONTH_NAMES[m.group("m").rstrip(".").lower()], int(m.group("a"))
        if "quarter" in s.lower():
            q_start = (mo - 1) // 3 * 3 + 1
            return Mention(m.start(), m.end(), kind, Period(_month_start(y, q_start), month_end(y, mo), "quarter"), s)
        return Mention(m.start(), m.end(), kind, Period(_month_start(y - 1, mo % 12 + 1) if mo != 12 else date(y, 1, 1),
                                                        month_end(y, mo), "fiscal_year"), s)
    if kind == "since":
        if not m.group("a"):
            return Mention(m.start(), m.end(), kind, None, s, role="since")
        p = parse_point(m.group("a"), fem)
        return Mention(m.start(), m.end(), kind, p, s, role="since") if p else None
    if kind == "point":
        p = parse_point(m.group("a"), fem)
        return Mention(m.start(), m.end(), kind, p, s) if p else None
    if kind == "relative":
        return Mention(m.start(), m.end(), kind, None, s.lower())
    if kind in ("last_n", "ago", "next_n", "following_n"):
        if kind == "next_n" and not m.group("next") and not _FUTURE.search(text[max(0, m.start() - 100):m.start()]):
            return None  # "rose 13% over three years" looks back, "will total 13% over three years" ahead
        n = m.group("n").lower()
        n = 1 if n == "a" else int(n) if n.isdigit() else WORD_NUMBERS[n]
        return Mention(m.start(), m.end(), kind, None, f"{n} {m.group('u').lower().rstrip('s')}s")
    if kind == "nth_year":
        if not _FUTURE.search(text):
            return None  # only a plan's years count from the reference date
        return Mention(m.start(), m.end(), kind, None, str(_ORDINAL[m.group("n").lower()]))
    if kind == "month":
        return Mention(m.start(), m.end(), kind, None, str(MONTH_NAMES[m.group("m").lower()]))
    return None


def resolve_relative(men: Mention, reference: date | None, as_of: date | None) -> Period | None:
    """'last year', 'now', 'to date', 'during the last 37 years' against the reference dates."""
    if men.kind == "last_n":
        end = as_of or reference
        if not end:
            return None
        n, unit = men.text.split()
        years = int(n) if unit == "years" else 0
        start = date(end.year - years, end.month, 1) if years else None
        return Period(start, end, "range", inferred=as_of is None)
    t = men.text
    if men.kind in ("ago", "next_n", "nth_year", "month") and reference is None:
        return None
    if men.kind == "ago":
        return _year_period(reference.year - int(t.split()[0]))
    if men.kind == "next_n":
        n = int(t.split()[0])
        return Period(reference, _safe_date(reference.year + n, reference.month, min(reference.day, 28)), "range")
    if men.kind == "nth_year":
        return _year_period(reference.year + int(t))
    if men.kind == "month":
        mo = int(t)
        # the nearest such month to the reference date, before or after it
        y = min((reference.year - 1, reference.year, reference.year + 1),
                key=lambda yy: abs((date(yy, mo, 15) - reference).days))
        return Period(_month_start(y, mo), month_end(y, mo), "month")
    if t in ("to date", "so far"):
        end = as_of or reference
        return Period(None, end, "cumulative", inferred=as_of is None) if end else None
    if reference is None:
        return None
    y = reference.year
    if t in ("last year", "the previous year", "the past year", "a year ago"):
        return _year_period(y - 1)
    if t in ("this year",):
        return _year_period(y)
    if t == "next year":
        return _year_period(y + 1)
    if t in ("now", "today", "currently", "at present", "this week", "this month", "yesterday", "last week"):
        return Period(reference, reference, "point")
    if t == "last month":
        mo, yy = (reference.month - 1, y) if reference.month > 1 else (12, y - 1)
        return Period(_month_start(yy, mo), month_end(yy, mo), "month")
    return None


def cumulative(since: Mention, as_of: date | None, inferred: bool) -> Period | None:
    """'since 1998' runs from 1998 to the document's as-of date; unknown end -> no period."""
    if as_of is None:
        return None
    start = since.period.start if since.period else None
    return Period(start, as_of, "cumulative", inferred=inferred)


def single_period(mentions: list[Mention]) -> Period | None:
    """The one period a heading or lead sentence states, or None if it states several or none."""
    periods = {m.period for m in mentions if m.period is not None and m.role not in ("base", "since", "after", "event")}
    if len(periods) == 1:
        return next(iter(periods))
    ends = {p.end_year for p in periods}
    if len(ends) == 1 and periods:
        # "Between 1/1/2021 and 12/31/2021": a range inside one year is that year
        return max(periods, key=lambda p: (p.end - p.start).days if p.start and p.end else 0)
    return None


def as_year(p: Period) -> Period:
    """A range that covers exactly one calendar year is that calendar year."""
    if p.type != "calendar_year" and p.start and p.end and p.end.year == p.start.year \
            and (p.start.month, p.start.day, p.end.month, p.end.day) == (1, 1, 12, 31):
        return replace(p, type="calendar_year")
    return p

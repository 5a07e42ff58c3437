"""Find numbers in text and decide which are quantities (observations) and which are not.

`scan(text)` returns every number-like span as a `Quantity` (value, unit, qualifier, scale) or a
`NonQuantity` (a year, date, phone number, footnote, ordinal... with the reason), so that
`facts extract --explain` can show what was skipped and why. Lexicons (qualifier words, scale
words, currencies, units) come from `rules/lexicon.yaml` through `Lexicon`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import Lexicon

# re.compile, memoised in C: the hot checks below compile once and then cost a dict lookup
_rx = lru_cache(maxsize=None)(re.compile)

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "dozen": 12, "a dozen": 12,
}
FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅛": 0.125}
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")

# thousands grouped by commas ("21,751,085") or, as WHO and UN texts write them, by spaces
# ("630 000", "1 300 000": groups of exactly three digits after the first)
_DIGITS = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d,.])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,]|\.\d)(?:\.\d+)?"
           r"|\d+(?:\.\d+)?|(?<![\w.])\.\d+)")
_FRAC = "[½¼¾⅓⅔⅕⅛]"
_NUMERAL = rf"(?:{_DIGITS}{_FRAC}?|{_FRAC})"


@dataclass
class Quantity:
    start: int  # span of the whole quantity expression (qualifier excluded)
    end: int
    surface: str
    value: float
    unit: str = "count"
    qualifier: str = "exact"
    qualifier_span: tuple[int, int] | None = None
    flags: list[str] = field(default_factory=list)
    negative: bool = False
    rate: str | None = None  # "per week", "a year"
    range_with: int | None = None  # index of the other end of a range "between 5 and 10"
    approximate_word: bool = False

    def shifted(self, by: int) -> Quantity:
        """This quantity with its spans `by` characters further left (block to sentence offsets);
        itself when `by` is 0 (a sentence's quantities are only read)."""
        if not by:
            return self
        new = object.__new__(Quantity)
        new.__dict__.update(self.__dict__)  # every field, without dataclasses.replace's per-field work
        new.start, new.end = self.start - by, self.end - by
        if self.qualifier_span:
            new.qualifier_span = (self.qualifier_span[0] - by, self.qualifier_span[1] - by)
        return new


@dataclass
class NonQuantity:
    start: int
    end: int
    surface: str
    reason: str


_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+")
_GROUPING = re.compile(r"[, \u00a0\u2009\u202f]")


def _num_value(s: str) -> float:
    frac = 0.0
    if s and s[-1] in FRACTIONS:
        frac = FRACTIONS[s[-1]]
        s = s[:-1]
    return (float(_GROUPING.sub("", s)) if s else 0.0) + frac


class Scanner:
    """Scans text for quantities using the lexicon; one instance per rules version."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self._memo = threading.local()  # per thread: Dask workers may scan in several at once
        scale = "|".join(sorted(map(re.escape, lexicon.scales), key=len, reverse=True))
        short_scale = "|".join(sorted(map(re.escape, lexicon.short_scales), key=len, reverse=True))
        cur_pre = "|".join(sorted(map(re.escape, lexicon.currency_prefixes), key=len, reverse=True))
        cur_suf = "|".join(sorted(map(re.escape, lexicon.currency_suffixes), key=len, reverse=True))
        units = "|".join(sorted(map(re.escape, lexicon.units), key=len, reverse=True))
        words = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
        # A numeral with optional currency before and scale / percent / unit after.
        # (?=[...]): a figure starts with a sign, a digit, a fraction or a currency's first letter
        starts = "".join(sorted({re.escape(c[0].lower()) for c in lexicon.currency_prefixes}))
        self.rx = re.compile(
            rf"(?=[-−–\d½¼¾⅓⅔⅕⅛.{starts}])"
            rf"(?P<neg>(?<![\w.,])[-−–](?=[$£€\d]))?(?P<cur>(?:{cur_pre})\s?)?"
            rf"(?P<num>{_NUMERAL})"
            rf"(?:(?P<pct>\s?(?:%|per\s?cent\b|percent\b|pc\b))"
            rf"|(?P<scale>\s?(?:{scale})(?:\b|(?=[a-z]{{3}})(?!aire))|(?<=\d)(?-i:{short_scale})\b)"
            rf"(?P<cur2>\s(?:{cur_suf})\b)?"
            rf"|(?P<pence>(?<=\d)p)\b"
            rf"|(?P<unit>\s?(?:{units})(?![a-z]))"
            rf"|(?P<cursuf>\s(?:{cur_suf})\b))?",
            re.I)
        # the most characters a figure can start before its digits: a sign, a currency, a space
        # and a decimal point (".5")
        self.reach = 1 + max(map(len, lexicon.currency_prefixes)) + 1 + 1
        # (?=[...]): the first letters of number words, so most positions fail at once
        self.word_rx = re.compile(
            rf"\b(?=[zotfsenhad])(?P<w1>(?:{words})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)\b"
            rf"(?:(?P<pct>\s(?:per\s?cent|percent)\b)|(?P<scale>\s(?:{scale})\b))?", re.I)
        self.half_rx = re.compile(rf"\b(?:half a|a half)\s(?P<scale>{scale})\b", re.I)
        self.ratio_rx = re.compile(
            rf"\b(?=[\dzotfsenhad])(?P<a>\d+|{words})\s(?:in|out of)\s(?P<b>\d[\d,]*|{words})\b(?!\s*(?:{MONTHS}|\d))", re.I)
        self.every_rx = re.compile(
            rf"\b(?P<a>one|\d+)\s(?P<what>(?:new\s)?\w+)\sfor every\s(?P<b>\d[\d,]*|{words})\b", re.I)

    # ------------------------------------------------------------------------------------
    def scan(self, text: str, *, table: bool = False, markers: list[tuple[int, int]] = ()) -> \
            tuple[list[Quantity], list[NonQuantity]]:
        """All quantities and skipped numbers in `text`. `markers` are footnote spans to skip.

        In a table cell, bracketed numbers are negative ("(0.4)") and a bare number is a count.
        """
        # Most table cells are one plain figure ("21,751,085", "93.5%"): nothing around it can
        # make it a year, a date, a code or a phone number, so skip the full scan.
        plain = None if markers else _PLAIN.fullmatch(text)
        if plain:
            a, b = plain.start("n"), plain.end("pct" if plain.group("pct") else "n")
            value = float(plain.group("n").replace(",", ""))
            return [Quantity(a, b, text[a:b], value, unit="percent" if plain.group("pct") else "count")], []
        return self._scan(text, table=table, markers=markers)

    def _scan(self, text: str, *, table: bool, markers) -> tuple[list[Quantity], list[NonQuantity]]:
        quantities: list[Quantity] = []
        skipped: list[NonQuantity] = []
        taken: list[tuple[int, int]] = [tuple(m) for m in markers]
        for a, b in markers:
            skipped.append(NonQuantity(a, b, text[a:b], "footnote marker"))
        lowered = text.lower()

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        # 1. ratios ("1 in 6", "one in three", "nine in 10"); cheap checks first, most texts have none
        ratio_windows = digit_windows(lowered, _IN_OUT_OF, before=16, after=40) \
            if (" in " in lowered or " out of " in lowered) else ()
        for m in finditer_in(self.ratio_rx, text, ratio_windows):
            a, b = _word_or_num(m.group("a")), _word_or_num(m.group("b"))
            if a is None or b is None or not b or a > b or not free(m.start(), m.end()):
                continue
            if _rx(r"(?:1[6-9]|20)\d\d").fullmatch(m.group("b")) or _is_date_context(lowered, m.start(), m.end()):
                # "from 43 in 2000 to 182 in 2005": a figure and its year, not "1 in 6"
                continue
            q = Quantity(m.start(), m.end(), m.group(), a / b, unit="ratio")
            self._qualify(q, text, lowered)
            quantities.append(q)
            taken.append((m.start(), m.end()))
        for m in (self.every_rx.finditer(text) if "for every" in lowered else ()):
            a, b = _word_or_num(m.group("a")), _word_or_num(m.group("b"))
            if a is None or not b or not free(m.start(), m.end()):
                continue
            q = Quantity(m.start(), m.end(), m.group(), a / b, unit="ratio")
            self._qualify(q, text, lowered)
            quantities.append(q)
            taken.append((m.start(), m.end()))
        for m in (self.half_rx.finditer(text) if "half" in lowered else ()):
            if free(m.start(), m.end()):
                q = Quantity(m.start(), m.end(), m.group(), 0.5 * self.lex.scales[m.group("scale").lower()])
                self._qualify(q, text, lowered)
                quantities.append(q)
                taken.append((m.start(), m.end()))

        # the patterns below that hold digits are tried only at them (`finditer_runs`)
        runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
        # Web addresses and e-mail: nothing inside them is a figure
        for m in (_URL.finditer(text) if ("http" in lowered or "www." in lowered or "@" in text) else ()):
            if free(m.start(), m.end()) and _rx(r"\d").search(m.group()):
                skipped.append(NonQuantity(m.start(), m.end(), m.group(), "part of a URL or email address"))
                taken.append((m.start(), m.end()))
        # Footnote numbers glued to a sentence end ("CSAM.1Prepubescent", "Ibid.3 – Ibid.") or
        # opening a note ("1 - Seto, M. C.")
        for m in (finditer_runs(_NOTE_NUMBER, text, runs, 0) if "." in text else ()):
            g = "n" if m.group("n") else "y"
            if free(m.start(g), m.end(g)):
                skipped.append(NonQuantity(m.start(g), m.end(g), m.group(g), "footnote marker"))
                taken.append((m.start(g), m.end(g)))
        # Phone numbers: digit groups with separators ("01677 460168", "1-800-843-5678")
        for m in finditer_runs(_PHONE, text, runs, 1):  # "+64", "(09)"
            phone_word = _PHONE_WORD.search(lowered[max(0, m.start() - 12):m.start()])
            # "100 000 000" is a figure grouped by spaces unless a phone is named before it
            grouped = _SPACE_GROUPED.fullmatch(m.group()) and not m.group().startswith("0")
            if free(m.start(), m.end()) and (phone_word or not grouped and (
                    sum(ch.isdigit() for ch in m.group()) >= 9 or m.group().startswith(("0", "+", "1-8", "(")))):
                skipped.append(NonQuantity(m.start(), m.end(), m.group(), "phone number"))
                taken.append((m.start(), m.end()))
                # "1-866-305-HOPE (4673)": the digits of a vanity number in brackets after it
                tail = _rx(r"\s?\((\d{3,5})\)").match(text[m.end():m.end() + 10])
                if tail and m.group().startswith("1-8"):
                    a, b = m.end() + tail.start(1), m.end() + tail.end(1)
                    skipped.append(NonQuantity(a, b, tail.group(1), "phone number"))
                    taken.append((a, b))
        # A footnote number glued after a sentence end: "puberty.378% of reports" is 78%, note 3
        for m in (finditer_runs(_GLUED_NOTE, text, runs, 1) if "%" in text else ()):
            note, rest = m.group("note"), m.group("rest")
            if float(note + rest.replace(",", "")) > 100 >= float(rest.replace(",", "")) and free(m.start(), m.end()):
                skipped.append(NonQuantity(m.start("note"), m.end("note"), note, "footnote marker (glued to a figure)"))
                taken.append((m.start("note"), m.end("note")))
                q = self._numeral(self.rx.match(text, m.start("rest")), text, lowered, table, glued_note=True)
                if isinstance(q, Quantity):
                    quantities.append(q)
                    taken.append((q.start, q.end))

        # 2. numerals
        last: NonQuantity | Quantity | None = None
        for m in finditer_runs(self.rx, text, runs, self.reach):
            if not free(m.start("num"), m.end("num")):
                continue
            res = self._numeral(m, text, lowered, table)
            if res is None:
                continue
            # the second half of "117-103" or "2006/7" is whatever the first half was
            if isinstance(last, NonQuantity) and isinstance(res, Quantity) and last.reason != "footnote marker" and (
                    _rx(r"[-–/]").fullmatch(text[last.end:res.start]) or
                    # a list of codes after "section": 2251, 2251A, 2252B, or 2260
                    last.reason.startswith(("section", "part of a name")) and res.unit == "count"
                    and _rx(r"[A-Za-z]?,\s(?:or\s|and\s)?").fullmatch(text[last.end:res.start])
                    and _rx(r"\d+").fullmatch(res.surface) and len(res.surface) == len(last.surface)):
                res = NonQuantity(res.start, res.end, res.surface, last.reason)
            (quantities if isinstance(res, Quantity) else skipped).append(res)
            taken.append((res.start, res.end))
            last = res

        # 3. number words ("six international airports", "six per cent")
        end = 0
        for w in _ANY_WORD_NUMBER.finditer(lowered):  # where a number word starts: match only there
            m = self.word_rx.match(text, w.start()) if w.start() >= end else None
            if m is None:
                continue
            end = m.end()
            if not free(m.start(), m.end()):
                continue
            res = self._word(m, text, lowered)
            if res is not None:
                (quantities if isinstance(res, Quantity) else skipped).append(res)
                taken.append((res.start, res.end))
        quantities.sort(key=lambda q: q.start)
        skipped.sort(key=lambda s: s.start)
        self._ranges(quantities, text)
        return quantities, skipped

    # ------------------------------------------------------------------------------------
    def _numeral(self, m: re.Match, text: str, lowered: str, table: bool, glued_note: bool = False):
        lex = self.lex
        start, end = m.start(), m.end()
        ns, ne = m.start("num"), m.end("num")
        num = m.group("num")
        before = text[max(0, ns - 40):ns]
        after = text[ne:ne + 40]
        low_before = before.lower()
        low_after = after.lower()

        def skip(reason, a=ns, b=ne):
            return NonQuantity(a, b, text[a:b], reason)

        # --- spans that are parts of something else ---------------------------------------
        prev_ch = text[ns - 1] if ns else " "
        next_ch = text[ne] if ne < len(text) else " "
        if prev_ch == "[" and next_ch == "]":
            return skip("footnote marker", ns - 1, ne + 1)
        if _rx(r"[.\d]\d").match(text[ne:ne + 2]) or (next_ch == "." and _rx(r"\.\d").match(text[ne:ne + 2])):
            return None
        # (cheap substring tests first: most numbers have none of these around them)
        if prev_ch in "#§" or "§" in before and _rx(r"§\s*$").search(before):
            return skip("section or identifier number")
        if ("http" in before or "www." in before or "@" in before) and _rx(r"(https?://|www\.|@)\S*$").search(before) \
                or text.find("@", ns, ns + 40) >= 0 and _rx(r"[\w.-]*@").match(text[ns:ns + 40]):
            return skip("part of a URL or email address")
        has_suffix = m.end() > ne  # a percent sign, scale, unit or currency after the digits
        # a year, the commonest number in prose, told at once (what the checks below would find
        # in a plain year only skips it too)
        if len(num) == 4 and "1600" <= num <= "2100" and num.isdigit() and not has_suffix and not m.group("cur") \
                and not (prev_ch.isalnum() or next_ch.isalnum() or prev_ch in "-–/+" or next_ch in "-–/") \
                and (not _count_noun_follows(low_after, lex) or _YEAR_WORD_BEFORE.search(low_before)):
            return skip("year")
        if (prev_ch.isalpha() or prev_ch == "_") and not glued_note:
            word = _rx(r"([A-Z]?[a-z]+|[A-Z]+)$").search(before).group(1).lower()
            if word not in lex.glued_prefixes:
                glued_footnote = _rx(r"\d{1,2}").fullmatch(num) and (not next_ch.isalnum()) and \
                    word.islower() and len(word) > 3
                if glued_footnote and not m.group("pct"):
                    return skip("footnote marker (glued to a word)")
                return skip("part of a name or code (letters before the digits)")
        if next_ch.isalpha() and not has_suffix:
            rest = _rx(r"[A-Za-z]+").match(text[ne:]).group(0).lower()
            if _rx(r"(st|nd|rd|th)").fullmatch(rest):
                return skip("ordinal")
            if len(rest) <= 2 or rest.isupper() or rest[0].isupper() and not _plural_noun(rest):
                return skip("part of a name or code (letters after the digits)")
            # "20,000users": a word glued to the number; keep it
        if prev_ch == "-" and ns >= 2 and text[ns - 2].isalnum():
            if _rx(r"[A-Za-z]-$").search(before) and not re.search(r"\b(?:" + "|".join(lex.glued_prefixes) + r")-$", low_before):
                return skip("part of a name or code (e.g. COVID-19)")
        if _rx(r"\s?°").match(after) or _rx(r"[′″'\"]\s?\d").match(after) and not table:
            if not _rx(r"\s?°\s?[CF]\b").match(after):
                return skip("coordinate or angle")
        # Section/legal references and identifiers: "18 U.S.C.", "Public Law 117-103"
        if _rx(r"\s?U\.?S\.?C\b|\s?C\.?F\.?R\b").match(after):
            return skip("legal citation")
        if lex.identifier_reversed_rx.match(before[::-1]):
            return skip("section or identifier number")
        if _rx(r"-\d").match(after) and _rx(r"\b(?:Law|Report|Act|No\.?|Bill|Order|Rule)\s$").search(before):
            return skip("section or identifier number")
        # "11.2 deaths per 100,000 population": the base of a rate, not a figure
        if low_before.endswith(("per ", "per every ")) and not m.group("pct"):
            return skip("base of a rate (per N)")
        # "Introduction ........ 3": a page number in a table of contents
        if before.rstrip().endswith((".", "…")) and DOT_LEADER.search(before):
            return skip("page number (after a dot leader)")
        # "333 John Carlyle Street", "4 digit code"
        if not table and _STREET_AFTER.match(after):
            return skip("street address")
        if _rx(r"[-\s]digits?\b").match(low_after):
            return skip("length of a code (digits)")
        # Phone numbers, extensions, short codes ("text SMILE to 81156")
        if _is_phone(text, ns, ne, low_before) or low_before.endswith("to ") and \
                _rx(r"\b(?:text|txt|sms)\b[^.;]{0,30}\bto\s$").search(low_before):
            return skip("phone number or extension")
        # Times and dates
        if _rx(r":\d\d").match(after) or prev_ch == ":" and _rx(r"\d:$").search(before) or \
                _TIME_AFTER.match(low_after) and not m.group("cur"):
            return skip("time of day")
        # A number in a name: "Channel 4 News", "on Channel 4, Five and ..."
        if not table and not has_suffix and not m.group("cur") and _rx(r"\d{1,3}").fullmatch(num) \
                and _in_name(before, after, lex):
            return skip("part of a name (a capitalised word before the digits)")
        if _rx(r"/\d").match(after) and not m.group("pct") or prev_ch == "/" and _rx(r"\d/$").search(before):
            if _rx(r"/7\b").match(after) and num == "24":
                return skip("24/7 (not a quantity)")
            if _rx(r"\d{1,4}").fullmatch(num):
                if _fiscal_year(text, ns, ne):
                    return skip("year (fiscal year)")
                return skip("date")
        if _is_date_context(lowered, ns, ne):
            return skip("date")
        # Enumerations and list numbers: "(1) the number of reports", "1. File is reviewed"
        if _rx(r"\d{1,2}").fullmatch(num) and prev_ch == "(" and next_ch == ")" and not table:
            return skip("list enumerator")
        if _rx(r"\d{1,2}").fullmatch(num) and _rx(r"\.\s").match(after) and (ns == 0 or text[ns - 1] == "\n"):
            return skip("list enumerator")
        # Versions "3.2.21.P", dotted numbers
        if _rx(r"\.\d+\.").match(text[ns:ne + 3]) or _rx(r"\.[A-Z]\b").match(after):
            return skip("version or code")

        if prev_ch == "+" and not (m.group("pct") or m.group("cur") or m.group("scale")):
            return skip("signed code or offset (calling code, time zone)")
        value = _num_value(num)
        digits_only = _rx(r"\d+").fullmatch(num) is not None
        # Years
        if digits_only and len(num) == 4 and 1600 <= value <= 2100 and not m.group("cur") and not has_suffix:
            if not _count_noun_follows(low_after, lex) or _YEAR_WORD_BEFORE.search(low_before):
                return skip("year")
        if digits_only and len(num) == 4 and _rx(r"[-–/]\d{2}\b").match(after):
            return skip("year (fiscal year)")
        # Ages and durations
        if "age" in low_before and \
                _rx(r"\b(aged?|ages)\s(?:between\s|from\s)?(?:\d+\s(?:to|and|-|–)\s)?$").search(low_before):
            return skip("age")
        if _rx(r"[-\s]?(year|month|week|day)s?[-\s]old").match(low_after) or _rx(r"-(?:year|month)-old").match(low_after):
            return skip("age")
        if not m.group("pct") and not m.group("cur"):
            reason = _rank_or_span(low_before, low_after)
            if reason and (reason == "rank (top N)" or not self._names_duration_measure(lowered)):
                return skip(reason)
        unit_word = _TIME_UNIT.match(low_after)
        if unit_word and not m.group("pct") and not m.group("cur"):
            if not self._names_duration_measure(lowered):
                return skip("duration")
            return self._finish(Quantity(start, ne + unit_word.end(), text[start:ne + unit_word.end()],
                                         value, unit=_time_unit(unit_word.group(1))), text, lowered)

        # --- a quantity --------------------------------------------------------------------
        q_unit = "count"
        q_value = value
        flags: list[str] = []
        negative = bool(m.group("neg")) and not _rx(r"\w$").search(before)
        if table and prev_ch == "(" and next_ch == ")":
            negative = True  # accounting notation in tables: (0.4) is -0.4
        cur = (m.group("cur") or "").strip()
        if m.group("pct"):
            q_unit = "percent"
        elif m.group("unit"):
            q_unit = lex.units[m.group("unit").strip().lower()]
        if m.group("scale") and not m.group("cur") and m.group("scale") in lex.short_scales \
                and len(m.group("scale")) == 1 and not _counted_after(text[m.end():m.end() + 30].lower(), lex,
                                                                     plurals=m.group("scale") == "k"):
            # "5m" without a currency or a counted noun may be metres; "20k new jobs" is a count
            return skip("part of a name or code (letters after the digits)")
        if m.group("scale"):
            sc = m.group("scale").strip().lower()
            mult = lex.scales.get(sc) or lex.short_scales.get(sc)
            if digits_only or "," in num or "." in num:
                if value >= 100000 and mult >= 1e6 and "," in num:
                    flags.append("scale_anomaly")  # "29,397,681 million": kept as written
                q_value = value * mult
        currency = None
        if cur:
            currency = lex.currency_prefixes[cur.lower().replace(" ", "")]
        if m.group("cursuf") or m.group("cur2"):
            currency = lex.currency_suffixes[(m.group("cursuf") or m.group("cur2")).strip().lower()]
        if m.group("pence"):
            currency, q_value = "gbp", q_value / 100  # 80p is 0.8 GBP
        if currency:
            q_unit = currency
        if negative:
            q_value = -q_value
        if not table and prev_ch == "(" and next_ch == ")" and q_unit == "count" and not m.group("scale"):
            # "(2)" in prose is an enumerator or a reference, "(32%)" was handled as percent
            if _rx(r"\d{1,2}").fullmatch(num):
                return skip("list enumerator")
        q = Quantity(start, end, text[start:end], q_value, unit=q_unit, flags=flags, negative=negative)
        if negative and m.group("neg"):
            q.start = m.start("neg")
        return self._finish(q, text, lowered)

    def _names_duration_measure(self, lowered: str) -> bool:
        """Whether the text names a measure that durations are statistics of ("life expectancy");
        remembered for the text being scanned, whose durations all ask."""
        memo = self._memo
        if getattr(memo, "text", None) is not lowered:
            memo.text, memo.names = lowered, self.lex.duration_measure_rx.search(lowered) is not None
        return memo.names

    def _finish(self, q: Quantity, text: str, lowered: str) -> Quantity:
        self._qualify(q, text, lowered)
        rate = _rx(r"\s?(per|a|an|each|every)\s(week|day|month|year|annum|hour)\b").match(lowered[q.end:q.end + 20])
        if rate:
            q.rate = rate.group(0).strip()
        return q

    def _word(self, m: re.Match, text: str, lowered: str):
        w = m.group("w1").lower()
        parts = re.split(r"[- ]", w)
        if parts[0] in ("a",) and len(parts) > 1:
            parts = parts[1:]
        try:
            value = sum(WORD_NUMBERS[p] for p in parts) if len(parts) > 1 and parts[0] not in ("hundred",) \
                else WORD_NUMBERS[" ".join(parts)] if " ".join(parts) in WORD_NUMBERS else WORD_NUMBERS[parts[0]]
        except KeyError:
            return None
        after = lowered[m.end():m.end() + 40]
        before = lowered[max(0, m.start() - 30):m.start()]
        if m.group("pct"):
            q = Quantity(m.start(), m.end(), m.group(), value, unit="percent")
            return self._finish(q, text, lowered)
        if m.group("scale"):
            q = Quantity(m.start(), m.end(), m.group(), value * self.lex.scales[m.group("scale").strip().lower()])
            return self._finish(q, text, lowered)
        if value < 2:
            return None  # "one" is almost always a pronoun or determiner
        reason = _rank_or_span(before, after)
        if reason:
            return NonQuantity(m.start(), m.end(), m.group(), reason)
        if _rx(r"[-\s]?(year|month|week|day)s?[-\s]old").match(after):
            return NonQuantity(m.start(), m.end(), m.group(), "age")
        if _rx(r"\s?(-\s?)?(hours?|days?|weeks?|months?|years?|decades?|minutes?|seconds?|quarters?|times)\b").match(after):
            return NonQuantity(m.start(), m.end(), m.group(), "duration or frequency")
        if _rx(r"-(thirds?|quarters?|fifths?|halves)").match(after) or _rx(r"\s(thirds?|quarters?)\b").match(after):
            return NonQuantity(m.start(), m.end(), m.group(), "word fraction")
        # Counted things: "six international airports" (up to two modifiers then a plural noun)
        noun = _rx(r"\s(?:[a-z-]+\s){0,2}?([a-z-]+s)\b").match(after)
        if not noun or noun.group(1) in self.lex.not_count_nouns:
            return NonQuantity(m.start(), m.end(), m.group(), "number word without a counted noun")
        if _rx(r"\b(the|these|those|its|their|our|his|her)\s$").search(before):
            return NonQuantity(m.start(), m.end(), m.group(), "number word used as a determiner")
        q = Quantity(m.start(), m.end(), m.group(), value)
        return self._finish(q, text, lowered)

    def _qualify(self, q: Quantity, text: str, lowered: str) -> None:
        before = lowered[max(0, q.start - 40):q.start]
        for n, phrases in self.lex.qualifier_lengths if before.endswith(" ") else ():
            cls = phrases.get(before[-n:])
            if cls is not None and (len(before) == n or not before[-n - 1].isalpha()):
                q.qualifier = cls
                q.qualifier_span = (q.start - n, q.start)
                break
        else:
            # a qualifier glued to the number ("over82") or ending the line before it ("over\n32")
            tail = text[max(0, q.start - 20):q.start]
            last = tail[-2:-1] if tail.endswith("\n") else tail[-1:]
            glued = _rx(r"([A-Z]?[a-z]+)$").search(tail) if "a" <= last <= "z" else None
            if glued and glued.group(1).lower() in self.lex.qualifier_words:
                q.qualifier = self.lex.qualifier_words[glued.group(1).lower()]
        after = lowered[q.end:q.end + 20]
        m = _rx(r"\+|\s?(or more|or greater|or over|and over|and above|plus)\b").match(after)
        if m and q.qualifier == "exact":
            q.qualifier = "over"
        m = _rx(r"\s?(or less|or fewer|or under|and under|and below)\b").match(after)
        if m and q.qualifier == "exact":
            q.qualifier = "under"

    def _ranges(self, qs: list[Quantity], text: str) -> None:
        """Link the two ends of a range; the unit, scale and qualifier of one apply to both."""
        for i in range(len(qs) - 1):
            a, b = qs[i], qs[i + 1]
            between = text[a.end:b.start].lower()
            if _rx(r"\s?(?:-|–|—|to|and)\s?").fullmatch(between):
                before = text[max(0, a.start - 12):a.start].lower()
                is_range = between.strip() in ("-", "–", "—") or _rx(r"(between|from)\s$").search(before) \
                    or between.strip() == "to" and not _rx(r"\bby\s$").search(before)  # "fell by 13% to 3.5m"
                # the ends of a range are in one unit, or one of them is a bare number that takes
                # the other's ("5 to 10%"): "13% to 3.5 million" is no range
                if not is_range or a.unit != b.unit and not (_bare(a, text) or _bare(b, text)):
                    continue
                a.range_with, b.range_with = i + 1, i
                if a.unit == "count" and b.unit != "count":
                    a.unit = b.unit
                if b.unit == "count" and a.unit != "count":
                    b.unit = a.unit
                # "$100 and $300 million": the scale written once applies to both
                if a.value < b.value / 999 and _rx(r"(million|billion|bn|m)\b").search(b.surface.lower()) \
                        and not _rx(r"(million|billion|thousand)").search(a.surface.lower()):
                    mult = b.value / _num_value(re.search(_NUMERAL, b.surface).group())
                    a.value *= mult
                if a.qualifier != "exact" and b.qualifier == "exact":
                    b.qualifier = a.qualifier


def _bare(q: Quantity, text: str) -> bool:
    """A number written without a unit, scale or currency ("5" in "5 to 10%")."""
    return q.unit == "count" and _rx(r"[\d.,]+").fullmatch(text[q.start:q.end]) is not None


_DIGIT_RUN = re.compile(r"[\d½¼¾⅓⅔⅕⅛][\d,.]*")


def digit_windows(text: str, rx: re.Pattern = _DIGIT_RUN, before: int = 24, after: int = 48) -> list[tuple[int, int]]:
    """Merged spans of text around each match of `rx` (by default a run of digits).

    A pattern that can only match near such a match finds, run in these windows, what it finds
    run over the whole text, faster on long prose. `before` and `after` must exceed the
    longest prefix and suffix the pattern allows.
    """
    return merged_windows([m.span() for m in rx.finditer(text)], len(text), before, after)


def merged_windows(spans: list[tuple[int, int]], n: int, before: int, after: int) -> list[tuple[int, int]]:
    """The spans widened by `before` and `after` characters (within 0..n), overlaps merged."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        a, b = max(0, start - before), min(n, end + after)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def finditer_runs(rx: re.Pattern, text: str, runs: list[tuple[int, int]], reach: int):
    """`rx.finditer(text)` for a pattern whose matches (never empty) start at most `reach`
    characters before a run of digits or inside one: tried only there, not at every position."""
    end = 0
    for s, e in runs:
        p = max(end, s - reach)
        while p < e:
            m = rx.match(text, p)
            if m is None:
                p += 1
            else:
                yield m
                end = p = m.end()


def finditer_in(rx: re.Pattern, text: str, windows: list[tuple[int, int]]):
    """`rx.finditer(text)` restricted to `windows` (lookbehinds still see the text before them)."""
    for a, b in windows:
        yield from rx.finditer(text, a, b)


def _word_or_num(s: str) -> float | None:
    s = s.lower().replace(",", "")
    if s.isdigit():
        return float(s)
    return WORD_NUMBERS.get(s)


def _plural_noun(word: str) -> bool:
    return word.endswith("s") and len(word) > 3


def _counted_after(low_after: str, lex: Lexicon, plurals: bool) -> bool:
    """A counted noun follows: one of the lexicon's count nouns ("3m people") or, with
    `plurals`, any plural ("20k users"; not for "m": "the 100m hurdles")."""
    m = _rx(r"\s(?:new\s|more\s|other\s|additional\s|extra\s)?([a-z]+)").match(low_after)
    return bool(m) and (m.group(1) in lex.count_nouns or plurals and _plural_noun(m.group(1)))


def _count_noun_follows(low_after: str, lex: Lexicon) -> bool:
    m = _rx(r"\s(?:new\s|more\s|other\s|additional\s|extra\s)?([a-z]+)").match(low_after)
    return bool(m) and m.group(1) in lex.count_nouns


def _time_unit(word: str) -> str:
    word = word.rstrip("s")
    return {"hour": "hours", "day": "days", "week": "weeks", "month": "months", "year": "years",
            "decade": "decades", "minute": "minutes", "second": "seconds", "quarter": "quarters"}[word]


_PHONE_WORD = re.compile(r"(tel|phone|fax|call)\W{0,3}$")
def _rank_or_span(low_before: str, low_after: str) -> str | None:
    """'top-ten', 'top 5' are ranks; 'three or four years', '18 to 24-year-olds' a span of time."""
    if low_before.endswith(("top-", "top ")):
        return "rank (top N)"
    if _OR_TIME.match(low_after):
        return "duration"
    return None


_OR_TIME = re.compile(r"\s(?:or|to|and)\s(?:\d+|[a-z]+)(?:\s|-)(?:hours?|days?|weeks?|months?|years?|decades?)\b")
_TIME_UNIT = re.compile(r"\s?(?:-\s?)?(hours?|days?|weeks?|months?|years?|decades?|minutes?|seconds?|quarters?)\b")
_PLAIN = re.compile(r"\s*(?P<n>(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d{0,2}|0)(?:\.\d+)?)(?P<pct>%)?\s*")
_PHONE = re.compile(r"(?=[\d+(])(?:\b1-8\d\d-\d{0,3}-?[A-Z][A-Z0-9-]*|\b1-8\d\d-\d{3}-\d{4}\b"
                    r"|(?<![\d,.])(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,5}\)\s?)?\d{1,5}(?:[\s-]\d{2,6}){1,4}(?!\d|[,.]\d))")
_ANY_WORD_NUMBER = re.compile(r"\b(?=[zotfsenhad])(?:" + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True)) + r")\b")
_IN_OUT_OF = re.compile(r"\s(?:in|out of)\s")  # where a ratio ("1 in 6", "nine out of 10") can be
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+|\b[\w.+-]+@[\w-]+\.[\w.]+", re.I)
# a note number glued to a sentence's end ("CSAM.1Prepubescent", "victims.2 In 2022", "since
# 2002.1Law enforcement": a year and note 1)
_NOTE_NUMBER = re.compile(r"(?:(?<=[A-Za-z)\]][.])(?P<n>\d{1,2})(?=[A-Z]|\s?[-–]\s|\s[A-Z]|\s*$)"
                          r"|(?<=(?<![\d,.])(?:19|20)\d\d\.)(?P<y>\d{1,2})(?=[A-Z][a-z]))")
_GLUED_NOTE = re.compile(r"(?<=[a-z])\.(?P<note>\d{1,2}?)(?P<rest>\d{1,3}(?:\.\d+)?)(?=\s?%)")
_YEAR_WORD_BEFORE = re.compile(r"\b(in|since|by|from|to|of|during|until|till|through|year|fy|cy|between|and|early|late|"
                               rf"mid|{MONTHS})\s*[,.]?\s*$")
_DATE_AFTER = re.compile(rf"^\s?(?:st|nd|rd|th)?\s?(?:of\s)?(?:{MONTHS})\b\.?", re.I)
_DATE_BEFORE = re.compile(rf"(?:{MONTHS})\.?\s?$", re.I)


def _is_date_context(lowered: str, ns: int, ne: int) -> bool:
    """'7 May 1856', 'May 7, 2022', 'Dec. 31, 2021', '11th November 2012'."""
    num = lowered[ns:ne]
    if not _rx(r"\d{1,2}").fullmatch(num):
        return False
    after, before = lowered[ne:ne + 16], lowered[max(0, ns - 12):ns]
    if _DATE_AFTER.match(after):
        return True
    if _DATE_BEFORE.search(before) and _rx(r"(?:st|nd|rd|th)?(,?\s\d{4}|(?!\w))").match(after):
        return True
    return False


def _fiscal_year(text: str, ns: int, ne: int) -> bool:
    around = text[max(0, ns - 5):ne + 5]
    return bool(_rx(r"(19|20)\d\d/\d{1,4}\b").search(around))


_TIME_AFTER = re.compile(r"\s?(?:o['’]clock\b|[ap]\.?m\b)|\s?(?:to|-|–)\s?\d{1,2}(?::\d\d)?\s?[ap]\.?m\b")
# "Channel 4 News", "on Channel 4, Five and ...": a capitalised word (not opening a sentence)
# before the digits, and a name going on after them or a preposition before the name
_NAME_BEFORE = re.compile(r"(?<![.!?:]\s)(?<!^)(?P<pre>\b[a-z]+\s)?\b(?P<word>[A-Z][a-z]{2,})\s$")
_NAME_GOES_ON = re.compile(r"\s[A-Z][a-z]")
_NAME_ENDS = re.compile(r"(?:[,;:)’']|\s?$)")
_NAME_PREPOSITIONS = frozenset("on in at by from to the of via for with".split())


def _in_name(before: str, after: str, lex) -> bool:
    m = _NAME_BEFORE.search(before)
    if m is None or m.group("word").lower() in lex.qualifier_words or m.group("word").lower() in _NOT_NAME_WORDS:
        return False
    if _NAME_GOES_ON.match(after):
        return True
    # "on Channel 4," but not a list of places and counts ("London 450, Leeds 120")
    return bool(_NAME_ENDS.match(after)) and (m.group("pre") or "").strip() in _NAME_PREPOSITIONS
_NOT_NAME_WORDS = frozenset("""in on at by for from to of and or but the only just all some top almost nearly about around
over under more less than between after before since until during through within among per each every
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())


DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*$|…{2,}\s*$")  # "Introduction ........ 3": a page number follows
_STREET_AFTER = re.compile(r"\s(?:[NSEW]\.?\s)?(?:[A-Z][\w'’.-]*\s){1,4}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Boulevard|Blvd\.?|"
                           r"Drive|Lane|Place|Court|Terrace|Parkway|Highway|Square)\b")
_DIGIT_SEP_DIGIT = re.compile(r"[\d½¼¾⅓⅔⅕⅛][\s.-]\d")


def _is_phone(text: str, ns: int, ne: int, low_before: str) -> bool:
    num = text[ns:ne]
    tail = low_before[-14:]
    if ("ext" in tail or "tel" in tail or "phone" in tail or "fax" in tail or "call" in tail) and \
            _rx(r"\b(?:ext|extension|tel|telephone|phone|fax|call)\.?:?\s*$").search(tail):
        return True
    # the digit-group patterns all hold a digit, a separator and a digit within this window
    if _DIGIT_SEP_DIGIT.search(text, max(0, ns - 8), ne + 14) and (
            _rx(r"(?:\+\d{1,3}[\s-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}").search(text[max(0, ns - 8):ne + 14])
            or _rx(r"1-8\d\d-").search(text[max(0, ns - 6):ne + 5]) or _rx(r"-8\d\d-").match(text[ne:ne + 5])
            or _rx(r"\b1-8\d\d-[A-Z0-9-]+").search(text[max(0, ns - 6):ne + 14])
            or _rx(r"[\s-]\d{3,4}[\s-]\d{3,4}\b").match(text[ne:ne + 12]) and _rx(r"0\d{2,4}|\+?\d{1,3}").fullmatch(num)):
        return True
    return num.startswith("0") and len(num) >= 4 and "," not in num and "." not in num

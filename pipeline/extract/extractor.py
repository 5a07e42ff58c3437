"""Extraction: every statistic of a Document as an Observation with its provenance.

Blocks are read in order so that context flows the way a reader's does: a heading's period
governs its section, a section's lead sentence can set it, a dateline under a headline resolves
"now" and "last year", and the document title's period governs tables whose rows carry none.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..models import Block, Document, Observation, Skipped
from . import metrics as M
from .nlp import RuleHit, RuleMatcher, build_nlp
from .numbers import Quantity, Scanner
from .periods import (MONTH_NAMES, RELATIVE_KINDS, WORD_N, Mention, Period, as_year, cumulative, dateline,
                      find_mentions, month_end, resolve_relative, single_period)
from .rules import RuleSet, load_rules

PROSE = ("paragraph", "list_item", "heading", "caption")
GENERIC_RULE = {"count": "generic.count.v1", "percent": "generic.percent.v1", "ratio": "generic.ratio.v1"}
_CLAUSE_SEP = re.compile(r";|:(?=\s)|,(?=\s)|\(|\bwhile\b|\bwhereas\b|\bbut\b|\bvs\.?|\bversus\b|"
                         r"(?P<soft>\band\b|\bwith\b)|—|–(?=\s)", re.I)
_BRACKET_OPEN = re.compile(r"\s?\(\s?(?:or\s|about\s|around\s|c\.\s?)?")
_WORDS_THEN_BRACKET = re.compile(r"(?:\s[a-z][\w-]*){1,3}\s\(\s?")  # "20,235 people (0.5%) reported"
_BRACKET_CLOSE = re.compile(r"\s?\)")
# a number word in lower-cased text (the lookahead fails fast where no word can start)
_NUMBER_WORD = re.compile(r"\b(?=[otfesnhd])(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
                          r"forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen|half)\b")
_DIGIT = re.compile(r"\d")


def _may_have_figure(text: str) -> bool:
    return _DIGIT.search(text) is not None or _NUMBER_WORD.search(text.lower()) is not None
_DATA_WORDS = re.compile(r"\b(data|figures|statistics|snapshot|chart|table|numbers|totals?)\b", re.I)
_SOURCE_WORDS = re.compile(r"\b(census|survey|estimates?|data|figures|statistics|fiscal year|financial year|"
                           r"reporting period|year ended|year ending)\b", re.I)
_PROJECTION = re.compile(r"\b(projected|forecasts?|expected to|will|would|target|predicted|by \d{4})\b", re.I)
# words that place a statement at a time other than its news item's date
_ELSEWHEN = re.compile(r"\b(?:1[89]\d0s|20[0-9]0s|\d0s|ago|at the time|back then|historically|formerly|previously|"
                       r"used to|in the past|originally|initially)\b|'\d0s", re.I)
_RESTATED = re.compile(r"(?:\s?(?:a|an|per)\s(?:week|month|year|day))?\)?,?\s(?:or|i\.e\.|that is)\s"
                       r"(?:about\s|around\s|roughly\s|nearly\s|almost\s|some\s|just\s)?\(?"
                       r"|(?:\s[a-z][\w-]*){0,3}\s?\(\s?")  # "505 of these children (34%)"
# "rose from 43 cases in 2000, to 91 in 2005": the second figure is the same thing later
_FROM_BEFORE = re.compile(r"\bfrom\s(?:about\s|around\s|just\s)?$", re.I)
_TO_BETWEEN = re.compile(r"(?:\s[a-z]+)?(?:\s(?:in|at|on)\s[^,;()]{1,25})?,?\sto\s")
_BACK_REF = re.compile(r"\b(?:the|this|that)\s(?:figure|number|rate|proportion|share|level|total)\b", re.I)
_BACK_WORDS = {"figure", "number", "rate", "proportion", "share", "level", "total", "stood", "was", "is", "fell",
               "rose", "reached", "just"}
_SHARES_QUALIFIER = re.compile(r"[^.;:()]{0,40}?(?:,|,? and)\s")
_FROM_WHEN = re.compile(r"\s*(?:from|starting|beginning|effective)\b", re.I)
_ABOUT_PERSON = re.compile(r"\bwho\b[^,;.]*$", re.I)
_CHANGE_BY = re.compile(r"\b(?:by|up|down|rose|fell|increased|decreased|grew|dropped|declined|jumped)\s(?:\w+\s)?$", re.I)
_FORECAST_SPAN = re.compile(r"\b(?:outlook|forecasts?|projections?)\b[^.]*?\b(?:for|over)\sthe\s(?:next|coming)\s"
                            r"(?P<n>\d|one|two|three|four|five|six|seven|eight|nine|ten)\syears\b", re.I)
_FORECAST_REF = re.compile(r"\b(?:(?:final|last)\syear\sof|(?:by\s)?the\send\sof|over|during|across|throughout)\sthe\s"
                           r"(?:forecast\s|projection\s)?(?:period|horizon)\b", re.I)
_YEARS_END = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
                        r" years\b")
_ANAPHORA = re.compile(r"\b(?:these|those|of them|of whom|of which|the (?:fall|rise|increase|decrease|"
                       r"change|drop|remainder|rest|figure|total))\b", re.I)
_CONTENT_WORD = re.compile(r"[A-Za-z][a-z-]{3,}")
_DEFINITE = re.compile(r"\b(?:the|this|that)\s(?:[\w-]+\s)?([a-z][a-z-]{3,})\b", re.I)
_PRESENT = re.compile(r"\b(?:current|currently|still|presently)\b", re.I)


def _carries(text: str, mentions: list[Mention], period: Period | None, quantities) -> bool:
    """Does this sentence's period govern the sentences after it in its paragraph? Yes if it
    states one period and says where its figures come from ("In the 2018 census", "As of
    January 31, 2023"), unless it projects."""
    if period is None or _PROJECTION.search(text):
        return False
    return any(m.kind == "as_of" for m in mentions) or bool(_SOURCE_WORDS.search(text))


_TLD_CURRENCY = {".nz": "nzd", ".au": "aud", ".ca": "cad", ".sg": "sgd", ".hk": "hkd"}


@dataclass
class SourceMeta:
    """What the manifest says about a document (all optional)."""

    published: date | None = None
    published_inferred: bool = False
    as_of: date | None = None
    as_of_inferred: bool = False
    currency: str | None = None
    url: str | None = None
    title: str | None = None


@dataclass
class Extraction:
    observations: list[Observation]
    skipped: list[Skipped]


@dataclass
class _Section:
    level: int
    period: Period | None = None
    reference: date | None = None
    heading: str = ""
    dateline: date | None = None  # a news item's date, printed under its headline


@dataclass
class _Ctx:
    doc: Document
    meta: SourceMeta
    title_period: Period | None
    reference: date | None
    as_of: date | None
    as_of_inferred: bool
    currency: str
    fiscal_end_month: int | None = None
    sections: list[_Section] = field(default_factory=list)
    last_range: Period | None = None  # the last span a block stated ("over the same period")
    forecast: Period | None = None  # "the outlook for the next three years": the forecast period
    year_end_month: int | None = None  # the month the document's years end ("March years")

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


def observation_id(source: str, start: int, end: int, rule: str) -> str:
    return hashlib.sha1(f"{source}|{start}|{end}|{rule}".encode()).hexdigest()[:16]


_WS = re.compile(r"\s+")
_RANK_COLUMN = re.compile(r"\s*(rank|no\.?|#|ranking)\s*", re.I)


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


class Extractor:
    """Holds the spaCy pipeline, the number scanner and the compiled rules; reusable."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.nlp = build_nlp()
        self.scanner = Scanner(rules.lexicon)
        self.matcher = RuleMatcher(self.nlp, rules)
        self._hit_cache: dict[str, list] = {}

    @classmethod
    def from_dir(cls, rules_dir) -> Extractor:
        return cls(load_rules(rules_dir))

    # ------------------------------------------------------------------------------------
    def extract(self, doc: Document, meta: SourceMeta | None = None) -> Extraction:
        meta = meta or SourceMeta()
        reference = meta.published or doc.published
        as_of = meta.as_of
        as_of_inferred = meta.as_of_inferred
        if as_of is None and reference is not None:
            as_of, as_of_inferred = reference, True
        title = doc.title or meta.title or ""
        ctx = _Ctx(doc=doc, meta=meta, title_period=single_period(find_mentions(title)) if title else None,
                   reference=reference, as_of=as_of, as_of_inferred=as_of_inferred,
                   currency=meta.currency or _url_currency(meta.url) or "usd")
        if re.search(r"\bJune years\b", doc.text[:20000]) and re.search(r"\bMarch years\b", doc.text[:20000]) is None:
            ctx.fiscal_end_month = 6
        years_end = _YEARS_END.search(doc.text[:20000])
        ctx.year_end_month = MONTH_NAMES[years_end.group(1).lower()] if years_end else ctx.fiscal_end_month
        out: list[Observation] = []
        skipped: list[Skipped] = []
        blocks = doc.blocks
        # only blocks that can hold a figure go through spaCy (the others cannot set a period either)
        prose_idx = [i for i, b in enumerate(blocks) if b.kind in PROSE and _may_have_figure(b.text)]
        spacy_docs = dict(zip(prose_idx, self.nlp.pipe((blocks[i].text for i in prose_idx), batch_size=64)))
        markers = [(m.start, m.end) for m in doc.markers]
        dateline_blocks: set[int] = set()
        lead_pending = False
        list_intro: Period | None = None
        prev_block: Block | None = None
        for i, block in enumerate(blocks):
            if block.kind in ("furniture",):
                continue
            if block.kind == "footnote":
                skipped.extend(self._skip_block(doc, block, "footnote text"))
                continue
            if block.kind == "heading":
                self._enter_heading(ctx, block, blocks, i, dateline_blocks)
                lead_pending = True
            if block.kind == "table":
                out.extend(self._table(ctx, block))
                lead_pending = False
                prev_block = block
                continue
            if i in dateline_blocks:
                prev_block = block
                continue
            sdoc = spacy_docs.get(i)
            if sdoc is None:
                prev_block = block  # no figure here, but it may label the next block ("Male" / "36%")
                if block.kind != "heading":
                    lead_pending = False  # it was the section's lead, and it states no period
                continue
            pair = self._label_value_pair(ctx, block, prev_block, markers)
            if pair is not None:
                out.extend(pair)
                prev_block = block
                continue
            intro = None
            if block.kind == "list_item" and list_intro is not None:
                intro = list_intro
            obs, sk = self._prose(ctx, block, sdoc, markers, lead=lead_pending and block.kind != "heading",
                                  intro=intro)
            if block.kind == "paragraph":
                list_intro = self._intro_period(ctx, block) if block.text.rstrip().endswith(":") else None
            elif block.kind != "list_item":
                list_intro = None
            out.extend(obs)
            skipped.extend(sk)
            if block.kind != "heading":
                lead_pending = False
            prev_block = block
        return Extraction(out, skipped)

    # -- context -------------------------------------------------------------------------
    def _enter_heading(self, ctx: _Ctx, block: Block, blocks: list[Block], i: int, datelines: set[int]) -> None:
        level = block.level or 2
        while ctx.sections and ctx.sections[-1].level >= level:
            ctx.sections.pop()
        mentions = find_mentions(block.text, ctx.fiscal_end_month)
        period = single_period(mentions)
        since = next((m for m in mentions if m.kind == "since"), None)
        if since is not None:
            period = cumulative(since, ctx.as_of, ctx.as_of_inferred)
        sec = _Section(level=level, period=as_year(period) if period else None, heading=block.text)
        # a dateline right under a headline ("24th November 2006", or a byline block with
        # "Thursday March 17, 2005" on a line of its own) dates the item
        if i + 1 < len(blocks) and blocks[i + 1].kind == "paragraph":
            day = dateline(blocks[i + 1].text)
            if day is not None:
                sec.reference = sec.dateline = day
                datelines.add(i + 1)
        ctx.sections.append(sec)

    def _skip_block(self, doc: Document, block: Block, reason: str) -> list[Skipped]:
        out = []
        for m in re.finditer(r"\d[\d,.]*", block.text):
            s = block.start + m.start()
            out.append(Skipped(source=doc.source, page=doc.page_at(s), char_start=s, char_end=s + len(m.group()),
                               surface=m.group(), reason=reason, context=_norm(block.text[max(0, m.start() - 40):m.end() + 40])))
        return out

    # -- prose ---------------------------------------------------------------------------
    def _intro_period(self, ctx: _Ctx, block: Block) -> Period | None:
        """The period a paragraph that introduces a list ("... of $14 million reflects:") states,
        or that it takes from the sentence before ("over the same period")."""
        sents = re.split(r"(?<=[.!?])\s+", block.text.strip())
        last = sents[-1]
        p = single_period(find_mentions(last, ctx.fiscal_end_month))
        if p is None and re.search(r"\b(?:same|this|that) period\b", last) and len(sents) > 1:
            prior = [m.period for m in find_mentions(sents[-2], ctx.fiscal_end_month) if m.period and m.role != "base"]
            if prior:
                p = Period(min(x.start for x in prior if x.start), max(x.end for x in prior), "range")
        if p is None and re.search(r"\b(?:same|this|that) period\b", last) and ctx.last_range is not None:
            p = ctx.last_range
        return p

    def _prose(self, ctx: _Ctx, block: Block, sdoc, markers, lead: bool, intro: Period | None = None):
        doc = ctx.doc
        out: list[Observation] = []
        skipped: list[Skipped] = []
        text_all = block.text
        # Scan the whole block once, so every number sees its full left and right context.
        block_markers = [(a - block.start, b - block.start) for a, b in markers if block.start <= a < block.end]
        all_q, all_skips = self.scanner.scan(text_all, markers=block_markers)
        all_mentions = find_mentions(text_all, ctx.fiscal_end_month)
        for sk in all_skips:
            a = block.start + sk.start
            skipped.append(Skipped(source=doc.source, page=doc.page_at(a), char_start=a, char_end=block.start + sk.end,
                                   surface=sk.surface, reason=sk.reason,
                                   context=_norm(text_all[max(0, sk.start - 50):sk.end + 50])))
        # a period a sentence states for its figures' source ("In the 2018 census") governs the
        # rest of its paragraph; a list item takes its introduction's
        carry: Period | None = intro
        previous: Period | None = None  # the period the sentence before stated
        last = None  # (rule, label, dims, unit) of the last figure so far in the block
        prev_text = ""
        for si, sent in enumerate(sdoc.sents):
            s0, s1 = sent.start_char, sent.end_char
            text = text_all[s0:s1]
            abs0 = block.start + s0
            quantities = [_shift(q, s0) for q in all_q if s0 <= q.start < s1]
            mentions = [replace(m, start=m.start - s0, end=m.end - s0) for m in all_mentions if s0 <= m.start < s1]
            skips = [sk for sk in all_skips if s0 <= sk.start < s1]
            sent_markers = [(a - s0, b - s0) for a, b in block_markers if s0 <= a < s1]
            sent_period = single_period(mentions)
            if ctx.forecast is None and _FORECAST_SPAN.search(text):
                ctx.forecast = _forecast_period(ctx, _FORECAST_SPAN.search(text))
            if lead and si == 0 and sent_period is not None and ctx.sections and ctx.sections[-1].period is None \
                    and not quantities and _DATA_WORDS.search(text):
                # a section's lead sentence about its figures ("The figures below are for 2021")
                # sets the section's period; one that reports figures governs its paragraph only
                ctx.sections[-1].period = as_year(sent_period)
            if not quantities:
                if _carries(text, mentions, sent_period, quantities):
                    carry = sent_period
                previous, prev_text = _stated(sent_period, text), text
                continue
            # a sentence that states no period and points back at the one before it reads on from
            # it ("505 of these children", "Excluding the one-off items, the balance was ..."),
            # unless it speaks of the present ("The current campaign has cost £4m")
            sent_carry = previous if previous is not None and not mentions and not _PRESENT.search(text) \
                and _points_back(text, prev_text) else carry
            hits = self.matcher(sent)  # rules only where there are figures
            subject = None
            prev = None
            earlier = last  # the figure the sentences before ended with
            clauses = _clauses(text, quantities, mentions)
            blanks = [(q.start, q.end) for q in quantities] + \
                [span for m in mentions for span in _mention_blanks(text, m)] + \
                [_rate_span(text, q) for q in quantities if q.rate] + \
                [q.qualifier_span for q in quantities if q.qualifier_span] + sent_markers + \
                [(sk.start - s0, sk.end - s0) for sk in skips]
            last_currency = None
            for qi, q in enumerate(quantities):
                clause = clauses[qi]
                period, ptype_inferred = self._prose_period(ctx, text, q, qi, quantities, mentions, clause, sent_carry)
                if qi == 0 and q.unit == "percent":
                    subject = M.sentence_subject(text, q.end)
                unit = q.unit
                if unit == "usd" and q.surface.lstrip("-−–").startswith("$"):
                    unit = last_currency or ctx.currency
                elif q.surface.lstrip("-").startswith(("NZ$", "US$", "A$", "AU$", "C$", "HK$")):
                    last_currency = unit
                rule, label, dims = self._prose_metric(ctx, sent, hits, q, clause, text, blanks, subject,
                                                       prev, quantities[qi - 1] if qi else None, period)
                if earlier is not None and earlier[3] == q.unit and _BACK_REF.search(text) and \
                        not set(label.lower().split()) - _BACK_WORDS:
                    rule, label, dims = earlier[:3]  # "By 2004, the figure stood at just 4%."
                prev = (rule, label, dims)
                last = (rule, label, dims, q.unit)
                qualifier = q.qualifier
                # "(32%)" right after a figure shares its qualifier ("estimates that 20,100 (32%)"),
                # and so does the next of a list ("up to £63 a week for the first child and £111 a
                # week for two children", "around 2½% in 2000, 3½% in 2001 and 3% in 2002")
                if qi and qualifier == "exact" and (
                        text[quantities[qi - 1].end:q.start].strip() in ("(", "(or")
                        or quantities[qi - 1].unit == q.unit and _SHARES_QUALIFIER.fullmatch(
                            text[quantities[qi - 1].end:q.start])):
                    qualifier = quantities[qi - 1].qualifier
                obs = self._obs(ctx, abs0 + q.start, abs0 + q.end, _norm(text), q, unit, qualifier, rule, label,
                                dims, period, ptype_inferred, list(q.flags), "prose")
                obs.quote_offset = len(_WS.sub(" ", text[:q.start]).lstrip())
                if block.line_boxes:
                    box = next((bx for start, bx in reversed(block.line_boxes) if start <= obs.char_start), None)
                    if box is not None:
                        obs.bbox = _box_str(box)
                out.append(obs)
            if _carries(text, mentions, sent_period, quantities):
                carry = sent_period
            previous, prev_text = _stated(sent_period, text), text
        ranges = [m.period for m in all_mentions if m.period and m.role != "base" and m.kind == "range"]
        if ranges:
            ctx.last_range = ranges[-1]
        return out, skipped

    def _prose_period(self, ctx: _Ctx, text: str, q: Quantity, qi: int, qs: list[Quantity],
                      mentions: list[Mention], clause: tuple[int, int], carry: Period | None):
        """The period of a prose figure, from the nearest statement of one (never a guess)."""
        reference = ctx.section_reference()
        resolved: list[tuple[Mention, Period | None]] = []
        for m in mentions:
            if m.role in ("base", "after"):
                continue
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
        semis = [i for i in range(lo, q.start) if text[i] in ";:("]
        wide_start = min(cs, semis[-1] if semis else lo)
        own = [(m, p) for m, p in resolved if cs <= m.start < ce]
        wide = [(m, p) for m, p in resolved if wide_start <= m.start < ce]

        # "$245 million, $165 million and $85 million in 2000/01, 2001/02 and 2002/03 respectively"
        paired = _respectively(text, q, qs, resolved)
        if paired is not None:
            return as_year(paired), paired.inferred
        # the forecast period a document announced: "in the final year of the forecast period",
        # "by the end of the period", "beyond 1999/2000"; without one, no period
        if _FORECAST_REF.search(text[cs:ce]) or any(m.role == "after" and m.end <= q.start for m in mentions):
            f = ctx.forecast
            return (Period(f.start, f.end, "range", inferred=True), True) if f else (None, False)
        # a period right after the figure ("3.7% in 2007") wins over everything else
        tight = [(m, p) for m, p in own if m.start >= q.end and p is not None and m.kind != "since"
                 and re.fullmatch(r"\s*(?:in|during|for|by|as of|as at|at)?\s*", text[q.end:m.start], re.I)]
        if tight:
            return self._pair(text, q, qi, qs, tight[0][1]), tight[0][1].inferred
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
                return self._pair(text, q, qi, qs, after_next[0]), after_next[0].inferred
            # "From April, the limit rises from £135 to £175": £135 holds until April
            lead = next(((m, p) for m, p in resolved if m.start < 20 and p is not None and p.start), None)
            if lead is not None and _FROM_WHEN.match(text):
                return Period(None, lead[1].start - timedelta(days=1), "point"), False
        # "during the review period": the span the sentence's own years mark out (for the
        # "from" figure of "from 32 to 107 during the same period", in the "to" figure's clause)
        scope = text[cs:qs[qi + 1].end + 40] if starts_change else text[cs:ce]
        same = re.search(r"\bsame period\b", text[:ce])
        if same and any(same.end() <= m.start < q.start for m, _ in resolved):
            same = None  # a date between "the same period" and the figure is nearer
        if same or re.search(r"\b(?:during|over|in|of|throughout|end of)\s(?:the|this|that)\s(?:\w+\s)?period\b", scope, re.I):
            dated = [p for m, p in resolved if p is not None and m.kind != "since"]
            if len(dated) >= 2:
                span = Period(min(p.start for p in dated if p.start), max(p.end for p in dated), "range")
                return self._pair(text, q, qi, qs, span), False
            if carry is not None:
                return carry, carry.inferred
            if ctx.last_range is not None and not dated and same:
                return self._pair(text, q, qi, qs, ctx.last_range), False
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
                return self._pair(text, q, qi, qs, p), p.inferred
        preceding = [(m, p) for m, p in wide if m.end <= q.start and p is not None]
        if preceding:
            p = preceding[-1][1]
            return self._pair(text, q, qi, qs, p), p.inferred
        if following:
            p = following[0][1]
            return self._pair(text, q, qi, qs, p), p.inferred
        # "from 80 years to 85 years in 2050": the starting figure is not at the end's date
        if starts_change:
            return (carry, carry.inferred) if carry else self._reported(ctx, text, resolved)
        # "... a total of 14,902 incidents involving 18,867 children since we began tracking in 2005":
        # a "since" later in the sentence, with no other date between, covers this figure too
        later_since = [(m, p) for m, p in resolved if m.kind == "since" and m.start >= q.end]
        if later_since and not any(p is not None and m.kind != "since" and q.end <= m.start < later_since[0][0].start
                                   for m, p in resolved):
            p = later_since[0][1]
            return (p, p.inferred) if p else (None, False)
        # a period that opens the sentence ("In 2021, ...", "As of January 31, 2023, ...")
        lead = [(m, p) for m, p in resolved if m.start < 25 and p is not None and m.kind != "since"]
        if lead:
            p = lead[0][1]
            return self._pair(text, q, qi, qs, p), p.inferred
        # (not one in a clause about a person: "said Dr X, who two years ago helped ...")
        periods = {p for m, p in resolved if p is not None and m.kind != "since"
                   and not _ABOUT_PERSON.search(text[max(0, m.start - 60):m.start])}
        if len(periods) == 1:
            p = next(iter(periods))
            return self._pair(text, q, qi, qs, p), p.inferred
        if carry is not None:
            return carry, carry.inferred
        sec = ctx.section_period()
        if sec is not None:
            return sec, sec.inferred
        if ctx.forecast is not None and not resolved and re.search(r"\bforecasts?\b", text, re.I):
            # "Net debt forecasts are lower by $100 million": over the forecast period
            return Period(ctx.forecast.start, ctx.forecast.end, "range", inferred=True), True
        return self._reported(ctx, text, resolved)

    @staticmethod
    def _reported(ctx: _Ctx, text: str, resolved: list[tuple[Mention, Period | None]]):
        """A figure a dated news item states without a period of its own is as of the item's
        date ("63,500 adults are living with HIV", "the campaign has cost £4 million"), marked
        inferred; not when the sentence places it elsewhere in time ("in the late 1990s")."""
        day = ctx.dateline()
        if day is None or resolved or _ELSEWHEN.search(text):
            return None, False
        return Period(None, day, "as_reported", inferred=True), True

    @staticmethod
    def _pair(text: str, q: Quantity, qi: int, qs: list[Quantity], p: Period) -> Period:
        """'from 35% to 33%' over a range: the first figure is its start, the second its end."""
        if p.type != "range" or not p.start or not p.end or p.start.year == p.end.year:
            return as_year(p)
        before = text[max(0, q.start - 6):q.start].lower()
        if re.search(r"\bfrom\s$", before) and qi + 1 < len(qs) and re.match(r"\s?to\s", text[q.end:qs[qi + 1].start].lower()):
            return Period(p.start, date(p.start.year, 12, 31) if p.start.month == 1 else _fy_end_of(p.start), "year")
        return p

    def _prose_metric(self, ctx, sent, hits, q: Quantity, clause, text, blanks, subject, prev, prev_q, period):
        """(rule id, label, dimensions) of a prose figure. `prev` is the (rule, label, dims) of the
        figure before it in the sentence (`prev_q`), which a restatement ("3.2%, or about 1 in
        30") or an elided repeat ("; in CY 2021, it received 29.3 million") takes over."""
        if prev is not None and prev[1] and (_RESTATED.fullmatch(text[prev_q.end:q.start]) or (
                _FROM_BEFORE.search(text, 0, prev_q.start) and _TO_BETWEEN.fullmatch(text[prev_q.end:q.start]))):
            return prev
        if prev_q is None or prev_q.unit != q.unit:
            prev = None
        cs, ce = clause
        s0 = sent.start_char
        found = self._match_rule(hits, near=(s0 + cs, s0 + ce),
                                 unit=q.unit, kind="prose",
                                 cumulative_=bool(period and period.type == "cumulative"))
        label = M.prose_label(text, clause, (q.start, q.end), blanks, subject, prev[1] if prev else None)
        if prev and found is None and prev[1] and label.startswith(prev[1]) and prev[0] in self.rules.by_id:
            return prev  # an elided repeat of the figure before it
        if len(M.content_words(label)) < 2 or q.rate:
            extra = M.number_of_subject(text, q.start)
            if extra and extra.lower() not in label.lower():
                label = M.clip((extra + " " + label).split(), M.MAX_WORDS)
        if found is not None:
            r = self.rules.metric_rules[found[0]]
            return r.id, r.label, _dims(r.dimensions)
        opening = M.opening_subject(text)
        if opening and opening[1] <= q.start:
            # a figure later in the sentence is about what the sentence opened with ("English is
            # the predominant language ..., spoken by 95.4% of the population")
            have = set(label.lower().split())
            missing = [w for w in opening[0].split() if w.lower() not in have]
            if missing:
                label = M.clip(missing + label.split(), M.MAX_WORDS + 4)
        return GENERIC_RULE.get(q.unit, f"generic.{_unit_family(q.unit)}.v1"), label, ""

    def _match_rule(self, hits, near: tuple[int, int] | None, unit: str | None, kind: str,
                    cumulative_: bool | None = None):
        """The first rule whose patterns hit near the figure, whose context patterns hit anywhere
        and whose excludes do not hit near it. Returns (rule index, the pattern hits) or None."""
        by_rule: dict[int, dict[str, list]] = {}
        for h in hits:
            by_rule.setdefault(h.rule, {}).setdefault(h.field, []).append(h)

        def inside(h):
            return near is None or (near[0] <= h.start and h.end <= near[1])

        for ri in sorted(by_rule):
            r = self.rules.metric_rules[ri]
            if kind not in r.scope or (r.units and unit not in r.units):
                continue
            if r.cumulative is not None and cumulative_ is not None and r.cumulative != cumulative_:
                continue
            if r.part and near is None and kind == "table":
                continue  # a total row is not one of the parts
            f = by_rule[ri]
            # a rule written only for tables and not naming a part of one (a row such as "U.S.")
            # may match the table's title too: "Categorization of CyberTipline Reports"
            anywhere = kind == "table" and r.scope == ["table"] and not r.part
            near_hits = [h for h in f.get("patterns", []) if inside(h) or anywhere]
            if not near_hits:
                continue
            if any(inside(h) for h in f.get("exclude", [])):
                continue
            if r.context and not f.get("context"):
                continue
            return ri, near_hits
        return None

    # -- label/value pairs ("Male" / "36%" on separate lines) ----------------------------
    def _label_value_pair(self, ctx: _Ctx, block: Block, prev: Block | None, markers):
        if block.kind not in ("paragraph", "list_item") or prev is None or prev.kind not in ("paragraph", "list_item"):
            return None
        text = block.text.strip()
        if len(text) > 24:
            return None
        qs, _ = self.scanner.scan(text)
        if len(qs) != 1 or len(re.sub(r"\W", "", text)) - len(re.sub(r"\W", "", qs[0].surface)) > 0:
            return None
        label = prev.text.strip()
        if len(label.split()) > 5 or re.search(r"\d", label):
            return None
        q = qs[0]
        quote = f"{label} {text}"
        heading = ctx.heading_text()
        period = ctx.section_period()
        dims = f"group={label}"
        metric_label = M.clip([label] + M.content_words(heading), 14)
        obs = self._obs(ctx, block.start + q.start, block.start + q.end, quote, q, q.unit, q.qualifier,
                        "generic.label_value.v1", metric_label, dims, period, False, list(q.flags), "prose")
        obs.quote_offset = len(label) + 1 + q.start
        return [obs]

    # -- tables --------------------------------------------------------------------------
    def _table(self, ctx: _Ctx, block: Block) -> list[Observation]:
        table = block.table
        if table is None:
            return []
        out = []
        doc = ctx.doc
        fem = ctx.fiscal_end_month
        header_text = " ".join(x for x in (table.caption, table.stub_header, " ".join(table.columns)) if x)
        if re.search(r"\bjune years\b", header_text, re.I):
            fem = 6
        elif re.search(r"\bmarch years\b", header_text, re.I):
            fem = 3
        head_unit, head_scale = _header_unit(header_text)
        caption_period = single_period(find_mentions(" ".join(x for x in (table.caption, table.stub_header) if x), fem))
        col_periods = [single_period(find_mentions(c, fem)) for c in table.columns]
        label = M.table_label(table, doc.title)
        rkey = M.row_key(table)
        rule_cache: dict = {}
        main_label = ""
        ctx_text = " | ".join(x for x in (table.caption, table.stub_header, doc.title) if x)
        skip_cols = {i for i, c in enumerate(table.columns) if _RANK_COLUMN.fullmatch(c)}
        for row in table.rows:
            row_period = single_period(find_mentions(row.label, fem))
            # "- % of GDP", "Ratio to GDP (%)": a relative measure of the row above it
            if _SUB_ROW.match(row.label) and main_label:
                row = row.model_copy(update={"section": main_label if not row.section else f"{row.section} {main_label}"})
            else:
                main_label = row.label
            row_unit_pct = bool(re.search(r"%|\bper ?cent\b|\bratio\b", row.label, re.I))
            section_period = single_period(find_mentions(row.section, fem)) if row.section else None
            row_text = _norm(row.label + " " + " ".join(c.text for c in row.cells))
            row_label = M.strip_period_words(row.label)  # "CY2022 (1/1/22-12/31/22)" is a period, not a breakdown
            before_cell = row.label
            for cell in row.cells:
                # the quote is the row's text; where this cell starts in it
                cell_offset = len(_norm(before_cell))
                before_cell += " " + cell.text
                qs, _ = self.scanner.scan(cell.text, table=True)
                if not qs or cell.column in skip_cols:
                    continue
                col = table.columns[cell.column] if cell.column < len(table.columns) else ""
                period = None
                for cand in (col_periods[cell.column] if cell.column < len(col_periods) else None, row_period,
                             section_period, caption_period, ctx.section_period(), ctx.title_period):
                    if cand is not None:
                        period = as_year(cand)
                        break
                col_clean = M.strip_period_words(col)
                # words in the cell besides its figures ("70.2% European") say what the figure is of
                detail = cell.label or " ".join(M.content_words(_without(cell.text, qs)))
                parts = [(rkey, row_label, row.label), ("column", col_clean, col), ("detail", detail, detail)]
                if col_clean.lower() in label.lower():
                    parts[1] = ("column", "", col)
                near_text = " | ".join(x for x in (row.label, cell.label, col, row.section) if x)
                # a row that only says "Total" (or a period) is about what the table's title says
                generic = not (set(w.lower() for w in M.content_words(M.strip_period_words(near_text))) - _GENERIC_ROW)
                key = (near_text, ctx_text, qs[0].unit)
                if key not in rule_cache:
                    # match each distinct header, label and title once, then place the hits in
                    # "near || context" coordinates
                    hits, pos = [], 0
                    for part in (row.label, cell.label, col, row.section):
                        if part:
                            hits.extend(RuleHit(h.rule, h.field, h.start + pos, h.end + pos) for h in self._text_hits(part))
                            pos += len(part) + 3
                    base = len(near_text) + 4
                    hits.extend(RuleHit(h.rule, h.field, h.start + base, h.end + base) for h in self._text_hits(ctx_text))
                    rule_cache[key] = self._match_rule(hits, near=None if generic else (0, len(near_text)),
                                                       unit=qs[0].unit if qs[0].unit != "count" or not head_unit else head_unit,
                                                       kind="table")
                found = rule_cache[key]
                metric_label = label
                rule_id = "generic.table_cell.v1"
                named_spans: list[tuple[int, int]] = []
                if found is not None:
                    r = self.rules.metric_rules[found[0]]
                    rule_id, metric_label = r.id, r.label
                    named_spans = [(h.start, h.end) for h in found[1] if h.end <= len(near_text)]
                dims = [("section", M.strip_period_words(row.section))] if row.section else []
                pos = 0
                spans = {}
                for name, raw_text in (("row", row.label), ("detail", cell.label), ("column", col), ("section", row.section)):
                    if raw_text:
                        spans[name] = (pos, pos + len(raw_text))
                        pos += len(raw_text) + 3
                for (k, v, raw_text), name in zip(parts, ("row", "column", "detail")):
                    if not v or _is_total(v):
                        continue
                    a, b = spans.get(name, (-1, -1))
                    # the row label or column that names the metric itself is not a breakdown
                    if any(a <= x and y <= b for x, y in named_spans):
                        continue
                    dims.append((k, v))
                if found is not None:
                    dims.extend(self.rules.metric_rules[found[0]].dimensions.items())
                header_bits = "; ".join(x for x in (table.caption or table.stub_header, col) if x)
                quote = f"{row_text} [{header_bits}]" if header_bits else row_text
                for q in qs:
                    unit, value = q.unit, q.value
                    if unit == "count" and row_unit_pct:
                        unit = "percent"  # the row says it is a percentage, whatever the table's unit
                    elif unit == "count" and head_unit:
                        unit = head_unit
                    if head_scale and not row_unit_pct and not re.search(r"million|billion|bn|\dm\b", q.surface, re.I):
                        value *= head_scale
                    if unit == "usd" and q.surface.lstrip("-(").startswith("$") or unit == "usd" and head_unit == "usd":
                        unit = ctx.currency if head_unit == "usd" or q.surface.lstrip("-(").startswith("$") else unit
                    q.value = value
                    a, b = cell.start + q.start, cell.start + q.end
                    dim_str = "; ".join(f"{k}={v}" for k, v in _dedupe_dims(dims))
                    obs = self._obs(ctx, a, b, quote, q, unit, q.qualifier, rule_id, metric_label, dim_str,
                                    period, False, list(q.flags), "table")
                    obs.page = cell.page or obs.page
                    lead = cell.text[:q.start]
                    obs.quote_offset = cell_offset + (1 if cell_offset else 0) + len(_norm(lead)) + lead.endswith(" ")
                    box = cell.bbox or row.bbox
                    if box is not None:
                        obs.bbox = _box_str(box)
                    out.append(obs)
        return out

    def _text_hits(self, text: str):
        """Rule hits in a short text (a table header or label), cached across the document."""
        hits = self._hit_cache.get(text)
        if hits is None:
            if len(self._hit_cache) > 20000:
                self._hit_cache.clear()
            hits = self._hit_cache[text] = self.matcher(self.nlp.make_doc(text))
        return hits

    # ------------------------------------------------------------------------------------
    def _obs(self, ctx, a, b, quote, q, unit, qualifier, rule, label, dims, period, inferred, flags, kind):
        doc = ctx.doc
        return Observation(
            observation_id=observation_id(doc.source, a, b, rule), source=doc.source, source_sha256=doc.sha256,
            page=doc.page_at(a) if doc.pages else None, char_start=a, char_end=b, quote=quote,
            surface=doc.text[a:b], value=q.value, unit=unit, qualifier=qualifier, metric=_metric_of(self, rule),
            metric_label=label, dimensions=dims,
            period_start=period.start if period else None, period_end=period.end if period else None,
            period_type=period.type if period else "", period_inferred=bool(period and (inferred or period.inferred)),
            rule=rule, flags=";".join(sorted(set(flags))), kind=kind)


def _metric_of(ex: Extractor, rule: str) -> str:
    r = ex.rules.by_id.get(rule)
    return r.metric if r else ""


def _dims(d: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in d.items())


def _dedupe_dims(dims):
    seen = set()
    for k, v in dims:
        if (k, v) in seen or not v:
            continue
        seen.add((k, v))
        yield k, v


_SUB_ROW = re.compile(r"^\s*(?:[-–—]\s|of which\b|ratio to\b|as (?:a )?%|as a percentage|% of\b|per cent of\b|share of\b)", re.I)
_GENERIC_ROW = {"total", "totals", "grand", "all", "overall", "number", "sum"}


def _box_str(b) -> str:
    return f"{b.x0:.1f} {b.top:.1f} {b.x1:.1f} {b.bottom:.1f}"


def _is_total(label: str) -> bool:
    return bool(re.fullmatch(r"(grand\s)?totals?:?|all|overall|sum", label.strip().lower()))


def _without(text: str, qs: list[Quantity]) -> str:
    """`text` with the quantities (and their qualifiers) blanked out."""
    for q in qs:
        a = q.qualifier_span[0] if q.qualifier_span else q.start
        text = text[:a] + " " * (q.end - a) + text[q.end:]
    return text


def _shift(q: Quantity, by: int) -> Quantity:
    span = (q.qualifier_span[0] - by, q.qualifier_span[1] - by) if q.qualifier_span else None
    return replace(q, start=q.start - by, end=q.end - by, qualifier_span=span)


def _rate_span(text: str, q: Quantity) -> tuple[int, int]:
    """The 'a year' of '£23,400 a year': part of the figure, not of what it counts."""
    i = text.find(q.rate, q.end, q.end + 3 + len(q.rate))
    return (q.end, i + len(q.rate)) if i >= 0 else (q.end, q.end)


def _mention_blanks(text: str, m: Mention) -> list[tuple[int, int]]:
    """What of a period expression to leave out of a label: all of a 'since ...' phrase, else
    just its dates and period words ("In 2021", "as of Dec. 31, 2021")."""
    return [(m.start, m.end)]


def _unit_family(unit: str) -> str:
    if unit in ("usd", "nzd", "gbp", "eur", "aud", "cad", "jpy", "hkd"):
        return "money"
    return re.sub(r"[^a-z0-9]+", "_", unit.lower()) or "count"


def _url_currency(url: str | None) -> str | None:
    if not url:
        return None
    host = re.sub(r"^[a-z]+://", "", url).split("/")[0].lower()
    for tld, cur in _TLD_CURRENCY.items():
        if host.endswith(tld):
            return cur
    return None


def _header_unit(text: str) -> tuple[str | None, float | None]:
    t = text.lower()
    unit = None
    scale = None
    if re.search(r"\$\s?(m|million|mn)\b|\(\$m\)|\$\s?million", t):
        unit, scale = "usd", 1e6
    elif re.search(r"\$\s?(bn|billion)\b", t):
        unit, scale = "usd", 1e9
    elif re.search(r"£\s?(m|million)\b", t):
        unit, scale = "gbp", 1e6
    elif re.search(r"%|\bper ?cent\b|\bpercent", t):
        unit = "percent"
    elif re.search(r"\(0{3}s?\)|\bthousands\b|'000", t):
        scale = 1e3
    return unit, scale


def _fy_end_of(d: date) -> date:
    return date(d.year + 1, d.month - 1 if d.month > 1 else 12, 28) if d.month != 1 else date(d.year, 12, 31)


def _stated(period: Period | None, text: str) -> Period | None:
    """The period a sentence states for what it reports (not a projection's target year)."""
    return None if period is None or _PROJECTION.search(text) else period


def _points_back(text: str, before: str) -> bool:
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


def _forecast_period(ctx: _Ctx, m: re.Match) -> Period | None:
    """'the outlook for the next three years', stated at the reference date: from then to the end
    of the (fiscal) year three years after the current one."""
    ref = ctx.section_reference()
    if ref is None:
        return None
    n = int(m.group("n")) if m.group("n").isdigit() else WORD_N[m.group("n").lower()]
    fem = ctx.year_end_month or 12
    year_end = date(ref.year if ref.month <= fem else ref.year + 1, fem, 1)
    return Period(ref, month_end(year_end.year + n, fem), "range", inferred=True)


def _clauses(text: str, qs: list[Quantity], mentions: list[Mention] = ()) -> list[tuple[int, int]]:
    """Each quantity's clause: from the last separator before it (not before the previous
    quantity) to the first separator after it (not after the next quantity). An "and" that
    joins two dates ("in 2006/7 and 2007/8") separates nothing."""
    joined = {a.end + 1 for a, b in zip(mentions, mentions[1:]) if text[a.end:b.start] == " and "}
    found = [(m.start(), bool(m.group("soft"))) for m in _CLAUSE_SEP.finditer(text) if m.start() not in joined]
    bounds = [p for p, soft in found if not soft and text[p] != "("]
    starts = [x.start for x in qs]

    def brings_figure(p: int) -> bool:
        # "and" and "with" end a clause only where they bring in another figure ("and 893 (80%)
        # were", "with 20% of"), not in "living with HIV" or "improve and modernise"
        b = bisect_right(bounds, p)
        limit = bounds[b] if b < len(bounds) else len(text)
        i = bisect_right(starts, p)
        return i < len(starts) and starts[i] < limit

    seps = [p for p, soft in found if not soft or brings_figure(p)]
    out = []
    for i, q in enumerate(qs):
        lo = qs[i - 1].end if i else 0
        hi = qs[i + 1].start if i + 1 < len(qs) else len(text)
        before = [s for s in seps if lo <= s < q.start]
        if before:
            start = before[-1]
        else:
            start = q.start if i and text[lo:q.start].strip() else lo  # nothing separates them
        # a bracket holding only another figure right after this one ("2,000 kilometres (1,200 mi)
        # east of Australia", "20,100 (32%) of victims") does not end this one's clause
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        bracket = _BRACKET_OPEN.match(text, q.end) or _WORDS_THEN_BRACKET.match(text, q.end)
        if nxt and bracket and nxt.start == bracket.end() and _BRACKET_CLOSE.match(text, nxt.end):
            close = _BRACKET_CLOSE.match(text, nxt.end).end()
            hi = qs[i + 2].start if i + 2 < len(qs) else len(text)
            after = [s for s in seps if close <= s < hi]
        else:
            after = [s for s in seps if q.end <= s < hi]
        end = after[0] if after else hi
        out.append((start, end))
    for i in range(len(qs) - 2, -1, -1):
        between = text[qs[i].end:qs[i + 1].start]
        # "between $650 million and $830 million over the forecast period": one clause for both;
        # "20,100 (32%) of the 63,500 people ... do not know": a part takes its whole's clause
        if re.search(r"\bbetween\s(?:\S+\s)?$", text[max(0, qs[i].start - 16):qs[i].start]) and \
                re.fullmatch(r"\s*and\s*", between) or _PART_OF.fullmatch(between):
            out[i] = (out[i][0], max(out[i][1], out[i + 1][1]))
        elif i + 2 < len(qs) and _PART_OF.fullmatch(text[qs[i].end:qs[i + 2].start]):
            out[i] = (out[i][0], max(out[i][1], out[i + 2][1]))
    return out


_PART_OF = re.compile(r"\)?\s*(?:\([^()]*\)\s*)?of\s(?:the\s|all\s|an estimated\s|[A-Z][\w’']*[’']s\s)?")

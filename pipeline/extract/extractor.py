"""Extraction: every statistic of a Document as an Observation with its provenance.

Blocks are read in order so that context flows the way a reader's does: a heading's period
governs its section, a section's lead sentence can set it, a dateline under a headline resolves
"now" and "last year", and the document title's period governs tables whose rows carry none.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from ..models import Block, Document, Observation, Skipped
from . import metrics as M
from .nlp import RuleHit, RuleMatcher, build_nlp
from .numbers import DOT_LEADER, Quantity, Scanner
from .periods import MONTH_NAMES, Mention, Period, as_year, cumulative, dateline, find_mentions, single_period
from .prose_periods import (DATA_WORDS, FORECAST_SPAN, PRESENT, Context, Section, carries,
                            forecast_period, points_back, prose_period, stated, years_end)
from .rules import RuleSet, header_words, load_rules
from .source import SourceMeta

PROSE = ("paragraph", "list_item", "heading", "caption")
GENERIC_RULE = {"count": "generic.count.v1", "percent": "generic.percent.v1", "ratio": "generic.ratio.v1"}
# (?=...): where a separator can start, a word one only at a word start
_CLAUSE_SEP = re.compile(r"(?=[;:,(wbvat—–])(?:(?<!\w)|(?=[;:,(—–]))"
                         r"(?:;|:(?=\s)|,(?=\s)|\(|\bwhile\b|\bwhereas\b|\bbut\b|\bvs\.?|\bversus\b|"
                         r"(?P<soft>\b(?:and|with|after|before|because|although|though|when)\b)|—|–(?=\s))", re.I)
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
_FIRST_SENTENCE = re.compile(r".*?(?:[.!?…]+[\"'”’)\]]*(?=\s)|$)", re.S)  # as the sentencizer splits
_TLD_CURRENCY = {".nz": "nzd", ".au": "aud", ".ca": "cad", ".sg": "sgd", ".hk": "hkd"}


@dataclass
class Extraction:
    observations: list[Observation]
    skipped: list[Skipped]


def observation_id(source: str, start: int, end: int, rule: str) -> str:
    return hashlib.sha1(f"{source}|{start}|{end}|{rule}".encode()).hexdigest()[:16]


_WS = re.compile(r"\s+")
_RANK_COLUMN = re.compile(r"\s*(rank|no\.?|#|ranking)\s*", re.I)


def _norm(text: str) -> str:
    """Whitespace runs as one space, trimmed (most texts have none to fold: a cheap test first)."""
    if text.isascii() and "  " not in text and "\n" not in text and "\t" not in text and "\r" not in text \
            and "\x0b" not in text and "\x0c" not in text:
        return text.strip()
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
        ctx = Context(doc=doc, meta=meta, title_period=single_period(find_mentions(title)) if title else None,
                   reference=reference, as_of=as_of, as_of_inferred=as_of_inferred,
                   currency=meta.currency or _url_currency(meta.url) or "usd")
        head = doc.text[:20000]
        if "June years" in head and re.search(r"\bJune years\b", head) and re.search(r"\bMarch years\b", head) is None:
            ctx.fiscal_end_month = 6
        month_years = years_end(head)
        ctx.year_end_month = MONTH_NAMES[month_years.group(1).lower()] if month_years else ctx.fiscal_end_month
        out: list[Observation] = []
        skipped: list[Skipped] = []
        blocks = doc.blocks
        markers = sorted((m.start, m.end) for m in doc.markers)
        marker_starts = [x for x, _ in markers]
        # each block is scanned whole, so every number sees its full left and right context; only
        # blocks with figures go through spaCy (the others cannot set a period either)
        prose_markers = {i: [(x - b.start, y - b.start) for x, y in
                             markers[bisect_left(marker_starts, b.start):bisect_left(marker_starts, b.end)]]
                         for i, b in enumerate(blocks) if b.kind in PROSE and _may_have_figure(b.text)}
        scans = {i: self.scanner.scan(blocks[i].text, markers=m) for i, m in prose_markers.items()}
        with_figures = [i for i, (qs, _) in scans.items() if qs]
        spacy_docs = dict(zip(with_figures, self.nlp.pipe((blocks[i].text for i in with_figures), batch_size=64)))
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
            if i not in scans:
                prev_block = block  # no figure here, but it may label the next block ("Male" / "36%")
                if block.kind != "heading":
                    lead_pending = False  # it was the section's lead, and it states no period
                continue
            pair = self._label_value_pair(ctx, block, prev_block)
            if pair is not None:
                out.extend(pair)
                prev_block = block
                continue
            intro = None
            if block.kind == "list_item" and list_intro is not None:
                intro = list_intro
            obs, sk = self._prose(ctx, block, spacy_docs.get(i), scans[i], prose_markers[i],
                                  lead=lead_pending and block.kind != "heading", intro=intro)
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
    def _enter_heading(self, ctx: Context, block: Block, blocks: list[Block], i: int, datelines: set[int]) -> None:
        level = block.level or 2
        while ctx.sections and ctx.sections[-1].level >= level:
            ctx.sections.pop()
        mentions = find_mentions(block.text, ctx.fiscal_end_month)
        period = single_period(mentions)
        since = next((m for m in mentions if m.kind == "since"), None)
        if since is not None:
            period = cumulative(since, ctx.as_of, ctx.as_of_inferred)
        sec = Section(level=level, period=as_year(period) if period else None, heading=block.text)
        if period is not None and period.type == "point" and period.start == period.end and since is None:
            # a day in a heading ("Economic indicators, March 3rd 2005") is the item's date, not
            # the period of its figures: it resolves "last year" and dates what states no period
            sec.period, sec.reference, sec.dateline = None, period.end, period.end
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
    def _intro_period(self, ctx: Context, block: Block) -> Period | None:
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

    def _prose(self, ctx: Context, block: Block, sdoc, scan, block_markers, lead: bool, intro: Period | None = None):
        """Observations and skipped numbers of a prose block; `sdoc` is its spaCy Doc, None when
        `scan` found no figures (then the block only tells its section about periods);
        `block_markers` are its footnote marks, relative to the block."""
        doc = ctx.doc
        out: list[Observation] = []
        skipped: list[Skipped] = []
        text_all = block.text
        all_q, all_skips = scan
        for sk in all_skips:
            a = block.start + sk.start
            skipped.append(Skipped(source=doc.source, page=doc.page_at(a), char_start=a, char_end=block.start + sk.end,
                                   surface=sk.surface, reason=sk.reason,
                                   context=_norm(text_all[max(0, sk.start - 50):sk.end + 50])))
        if sdoc is None:
            self._context_of(ctx, text_all, lead)
            return out, skipped
        all_mentions = find_mentions(text_all, ctx.fiscal_end_month)
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
            quantities = [q.shifted(s0) for q in all_q if s0 <= q.start < s1]
            mentions = [m.shifted(s0) for m in all_mentions if s0 <= m.start < s1]
            skips = [sk for sk in all_skips if s0 <= sk.start < s1]
            sent_markers = [(a - s0, b - s0) for a, b in block_markers if s0 <= a < s1]
            sent_period = single_period(mentions)
            _note_forecast(ctx, text)
            if lead and si == 0 and not quantities:
                _lead_period(ctx, text, mentions)
            if not quantities:
                if carries(text, mentions, sent_period):
                    carry = sent_period
                elif sent_period is not None and sent_period != carry:
                    carry = None  # the text has moved on to another time ("Retrieved April 1, 2018")
                previous, prev_text = stated(sent_period, text), text
                continue
            # a sentence that states no period and points back at the one before it reads on from
            # it ("505 of these children", "Excluding the one-off items, the balance was ..."),
            # unless it speaks of the present ("The current campaign has cost £4m")
            sent_carry = previous if previous is not None and not mentions and not PRESENT.search(text) \
                and points_back(text, prev_text) else carry
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
            quote = _norm(text)
            for qi, q in enumerate(quantities):
                clause = clauses[qi]
                period, ptype_inferred = prose_period(ctx, text, q, qi, quantities, mentions, clause, sent_carry)
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
                box = next((bx for start, bx in reversed(block.line_boxes) if start <= abs0 + q.start), None) \
                    if block.line_boxes else None
                out.append(self._obs(ctx, abs0 + q.start, abs0 + q.end, quote, q, unit, qualifier, rule, label,
                                     dims, period, ptype_inferred, list(q.flags), "prose",
                                     quote_offset=len(_WS.sub(" ", text[:q.start]).lstrip()),
                                     bbox=_box_str(box) if box is not None else ""))
            if carries(text, mentions, sent_period):
                carry = sent_period
            previous, prev_text = stated(sent_period, text), text
        _remember_range(ctx, all_mentions)
        return out, skipped

    @staticmethod
    def _context_of(ctx: Context, text: str, lead: bool) -> None:
        """What a block without figures tells: the forecast period it announces, the section's
        period if it leads the section ("The figures below are for 2021"), the span it states
        (its ranges only are looked for: the cheaper search)."""
        _note_forecast(ctx, text)
        if lead:
            first = _FIRST_SENTENCE.match(text).group()
            _lead_period(ctx, first, find_mentions(first, ctx.fiscal_end_month))
        _remember_range(ctx, find_mentions(text, ctx.fiscal_end_month, kinds=("range",)))

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
    def _label_value_pair(self, ctx: Context, block: Block, prev: Block | None):
        if block.kind not in ("paragraph", "list_item") or prev is None or prev.kind not in ("paragraph", "list_item"):
            return None
        text = block.text.strip()
        if len(text) > 24:
            return None
        qs, _ = self.scanner.scan(text)
        if len(qs) != 1 or len(re.sub(r"\W", "", text)) - len(re.sub(r"\W", "", qs[0].surface)) > 0:
            return None
        label = prev.text.strip()
        q = qs[0]
        quote = f"{label} {text}"
        if label.endswith(":") and len(label.split()) <= 20 and not self.scanner.scan(label)[0]:
            # a line that introduces the figure below it: "Number of missing child reports made
            # to the FBI in 2019:" / "421,387"
            mentions = find_mentions(label, ctx.fiscal_end_month)
            period = single_period(mentions) or ctx.section_period()
            period = as_year(period) if period else None
            dims = ""
            metric_label = M.clip(M.content_words(M.strip_period_words(label.rstrip(":"))), M.MAX_WORDS)
        else:
            if len(label.split()) > 5 or re.search(r"\d", label):
                return None
            heading = ctx.heading_text()
            period = ctx.section_period()
            dims = f"group={label}"
            metric_label = M.clip([label] + M.content_words(heading), 14)
        return [self._obs(ctx, block.start + q.start, block.start + q.end, quote, q, q.unit, q.qualifier,
                          "generic.label_value.v1", metric_label, dims, period, False, list(q.flags), "prose",
                          quote_offset=len(label) + 1 + q.start)]

    # -- tables --------------------------------------------------------------------------
    def _table(self, ctx: Context, block: Block) -> list[Observation]:
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
        rkey = self._row_key(ctx, table)
        # a rule that claims the tables keyed by this dimension (its patterns found in the title)
        claimed = self._claiming_rule(rkey, table, doc.title)
        dimension = self.rules.dimension_by_key.get(rkey)
        row_codes = _row_codes(dimension, table, ctx.row_codes) if dimension is not None else {}
        rule_cache: dict = {}
        main_label = ""
        ctx_text = " | ".join(x for x in (table.caption, table.stub_header, doc.title) if x)
        # the caption's and title's rule hits, placed after any row's "near" text (never inside it)
        ctx_hits = [RuleHit(h.rule, h.field, h.start + _CONTEXT_OFFSET, h.end + _CONTEXT_OFFSET)
                    for h in self._text_hits(ctx_text)]
        skip_cols = {i for i, c in enumerate(table.columns) if _RANK_COLUMN.fullmatch(c)}
        generic_of: dict[str, bool] = {}  # near text -> says only "Total" (or a period)
        for row in table.rows:
            if DOT_LEADER.search(row.label):
                continue  # "Introduction ........ 3": a table of contents, its numbers are pages
            row_period = single_period(find_mentions(row.label, fem))
            # "- % of GDP", "Ratio to GDP (%)": a relative measure of the row above it
            if _SUB_ROW.match(row.label) and main_label:
                row = row.model_copy(update={"section": main_label if not row.section else f"{row.section} {main_label}"})
            else:
                main_label = row.label
            row_unit_pct = _PERCENT_ROW.search(row.label) is not None
            section_period = single_period(find_mentions(row.section, fem)) if row.section else None
            row_text = _norm(row.label + " " + " ".join(c.text for c in row.cells))
            row_label = M.strip_period_words(row.label)  # "CY2022 (1/1/22-12/31/22)" is a period, not a breakdown
            row_code = ""
            if dimension is not None and row_label:
                row_label = dimension.fold(row_label)  # "Twitter, Inc." and "Twitter": one series
                row_code = row_codes.get(row_label, "")  # "Bahrain" and "Bahrein": BHR
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
                detail = cell.label or ("" if len(qs) == 1 and cell.text.strip() == qs[0].surface
                                        else " ".join(M.content_words(_without(cell.text, qs))))
                parts = [(rkey, row_label, row.label), ("column", col_clean, col), ("detail", detail, detail)]
                if col_clean.lower() in label.lower() or claimed is not None and len(table.columns) == 1:
                    parts[1] = ("column", "", col)  # the one column of a claimed table is its measure
                near_text = " | ".join(x for x in (row.label, cell.label, col, row.section) if x)
                # match each distinct header, label and title once, then place the hits in
                # "near | context" coordinates
                hits, pos = [], 0
                for part in (row.label, cell.label, col, row.section):
                    if part:
                        part_hits = self._text_hits(part)
                        if part_hits:
                            hits.extend(RuleHit(h.rule, h.field, h.start + pos, h.end + pos) for h in part_hits)
                        pos += len(part) + 3
                # a row that only says "Total" (or a period) is about what the table's title says
                generic = generic_of.get(near_text)
                if generic is None:
                    generic = generic_of[near_text] = not (
                        set(w.lower() for w in M.content_words(M.strip_period_words(near_text))) - _GENERIC_ROW)
                rule_unit = qs[0].unit if qs[0].unit != "count" or not head_unit else head_unit
                # the same rules hit (wherever in the labels: all of them are near) decide the same
                # way; most cells' labels and headers hit nothing
                key = (frozenset((h.rule, h.field) for h in hits), rule_unit, generic)
                if claimed is not None:
                    rule_cache[key] = claimed
                elif key not in rule_cache:
                    found = self._match_rule(hits + ctx_hits, near=None if generic else (0, len(near_text)),
                                             unit=rule_unit, kind="table")
                    rule_cache[key] = found[0] if found is not None else None
                ri = rule_cache[key]
                metric_label = label
                rule_id = "generic.table_cell.v1"
                named_spans: list[tuple[int, int]] = []
                if ri is not None:
                    r = self.rules.metric_rules[ri]
                    rule_id, metric_label = r.id, r.label
                    named_spans = [(h.start, h.end) for h in hits if h.rule == ri and h.field == "patterns"]
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
                codes = f"{rkey}={row_code}" if row_code and (rkey, row_label) in dims else ""
                if ri is not None:
                    dims.extend(self.rules.metric_rules[ri].dimensions.items())
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
                    dim_str = _dim_str(dims)
                    lead = cell.text[:q.start]
                    box = cell.bbox or row.bbox
                    out.append(self._obs(
                        ctx, a, b, quote, q, unit, q.qualifier, rule_id, metric_label, dim_str, period, False,
                        list(q.flags), "table", page=cell.page,
                        quote_offset=cell_offset + (1 if cell_offset else 0) + len(_norm(lead)) + lead.endswith(" "),
                        bbox=_box_str(box) if box is not None else "", codes=codes))
        return out

    def _row_key(self, ctx: Context, table) -> str:
        """The dimension key of a table's row labels: from the vocabulary of rules/dimensions.yaml;
        a table whose header row holds no words (a page of a longer table whose first data row was
        taken for its header) continues the last keyed table of as many columns."""
        key = self.rules.dimension_of_header.get(header_words(table.stub_header or ""))
        if key is not None:
            ctx.last_table = (key, len(table.columns))
            return key
        if ctx.last_table and ctx.last_table[1] == len(table.columns) and table.columns and \
                not any(_LETTER.search(c) for c in table.columns):
            return ctx.last_table[0]
        return M.row_key(table)

    def _claiming_rule(self, rkey: str, table, title: str | None) -> int | None:
        """The first table rule whose `row_dimension` is this table's row key and whose patterns
        and context patterns match its caption or the document title."""
        around = " | ".join(x for x in (table.caption, title) if x)
        hits = self._text_hits(around) if around else []
        for ri, r in enumerate(self.rules.metric_rules):
            if r.row_dimension != rkey or "table" not in r.scope:
                continue
            if all(any(h.rule == ri and h.field == f for h in hits) for f in ("patterns", "context")
                   if getattr(r, f)):
                return ri
        return None

    def _text_hits(self, text: str):
        """Rule hits in a short text (a table header or label), cached across the document."""
        hits = self._hit_cache.get(text)
        if hits is None:
            if len(self._hit_cache) > 20000:
                self._hit_cache.clear()
            hits = self._hit_cache[text] = self.matcher(self.nlp.make_doc(text))
        return hits

    # ------------------------------------------------------------------------------------
    def _obs(self, ctx, a, b, quote, q, unit, qualifier, rule, label, dims, period, inferred, flags, kind,
             page=None, quote_offset=None, bbox="", codes=""):
        doc = ctx.doc
        return Observation(
            observation_id=observation_id(doc.source, a, b, rule), source=doc.source, source_sha256=doc.sha256,
            page=page or (doc.page_at(a) if doc.pages else None), char_start=a, char_end=b, quote=quote,
            quote_offset=quote_offset, bbox=bbox,
            surface=doc.text[a:b], value=q.value, unit=unit, qualifier=qualifier, metric=_metric_of(self, rule),
            metric_label=label, dimensions=dims, dimension_codes=codes,
            period_start=period.start if period else None, period_end=period.end if period else None,
            period_type=period.type if period else "", period_inferred=bool(period and (inferred or period.inferred)),
            rule=rule, flags=";".join(sorted(set(flags))), kind=kind)


def _row_codes(dimension, table, taken: dict[tuple[str, str], str]) -> dict[str, str]:
    """Each folded row label's code. Rows of one table that would share a code only because a
    brand clause was left out ("Example Ltd (dba One)", "Example Ltd (dba Two)") keep it. Of two
    spellings in one document that the library gives one code ("French Guiana", "Guiana,
    French": the publisher's two rows), the first keeps it and the other stays a series of its
    own under its printed name; `taken` holds the document's codes so far."""
    labels = dict.fromkeys(dimension.fold(lab) for lab in (M.strip_period_words(r.label) for r in table.rows) if lab)
    codes = {lab: dimension.code(lab) for lab in labels}
    shared = Counter(codes.values())
    codes = {lab: dimension.code(lab, keep_brand=True) if shared[c] > 1 else c for lab, c in codes.items()}
    for lab, c in codes.items():
        if c and taken.setdefault((dimension.key, c), lab) != lab:
            codes[lab] = ""
    return codes


def _metric_of(ex: Extractor, rule: str) -> str:
    r = ex.rules.by_id.get(rule)
    return r.metric if r else ""


def _dims(d: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in d.items())


def _dim_str(dims: list[tuple[str, str]]) -> str:
    """'k=v; k=v' of the dimensions, each once, empty values left out."""
    return "; ".join([f"{k}={v}" for k, v in dict.fromkeys(d for d in dims if d[1])])


_LETTER = re.compile(r"[^\W\d_]")
_SUB_ROW = re.compile(r"^\s*(?:[-–—]\s|of which\b|ratio to\b|as (?:a )?%|as a percentage|% of\b|per cent of\b|share of\b)", re.I)
_PERCENT_ROW = re.compile(r"%|\bper ?cent\b|\bratio\b", re.I)
_CONTEXT_OFFSET = 1 << 30  # where a table's caption and title hits sit, beyond any row text
_GENERIC_ROW = {"total", "totals", "grand", "all", "overall", "number", "sum"}


def _box_str(b) -> str:
    return f"{b.x0:.1f} {b.top:.1f} {b.x1:.1f} {b.bottom:.1f}"


_TOTAL = re.compile(r"(grand\s)?totals?:?|all|overall|sum")


def _is_total(label: str) -> bool:
    return bool(_TOTAL.fullmatch(label.strip().lower()))


def _without(text: str, qs: list[Quantity]) -> str:
    """`text` with the quantities (and their qualifiers) blanked out."""
    for q in qs:
        a = q.qualifier_span[0] if q.qualifier_span else q.start
        text = text[:a] + " " * (q.end - a) + text[q.end:]
    return text


def _note_forecast(ctx: Context, text: str) -> None:
    """The forecast period a sentence announces ("the outlook for the next three years")."""
    if ctx.forecast is not None:
        return
    low = text.lower()
    m = FORECAST_SPAN.search(text) if "outlook" in low or "forecast" in low or "projection" in low else None
    if m is not None:
        ctx.forecast = forecast_period(ctx, m)


def _lead_period(ctx: Context, sentence: str, mentions: list[Mention]) -> None:
    """A section's lead sentence about its figures ("The figures below are for 2021") sets the
    section's period; one that reports figures governs its paragraph only."""
    period = single_period(mentions)
    if period is not None and ctx.sections and ctx.sections[-1].period is None and DATA_WORDS.search(sentence):
        ctx.sections[-1].period = as_year(period)


def _remember_range(ctx: Context, mentions: list[Mention]) -> None:
    """The last span a block states, for "over the same period" in the blocks after it."""
    ranges = [m.period for m in mentions if m.period and m.role != "base" and m.kind == "range"]
    if ranges:
        ctx.last_range = ranges[-1]


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


def _clauses(text: str, qs: list[Quantity], mentions: list[Mention] = ()) -> list[tuple[int, int]]:
    """Each quantity's clause: from the last separator before it (not before the previous
    quantity) to the first separator after it (not after the next quantity). An "and" that
    joins two dates ("in 2006/7 and 2007/8") separates nothing."""
    joined = {a.end + 1 for a, b in zip(mentions, mentions[1:]) if text[a.end:b.start] == " and "}
    found = [(m.start(), bool(m.group("soft"))) for m in _CLAUSE_SEP.finditer(text) if m.start() not in joined]
    bounds = [p for p, soft in found if not soft and text[p] != "("]
    starts = [x.start for x in qs]

    def brings_figure(p: int) -> bool:
        # "and", "with", "after"... end a clause only where they bring in another figure ("and 893
        # (80%) were", "with 20% of", "after the river rose 2.3 metres"), not in "living with HIV"
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

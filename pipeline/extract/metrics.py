"""What a number counts: a short label from the words around it, and table breakdowns.

Without a rule, a prose figure is labelled by the content words of its clause: the noun phrase
after it ("4,910 children have been identified" -> "children identified"), the words before it
when nothing follows ("Other relatives were involved in 10% of cases"), the subject a sentence
sets up for its later percentages ("78% of reports regarding online enticement involved girls
and 15% involved boys"), or "the number of X" earlier in the sentence. Table cells take their
row label, column header and inline cell label as dimensions and the table's title as label.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Table

STOP = set("""a an the of in on at to for by with from and or that which who whom whose this these
those is are was were be been being has have had it its their our we they there also than as into
about such per each every any all some more most over under up down out off so if then while when
where what how why nearly almost around approximately roughly just only well even still yet both
either neither nor very much many can could would should will may might must do does did done
according since until after before during between through across within without among amongst
upon onto via including include includes included i you he she his her them us my your""".split())
KEEP = {"not", "no", "non", "new", "total", "unique", "other", "public", "per", "all", "off"}
_WORD = re.compile(r"[^\W\d_][\w'’&/.-]*[^\W_]|[^\W\d_]")  # letters of any script: "Māori", "Ringatū"
_VERBISH = re.compile(r"^(?:involved|were|was|are|is|had|have|has|resolved|came|remained|received|"
                      r"reported|accounted|made|said|lived|stood|fell|rose|increased|decreased)$", re.I)
MAX_WORDS = 12
# words a clause can have and still be an elided repeat of the figure before it
_ELIDED = {"it", "received", "receives", "reached", "rose", "fell", "grew", "increased", "decreased",
           "number", "this", "total", "was", "were", "had", "stood", "up", "down", "more", "another"}


_MONTH_WORDS = frozenset("cy fy january february march april may june july august september october november "
                         "december jan feb mar apr jun jul aug sep sept oct nov dec".split())


def content_words(text: str) -> list[str]:
    return list(_content_words(text))


@lru_cache(maxsize=16384)
def _content_words(text: str) -> tuple[str, ...]:
    """Cached: table headers and row labels repeat for every cell."""
    words = []
    for w in _WORD.findall(text):
        if "/" in w and "." in w or w.lower().startswith(("www", "http")) or w.count("-") > 2:
            continue  # URL or file-name debris
        lw = w.lower().strip(".")
        if not lw or (lw in STOP and lw not in KEEP) or len(w) == 1 and w.islower():  # "s" of "1990s"
            continue
        if lw in _MONTH_WORDS:
            continue
        words.append(w.strip(".,;:"))
    return tuple(words)


def clip(words: list[str], n: int = MAX_WORDS) -> str:
    return " ".join(words[:n])


def prose_label(sentence: str, clause: tuple[int, int], q_span: tuple[int, int],
                blanks: list[tuple[int, int]], subject: str | None, prev_label: str | None = None) -> str:
    """Label a prose figure from its clause. Offsets are relative to `sentence`.

    `blanks` are spans to leave out (other numbers, period expressions, qualifiers). The words
    after the figure come first (what it counts), then up to six before it (who did what).
    """
    cs, ce = clause
    qs, qe = q_span

    def text_of(a: int, b: int) -> str:
        out = sentence[a:b]
        for x, y in blanks:
            lo, hi = max(a, x), min(b, y)
            if lo < hi:
                out = out[:lo - a] + " " * (hi - lo) + out[hi - a:]
        return out

    after = content_words(text_of(qe, ce))[:8]
    before = content_words(text_of(cs, qs))[-6:]
    if not before and not after and cs > 0 and sentence[cs] in "(,":
        # "Asian (11.8%)", "(including Mandarin, 1.3%)": a bracketed figure is about the words
        # just before its bracket, back to the previous separator
        lead = re.split(r"[;:,(]", text_of(max(0, cs - 80), cs))[-1]
        before = content_words(lead)[-4:]
    own = [w.lower() for w in before + after]
    if prev_label and all(w in _ELIDED for w in own):
        # "...; in CY 2021, it received 29.3 million", "5,127 individuals and more than 90,000 since
        # it began": an elided repeat of the figure before it
        # "... 5,127 individuals and more than 90,000 since it began": the same thing again
        words = prev_label.split() + after
        return clip(list(dict.fromkeys(words)), MAX_WORDS + 2)
    room = max(0, MAX_WORDS - len(after))
    words = (before[-room:] if room else []) + after
    label = " ".join(words)
    if subject and subject.lower() not in label.lower():
        label = clip(subject.split() + words, MAX_WORDS + 4)
    return label


# "In the year to June 2018, ...", "As recorded in the 2013 census, ...": an opening phrase
# before the subject
_LEAD_PHRASE = re.compile(r"\s*[\"'“‘]?(?:(?:but|and|yet|so|thus)\s)?"
                          r"(?:(?:in|as of|as at|as|according to|from|by|since|during|for|at|on|over|after|before|"
                          r"under|overall|however|meanwhile|having|given|despite|although|though|while|whereas|"
                          r"with|without|if|when|because|unlike)\b[^,;:]{0,70},\s)?", re.I)
_OPENING_SUBJECT = re.compile(
    r"[\"'“‘]?((?:[^\W\d_][\w'’-]*,?\s|[\d,.]+%?\s|[£$€]?[\d,.]+\s?(?:million|billion|m|bn)?\s){1,9}?)"
    r"(?:however\s|also\s|now\s|still\s|has\s|have\s|had\s|will\s|would\s)?"
    r"(?:is|are|was|were|has|have|had|fell|rose|rises|falls|increased|decreased|declined|accounted|accounts|remained|"
    r"stood|grew|peaked|plays|played|controls|reached|totall?ed|totals|received|contributed|contributes|"
    r"comprised?|comprises|represents?|represented|makes up|made up|enumerated|reported|identified)\b")


def opening_subject(sentence: str) -> tuple[str, int] | None:
    """'Samoan is the most widely spoken ...' -> ('Samoan', end): the noun phrase a sentence
    opens with (after an opening phrase such as "As of 2016,"), before its verb, in at most
    nine words; brackets in it are left out."""
    blank = lambda b: " " * len(b.group())  # noqa: E731 (offsets stay those of the sentence)
    flat = _APPOSITIVE.sub(blank, _BRACKETS.sub(blank, sentence))
    lead = _LEAD_PHRASE.match(flat)
    m = _OPENING_SUBJECT.match(flat, lead.end())
    if not m:
        return None
    words = [w for w in content_words(m.group(1)) if w.lower() not in ("number", "numbers", "total")] \
        or content_words(m.group(1))
    # a place the opening phrase names ("In Bulgaria, the numbers ... are even lower")
    place = [w for w in content_words(flat[:lead.end()]) if w[0].isupper() and w.lower() not in _LEAD_WORDS]
    words = place + [w for w in words if w not in place]
    return (" ".join(words[:6]), m.end(1)) if words else None


_BRACKETS = re.compile(r"\([^()]*\)")
_APPOSITIVE = re.compile(r",\s(?:the|a|an)\s[^,;()]{1,50},(?=\s)")  # "Chlamydia, the most common STI, increased"
_LEAD_WORDS = frozenset("in as of at according from by since during for on over after before under overall however "
                        "meanwhile census survey year but and yet so thus having given despite although though while "
                        "whereas with without if when because unlike".split())


# (words are matched whole, *+, so that a failing match does not try every split of them)
_OF_SUBJECT = re.compile(r"\s?of\s((?:[A-Za-z][\w'’/-]*+\s?){1,6}?)(?=\s(?:involved|were|was|are|is|had|have|came|"
                         r"resolved|related|met)\b|[,;(]|$)")


def sentence_subject(sentence: str, first_q_end: int) -> str | None:
    """'78% of reports regarding online enticement involved girls' -> the 'of ...' phrase."""
    if not sentence.startswith(("of ", " of "), first_q_end):
        return None  # (a cheap test before the regular expression)
    m = _OF_SUBJECT.match(sentence[first_q_end:first_q_end + 80])
    if not m:
        return None
    words = content_words(m.group(1))
    return " ".join(words) if words else None


def number_of_subject(sentence: str, before: int) -> str | None:
    """'the number of cases processed per week ... (66 per week)' -> 'cases processed'."""
    ms = list(re.finditer(r"\bnumber of ((?:[A-Za-z][\w'’/-]*\s){1,5})", sentence[:before]))
    if not ms:
        return None
    return " ".join(content_words(ms[-1].group(1))[:5]) or None


# -- tables ------------------------------------------------------------------------------
_PERIODISH = re.compile(r"\b(?:CY|FY)\s?\d{4}[–-]?|\b(?:19|20)\d\d(?:/\d{2,4})?\b|\(\d{1,2}/\d{1,2}/\d{2,4}-\d{1,2}/\d{1,2}/\d{2,4}\)"
                        r"|\b(?:in|for|during)\s(?:CY|FY)?\s?(?:19|20)\d\d\b|\bactual\b|\bpre-efu\b|\bestimate\b", re.I)


@lru_cache(maxsize=16384)
def strip_period_words(text: str) -> str:
    """Cached: table headers and row labels repeat for every cell."""
    out = _PERIODISH.sub(" ", text or "")
    out = re.sub(r"\s+", " ", out).strip(" –-,;:")
    return out


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return s[:40] or "row"


def dedupe_words(text: str) -> str:
    seen, out = set(), []
    for w in text.split():
        if w.lower() in seen:
            continue
        seen.add(w.lower())
        out.append(w)
    return " ".join(out)


def table_label(table: Table, title: str | None) -> str:
    """The table's subject: its caption or stub header, without period words, shortened."""
    for cand in (table.caption, table.stub_header):
        text = strip_period_words(cand or "")
        if len(content_words(text)) >= 1:
            words = content_words(text)
            if len(words) > 2 or not title:
                return clip(words, 14)
    return clip(content_words(strip_period_words(title or "")), 10)


def row_key(table: Table) -> str:
    """Dimension name of the row labels: the stub header when it is a short noun ('Country')."""
    stub = dedupe_words(strip_period_words(table.stub_header or ""))
    if stub and len(stub.split()) <= 3 and not table.caption or stub and len(stub.split()) <= 2:
        return slug(stub)
    return "row"

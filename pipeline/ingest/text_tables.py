"""Tables in plain text and markdown: pipe tables and rows of "label  figure  figure".

Web pages copied as text and PDFs saved as text keep their tables as lines: a markdown pipe
table (`| Country | 2021 |` over `|---|---|`), or a header line over rows whose right-hand
tokens are figures ("Online Enticement of Children 37,872 44,155 80,524"). Such lines become a
`Table` like the PDF and HTML ones, so each figure takes its column header's period and its row
label as its breakdown instead of being read as a run-on sentence.

`split_tables` takes one paragraph's lines (text, offset in the original) and returns its
pieces in order: ("lines", lines) for text that stays prose, ("table", TextTable) for a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Table

Line = tuple[str, int]  # a line's text and its offset in the decoded original

# One figure as a table prints it: "21,751,085", "93.5%", "$1.2", "(0.4)", "-3", "n/a", "–"
_FIGURE = re.compile(r"[(\[]?[-–−+]?[$£€]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?[)\]]?\*?"
                     r"|[(\[]?[-–−+]?[$£€]?\d+(?:\.\d+)?%?[)\]]?\*?|[-–—]|n/?a|N/?A")
_SCALE = re.compile(r"(?:million|billion|trillion|thousand|m|bn|k)\b\.?", re.I)
_YEARISH = re.compile(r"(?:(?:CY|FY)\s?)?(?:19|20)\d\d(?:/\d{2,4}|[-–]\d{2})?")
# a period in a header line: "2021", "CY 2021", "FY 2005-06", "2000/01"
_HEADER_PERIOD = re.compile(r"\b(?:(?:CY|FY)\s?)?(?:19|20)\d\d(?:/\d{2,4}|[-–]\d{2}\b)?(?![\d,])")
_TOKEN = re.compile(r"\S+")
_COLUMN_GAP = re.compile(r"\t+|\s{2,}")
_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_MARKUP = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|\\(?=[\\`*_{}\[\]()#+\-.!|])")
# a label that runs on into its figures is prose: "... the CyberTipline received 29,397,681"
_RUNS_ON = re.compile(r"\b(?:a|an|the|of|in|on|at|to|by|for|from|with|than|and|or|was|were|is|are|be|been|"
                      r"had|has|have|received|reached|totalled|totaled|about|over|nearly|approximately|"
                      r"around|almost|some|only|just|least)$", re.I)
_MAX_LABEL_WORDS = 14


@dataclass
class TextTable:
    """A table found in text lines, with every piece's offset in the original."""

    table: Table
    header: list[Line]  # caption and header lines, as written
    rows: list[tuple[Line, list[Line]]]  # (label, cells); a label or cell is (text, offset)


def builder_rows(tt: TextTable, fix=str) -> list[tuple[str, list[dict]]]:
    """The table's rows as DocumentBuilder.add_table takes them (`fix` cleans each text); rows
    without a value are left out, as are empty cells."""
    rows = []
    for (label, _), cells in tt.rows:
        out = [{"text": fix(t), "column": c} for c, (t, _) in enumerate(cells) if t]
        if out:
            rows.append((fix(label), out))
    return rows


def _plain(text: str) -> str:
    return _MD_MARKUP.sub("", text)


def _trim(text: str, offset: int) -> Line:
    """`text` without surrounding spaces and markdown emphasis, with its new offset."""
    lead = len(text) - len(text.lstrip(" \t*_"))
    return text.strip(" \t*_"), offset + lead


@dataclass
class _Row:
    label: Line
    cells: list[Line]


def _figure_row(line: Line, markdown: bool) -> _Row | None:
    """'label fig fig ...': the figures at the line's right end and the label before them."""
    text, off = line
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    cells: list[Line] = []
    i = len(tokens)
    bare = _plain if markdown else str
    while i > 0:
        tok, pos = tokens[i - 1]
        if _SCALE.fullmatch(bare(tok)) and i > 1 and _FIGURE.fullmatch(bare(tokens[i - 2][0])):  # "21.7 million"
            ppos = tokens[i - 2][1]
            cells.insert(0, _trim(text[ppos:pos + len(tok)], off + ppos))
            i -= 2
            continue
        if _FIGURE.fullmatch(bare(tok)) and re.search(r"\d", tok) or tok in ("-", "–", "—") and cells:
            cells.insert(0, _trim(tok, off + pos))
            i -= 1
            continue
        break
    if not cells or not any(re.search(r"\d", c[0]) for c in cells):
        return None
    end = tokens[i - 1][1] + len(tokens[i - 1][0]) if i else 0
    label = _trim(text[:end], off)
    label_text = _plain(label[0]).rstrip(":").strip()
    if len(label_text.split()) > _MAX_LABEL_WORDS or label_text.endswith((".", ",", ";")) and \
            not re.search(r"\b[A-Z][a-z]?\.$", label_text) or _RUNS_ON.search(label_text):
        return None
    if label_text and not re.search(r"[^\W\d_]", label_text):
        return None
    return _Row(label=(label_text, label[1]), cells=cells)


def _years_only(row: _Row) -> bool:
    """A line of years ("2020 2021 2022") heads columns; it is no row of figures."""
    return all(_YEARISH.fullmatch(c[0]) for c in row.cells) and len(row.cells) >= 2


def _split_header(line: Line, k: int) -> tuple[str | None, list[str]] | None:
    """A header line's stub header and its k column headers, or None where it cannot tell."""
    text = _plain(line[0]).strip()
    parts = [p.strip() for p in _COLUMN_GAP.split(text) if p.strip()]
    if len(parts) >= k + 1 or len(parts) == k and k >= 2:
        return " ".join(parts[:-k]) or None, parts[-k:]
    periods = list(_HEADER_PERIOD.finditer(text))
    if len(periods) == k:
        cols = [text[m.start():(periods[j + 1].start() if j + 1 < k else len(text))].strip()
                for j, m in enumerate(periods)]
        return text[:periods[0].start()].strip() or None, cols
    return None


def _markdown_table(lines: list[Line], i: int) -> tuple[TextTable, int] | None:
    """A pipe table starting at lines[i] (header, rule, rows); returns it and the next index."""
    if i + 1 >= len(lines) or not _MD_ROW.match(lines[i][0]) or not _MD_RULE.match(lines[i + 1][0]):
        return None

    def cells(line: Line) -> list[Line]:
        text, off = line
        out, pos = [], text.index("|") + 1
        for m in _PIPE.finditer(text, pos):
            out.append(_trim(text[pos:m.start()], off + pos))
            pos = m.end()
        return out

    header = cells(lines[i])
    j = i + 2
    body: list[list[Line]] = []
    while j < len(lines) and _MD_ROW.match(lines[j][0]):
        body.append(cells(lines[j]))
        j += 1
    if not body:
        return None
    width = len(header)
    texts = [[_plain(c[0]) for c in r] for r in body]
    numeric = sum(1 for r in texts for t in r[1:width] if _FIGURE.fullmatch(t.strip()))
    if not numeric:
        return None
    table = Table(stub_header=_plain(header[0][0]) or None, columns=[_plain(c[0]) for c in header[1:]])
    rows = []
    for r in body:
        label = (_plain(r[0][0]), r[0][1]) if r else ("", lines[i][1])
        rows.append((label, [(_plain(c[0]), c[1]) for c in r[1:width]]))
    return TextTable(table=table, header=[lines[i]], rows=rows), j


def _figure_table(lines: list[Line], i: int, markdown: bool, header_ok: bool) -> tuple[TextTable, int] | None:
    """Rows of figures starting at lines[i], with the header line above them (lines[i - 1],
    where `header_ok`) if it heads them; returns the table and the index after it."""
    first = _figure_row(lines[i], markdown)
    if first is None or _years_only(first):
        return None
    k = len(first.cells)
    rows: list[_Row] = [first]
    wrapped: list[Line] = []  # a label line whose figures are on the next line
    j = i + 1
    while j < len(lines):
        row = _figure_row(lines[j], markdown)
        if row is not None and len(row.cells) == k and not _years_only(row):
            if wrapped:
                text = " ".join([w[0] for w in wrapped] + [row.label[0]]).strip()
                row.label = (text, wrapped[0][1])
                wrapped = []
            rows.append(row)
            j += 1
            continue
        text = _plain(lines[j][0]).strip()
        if row is None and not wrapped and text and len(text.split()) <= 8 and not re.search(r"\d", text) \
                and not text.endswith((".", ":", "?", "!")) and j + 1 < len(lines):
            wrapped.append(_trim(lines[j][0], lines[j][1]))
            j += 1
            continue
        break
    if wrapped:
        j -= len(wrapped)
    head = None
    if header_ok:
        above = _figure_row(lines[i - 1], markdown)
        if above is None or _years_only(above):
            head = _split_header(lines[i - 1], k)
    # figures with their column headers, or a run of rows long enough to be no accident of prose
    if len(rows) < (2 if head is not None else 3):
        return None
    stub, columns = head if head is not None else (None, [""] * k)
    start = i - 1 if head is not None else i
    table = Table(stub_header=stub, columns=columns)
    return TextTable(table=table, header=lines[start:i], rows=[(r.label, r.cells) for r in rows]), j


def split_tables(lines: list[Line], markdown: bool) -> list[tuple[str, object]]:
    """A paragraph's lines as prose pieces and tables, in order (see the module docstring)."""
    if len(lines) < 2 or not any(re.search(r"\d", t) for t, _ in lines):
        return [("lines", lines)]
    out: list[tuple[str, object]] = []
    prose: list[Line] = []
    i = 0
    while i < len(lines):
        found = _markdown_table(lines, i) if "|" in lines[i][0] else None
        if found is not None:
            tt, i = found
            start = len(prose)
        else:
            # a header line above the rows is the last prose line so far
            fig = _figure_table(lines, i, markdown, header_ok=bool(prose))
            if fig is None:
                prose.append(lines[i])
                i += 1
                continue
            tt, i = fig
            start = len(prose) - len(tt.header)
        # lines just above the header that read as a title ("Number of reports by incident
        # type") are the table's caption
        before = prose[:start]
        caption: list[Line] = []
        while before and len(caption) < 2 and _is_caption(before[-1][0]):
            caption.insert(0, before.pop())
        if caption:
            tt.table.caption = " ".join(_plain(c[0]).strip() for c in caption)
            tt.header = caption + tt.header
        if before:
            out.append(("lines", before))
        out.append(("table", tt))
        prose = []
    if prose:
        out.append(("lines", prose))
    return out


def _is_caption(text: str) -> bool:
    s = _plain(text).strip()
    return bool(s) and len(s.split()) <= 14 and not s.endswith((".", "?", "!", ",", ";")) and s[:1].isupper()

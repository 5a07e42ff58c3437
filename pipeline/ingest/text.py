"""Plain text and markdown: headings, paragraphs and list items, markup removed, offsets mappable.

The cleaned text drops markdown emphasis, escapes and link targets; `Document.origin` records where
each cleaned piece starts in the decoded original so a span can be traced back to the file.
"""

from __future__ import annotations

import re

from ..models import Document
from .builder import DocumentBuilder
from .decode import decode_bytes, repair_text
from .text_tables import TextTable, builder_rows, split_tables

_MD_HINTS = re.compile(r"^#{1,6} |\*\*\S|\S\*\*|\]\(|^```", re.M)
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST = re.compile(r"^\s*(?:[-*+•▪◦]|\d{1,2}[.)])\s+(?=\S)")
# Markup removed from markdown lines; a named group, when it matched, is kept in its place.
_MD_INLINE = re.compile(
    r"\\(?P<esc>[\\`*_{}\[\]()#+\-.!|])"  # backslash escape -> the escaped character
    r"|\[(?P<link>[^\]\n]*)\]\([^)\n]*\)"  # [text](url) -> text
    r"|<(?P<auto>https?://[^>\s]+)>"  # <https://...> -> https://...
    r"|\*\*|__"  # strong emphasis markers
    r"|(?<![\w*\\])\*(?=[^\s*])|(?<=[^\s*\\])\*(?![\w*])"  # *emphasis*
)
_SUSPECT = re.compile("[\u00a0\u2007\u202f\ufeff\u200bÃâÂ€\ufffd®]")
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\ufeff": "", "\u200b": ""})


class _Pieces:
    """Collects cleaned text pieces of one block with their offsets in the original."""

    def __init__(self) -> None:
        self.text = ""
        self.origin: list[tuple[int, int]] = []

    def add(self, piece: str, orig: int) -> None:
        if not piece:
            return
        self.origin.append((len(self.text), orig))
        if not _SUSPECT.search(piece):
            self.text += piece
            return
        # Repairs change lengths: fix word by word and re-anchor after each changed word.
        for m in re.finditer(r"\S+|\s+", piece):
            word = m.group()
            fixed = repair_text(word).translate(_SPACES)
            if fixed != word:
                self.origin.append((len(self.text), orig + m.start()))
                self.text += fixed
                self.origin.append((len(self.text), orig + m.end()))
            else:
                self.text += word


def _clean_line(line: str, orig: int, markdown: bool, out: _Pieces) -> None:
    if not markdown:
        out.add(line, orig)
        return
    pos = 0
    for m in _MD_INLINE.finditer(line):
        out.add(line[pos:m.start()], orig + pos)
        group = next((g for g in ("esc", "link", "auto") if m.group(g) is not None), None)
        if group:
            out.add(m.group(group), orig + m.start(group))
        pos = m.end()
    out.add(line[pos:], orig + pos)


def _plain_md(text: str) -> str:
    """A markdown line's text without its inline markup (for lines kept as they are)."""
    pieces = _Pieces()
    _clean_line(text, 0, True, pieces)
    return pieces.text


def _is_plain_heading(line: str, prev_blank: bool, next_blank: bool) -> bool:
    """A short, unpunctuated line standing alone between blank lines reads as a heading."""
    s = line.strip()
    if not (prev_blank and next_blank) or not s or len(s) > 90 or len(s.split()) > 12:
        return False
    if s[-1] in ".:;,!?)" or _LIST.match(s) or not s[0].isupper():
        return False
    return not re.fullmatch(r"[\d\W]+", s)


def ingest_text(data: bytes, path, source: str, sha256: str, markdown: bool | None = None) -> Document:
    raw, _enc = decode_bytes(data, path)
    if markdown is None:
        markdown = len(_MD_HINTS.findall(raw)) >= 3
    builder = DocumentBuilder(source, sha256, "markdown" if markdown else "text")

    # Lines with their offsets in `raw` (any newline convention).
    lines: list[tuple[str, int]] = []
    for m in re.finditer(r"([^\r\n]*)(\r\n|\r|\n|$)", raw):
        if m.start() == len(raw) and not m.group(0):
            break
        lines.append((m.group(1), m.start()))

    origin: list[tuple[int, int]] = []
    title = None

    def emit(kind, group: list[tuple[str, int]], level=None):
        nonlocal title
        pieces = _Pieces()
        for i, (line, orig) in enumerate(group):
            if i:
                pieces.add("\n", orig - 1)
            _clean_line(line, orig, markdown, pieces)
        text = pieces.text.strip()
        lead = len(pieces.text) - len(pieces.text.lstrip())
        if not text:
            return
        block = builder.add_block(kind, text, level=level)
        if block is None:
            return
        for out, orig in pieces.origin:
            origin.append((block.start + max(0, out - lead), orig))
        if kind == "heading" and title is None and not builder.blocks[:-1]:
            title = text

    def emit_table(tt: TextTable):
        rows = builder_rows(tt, lambda t: repair_text(t).translate(_SPACES))
        header = [repair_text(_plain_md(t) if markdown else t).translate(_SPACES).strip() for t, _ in tt.header]
        if tt.table.caption is None and builder.blocks and builder.blocks[-1].kind == "heading":
            tt.table.caption = builder.blocks[-1].text  # as an HTML table takes its heading
        block = builder.add_table(tt.table, rows, header_lines=header)
        if block is None:
            return
        # each header line, row label and cell starts where it stood in the original
        pos = block.start
        for (text, orig), written in zip(tt.header, header):
            if written:
                origin.append((pos, orig))
                pos += len(written) + 1
        kept = [(lab, [c for c in cells if c[0]]) for lab, cells in tt.rows if any(c[0] for c in cells)]
        for row, ((_, label_orig), cells) in zip(block.table.rows, kept):
            origin.append((row.start, label_orig))
            for cell, (_, cell_orig) in zip(row.cells, cells):
                origin.append((cell.start, cell_orig))

    blank = lambda i: i < 0 or i >= len(lines) or not lines[i][0].strip()  # noqa: E731
    para: list[tuple[str, int]] = []
    item: list[tuple[str, int]] = []

    def flush():
        nonlocal para, item
        if item:
            emit("list_item", item)
        if para:
            for kind, piece in split_tables(para, markdown):
                if kind == "table":
                    emit_table(piece)
                else:
                    emit("paragraph", piece)
        para, item = [], []

    for i, (line, orig) in enumerate(lines):
        if not line.strip():
            flush()
            continue
        md_head = _HEADING_MD.match(line) if markdown else None
        if md_head:
            flush()
            emit("heading", [(md_head.group(2), orig + md_head.start(2))], level=len(md_head.group(1)))
            continue
        bullet = _LIST.match(line)
        if bullet:
            flush()
            item = [(line[bullet.end():], orig + bullet.end())]
            continue
        if item:  # a continuation line of a list item
            item.append((line.strip(), orig + len(line) - len(line.lstrip())))
            continue
        if not para and _is_plain_heading(line, blank(i - 1), blank(i + 1)):
            level = 1 if not builder.blocks else 2
            stripped = line.strip()
            emit("heading", [(stripped, orig + line.index(stripped))], level=level)
            continue
        para.append((line, orig))
    flush()

    doc = builder.build(title=title)
    doc.origin = origin
    return doc

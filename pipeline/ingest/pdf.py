"""PDF documents with pdfplumber: reading order, page furniture, footnotes and tables.

Per page: words with their boxes and font sizes; superscript digits become footnote markers kept
apart from the figures they follow; lines repeated at the top or bottom of most pages (running
headers, copyright lines, page numbers) are furniture; small-type notes that start with a marker
at the foot of a page are footnotes; borderless tables are recovered by `tables.find_tables`;
what remains becomes headings, paragraphs and list items.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from datetime import date

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from ..errors import IngestError
from ..models import Document
from .builder import DocumentBuilder
from .layout import Line, Word, box_of, group_lines, split_phrases
from .tables import find_tables

_LIST_START = re.compile(r"^(\d{1,2}\.|[•▪◦·\-–]|\([a-z0-9]{1,3}\)|[a-z]\.)\s")
_PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?$", re.I)


def _open_error(path, e: Exception) -> IngestError:
    if isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower() \
            or "encrypt" in type(e).__name__.lower():
        return IngestError(path, "encrypted PDF: a password is required to read it")
    if isinstance(e, PDFSyntaxError):
        return IngestError(path, f"corrupt PDF: {e}")
    return IngestError(path, f"corrupt or unreadable PDF ({type(e).__name__}: {e})")


def _pdf_date(value) -> date | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1", errors="ignore")
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", str(value or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _meta_text(value) -> str | None:
    if isinstance(value, bytes):
        for enc in ("utf-16", "latin-1"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    value = str(value or "").strip()
    return value or None


def _page_words(page) -> list[Word]:
    # Spaces drawn over letters ("I n formational") split words: drop blank characters and split
    # words on gaps relative to the font size instead.
    clean = page.filter(lambda o: not (o.get("object_type") == "char" and not o.get("text", "x").strip()))
    words = clean.extract_words(x_tolerance_ratio=0.15, y_tolerance=2, extra_attrs=["size", "fontname"],
                                keep_blank_chars=False)
    return [Word.from_plumber(w) for w in words if w["text"].strip()]


def _split_markers(words: list[Word], common: float) -> tuple[list[Word], list[Word]]:
    """Superscript footnote markers: short digit runs in a much smaller type than the body text."""
    if not words:
        return [], []
    normal, markers = [], []
    for w in words:
        if re.fullmatch(r"\d{1,2}(,\s?\d{1,2})*\*?", w.text) and w.size < 0.72 * common:
            markers.append(w)
        else:
            normal.append(w)
    return normal, markers


def _attach_markers(lines: list[Line], markers: list[Word]) -> list[Line]:
    """Give each marker to the line it overlaps most; a marker on no line becomes its own line."""
    orphans = []
    for m in markers:
        best, best_ov = None, 0.0
        for line in lines:
            ov = min(m.bottom, line.bottom) - max(m.top, line.top)
            if ov > best_ov:
                best, best_ov = line, ov
        if best is not None and best_ov > 0.3 * m.height:
            best.markers.append(m)
        else:
            orphans.append(m)
    for m in orphans:  # a footnote number printed on its own line before the note
        lines.append(Line(words=[m], kind="marker"))
    lines.sort(key=lambda l: (l.top, l.x0))
    return lines


def _signature(line: Line, height: float) -> tuple[str, str] | None:
    region = "head" if line.bottom < 0.085 * height else "foot" if line.top > 0.9 * height else None
    if region is None:
        return None
    return region, re.sub(r"\d+", "#", line.text.lower())


def _mark_furniture(pages: list[tuple[object, list[Line]]]) -> None:
    counts: dict[tuple[str, str], set[int]] = defaultdict(set)
    for pn, (page, lines) in enumerate(pages):
        for line in lines:
            sig = _signature(line, page.height)
            if sig:
                counts[sig].add(pn)
    need = max(2, (len(pages) + 1) // 2)
    for page, lines in pages:
        for line in lines:
            sig = _signature(line, page.height)
            if sig is None:
                continue
            if len(counts[sig]) >= need or _PAGE_NUMBER.match(line.text.strip()):
                line.kind = "furniture"


def _mark_footnotes(lines: list[Line], body_size: float, left: float) -> None:
    """Small-type lines at the foot of a page that start with a marker are footnotes."""
    in_notes = False
    for line in lines:
        if line.kind == "furniture":
            continue
        starts_with_marker = (line.kind == "marker") or (
            line.markers and min(m.x0 for m in line.markers) <= line.x0 + 1 and line.x0 <= left + 12)
        if starts_with_marker and line.size < body_size - 0.5 or (line.kind == "marker" and line.size < body_size - 3):
            in_notes = True
        if in_notes:
            if line.size >= body_size - 0.2 and line.kind != "marker":
                in_notes = False
                continue
            line.kind = "footnote"


def _line_text(line: Line) -> tuple[str, list[tuple[int, int]]]:
    """A line's text with its markers as separate tokens; returns (text, marker spans)."""
    items = [(w.x0, w.text, False) for w in line.words] + [(m.x0, m.text, True) for m in line.markers]
    items.sort(key=lambda t: t[0])
    text, spans = "", []
    for _, t, is_marker in items:
        if text:
            text += " "
        if is_marker:
            spans.append((len(text), len(text) + len(t)))
        text += t
    return text, spans


def _paragraphs(lines: list[Line], body_size: float):
    """Group prose lines into blocks: (kind, level, [lines])."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            prev = blocks[-1][-1]
            gap = line.top - prev.bottom
            same_style = prev.bold == line.bold and abs(prev.size - line.size) < 0.6 and prev.kind == line.kind
            starts_item = bool(_LIST_START.match(line.text)) and line.kind == "text" or (
                line.kind == "footnote" and line.markers and min(m.x0 for m in line.markers) <= line.x0 + 1)
            if gap < 0.6 * max(prev.height, line.height) and gap > -0.5 * line.height and same_style \
                    and not starts_item:
                blocks[-1].append(line)
                continue
        blocks.append([line])
    out = []
    for block in blocks:
        first = block[0]
        words = sum(len(l.words) for l in block)
        if first.kind == "footnote":
            kind, level = "footnote", None
        elif first.kind == "marker":
            kind, level = "footnote", None
        elif (first.size >= body_size * 1.3 or all(l.bold for l in block)) and words <= 25:
            kind, level = "heading", 1 if first.size >= body_size * 1.3 else 2
        elif _LIST_START.match(first.text):
            kind, level = "list_item", None
        else:
            kind, level = "paragraph", None
        out.append((kind, level, block))
    return out


def ingest_pdf(data: bytes, path, source: str, sha256: str) -> Document:
    if b"%PDF" not in data[:1024]:
        raise IngestError(path, "not a PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - pdfminer raises many types for broken files
        if b"/Encrypt" in data[-4096:] or b"/Encrypt" in data[:4096]:
            raise IngestError(path, "encrypted PDF: a password is required to read it") from None
        raise _open_error(path, e) from None
    try:
        with pdf:
            return _ingest(pdf, path, source, sha256)
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001
        if b"/Encrypt" in data[-4096:] or b"/Encrypt" in data[:4096]:
            raise IngestError(path, "encrypted PDF: a password is required to read it") from None
        raise _open_error(path, e) from None


def _ingest(pdf, path, source, sha256) -> Document:
    meta = pdf.metadata or {}
    if not pdf.pages:
        raise IngestError(path, "PDF has no pages")
    page_words = [(page, _page_words(page)) for page in pdf.pages]
    sizes = Counter()
    for _, words in page_words:
        for w in words:
            sizes[round(w.size * 2) / 2] += len(w.text)
    if not sizes:
        raise IngestError(path, "PDF has no extractable text (scanned images only?)")
    body_size = sizes.most_common(1)[0][0]
    pages = []
    for page, words in page_words:
        normal, markers = _split_markers(words, body_size)
        lines = _attach_markers(group_lines(normal), markers) if normal else [
            Line(words=[m], kind="marker") for m in markers]
        pages.append((page, lines))
    _mark_furniture(pages)

    builder = DocumentBuilder(source, sha256, "pdf")
    headings: list[str] = []
    for pn, (page, lines) in enumerate(pages, start=1):
        builder.start_page(pn, float(page.width), float(page.height))
        content = [l for l in lines if l.kind != "furniture"]
        left = min((l.x0 for l in content if l.kind == "text"), default=0)
        right = max((l.x1 for l in content if l.kind == "text"), default=float(page.width))
        _mark_footnotes(content, body_size, left)
        text_lines = [l for l in content if l.kind == "text"]
        tables = find_tables(text_lines, body_size=body_size, page_x0=left, page_x1=right, page=pn)
        consumed = {id(l) for t in tables for l in t.lines}
        items = []  # (top, kind, payload)
        for t in tables:
            items.append((t.bbox.top, "table", t))
        for kind, level, block in _paragraphs([l for l in content if id(l) not in consumed], body_size):
            items.append((block[0].top, kind, (level, block)))
        for line in lines:
            if line.kind == "furniture":
                items.append((line.top, "furniture", (None, [line])))
        items.sort(key=lambda x: x[0])
        for _, kind, payload in items:
            if kind == "table":
                builder.add_table(payload.table, payload.rows, page=pn, bbox=payload.bbox,
                                  header_lines=payload.header_lines)
                continue
            level, block = payload
            text, markers, line_boxes = "", [], []
            for line in block:
                lt, spans = _line_text(line)
                if text:
                    if text.endswith("-") and not text.endswith(" -") and lt[:1].islower():
                        pass  # a word hyphenated across lines: keep the hyphen, no break
                    else:
                        text += "\n"
                line_boxes.append((len(text), line.box))
                markers.extend((len(text) + a, len(text) + b) for a, b in spans)
                text += lt
            all_block_words = [w for l in block for w in l.words]
            b = builder.add_block(kind, text, page=pn, bbox=box_of(all_block_words), level=level,
                                  markers=markers, line_boxes=line_boxes)
            if b is not None and kind == "heading":
                headings.append(b.text)
        builder.end_page()
    title = _meta_text(meta.get("Title")) or (headings[0] if headings else None)
    published = _pdf_date(meta.get("CreationDate"))
    return builder.build(title=title, published=published)


def page_count(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


__all__ = ["ingest_pdf", "split_phrases"]

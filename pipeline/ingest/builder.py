"""Assemble a Document's text block by block, so every block and cell knows its offsets."""

from __future__ import annotations

import re

from ..models import Block, Box, Cell, Document, DocFormat, Page, Row, Span, Table

_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


def clean_inline(text: str) -> str:
    """Collapse runs of spaces (including non-breaking and zero-width ones) to one space."""
    return _WS.sub(" ", text).strip()


class DocumentBuilder:
    """Appends blocks to a growing text; blocks are separated by a blank line."""

    def __init__(self, source: str, sha256: str, fmt: DocFormat):
        self.source, self.sha256, self.format = source, sha256, fmt
        self._parts: list[str] = []
        self._pos = 0
        self.blocks: list[Block] = []
        self.pages: list[Page] = []
        self.markers: list[Span] = []
        self.warnings: list[str] = []

    @property
    def pos(self) -> int:
        return self._pos

    def _write(self, text: str) -> tuple[int, int]:
        start = self._pos
        self._parts.append(text)
        self._pos += len(text)
        return start, self._pos

    def _separate(self) -> None:
        if self._pos:
            self._write("\n\n")

    def add_block(self, kind, text: str, *, page=None, bbox: Box | None = None, level=None,
                  markers: list[tuple[int, int]] = (),
                  line_boxes: list[tuple[int, Box]] = ()) -> Block | None:
        """Add a text block. `markers` are (start, end) spans inside `text` (footnote marks)."""
        if not text.strip():
            return None
        self._separate()
        start, end = self._write(text)
        for a, b in markers:
            self.markers.append(Span(start=start + a, end=start + b))
        block = Block(kind=kind, text=text, start=start, end=end, page=page, bbox=bbox, level=level,
                      line_boxes=[(start + o, b) for o, b in line_boxes])
        self.blocks.append(block)
        return block

    def add_table(self, table: Table, rows: list[tuple[str, list[dict]]], *, page=None,
                  bbox: Box | None = None, header_lines: list[str] = ()) -> Block | None:
        """Add a table. Each row is (label, [{"text", "label", "page", "bbox"}...]).

        The table is written as tab-separated lines: header lines first, then one line per row,
        `label<TAB>cell<TAB>cell`. Cell offsets point at each cell's text in that line.
        """
        if not rows:
            return None
        self._separate()
        start = self._pos
        for line in header_lines:
            if line.strip():
                self._write(line + "\n")
        out_rows: list[Row] = []
        for r_i, (label, cells) in enumerate(rows):
            row_start = self._pos
            self._write(label)
            out_cells = []
            for c in cells:
                self._write("\t")
                c_start, c_end = self._write(c["text"])
                out_cells.append(Cell(text=c["text"], start=c_start, end=c_end, column=c["column"],
                                      label=c.get("label"), page=c.get("page", page), bbox=c.get("bbox")))
            row_end = self._pos
            if r_i < len(rows) - 1:
                self._write("\n")
            meta = rows[r_i][1][0] if cells else {}
            out_rows.append(Row(label=label, cells=out_cells, page=meta.get("page", page),
                                bbox=meta.get("row_bbox"), section=meta.get("section"),
                                start=row_start, end=row_end))
        table.rows = out_rows
        end = self._pos
        block = Block(kind="table", text="", start=start, end=end, page=page, bbox=bbox, table=table)
        self.blocks.append(block)
        return block

    def start_page(self, number: int, width: float, height: float) -> None:
        self._separate()
        self.pages.append(Page(number=number, start=self._pos, end=self._pos, width=width, height=height))

    def end_page(self) -> None:
        if self.pages:
            self.pages[-1].end = self._pos

    def build(self, *, title=None, published=None, article=False) -> Document:
        text = "".join(self._parts)
        for b in self.blocks:
            if b.kind == "table":
                b.text = text[b.start:b.end]
        return Document(source=self.source, sha256=self.sha256, format=self.format, title=title,
                        published=published, article=article, text=text, pages=self.pages, blocks=self.blocks,
                        markers=self.markers, warnings=self.warnings)

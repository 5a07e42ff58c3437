"""Pydantic models for everything that crosses a module boundary.

A `Document` is what ingestion produces: the extracted text of a file plus its blocks (in reading
order) with character offsets into that text. Extraction turns documents into `Observation`s;
reconciliation turns observations into `Fact`s and `ConflictMember`s.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

BlockKind = Literal["heading", "paragraph", "list_item", "table", "caption", "furniture", "footnote"]
DocFormat = Literal["pdf", "html", "text", "markdown"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Box(Model):
    """A rectangle on a PDF page, in PDF points from the page's top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: Box) -> Box:
        return Box(x0=min(self.x0, other.x0), top=min(self.top, other.top),
                   x1=max(self.x1, other.x1), bottom=max(self.bottom, other.bottom))


class Span(Model):
    start: int
    end: int


class Cell(Model):
    """One value cell of a table. `start:end` is the cell's text in Document.text."""

    text: str
    start: int
    end: int
    column: int  # index into Table.columns
    label: str | None = None  # an inline label, "Actionable" in "Actionable: 273,619"
    page: int | None = None
    bbox: Box | None = None


class Row(Model):
    label: str  # the row label (stub), multi-line labels joined; may be empty
    cells: list[Cell] = Field(default_factory=list)
    page: int | None = None
    bbox: Box | None = None
    section: str | None = None  # a sub-heading row above this one ("GDP (PPP)" in an infobox)
    start: int = 0  # the row's line in Document.text
    end: int = 0


class Table(Model):
    caption: str | None = None  # title or caption lines above the header
    stub_header: str | None = None  # header of the row-label column ("Country", "ESP")
    columns: list[str] = Field(default_factory=list)  # header text of each value column
    rows: list[Row] = Field(default_factory=list)


class Block(Model):
    kind: BlockKind
    text: str  # == Document.text[start:end]
    start: int
    end: int
    page: int | None = None
    bbox: Box | None = None
    level: int | None = None  # heading level (1 = top)
    table: Table | None = None
    # PDF only: (offset in Document.text where a printed line starts, that line's box)
    line_boxes: list[tuple[int, Box]] = Field(default_factory=list)


class Page(Model):
    number: int  # 1-based
    start: int
    end: int
    width: float
    height: float


class Document(Model):
    source: str  # path as given (relative to the raw folder in a run)
    sha256: str
    format: DocFormat
    title: str | None = None
    published: date | None = None  # the document's own publication date, from its metadata
    article: bool = False  # the page declares itself a news article (og:type "article")
    text: str
    pages: list[Page] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)
    markers: list[Span] = Field(default_factory=list)  # footnote markers: never figures
    warnings: list[str] = Field(default_factory=list)
    # (offset in text, offset in the file's decoded original) at the start of each cleaned piece,
    # so offsets stay mappable to the original where cleaning removed markup; empty = identical.
    origin: list[tuple[int, int]] = Field(default_factory=list)

    def original_offset(self, offset: int) -> int:
        """Map an offset in `text` to the decoded original file (markdown markup, repairs)."""
        if not self.origin:
            return offset
        import bisect
        i = bisect.bisect_right(self.origin, (offset, float("inf"))) - 1
        if i < 0:
            return offset
        out, orig = self.origin[i]
        return orig + (offset - out)

    def page_at(self, offset: int) -> int | None:
        for p in self.pages:
            if p.start <= offset < p.end:
                return p.number
        return None


class Observation(Model):
    """One mention of a number with what it measures, when, and where it was found."""

    observation_id: str
    source: str
    source_sha256: str
    page: int | None = None
    char_start: int
    char_end: int
    quote: str
    quote_offset: int | None = None  # where the figure starts in the quote
    surface: str
    value: float
    unit: str
    qualifier: Literal["exact", "over", "about", "under"] = "exact"
    metric: str = ""
    metric_label: str = ""
    dimensions: str = ""
    # the identity of coded breakdown values across editions ("country=BHR" for "Bahrein"):
    # an ISO code or the folded name; a value that resolved to nothing has none
    dimension_codes: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_type: str = ""
    period_inferred: bool = False
    rule: str
    flags: str = ""
    kind: Literal["prose", "table"] = "prose"
    # PDF only: the printed region of the figure ("x0 top x1 bottom", points from the page's
    # top-left), its table row or text line; the review report crops the page around it
    bbox: str = ""


class Skipped(Model):
    """A number that did not become an observation, and why (for `facts extract --explain`)."""

    source: str
    page: int | None = None
    char_start: int
    char_end: int
    surface: str
    reason: str
    context: str


class Fact(Model):
    fact_id: str
    metric: str
    metric_label: str
    dimensions: str
    dimension_codes: str = ""
    period_start: date | None = None
    period_end: date | None = None
    period_type: str = ""
    value: float
    unit: str
    qualifier: str
    # revised: a later edition of the same publisher restated the figure (see reconcile/revisions.py)
    status: Literal["single", "agreed", "conflict", "resolved", "revised"]
    n_sources: int
    observation_ids: str  # ';'-joined
    chosen_observation: str = ""  # the observation whose value the fact takes
    chosen_reason: str = ""
    stale: bool = False  # carried over from an earlier version because its document failed


class ConflictMember(Model):
    conflict_id: str
    kind: str
    fact_id: str
    observation_id: str
    source: str
    page: int | None = None
    quote: str
    surface: str
    value: float
    unit: str
    qualifier: str
    period_end: date | None = None
    detail: str = ""
    status: Literal["open", "resolved"] = "open"
    resolution: str = ""

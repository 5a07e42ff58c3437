"""HTML pages: the main content as headings, paragraphs, list items and tables.

Boilerplate goes by two rules: elements whose tag, role, id or class says navigation, footer,
sidebar, advertising or cookie banner; and text blocks that are mostly links (menus, "recent
articles" lists). Data tables (rows of figures, infoboxes) become table blocks with their header
cells, row labels and spans expanded; tables used for page layout are read as containers.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from ..errors import IngestError
from ..models import Document, Table
from .builder import DocumentBuilder, clean_inline
from .decode import decode_bytes, looks_binary
from .text_tables import builder_rows, split_tables

DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "form",
             "button", "select", "input", "textarea", "nav", "svg", "canvas", "map", "head", "link",
             "meta", "title", "audio", "video"}
# id/class words of page furniture. Matched as whole words inside the attribute value.
BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(nav|navigation|navbar|menu|topmenu|sidebar|side-bar|breadcrumbs?|footer|"
    r"footerlinks|cookie|cookies|consent|banner|advert|advertisement|ads|adslot|overture\w*|"
    r"promo|sponsor|share|sharing|social|related|comments?|toolbar|regpss_toolbar|skip|"
    r"catlinks|printfooter|mw-jump-link|mw-editsection|noprint|mw-navigation|mw-head|"
    r"mw-panel|sitesub|contentsub|jump-to-nav|toc|reflist|references|reference|hatnote|"
    r"navbox|vertical-navbox|sistersitebox|portal|authority-control|geo|geo-dms|geo-dec|"
    r"plainlinks|metadata|ambox|topnav|leftnav|copyright|bottom|searchform|search)"
    r"(?:$|[\s_-])", re.I)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote",
              "ul", "ol", "li", "dl", "dt", "dd", "pre", "center", "address", "figure",
              "figcaption", "caption", "hr", "table", "tr", "td", "th", "tbody", "thead", "tfoot",
              "body", "html", "h1", "h2", "h3", "h4", "h5", "h6", "text", "font"}
HEADINGS = {f"h{i}": i for i in range(1, 7)}
_NUMERIC_CELL = re.compile(r"^[\s(\[]*[-–−+]?[$£€¥]?\s*\(?\d[\d,.\s]*\)?\s*(%|[a-zA-Z$£€/²]{0,6})?[\s)\]]*$")
_YEAR_CELL = re.compile(r"^\D*(1[89]\d\d|20\d\d)(/\d{2,4})?\D*$")
_MARKUP_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,400}>|&amp;\w+=|\w+=[\w%]+&amp;")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
              "publishdate", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
              "sailthru.date", "parsely-pub-date", "citation_publication_date", "last-modified")
_C1 = {i: bytes([i]).decode("cp1252", errors="ignore") or None for i in range(0x80, 0xA0)}


def _classes(tag: Tag) -> str:
    return " ".join([tag.get("id") or "", " ".join(tag.get("class") or []), tag.get("role") or ""])


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in DROP_TAGS:
        return True
    if tag.name in ("header", "footer", "aside") and not tag.find("table", class_="infobox"):
        return True
    if tag.name in ("tr", "th", "td", "tbody", "thead", "tfoot", "caption"):
        return False  # table parts go with their table
    attrs = _classes(tag)
    if not attrs.strip() or not BOILERPLATE.search(attrs):
        return False
    # A data table styled as a navigation box (Wikipedia's "largest urban areas") stays.
    return not _contains_data_table(tag)


def _cell_text(tag: Tag) -> str:
    return clean_inline(tag.get_text(" "))


def _is_numeric(text: str) -> bool:
    return bool(text) and bool(_NUMERIC_CELL.match(text)) and not _YEAR_CELL.match(text)


def _contains_data_table(tag: Tag) -> bool:
    tables = [tag] if tag.name == "table" else tag.find_all("table")
    return any(_is_data_table(t) for t in tables)


def _is_data_table(table: Tag) -> bool:
    if "infobox" in (table.get("class") or []):
        return True
    if table.find("table"):
        return False  # a layout table holding other tables
    rows = table.find_all("tr")
    if len(rows) < 2:
        return False
    cells = [_cell_text(c) for r in rows for c in r.find_all(["td", "th"], recursive=False)]
    cells = [c for c in cells if c]
    if len(cells) < 4:
        return False
    numeric = sum(1 for c in cells if _is_numeric(c))
    long_cells = sum(1 for c in cells if len(c) > 150)
    return numeric >= 0.25 * len(cells) and long_cells <= 1


def _declared_encoding(data: bytes) -> str | None:
    head = data[:4096].decode("ascii", errors="ignore")
    m = re.search(r"""charset\s*=\s*["']?([\w-]+)|encoding\s*=\s*["']([\w-]+)""", head, re.I)
    return (m.group(1) or m.group(2)) if m else None


def _published(soup: BeautifulSoup, text: str) -> date | None:
    """The page's own publication date, from meta tags or <time datetime>."""
    candidates = []
    for tag in soup.find_all(id=re.compile("lastmod|last-modified", re.I)):
        m = re.search(r"(\d{1,2}) (January|February|March|April|May|June|July|August|September|"
                      r"October|November|December) (\d{4})", tag.get_text(" "))
        if m:
            return datetime.strptime(" ".join(m.groups()), "%d %B %Y").date()
    for m in soup.find_all("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or "").lower()
        if key in _DATE_META and m.get("content"):
            candidates.append(m["content"])
    for t in soup.find_all("time"):
        if t.get("datetime"):
            candidates.append(t["datetime"])
    for c in candidates:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", c.strip())
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


class _Walker:
    """Turns a cleaned DOM into document blocks in reading order."""

    def __init__(self, builder: DocumentBuilder):
        self.b = builder
        self.buf: list[str] = []
        self.link_chars = 0
        self.kind = "paragraph"
        self.level = None
        self.last_heading = None

    # -- inline text -------------------------------------------------------------------
    def flush(self) -> None:
        raw = "".join(self.buf)
        self.buf = []
        link_chars, self.link_chars = self.link_chars, 0
        paragraphs = [clean_inline(p) for p in re.split(r"\n\s*\n", raw)] if "\n" in raw else [clean_inline(raw)]
        for text in paragraphs:
            if not text:
                continue
            if _MARKUP_TEXT.search(text):  # raw markup that leaked into the text (ad code)
                text = clean_inline(_MARKUP_TEXT.sub(" ", text))
                if not re.search(r"[a-z]{3,}.*[a-z]{3,}", text) or "=" in text:
                    continue
            words = len(text.split())
            density = link_chars / max(1, len(raw.strip()))
            if self.kind != "heading" and density > 0.55 and words < 40:
                continue  # a menu or a list of links
            kind = self.kind
            if kind == "paragraph" and "\n" in text and self._lines(text):
                continue
            block = self.b.add_block(kind, text, level=self.level if kind == "heading" else None)
            if block is not None and kind == "heading":
                self.last_heading = text

    def _lines(self, text: str) -> bool:
        """Lines broken by <br> that hold a table ("Helpline: 62%" / "Campaigns: 13%"): added as
        prose and table blocks; False (nothing added) when they hold none."""
        lines, pos = [], 0
        for line in text.split("\n"):
            lead = len(line) - len(line.lstrip())
            if line.strip():
                lines.append((line.strip(), pos + lead))
            pos += len(line) + 1
        pieces = split_tables(lines, markdown=False)
        if not any(kind == "table" for kind, _ in pieces):
            return False
        for kind, piece in pieces:
            if kind == "lines":
                self.b.add_block("paragraph", "\n".join(t for t, _ in piece))
                continue
            piece.table.caption = piece.table.caption or self.last_heading
            self.b.add_table(piece.table, builder_rows(piece), header_lines=[t for t, _ in piece.header])
        return True

    def text(self, s: str, in_link: bool) -> None:
        s = re.sub(r"\s+", " ", s.translate(_C1))  # source line breaks are spaces in HTML
        self.buf.append(s)
        if in_link:
            self.link_chars += len(s.strip())

    # -- traversal ---------------------------------------------------------------------
    def walk(self, node: Tag, in_link: bool = False) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.text(str(child), in_link)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.buf.append("\n")
                continue
            if name == "sup":
                t = child.get_text("").strip()
                if child.find("a") or t.startswith("["):
                    continue  # citation links: [5], [n 1]
                self.text(t, in_link)
                continue
            if name == "img":
                continue
            if name == "table" and _is_data_table(child):
                self.flush()
                self.table(child)
                continue
            if name in HEADINGS:
                self.flush()
                self.kind, self.level = "heading", HEADINGS[name]
                self.walk(child, in_link)
                self.flush()
                self.kind, self.level = "paragraph", None
                continue
            if name in BLOCK_TAGS:
                self.flush()
                prev = self.kind
                if name == "li":
                    self.kind = "list_item"
                elif name in ("caption", "figcaption"):
                    self.kind = "caption"
                self.walk(child, in_link)
                self.flush()
                self.kind = prev
                continue
            self.walk(child, in_link or name == "a")

    # -- tables --------------------------------------------------------------------------
    def table(self, node: Tag) -> None:
        grid = _grid(node)
        if not grid:
            return
        caption_tag = node.find("caption")
        caption = _cell_text(caption_tag) if caption_tag else None
        if "infobox" in (node.get("class") or []):
            spec = _infobox(grid)
        else:
            spec = _data_table(grid)
        if spec is None:
            return
        table, rows, header_lines = spec
        table.caption = caption or table.caption or self.last_heading
        self.b.add_table(table, rows, header_lines=header_lines)


def _grid(table: Tag) -> list[list[dict]]:
    """Expand rowspan/colspan into a rectangular grid of {"text", "th", "tag"} (same dict repeated)."""
    grid: list[list[dict | None]] = []
    pending: dict[tuple[int, int], dict] = {}
    for r, tr in enumerate(tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        row: list[dict | None] = []
        c = 0
        cells = tr.find_all(["td", "th"], recursive=False)
        queue = list(cells)
        while queue or (r, c) in pending:
            if (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
                continue
            cell = queue.pop(0)
            for sup in cell.find_all("sup"):
                if sup.find("a") or sup.get_text("").strip().startswith("["):
                    sup.decompose()
            for br in cell.find_all("br"):
                br.replace_with("\n")
            items = [clean_inline(li.get_text(" ")) for li in cell.find_all("li")]
            raw_lines = [clean_inline(x) for x in cell.get_text(" ").split("\n")]
            info = {"text": clean_inline(re.sub(r"\s+", " ", cell.get_text(" "))).translate(_C1),
                    "th": cell.name == "th",
                    "items": [i for i in items if i] or [x for x in raw_lines if x]}
            try:
                rs, cs = int(cell.get("rowspan", 1) or 1), int(cell.get("colspan", 1) or 1)
            except ValueError:
                rs, cs = 1, 1
            info["colspan"] = cs
            for dc in range(cs):
                row.append(info)
                for dr in range(1, min(rs, 50)):
                    pending[(r + dr, c + dc)] = info
            c += cs
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [{"text": "", "th": False, "items": [], "colspan": 1}] * (width - len(r)) for r in grid if r]


def _repeated_columns(header: list[str]) -> tuple[int, int, int]:
    """A column group repeated side by side (Rank Name Pop | Rank Name Pop): (offset, width, count).

    Columns outside the repeated run (image columns at the edges) are left out. (0, n, 1) if none.
    """
    n = len(header)
    for k in range(2, n // 2 + 1):
        for o in range(0, n - 2 * k + 1):
            group = header[o:o + k]
            if not any(group):
                continue
            count = 1
            while o + (count + 1) * k <= n and header[o + count * k:o + (count + 1) * k] == group:
                count += 1
            if count >= 2:
                return o, k, count
    return 0, n, 1


def _data_table(grid):
    # Header rows: leading rows without numeric cells (years are headers, not data).
    n_head = 0
    for row in grid:
        texts = [c["text"] for c in row]
        if any(_is_numeric(t) for t in texts[1:]) and n_head < len(grid) - 1 and not all(c["th"] for c in row):
            break
        n_head += 1
        if n_head >= len(grid) - 1:
            break
    head, body = grid[:n_head], grid[n_head:]
    width = len(grid[0])
    col_headers = []
    for c in range(width):
        parts = []
        for row in head:
            t = row[c]["text"]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        col_headers.append(" ".join(parts))
    caption = None
    if head and all(c["text"] == head[0][0]["text"] for c in head[0]) and head[0][0]["colspan"] >= width - 1:
        caption = re.sub(r"^v t e\s+", "", head[0][0]["text"])  # a title row spanning the table
        col_headers = [h.split(head[0][0]["text"], 1)[-1].strip() for h in col_headers]
    offset, k, count = _repeated_columns(col_headers)
    groups = [(offset + g * k, offset + (g + 1) * k) for g in range(count)]
    first = groups[0]
    # The stub column: the first column of a group whose body cells are mostly text.
    rows = []
    stub_cols = []
    for a, b in groups:
        stub = a
        for c in range(a, b):
            vals = [r[c]["text"] for r in body if r[c]["text"]]
            if vals and sum(_is_numeric(v) for v in vals) < 0.5 * len(vals):
                stub = c
                break
        stub_cols.append(stub)
    for row in body:
        for (a, b), stub in zip(groups, stub_cols):
            label_parts = [row[c]["text"] for c in range(a, stub + 1) if row[c]["text"]]
            label = " ".join(dict.fromkeys(label_parts))
            cells = []
            seen = set()
            for c in range(stub + 1, b):
                info = row[c]
                if not info["text"] or id(info) in seen:
                    continue
                seen.add(id(info))
                cells.append({"text": info["text"], "column": c - stub - 1 + (0 if (a, b) == first else 0)})
            if cells or label:
                rows.append((label, cells, (a, b), stub))
    if not rows:
        return None
    a0, b0 = first
    stub0 = stub_cols[0]
    columns = [col_headers[c] for c in range(stub0 + 1, b0)]
    table = Table(caption=caption, stub_header=" ".join(col_headers[a0:stub0 + 1]).strip() or None,
                  columns=columns)
    out = []
    for label, cells, _, _ in rows:
        if not cells:
            continue
        out.append((label, cells))
    header_lines = ["\t".join(col_headers[a0:b0])] if any(col_headers) else []
    return table, out, header_lines


def _infobox(grid):
    """Wikipedia-style infobox: label/value rows under section rows ("Area", "GDP (PPP)")."""
    rows = []
    section = None
    for row in grid:
        first, last = row[0], row[-1]
        if first is last:  # one cell spanning the box: a section title or an image
            text = first["text"]
            if first["th"] and text and len(text) < 80:
                section = text
            continue
        label = first["text"]
        value = last
        bullet = label.startswith(("•", "·", "-", "–"))
        label = label.lstrip("•·-– ").strip()
        if not bullet:
            # a top-level row; with a value it may also head the bulleted rows below it
            section = f"{label} {value['text']}".strip() if not _has_digit_value(value["text"]) else label
            if not _has_digit_value(value["text"]):
                continue
        items = value["items"] if len(value["items"]) > 1 else [value["text"]]
        cells = [{"text": it, "column": 0, "section": section if bullet else None} for it in items if it]
        if cells:
            rows.append((label, cells))
    if not rows:
        return None
    return Table(caption=None, stub_header=None, columns=[""]), rows, []


def _has_digit_value(text: str) -> bool:
    return bool(re.search(r"\d", text)) and not re.fullmatch(r"\D*(1[89]|20)\d\d\D{0,12}", text)


def ingest_html(data: bytes, path, source: str, sha256: str) -> Document:
    if looks_binary(data):
        raise IngestError(path, "binary content, not an HTML document")
    text, _enc = decode_bytes(data, path, declared=_declared_encoding(data))
    if not re.search(r"<\s*[a-zA-Z!]", text[:65536]):
        raise IngestError(path, "no HTML markup found")
    soup = BeautifulSoup(text, "lxml")
    title_tag = soup.find("title")
    wrapper = soup.find("text")  # a crawl wrapper element carrying the title
    title = clean_inline(title_tag.get_text(" ")) if title_tag else None
    if not title and wrapper is not None and wrapper.get("title"):
        title = clean_inline(wrapper["title"])
    published = _published(soup, text)
    article = any((m.get("property") or m.get("name") or "").lower() == "og:type"
                  and (m.get("content") or "").lower() == "article" for m in soup.find_all("meta"))
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    # tags removed with an ancestor (bs4 4.15's `decomposed` searches the tree for the attribute it lacks)
    removed: set[int] = set()
    for tag in list(soup.find_all(True)):
        if id(tag) in removed:
            continue
        if _is_boilerplate(tag):
            removed.update(id(t) for t in tag.descendants if isinstance(t, Tag))
            tag.decompose()
    builder = DocumentBuilder(source, sha256, "html")
    walker = _Walker(builder)
    root = soup.body or soup
    walker.walk(root)
    walker.flush()
    if not builder.blocks:
        builder.warnings.append("no main content found")
    doc = builder.build(title=title.translate(_C1) if title else None, published=published, article=article)
    return doc


def parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value[:19], fmt).date()
        except ValueError:
            continue
    return None

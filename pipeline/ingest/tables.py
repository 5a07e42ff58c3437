"""Recover tables without ruling lines from the words of a PDF page.

A table body is a run of lines whose right-hand phrases are numbers ("data lines"), with row
labels on the left. The steps:

1. data lines: lines split at wide gaps into phrases, at least one phrase a number set apart
   from the text (prose keeps its numbers inline);
2. a body runs while lines are data lines or sit clear of the value columns (wrapped labels);
3. value columns are clusters of horizontally overlapping number phrases; text between two
   value columns starts a new column group (two country/value pairs side by side);
4. row labels: a label line that shares its height with a data line anchors that row; lines in
   between join a neighbour at the widest vertical gap, and a line starting in lower case never
   starts a row. "Label: value" cells that repeat in a cycle (Actionable/Informational/Total)
   make several data lines one row;
5. headers: lines above the body up to a gap or a line of body-text prose; when the header is
   set in bold, plain lines under it belong to the first row. Phrases over value columns become
   column headers (a phrase spanning two columns heads both), phrases over the label column the
   stub header, a line running across the table its caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Box, Table
from .layout import Line, Word, box_of, join_lines, join_words, split_phrases, vertical_overlap

NUMBER = r"[(\[]?[-–−]?[$£€]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?[)\]]?|[(\[]?[-–−]?[$£€]?\d+(?:\.\d+)?%?[)\]]?"
_NUM_PHRASE = re.compile(rf"^(?:(?P<label>[A-Za-z][A-Za-z .'’/&-]{{0,40}}?)\s*:\s*)?(?P<num>{NUMBER})\*?$")
_LABEL_ONLY = re.compile(r"^[A-Za-z][A-Za-z .'’/&-]{0,40}:$")
_ENUMERATOR = re.compile(r"^\(\d{1,2}\)$")
_CONTINUES = re.compile(r"(,|/|&|-|–|\b(and|or|of|the|by|for|in|to|on|with|from|a|an))$", re.I)


@dataclass
class NumCell:
    words: list[Word]
    label: str | None
    text: str

    @property
    def x0(self):
        return min(w.x0 for w in self.words)

    @property
    def x1(self):
        return max(w.x1 for w in self.words)

    @property
    def top(self):
        return min(w.top for w in self.words)

    @property
    def bottom(self):
        return max(w.bottom for w in self.words)


@dataclass
class BodyLine:
    line: Line
    labels: list[list[Word]]  # text phrases
    cells: list[NumCell]  # number phrases
    pending: list[list[Word]] = field(default_factory=list)  # "Informational:" waiting for its number


@dataclass
class FoundTable:
    table: Table
    rows: list[tuple[str, list[dict]]]
    header_lines: list[str]
    bbox: Box
    lines: list[Line] = field(default_factory=list)  # every page line the table consumed


def _squeeze(text: str) -> str:
    """'I n formational' -> 'Informational': letters split by a PDF's own spacing."""
    return re.sub(r"(?<=\b[A-Za-z]) (?=[a-z])", "", text)


def _body_line(line: Line) -> BodyLine:
    bl = BodyLine(line=line, labels=[], cells=[])
    for ph in split_phrases(line.words):
        text = join_words(ph)
        m = _NUM_PHRASE.match(text) or _NUM_PHRASE.match(_squeeze(text))
        if m and not _ENUMERATOR.match(text):
            label = m.group("label")
            bl.cells.append(NumCell(words=ph, label=label.strip() if label else None,
                                    text=m.group(0)))
        elif _LABEL_ONLY.match(_squeeze(text)):
            bl.pending.append(ph)
        else:
            bl.labels.append(ph)
    return bl


def _is_data_line(bl: BodyLine, page_x0: float, page_width: float) -> bool:
    """Numbers set apart from the text by a column gap (prose keeps its numbers inline)."""
    if not bl.cells or any(len(ph) > 12 for ph in bl.labels):
        return False
    return bool(bl.labels) or len(bl.cells) >= 2 or bl.cells[0].x0 > page_x0 + 0.3 * page_width


def _cluster_columns(cells: list[NumCell]) -> list[list[float]]:
    """Value columns: unions of overlapping [x0, x1] extents of number cells."""
    spans = sorted([c.x0, c.x1] for c in cells)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    return cols


def _is_prose(line: Line, body_size: float, text_width: float) -> bool:
    """A line of running text: body size, plain, one phrase, wide or ending a sentence."""
    if abs(line.size - body_size) >= 0.3 or line.bold or len(split_phrases(line.words)) != 1:
        return False
    text = line.text
    return line.x1 - line.x0 > 0.45 * text_width or text.endswith((".", ";", ":")) or text[:1].islower()


def _overlaps_columns(line: Line, cols) -> bool:
    return any(min(b, w.x1) - max(a, w.x0) > 0 for w in line.words for a, b in cols)


def find_tables(lines: list[Line], *, body_size: float, page_x0: float, page_x1: float,
                page: int) -> list[FoundTable]:
    """Find borderless tables among the (non-furniture) lines of one page."""
    width = page_x1 - page_x0
    body = [_body_line(l) for l in lines]
    is_data = [_is_data_line(b, page_x0, width) for b in body]
    used: set[int] = set()
    found: list[FoundTable] = []
    i = 0
    while i < len(lines):
        if not is_data[i] or i in used:
            i += 1
            continue
        members, cols = _grow_body(lines, body, is_data, i)
        header, extra = _header(lines, is_data, used, i, body_size, width)
        members = sorted(extra + members)
        lone = sum(is_data[k] for k in members) < 2 and len(body[i].cells) < 2
        if lone and not any(len(split_phrases(lines[k].words)) >= 2 for k in header):
            i += 1  # a single number line with no column header above it
            continue
        tables = _assemble(lines, body, members, header, page)
        if tables:
            found.extend(tables)
            used.update(members)
            used.update(header)
        i = max(members) + 1
    return found


def _grow_body(lines, body, is_data, i):
    members = [i]
    cols = _cluster_columns(body[i].cells)
    pending: list[int] = []
    for j in range(i + 1, len(lines)):
        line = lines[j]
        last = lines[pending[-1] if pending else members[-1]]
        gap = line.top - last.bottom
        lh = max(last.height, line.height)
        if gap > 2.2 * lh:
            break
        if is_data[j]:
            members.extend(pending + [j])
            pending = []
            cols = _cluster_columns([c for k in members for c in body[k].cells])
        elif not any(_overlaps_columns(Line(words=ph), cols) for ph in body[j].labels) \
                and (body[j].pending or not line.bold or gap < 1.2 * lh):
            pending.append(j)  # a wrapped label, or cell labels whose numbers follow
        else:
            break
    # trailing label lines join only if they continue the last row tightly
    while pending:
        k = pending[0]
        prev = lines[members[-1]]
        if not (lines[k].top - prev.bottom < 0.6 * prev.height or _CONTINUES.search(prev.text)
                or lines[k].text[:1].islower()):
            break
        members.append(pending.pop(0))
    return members, cols


def _header(lines, is_data, used, i, body_size, width):
    """Header lines above body line i; plain lines under a bold header go back to the body."""
    header: list[int] = []
    k = i - 1
    below = lines[i]
    while k >= 0 and k not in used:
        line = lines[k]
        gap = below.top - line.bottom
        if gap > 2.0 * max(line.height, below.height) or is_data[k] or line.kind != "text":
            break
        if _is_prose(line, body_size, width):
            break
        header.insert(0, k)
        below = line
        k -= 1
    bold = [h for h in header if lines[h].bold]
    if bold:
        last_bold = max(bold)
        extra = [h for h in header if h > last_bold]
        return [h for h in header if h <= last_bold], extra
    return header, []


def _groups(cols: list[list[float]], label_phrases: list[tuple[float, float]]) -> list[list[int]]:
    """Split value columns into side-by-side groups where text sits between two value columns."""
    groups: list[list[int]] = [[]]
    for ci, (a, b) in enumerate(cols):
        if groups[-1]:
            prev_b = cols[groups[-1][-1]][1]
            if any(p[0] >= prev_b - 1 and p[1] <= a + 1 for p in label_phrases):
                groups.append([])
        groups[-1].append(ci)
    return groups


def _assemble(lines, body, members, header, page) -> list[FoundTable]:
    all_cells = [c for k in members for c in body[k].cells]
    cols = _cluster_columns(all_cells)
    label_phrases = [(min(w.x0 for w in ph), max(w.x1 for w in ph)) for k in members for ph in body[k].labels]
    groups = _groups(cols, label_phrases)
    left_edge = min([lines[k].x0 for k in members + header])
    out = []
    for gi, col_ids in enumerate(groups):
        gcols = [cols[c] for c in col_ids]
        if gi == 0:
            zone_x0 = left_edge
        else:
            prev_b = cols[groups[gi - 1][-1]][1]
            zone_x0 = min(p[0] for p in label_phrases if p[0] >= prev_b - 1 and p[1] <= gcols[0][0] + 1)
        next_zone = float("inf")
        if gi + 1 < len(groups):
            b = gcols[-1][1]
            next_zone = min(p[0] for p in label_phrases if p[0] >= b - 1 and p[1] <= cols[groups[gi + 1][0]][0] + 1)
        t = _assemble_group(lines, body, members, header, page, zone_x0, next_zone, gcols)
        if t is not None:
            out.append(t)
    return out


def _col_of(x0: float, x1: float, cols) -> int | None:
    best, best_ov = None, 0.0
    for ci, (a, b) in enumerate(cols):
        ov = min(b, x1) - max(a, x0)
        if ov > best_ov:
            best, best_ov = ci, ov
    return best


def _assemble_group(lines, body, members, header, page, zone_x0, next_zone, cols):
    label_lines: list[tuple[float, float, str, list[Word]]] = []  # top, bottom, text, words
    data_rows: list[dict] = []  # {"top", "bottom", "cells": {col: NumCell}}
    waiting: dict[int, str] = {}  # column -> cell label printed on the line above its number
    label_x1 = zone_x0
    for k in members:
        bl = body[k]
        words = [w for ph in bl.labels for w in ph if zone_x0 - 1 <= w.x0 and w.x1 <= cols[0][0] + 1]
        if words:
            label_lines.append((min(w.top for w in words), max(w.bottom for w in words),
                                join_words(words), words))
            label_x1 = max(label_x1, max(w.x1 for w in words))
        for ph in bl.pending:
            x0, x1 = min(w.x0 for w in ph), max(w.x1 for w in ph)
            if x1 <= cols[0][0] + 1:  # "Totals:" in the label column is a row label
                if zone_x0 - 1 <= x0:
                    label_lines.append((min(w.top for w in ph), max(w.bottom for w in ph), join_words(ph), ph))
                continue
            ci = _col_of(x0, x1 + 60, cols)
            if ci is not None:
                waiting[ci] = _squeeze(join_words(ph)).rstrip(":").strip()
        cells = {}
        for c in bl.cells:
            if c.x0 >= next_zone:
                continue
            ci = _col_of(c.x0, c.x1, cols)
            if ci is None:
                continue
            if c.label is None and ci in waiting:
                c.label = waiting.pop(ci)
                c.text = f"{c.label}: {c.text}"
            cells[ci] = c
        if cells:
            # merge with a data row this one overlaps vertically (a column printed a bit higher)
            top, bottom = min(c.top for c in cells.values()), max(c.bottom for c in cells.values())
            for r in data_rows[-2:]:
                if vertical_overlap(top, bottom, r["top"], r["bottom"]) > 0.5 * (bottom - top) and \
                        not set(r["cells"]) & set(cells):
                    r["cells"].update(cells)
                    r["top"], r["bottom"] = min(r["top"], top), max(r["bottom"], bottom)
                    break
            else:
                data_rows.append({"top": top, "bottom": bottom, "cells": cells})
    if not data_rows:
        return None
    for r in data_rows:
        for c in r["cells"].values():
            c.label = _squeeze(c.label) if c.label else None
    label_lines.sort(key=lambda x: x[0])
    data_rows.sort(key=lambda r: r["top"])
    blocks = _label_blocks(label_lines, _cycle_groups(data_rows))

    has_labels = bool(label_lines)
    stub_x1 = (label_x1 + cols[0][0]) / 2 if has_labels else zone_x0
    zones = _column_zones(cols, stub_x1, next_zone)
    table = _header_table(lines, header, zone_x0, stub_x1, zones, cols, next_zone, has_labels)

    rows_out: list[tuple[str, list[dict]]] = []
    for label, group_rows in blocks:
        for r in group_rows:
            cells = [{"text": c.text, "column": ci, "label": c.label, "page": page, "bbox": box_of(c.words)}
                     for ci, c in sorted(r["cells"].items())]
            cells[0]["row_bbox"] = Box(x0=zone_x0, top=r["top"], x1=cols[-1][1], bottom=r["bottom"])
            rows_out.append((label, cells))
    all_words = [w for _, _, _, ws in label_lines for w in ws] + \
        [w for r in data_rows for c in r["cells"].values() for w in c.words]
    header_lines = []
    if table.caption:
        header_lines.append(table.caption)
    if table.stub_header or any(table.columns):
        header_lines.append("\t".join([table.stub_header or ""] + table.columns))
    return FoundTable(table=table, rows=rows_out, header_lines=header_lines, bbox=box_of(all_words),
                      lines=[lines[k] for k in members + header])


def _header_table(lines, header, zone_x0, stub_x1, zones, cols, next_zone, has_labels) -> Table:
    caption_parts, stub_parts = [], []
    col_parts: list[list[str]] = [[] for _ in zones]
    right = min(next_zone, zones[-1][1])
    per_line = []
    for k in header:
        line = lines[k]
        words = [w for w in line.words if zone_x0 - 30 <= w.x0 < right and not _is_marker(w, line)]
        if words:
            per_line.append(split_phrases(words))
    last_multi = max((i for i, ph in enumerate(per_line) if len(ph) >= 2), default=-1)
    prev_caption = False
    for i, phrases in enumerate(per_line):
        if len(phrases) == 1:
            ph = phrases[0]
            x0, x1 = min(w.x0 for w in ph), max(w.x1 for w in ph)
            in_stub = has_labels and x1 <= stub_x1 + 2
            over_data = sum(max(0.0, min(b, x1) - max(a, x0)) for a, b in cols) / max(1.0, x1 - x0)
            if _is_caption(ph, zone_x0, stub_x1, zones, has_labels) or (
                    prev_caption and i < last_multi and not in_stub and over_data < 0.5):
                caption_parts.append(join_words(ph))  # a title line running across the table
                prev_caption = True
                continue
        prev_caption = False
        for ph in phrases:
            x0, x1 = min(w.x0 for w in ph), max(w.x1 for w in ph)
            width = max(1.0, x1 - x0)
            if has_labels and (min(x1, stub_x1) - x0) / width > 0.5:
                stub_parts.append(join_words(ph))
                continue
            # a header over the numbers it heads; one spanning two columns heads both
            hits = [ci for ci, (a, b) in enumerate(cols) if min(b + 3, x1) - max(a - 3, x0) > 0]
            if not hits:
                hits = [max(range(len(zones)), key=lambda ci: min(zones[ci][1], x1) - max(zones[ci][0], x0))]
            for ci in hits:
                col_parts[ci].append(join_words(ph))
    return Table(caption=join_lines(caption_parts) or None, stub_header=join_lines(stub_parts) or None,
                 columns=[join_lines(p) for p in col_parts])


def _is_marker(w: Word, line: Line) -> bool:
    return w.text.strip("*,").isdigit() and w.size < 0.8 * line.size


def _is_caption(phrase: list[Word], zone_x0, stub_x1, zones, has_labels) -> bool:
    """A one-phrase line running across the stub and the value columns, or across columns."""
    x0, x1 = min(w.x0 for w in phrase), max(w.x1 for w in phrase)
    width = max(1.0, x1 - x0)
    spanned = sum(1 for a, b in zones if min(b, x1) - max(a, x0) > 0.25 * (b - a))
    if spanned >= 3 or (spanned >= 2 and not has_labels):
        return True
    if not has_labels:
        return False
    in_stub = max(0.0, min(x1, stub_x1) - max(x0, zone_x0 - 30)) / width
    in_cols = max(0.0, min(x1, zones[-1][1]) - max(x0, zones[0][0])) / width
    return in_stub >= 0.3 and in_cols >= 0.3


def _column_zones(cols, left, next_zone):
    """Each value column's header zone: its extent widened halfway to its neighbours."""
    zones = []
    for ci, (a, b) in enumerate(cols):
        lo = (cols[ci - 1][1] + a) / 2 if ci else min(left, a)
        hi = (b + cols[ci + 1][0]) / 2 if ci + 1 < len(cols) else min(next_zone, b + 40)
        zones.append((lo, hi))
    return zones


def _cycle_groups(data_rows: list[dict]) -> list[list[dict]]:
    """Data rows that belong to one table row: cells labelled "Actionable:", "Informational:",
    "Total:" repeat in a cycle; a new row starts where the first label comes round again."""
    firsts = [next((c.label for c in r["cells"].values() if c.label), None) for r in data_rows]
    if not all(firsts) or len(set(firsts)) < 2:
        return [[r] for r in data_rows]
    groups: list[list[dict]] = []
    for r, f in zip(data_rows, firsts):
        if not groups or f == firsts[0]:
            groups.append([r])
        else:
            groups[-1].append(r)
    return groups


def _label_blocks(label_lines, row_groups) -> list[tuple[str, list[dict]]]:
    """Assign label lines to row groups; returns [(row label, [data rows])...]."""
    n = len(label_lines)
    if not n:
        return [("", g) for g in row_groups]
    g_top = [min(r["top"] for r in g) for g in row_groups]
    g_bot = [max(r["bottom"] for r in g) for g in row_groups]
    # anchor: the row group a label line shares its height with
    anchor: list[int | None] = []
    for top, bot, _, _ in label_lines:
        best, best_ov = None, 0.0
        for gi in range(len(row_groups)):
            ov = vertical_overlap(top, bot, g_top[gi], g_bot[gi])
            if ov > best_ov:
                best, best_ov = gi, ov
        anchor.append(best if best_ov >= 0.3 * (bot - top) else None)
    # A wrapped label continues in lower case ("identified series"); a trailing "of the" is no
    # evidence ("Congo, The Democratic Republic of the"): the row gap decides those.
    must_join = [i > 0 and anchor[i] is None and (label_lines[i][2][:1].islower() or label_lines[i][2][:1] in "(&")
                 for i in range(n)]
    owner: list[int | None] = list(anchor)
    i = 0
    while i < n:
        if owner[i] is not None:
            i += 1
            continue
        j = i
        while j < n and owner[j] is None:
            j += 1
        prev_g = owner[i - 1] if i > 0 else None
        next_g = owner[j] if j < n else None
        if prev_g is None and next_g is None:  # no anchors at all: nearest row group
            for k in range(i, j):
                mid = (label_lines[k][0] + label_lines[k][1]) / 2
                owner[k] = min(range(len(row_groups)), key=lambda g: min(abs(mid - g_top[g]), abs(mid - g_bot[g])))
            i = j
            continue
        # split s: lines i..s-1 join the row above, s..j-1 the row below; never split where a
        # line must join the one before it; otherwise at the widest gap
        candidates = [s for s in range(i, j + 1) if (prev_g is not None or s == i) and (next_g is not None or s == j)]
        allowed = [s for s in candidates if not (0 < s < n and must_join[s])] or candidates

        def gap_at(s: int) -> float:
            upper = label_lines[s - 1][1] if s > 0 else -1e9
            lower = label_lines[s][0] if s < n else 1e9
            return lower - upper

        best_s = max(allowed, key=gap_at)
        for k in range(i, j):
            owner[k] = prev_g if k < best_s else next_g
        i = j
    texts: dict[int, list[str]] = {}
    for k, g in enumerate(owner):
        texts.setdefault(g, []).append(label_lines[k][2])
    spans = {o: (min(label_lines[k][0] for k in range(n) if owner[k] == o),
                 max(label_lines[k][1] for k in range(n) if owner[k] == o)) for o in texts}
    result = []
    for gi, g in enumerate(row_groups):
        if gi in texts:
            result.append((join_lines(texts[gi]), g))
            continue
        # a value line printed above or below its label (a count line over "U.S. 4.1%")
        mid = (g_top[gi] + g_bot[gi]) / 2
        near = min(texts, key=lambda o: 0 if spans[o][0] <= mid <= spans[o][1]
                   else min(abs(mid - spans[o][0]), abs(mid - spans[o][1])))
        result.append((join_lines(texts[near]), g))
    return result

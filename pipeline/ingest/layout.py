"""Geometry shared by the PDF ingester and the borderless-table finder: words, lines, phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Box

_BOLD = re.compile(r"bold|heavy|black|demi|semibold|extrabold", re.I)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False
    italic: bool = False

    @property
    def mid_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @classmethod
    def from_plumber(cls, w: dict) -> Word:
        font = w.get("fontname", "")
        return cls(text=w["text"], x0=w["x0"], x1=w["x1"], top=w["top"], bottom=w["bottom"],
                   size=round(float(w.get("size", 0)), 2), bold=bool(_BOLD.search(font)),
                   italic="oblique" in font.lower() or "italic" in font.lower())


@dataclass
class Line:
    words: list[Word]
    kind: str = "text"  # text, furniture, footnote
    markers: list[Word] = field(default_factory=list)  # superscript footnote marks on this line

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def size(self) -> float:
        sizes = sorted(w.size for w in self.words)
        return sizes[len(sizes) // 2]

    @property
    def bold(self) -> bool:
        return sum(len(w.text) for w in self.words if w.bold) > 0.6 * sum(len(w.text) for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> Box:
        return Box(x0=self.x0, top=self.top, x1=self.x1, bottom=self.bottom)


def box_of(words) -> Box:
    return Box(x0=min(w.x0 for w in words), top=min(w.top for w in words),
               x1=max(w.x1 for w in words), bottom=max(w.bottom for w in words))


def vertical_overlap(a_top, a_bottom, b_top, b_bottom) -> float:
    return max(0.0, min(a_bottom, b_bottom) - max(a_top, b_top))


def group_lines(words: list[Word]) -> list[Line]:
    """Group words into lines: a word joins the line it overlaps vertically by half its height."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        best, best_ov = None, 0.0
        for line in lines[-4:]:
            ov = vertical_overlap(w.top, w.bottom, line.top, line.bottom)
            if ov > best_ov:
                best, best_ov = line, ov
        if best is not None and best_ov >= 0.5 * min(w.height, best.height):
            best.words.append(w)
        else:
            lines.append(Line(words=[w]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda l: (l.top, l.x0))
    return lines


def split_phrases(words: list[Word], gap_ratio: float = 0.75) -> list[list[Word]]:
    """Split a line's words where the gap is wider than `gap_ratio` x font size (a column gap)."""
    phrases: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if phrases:
            prev = phrases[-1][-1]
            if w.x0 - prev.x1 <= gap_ratio * max(w.size, prev.size):
                phrases[-1].append(w)
                continue
        phrases.append([w])
    return phrases


def join_words(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def join_lines(texts: list[str]) -> str:
    """Join wrapped lines of one label or paragraph: 'Hash-' + 'Sharing' -> 'Hash-Sharing'."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if not out:
            out = t
        elif out.endswith(("-", "/", "–")) and not out.endswith(" -"):
            out += t
        else:
            out += " " + t
    return out

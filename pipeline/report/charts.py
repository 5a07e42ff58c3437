"""Small inline SVG charts of a metric over periods, conflicting points marked."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass
class Point:
    year: int
    value: float
    status: str  # fact status; conflicts are drawn in red
    label: str


def _fmt(v: float) -> str:
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def line_chart(points: list[Point], unit: str, width: int = 560, height: int = 180) -> str:
    """A line chart as an SVG string; every text in it is escaped."""
    pts = sorted(points, key=lambda p: p.year)
    if len(pts) < 2:
        return ""
    left, right, top, bottom = 56, 12, 10, 26
    xs = [p.year for p in pts]
    lo_v = min(0.0, min(p.value for p in pts))
    hi_v = max(p.value for p in pts) or 1.0
    x0, x1 = min(xs), max(xs)
    span = (x1 - x0) or 1

    def sx(y):
        return left + (y - x0) / span * (width - left - right)

    def sy(v):
        return top + (1 - (v - lo_v) / (hi_v - lo_v or 1)) * (height - top - bottom)

    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(p.year):.1f},{sy(p.value):.1f}" for i, p in enumerate(pts))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(pts[0].label)}">']
    for frac in (0, 0.5, 1):
        v = lo_v + frac * (hi_v - lo_v)
        y = sy(v)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="axis" text-anchor="end">{escape(_fmt(v))}</text>')
    step = max(1, len(pts) // 8)
    for p in pts[::step] + ([pts[-1]] if (len(pts) - 1) % step else []):
        parts.append(f'<text x="{sx(p.year):.1f}" y="{height - 8}" class="axis" text-anchor="middle">{p.year}</text>')
    parts.append(f'<path d="{path}" class="line"/>')
    for p in pts:
        cls = "pt conflict" if p.status == "conflict" else "pt"
        title = f"{p.year}: {p.value:,.10g} {unit} ({p.status})"
        parts.append(f'<circle cx="{sx(p.year):.1f}" cy="{sy(p.value):.1f}" r="{5 if p.status == "conflict" else 3.5}" '
                     f'class="{cls}"><title>{escape(title)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)

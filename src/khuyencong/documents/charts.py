"""Charts: ONE definition (``BarChart``), rendered as SVG on screen and in the PDF, and as a
PNG of that same SVG in the DOCX (rasterised by resvg with the vendored Liberation fonts).

A small hand-written horizontal bar chart is enough for what the dashboard and the reports
show (counts and money by status, source, year, content area, district); it renders in well
under a millisecond and needs no JavaScript. Bars may carry a link (the dashboard's
drill-down to the filtered project list); the documents print them without links.

Pure functions, no Django apart from locating the font files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from html import escape
from pathlib import Path

from khuyencong.documents import wording

COUNT = "count"
MONEY = "money"
PALETTE = ("#1f5fa8", "#e08a1e", "#3a9a5b", "#b8404a", "#7a5aa6", "#5d6d7e")
FONT_FAMILY = "KC Serif, Liberation Serif, Times New Roman, serif"  # KC Serif: document.css
FONT_DIR = Path(__file__).resolve().parent / "static" / "documents" / "fonts"

WIDTH = 640
LABEL_WIDTH = 210
VALUE_ROOM = 70
BAR = 14
BAR_GAP = 3
GROUP_GAP = 10
TOP = 34
LEGEND = 24
FONT_SIZE = 12
LABEL_CHARS = 34


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]
    color: str = ""


@dataclass(frozen=True)
class BarChart:
    """Categories down the side, one bar per series in each. ``unit``: COUNT or MONEY
    (integer VND). ``links``: one URL (or "") per category, for the screen only."""

    key: str  # a stable identifier ("status", "content_area", …)
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = COUNT
    links: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"series {series.name!r}: one value per category")
            if any(value < 0 for value in series.values):
                raise ValueError("bar values are not negative")
        if self.links and len(self.links) != len(self.categories):
            raise ValueError("one link per category")

    @property
    def is_empty(self) -> bool:
        return not self.categories or not any(any(s.values) for s in self.series)

    def label(self, value: int) -> str:
        return (
            wording.compact_money(value) if self.unit == MONEY else wording.group_thousands(value)
        )

    @property
    def height(self) -> int:
        per_category = len(self.series) * (BAR + BAR_GAP) - BAR_GAP + GROUP_GAP
        legend = LEGEND if len(self.series) > 1 else 0
        return TOP + legend + max(1, len(self.categories)) * per_category + 8


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_svg(chart: BarChart, *, links: bool = False) -> str:
    """The chart as a standalone SVG document (``links``: bars link to their category URL)."""
    colors = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(chart.series)]
    top_value = max((max(s.values, default=0) for s in chart.series), default=0) or 1
    plot_width = WIDTH - LABEL_WIDTH - VALUE_ROOM
    height = chart.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(chart.title)}" '
        f'font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" class="kc-chart">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2:g}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold">{escape(chart.title)}</text>',
    ]
    y = TOP
    if len(chart.series) > 1:
        x = LABEL_WIDTH
        for series, color in zip(chart.series, colors, strict=True):
            out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{color}"/>')
            out.append(f'<text x="{x + 16}" y="{y + 10}">{escape(series.name)}</text>')
            x += 16 + int(len(series.name) * FONT_SIZE * 0.5) + 18
        y += LEGEND
    axis_top = y
    for index, category in enumerate(chart.categories):
        group_height = len(chart.series) * (BAR + BAR_GAP) - BAR_GAP
        label_y = y + group_height / 2 + FONT_SIZE / 2 - 2
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{label_y:g}" text-anchor="end">'
            f"<title>{escape(category)}</title>{escape(_shorten(category))}</text>"
        )
        link = chart.links[index] if links and chart.links else ""
        if link:
            out.append(f'<a href="{escape(link)}">')
        for series, color in zip(chart.series, colors, strict=True):
            value = series.values[index]
            width = round(plot_width * value / top_value, 1)
            tip = f"{category} — {series.name}: {chart.label(value)}"
            out.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 0.5):g}" height="{BAR}" '
                f'fill="{color}"><title>{escape(tip)}</title></rect>'
            )
            out.append(
                f'<text x="{LABEL_WIDTH + width + 4:g}" y="{y + BAR - 3}">'
                f"{escape(chart.label(value))}</text>"
            )
            y += BAR + BAR_GAP
        if link:
            out.append("</a>")
        y += GROUP_GAP - BAR_GAP
    out.append(
        f'<line x1="{LABEL_WIDTH}" y1="{axis_top - 4}" x2="{LABEL_WIDTH}" y2="{y}" '
        'stroke="#444" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


CHART_FONTS = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf")  # what charts use


@cache
def _font_files() -> tuple[str, ...]:
    return tuple(str(FONT_DIR / name) for name in CHART_FONTS)


def to_png(chart: BarChart, *, zoom: float = 1.5) -> bytes:
    """The same SVG rasterised (for the DOCX and the PDF): fonts from the repository only, so
    the picture is the same on every machine. Zoom 1.5 gives about 150 dpi at the 160 mm the
    documents print. A report's DOCX and PDF show the same pictures: the second asks for
    them from a small per-process cache keyed by the SVG text itself (its every figure and
    word), so nothing stale can come out of it."""
    return _rasterise(to_svg(chart), zoom)


@lru_cache(maxsize=32)
def _rasterise(svg: str, zoom: float) -> bytes:
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            skip_system_fonts=True,
            font_files=list(_font_files()),
            serif_family="Liberation Serif",
            font_family="Liberation Serif",
            zoom=zoom,
            background="#ffffff",
        )
    )

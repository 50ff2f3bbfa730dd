"""A map of projects without a base map: each place (commune, district or province) with
projects is a circle at the administrative unit's coordinates, its area proportional to the
number of projects, linked to the project list of its district (a province's own projects
are not linked: the list has no filter for them).

No tiles and no JavaScript: the page works offline and in CI. It does not pretend to be more
than it is: the caption says the positions are the units' reference points, without borders.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from khuyencong.dashboard.figures import MapPoint

WIDTH = 640
HEIGHT = 420
MARGIN = 40
FONT_FAMILY = "Liberation Sans, Arial, sans-serif"


def _radius(count: int) -> float:
    return 5 + 4 * math.sqrt(count)


def map_svg(points: Sequence[MapPoint], link: Callable[[MapPoint], str], title: str) -> str:
    """The points projected equirectangularly (longitude scaled by the cosine of the mean
    latitude), fitted into the drawing with a margin; north up."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT_FAMILY}" font-size="11" '
        'class="kc-map">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f7fb" stroke="#c9d3df"/>',
    ]
    if points:
        mean_lat = sum(p.latitude for p in points) / len(points)
        scale_x = math.cos(math.radians(mean_lat))
        xs = [p.longitude * scale_x for p in points]
        ys = [p.latitude for p in points]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 0.05)
        size = min(WIDTH, HEIGHT) - 2 * MARGIN
        unit = size / span
        cx = (max(xs) + min(xs)) / 2
        cy = (max(ys) + min(ys)) / 2
        for point, x_value, y_value in sorted(
            zip(points, xs, ys, strict=True), key=lambda item: -item[0].count
        ):
            x = WIDTH / 2 + (x_value - cx) * unit
            y = HEIGHT / 2 - (y_value - cy) * unit
            radius = _radius(point.count)
            label = f"{point.name}: {point.count}"
            url = link(point)
            out.append(
                f'<a href="{escape(url)}" data-place="{point.place_id}">'
                if url
                else f'<g data-place="{point.place_id}">'
            )
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="#1f5fa8" '
                f'fill-opacity="0.55" stroke="#0d3b6e"><title>{escape(label)}</title></circle>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{y - radius - 3:.1f}" text-anchor="middle">'
                f"{escape(point.name)} ({point.count})</text>"
            )
            out.append("</a>" if url else "</g>")
    out.append("</svg>")
    return "".join(out)

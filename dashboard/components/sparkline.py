"""Sparklines as tiny inline SVG images: a dozen points need no charting library and cost ~300 bytes."""

from __future__ import annotations

import math
from urllib.parse import quote

from .. import format as fmt

URI_SAFE = " '=/:,.-"  # left as they are in the data: URI


def sparkline(
    values: list[float | None],
    target: float | None = None,
    colour: str = "#1f5f8b",
    width: int = 110,
    height: int = 28,
) -> str | None:
    """A data: URI of an SVG polyline through ``values`` (gaps for missing), with a dashed target line."""
    points = [(k, v) for k, v in enumerate(values) if fmt.present(v)]
    if len(points) < 2:
        return None
    ys = [v for _, v in points] + ([target] if fmt.present(target) else [])
    lo, hi = min(ys), max(ys)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)

    def xy(k: int, v: float) -> str:
        return f"{2 + k * (width - 4) / n:.1f},{height - 3 - (v - lo) * (height - 6) / span:.1f}"

    segments: list[list[str]] = []
    current: list[str] = []
    for k, v in enumerate(values):
        if not fmt.present(v) or math.isinf(v):
            if current:
                segments.append(current)
            current = []
        else:
            current.append(xy(k, v))
    if current:
        segments.append(current)
    lines = "".join(
        f"<polyline fill='none' stroke='{colour}' stroke-width='1.8' points='{' '.join(s)}'/>"
        for s in segments
    )
    last_k, last_v = points[-1]
    cx, cy = xy(last_k, last_v).split(",")
    dot = f"<circle cx='{cx}' cy='{cy}' r='2.4' fill='{colour}'/>"
    tline = ""
    if fmt.present(target):
        ty = height - 3 - (target - lo) * (height - 6) / span
        tline = f"<line x1='0' x2='{width}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#555' stroke-dasharray='3,2' stroke-width='1'/>"
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>{tline}{lines}{dot}</svg>"
    )
    # Single-quoted attributes and only <, >, # and % escaped: a third of the URI the fully escaped one was (a
    # region page carries forty of them).
    return "data:image/svg+xml;utf8," + quote(svg, safe=URI_SAFE)

"""What the figures share: colours, rounding, confidence-interval bars, small-multiple panels."""

from __future__ import annotations

import math

import pandas as pd

from .. import format as fmt
from .. import theme

REGION_COLOUR = "#1f5f8b"
NATIONAL_COLOUR = "#8c8c8c"


def _r(values, digits: int = 2) -> list:
    return [None if fmt.missing(v) else round(float(v), digits) for v in values]


def _ci_bars(
    value: pd.Series, low: pd.Series, high: pd.Series, colour: str, thickness: float, width: int
) -> dict:
    """A 95 % confidence interval as Plotly error bars: the distances above and below the estimate."""
    return {
        "type": "data",
        "array": _r(high - value),
        "arrayminus": _r(value - low),
        "visible": True,
        "thickness": thickness,
        "width": width,
        "color": colour,
    }


def _grid(n: int, cols: int) -> tuple[int, int]:
    return max(1, math.ceil(n / cols)), min(cols, max(n, 1))


def _panels(n: int, cols: int, titles: list[str], vgap: float, hgap: float) -> tuple[dict, list[str]]:
    """Layout axes for ``n`` small panels on a grid, and each panel's axis suffix ('', '2', …).

    Built by hand rather than with ``make_subplots``: validating a figure of twenty panels trace by trace costs
    more than half a second, a dict costs nothing."""
    rows, cols = _grid(n, cols)
    w, h = (1 - hgap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    layout: dict = {"annotations": []}
    suffixes = []
    for k in range(n):
        r, c = divmod(k, cols)
        x0, y1 = c * (w + hgap), 1 - r * (h + vgap)
        sx = "" if k == 0 else str(k + 1)
        suffixes.append(sx)
        layout[f"xaxis{sx}"] = {"domain": [round(x0, 4), round(x0 + w, 4)], "anchor": f"y{sx}"}
        layout[f"yaxis{sx}"] = {"domain": [round(y1 - h, 4), round(y1, 4)], "anchor": f"x{sx}"}
        layout["annotations"].append(
            {
                "text": titles[k],
                "x": round(x0 + w / 2, 4),
                "y": round(y1, 4),
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    return layout, suffixes


def _figure(traces: list[dict], layout: dict) -> dict:
    """A figure as plain JSON, with the app's template."""
    layout["template"] = theme.template_json()
    return {"data": traces, "layout": layout}


def _by(frame: pd.DataFrame, *keys: str) -> dict:
    """Frame split by key values in one pass (boolean masks per panel cost more than the whole query)."""
    if frame.empty:
        return {}
    return {k if len(keys) > 1 else k[0]: g for k, g in frame.groupby(list(keys), sort=False)}


def run_ends(x: list, y: list) -> tuple[list, list]:
    """The points of a line that a reader sees: the ends of each run of equal values (a target held for months is
    two points, not one per month); the line drawn through them is the same, hover is off on such lines."""
    keep = [k for k in range(len(y)) if k in (0, len(y) - 1) or not (y[k - 1] == y[k] == y[k + 1])]
    return [x[k] for k in keep], [y[k] for k in keep]


def _dates(values) -> list[str]:
    """Monthly periods as 'YYYY-MM', which plotly reads as the month's first day (a region's trends hold 1,400
    of them)."""
    return [pd.Timestamp(v).strftime("%Y-%m") for v in values]


def stamped(figure: dict, title: str, source: str) -> dict:
    """A chart that explains itself once downloaded as PNG (the camera button exports the figure as drawn): its
    title above — ``title``, or the one it has — and under it, smaller, its source and data date. In the title
    block, so that no axis title or legend can overlap it."""
    layout = figure["layout"]
    head = (layout.get("title") or {}).get("text") or title
    layout["title"] = {
        "font": {"size": 11},
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yanchor": "top",
        "pad": {"t": 8},
        **{k: v for k, v in (layout.get("title") or {}).items() if k in ("font", "x", "xanchor")},
        "text": f"{head}<br><span style='font-size:9px;color:#4a5561'>{source}</span>",
    }
    margin = layout.setdefault("margin", {})
    margin["t"] = max(margin.get("t", 30), 30) + 14
    if "height" in layout:
        layout["height"] += 14
    return figure

"""The Indicador page's figures: the regions' ranking with intervals, and small multiples of their trends."""

from __future__ import annotations

import pandas as pd

from warehouse.catalogue_model import Indicator
from warehouse.rules import status

from .. import format as fmt
from ..i18n import t
from .common import NATIONAL_COLOUR, REGION_COLOUR, _ci_bars, _figure, _grid, _panels, _r


def ranking(
    df: pd.DataFrame, ind: Indicator, names: dict[str, str], lang: str, highlight: str | None = None
) -> dict:
    """Regions sorted by value with 95% CI error bars (surveys), coloured by status, national line."""
    regions = df[df.territory_level == "region"]
    worst_first = ind.direction == "down"
    regions = regions.sort_values("value", ascending=not worst_first, na_position="first")
    nat = df[df.territory_code == "PE"]
    codes, statuses = regions.territory_code.tolist(), regions.status.tolist()
    labels = [names.get(c, c) for c in codes]
    texts = [
        ("(%s) " if s == "referencial" else "%s ") % fmt.value(v, ind.unit) + status(s).label.get(lang)
        for v, s in zip(regions.value, statuses, strict=True)
    ]
    trace = {
        "type": "scatter",
        "x": _r(regions.value),
        "y": labels,
        "mode": "markers",
        "marker": {
            "size": 11,
            "color": [status(s).colour for s in statuses],
            "symbol": ["circle-open" if s == "referencial" else "circle" for s in statuses],
            "line": {"width": [3 if c == highlight else 1 for c in codes], "color": "#1f2d3d"},
        },
        "customdata": texts,
        "hovertemplate": "%{y}: %{customdata}<extra></extra>",
        "showlegend": False,
    }
    if regions.ci_low.notna().any():
        trace["error_x"] = _ci_bars(regions.value, regions.ci_low, regions.ci_high, "#555", 1.2, 3)
    # Value and status as a column of text at the right edge, clear of the confidence intervals.
    annotations = [
        {"x": 1.0, "xref": "paper", "xanchor": "left", "y": y, "yref": "y", "text": text, "showarrow": False,
         "font": {"size": 11}}
        for y, text in zip(labels, texts, strict=True)
    ]  # fmt: skip
    shapes = []
    if len(nat) and not fmt.missing(nat.value.iloc[0]):
        v = float(nat.value.iloc[0])
        shapes.append(
            {"type": "line", "x0": v, "x1": v, "xref": "x", "y0": 0, "y1": 1, "yref": "paper",
             "line": {"color": NATIONAL_COLOUR, "dash": "dash"}}
        )  # fmt: skip
        annotations.append(
            {"x": v, "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
             "text": f"{t('national', lang)}: {fmt.value(v, ind.unit)}"}
        )  # fmt: skip
    layout = {
        "height": 120 + 22 * len(regions),
        "margin": {"l": 150, "r": 140, "t": 40, "b": 30},
        "xaxis": {"title": {"text": fmt.UNIT_SUFFIX.get(ind.unit, "")}, "rangemode": "tozero"},
        # The chosen region's name in bold on the axis only: the points keep the plain names (hover, data).
        "yaxis": {
            "automargin": True,
            "tickvals": labels,
            "ticktext": [f"<b>{n}</b>" if c == highlight else n for c, n in zip(codes, labels, strict=True)],
        },
        "annotations": annotations,
        "shapes": shapes,
    }
    return _figure([trace], layout)


def multiples(
    series: pd.DataFrame, ind: Indicator, regions: list[tuple[str, str]], lang: str, cols: int = 6
) -> dict:
    """One small panel per region with the national series in grey behind, same scales everywhere."""
    rows, _ = _grid(len(regions), cols)
    layout, axes = _panels(
        len(regions), cols, [n for _, n in regions], 0.25 / rows if rows > 1 else 0.1, 0.02
    )
    # One pass over the frame's columns as lists: a frame and a date conversion per panel cost more than the query.
    x = series.period.dt.strftime("%Y-%m").tolist() if len(series) else []
    y = _r(series.value)
    points: dict[str, tuple[list, list]] = {}
    for code, px, py in zip(series.territory_code.tolist(), x, y, strict=True):
        xs, ys = points.setdefault(code, ([], []))
        xs.append(px)
        ys.append(py)
    nat_x, nat_y = points.get("PE", ([], []))
    values = series.value.dropna()
    y_range = [0, round(float(values.max()) * 1.1, 1)] if len(values) else None
    traces = []
    for k, (code, _name) in enumerate(regions):
        sx = axes[k]
        dx, dy = points.get(code, ([], []))
        common = {
            "type": "scatter",
            "mode": "lines",
            "xaxis": f"x{sx}",
            "yaxis": f"y{sx}",
            "showlegend": False,
        }
        traces.append(
            {**common, "x": nat_x, "y": nat_y, "line": {"color": "#c8ced6", "width": 1}, "hoverinfo": "skip"}
        )
        traces.append(
            {
                **common,
                "x": dx,
                "y": dy,
                "line": {"color": REGION_COLOUR, "width": 1.6},
                "hovertemplate": "%{x|%Y-%m}: %{y:.1f}<extra>" + code + "</extra>",
            }
        )
        layout[f"xaxis{sx}"]["showticklabels"] = False
        layout[f"yaxis{sx}"].update(range=y_range, showticklabels=k % cols == 0)
    layout.update(height=110 * rows + 40, margin={"t": 30, "l": 30, "r": 10, "b": 20})
    for a in layout["annotations"]:
        a["font"] = {"size": 11}
    return _figure(traces, layout)

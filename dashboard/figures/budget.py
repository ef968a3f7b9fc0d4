"""The budget figures: money against results per region (Resumen), execution month by month and the change across years (Presupuesto)."""

from __future__ import annotations

import pandas as pd

from warehouse.catalogue_model import Indicator
from warehouse.rules import status

from .. import format as fmt
from ..i18n import t
from .common import NATIONAL_COLOUR, REGION_COLOUR, _ci_bars, _dates, _figure, _r


def budget_results(
    df: pd.DataFrame,
    names: dict[str, str],
    abbrevs: dict[str, str],
    result: Indicator | None,
    who: str,
    lang: str,
) -> dict:
    """Devengado per beneficiary (x) against the final result (y), one point per region with the survey's
    95% interval (the farthest named, every one on hover); dashed lines at the national values split the chart into four readings (spends more or less
    than the country, has more or less stunting)."""
    d = df[(df.territory_level == "region") & df.spent_per_child.notna() & df.result_value.notna()]
    nat = df[df.territory_level == "pais"]
    # Named: the regions farthest from the middle of the cloud (the rest on hover: 26 labels overlap).
    middle = (d.spent_per_child.median(), d.result_value.median())
    named = labelled_points(d, "spent_per_child", "result_value", centre=middle)
    traces: list[dict] = []
    if len(d):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": _r(d.spent_per_child, 0),
                "y": _r(d.result_value, 1),
                "text": [abbrevs.get(c, c) if c in named else "" for c in d.territory_code],
                "customdata": [
                    [names.get(c, c), fmt.value(v, result.unit if result else "pct"), fmt.soles(p, lang)]
                    for c, v, p in zip(d.territory_code, d.result_value, d.pim, strict=True)
                ],
                "textposition": "top center",
                "textfont": {"size": 9, "color": "#3d4a57"},
                "marker": {
                    "size": 10,
                    "color": [status(s).colour for s in d.result_status],
                    "line": {"color": "#1f2d3d", "width": 1},
                    "symbol": ["circle-open" if r else "circle" for r in d.result_referential.fillna(False)],
                },
                "error_y": _ci_bars(d.result_value, d.result_ci_low, d.result_ci_high, "#9aa5b1", 1, 0),
                "hovertemplate": "<b>%{customdata[0]}</b><br>S/ %{x:,.0f} "
                + t("per_who", lang, who=who)
                + "<br>%{customdata[1]} · PIM %{customdata[2]}<extra></extra>",
                "showlegend": False,
            }
        )
    shapes, annotations = [], []
    if len(nat):
        n = nat.iloc[0]
        for axis, v in (("x", n.spent_per_child), ("y", n.result_value)):
            if fmt.missing(v):
                continue
            line = {"type": "line", "line": {"color": NATIONAL_COLOUR, "width": 1, "dash": "dash"}}
            if axis == "x":
                shapes.append({**line, "xref": "x", "yref": "paper", "x0": v, "x1": v, "y0": 0, "y1": 1})
            else:
                shapes.append({**line, "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": v, "y1": v})
        annotations.append(
            {
                "text": t("national_lines", lang),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1.02,
                "xanchor": "left",  # the right corner holds the PNG button
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 10, "color": NATIONAL_COLOUR},
            }
        )
    layout = {
        "height": 380,
        "xaxis": {"title": {"text": t("spent_per", lang, who=who)}, "tickformat": ",.0f", "zeroline": False},
        "yaxis": {
            "title": {"text": f"{result.short.get(lang)} ({fmt.UNIT_SUFFIX[result.unit]})" if result else ""}
        },
        "margin": {"l": 55, "r": 15, "t": 25, "b": 45},
        "shapes": shapes,
        "annotations": annotations,
    }
    return _figure(traces, layout)


def budget_months(df: pd.DataFrame, lang: str, title: str = "") -> dict:
    """Cumulative PIM, devengado and the devengado the pace curve expects, month by month (millions of soles);
    each month's devengado point coloured by its pace light. ``title`` says what it is when downloaded as PNG."""
    x = _dates(df.period)
    mill = lambda s: _r(s / 1e6, 2)  # noqa: E731
    expected = df.pim * df.expected_pct / 100
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": "PIM",
            "x": x,
            "y": mill(df.pim),
            "line": {"color": NATIONAL_COLOUR, "width": 2},
            "hovertemplate": f"PIM S/ %{{y:,.1f}} {fmt.millions(lang)}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": t("expected_pace", lang),
            "x": x,
            "y": mill(expected),
            "line": {"color": "#1f1f1f", "width": 1, "dash": "dash"},
            "hovertemplate": t("expected_pace", lang)
            + f" S/ %{{y:,.1f}} {fmt.millions(lang)}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": t("accrued", lang),
            "x": x,
            "y": mill(df.devengado),
            "customdata": [[round(float(v), 1) if not fmt.missing(v) else None] for v in df.execution_pct],
            "line": {"color": REGION_COLOUR, "width": 3},
            "marker": {
                "size": 10,
                "color": [status(s).colour for s in df.pace_status],
                "line": {"color": "#1f2d3d", "width": 1},
            },
            "hovertemplate": t("accrued", lang)
            + f" S/ %{{y:,.1f}} {fmt.millions(lang)} (%{{customdata[0]}} %)<extra></extra>",
        },
    ]
    layout = {
        "height": 340,
        "title": {"text": title, "font": {"size": 12}, "x": 0, "xanchor": "left", "y": 0.98},
        "margin": {"l": 60, "r": 15, "t": 62, "b": 36},
        "yaxis": {"title": {"text": t("millions_soles", lang)}, "rangemode": "tozero", "tickformat": ",.0f"},
        "xaxis": {"tickformat": "%b", "dtick": "M1", "tickangle": 0},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    }
    return _figure(traces, layout)


SCATTER_LABELS = 8  # regions named on a scatter: 26 labels in 380 px overlap


def labelled_points(
    d: pd.DataFrame,
    x: str,
    y: str,
    highlight: str | None = None,
    centre: tuple[float, float] = (0.0, 0.0),
    n: int = SCATTER_LABELS,
) -> set[str]:
    """The territories whose points are named: the ``n`` farthest from ``centre`` (each axis in its own spread,
    so that neither unit dominates) and the page's own region; the others are named on hover."""
    if d.empty:
        return set()
    # In plain Python: 26 points, where each pandas operation cost more than the arithmetic.
    xs = [None if fmt.missing(v) else v - centre[0] for v in d[x].tolist()]
    ys = [None if fmt.missing(v) else v - centre[1] for v in d[y].tolist()]
    spread_x = max((abs(v) for v in xs if v is not None), default=0.0) or 1.0
    spread_y = max((abs(v) for v in ys if v is not None), default=0.0) or 1.0
    codes = d.territory_code.tolist()
    placed = [(c, a, b) for c, a, b in zip(codes, xs, ys, strict=True) if a is not None and b is not None]
    # the farthest first; among equals the first in the frame's order (a stable sort), as nlargest keeps them;
    # with fewer than n placed, nlargest fills up with the unplaced ones (they draw no point)
    far = [
        p[0]
        for p in sorted(placed, key=lambda p: (p[1] / spread_x) ** 2 + (p[2] / spread_y) ** 2, reverse=True)
    ]
    far += [c for c, a, b in zip(codes, xs, ys, strict=True) if a is None or b is None]
    return set(far[:n]) | ({highlight} if highlight else set())


def budget_change(
    df: pd.DataFrame,
    abbrevs: dict[str, str],
    y: str,
    y_title: str,
    lang: str,
    lower_is_better: bool,
    highlight: str | None = None,
    title: str = "",
) -> dict:
    """Change in PIM per child (x) against the change in ``y`` (coverage or the final result, in points), one
    point per region (``highlight``, the page's region, drawn larger), the farthest named (:func:`labelled_points`;
    every one on hover); the zero lines split regions that spent more or less and improved or not."""
    d = df[df.pim_per_child_change.notna() & df[y].notna()]
    good = (d[y] < 0) if lower_is_better else (d[y] > 0)
    named = labelled_points(d, "pim_per_child_change", y, highlight)
    traces = []
    if len(d):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": _r(d.pim_per_child_change, 1),
                "y": _r(d[y], 1),
                "text": [abbrevs.get(c, c) if c in named else "" for c in d.territory_code],
                "customdata": [[n] for n in d.name],
                "textposition": "top center",
                "textfont": {"size": 9, "color": "#3d4a57"},
                "cliponaxis": False,
                "marker": {
                    "size": [16 if c == highlight else 10 for c in d.territory_code],
                    "color": ["#009E73" if g else "#D55E00" for g in good],
                    "line": {
                        "color": "#1f2d3d",
                        "width": [3 if c == highlight else 1 for c in d.territory_code],
                    },
                },
                "hovertemplate": "<b>%{customdata[0]}</b><br>Δ PIM S/ %{x:,.0f}<br>Δ %{y:.1f}<extra></extra>",
                "showlegend": False,
            }
        )
    layout = {
        "height": 380,
        "title": {"text": title, "font": {"size": 11}, "x": 0, "xanchor": "left", "y": 0.98},
        "margin": {"l": 60, "r": 15, "t": 34, "b": 50},
        "xaxis": {"title": {"text": t("change_pim_per_child", lang)}, "zeroline": True, "tickformat": ",.0f"},
        "yaxis": {"title": {"text": y_title}, "zeroline": True, "zerolinecolor": "#8c8c8c"},
    }
    return _figure(traces, layout)

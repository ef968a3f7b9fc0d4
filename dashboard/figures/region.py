"""The Región page's figures: monthly trends against targets, ENDES estimates with their intervals."""

from __future__ import annotations

import pandas as pd

from warehouse.catalogue_model import Indicator

from .. import format as fmt
from ..i18n import t
from .common import (
    NATIONAL_COLOUR,
    REGION_COLOUR,
    _by,
    _ci_bars,
    _dates,
    _figure,
    _grid,
    _panels,
    _r,
    run_ends,
)


def trends_height(n: int, cols: int = 3) -> int:
    """The trends figure's height in pixels for ``n`` panels (the page keeps it while the chart waits)."""
    return max(260, 210 * _grid(n, cols)[0])


def survey_height(n: int, cols: int = 3) -> int:
    return max(280, 230 * _grid(n, cols)[0])


def trends(
    series: pd.DataFrame, indicators: list[Indicator], region: str, region_name: str, lang: str, cols: int = 3
) -> dict:
    """Monthly series of the region (solid) and the country (grey), with the target (dashed), one panel each."""
    rows, _ = _grid(len(indicators), cols)
    layout, axes = _panels(
        len(indicators), cols, [i.short.get(lang) for i in indicators], 0.45 / rows if rows > 1 else 0.1, 0.06
    )
    traces = []
    parts = _by(series, "indicator_code", "territory_code")
    empty = series.iloc[0:0]
    for k, ind in enumerate(indicators):
        sx = axes[k]
        mine, nat = parts.get((ind.code, region), empty), parts.get((ind.code, "PE"), empty)
        first = k == 0
        common = {"type": "scatter", "xaxis": f"x{sx}", "yaxis": f"y{sx}"}
        traces.append(
            {
                **common,
                "x": _dates(mine.period),
                "y": _r(mine.value),
                "name": region_name,
                "mode": "lines+markers",
                "marker": {"size": 4},
                "line": {"color": REGION_COLOUR, "width": 2},
                "legendgroup": "r",
                "showlegend": first,
                "hovertemplate": "%{x|%m/%Y}: %{y:.1f}<extra>" + region_name + "</extra>",
            }
        )
        traces.append(
            {
                **common,
                "x": _dates(nat.period),
                "y": _r(nat.value),
                "name": t("national", lang),
                "mode": "lines",
                "line": {"color": NATIONAL_COLOUR, "width": 1.5},
                "legendgroup": "n",
                "showlegend": first,
                "hovertemplate": "%{x|%m/%Y}: %{y:.1f}<extra>PE</extra>",
            }
        )
        pace = ind.rule.kind == "budget_pace"
        goal = mine.expected_pct if pace else mine.target
        if goal.notna().any():
            gx, gy = run_ends(_dates(mine.period), _r(goal))
            traces.append(
                {
                    **common,
                    "x": gx,
                    "y": gy,
                    "mode": "lines",
                    "name": t("expected_pace", lang) if pace else t("target", lang),
                    "line": {"color": "#333", "width": 1, "dash": "dash"},
                    "legendgroup": "t",
                    "showlegend": first,
                    "hoverinfo": "skip",
                }
            )
    height = trends_height(len(indicators), cols)
    layout.update(
        height=height,
        margin={"t": 60, "l": 40, "r": 10, "b": 30},
        legend={"orientation": "h", "y": 1.0 + 60 / height, "x": 0, "yanchor": "bottom"},
    )
    return _figure(traces, layout)


def survey(
    series: pd.DataFrame,
    indicators: list[Indicator],
    region: str,
    region_name: str,
    lang: str,
    referential_cv: float,
    cols: int = 3,
) -> dict:
    """ENDES estimates by year with 95% confidence intervals as error bars; referential estimates hollow."""
    rows, _ = _grid(len(indicators), cols)
    layout, axes = _panels(
        len(indicators), cols, [i.short.get(lang) for i in indicators], 0.5 / rows if rows > 1 else 0.1, 0.06
    )
    traces = []
    parts = _by(series, "indicator_code", "territory_code")
    for k, ind in enumerate(indicators):
        sx = axes[k]
        for code, name, colour, group in (
            (region, region_name, REGION_COLOUR, "r"),
            ("PE", t("national", lang), NATIONAL_COLOUR, "n"),
        ):
            d = parts.get((ind.code, code))
            if d is None:
                continue
            ref = d.is_referential.fillna(False).tolist()
            traces.append(
                {
                    "type": "scatter",
                    "xaxis": f"x{sx}",
                    "yaxis": f"y{sx}",
                    "x": [pd.Timestamp(p).year for p in d.period],
                    "y": _r(d.value),
                    "name": name,
                    "mode": "lines+markers",
                    "legendgroup": group,
                    "showlegend": k == 0,
                    "line": {"color": colour, "width": 1.5 if code == "PE" else 2},
                    "marker": {
                        "size": 8,
                        "color": ["white" if rf else colour for rf in ref],
                        "line": {"color": colour, "width": 2},
                    },
                    "error_y": _ci_bars(d.value, d.ci_low, d.ci_high, colour, 1.2, 3),
                    "text": [
                        ("(%s)" if rf else "%s") % fmt.number(v) for v, rf in zip(d.value, ref, strict=True)
                    ],
                    "hovertemplate": "%{x}: %{text}<extra>" + name + "</extra>",
                }
            )
        layout[f"xaxis{sx}"]["dtick"] = 2
    height = survey_height(len(indicators), cols)
    layout.update(
        height=height,
        margin={"t": 60, "l": 40, "r": 10, "b": 30},
        legend={"orientation": "h", "y": 1.0 + 60 / height, "x": 0, "yanchor": "bottom"},
    )
    return _figure(traces, layout)

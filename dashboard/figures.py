"""Figures as pure functions DataFrame → figure, under the app's one template (dashboard.theme).

No Plotly Express (it costs tens of milliseconds per figure), and plain figure dicts rather than ``go.Figure``:
validating twenty panels, or adding thirty annotations one by one, costs more than the query. Values are rounded
before they go on the wire.
"""

from __future__ import annotations

import math

import pandas as pd

from warehouse.catalogue_model import Indicator
from warehouse.rules import status

from . import format as fmt
from . import theme
from .i18n import t

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


def _dates(values) -> list[str]:
    return [pd.Timestamp(v).strftime("%Y-%m-%d") for v in values]


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
            traces.append(
                {
                    **common,
                    "x": _dates(mine.period),
                    "y": _r(goal),
                    "mode": "lines",
                    "name": t("expected_pace", lang) if pace else t("target", lang),
                    "line": {"color": "#333", "width": 1, "dash": "dash"},
                    "legendgroup": "t",
                    "showlegend": first,
                    "hoverinfo": "skip",
                }
            )
    layout.update(
        height=max(260, 210 * rows),
        margin={"t": 60, "l": 40, "r": 10, "b": 30},
        legend={"orientation": "h", "y": 1.0 + 60 / max(260, 210 * rows), "x": 0, "yanchor": "bottom"},
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
    layout.update(
        height=max(280, 230 * rows),
        margin={"t": 60, "l": 40, "r": 10, "b": 30},
        legend={"orientation": "h", "y": 1.0 + 60 / max(280, 230 * rows), "x": 0, "yanchor": "bottom"},
    )
    return _figure(traces, layout)


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
        "yaxis": {"automargin": True},
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
    nat = series[series.territory_code == "PE"]
    nat_x, nat_y = _dates(nat.period), _r(nat.value)
    values = series.value.dropna()
    y_range = [0, round(float(values.max()) * 1.1, 1)] if len(values) else None
    traces = []
    parts = _by(series, "territory_code")
    for k, (code, _name) in enumerate(regions):
        sx = axes[k]
        d = parts.get(code, series.iloc[0:0])
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
                "x": _dates(d.period),
                "y": _r(d.value),
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


def budget_results(
    df: pd.DataFrame,
    names: dict[str, str],
    abbrevs: dict[str, str],
    result: Indicator | None,
    who: str,
    lang: str,
) -> dict:
    """Devengado per beneficiary (x) against the final result (y), one point per region with the survey's
    95% interval; dashed lines at the national values split the chart into four readings (spends more or less
    than the country, has more or less stunting)."""
    d = df[(df.territory_level == "region") & df.spent_per_child.notna() & df.result_value.notna()]
    nat = df[df.territory_level == "pais"]
    traces: list[dict] = []
    if len(d):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": _r(d.spent_per_child, 0),
                "y": _r(d.result_value, 1),
                "text": [abbrevs.get(c, c) for c in d.territory_code],
                "customdata": [
                    [names.get(c, c), fmt.value(v, result.unit if result else "pct"), fmt.soles(p)]
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
            "hovertemplate": "PIM S/ %{y:,.1f} mill.<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": t("expected_pace", lang),
            "x": x,
            "y": mill(expected),
            "line": {"color": "#1f1f1f", "width": 1, "dash": "dash"},
            "hovertemplate": t("expected_pace", lang) + " S/ %{y:,.1f} mill.<extra></extra>",
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
            "hovertemplate": t("accrued", lang) + " S/ %{y:,.1f} mill. (%{customdata[0]} %)<extra></extra>",
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
    labelled point per region (``highlight``, the page's region, drawn larger); the zero lines split regions that
    spent more or less and improved or not."""
    d = df[df.pim_per_child_change.notna() & df[y].notna()]
    good = (d[y] < 0) if lower_is_better else (d[y] > 0)
    traces = []
    if len(d):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": _r(d.pim_per_child_change, 1),
                "y": _r(d[y], 1),
                "text": [abbrevs.get(c, c) for c in d.territory_code],
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

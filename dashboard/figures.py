"""Figures as pure functions DataFrame → go.Figure, under the app's one template (dashboard.theme).

Plain ``graph_objects`` (no Plotly Express: it costs tens of milliseconds per figure), few traces, values
rounded before they go on the wire.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from warehouse.catalogue import Indicator
from warehouse.rules import status

from . import format as fmt
from .i18n import t

REGION_COLOUR = "#1f5f8b"
NATIONAL_COLOUR = "#8c8c8c"


def _r(values, digits: int = 2) -> list:
    return [None if fmt.missing(v) else round(float(v), digits) for v in values]


def _grid(n: int, cols: int) -> tuple[int, int]:
    return max(1, math.ceil(n / cols)), min(cols, max(n, 1))


def trends(
    series: pd.DataFrame, indicators: list[Indicator], region: str, region_name: str, lang: str, cols: int = 3
) -> go.Figure:
    """Monthly series of the region (solid) and the country (grey), with the target (dashed), one panel each."""
    rows, cols = _grid(len(indicators), cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[i.short.get(lang) for i in indicators],
        vertical_spacing=0.12 if rows > 1 else 0.1,
        horizontal_spacing=0.06,
    )
    for k, ind in enumerate(indicators):
        r, c = k // cols + 1, k % cols + 1
        s = series[series.indicator_code == ind.code]
        mine = s[s.territory_code == region]
        nat = s[s.territory_code == "PE"]
        show = k == 0
        fig.add_trace(
            go.Scatter(
                x=mine.period,
                y=_r(mine.value),
                name=region_name,
                mode="lines+markers",
                marker=dict(size=4),
                line=dict(color=REGION_COLOUR, width=2),
                legendgroup="r",
                showlegend=show,
                hovertemplate="%{x|%m/%Y}: %{y:.1f}<extra>" + region_name + "</extra>",
            ),
            row=r,
            col=c,
        )
        fig.add_trace(
            go.Scatter(
                x=nat.period,
                y=_r(nat.value),
                name=t("national", lang),
                mode="lines",
                line=dict(color=NATIONAL_COLOUR, width=1.5),
                legendgroup="n",
                showlegend=show,
                hovertemplate="%{x|%m/%Y}: %{y:.1f}<extra>PE</extra>",
            ),
            row=r,
            col=c,
        )
        goal = mine.expected_pct if ind.rule.kind == "budget_pace" else mine.target
        if goal.notna().any():
            fig.add_trace(
                go.Scatter(
                    x=mine.period,
                    y=_r(goal),
                    name=t("expected_pace", lang) if ind.rule.kind == "budget_pace" else t("target", lang),
                    mode="lines",
                    line=dict(color="#333", width=1, dash="dash"),
                    legendgroup="t",
                    showlegend=show,
                    hoverinfo="skip",
                ),
                row=r,
                col=c,
            )
    fig.update_layout(
        height=max(260, 210 * rows),
        margin=dict(t=60, l=40, r=10, b=30),
        legend=dict(orientation="h", y=1.06, x=0, yanchor="bottom"),
    )
    fig.update_annotations(font_size=12)
    return fig


def survey(
    series: pd.DataFrame,
    indicators: list[Indicator],
    region: str,
    region_name: str,
    lang: str,
    referential_cv: float,
    cols: int = 3,
) -> go.Figure:
    """ENDES estimates by year with 95% confidence intervals as error bars; referential estimates hollow."""
    rows, cols = _grid(len(indicators), cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[i.short.get(lang) for i in indicators],
        vertical_spacing=0.14 if rows > 1 else 0.1,
        horizontal_spacing=0.06,
    )
    for k, ind in enumerate(indicators):
        r, c = k // cols + 1, k % cols + 1
        s = series[series.indicator_code == ind.code]
        for code, name, colour, group in (
            (region, region_name, REGION_COLOUR, "r"),
            ("PE", t("national", lang), NATIONAL_COLOUR, "n"),
        ):
            d = s[s.territory_code == code]
            if d.empty:
                continue
            years = [p.year for p in pd.to_datetime(d.period)]
            ref = d.is_referential.fillna(False).tolist()
            hi = [
                None if fmt.missing(h) or fmt.missing(v) else round(h - v, 2)
                for h, v in zip(d.ci_high, d.value, strict=True)
            ]
            lo = [
                None if fmt.missing(lo_) or fmt.missing(v) else round(v - lo_, 2)
                for lo_, v in zip(d.ci_low, d.value, strict=True)
            ]
            labels = [("(%s)" if rf else "%s") % fmt.number(v) for v, rf in zip(d.value, ref, strict=True)]
            fig.add_trace(
                go.Scatter(
                    x=years,
                    y=_r(d.value),
                    name=name,
                    mode="lines+markers",
                    legendgroup=group,
                    showlegend=k == 0,
                    line=dict(color=colour, width=1.5 if code == "PE" else 2),
                    marker=dict(
                        size=8,
                        color=["white" if rf else colour for rf in ref],
                        line=dict(color=colour, width=2),
                        symbol="circle",
                    ),
                    error_y=dict(
                        type="data",
                        array=hi,
                        arrayminus=lo,
                        visible=True,
                        thickness=1.2,
                        width=3,
                        color=colour,
                    ),
                    text=labels,
                    hovertemplate="%{x}: %{text}<extra>" + name + "</extra>",
                ),
                row=r,
                col=c,
            )
    fig.update_layout(
        height=max(280, 230 * rows),
        margin=dict(t=60, l=40, r=10, b=30),
        legend=dict(orientation="h", y=1.06, x=0, yanchor="bottom"),
    )
    fig.update_xaxes(dtick=2)
    fig.update_annotations(font_size=12)
    return fig


def ranking(
    df: pd.DataFrame, ind: Indicator, names: dict[str, str], lang: str, highlight: str | None = None
) -> go.Figure:
    """Regions sorted by value with 95% CI error bars (surveys), coloured by status, national line."""
    regions = df[df.territory_level == "region"].copy()
    worst_first = ind.direction == "down"
    regions = regions.sort_values("value", ascending=not worst_first, na_position="first")
    nat = df[df.territory_code == "PE"]
    colours = [status(s).colour for s in regions.status]
    labels = [names.get(c, c) for c in regions.territory_code]
    texts = [
        ("(%s) " if s == "referencial" else "%s ") % fmt.value(v, ind.unit) + status(s).label.get(lang)
        for v, s in zip(regions.value, regions.status, strict=True)
    ]
    err = {}
    if regions.ci_low.notna().any():
        err = dict(
            error_x=dict(
                type="data",
                array=_r(regions.ci_high - regions.value),
                arrayminus=_r(regions.value - regions.ci_low),
                thickness=1.2,
                width=3,
                color="#555",
            )
        )
    fig = go.Figure(
        go.Scatter(
            x=_r(regions.value),
            y=labels,
            mode="markers+text",
            text=texts,
            textposition="middle right",
            textfont=dict(size=11),
            marker=dict(
                size=11,
                color=colours,
                symbol=["circle-open" if s == "referencial" else "circle" for s in regions.status],
                line=dict(
                    width=[3 if c == highlight else 1 for c in regions.territory_code], color="#1f2d3d"
                ),
            ),
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            showlegend=False,
            **err,
        )
    )
    if len(nat) and not fmt.missing(nat.value.iloc[0]):
        v = float(nat.value.iloc[0])
        fig.add_vline(
            x=v,
            line=dict(color=NATIONAL_COLOUR, dash="dash"),
            annotation_text=f"{t('national', lang)}: {fmt.value(v, ind.unit)}",
            annotation_position="top",
        )
    fig.update_layout(
        height=120 + 22 * len(regions),
        margin=dict(l=150, r=140, t=40, b=30),
        xaxis=dict(title=fmt.UNIT_SUFFIX.get(ind.unit, ""), rangemode="tozero"),
        yaxis=dict(automargin=True),
    )
    return fig


def multiples(
    series: pd.DataFrame, ind: Indicator, regions: list[tuple[str, str]], lang: str, cols: int = 6
) -> go.Figure:
    """One small panel per region with the national series in grey behind, shared axes."""
    rows, cols = _grid(len(regions), cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[n for _, n in regions],
        shared_xaxes=True,
        shared_yaxes=True,
        vertical_spacing=0.05,
        horizontal_spacing=0.02,
    )
    nat = series[series.territory_code == "PE"]
    for k, (code, _name) in enumerate(regions):
        r, c = k // cols + 1, k % cols + 1
        d = series[series.territory_code == code]
        fig.add_trace(
            go.Scatter(
                x=nat.period,
                y=_r(nat.value),
                mode="lines",
                line=dict(color="#c8ced6", width=1),
                hoverinfo="skip",
                showlegend=False,
            ),
            row=r,
            col=c,
        )
        fig.add_trace(
            go.Scatter(
                x=d.period,
                y=_r(d.value),
                mode="lines",
                line=dict(color=REGION_COLOUR, width=1.6),
                hovertemplate="%{x|%Y-%m}: %{y:.1f}<extra>" + code + "</extra>",
                showlegend=False,
            ),
            row=r,
            col=c,
        )
    fig.update_layout(height=110 * rows + 40, margin=dict(t=30, l=30, r=10, b=20))
    fig.update_annotations(font_size=11)
    fig.update_xaxes(showticklabels=False)
    return fig


def budget_results(df: pd.DataFrame, names: dict[str, str], result: Indicator | None, lang: str) -> go.Figure:
    """PIM per child (x) against the final result (y) by region: where money and results do not go together."""
    d = df[(df.territory_level == "region") & df.pim_per_child.notna() & df.result_value.notna()]
    fig = go.Figure()
    if len(d):
        fig.add_trace(
            go.Scatter(
                x=_r(d.pim_per_child, 0),
                y=_r(d.result_value),
                mode="markers+text",
                text=[names.get(c, c) for c in d.territory_code],
                textposition="top center",
                textfont=dict(size=10),
                marker=dict(
                    size=10,
                    color=[status(s).colour for s in d.result_status],
                    line=dict(color="#1f2d3d", width=1),
                ),
                error_y=dict(
                    type="data",
                    array=_r(d.result_ci_high - d.result_value),
                    arrayminus=_r(d.result_value - d.result_ci_low),
                    thickness=1,
                    width=2,
                    color="#888",
                ),
                hovertemplate="%{text}: S/ %{x:,.0f} · %{y:.1f}<extra></extra>",
                showlegend=False,
            )
        )
    fig.update_layout(
        height=420,
        xaxis=dict(title=t("pim_per_child", lang)),
        yaxis=dict(title=result.short.get(lang) if result else ""),
        margin=dict(l=60, r=20, t=30, b=50),
    )
    return fig

"""Región: what is red in the region and why (dashboard/views/red_list.py), the drill-down of administrative
indicators to provinces, districts and facilities (pages/region_drill.py), the region's causal chain, its monthly
trends against targets and its ENDES estimates with confidence intervals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from .. import context, figures, theme
from .. import format as fmt
from ..access import region_ok
from ..callbacks import callback, clientside
from ..components.chain import causal_chain
from ..components.markup import markup
from ..components.red_list import red_items
from ..components.table_grid import download_buttons
from ..data import Warehouse
from ..i18n import t
from ..state import Filters, href
from ..views.charts import months_back, region_series
from ..views.drill import DRILL_FEEDS
from ..views.indicators import region_snapshot
from ..views.red_list import region_red_list
from .not_found import unknown_code
from .region_drill import drill_content, region_of

SPARK_MONTHS = 12


def regional_arg(wh: Warehouse, f: Filters, arg: str | None) -> tuple[str | None, list]:
    """The region a regional page's path names, if the user may see it, and otherwise a notice that the country is
    shown instead (for /presupuesto/<code> and /calidad/<code>)."""
    if region_ok(wh, arg):
        return arg, []
    notice = [html.P(t("unknown_region", f.lang, code=arg), className="alert alert-warning")] if arg else []
    return None, notice


def _sparks(recent: pd.DataFrame, surveys: pd.DataFrame, region: str, period: dt.date) -> dict[str, list]:
    since = pd.Timestamp(months_back(period, SPARK_MONTHS - 1))
    out: dict[str, list] = {}
    # Both frames come ordered by indicator, territory and period (series.sql): one pass each, no grouping.
    for code, where, when, value in zip(
        recent.indicator_code, recent.territory_code, recent.period, recent.value, strict=True
    ):
        if where == region and when >= since:
            out.setdefault(code, []).append(value)
    annual: dict[str, list] = {}
    for code, where, value in zip(surveys.indicator_code, surveys.territory_code, surveys.value, strict=True):
        if where == region:
            annual.setdefault(code, []).append(value)
    return out | {code: values[-8:] for code, values in annual.items()}


def main_content(wh: Warehouse, f: Filters, region: str) -> html.Div:
    """The page's top: the region, its final results and what is red and why (one block of HTML: nothing in it
    is a callback's input or output)."""
    cat = wh.snapshot.catalogue
    lang = f.lang
    name = wh.snapshot.names.get(region, region)
    snap = region_snapshot(wh, f, region)  # the view 'region'
    program = cat.programs.get(f.program)
    inds = cat.indicators_for(program=f.program)
    finals = snap[snap.indicator_code.isin([i.code for i in inds if i.level == "final_result"])]
    summary = []
    for r in finals.itertuples():
        ind = cat.indicators[r.indicator_code]
        summary.append(
            html.Span(
                [
                    f"{ind.short.get(lang)}: ",
                    html.Strong(fmt.value(r.value, ind.unit)),
                    f" ({fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang)})",
                ],
                className="me-3",
            )
        )
    return markup(
        [
            html.H1(f"{name}", className="page-title"),
            html.P(
                [
                    f"{program.name.get(lang) if program else f.program} · {wh.period_label(f.program, f.period, lang)} · ",
                    *summary,
                ],
                className="page-subtitle",
            ),
            html.Section(
                [
                    html.Div(
                        [
                            html.H2(t("red_title", lang), className="section-title"),
                            download_buttons(f"/export/region-rojo/{region}", f, f"rojo_{region}"),
                        ],
                        className="section-head",
                    ),
                    html.P(t("red_hint", lang), className="hint"),
                    red_items(region_red_list(wh, f, region), lang, breakdown_link(f, region)),
                ],
                className="panel",
                id="region-red",
            ),
        ]
    )


def breakdown_link(f: Filters, region: str):
    """An indicator's breakdown in this region: the drill-down for what facilities report, the region's budget page
    for budget lines, the region's survey panel for survey estimates (never drilled below the region)."""

    def link(code: str, feed: str) -> str:
        if feed in DRILL_FEEDS:
            return (
                href(
                    f"/region/{region}",
                    f,
                    indicator=code,
                    province=None,
                    district=None,
                    red=None,
                    microred=None,
                )
                + "#region-drill"
            )
        if feed == "budget":
            return href(f"/presupuesto/{region}", f, indicator=None)
        return href(f"/region/{region}", f) + "#region-survey"

    return link


def chain_parts(
    wh: Warehouse, f: Filters, region: str, survey: bool = True
) -> tuple[html.Div, dict, dict | None]:
    """The causal chain (one block of HTML), the trends figure and — with ``survey`` — the survey figure."""
    cat = wh.snapshot.catalogue
    lang = f.lang
    name = wh.snapshot.names.get(region, region)
    snap = region_snapshot(wh, f, region)  # the view 'region'
    period, recent, surveys, stock = region_series(wh, f, region)
    inds = cat.indicators_for(program=f.program)
    # Budget per product is in each chain box; the trends keep the program's total, not six look-alike saws.
    monthly = [
        i
        for i in inds
        if i.periodicity == "monthly"
        and (i.feed == "admin" or (i.feed == "budget" and i.budget_products == ()))
    ]
    stock_inds = [i for i in inds if i.feed == "stock"]
    annual = [i for i in inds if i.periodicity == "annual"]
    link = breakdown_link(f, region)
    chain = markup(
        html.Section(
            [
                html.Div(
                    [
                        html.H2(t("chain_title", lang), className="section-title"),
                        download_buttons(f"/export/region/{region}", f, name),
                    ],
                    className="section-head",
                ),
                html.P(t("chain_hint", lang) + " " + t("why_red", lang), className="hint"),
                causal_chain(
                    cat,
                    f.program,
                    snap,
                    _sparks(recent, surveys, region, period),
                    stock,
                    lang,
                    lambda code: link(code, cat.indicators[code].feed),
                ),
            ],
            className="panel",
        )
    )
    trends = figures.trends(recent, monthly + stock_inds, region, name, lang)
    estimates = figures.survey(surveys, annual, region, name, lang, cat.referential_cv) if survey else None
    return chain, trends, estimates


def survey_key(wh: Warehouse, f: Filters, region: str) -> str:
    """What the survey chart depends on: its estimates are yearly, so a month of the same year leaves it alone."""
    return f"{region}|{f.program}|{wh.resolve_period(f.program, f.period).year}|{f.lang}"


def _pending(figure: dict, lang: str) -> dict:
    """What a chart shows until it comes into view: its own height (the page does not jump), one line of text."""
    return {
        "data": [],
        "layout": {
            "height": figure["layout"].get("height"),
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": t("chart_pending", lang), "showarrow": False, "x": 0.5, "y": 0.5}],
        },
    }


def _lazy_graph(graph_id: str, figure: dict, f: Filters, png: str) -> list:
    """A chart drawn once it comes into view (assets/markup.js): its figure waits in a store beside it.

    Below the red list, the drill-down and the chain, the region page's two charts are a 24-panel and a 10-panel
    Plotly figure — 6,000 of the page's 7,600 elements, and most of the browser's time on a region switch or a
    language toggle. Drawn when a user scrolls to them (or follows a link to them), they cost nothing before."""
    return [
        dcc.Graph(
            id=graph_id,
            className="wide-graph",
            figure=_pending(figure, f.lang),
            config=theme.graph_config(f.lang, png=png),
        ),
        dcc.Store(id=f"{graph_id}-figure", data=figure),
    ]


def chain_content(wh: Warehouse, f: Filters, region: str) -> list:
    """The causal chain, the trends and the survey estimates (below the red list and the drill-down)."""
    lang = f.lang
    chain, trends, survey = chain_parts(wh, f, region)
    assert survey is not None
    # the store the charts' coming into view sets, and this page's key: a new page watches for it anew
    lazy = {"data-charts-seen": "region-charts-seen", "data-charts-page": main_key(f, region)}
    return [
        html.Div(chain, id="region-causal"),
        # the charts of this page are drawn once one of them comes into view (assets/markup.js)
        dcc.Store(id="region-charts-seen", data=False),
        html.Section(
            [
                html.H2(t("trends_title", lang), className="section-title"),
                *_lazy_graph("region-trends", trends, f, f"tendencias_{region}"),
            ],
            className="panel",
            **lazy,
        ),
        html.Section(
            [
                html.H2(t("survey_title", lang), className="section-title"),
                html.P(
                    t("referential_note", lang, cv=fmt.number(wh.snapshot.catalogue.referential_cv, 0)),
                    className="hint",
                ),
                *_lazy_graph("region-survey", survey, f, f"endes_{region}"),
            ],
            className="panel",
            **lazy,
        ),
    ]


# A chart's figure goes from its store to the chart once the charts are in view (no request to the server).
for _graph in ("region-trends", "region-survey"):
    clientside(
        "chart",
        Output(_graph, "figure"),
        Input(f"{_graph}-figure", "data"),
        Input("region-charts-seen", "data"),
        prevent_initial_call=True,
    )


# --- page ---------------------------------------------------------------------------------------------------


def chooser(wh: Warehouse, f: Filters) -> html.Div:
    return html.Div(
        [
            html.H1(t("page_region", f.lang), className="page-title"),
            html.Ul(
                [
                    html.Li(dcc.Link(r.name, href=href(f"/region/{r.region_code}", f)))
                    for r in wh.snapshot.regions.itertuples()
                    if region_ok(wh, r.region_code)
                ],
                className="region-list",
            ),
        ]
    )


def main_key(f: Filters, region: str) -> str:
    return f"{region}|{f.program}|{f.period}|{f.lang}"


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    if arg is None or not region_ok(wh, arg):
        return html.Div([*unknown_code("unknown_region_choose", arg, f.lang), chooser(wh, f)])
    return html.Div(
        [
            dcc.Store(id="region-key", data=main_key(f, arg)),
            dcc.Store(id="region-survey-key", data=survey_key(wh, f, arg)),
            html.Div(main_content(wh, f, arg), id="region-main"),
            html.Section(html.Div(drill_content(wh, f, arg), id="region-drill"), className="panel"),
            html.Div(chain_content(wh, f, arg), id="region-chain"),
        ]
    )


@callback(
    Output("region-main", "children"),
    Output("region-causal", "children"),
    Output("region-trends-figure", "data"),
    Output("region-survey-figure", "data"),
    Output("region-key", "data"),
    Output("region-survey-key", "data"),
    Output("region-drill", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    State("region-key", "data"),
    State("region-survey-key", "data"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str, shown: str, shown_survey: str | None = None):
    """New filters: the red list, the chain and the trends only when program, period or language changed, the
    survey chart only when its year did; the drill-down always. The charts keep their components: only their
    figures travel (to their stores: drawn from there once in view)."""
    wh = context.warehouse()
    region = region_of(pathname)
    unchanged = (no_update,) * 6
    if region is None or not region_ok(wh, region):
        return *unchanged, no_update
    f = context.filters(search)
    drawn = (shown or "").split("|")
    if len(drawn) == 4 and (drawn[0] != region or drawn[3] != f.lang):
        # another region (the router draws its whole page) or language (the shell redraws every word)
        return *unchanged, no_update
    key = main_key(f, region)
    if key == shown:
        return *unchanged[:4], key, no_update, drill_content(wh, f, region)
    year = survey_key(wh, f, region)
    chain, trends, survey = chain_parts(wh, f, region, survey=year != shown_survey)
    return (
        main_content(wh, f, region),
        chain,
        trends,
        no_update if survey is None else survey,
        key,
        year,
        drill_content(wh, f, region),
    )

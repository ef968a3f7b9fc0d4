"""Región: what is red in the region and why (dashboard/views/red_list.py), the drill-down of administrative
indicators to provinces, districts and facilities (pages/region_drill.py), the region's causal chain, its monthly
trends against targets and its ENDES estimates with confidence intervals (pages/region_charts.py: drawn once they
come into view). The red list and the chain are blocks of HTML (components/markup.py): nothing inside them is a
callback's input or output, and as Dash components they were 900 of them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from .. import context
from .. import format as fmt
from ..access import region_ok
from ..callbacks import callback
from ..components.chain import causal_chain
from ..components.markup import Tag, markup
from ..components.red_list import red_items
from ..components.table_grid import download_buttons
from ..data import Warehouse
from ..i18n import t
from ..rows import tuples
from ..state import Filters, href
from ..views.charts import months_back, region_series, region_stock
from ..views.drill import DRILL_FEEDS
from ..views.indicators import region_snapshot
from ..views.red_list import region_red_list
from .not_found import unknown_code
from .region_charts import charts_content
from .region_drill import choice_stores, drill_content, region_of

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
    # Both frames come ordered by indicator, territory and period (series.sql): one pass each over the region's
    # rows, read as lists (walking the frame's text columns value by value was most of its time).
    mine = recent[(recent.territory_code == region) & (recent.period >= since)]
    for code, value in zip(mine.indicator_code.tolist(), mine.value.tolist(), strict=True):
        out.setdefault(code, []).append(value)
    annual: dict[str, list] = {}
    theirs = surveys[surveys.territory_code == region]
    for code, value in zip(theirs.indicator_code.tolist(), theirs.value.tolist(), strict=True):
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
    for r in tuples(finals):
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
            Tag(
                html.Section,
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


def chain_part(wh: Warehouse, f: Filters, region: str) -> html.Div:
    """The causal chain, one block of HTML: each indicator's box with its light, value, target, n and sparkline."""
    cat = wh.snapshot.catalogue
    lang = f.lang
    name = wh.snapshot.names.get(region, region)
    snap = region_snapshot(wh, f, region)  # the view 'region'
    period, recent, surveys = region_series(wh, f, region, country=False)
    link = breakdown_link(f, region)
    return markup(
        Tag(
            html.Section,
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
                    region_stock(wh, f, region),
                    lang,
                    lambda code: link(code, cat.indicators[code].feed),
                ),
            ],
            className="panel",
        )
    )


def chain_content(wh: Warehouse, f: Filters, region: str) -> list:
    """The causal chain, the trends and the survey estimates (below the red list and the drill-down)."""
    return [html.Div(chain_part(wh, f, region), id="region-causal"), *charts_content(wh, f, region)]


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
            *choice_stores(),
            html.Div(main_content(wh, f, arg), id="region-main"),
            html.Section(html.Div(drill_content(wh, f, arg), id="region-drill"), className="panel"),
            html.Div(chain_content(wh, f, arg), id="region-chain"),
        ]
    )


@callback(
    Output("region-main", "children"),
    Output("region-causal", "children"),
    Output("region-key", "data"),
    Output("region-drill", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    State("region-key", "data"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str, shown: str):
    """New filters: the red list and the chain only when program, period or language changed; the drill-down
    always (the charts, once drawn, follow in their own callback: pages/region_charts.py)."""
    wh = context.warehouse()
    region = region_of(pathname)
    if region is None or not region_ok(wh, region):
        return no_update, no_update, no_update, no_update
    f = context.filters(search)
    drawn = (shown or "").split("|")
    if len(drawn) == 4 and (drawn[0] != region or drawn[3] != f.lang):
        # another region (the router draws its whole page) or language (the shell redraws every word)
        return no_update, no_update, no_update, no_update
    key = main_key(f, region)
    if key == shown:
        return no_update, no_update, key, drill_content(wh, f, region)
    return main_content(wh, f, region), chain_part(wh, f, region), key, drill_content(wh, f, region)

"""The Indicador page with a region chosen in the filter bar (``?region=09``): the page stays the indicator's across
every region and singles the region out — its own value and light, its place in the ranking (its row pinned under
the country's, its point outlined) and, for what facilities report, its provinces; with a link to its breakdown on
the region's page."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from warehouse.catalogue_model import Indicator

from .. import format as fmt
from ..access import may_see, region_ok
from ..components.drill_grid import drill_grid
from ..components.notice import public_only
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import t
from ..state import Filters
from ..views.drill import DRILL_FEEDS, REGION_DRILL, drill_table
from .region import breakdown_link


def chosen_region(wh: Warehouse, f: Filters) -> str | None:
    """The region the URL singles out, if it is one the user may see (a stale or forged code is ignored, as the
    filter bar then shows the country)."""
    return f.region if f.region is not None and region_ok(wh, f.region) else None


def place(df: pd.DataFrame, ind: Indicator, region: str) -> tuple[int, int] | None:
    """(the region's place, how many regions have a value), worst first by the indicator's good direction — the
    ranking's order; None without a value."""
    regions = df[(df.territory_level == "region") & df.value.notna()]
    order = regions.sort_values("value", ascending=ind.direction != "down", kind="stable").territory_code
    codes = list(order)
    return (codes.index(region) + 1, len(codes)) if region in codes else None


def _provinces(wh: Warehouse, f: Filters, ind: Indicator, region: str) -> list:
    if ind.feed not in DRILL_FEEDS:
        return [
            html.P(
                t("drill_survey_note" if ind.feed == "survey" else "drill_budget_note", f.lang),
                className="hint",
            )
        ]
    if not may_see(wh, REGION_DRILL):
        return [public_only(f.lang)]
    # the region's provinces along the territory, whatever drill-down the URL also carries
    at_region = f.with_(indicator=ind.code, tree="territorio", province=None, district=None, facilities=None)
    rows = drill_table(wh, at_region, region, ind)
    if rows.empty:
        return [html.P(t("no_data_period", f.lang), className="hint")]
    return [
        html.H3(t("ind_region_provinces", f.lang), className="h6 mt-2"),
        drill_grid(rows, ind, "provincia", f.lang, grid_id="indicator-provinces", opens=False),
    ]


def region_panel(wh: Warehouse, f: Filters, ind: Indicator, df: pd.DataFrame, region: str) -> html.Section:
    """The region's own figure, its place among the regions and its provinces."""
    lang = f.lang
    name = wh.snapshot.names.get(region, region)
    own = df[df.territory_code == region]
    figure: list = [html.Span(t("no_data_period", lang), className="hint")]
    if len(own):
        r = own.iloc[0]
        figure = [
            light(r.status, lang, text=fmt.value(r.value, ind.unit)),
            html.Span(
                f" {fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang)}", className="ms-1"
            ),
        ]
        if not fmt.missing(r.get("denominator")) and ind.feed == "admin":
            figure.append(html.Span(f" · n = {fmt.number(r.denominator, 0)}", className="red-n"))
    ranked = place(df, ind, region)
    link = breakdown_link(f.with_(region=None), region)(ind.code, ind.feed)
    return html.Section(
        [
            html.H2(t("ind_region_title", lang, region=name), className="section-title"),
            html.P(
                [
                    *figure,
                    html.Span(
                        " · " + t("ind_region_place", lang, place=ranked[0], n=ranked[1]),
                        id="indicator-place",
                    )
                    if ranked
                    else None,
                    " · ",
                    dcc.Link(t("ind_region_open", lang, region=name), href=link, id="indicator-region-link"),
                ],
                className="mb-2",
            ),
            *_provinces(wh, f, ind, region),
        ],
        className="panel",
        id="indicator-region",
    )

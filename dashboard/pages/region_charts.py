"""The region page's two charts — its monthly trends against targets (a panel per indicator) and its ENDES estimates
with confidence intervals — drawn once they come into view.

Below the red list, the drill-down and the chain, they are a 24-panel and a 10-panel Plotly figure: three quarters
of the page's elements, most of the browser's time on a region switch or a language toggle, and a third of the
server's. Until a user scrolls to them (or follows a link to them) each shows one line at its own height;
``assets/markup.js`` then sets ``region-charts-seen`` and :func:`draw` sends both figures. Once drawn, a filter
change redraws them beside the rest of the page: the trends when program, period or language change, the survey
only when its year does. While they wait, the browser asks the server nothing about them (``when_seen`` runs in
the browser)."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, dcc, html, no_update

from warehouse.catalogue_model import Catalogue, Indicator

from .. import context, figures, theme
from .. import format as fmt
from ..access import region_ok
from ..callbacks import callback, clientside
from ..data import Warehouse
from ..figures.region import survey_height, trends_height
from ..i18n import t
from ..state import Filters
from ..views.charts import region_series
from .region_drill import region_of

SEEN = "region-charts-seen"  # the store assets/markup.js sets once the charts come into view


def chart_indicators(cat: Catalogue, program: str) -> tuple[list[Indicator], list[Indicator]]:
    """The trends' indicators (monthly: the records' and the program's budget; the input stocks) and the survey's."""
    inds = cat.indicators_for(program=program)
    # Budget per product is in each chain box; the trends keep the program's total, not six look-alike saws.
    monthly = [
        i
        for i in inds
        if i.periodicity == "monthly"
        and (i.feed == "admin" or (i.feed == "budget" and i.budget_products == ()))
    ]
    stock = [i for i in inds if i.feed == "stock"]
    return monthly + stock, [i for i in inds if i.periodicity == "annual"]


def drawn_keys(wh: Warehouse, f: Filters, region: str) -> dict[str, str]:
    """What each chart shows depends on: the trends on program, period and language; the yearly survey estimates
    on the period's year only."""
    year = wh.resolve_period(f.program, f.period).year
    return {
        "trends": f"{region}|{f.program}|{f.period}|{f.lang}",
        "survey": f"{region}|{f.program}|{year}|{f.lang}",
    }


def _pending(height: int, lang: str) -> dict:
    """A chart until it comes into view: its own height (the page does not jump), one line of text."""
    return {
        "data": [],
        "layout": {
            "height": height,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [{"text": t("chart_pending", lang), "showarrow": False, "x": 0.5, "y": 0.5}],
        },
    }


def charts_content(wh: Warehouse, f: Filters, region: str) -> list:
    """The two charts' sections, waiting to come into view."""
    lang = f.lang
    trend_inds, survey_inds = chart_indicators(wh.snapshot.catalogue, f.program)
    # the store the charts' coming into view sets, and this page's own key: a new page watches for it anew
    lazy: dict[str, Any] = {"data-charts-seen": SEEN, "data-charts-page": drawn_keys(wh, f, region)["trends"]}
    return [
        dcc.Store(id=SEEN, data=False),
        dcc.Store(id="region-charts-want"),  # the URL's query, once the charts are in view
        dcc.Store(id="region-charts-key"),  # what the drawn charts show (drawn_keys)
        html.Section(
            [
                html.H2(t("trends_title", lang), className="section-title"),
                dcc.Graph(
                    id="region-trends",
                    className="wide-graph",
                    figure=_pending(trends_height(len(trend_inds)), lang),
                    config=theme.graph_config(lang, png=f"tendencias_{region}"),
                ),
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
                dcc.Graph(
                    id="region-survey",
                    className="wide-graph",
                    figure=_pending(survey_height(len(survey_inds)), lang),
                    config=theme.graph_config(lang, png=f"endes_{region}"),
                ),
            ],
            className="panel",
            **lazy,
        ),
    ]


# In the browser: the URL's query once the charts are in view, and at each change after that; nothing before.
clientside(
    "when_seen",
    Output("region-charts-want", "data"),
    Input("url", "search"),
    Input(SEEN, "data"),
    prevent_initial_call=True,
)


@callback(
    Output("region-trends", "figure"),
    Output("region-survey", "figure"),
    Output("region-charts-key", "data"),
    Input("region-charts-want", "data"),
    State("url", "search"),
    State("url", "pathname"),
    State("region-charts-key", "data"),
    prevent_initial_call=True,
)
def draw(want: str | None, search: str, pathname: str, drawn: dict | None):
    """Both charts once they come into view; after that, each again when what it shows changes."""
    wh = context.warehouse()
    region = region_of(pathname)
    if not want or region is None or not region_ok(wh, region):
        return no_update, no_update, no_update
    f = context.filters(search)
    keys = drawn_keys(wh, f, region)
    drawn = drawn if isinstance(drawn, dict) else {}
    shown = str(drawn.get("trends", "")).split("|")
    if len(shown) == 4 and (shown[0] != region or shown[3] != f.lang):
        return no_update, no_update, no_update  # a new page is coming: the router's or the shell's
    if keys == drawn:
        return no_update, no_update, no_update  # a province, a Red: nothing the charts show
    trend_inds, survey_inds = chart_indicators(wh.snapshot.catalogue, f.program)
    name = wh.snapshot.names.get(region, region)
    _period, recent, surveys = region_series(wh, f, region)
    trends = (
        figures.trends(recent, trend_inds, region, name, f.lang)
        if keys["trends"] != drawn.get("trends")
        else no_update
    )
    survey = (
        figures.survey(surveys, survey_inds, region, name, f.lang, wh.snapshot.catalogue.referential_cv)
        if keys["survey"] != drawn.get("survey")
        else no_update
    )
    return trends, survey, keys

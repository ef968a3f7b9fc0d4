"""Resumen nacional: the map of the 26 regions, KPI cards of the headline indicators, and the scorecard matrix
of regions × key indicators for the chosen program, period and chain level."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from .. import context, theme
from .. import format as fmt
from ..callbacks import callback
from ..components.kpi import kpi_card
from ..components.region_map import (
    cells,
    choropleth,
    choropleth_patch,
    clicked_region,
    tile_map,
    tile_map_patch,
)
from ..components.scorecard import column_defs, grid_options, rows
from ..components.scorecard import scorecard as scorecard_grid
from ..components.table_grid import download_buttons
from ..components.traffic_light import legend, rules_table
from ..data import Warehouse
from ..i18n import dropdown_labels, t
from ..rows import column
from ..state import Filters, href, serialise
from ..views import indicators
from ..views.indicators import allowed_regions
from ..views.indicators import published_regions as region_codes  # every region's published figures
from .resumen_budget import budget_section


def map_indicator(wh: Warehouse, f: Filters) -> str:
    """The indicator that colours the map: the URL's, else the program's final result."""
    cat = wh.snapshot.catalogue
    ind = cat.indicators.get(f.indicator or "")
    if ind is not None and ind.program == f.program:
        return ind.code
    finals = cat.indicators_for(program=f.program, level="final_result")
    return (finals or cat.indicators_for(program=f.program))[0].code


def scorecard_indicators(wh: Warehouse, f: Filters) -> list[str]:
    cat = wh.snapshot.catalogue
    inds = cat.indicators_for(program=f.program, level=f.level)
    return [i.code for i in inds if f.level or i.key]


def _map_values(snap: list[dict], code: str, unit: str, lang: str) -> list[dict]:
    return [
        {
            "territory_code": r["territory_code"],
            "status": r["status"],
            "value_text": ("(%s)" if r["status"] == "referencial" else "%s") % fmt.value(r["value"], unit),
            "detail": ""
            if fmt.missing(r["target"])
            else f"{t('target', lang)}: {fmt.value(r['target'], unit)}",
        }
        for r in snap
        if r["indicator_code"] == code and r["territory_level"] == "region"
    ]


def _map_title(wh: Warehouse, snap: list[dict], code: str, lang: str) -> str:
    ind = wh.snapshot.catalogue.indicators[code]
    r = next((r for r in snap if r["indicator_code"] == code), None)
    when = ""
    if r is not None:
        when = " · " + fmt.period(pd.Timestamp(r["period"]).date(), r["period_grain"], lang)
    # The short name: the map panel is narrow and Plotly does not wrap titles (the dropdown names it in full).
    return f"{ind.short.get(lang)}{when}"


def map_figure(wh: Warehouse, f: Filters, snap: list[dict], patch: bool = False):
    code = map_indicator(wh, f)
    ind = wh.snapshot.catalogue.indicators[code]
    cs = cells(wh.snapshot.regions, _map_values(snap, code, ind.unit, f.lang))
    title = _map_title(wh, snap, code, f.lang)
    if wh.shapes is not None:
        return choropleth_patch(cs, f.lang, title) if patch else choropleth(wh.shapes, cs, f.lang, title)
    return tile_map_patch(cs, f.lang, title) if patch else tile_map(cs, f.lang, title)


def map_options(wh: Warehouse, f: Filters) -> list[dict]:
    return [
        {"label": i.short.get(f.lang), "value": i.code}
        for i in wh.snapshot.catalogue.indicators_for(program=f.program)
    ]


def kpis(wh: Warehouse, f: Filters, snap: list[dict]) -> list:
    cat = wh.snapshot.catalogue
    heads = sorted(
        (i for i in cat.indicators_for(program=f.program) if i.headline), key=lambda i: i.headline or 0
    )
    national = {r["indicator_code"]: r for r in snap if r["territory_code"] == "PE"}
    return [
        dbc.Col(
            kpi_card(
                i,
                national.get(i.code),
                f.lang,
                href(f"/indicador/{i.code}", f),
            ),
            xs=6,
            sm=6,
            md=4,
            xl=True,
            className="mb-2",
        )
        for i in heads
    ]


def heading(wh: Warehouse, f: Filters) -> list:
    cat = wh.snapshot.catalogue
    program = cat.programs.get(f.program)
    return [
        html.H1(t("page_resumen", f.lang), className="page-title"),
        html.P(
            f"{program.name.get(f.lang) if program else f.program} · {wh.period_label(f.program, f.period, f.lang)}",
            className="page-subtitle",
        ),
    ]


# What the KPIs, the map and the scorecard read of each snapshot row (of its 26 columns).
FIELDS = (
    "indicator_code",
    "territory_level",
    "territory_code",
    "period",
    "period_grain",
    "value",
    "target",
    "status",
    "prev_value",
    "batch_id",
)


def snapshot_rows(wh: Warehouse, f: Filters) -> list[dict]:
    """The published snapshot's rows as plain dicts of :data:`FIELDS`, read once: the KPIs, the map and the
    scorecard each pick theirs from the same list (filtering the frame for each cost more than the query)."""
    snap = indicators.snapshot(wh, f)
    return [
        dict(zip(FIELDS, row, strict=True)) for row in zip(*(column(snap[c]) for c in FIELDS), strict=True)
    ]


def _of(snap: list[dict], codes: list[str]) -> list[dict]:
    wanted = set(codes)
    return [r for r in snap if r["indicator_code"] in wanted]


def scorecard_parts(wh: Warehouse, f: Filters, snap: list[dict]) -> tuple[list, list, list]:
    """(columnDefs, rowData, pinned national row) of the scorecard."""
    cat = wh.snapshot.catalogue
    codes = scorecard_indicators(wh, f)
    regions = region_codes(wh)
    links = {r: href(f"/region/{r}", f, indicator=None) for r in allowed_regions(wh)}  # pages they may open
    data = rows(_of(snap, codes), cat, wh.snapshot.names, ["PE", *regions], f.lang, links)
    return column_defs(codes, cat, f.lang, t("region", f.lang)), data[1:], data[:1]


def legend_key(f: Filters) -> str:
    """What the legend depends on: the program's rules, in the page's language (not the period)."""
    return f"{f.program}|{f.lang}"


def legend_section(wh: Warehouse, f: Filters) -> list:
    cat = wh.snapshot.catalogue
    return [
        html.H2(t("legend_title", f.lang), className="section-title"),
        legend(f.lang, cat.referential_cv),
        rules_table(cat.indicators_for(program=f.program), cat, f.lang),
        dcc.Store(id="resumen-legend-key", data=legend_key(f)),  # the update leaves an unchanged legend alone
    ]


def budget_key(wh: Warehouse, f: Filters) -> str:
    """What the money-against-results panel depends on: the program, the year of the period, the language (a
    month of the same year draws the same chart)."""
    return f"{f.program}|{wh.resolve_period(f.program, f.period).year}|{f.lang}"


def budget_part(wh: Warehouse, f: Filters) -> list:
    """The money-against-results panel, with what it was drawn for (the update leaves an unchanged one alone)."""
    return [*budget_section(wh, f), dcc.Store(id="resumen-budget-key", data=budget_key(wh, f))]


def export_links(f: Filters) -> html.Div:
    """The scorecard's downloads (every indicator, country and regions) and its print view."""
    buttons = download_buttons("/export/resumen", f, t("scorecard_title", f.lang))
    buttons.children.append(
        html.A(
            [html.I(className="bi bi-printer me-1"), t("print_view", f.lang)],
            href=href("/imprimir", f),
            className="btn btn-sm btn-outline-secondary",
            id="print-scorecard",
            target="_blank",
        )
    )
    return buttons


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    snap = snapshot_rows(wh, f)
    cat = wh.snapshot.catalogue
    codes = scorecard_indicators(wh, f)
    regions = region_codes(wh)
    links = {r: href(f"/region/{r}", f, indicator=None) for r in allowed_regions(wh)}  # pages they may open
    return html.Div(
        [
            html.Div(heading(wh, f), id="resumen-heading"),
            dbc.Row(kpis(wh, f, snap), id="resumen-kpis", className="g-2 kpi-row"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.Section(
                                [
                                    html.H2(t("map_title", f.lang), className="section-title"),
                                    dcc.Dropdown(
                                        id="map-indicator",
                                        labels=dropdown_labels(f.lang),
                                        options=map_options(wh, f),
                                        value=map_indicator(wh, f),
                                        clearable=False,
                                        className="mb-1",
                                    ),
                                    dcc.Graph(
                                        id="region-map",
                                        figure=map_figure(wh, f, snap),
                                        config=theme.graph_config(f.lang, png="mapa_regiones"),
                                    ),
                                    html.P(t("map_hint", f.lang), className="hint"),
                                ],
                                className="panel",
                            ),
                            html.Section(budget_part(wh, f), className="panel", id="resumen-budget"),
                        ],
                        lg=5,
                    ),
                    dbc.Col(
                        html.Section(
                            [
                                html.Div(
                                    [
                                        html.H2(t("scorecard_title", f.lang), className="section-title"),
                                        export_links(f),
                                    ],
                                    className="section-head",
                                    id="resumen-exports",
                                ),
                                html.P(t("scorecard_hint", f.lang), className="hint"),
                                scorecard_grid(
                                    "scorecard",
                                    _of(snap, codes),
                                    cat,
                                    wh.snapshot.names,
                                    "PE",
                                    regions,
                                    codes,
                                    f.lang,
                                    links,
                                    t("region", f.lang),
                                ),
                            ],
                            className="panel",
                        ),
                        lg=7,
                    ),
                ],
                className="g-3",
            ),
            html.Section(legend_section(wh, f), className="panel", id="resumen-legend"),
        ]
    )


@callback(
    Output("resumen-heading", "children"),
    Output("resumen-kpis", "children"),
    Output("region-map", "figure"),
    Output("map-indicator", "value"),
    Output("map-indicator", "options"),
    Output("scorecard", "columnDefs"),
    Output("scorecard", "rowData"),
    Output("scorecard", "dashGridOptions"),
    Output("resumen-exports", "children"),
    Output("resumen-legend", "children"),
    Output("resumen-budget", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    State("resumen-legend-key", "data"),
    State("resumen-budget-key", "data"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str, legend_shown: str | None = None, budget_shown: str | None = None):
    """New filters: the map only changes colours and labels (a Patch), the legend (27 kB of rules) only with
    the program, the money against results only with the program or the year, the rest is rebuilt."""
    if pathname not in ("/", ""):
        return (no_update,) * 11
    wh = context.warehouse()
    f = context.filters(search)
    snap = snapshot_rows(wh, f)
    code = map_indicator(wh, f)
    figure = map_figure(wh, f, snap, patch=True)  # same traces whatever the filters: only values change
    cols, data, pinned = scorecard_parts(wh, f, snap)
    options = map_options(wh, f)
    return (
        heading(wh, f),
        kpis(wh, f, snap),
        figure,
        code,
        options,
        cols,
        data,
        grid_options(pinned, f.lang),
        [html.H2(t("scorecard_title", f.lang), className="section-title"), export_links(f)],
        no_update if legend_shown == legend_key(f) else legend_section(wh, f),
        no_update if budget_shown == budget_key(wh, f) else budget_part(wh, f),
    )


@callback(
    Output("url", "pathname", allow_duplicate=True),
    Input("region-map", "clickData"),
    prevent_initial_call=True,
)
def open_region(click):
    code = clicked_region(click)
    return f"/region/{code}" if code else no_update


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("map-indicator", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose_map_indicator(code, search):
    f = context.filters(search)
    if code == map_indicator(context.warehouse(), f):
        return no_update
    return serialise(f.with_(indicator=code)) or "?"

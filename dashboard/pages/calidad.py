"""Calidad de datos: whether the lights can be trusted. Completeness and timeliness of monthly reporting as their own
lights and as a heat-map of territories × months; the units that did not report; suspect values with their reason;
records against the survey; and where every figure comes from (load history, quarantined rows). The country at
/calidad (regions), a region at /calidad/<code> (its provinces). Same filters and URL state as the other pages."""

from __future__ import annotations

from typing import NamedTuple

import dash_bootstrap_components as dbc
import pandas as pd
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update
from dash.exceptions import PreventUpdate

from .. import context
from .. import format as fmt
from ..access import may_see
from ..callbacks import callback, clientside
from ..components.attrs import ARIA_POLITE
from ..components.heatmap import heatmap
from ..components.kpi import figure_card
from ..components.markup import markup
from ..components.paged_grid import BadRequest, first_page, first_request, paged_grid, rows_page
from ..components.table_grid import panel
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import scope_name, t
from ..state import TREES, Filters, href, parse
from ..views import View, frame
from ..views.quality import (
    QUALITY_BATCHES,
    QUALITY_COMPLETENESS,
    QUALITY_MISSING,
    QUALITY_OUTLIERS,
    QUALITY_QUARANTINE,
    QUALITY_TRIANGULATION,
)
from ..views.quality_rows import completeness_light, quality_parent
from .region import regional_arg

PATH = "/calidad"


def _grid_panel(
    wh: Warehouse,
    grid_id: str,
    title: str,
    f: Filters,
    region: str | None,
    rows: pd.DataFrame | None = None,
) -> html.Section:
    """A table's panel: its downloads, notes, how many rows it has and its grid, with its first page (the rest
    asked of :func:`grid_rows` as it is sorted, filtered or turned). A list with no rows says so, with no grid:
    an empty grid costs the browser as much to draw as a full one, and a filter change draws the page anew.
    ``rows``: the view's rows when the page has them already."""
    table = GRIDS[grid_id]
    first = first_rows(wh, grid_id, f, region, rows)
    text, kind = count_line(grid_id, first, f.lang)
    count = html.P(text, id=f"{grid_id}-count", className=kind, **ARIA_POLITE)
    grid = [paged_grid(grid_id, table, f.lang), *first_page(grid_id, first.answer, [text, kind])]
    return panel(
        title, table, f, region, [count, *(grid if first.total else [])], f"{grid_id}-panel", notes=True
    )


def first_rows(
    wh: Warehouse, grid_id: str, f: Filters, region: str | None, rows: pd.DataFrame | None = None
) -> GridPage:
    """A grid's first page, as its first request asks it, and how many rows its view has (``rows``: the view's
    rows, when the caller has them)."""
    view = GRIDS[grid_id]
    if rows is None:
        rows = frame(view, wh, f, region)
    return GridPage(rows_page(view, rows, first_request(), f.lang), len(rows))


def _share(part: float, whole: float) -> float | None:
    return None if not whole else 100.0 * part / whole


def kpis(
    wh: Warehouse, f: Filters, completeness: pd.DataFrame, gaps: tuple[int, int | None], suspect: int
) -> list:
    """The territory's own completeness and timeliness in the month: its children's reports summed, lit by the
    same rule (completeness_light's bounds, from the catalogue)."""
    period = wh.resolve_period(f.program, f.period)
    month = (
        completeness[pd.to_datetime(completeness.period).dt.date == period]
        if len(completeness)
        else completeness
    )
    cards = []
    for label, part, whole in (
        (
            t("completeness", f.lang),
            month.reporting.sum() if len(month) else 0,
            month.expected.sum() if len(month) else 0,
        ),
        (
            t("timeliness", f.lang),
            month.on_time.sum() if len(month) else 0,
            month.received.sum() if len(month) else 0,
        ),
    ):
        pct = _share(part, whole)
        code = completeness_light(wh, pct)
        cards.append(
            figure_card(
                label,
                [
                    html.Div(fmt.value(pct, "pct"), className="kpi-value"),
                    light(code, f.lang, small=True),
                    html.Div(f"{fmt.number(part, 0)} / {fmt.number(whole, 0)}", className="kpi-target"),
                ],
            )
        )
    cards.append(
        figure_card(t("suspect_values", f.lang), [html.Div(fmt.number(suspect, 0), className="kpi-value")])
    )
    count, year = gaps
    cards.append(
        figure_card(
            t("survey_gaps", f.lang) + (f" ({year})" if year else ""),
            [html.Div(fmt.number(count, 0), className="kpi-value")],
        )
    )
    return cards


def tree_links(f: Filters, region: str) -> html.P:
    """The heat-map's tree: the region's provinces or its Reds (?arbol=red), one link to the other."""
    links = []
    for tree in TREES:
        label = t(f"tree_{tree}", f.lang)
        links.append(
            html.Strong(label)
            if tree == f.tree
            else dcc.Link(
                label, href=href(f"{PATH}/{region}", f, tree=tree, province=None, district=None, red=None)
            )
        )
    return html.P([f"{t('tree', f.lang)}: ", links[0], " · ", links[1]], className="hint", id="quality-tree")


def content(wh: Warehouse, f: Filters, region: str | None) -> list:
    lang = f.lang
    name = scope_name(wh, region, lang)
    parent = quality_parent(wh, f, region)
    if region is not None and parent != region:  # the country's heat-map is always of its regions
        name += " · " + (
            wh.snapshot.network_name(region, parent)
            if f.tree == "red"
            else wh.snapshot.names.get(parent, parent)
        )

    def link(code: str) -> str | None:
        """A row opens its breakdown: a region its provinces (Reds), a province its districts (a Red its
        MicroRedes)."""
        if region is None:
            return href(f"{PATH}/{code}", f, province=None, district=None, red=None, microred=None)
        if parent != region:
            return None
        return (
            href(f"{PATH}/{region}", f, red=code)
            if f.tree == "red"
            else href(f"{PATH}/{region}", f, province=code)
        )

    period = wh.resolve_period(f.program, f.period)
    month = fmt.month(period, lang)
    titles = {
        "quality-missing": t("missing_title", lang, month=month),
        "quality-outliers": t("outliers_title", lang, month=month),
        "quality-triangulation": t("triangulation_title", lang),
    }
    # The heat-maps' rows and each list's (its first page, its count and the KPIs' counts read them), read at once.
    completeness, *listed = wh.together(
        lambda: frame(QUALITY_COMPLETENESS, wh, f, region),
        *(lambda view=GRIDS[grid_id]: frame(view, wh, f, region) for grid_id in titles),
    )
    lists = dict(zip(titles, listed, strict=True))
    triangulation = lists["quality-triangulation"]
    latest = (
        triangulation[triangulation.year == triangulation.year.max()] if len(triangulation) else triangulation
    )
    gaps = (
        int(latest.outside_ci.fillna(False).astype(bool).sum()),
        int(latest.year.max()) if len(latest) else None,
    )
    grids = [  # the lists, each with its first page (the suspect values' count is also a KPI)
        _grid_panel(wh, grid_id, title, f, region, lists[grid_id]) for grid_id, title in titles.items()
    ]
    suspect = len(lists["quality-outliers"])
    # What no callback writes inside (title, heat-maps: about 700 elements) goes as one block of HTML each: every
    # Dash component costs the browser a wrapper to mount and a check at each callback answer.
    return [
        markup(
            [
                html.H1(f"{t('page_calidad', lang)} · {name}", className="page-title"),
                html.P(t("quality_sub", lang, month=month), className="page-subtitle"),
            ]
        ),
        dbc.Row(kpis(wh, f, completeness, gaps, suspect), className="g-2 kpi-row", id="quality-kpis"),
        markup(
            panel(
                t("completeness_title", lang),
                QUALITY_COMPLETENESS,
                f,
                region,
                [
                    *([tree_links(f, region)] if region else []),
                    html.H3(t("completeness", lang), className="chart-title"),
                    heatmap(completeness, "completeness_pct", "completeness_status", f, link),
                    html.H3(t("timeliness", lang), className="chart-title"),
                    heatmap(completeness, "timeliness_pct", "timeliness_status", f, link),
                ],
                "quality-completeness",
                notes=True,
            )
        ),
        *grids,
    ]


def _history_filters(lang: str) -> Filters:
    """The load history's and quarantine's filters: whatever the page's, the whole warehouse in the language."""
    return parse("?lang=en" if lang == "en" else "")


def history(wh: Warehouse, lang: str) -> list:
    """Where every figure comes from (administrators): the load history and the quarantined rows, of the whole
    warehouse whatever the filters — so drawn with the page and left alone by its filter changes; their
    downloads carry the language only."""
    if not (may_see(wh, QUALITY_BATCHES) and may_see(wh, QUALITY_QUARANTINE)):
        return []
    f = _history_filters(lang)
    return [
        _grid_panel(wh, "quality-batches", t("batches_title", lang), f, None),
        _grid_panel(wh, "quality-quarantine", t("quarantine_title", lang), f, None),
    ]


def page_content(wh: Warehouse, f: Filters, arg: str | None) -> list:
    region, notice = regional_arg(wh, f, arg)
    return notice + content(wh, f, region)


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    return html.Div(
        [
            html.Div(page_content(wh, f, arg), id="quality-page"),
            html.Div(history(wh, f.lang), id="quality-history"),
            dcc.Store(id="quality-grids", data=sorted(set(GRIDS) - HISTORY)),
        ]
    )


@callback(
    Output("quality-page", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str):
    parts = [p for p in (pathname or "").split("/") if p]
    if not parts or parts[0] != PATH.strip("/"):
        return no_update
    return page_content(context.warehouse(), context.filters(search), parts[1] if len(parts) > 1 else None)


# The page's grids, each answering its pages from its view's rows with the page's filters (the history's: the
# language only). What a page shows is what its URL means, so a rows request reads the URL, as the page does.
GRIDS: dict[str, View] = {
    "quality-missing": QUALITY_MISSING,
    "quality-outliers": QUALITY_OUTLIERS,
    "quality-triangulation": QUALITY_TRIANGULATION,
    "quality-batches": QUALITY_BATCHES,
    "quality-quarantine": QUALITY_QUARANTINE,
}
HISTORY = frozenset({"quality-batches", "quality-quarantine"})


EMPTY = {"quality-quarantine": "quarantine_none"}  # a grid's words when it has no rows (else no_data_period)


class GridPage(NamedTuple):
    answer: dict  # the grid's getRowsResponse
    total: int  # the view's rows before the grid's filters


def grid_rows(grid_id: str, request: dict | None, search: str | None, pathname: str | None) -> GridPage:
    """One page of a grid's rows (``request``: the grid's getRowsRequest) for the page at ``pathname``?``search``."""
    if not request:
        raise PreventUpdate
    view = GRIDS[grid_id]
    wh, f = context.warehouse(), context.filters(search)
    if grid_id in HISTORY:
        f, region = _history_filters(f.lang), None
    else:
        parts = [p for p in (pathname or "").split("/") if p]
        region, _ = regional_arg(wh, f, parts[1] if len(parts) > 1 else None)
    rows = frame(view, wh, f, region)
    try:
        return GridPage(rows_page(view, rows, request, f.lang), len(rows))
    except BadRequest as e:  # only a script sends one: nothing to answer
        raise PreventUpdate from e


def count_line(grid_id: str, page: GridPage, lang: str) -> tuple[str, str]:
    """The line above a grid: how many rows it has (with the grid's filters: how many pass), or that it has
    none; and its class (``grid-empty`` then)."""
    n, shown = page.total, page.answer["rowCount"]
    if not n:
        return t(EMPTY.get(grid_id, "no_data_period"), lang), "hint grid-count grid-empty"
    if shown != n:
        return t(
            "grid_count_filtered", lang, shown=fmt.number(shown, 0), n=fmt.number(n, 0)
        ), "hint grid-count"
    return t("grid_count", lang, n=fmt.number(n, 0)), "hint grid-count"


def _rows_callback(grid_id: str) -> None:
    told = [Output(f"{grid_id}-count", "children"), Output(f"{grid_id}-count", "className")]
    # the grid's first page, sent with the page, answered in the browser; any other request goes to the server
    clientside(
        ClientsideFunction("calidad", "firstPage"),
        Output(grid_id, "getRowsResponse", allow_duplicate=True),
        *[Output(o.component_id, o.component_property, allow_duplicate=True) for o in told],
        Output(f"{grid_id}-ask", "data"),
        Input(grid_id, "getRowsRequest"),
        State(f"{grid_id}-first", "data"),
        prevent_initial_call=True,
    )

    @callback(
        Output(grid_id, "getRowsResponse"),
        *told,
        Input(f"{grid_id}-ask", "data"),
        State("url", "search"),
        State("url", "pathname"),
        prevent_initial_call=True,
    )
    def rows(request: dict | None, search: str | None, pathname: str | None) -> tuple:
        page = grid_rows(grid_id, request, search, pathname)
        if request and request.get("startRow"):  # a later page: the count is told already
            return page.answer, no_update, no_update
        return page.answer, *count_line(grid_id, page, context.filters(search).lang)


for _grid in GRIDS:
    _rows_callback(_grid)

# A filter change redraws the page: its grids empty their pages, and ask again (assets/calidad.js).
clientside(
    ClientsideFunction("calidad", "refreshGrids"),
    Output("quality-grids", "data"),
    Input("quality-page", "children"),
    State("quality-grids", "data"),
    prevent_initial_call=True,
)

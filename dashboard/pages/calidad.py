"""Calidad de datos: whether the lights can be trusted. Completeness and timeliness of monthly reporting as their own
lights and as a heat-map of territories × months; the units that did not report; suspect values with their reason;
records against the survey; and where every figure comes from (load history, quarantined rows). The country at
/calidad (regions), a region at /calidad/<code> (its provinces). Same filters and URL state as the other pages."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from warehouse.rules import status

from .. import context
from .. import format as fmt
from ..access import may_see
from ..callbacks import callback
from ..components.kpi import figure_card
from ..components.table_grid import panel, table_grid
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
    grid_id: str,
    title: str,
    table: View,
    df: pd.DataFrame,
    f: Filters,
    region: str | None,
    empty: str | None = None,
) -> html.Section:
    """A table's panel: its grid, downloads and notes."""
    body = [table_grid(grid_id, table, df, f.lang, empty)]
    return panel(title, table, f, region, body, f"{grid_id}-panel", notes=True)


def _share(part: float, whole: float) -> float | None:
    return None if not whole else 100.0 * part / whole


def kpis(
    wh: Warehouse, f: Filters, completeness: pd.DataFrame, outliers: int, gaps: tuple[int, int | None]
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
        figure_card(t("suspect_values", f.lang), [html.Div(fmt.number(outliers, 0), className="kpi-value")])
    )
    count, year = gaps
    cards.append(
        figure_card(
            t("survey_gaps", f.lang) + (f" ({year})" if year else ""),
            [html.Div(fmt.number(count, 0), className="kpi-value")],
        )
    )
    return cards


def heatmap(df: pd.DataFrame, value: str, state: str, f: Filters, link) -> html.Div | html.P:
    """Territories × months, each cell its share and light (colour, glyph and a tooltip with the counts)."""
    if df.empty:
        return html.P(t("no_data_period", f.lang), className="hint")
    months = sorted(pd.to_datetime(df.period).dt.date.unique())
    cells = {(r.territory_code, pd.Timestamp(r.period).date()): r for r in df.itertuples()}
    names = dict(zip(df.territory_code, df.name, strict=False))
    order = list(dict.fromkeys(df.territory_code))
    head = html.Tr(
        [html.Th(t("territory", f.lang))]
        + [html.Th(fmt.month(m, f.lang, short=True), className="heat-month") for m in months]
    )
    rows = []
    for code in order:
        label = names[code]
        target = link(code)
        first = html.Th(html.A(label, href=target)) if target else html.Th(label, className="heat-name")
        tds = []
        for m in months:
            r = cells.get((code, m))
            if r is None:
                tds.append(html.Td("", className="heat light-sin_datos"))
                continue
            s = status(getattr(r, state))
            tip = (
                f"{label} · {fmt.month(m, f.lang)} · {s.label.get(f.lang)} · "
                f"{t('reports_received', f.lang)} {fmt.number(r.reporting, 0)} / {fmt.number(r.expected, 0)} · "
                f"{t('on_time', f.lang)} {fmt.number(r.on_time, 0)}"
            )
            tds.append(
                html.Td(
                    f"{s.glyph} {fmt.number(getattr(r, value), 0)}",
                    className=f"heat light-{s.code}",
                    title=tip,
                )
            )
        rows.append(html.Tr([first, *tds]))
    return html.Div(
        html.Table([html.Thead(head), html.Tbody(rows)], className="heatmap"), className="heat-wrap"
    )


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
    completeness = frame(QUALITY_COMPLETENESS, wh, f, region)
    missing = frame(QUALITY_MISSING, wh, f, region)
    outliers = frame(QUALITY_OUTLIERS, wh, f, region)
    triangulation = frame(QUALITY_TRIANGULATION, wh, f, region)
    latest = (
        triangulation[triangulation.year == triangulation.year.max()] if len(triangulation) else triangulation
    )
    gaps = (
        int(latest.outside_ci.fillna(False).astype(bool).sum()),
        int(latest.year.max()) if len(latest) else None,
    )
    month = fmt.month(period, lang)
    sections = [
        html.H1(f"{t('page_calidad', lang)} · {name}", className="page-title"),
        html.P(
            t("quality_sub", lang, month=month),
            className="page-subtitle",
        ),
        dbc.Row(kpis(wh, f, completeness, len(outliers), gaps), className="g-2 kpi-row", id="quality-kpis"),
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
        ),
        _grid_panel(
            "quality-missing", t("missing_title", lang, month=month), QUALITY_MISSING, missing, f, region
        ),
        _grid_panel(
            "quality-outliers", t("outliers_title", lang, month=month), QUALITY_OUTLIERS, outliers, f, region
        ),
        _grid_panel(
            "quality-triangulation",
            t("triangulation_title", lang),
            QUALITY_TRIANGULATION,
            triangulation,
            f,
            region,
        ),
    ]
    return sections


def history(wh: Warehouse, lang: str) -> list:
    """Where every figure comes from (administrators): the load history and the quarantined rows, of the whole
    warehouse whatever the filters — so drawn with the page and left alone by its filter changes (their 50 kB
    of batches at national scale are not sent again with each one); their downloads carry the language only."""
    if not (may_see(wh, QUALITY_BATCHES) and may_see(wh, QUALITY_QUARANTINE)):
        return []
    f = parse("?lang=en" if lang == "en" else "")
    return [
        _grid_panel(
            "quality-batches",
            t("batches_title", lang),
            QUALITY_BATCHES,
            frame(QUALITY_BATCHES, wh, f, None),
            f,
            None,
        ),
        _grid_panel(
            "quality-quarantine",
            t("quarantine_title", lang),
            QUALITY_QUARANTINE,
            frame(QUALITY_QUARANTINE, wh, f, None),
            f,
            None,
            empty=t("quarantine_none", lang),
        ),
    ]


def page_content(wh: Warehouse, f: Filters, arg: str | None) -> list:
    region, notice = regional_arg(wh, f, arg)
    return notice + content(wh, f, region)


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    return html.Div(
        [
            html.Div(page_content(wh, f, arg), id="quality-page"),
            html.Div(history(wh, f.lang), id="quality-history"),
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

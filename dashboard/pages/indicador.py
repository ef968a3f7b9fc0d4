"""Indicador: one indicator across all regions — ranking with confidence intervals, small-multiple trends, a
table, and the indicator's definition from the catalogue."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from warehouse.catalogue_model import Indicator
from warehouse.rules import describe_rule, status

from .. import context, figures, theme
from .. import format as fmt
from ..callbacks import callback
from ..components.scorecard import GRID_THEME, ONE_DECIMAL
from ..components.table_grid import download_buttons
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import level_name, t
from ..state import Filters, href
from ..views.charts import indicator_history as history
from ..views.indicators import indicator_of
from ..views.indicators import indicator_snapshot as table
from ..views.indicators import published_regions as regions


def definition(wh: Warehouse, ind: Indicator, lang: str) -> html.Dl:
    cat = wh.snapshot.catalogue
    target_el = cat.elements.get(ind.contributes_to)
    items = [
        (t("indicator", lang), f"{ind.name.get(lang)} ({ind.code})"),
        (t("level", lang), level_name(ind.level, lang)),
        (t("numerator", lang), ind.numerator.get(lang)),
        (t("denominator", lang), ind.denominator.get(lang)),
        (t("unit", lang), {"pct": "%", "per_1000": "‰", "count": "n"}[ind.unit]),
        (t("direction", lang), t(f"direction_{ind.direction}", lang)),
        (t("periodicity", lang), t(ind.periodicity, lang)),
        (t("source", lang), ind.source.name.get(lang)),
        (t("rule", lang), describe_rule(ind, cat, lang)),
    ]
    if ind.method:
        items.append((t("method", lang), ind.method.get(lang)))
    if target_el:
        items.append((t("contributes_to", lang), target_el.objective.get(lang)))
    return html.Dl([part for k, v in items for part in (html.Dt(k), html.Dd(v))], className="definition")


def _table_rows(df: pd.DataFrame, ind: Indicator, names: dict[str, str], lang: str) -> list[dict]:
    out = []
    for r in df.itertuples():
        s = status(r.status)
        out.append(
            {
                "name": names.get(r.territory_code, r.territory_code),
                "code": r.territory_code,
                # Rounded once, as the status badge shows it (47.249 → 47.2, not 47.25 → 47.3 in the grid).
                "value": None if fmt.missing(r.value) else round(float(r.value), 1),
                "value_text": ("(%s)" if r.status == "referencial" else "%s") % fmt.value(r.value, ind.unit),
                "ci": "" if fmt.missing(r.ci_low) else f"{fmt.number(r.ci_low)} – {fmt.number(r.ci_high)}",
                "cv": None if fmt.missing(r.cv) else round(float(r.cv), 1),
                "target": None if fmt.missing(r.target) else round(float(r.target), 1),
                "prev": None if fmt.missing(r.prev_value) else round(float(r.prev_value), 1),
                "period": fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang, short=True),
                "status": s.code,
                "status_label": s.label.get(lang),
                "status_icon": s.icon,
                "status_rank": s.rank,
            }
        )
    return out


def grid(df: pd.DataFrame, ind: Indicator, names: dict[str, str], lang: str) -> dag.AgGrid:
    data = _table_rows(df, ind, names, lang)
    national = [r for r in data if r["code"] == "PE"]
    cols = [
        {"headerName": t("region", lang), "field": "name", "pinned": "left", "minWidth": 170, "filter": True},
        {
            "headerName": t("status", lang),
            "field": "status_rank",
            "cellRenderer": "LightCell",
            "minWidth": 200,
        },
        {
            "headerName": t("value", lang),
            "field": "value",
            "type": "numericColumn",
            "width": 100,
            "sort": "desc" if ind.direction == "down" else "asc",
            "valueFormatter": ONE_DECIMAL,
        },
        {"headerName": t("ci95", lang), "field": "ci", "width": 130},
        {
            "headerName": "CV %",
            "field": "cv",
            "type": "numericColumn",
            "width": 90,
            "valueFormatter": ONE_DECIMAL,
        },
        {
            "headerName": t("target", lang),
            "field": "target",
            "type": "numericColumn",
            "width": 90,
            "valueFormatter": ONE_DECIMAL,
        },
        {
            "headerName": t("previous", lang).capitalize(),
            "field": "prev",
            "type": "numericColumn",
            "width": 100,
            "valueFormatter": ONE_DECIMAL,
        },
        {"headerName": t("period", lang), "field": "period", "width": 110},
    ]
    return dag.AgGrid(
        id="indicator-grid",
        columnDefs=cols,
        rowData=[r for r in data if r["code"] != "PE"],
        defaultColDef={"resizable": True, "sortable": True, "suppressHeaderMenuButton": True},
        dashGridOptions={
            "pinnedTopRowData": national,
            "theme": GRID_THEME,
            "loadThemeGoogleFonts": False,
            "domLayout": "autoHeight",
            "suppressCellFocus": True,
            "enableCellTextSelection": True,
        },
        style={"width": "100%"},
    )


def content(wh: Warehouse, f: Filters, ind: Indicator) -> list:
    lang = f.lang
    names = wh.snapshot.names
    df = table(wh, f, ind)
    hist = history(wh, f, ind)
    region_list = [(c, names.get(c, c)) for c in regions(wh)]
    nat = df[df.territory_code == "PE"]
    head = []
    if len(nat):
        r = nat.iloc[0]
        head = [
            light(r.status, lang, text=fmt.value(r.value, ind.unit)),
            html.Span(
                f" {t('national', lang)} · {fmt.period(pd.Timestamp(r.period).date(), r.period_grain, lang)}",
                className="ms-2",
            ),
        ]
    exports = download_buttons(f"/export/indicador/{ind.code}", f, ind.short.get(lang))
    return [
        html.H1(ind.name.get(lang), className="page-title"),
        html.P(head, className="page-subtitle"),
        dbc.Row(
            [
                dbc.Col(
                    html.Section(
                        [
                            html.H2(t("ranking_title", lang), className="section-title"),
                            dcc.Graph(
                                id="indicator-ranking",
                                className="wide-graph",
                                figure=figures.ranking(df, ind, names, lang),
                                config=theme.graph_config(f.lang, png=f"ranking_{ind.code}"),
                            ),
                        ],
                        className="panel",
                    ),
                    lg=7,
                ),
                dbc.Col(
                    html.Section(
                        [
                            html.H2(t("definition_title", lang), className="section-title"),
                            definition(wh, ind, lang),
                        ],
                        className="panel",
                    ),
                    lg=5,
                ),
            ],
            className="g-3",
        ),
        html.Section(
            [
                html.Div(
                    [html.H2(t("table_title", lang), className="section-title"), exports],
                    className="section-head",
                ),
                grid(df, ind, names, lang),
            ],
            className="panel",
        ),
        html.Section(
            [
                html.H2(t("multiples_title", lang), className="section-title"),
                dcc.Graph(
                    id="indicator-multiples",
                    className="wide-graph",
                    figure=figures.multiples(hist, ind, region_list, lang),
                    config=theme.graph_config(f.lang, png=f"regiones_{ind.code}"),
                ),
            ],
            className="panel",
        ),
    ]


def chooser(wh: Warehouse, f: Filters) -> list:
    cat = wh.snapshot.catalogue
    groups = []
    for level in ("final_result", "intermediate_result", "product", "critical_input", "budget"):
        inds = cat.indicators_for(program=f.program, level=level)
        if inds:
            groups.append(
                html.Div(
                    [
                        html.H3(level_name(level, f.lang)),
                        html.Ul(
                            [
                                html.Li(dcc.Link(i.name.get(f.lang), href=href(f"/indicador/{i.code}", f)))
                                for i in inds
                            ]
                        ),
                    ]
                )
            )
    return [html.H1(t("page_indicador", f.lang), className="page-title"), *groups]


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    ind = indicator_of(wh, arg)
    return html.Div(content(wh, f, ind) if ind else chooser(wh, f), id="indicator-body")


@callback(
    Output("indicator-body", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str):
    parts = [p for p in (pathname or "").split("/") if p]
    if not parts or parts[0] != "indicador":
        return no_update
    wh = context.warehouse()
    f = context.filters(search)
    ind = indicator_of(wh, parts[1] if len(parts) == 2 else None)
    return content(wh, f, ind) if ind else chooser(wh, f)

"""Indicador: one indicator across all regions — ranking with confidence intervals, small-multiple trends, a
table, and the indicator's definition from the catalogue; with a region chosen (``?region=``), that region singled
out on the same page (pages/indicador_region.py)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from warehouse.catalogue_model import Indicator
from warehouse.rules import describe_rule

from .. import context, figures, theme
from .. import format as fmt
from ..callbacks import callback
from ..components.table_grid import panel, table_grid
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import level_name, t
from ..state import Filters, href
from ..views.charts import indicator_history as history
from ..views.indicators import INDICATOR, indicator_of, indicator_screen
from ..views.indicators import indicator_snapshot as table
from ..views.indicators import published_regions as regions
from .indicador_region import chosen_region, region_panel
from .not_found import unknown_code


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


def grid(wh: Warehouse, f: Filters, ind: Indicator, region: str | None = None) -> html.Section:
    """The table of the view ``indicador`` with its downloads: the country pinned on top (and the region chosen
    under it), the regions worst first."""
    df = indicator_screen(wh, f, ind)
    if region is not None:  # pinned rows keep the frame's order: the country's first, then the region's
        df = df.sort_values("territory_code", key=lambda c: c != "PE", kind="stable")
    worst_first = "desc" if ind.direction == "down" else "asc"
    return panel(
        t("table_title", f.lang),
        INDICATOR,
        f,
        ind.code,
        [
            table_grid(
                "indicator-grid",
                INDICATOR,
                df,
                f.lang,
                pinned=df.territory_code.isin(["PE", region]),
                sort=("value", worst_first),
                fit=True,
            )
        ],
        "indicator-table",
    )


def content(wh: Warehouse, f: Filters, ind: Indicator) -> list:
    lang = f.lang
    names = wh.snapshot.names
    df = table(wh, f, ind)
    region = chosen_region(wh, f)
    hist = history(wh, f, ind)
    region_list = [(c, names.get(c, c)) for c in regions(wh)]
    nat = df[df.territory_code == "PE"]
    when = (  # the data's own period (a survey's year), not the month chosen
        fmt.period(pd.Timestamp(nat.period.iloc[0]).date(), nat.period_grain.iloc[0], lang)
        if len(nat)
        else wh.period_label(ind.program, f.period, lang)
    )
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
    return [
        html.H1(ind.name.get(lang), className="page-title"),
        html.P(head, className="page-subtitle"),
        region_panel(wh, f, ind, df, region) if region else None,
        dbc.Row(
            [
                dbc.Col(
                    html.Section(
                        [
                            html.H2(t("ranking_title", lang), className="section-title"),
                            dcc.Graph(
                                id="indicator-ranking",
                                className="wide-graph",
                                figure=figures.stamped(
                                    figures.ranking(df, ind, names, lang, highlight=region),
                                    f"{ind.name.get(lang)} · {when}",
                                    t("chart_source", lang, source=ind.source.name.get(lang), period=when),
                                ),
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
        grid(wh, f, ind, region),
        html.Section(
            [
                html.H2(t("multiples_title", lang), className="section-title"),
                dcc.Graph(
                    id="indicator-multiples",
                    className="wide-graph",
                    figure=figures.stamped(
                        figures.multiples(hist, ind, region_list, lang),
                        ind.name.get(lang),
                        t("chart_source", lang, source=ind.source.name.get(lang), period=when),
                    ),
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
    return html.Div(content(wh, f, ind) if ind else _unknown(wh, f, arg), id="indicator-body")


def _unknown(wh: Warehouse, f: Filters, code: str | None) -> list:
    return [*unknown_code("unknown_indicator_choose", code, f.lang), *chooser(wh, f)]


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
    code = parts[1] if len(parts) == 2 else None
    ind = indicator_of(wh, code)
    return content(wh, f, ind) if ind else _unknown(wh, f, code)

"""Presupuesto: where a program's money went product by product, how fast it executed against the month of the fiscal
year, what it bought in coverage and at what cost per beneficiary, per region and executing unit, and how changes
in budget per child compare with changes in coverage and in the final result across years. The country at
/presupuesto, a region at /presupuesto/<code>. Every table downloads as CSV, Excel and JSON with these filters."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import flask
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update
from dash.development.base_component import Component

from .. import context, figures, theme
from .. import format as fmt
from ..access import region_ok
from ..callbacks import callback
from ..components.kpi import figure_card
from ..components.notice import public_only
from ..components.table_grid import export_buttons, table_grid
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import scope_name, t
from ..state import Filters, href, serialise
from ..views import View, frame
from ..views.budget import (
    BUDGET_CHANGE,
    BUDGET_MONTHS,
    BUDGET_NETWORK,
    BUDGET_PRODUCTS,
    BUDGET_REGIONS,
    BUDGET_UNITS,
)
from ..views.budget_rows import BudgetScope, budget_scope, change_years
from .region import regional_arg

PATH = "/presupuesto"


def region_of(wh: Warehouse, arg: str | None) -> str | None:
    return arg if region_ok(wh, arg) else None


def path_of(region: str | None) -> str:
    return f"{PATH}/{region}" if region else PATH


def _panel(
    title: str, table: View | None, f: Filters, region: str | None, body: list, anchor: str
) -> html.Section:
    head: list[Component] = [html.H2(title, className="section-title")]
    if table is not None:
        head.append(export_buttons(table, f, region, f.lang))
    return html.Section([html.Div(head, className="section-head"), *body], className="panel", id=anchor)


def months_text(last: int, lang: str) -> str:
    """'enero a setiembre', or 'enero' alone for a cut-off in January."""
    names = fmt.MONTHS[lang]
    return names[0] if last == 1 else t("months_range", lang, first=names[0], last=names[last - 1])


def heading(wh: Warehouse, f: Filters, region: str | None, scope: BudgetScope | None) -> list:
    cat = wh.snapshot.catalogue
    program = cat.programs.get(f.program)
    territory = scope_name(wh, region, f.lang)
    out: list[Component] = [
        html.H1(t("page_presupuesto", f.lang) + f" · {territory}", className="page-title")
    ]
    if scope is not None:
        out.append(
            html.P(
                t(
                    "budget_sub",
                    f.lang,
                    program=program.name.get(f.lang) if program else f.program,
                    territory=territory,
                    months=months_text(scope.month, f.lang),
                    year=scope.year,
                ),
                className="page-subtitle",
            )
        )
    link = (
        flask.request.host_url.rstrip("/") + href(path_of(region), f) if flask.has_request_context() else ""
    )
    out.append(
        html.Div(
            [
                html.Span(
                    [dcc.Clipboard(content=link, className="d-inline-block me-1"), t("copy_link", f.lang)],
                    className="btn btn-sm btn-outline-secondary me-2",
                    id="copy-link",
                    title=link,
                ),
            ],
            className="mb-2",
        )
    )
    return out


def kpis(
    wh: Warehouse, f: Filters, scope: BudgetScope, products: pd.DataFrame, regions: pd.DataFrame
) -> list:
    total = products[products.product_code.isna()]
    if total.empty:
        return []
    r = total.iloc[0]
    cards = [
        figure_card(label, [html.Div(fmt.soles(r[key]), className="kpi-value kpi-money")])
        for key, label in (
            ("pia", "PIA"),
            ("pim", "PIM"),
            ("certificado", "Certificado" if f.lang != "en" else "Certified"),
            ("comprometido_anual", "Compromiso anual" if f.lang != "en" else "Annual commitment"),
            ("devengado", "Devengado" if f.lang != "en" else "Accrued"),
            ("girado", "Girado" if f.lang != "en" else "Paid"),
        )
    ]
    month = fmt.MONTHS[f.lang][scope.month - 1]
    cards.append(
        figure_card(
            t("execution", f.lang),
            [
                html.Div(fmt.value(r.execution_pct, "pct"), className="kpi-value"),
                light(r.pace_status, f.lang, small=True),
                html.Div(
                    t("expected_of_month", f.lang, month=month, pct=fmt.value(r.expected_pct, "pct")),
                    className="kpi-target",
                ),
            ],
        )
    )
    own = regions[regions.territory_code == scope.territory]
    if len(own) and not fmt.missing(own.iloc[0].result_value):
        o = own.iloc[0]
        ind = wh.snapshot.catalogue.indicators.get(o.result_indicator)
        cards.append(
            figure_card(
                ind.short.get(f.lang) if ind else t("final_result", f.lang),
                [
                    html.Div(fmt.value(o.result_value, ind.unit if ind else "pct"), className="kpi-value"),
                    light(o.result_status, f.lang, small=True),
                    html.Div(f"ENDES {int(o.result_year)}", className="kpi-target"),
                ],
            )
        )
    return cards


def bottlenecks(products: pd.DataFrame, lang: str) -> list:
    b = products[products.bottleneck.fillna(False).astype(bool)]
    if b.empty:
        return [html.P(t("bottlenecks_none", lang), className="hint")]
    items = [
        html.Li(
            [
                html.Div(
                    [
                        html.Strong(f"{r.product_name}"),
                        html.Span(f" ({r.product_code}) ", className="text-muted"),
                        html.Span(t("pace_word", lang) + " ", className="small ms-1"),
                        light(r.pace_status, lang, small=True),
                        html.Span(" " + t("coverage_word", lang) + " ", className="small ms-1"),
                        light(r.coverage_status, lang, small=True),
                    ]
                ),
                html.Small(
                    t(
                        "bottleneck_line",
                        lang,
                        execution=fmt.value(r.execution_pct, "pct"),
                        expected=fmt.value(r.expected_pct, "pct"),
                        coverage=fmt.value(r.coverage_value, "pct"),
                        target=fmt.value(r.coverage_target, "pct"),
                    )
                    + f" · {fmt.soles(r.pim)} PIM",
                    className="text-muted",
                ),
            ],
            className="bottleneck",
        )
        for r in b.itertuples()
    ]
    return [html.P(t("bottlenecks_hint", lang), className="hint"), html.Ol(items, className="bottlenecks")]


def months_title(wh: Warehouse, f: Filters, region: str | None, scope: BudgetScope) -> str:
    """What the month chart shows, in its own title, so that its PNG explains itself."""
    cat = wh.snapshot.catalogue
    territory = scope_name(wh, region, f.lang)
    program = cat.programs.get(f.program)
    what = cat.elements[scope.element].objective.get(f.lang) if scope.element else t("whole_program", f.lang)
    return f"{program.short if program else f.program} · {territory} · {scope.year} · {what}"


def product_options(wh: Warehouse, f: Filters) -> list[dict]:
    cat = wh.snapshot.catalogue
    options = [{"label": t("whole_program", f.lang), "value": "all"}]
    for e in cat.elements.values():
        if e.program == f.program and e.level == "product" and e.mef_products:
            options.append(
                {"label": f"{e.objective.get(f.lang)} ({', '.join(e.mef_products)})", "value": e.code}
            )
    return options


def product_section(
    wh: Warehouse, f: Filters, region: str | None, scope: BudgetScope
) -> tuple[list, pd.DataFrame]:
    """The product chooser and what it narrows: months, executing units, regions (returned for the KPIs)."""
    months = frame(BUDGET_MONTHS, wh, f, region)
    units = frame(BUDGET_UNITS, wh, f, region) if wh.below_region else None  # executing units: not public
    regions = frame(BUDGET_REGIONS, wh, f, region)
    chooser = html.Div(
        [
            html.Label(t("product_filter", f.lang), htmlFor="budget-product", className="form-label me-2"),
            dcc.Dropdown(
                id="budget-product",
                options=product_options(wh, f),
                value=scope.element or "all",
                clearable=False,
                className="budget-product",
            ),
        ],
        className="panel chooser",
    )
    return [
        chooser,
        dbc.Row(
            [
                dbc.Col(
                    _panel(
                        t("months_title", f.lang),
                        BUDGET_MONTHS,
                        f,
                        region,
                        [
                            dcc.Graph(
                                id="budget-months-chart",
                                figure=figures.budget_months(
                                    months, f.lang, months_title(wh, f, region, scope)
                                ),
                                config=theme.graph_config(f.lang, png="presupuesto_meses"),
                            )
                            if len(months)
                            else html.P(t("no_data_period", f.lang), className="hint"),
                            table_grid("budget-months", BUDGET_MONTHS, months, f.lang),
                        ],
                        "budget-months-panel",
                    ),
                    lg=6,
                ),
                dbc.Col(
                    _panel(
                        t("units_title", f.lang),
                        BUDGET_UNITS,
                        f,
                        region,
                        [table_grid("budget-units", BUDGET_UNITS, units, f.lang)],
                        "budget-units-panel",
                    )
                    if units is not None
                    else html.Section(
                        [html.H2(t("units_title", f.lang), className="section-title"), public_only(f.lang)],
                        className="panel",
                        id="budget-units-panel",
                    ),
                    lg=6,
                ),
            ],
            className="g-3",
        ),
        *(network_section(wh, f, region) if region and f.tree == "red" and wh.below_region else []),
        _panel(
            t("regions_title", f.lang),
            BUDGET_REGIONS,
            f,
            region,
            [
                html.P(t("regions_hint", f.lang), className="hint"),
                table_grid("budget-regions", BUDGET_REGIONS, regions, f.lang),
            ],
            "budget-regions-panel",
        ),
    ], regions


def network_section(wh: Warehouse, f: Filters, region: str) -> list:
    """?arbol=red: the region's coverage per Red, beside the budget that is recorded by department."""
    rows = frame(BUDGET_NETWORK, wh, f, region)
    return [
        _panel(
            BUDGET_NETWORK.title.get(f.lang),
            BUDGET_NETWORK,
            f,
            region,
            [
                *(
                    [html.P(BUDGET_NETWORK.notes.get(f.lang), className="hint")]
                    if BUDGET_NETWORK.notes
                    else []
                ),
                table_grid("budget-network", BUDGET_NETWORK, rows, f.lang),
            ],
            "budget-network-panel",
        )
    ]


def change_section(wh: Warehouse, f: Filters, region: str | None, scope: BudgetScope) -> list:
    years = change_years(wh, f, scope)
    if years is None:
        return [
            html.H2(t("change_title", f.lang), className="section-title"),
            html.P(t("change_none", f.lang)),
        ]
    df = frame(BUDGET_CHANGE, wh, f, region)
    cat = wh.snapshot.catalogue
    element = cat.elements.get(scope.element) if scope.element else None
    coverage = cat.indicators.get(element.coverage) if element and element.coverage else None
    codes = df.result_indicator.dropna()
    result = cat.indicators.get(codes.iloc[0]) if len(codes) else None
    result_name = result.short.get(f.lang) if result else t("final_result", f.lang)
    abbrevs = dict(zip(wh.snapshot.regions.region_code, wh.snapshot.regions.abbrev, strict=True))
    budget_years = sorted(wh.snapshot.budget_cutoffs.get(f.program) or {})
    result_years = set(wh.snapshot.result_years.get(f.program, []))
    bases = [y for y in budget_years if y in result_years and y < years[1]]
    program = cat.programs.get(f.program)
    where = scope_name(wh, region, f.lang)
    stamp = f"{program.short if program else f.program} · {where} · {years[0]}→{years[1]}"
    charts = [
        dbc.Col(
            [
                html.H3(t("change_result", f.lang, result=result_name), className="chart-title"),
                html.Div(
                    dcc.Graph(
                        id="budget-change-result",
                        figure=figures.budget_change(
                            df,
                            abbrevs,
                            "result_change",
                            t("change_result", f.lang, result=result_name),
                            f.lang,
                            lower_is_better=result is None or result.direction == "down",
                            highlight=region,
                            title=f"{stamp} · {result_name}",
                        ),
                        config=theme.graph_config(f.lang, png="presupuesto_resultado"),
                    )
                ),
            ],
            lg=6,
        )
    ]
    if coverage is not None:
        charts.insert(
            0,
            dbc.Col(
                [
                    html.H3(
                        f"{t('change_coverage', f.lang)}: {coverage.short.get(f.lang)}",
                        className="chart-title",
                    ),
                    html.Div(
                        dcc.Graph(
                            id="budget-change-coverage",
                            figure=figures.budget_change(
                                df,
                                abbrevs,
                                "coverage_change",
                                t("change_coverage", f.lang),
                                f.lang,
                                False,
                                highlight=region,
                                title=f"{stamp} · {coverage.short.get(f.lang)}",
                            ),
                            config=theme.graph_config(f.lang, png="presupuesto_cobertura"),
                        )
                    ),
                ],
                lg=6,
            ),
        )
    else:
        charts.append(dbc.Col(html.P(t("choose_product_for_coverage", f.lang), className="hint"), lg=6))
    return [
        html.Div(
            [
                html.H2(t("change_title", f.lang), className="section-title"),
                export_buttons(BUDGET_CHANGE, f, region, f.lang),
            ],
            className="section-head",
        ),
        html.P(
            t(
                "change_sub",
                f.lang,
                base=years[0],
                last=years[1],
                budget=element.objective.get(f.lang),
                product=coverage.short.get(f.lang),
                result=result_name,
            )
            if element and coverage
            else t("change_sub_program", f.lang, base=years[0], last=years[1], result=result_name),
            className="hint",
        ),
        html.Div(
            [
                html.Label(t("base_year", f.lang), htmlFor="budget-since", className="form-label me-2"),
                dcc.Dropdown(
                    id="budget-since",
                    options=[{"label": str(y), "value": str(y)} for y in bases],
                    value=str(years[0]),
                    clearable=False,
                    className="budget-since",
                ),
            ],
            className="chooser-inline",
        ),
        dbc.Row(charts, className="g-3"),
        html.P(t("change_hint", f.lang), className="hint"),
        table_grid("budget-change", BUDGET_CHANGE, df, f.lang),
    ]


def content(wh: Warehouse, f: Filters, region: str | None) -> list:
    scope = budget_scope(wh, f, region)
    if scope is None:
        year = f.period[:4] if f.period else wh.resolve_period(f.program, None).year
        return [*heading(wh, f, region, None), html.P(t("budget_none", f.lang, year=year), className="hint")]
    products = frame(BUDGET_PRODUCTS, wh, f, region)
    detail, regions = product_section(wh, f, region, scope)
    return [
        *heading(wh, f, region, scope),
        dbc.Row(kpis(wh, f, scope, products, regions), className="g-2 kpi-row", id="budget-kpis"),
        _panel(
            t("bottlenecks_title", f.lang),
            None,
            f,
            region,
            bottlenecks(products, f.lang),
            "budget-bottlenecks",
        ),
        _panel(
            t("by_product", f.lang),
            BUDGET_PRODUCTS,
            f,
            region,
            [
                html.P(t("by_product_hint", f.lang), className="hint"),
                table_grid("budget-products", BUDGET_PRODUCTS, products, f.lang),
            ],
            "budget-products-panel",
        ),
        *detail,
        html.Section(change_section(wh, f, region, scope), className="panel", id="budget-change-panel"),
    ]


def page_content(wh: Warehouse, f: Filters, arg: str | None) -> list:
    region, notice = regional_arg(wh, f, arg)
    return notice + content(wh, f, region)


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    return html.Div(page_content(wh, f, arg), id="budget-page")


def _region_in(pathname: str | None) -> tuple[bool, str | None]:
    parts = [p for p in (pathname or "").split("/") if p]
    if not parts or parts[0] != PATH.strip("/"):
        return False, None
    return True, parts[1] if len(parts) > 1 else None


@callback(
    Output("budget-page", "children"),
    Input("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def update(search: str, pathname: str):
    ours, arg = _region_in(pathname)
    if not ours:
        return no_update
    return page_content(context.warehouse(), context.filters(search), arg)


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("budget-product", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose_product(product: str | None, search: str):
    """The product chooser writes the URL, so a copied link reopens the same view."""
    f = context.filters(search)
    new = f.with_(product=None if product in (None, "all") else product)
    return (serialise(new) or "?") if new != f else no_update


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("budget-since", "value"),
    State("url", "search"),
    State("url", "pathname"),
    prevent_initial_call=True,
)
def choose_since(since: str | None, search: str, pathname: str):
    """The base year of the comparison, in the URL; the default year is left out of it (one link per view)."""
    wh = context.warehouse()
    f = context.filters(search)
    scope = budget_scope(wh, f, region_of(wh, _region_in(pathname)[1]))
    years = change_years(wh, f, scope) if scope else None
    if not since or years is None or since == str(years[0]):
        return no_update
    return serialise(f.with_(since=since)) or "?"

"""The Presupuesto page's sections: execution by product (with a product's months and executing units, or the
regions), coverage per Red on the network tree, and money against results across years."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from .. import figures, theme
from ..access import may_see
from ..components.notice import public_only
from ..components.table_grid import export_buttons, panel, table_grid
from ..data import Warehouse
from ..i18n import chart_source, dropdown_labels, scope_name, t
from ..state import Filters
from ..views import frame
from ..views.budget import (
    BUDGET_CHANGE,
    BUDGET_MONTHS,
    BUDGET_NETWORK,
    BUDGET_REGIONS,
    BUDGET_UNITS,
)
from ..views.budget_rows import BudgetScope, change_years
from .budget_head import months_text, months_title


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
) -> tuple[list, pd.DataFrame, pd.DataFrame]:
    """The product chooser and what it narrows: months, executing units, regions (months and regions returned
    for the KPIs)."""
    months = frame(BUDGET_MONTHS, wh, f, region)
    units = frame(BUDGET_UNITS, wh, f, region) if may_see(wh, BUDGET_UNITS) else None
    regions = frame(BUDGET_REGIONS, wh, f, region)
    chooser = html.Div(
        [
            html.Label(t("product_filter", f.lang), htmlFor="budget-product", className="form-label me-2"),
            dcc.Dropdown(
                id="budget-product",
                labels=dropdown_labels(f.lang),
                options=product_options(wh, f),
                value=scope.element or "all",
                clearable=False,
                className="budget-product",
            ),
        ],
        className="panel chooser",
    )
    return (
        [
            chooser,
            dbc.Row(
                [
                    dbc.Col(
                        panel(
                            t("months_title", f.lang),
                            BUDGET_MONTHS,
                            f,
                            region,
                            [
                                dcc.Graph(
                                    id="budget-months-chart",
                                    figure=figures.stamped(
                                        figures.budget_months(months, f.lang),
                                        months_title(wh, f, region, scope),
                                        chart_source(
                                            ("budget",),
                                            months_text(scope.month, f.lang) + f" {scope.year}",
                                            f.lang,
                                        ),
                                    ),
                                    config=theme.graph_config(f.lang, png="presupuesto_meses"),
                                )
                                if len(months)
                                else html.P(t("no_data_period", f.lang), className="hint"),
                                table_grid("budget-months", BUDGET_MONTHS, months, f.lang, fit=True),
                            ],
                            "budget-months-panel",
                        ),
                        xl=6,
                    ),
                    dbc.Col(
                        panel(
                            t("units_title", f.lang),
                            BUDGET_UNITS,
                            f,
                            region,
                            [table_grid("budget-units", BUDGET_UNITS, units, f.lang, fit=True)],
                            "budget-units-panel",
                        )
                        if units is not None
                        else html.Section(
                            [
                                html.H2(t("units_title", f.lang), className="section-title"),
                                public_only(f.lang),
                            ],
                            className="panel",
                            id="budget-units-panel",
                        ),
                        xl=6,
                    ),
                ],
                className="g-3",
            ),
            *(
                network_section(wh, f, region)
                if region and f.tree == "red" and may_see(wh, BUDGET_NETWORK)
                else []
            ),
            panel(
                t("regions_title", f.lang),
                BUDGET_REGIONS,
                f,
                region,
                [
                    html.P(t("regions_hint", f.lang), className="hint"),
                    table_grid("budget-regions", BUDGET_REGIONS, regions, f.lang, fit=True),
                ],
                "budget-regions-panel",
            ),
        ],
        months,
        regions,
    )


def network_section(wh: Warehouse, f: Filters, region: str) -> list:
    """?arbol=red: the region's coverage per Red, beside the budget that is recorded by department."""
    rows = frame(BUDGET_NETWORK, wh, f, region)
    return [
        panel(
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
                table_grid("budget-network", BUDGET_NETWORK, rows, f.lang, fit=True),
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
    span = f"{years[0]}→{years[1]}"
    stamp = f"{program.short if program else f.program} · {where} · {span}"
    charts = [
        dbc.Col(
            [
                html.H3(t("change_result", f.lang, result=result_name), className="chart-title"),
                html.Div(
                    dcc.Graph(
                        id="budget-change-result",
                        figure=figures.stamped(
                            figures.budget_change(
                                df,
                                abbrevs,
                                "result_change",
                                t("change_result", f.lang, result=result_name),
                                f.lang,
                                lower_is_better=result is None or result.direction == "down",
                                highlight=region,
                                title=f"{stamp} · {result_name}",
                            ),
                            "",
                            chart_source(("budget", "population", "survey"), span, f.lang),
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
                            figure=figures.stamped(
                                figures.budget_change(
                                    df,
                                    abbrevs,
                                    "coverage_change",
                                    t("change_coverage", f.lang),
                                    f.lang,
                                    False,
                                    highlight=region,
                                    title=f"{stamp} · {coverage.short.get(f.lang)}",
                                ),
                                "",
                                chart_source(("budget", "population", "admin"), span, f.lang),
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
                    labels=dropdown_labels(f.lang),
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
        table_grid("budget-change", BUDGET_CHANGE, df, f.lang, fit=True),
    ]

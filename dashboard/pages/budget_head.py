"""The Presupuesto page's heading, KPI cards and bottlenecks: what the program's money did up to the month."""

from __future__ import annotations

import flask
import pandas as pd
from dash import html
from dash.development.base_component import Component

from .. import format as fmt
from ..access import region_ok
from ..components.copy_button import copy_button
from ..components.kpi import figure_card
from ..components.traffic_light import light
from ..data import Warehouse
from ..i18n import scope_name, t
from ..rows import tuples
from ..state import Filters, href
from ..views.budget_rows import BudgetScope

PATH = "/presupuesto"


def region_of(wh: Warehouse, arg: str | None) -> str | None:
    return arg if region_ok(wh, arg) else None


def path_of(region: str | None) -> str:
    return f"{PATH}/{region}" if region else PATH


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
                copy_button("copy-link", link, t("copy_link", f.lang), t("link_copied", f.lang)),
            ],
            className="mb-2",
        )
    )
    return out


def kpis(
    wh: Warehouse,
    f: Filters,
    scope: BudgetScope,
    products: pd.DataFrame,
    months: pd.DataFrame,
    regions: pd.DataFrame,
) -> list:
    """The money cards of the program, or — with a product chosen — of that product (the last month of the view
    ``presupuesto-meses``, which follows the product filter), named so by :func:`kpis_scope`."""
    rows = months.tail(1) if scope.element is not None else products[products.product_code.isna()]
    if rows.empty:
        return []
    r = rows.iloc[0]
    cards = [
        figure_card(label, [html.Div(fmt.soles(r[key], f.lang), className="kpi-value kpi-money")])
        for key, label in (
            ("pia", "PIA"),
            ("pim", "PIM"),
            ("certificado", t("certified", f.lang)),
            ("comprometido_anual", t("annual_commitment", f.lang)),
            ("devengado", t("accrued", f.lang)),
            ("girado", t("paid", f.lang)),
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


def kpis_scope(wh: Warehouse, f: Filters, scope: BudgetScope) -> html.P:
    """What the KPI row adds up: the whole program or the product chosen (never silently the program)."""
    if scope.element is None:
        return html.P(t("kpis_program", f.lang), className="hint", id="budget-kpis-scope")
    product = wh.snapshot.catalogue.elements[scope.element].objective.get(f.lang)
    return html.P(t("kpis_product", f.lang, product=product), className="hint", id="budget-kpis-scope")


TOP_BOTTLENECKS = 5


def bottlenecks(ranked: pd.DataFrame, lang: str) -> list:
    """The widest bottlenecks of the view ``presupuesto-cuellos`` (ranked by execution gap × coverage gap)."""
    b = ranked[ranked.bottleneck_rank.notna()].head(TOP_BOTTLENECKS)
    if b.empty:
        return [html.P(t("bottlenecks_none", lang), className="hint")]
    items = [
        html.Li(
            [
                html.Div(
                    [
                        html.Strong(f"{r.region} · {r.element}"),
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
                    + f" · {fmt.soles(r.pim, lang)} PIM",
                    className="text-muted",
                ),
            ],
            className="bottleneck",
            value=str(int(r.bottleneck_rank)),
        )
        for r in tuples(b)
    ]
    return [
        html.P(t("bottlenecks_hint", lang, n=len(items)), className="hint"),
        html.Ol(items, className="bottlenecks"),
    ]


def months_title(wh: Warehouse, f: Filters, region: str | None, scope: BudgetScope) -> str:
    """What the month chart shows, in its own title, so that its PNG explains itself."""
    cat = wh.snapshot.catalogue
    territory = scope_name(wh, region, f.lang)
    program = cat.programs.get(f.program)
    what = cat.elements[scope.element].objective.get(f.lang) if scope.element else t("whole_program", f.lang)
    return f"{program.short if program else f.program} · {territory} · {scope.year} · {what}"

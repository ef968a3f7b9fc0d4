"""Presupuesto: where a program's money went product by product, how fast it executed against the month of the fiscal
year, what it bought in coverage and at what cost per beneficiary, per region and executing unit, and how changes
in budget per child compare with changes in coverage and in the final result across years. The country at
/presupuesto, a region at /presupuesto/<code>. Every table downloads as CSV, Excel and JSON with these filters."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

from .. import context
from ..callbacks import callback
from ..components.table_grid import panel, table_grid
from ..data import Warehouse
from ..i18n import t
from ..state import Filters, serialise
from ..views import frame
from ..views.budget import BUDGET_PRODUCTS
from ..views.budget_bottlenecks import BUDGET_BOTTLENECKS
from ..views.budget_rows import budget_scope, change_years
from .budget_change import change_panel
from .budget_head import PATH, bottlenecks, heading, kpis, kpis_scope, region_of
from .budget_sections import product_section
from .region import regional_arg


def content(wh: Warehouse, f: Filters, region: str | None) -> list:
    scope = budget_scope(wh, f, region)
    if scope is None:
        year = f.period[:4] if f.period else wh.resolve_period(f.program, None).year
        return [*heading(wh, f, region, None), html.P(t("budget_none", f.lang, year=year), className="hint")]
    products = frame(BUDGET_PRODUCTS, wh, f, region)
    ranked = frame(BUDGET_BOTTLENECKS, wh, f, region)
    detail, months, regions = product_section(wh, f, region, scope)
    return [
        *heading(wh, f, region, scope),
        kpis_scope(wh, f, scope),
        dbc.Row(kpis(wh, f, scope, products, months, regions), className="g-2 kpi-row", id="budget-kpis"),
        panel(
            t("bottlenecks_title", f.lang),
            BUDGET_BOTTLENECKS,
            f,
            region,
            [
                *bottlenecks(ranked, f.lang),
                table_grid("budget-bottlenecks-grid", BUDGET_BOTTLENECKS, ranked, f.lang, fit=True),
            ],
            "budget-bottlenecks",
        ),
        panel(
            t("by_product", f.lang),
            BUDGET_PRODUCTS,
            f,
            region,
            [
                html.P(t("by_product_hint", f.lang), className="hint"),
                table_grid("budget-products", BUDGET_PRODUCTS, products, f.lang, fit=True),
            ],
            "budget-products-panel",
        ),
        *detail,
    ]


def page_content(wh: Warehouse, f: Filters, arg: str | None) -> list:
    region, notice = regional_arg(wh, f, arg)
    return notice + content(wh, f, region)


def layout(wh: Warehouse, f: Filters, arg: str | None = None):
    # The money across years is apart from what a filter change redraws: it is drawn once in view (budget_change).
    region, _notice = regional_arg(wh, f, arg)
    return html.Div([html.Div(page_content(wh, f, arg), id="budget-page"), change_panel(wh, f, region)])


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
